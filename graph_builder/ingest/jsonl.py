"""JSON Lines: one record per line, ``{"id", "title", "abstract", "date"?, ...}``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from graph_builder.errors import InputError
from graph_builder.ingest._common import make_paper, read_text
from graph_builder.model import Paper

__all__ = ["NAME", "SUFFIXES", "read", "sniff"]

NAME = "jsonl"
SUFFIXES = (".jsonl", ".ndjson")


def sniff(head: str) -> bool:
    """True when the first non-empty line looks like a JSON object."""
    first = next((line.strip() for line in head.splitlines() if line.strip()), "")
    return first.startswith("{")


def read(path: Path) -> Iterator[Paper]:
    """Yield one paper per JSON object line; blank lines are skipped."""
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}: line {number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{where}: invalid JSON: {exc.msg} (column {exc.colno})") from None
        if not isinstance(record, dict):
            raise InputError(f"{where}: expected a JSON object, found {type(record).__name__}")
        yield _paper(record, source=f"{path}:{number}", where=where)


def _paper(record: dict[str, Any], *, source: str, where: str) -> Paper:
    abstract = _text(record, "abstract", where)
    title = _text(record, "title", where)
    if not abstract and not title:
        raise InputError(f"{where}: record has neither 'abstract' nor 'title'")
    record_id = record.get("id")
    authors = record.get("authors") or ()
    if isinstance(authors, str):
        authors = tuple(a.strip() for a in authors.split(",") if a.strip())
    return make_paper(
        source=source,
        abstract=abstract,
        title=title,
        paper_id=str(record_id) if record_id not in (None, "") else None,
        date=str(record.get("date") or record.get("year") or "") or None,
        authors=tuple(str(a) for a in authors),
        doi=record.get("doi") or None,
        url=record.get("url") or None,
    )


def _text(record: dict[str, Any], field: str, where: str) -> str:
    value = record.get(field)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InputError(f"{where}: field '{field}' must be a string, found {type(value).__name__}")
    return value
