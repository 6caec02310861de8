"""BibTeX (``.bib``), parsed with `bibtexparser <https://pypi.org/project/bibtexparser/>`_ 2.x.

Fields read: ``abstract``, ``title``, ``date`` or ``year`` (and ``month``),
``doi``, ``eprint`` (with ``archiveprefix = {arXiv}``, or an arXiv-looking
value), ``url`` and ``author`` (names separated by ``and``). LaTeX in any of
them is rendered to text. The entry key is the paper's id. Entries the parser
cannot read, entries repeating an earlier key, and entries whose braces do not
balance (a stray ``}`` ends the entry early and the parser reads its remaining
fields as a comment) are bad records.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import pairwise
from pathlib import Path

import bibtexparser
from bibtexparser.model import DuplicateBlockKeyBlock, Entry, ImplicitComment

from graph_builder.errors import InputError
from graph_builder.ingest._common import (
    RecordProblem,
    display_name,
    make_paper,
    read_text,
    record,
    split_authors,
)
from graph_builder.model import BadRecord, Paper

__all__ = ["NAME", "SUFFIXES", "read", "sniff"]

NAME = "bibtex"
SUFFIXES = (".bib", ".bibtex")

_ENTRY = re.compile(r"^\s*@\s*[A-Za-z]+\s*[{(]", re.MULTILINE)
_MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()
#: Text between entries that starts like a field (``, abstract = {``): what is left of an
#: entry a stray closing brace ended early.
_LEFT_FIELD = re.compile(r"\A[\s,]*[A-Za-z][\w:.-]*\s*=\s*[{\"\w]")


def sniff(head: str) -> bool:
    """True when the text has a BibTeX entry such as ``@article{``."""
    return bool(_ENTRY.search(head))


def read(path: Path) -> Iterator[Paper | BadRecord]:
    """Yield one paper per entry, in file order; ``@string``, ``@comment`` are ignored."""
    name = display_name(path)
    text = read_text(path)
    try:
        with _quiet_parser():
            library = bibtexparser.parse_string(text)
    except RecursionError:
        raise InputError(f"{name}: BibTeX nested too deeply") from None
    except Exception as exc:  # the parser's own errors have no common base class
        raise InputError(f"{name}: cannot parse BibTeX: {exc}") from None
    blocks = [(b.start_line, b) for b in library.entries]
    blocks += [(b.start_line, b) for b in library.failed_blocks]
    if not blocks:
        raise InputError(f"{name}: no BibTeX entries found")
    cut = _ended_early(library.blocks)
    for start, block in sorted(blocks, key=lambda item: item[0] or 0):
        line = (start or 0) + 1
        where = f"{name}: line {line}"
        if id(block) in cut:
            yield BadRecord(
                where,
                f"entry {block.key!r} ends early: its braces do not balance, and the text "
                f"from line {cut[id(block)] + 1} is outside it",
            )
        elif isinstance(block, Entry):
            yield from record(where, _paper, block, source=f"{name}:{line}")
        elif isinstance(block, DuplicateBlockKeyBlock):
            yield BadRecord(where, f"entry key {block.key!r} repeats an earlier entry's key")
        else:
            error = getattr(block, "error", None)
            problem = str(getattr(error, "abort_reason", "") or error or "")
            problem = " ".join(problem.split())[:200] or "cannot parse this entry"
            yield BadRecord(where, f"malformed BibTeX entry: {problem}")


def _ended_early(blocks: list[object]) -> dict[int, int]:
    """The entries followed by text that starts like a field: ``id(entry)`` to the
    (0-based) line where that text starts."""
    cut = {}
    for before, after in pairwise(blocks):
        if (
            isinstance(before, Entry)
            and isinstance(after, ImplicitComment)
            and _LEFT_FIELD.match(after.comment)
        ):
            cut[id(before)] = after.start_line
    return cut


@contextmanager
def _quiet_parser() -> Iterator[None]:
    """Keep the parser's warnings about failed blocks off stderr; they become bad records."""
    logger = logging.getLogger("bibtexparser")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def _paper(entry: Entry, *, source: str) -> Paper:
    fields: dict[str, str] = {}
    for field in entry.fields:
        if not isinstance(field.value, str):
            raise RecordProblem(f"field '{field.key}' is not text")
        fields[field.key.lower()] = field.value
    date = fields.get("date") or _year_month(fields.get("year", ""), fields.get("month", ""))
    eprint = fields.get("eprint", "")
    is_arxiv = fields.get("archiveprefix", "").lower() == "arxiv" or bool(
        re.fullmatch(r"\d{4}\.\d{4,5}(v\d+)?|[a-z-]+/\d{7}(v\d+)?", eprint.strip())
    )
    return make_paper(
        source=source,
        abstract=fields.get("abstract", ""),
        title=fields.get("title", ""),
        paper_id=entry.key or None,
        date=date or None,
        authors=split_authors(fields.get("author", ""), r"\s+and\s+"),
        doi=fields.get("doi") or None,
        arxiv_id=eprint if is_arxiv else None,
        url=fields.get("url") or None,
        venue=fields.get("journal") or fields.get("booktitle") or None,
        keywords=split_keywords(fields.get("keywords", "")),
    )


def split_keywords(value: str) -> tuple[str, ...]:
    """BibTeX ``keywords``: separated by ``;`` when there is one, else by ``,``.

    >>> split_keywords("spin glass, mean field"), split_keywords("a, b; c")
    (('spin glass', 'mean field'), ('a, b', 'c'))
    """
    separator = ";" if ";" in value else ","
    return tuple(k.strip() for k in value.split(separator) if k.strip())


def _year_month(year: str, month: str) -> str:
    year = year.strip()
    month = month.strip().lower()[:3]
    if re.fullmatch(r"\d{4}", year) and month in _MONTHS:
        return f"{year}-{_MONTHS.index(month) + 1:02d}"
    if re.fullmatch(r"\d{4}", year) and month.isdigit() and 1 <= int(month) <= 12:
        return f"{year}-{int(month):02d}"
    return year
