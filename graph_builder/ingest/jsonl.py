"""JSON Lines: one record per line, ``{"id", "title", "abstract", "date"?, ...}``.

A line may also hold an OpenAlex work or a Semantic Scholar paper (the OpenAlex
snapshot is JSON Lines); see :mod:`graph_builder.ingest.json_record`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from graph_builder.ingest._common import RecordProblem, display_name, read_text, record
from graph_builder.ingest.json_record import paper_from_record
from graph_builder.ingest.sanitise import json_int
from graph_builder.model import BadRecord, Paper

__all__ = ["NAME", "SUFFIXES", "read", "sniff"]

NAME = "jsonl"
SUFFIXES = (".jsonl", ".ndjson")


def sniff(head: str) -> bool:
    """True when the first non-empty line looks like a JSON object."""
    first = next((line.strip() for line in head.splitlines() if line.strip()), "")
    return first.startswith("{")


def read(path: Path) -> Iterator[Paper | BadRecord]:
    """Yield one paper per JSON object line; blank lines are skipped.

    Lines end at line feeds only: JSON strings may hold U+2028 and other characters
    that :meth:`str.splitlines` would split at.
    """
    name = display_name(path)
    for number, line in enumerate(read_text(path).split("\n"), start=1):
        if line.strip():
            yield from record(f"{name}: line {number}", _paper, line, source=f"{name}:{number}")


def _paper(line: str, *, source: str) -> Paper:
    try:
        value = json.loads(line, parse_int=json_int)
    except json.JSONDecodeError as exc:
        raise RecordProblem(f"invalid JSON: {exc.msg} (column {exc.colno})") from None
    except RecursionError:
        raise RecordProblem("JSON nested too deeply") from None
    return paper_from_record(value, source=source)
