"""RIS (``.ris``, and RIS saved as ``.txt``), parsed with `rispy <https://pypi.org/project/rispy/>`_.

Tags read: ``AB`` (or ``N2``) abstract, ``TI``/``T1`` title, ``DA``/``PY``/``Y1``
date, ``DO`` DOI, ``AU``/``A1`` authors, ``UR`` URL, ``ID`` id. The file is cut
into records at ``ER`` lines first, so a malformed record is reported with its
line number and does not spoil the others.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import rispy

from graph_builder.errors import InputError
from graph_builder.ingest._common import (
    RecordProblem,
    display_name,
    make_paper,
    normalise_arxiv_id,
    read_text,
    record,
)
from graph_builder.model import BadRecord, Paper

__all__ = ["NAME", "SUFFIXES", "read", "sniff"]

NAME = "ris"
SUFFIXES = (".ris",)

_START = re.compile(r"^TY  - ")
_END = re.compile(r"^ER  -\s*$")


def sniff(head: str) -> bool:
    """True when the first non-empty line is ``TY  - ...``."""
    first = next((line.strip("\ufeff") for line in head.splitlines() if line.strip()), "")
    return bool(_START.match(first))


def read(path: Path) -> Iterator[Paper | BadRecord]:
    """Yield one paper per ``TY ... ER`` record."""
    name = display_name(path)
    lines = read_text(path).splitlines()
    if not any(_START.match(line) for line in lines):
        raise InputError(f"{name}: no RIS record found (no line starting with 'TY  - ')")
    chunk: list[str] = []
    start = 0
    for number, line in enumerate(lines, start=1):
        if chunk and _START.match(line):
            yield BadRecord(f"{name}: line {start}", "record not closed by an 'ER  -' line")
            chunk = []
        if not chunk:
            if not line.strip():
                continue
            start = number
            if not _START.match(line):
                chunk = [line]
                continue
        chunk.append(line)
        if _END.match(line):
            yield from _record(chunk, name, start)
            chunk = []
    if chunk:
        yield BadRecord(f"{name}: line {start}", "record not closed by an 'ER  -' line")


def _record(chunk: list[str], name: str, start: int) -> Iterator[Paper | BadRecord]:
    where = f"{name}: line {start}"
    if not _START.match(chunk[0]):
        yield BadRecord(where, f"expected 'TY  - ' to open a record, found {chunk[0][:40]!r}")
        return
    yield from record(where, _paper, chunk, source=f"{name}:{start}")


def _paper(chunk: list[str], *, source: str) -> Paper:
    try:
        entries = rispy.loads("\n".join(chunk) + "\n")
    except Exception as exc:  # rispy raises plain IOError/KeyError/ValueError on bad input
        raise RecordProblem(f"malformed RIS record: {exc}") from None
    if len(entries) != 1:
        raise RecordProblem("malformed RIS record")
    entry: dict[str, Any] = entries[0]
    urls = entry.get("urls") or []
    doi = _first(entry, "doi")
    arxiv = next((normalise_arxiv_id(u) for u in urls if "arxiv.org" in u), None)
    return make_paper(
        source=source,
        abstract=_first(entry, "abstract", "notes_abstract"),
        title=_first(entry, "title", "primary_title"),
        paper_id=_first(entry, "id") or None,
        date=_date(_first(entry, "date", "year", "publication_year")) or None,
        authors=tuple(entry.get("authors") or entry.get("first_authors") or ()),
        doi=doi or None,
        arxiv_id=arxiv,
        url=urls[0] if urls else None,
        # T2 (secondary title) is the journal or conference of a JOUR or CONF record
        venue=_first(entry, "journal_name", "secondary_title", "alternate_title3") or None,
        keywords=tuple(k for k in entry.get("keywords") or () if isinstance(k, str)),
    )


def _first(entry: dict[str, Any], *keys: str) -> str:
    for key in keys:
        value = entry.get(key)
        if isinstance(value, list):
            value = " ".join(str(v) for v in value)
        if value:
            return str(value)
    return ""


def _date(value: str) -> str:
    """RIS dates are ``YYYY/MM/DD/other`` with parts left empty: ``2021///``.

    Examples
    --------
    >>> _date("2021/01/04/"), _date("2021///"), _date("2019")
    ('2021-01-04', '2021', '2019')
    """
    parts = [p for p in value.strip().split("/")[:3] if p.strip()]
    if len(parts) == 3 and all(p.strip().isdigit() for p in parts):
        year, month, day = (int(p) for p in parts)
        return f"{year:04d}-{month:02d}-{day:02d}"
    return parts[0].strip() if parts else ""
