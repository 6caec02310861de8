"""JSON files: an array of records, an API page (``results``/``data``) or one record.

Each record may be a paperkg record (``{"id", "title", "abstract", "date",
"authors", "doi", "url"}``), an OpenAlex work or a Semantic Scholar paper;
see :mod:`graph_builder.ingest.json_record`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from graph_builder.ingest._json import read_records
from graph_builder.ingest.json_record import paper_from_record
from graph_builder.model import BadRecord, Paper

__all__ = ["NAME", "SUFFIXES", "read", "sniff"]

NAME = "json"
SUFFIXES = (".json",)


def sniff(head: str) -> bool:
    """True when the text opens a JSON array, or an object that is not one line of JSON Lines."""
    stripped = head.lstrip()
    if stripped.startswith("["):
        return True
    first_line = stripped.split("\n", 1)[0].rstrip()
    return stripped.startswith("{") and not first_line.endswith("}")


def read(path: Path) -> Iterator[Paper | BadRecord]:
    """Yield one paper per record of the JSON document."""
    yield from read_records(path, paper_from_record)
