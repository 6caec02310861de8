"""CSV and TSV tables with a header row, including Scopus, Web of Science and Zotero exports.

The header names which column holds which field; the names below are
recognised in any case, spacing or punctuation (``Abstract Note``,
``abstract_note``). ``columns`` (``--columns abstract=Summary,title=Name``)
overrides the detection. A table must have an abstract column; a row without
an abstract is kept when it has a title.

==========  ====================================================================
field       header names recognised
==========  ====================================================================
id          id, paper_id, key (Zotero), eid (Scopus), ut (Web of Science)
title       title, ti, article title, document title
abstract    abstract, ab, abstract note (Zotero), summary, description
date        date, publication date, pd, date published
year        year, py, publication year
doi         doi, di
authors     authors, author, au, author full names, af; split on ``;``
arxiv_id    arxiv_id, arxiv, eprint
url         url, link
==========  ====================================================================

The delimiter is a tab for ``.tsv`` and Web of Science's tab-delimited
``.txt`` exports, else whichever of ``,``, ``;`` and tab splits the header
line into most columns.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

from graph_builder.errors import ConfigError, InputError
from graph_builder.ingest._common import (
    MAX_FIELD_CHARS,
    RecordProblem,
    display_name,
    make_paper,
    read_text,
    record,
    split_authors,
)
from graph_builder.model import BadRecord, Paper

__all__ = ["FIELDS", "NAME", "SUFFIXES", "check_columns", "parse_columns", "read", "sniff"]

NAME = "csv"
SUFFIXES = (".csv", ".tsv", ".tab")

#: The fields a column can hold, and the header names that mean each.
FIELDS: dict[str, tuple[str, ...]] = {
    "id": ("id", "paperid", "key", "eid", "ut", "uniquewosid", "accessionnumber"),
    "title": ("title", "ti", "articletitle", "documenttitle", "papertitle"),
    "abstract": ("abstract", "ab", "abstractnote", "summary", "description"),
    "date": ("date", "publicationdate", "pd", "datepublished", "published"),
    "year": ("year", "py", "publicationyear", "pubyear"),
    "doi": ("doi", "di"),
    "authors": ("authors", "author", "au", "af", "authorfullnames"),
    "arxiv_id": ("arxivid", "arxiv", "eprint"),
    "url": ("url", "link"),
}
_WOS_HEADER = re.compile(r"^\ufeff?(PT|FN)\t(AU|BA|GP|VR)\b")
_NOT_ALNUM = re.compile(r"[\W_]+")


def _normalise(header: str) -> str:
    return _NOT_ALNUM.sub("", header.casefold())


def sniff(head: str) -> bool:
    """True when the first line is a header naming an abstract or title column."""
    first = next(iter(head.lstrip("\ufeff").splitlines()), "")
    if _WOS_HEADER.match(first):
        return True
    try:
        header = next(csv.reader([first], delimiter=_delimiter(first, None)), [])
    except csv.Error:
        return False
    names = {_normalise(h) for h in header}
    return len(names) > 1 and bool(names & {*FIELDS["abstract"], *FIELDS["title"]} - {"ab", "ti"})


def parse_columns(text: str) -> dict[str, str]:
    """Parse ``--columns``: ``field=Header,field=Header``.

    Examples
    --------
    >>> parse_columns("abstract=Summary, title=Name")
    {'abstract': 'Summary', 'title': 'Name'}
    """
    columns = {}
    for part in text.split(","):
        if not part.strip():
            continue
        field, sep, header = part.partition("=")
        if not sep or not header.strip():
            raise ConfigError(
                f"--columns: {part.strip()!r} is not FIELD=HEADER; fields: {', '.join(FIELDS)}"
            )
        columns[field.strip()] = header.strip()
    check_columns(columns)
    return columns


def check_columns(columns: Mapping[str, str]) -> None:
    """Raise :class:`ConfigError` when ``columns`` names a field that does not exist."""
    for field in columns:
        if field not in FIELDS:
            raise ConfigError(
                f"--columns: unknown field {field!r}; choose from: {', '.join(FIELDS)}"
            )


def _delimiter(header: str, path: Path | None) -> str:
    if (path and path.suffix.lower() in (".tsv", ".tab")) or _WOS_HEADER.match(header):
        return "\t"
    return max((",", ";", "\t"), key=header.count)


def read(path: Path, *, columns: Mapping[str, str] | None = None) -> Iterator[Paper | BadRecord]:
    """Yield one paper per data row of the table."""
    name = display_name(path)
    text = read_text(path)
    header_line = text.split("\n", 1)[0]
    rows = csv.reader(
        io.StringIO(text, newline=""), delimiter=_delimiter(header_line, path), strict=True
    )
    old_limit = csv.field_size_limit()
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    try:
        try:
            header = next(rows)
        except csv.Error as exc:
            raise InputError(f"{name}: line 1: malformed header: {exc}") from None
        index = _columns(header, columns or {}, name)
        line = rows.line_num
        while True:
            try:
                row = next(rows)
            except StopIteration:
                break
            except csv.Error as exc:  # a bad record; reading goes on at the next line
                yield BadRecord(f"{name}: line {rows.line_num}", f"malformed CSV: {exc}")
                line = rows.line_num
                continue
            start, line = line + 1, rows.line_num
            if not any(cell.strip() for cell in row):
                continue
            yield from record(
                f"{name}: line {start}", _paper, row, index, len(header), source=f"{name}:{start}"
            )
    finally:
        csv.field_size_limit(old_limit)


def _columns(header: list[str], columns: Mapping[str, str], name: str) -> dict[str, int]:
    normalised = [_normalise(h) for h in header]
    index: dict[str, int] = {}
    for field, names in FIELDS.items():
        if field in columns:
            wanted = _normalise(columns[field])
            if wanted not in normalised:
                raise InputError(
                    f"{name}: line 1: no column {columns[field]!r} for {field}; "
                    f"columns: {', '.join(header)}"
                )
            index[field] = normalised.index(wanted)
            continue
        for candidate in names:
            if candidate in normalised:
                index[field] = normalised.index(candidate)
                break
    if "abstract" not in index:
        shown = ", ".join(h[:40] for h in header[:20]) + (", ..." if len(header) > 20 else "")
        raise InputError(
            f"{name}: line 1: no abstract column (columns: {shown}); "
            "name it with --columns abstract=HEADER"
        )
    return index


def _paper(row: list[str], index: dict[str, int], width: int, *, source: str) -> Paper:
    if len(row) != width:
        raise RecordProblem(f"{len(row)} fields, but the header has {width}")
    big = next((i for i, cell in enumerate(row) if len(cell) > MAX_FIELD_CHARS), None)
    if big is not None:
        raise RecordProblem(
            f"field {big + 1} is {len(row[big]):,} characters long; the limit is "
            f"{MAX_FIELD_CHARS:,}"
        )

    def get(field: str) -> str:
        return row[index[field]].strip() if field in index else ""

    return make_paper(
        source=source,
        abstract=get("abstract"),
        title=get("title"),
        paper_id=get("id") or None,
        date=get("date") or get("year") or None,
        authors=split_authors(get("authors")),
        doi=get("doi") or None,
        arxiv_id=get("arxiv_id") or None,
        url=get("url") or None,
    )
