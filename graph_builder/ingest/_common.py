"""What every reader needs: reading a file as text and turning fields into a Paper.

A reader raises :class:`~graph_builder.errors.InputError` for a problem with
the whole file (empty, binary, not UTF-8, not parseable at all) and yields a
:class:`~graph_builder.model.BadRecord` for a problem with one record, so that
``skip_bad`` can let the good records of the same file through.
"""

from __future__ import annotations

import re
import stat
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph_builder.errors import InputError
from graph_builder.ingest.dates import parse_date
from graph_builder.ingest.sanitise import MAX_ID_CHARS, sanitised_arguments
from graph_builder.ingest.text import clean_text, stable_id, strip_truncation
from graph_builder.model import BadRecord, Paper

__all__ = [
    "MAX_FIELD_CHARS",
    "MAX_STREAM_BYTES",
    "STDIN",
    "RecordProblem",
    "RecordTask",
    "deferred_records",
    "display_name",
    "forget_stdin",
    "make_paper",
    "normalise_arxiv_id",
    "normalise_doi",
    "read_bytes",
    "read_text",
    "record",
    "split_authors",
    "string_list",
    "text_field",
]

#: The path that means standard input.
STDIN = "-"
#: The longest title or abstract accepted, in characters (real abstracts are under 10 000).
MAX_FIELD_CHARS = 100_000
#: The most bytes read from standard input or another stream (a pipe, a device): these have
#: no size to check first, and ``/dev/zero`` never ends.
MAX_STREAM_BYTES = 1 << 30

_stdin_cache: dict[str, bytes] = {}


class RecordProblem(Exception):
    """What is wrong with one record; the reader adds where it is (file, line)."""


def display_name(path: Path) -> str:
    """How messages and ``source`` name a file (``<stdin>`` for ``-``)."""
    return "<stdin>" if str(path) == STDIN else str(path)


def forget_stdin() -> None:
    """Forget standard input read earlier (each call of ``read_papers`` reads it afresh)."""
    _stdin_cache.clear()


def read_bytes(path: Path) -> bytes:
    """The bytes of ``path``, or of standard input when ``path`` is ``-``.

    Standard input and other streams (pipes, devices) are read once, at most
    :data:`MAX_STREAM_BYTES` of them.
    """
    if str(path) == STDIN:
        if STDIN not in _stdin_cache:
            _stdin_cache[STDIN] = _read_capped(sys.stdin.buffer, display_name(path))
        return _stdin_cache[STDIN]
    try:
        if stat.S_ISREG(path.stat().st_mode):
            return path.read_bytes()
        if str(path) not in _stdin_cache:
            if path.is_dir():
                raise IsADirectoryError
            with path.open("rb") as stream:
                _stdin_cache[str(path)] = _read_capped(stream, str(path))
        return _stdin_cache[str(path)]
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None


def _read_capped(stream: Any, name: str) -> bytes:
    """Everything ``stream`` holds, in chunks, unless it is more than the cap."""
    chunks, size = [], 0
    while chunk := stream.read(1 << 20):
        chunks.append(chunk)
        size += len(chunk)
        if size > MAX_STREAM_BYTES:
            raise InputError(
                f"{name}: more than {MAX_STREAM_BYTES >> 20:,} MiB from a stream; "
                "save the input to a file and build from that"
            )
    return b"".join(chunks)


def read_text(path: Path) -> str:
    """Read a UTF-8 (or BOM-marked UTF-16) text file; every failure is an :class:`InputError`."""
    data = read_bytes(path)
    name = display_name(path)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            raise InputError(f"{name}: not UTF-16 text despite its byte-order mark") from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not data.strip():
        raise InputError(f"{name}: the file is empty")
    if b"\x00" in data[:8192]:
        raise InputError(f"{name}: binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{name}: line {line}: not UTF-8 text (byte 0x{data[exc.start]:02x}); "
            "save the file as UTF-8"
        ) from None


@dataclass(frozen=True, slots=True)
class RecordTask:
    """The conversion of one record, not yet done: ``convert(*args, **kwargs)`` for the
    record at ``where``. Picklable when ``convert`` and its arguments are, so that worker
    processes can run it (see :mod:`graph_builder.ingest.cleaning`)."""

    where: str
    convert: Callable[..., Paper]
    args: tuple[Any, ...]
    kwargs: dict[str, Any]

    def run(self) -> Paper | BadRecord:
        """The paper, or a :class:`BadRecord` saying what went wrong."""
        try:
            return self.convert(*self.args, **self.kwargs)
        except RecordProblem as exc:
            return BadRecord(self.where, str(exc))


_deferred: ContextVar[bool] = ContextVar("deferred_records", default=False)


@contextmanager
def deferred_records() -> Iterator[None]:
    """Within this block, readers yield a :class:`RecordTask` for each record instead of
    converting it (what they find wrong with the file or its structure stays as it was)."""
    token = _deferred.set(True)
    try:
        yield
    finally:
        _deferred.reset(token)


def record(
    where: str, convert: Callable[..., Paper], /, *args: Any, **kwargs: Any
) -> Iterator[Paper | BadRecord | RecordTask]:
    """Yield ``convert(*args, **kwargs)``, or a :class:`BadRecord` saying what went wrong;
    inside :func:`deferred_records`, the :class:`RecordTask` that does so."""
    task = RecordTask(where, convert, args, kwargs)
    yield task if _deferred.get() else task.run()


@sanitised_arguments
def make_paper(
    *,
    source: str,
    abstract: str,
    title: str = "",
    paper_id: str | None = None,
    date: str | None = None,
    authors: tuple[str, ...] = (),
    doi: str | None = None,
    arxiv_id: str | None = None,
    url: str | None = None,
    categories: tuple[str, ...] = (),
    venue: str | None = None,
    keywords: tuple[str, ...] = (),
    references: tuple[str, ...] = (),
) -> Paper:
    """Clean the text fields of one record and give it an id if it has none.

    Every argument is sanitised first (:mod:`graph_builder.ingest.sanitise`).

    Raises
    ------
    RecordProblem
        A field is longer than :data:`MAX_FIELD_CHARS`, the id longer than
        :data:`~graph_builder.ingest.sanitise.MAX_ID_CHARS`, or the record has neither
        abstract nor title.
    """
    if paper_id is not None and len(paper_id) > MAX_ID_CHARS:
        raise RecordProblem(
            f"field 'id' is {len(paper_id):,} characters long; the limit is {MAX_ID_CHARS:,}"
        )
    for name, value in (("abstract", abstract), ("title", title)):
        if len(value) > MAX_FIELD_CHARS:
            raise RecordProblem(
                f"field '{name}' is {len(value):,} characters long; "
                f"the limit is {MAX_FIELD_CHARS:,}"
            )
    abstract, truncated = strip_truncation(_without_copyright(clean_text(abstract)))
    if _NO_ABSTRACT.fullmatch(abstract):
        abstract = ""
    title = clean_text(title)
    if not abstract and not title:
        raise RecordProblem("record has neither an abstract nor a title")
    iso, year = parse_date(date) if date else (None, None)
    authors = tuple(a for a in (clean_text(a) for a in authors if len(a) < 1000) if a)
    if not arxiv_id and url and "arxiv.org/" in url:
        arxiv_id = url
    return Paper(
        paper_id=paper_id or stable_id(title, abstract),
        abstract=abstract,
        title=title,
        date=iso,
        year=year,
        authors=authors,
        doi=normalise_doi(doi),
        arxiv_id=normalise_arxiv_id(arxiv_id, keep_version=True),
        url=url.strip() if url and url.strip() else None,
        source=source,
        truncated=truncated,
        title_only=not abstract,
        categories=_distinct(categories),
        venue=clean_text(venue)[:_MAX_NAME] or None if venue else None,
        keywords=_distinct(keywords),
        references=_distinct(references),
    )


#: The longest category, venue, keyword or reference id kept, in characters.
_MAX_NAME = 300


def _without_copyright(text: str) -> str:
    """``text`` without a publisher's notice at its end (:data:`_COPYRIGHT`)."""
    lowered = text.lower()
    if text.isascii() and "(c)" not in lowered and "copyright" not in lowered:
        return text  # the notice cannot be there: the regular expression is slow to say so
    return _COPYRIGHT.sub("", text)


def _distinct(values: tuple[str, ...]) -> tuple[str, ...]:
    """Cleaned, non-empty values, each once, in input order (longer ones cut)."""
    cleaned = (clean_text(v)[:_MAX_NAME] for v in values if isinstance(v, str))
    return tuple(dict.fromkeys(v for v in cleaned if v))


def string_list(value: Any, field: str, *, split: str | None = None) -> tuple[str, ...]:
    r"""A list field of strings (or of objects with a ``name``/``display_name``/``id``);
    a string is split on the regex ``split`` (one value without it).

    Examples
    --------
    >>> string_list(["cs.LG", {"display_name": "Physics"}], "categories")
    ('cs.LG', 'Physics')
    >>> string_list("cs.LG stat.ML", "categories", split=r"\s+")
    ('cs.LG', 'stat.ML')
    """
    if value is None:
        return ()
    if isinstance(value, str):
        parts = re.split(split, value) if split else [value]
        return tuple(p.strip() for p in parts if p.strip())
    if not isinstance(value, list):
        raise RecordProblem(
            f"field '{field}' must be a list or a string, found {type(value).__name__}"
        )
    found = []
    for item in value:
        if isinstance(item, dict):
            item = next(
                (item[k] for k in ("name", "display_name", "paperId", "id") if item.get(k)), None
            )
        if isinstance(item, str | int) and not isinstance(item, bool) and str(item).strip():
            found.append(str(item).strip())
    return tuple(found)


# What databases put in place of a missing abstract.
_NO_ABSTRACT = re.compile(
    r"\[?(?:no abstract(?: available)?|abstract not available|n/?a)\]?\.?", re.IGNORECASE
)
# The publisher's notice Scopus and Web of Science append to abstracts.
_COPYRIGHT = re.compile(r"\s*(?:©|\(c\)|copyright\b)[^.]{0,80}?\b\d{4}\b.{0,200}$", re.I)
_DOI = re.compile(r"10\.\d{4,9}/\S+")
_ARXIV = re.compile(
    r"(?:arxiv:|arxiv\.org/(?:abs|pdf)/)?"
    r"(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(v\d+)?(?:\.pdf)?$",
    re.IGNORECASE,
)


def normalise_doi(doi: Any) -> str | None:
    """The DOI in lowercase without ``https://doi.org/`` or ``doi:``; None if there is none.

    Examples
    --------
    >>> normalise_doi("https://doi.org/10.1103/PhysRevLett.1.2")
    '10.1103/physrevlett.1.2'
    >>> normalise_doi("n/a") is None
    True
    """
    if not isinstance(doi, str):
        return None
    match = _DOI.search(doi.strip())
    return match.group().rstrip(".,;").lower() if match else None


def normalise_arxiv_id(arxiv_id: Any, *, keep_version: bool = False) -> str | None:
    """The arXiv id (``2101.00001``, ``hep-th/9901001``), version dropped unless kept.

    Examples
    --------
    >>> normalise_arxiv_id("http://arxiv.org/abs/2101.00001v2")
    '2101.00001'
    >>> normalise_arxiv_id("arXiv:hep-th/9901001v1", keep_version=True)
    'hep-th/9901001v1'
    """
    if not isinstance(arxiv_id, str):
        return None
    match = _ARXIV.search(arxiv_id.strip())
    if not match:
        return None
    return match.group(1) + (match.group(2) or "" if keep_version else "")


def split_authors(value: Any, separator: str | None = None) -> tuple[str, ...]:
    r"""Author names from a list, or from one string split on the regex ``separator``.

    Without a separator, a string is split on ``;``, else on ``,`` when every
    part is a whole name (``Smith J., Doe A.``), so ``Turing, Alan`` stays one name.

    Examples
    --------
    >>> split_authors("Turing, Alan; Lovelace, Ada")
    ('Turing, Alan', 'Lovelace, Ada')
    >>> split_authors("Turing A., Lovelace A."), split_authors("Turing, Alan")
    (('Turing A.', 'Lovelace A.'), ('Turing, Alan',))
    >>> split_authors("Alan Turing and Ada Lovelace", r"\s+and\s+")
    ('Alan Turing', 'Ada Lovelace')
    """
    if value is None:
        return ()
    if isinstance(value, str):
        if separator is None:
            parts = split_authors(value, r",")
            if ";" in value or not all(" " in part for part in parts):
                return split_authors(value, r";")
            return parts
        return tuple(a.strip() for a in re.split(separator, value) if a.strip())
    if isinstance(value, list | tuple):
        return tuple(str(a).strip() for a in value if isinstance(a, str | int) and str(a).strip())
    raise RecordProblem(f"authors must be a list or a string, found {type(value).__name__}")


def text_field(record: dict[str, Any], name: str) -> str:
    """The string ``record[name]`` ("" when missing or null); anything else is a problem."""
    value = record.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RecordProblem(f"field '{name}' must be a string, found {type(value).__name__}")
    return value
