"""Reading papers from files: one module per format, one table of readers.

Each reader is ``read(path) -> Iterator[Paper | SourceNote | BadRecord]``: it
raises :class:`~graph_builder.errors.InputError` when the whole file is
unusable and yields a :class:`~graph_builder.model.BadRecord` for each record
it cannot read. :func:`read_papers` then merges duplicates and sets aside
abstracts that are not in English.

Examples
--------
>>> sorted(READERS)  # doctest: +NORMALIZE_WHITESPACE
['arxiv', 'bibtex', 'csv', 'json', 'jsonl', 'openalex', 'ris', 'semantic-scholar',
 'similar-papers']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from graph_builder.errors import ConfigError, InputError
from graph_builder.ingest import (
    arxiv,
    bibtex,
    csv_table,
    json_array,
    jsonl,
    openalex,
    ris,
    semantic_scholar,
    similar_papers,
)
from graph_builder.ingest._common import STDIN, display_name, forget_stdin, read_bytes
from graph_builder.ingest.cleaning import Cleaner, language_of
from graph_builder.ingest.merge import merge_duplicates
from graph_builder.model import BadRecord, Corpus, Paper, SourceNote

__all__ = ["READERS", "Reader", "detect_format", "read_papers"]

_SNIFF_BYTES = 4096


@dataclass(frozen=True)
class Reader:
    name: str
    suffixes: tuple[str, ...]
    read: Callable[[Path], Iterator[Paper | SourceNote | BadRecord]]
    sniff: Callable[[str], bool]


# Sniffing order matters: the specific JSON shapes before JSON in general, RIS and the
# tab-delimited exports before the similar-papers page (all may be .txt files).
READERS: dict[str, Reader] = {
    module.NAME: Reader(module.NAME, module.SUFFIXES, module.read, module.sniff)
    for module in (
        openalex,
        semantic_scholar,
        json_array,
        jsonl,
        arxiv,
        bibtex,
        ris,
        csv_table,
        similar_papers,
    )
}

#: Suffixes several formats use; for these the content decides, the suffix only breaks ties.
_SHARED_SUFFIXES = {".txt": ("ris", "csv"), ".json": ("openalex", "semantic-scholar")}


def detect_format(path: Path) -> str:
    """Pick a reader by the file's suffix, else by sniffing its first bytes."""
    suffix = path.suffix.lower()
    by_suffix = next((r.name for r in READERS.values() if suffix in r.suffixes), None)
    if by_suffix and suffix not in _SHARED_SUFFIXES:
        return by_suffix
    try:
        head = read_bytes(path)[:_SNIFF_BYTES]
    except InputError:
        if by_suffix:  # the reader says what is wrong with the file
            return by_suffix
        raise
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="replace")
    else:
        text = head.decode("utf-8", errors="replace")
    candidates = _SHARED_SUFFIXES.get(suffix, tuple(READERS))
    for name in candidates:
        if READERS[name].sniff(text):
            return name
    if by_suffix:
        return by_suffix
    raise InputError(
        f"{display_name(path)}: cannot tell the format; use --format with one of: "
        f"{', '.join(sorted(READERS))}"
    )


def read_papers(
    sources: Iterable[str | Path],
    format: str = "auto",
    *,
    columns: Mapping[str, str] | None = None,
    skip_bad: bool = False,
    english_only: bool = True,
    workers: int = 1,
) -> Corpus:
    """Read every paper of every source into one :class:`Corpus`, in input order.

    Duplicates (same DOI, same arXiv id whatever the version, or same title) are
    merged into one paper with the richest fields; ``corpus.merged`` counts them.
    Records with a title but no abstract are kept, flagged ``title_only``.

    Parameters
    ----------
    sources : paths of input files; ``-`` reads standard input.
    format : a key of :data:`READERS`, or ``"auto"`` to pick by suffix and content.
    columns : for CSV/TSV files, which column holds which field
        (``{"abstract": "Summary"}``), overriding the header detection.
    skip_bad : set malformed records (and unreadable files) aside in ``corpus.bad``
        instead of stopping at the first.
    english_only : set abstracts not in English aside in ``corpus.not_english``.
    workers : processes that convert and clean the records (1: this process); the
        corpus is the same whatever their number (:mod:`graph_builder.ingest.cleaning`).

    Raises
    ------
    InputError
        A file is missing, empty, unreadable, malformed, or has no paper.
    ConfigError
        ``format`` is not a known format, or ``columns`` names an unknown field.
    """
    if format != "auto" and format not in READERS:
        raise ConfigError(
            f"unknown format {format!r}; choose one of: auto, {', '.join(sorted(READERS))}"
        )
    if columns:
        csv_table.check_columns(columns)
    forget_stdin()
    corpus = Corpus()
    found: list[tuple[Paper, str | None]] = []
    with Cleaner(workers, check_language=english_only) as cleaner:
        for source in sources:
            _read_source(Path(source), format, columns, skip_bad, cleaner, corpus, found)
    papers = _english(found, corpus) if english_only else [paper for paper, _ in found]
    merged, corpus.merged = merge_duplicates(papers)
    corpus.papers = _first_of_each_id(merged, corpus)
    if not corpus.papers:
        raise InputError(
            "no papers found in "
            + ", ".join(display_name(Path(s)) for s in sources)
            + (f" ({len(corpus.bad)} bad records skipped)" if corpus.bad else "")
            + (f" ({len(corpus.not_english)} not in English)" if corpus.not_english else "")
        )
    return corpus


def _read_source(
    path: Path,
    format: str,
    columns: Mapping[str, str] | None,
    skip_bad: bool,
    cleaner: Cleaner,
    corpus: Corpus,
    found: list[tuple[Paper, str | None]],
) -> None:
    """Add the papers of one source to ``found``, each with its language when it was
    checked, and its notes and bad records to ``corpus``."""
    name = display_name(path)
    try:
        fmt = detect_format(path) if format == "auto" else format
        count = len(found)
        for item, language in cleaner.clean(_read(fmt, path, columns)):
            if isinstance(item, Paper):
                found.append((item, language))
            elif isinstance(item, BadRecord):
                if not skip_bad:
                    raise InputError(str(item))
                corpus.bad.append(item)
            else:
                corpus.notes.append(item)
        if len(found) == count and not skip_bad:
            raise InputError(f"{name}: no papers found (read as {fmt})")
    except InputError as exc:
        if not skip_bad:
            raise
        corpus.bad.append(BadRecord(name, _strip_prefix(str(exc), name)))
        return
    corpus.inputs.append(name if str(path) != STDIN else STDIN)


def _read(
    fmt: str, path: Path, columns: Mapping[str, str] | None
) -> Iterator[Paper | SourceNote | BadRecord]:
    if fmt == csv_table.NAME:
        return csv_table.read(path, columns=columns)
    return READERS[fmt].read(path)


def _first_of_each_id(papers: list[Paper], corpus: Corpus) -> list[Paper]:
    """The first paper of each id; the others go to ``corpus.bad``, naming the one kept.

    Papers that are the same work were merged before; these are different texts under one
    id (``1`` and ``"1"``, two ``NaN``, one id in two files).
    """
    kept: dict[str, Paper] = {}
    for paper in papers:
        first = kept.setdefault(paper.paper_id, paper)
        if first is not paper:
            corpus.bad.append(
                BadRecord(
                    paper.source,
                    f"duplicate id {paper.paper_id!r}: the record at {first.source} has it; "
                    "this one is left out",
                )
            )
    return list(kept.values())


def _strip_prefix(message: str, name: str) -> str:
    return message.removeprefix(f"{name}: ")


def _english(found: list[tuple[Paper, str | None]], corpus: Corpus) -> list[Paper]:
    kept = []
    for paper, checked in found:
        language = checked or language_of(paper)
        if language == "en":
            kept.append(paper)
        else:
            corpus.not_english.append(
                BadRecord(paper.source, f"abstract not in English (looks like {language!r})")
            )
    return kept
