"""Loading a JSON document and finding its records."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from graph_builder.errors import InputError
from graph_builder.ingest._common import display_name, read_text, record
from graph_builder.ingest.sanitise import json_int
from graph_builder.model import BadRecord, Paper

__all__ = ["load_json", "read_records", "records_of"]


def load_json(path: Path) -> Any:
    """Parse a whole JSON file; a syntax error names its line and column."""
    text = read_text(path)
    try:
        return json.loads(text, parse_int=json_int)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{display_name(path)}: line {exc.lineno}: invalid JSON: {exc.msg} (column {exc.colno})"
        ) from None
    except RecursionError:
        raise InputError(f"{display_name(path)}: JSON nested too deeply") from None


def records_of(value: Any, where: str) -> list[Any]:
    """The records of a parsed JSON document: a list, an API page or one record.

    OpenAlex pages hold their works in ``results``, Semantic Scholar search and
    batch pages in ``data``.
    """
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        is_record = any(k in value for k in ("abstract", "title", "abstract_inverted_index"))
        for key in ("results", "data"):
            if isinstance(value.get(key), list) and not is_record:
                return value[key]
        return [value]
    raise InputError(f"{where}: expected a JSON object or array, found {type(value).__name__}")


def read_records(path: Path, convert: Callable[..., Paper]) -> Iterator[Paper | BadRecord]:
    """Yield ``convert(record, source=...)`` for each record of a JSON file."""
    name = display_name(path)
    for number, item in enumerate(records_of(load_json(path), name), start=1):
        yield from record(f"{name}: record {number}", convert, item, source=f"{name}#{number}")
