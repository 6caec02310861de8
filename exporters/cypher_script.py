"""A Cypher script that loads the graph offline: ``cypher-shell -f graph.cypher``.

The script runs the same statements as :mod:`exporters.neo4j` (constraints and
indexes, then ``UNWIND [...] AS row MERGE ...`` batches of nodes, then of
relationships), with the rows written as Cypher literals instead of
parameters, so it is idempotent too. Every string is a quoted literal with
backslash escapes (:func:`literal`), so no value can end a string or a
statement early. Each statement ends with ``;`` at the end of a line and no
literal holds a raw line break.

Examples
--------
>>> literal({"name": "it's", "n": [1, 2.5, True, None]})
"{`name`: 'it\\\\'s', `n`: [1, 2.5, true, null]}"
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from exporters._atomic import atomic_path
from exporters.neo4j import (
    node_rows,
    node_statement,
    quote_name,
    relationship_rows,
    relationship_statement,
    schema_statements,
)
from graph_builder.errors import ExportError
from graph_builder.model import KnowledgeGraph
from graph_builder.schema import Label, Rel

__all__ = ["ROWS_PER_STATEMENT", "literal", "statements", "write"]

#: Rows per ``UNWIND`` statement (cypher-shell runs each in its own transaction).
ROWS_PER_STATEMENT = 500

_ESCAPES = {
    "\\": "\\\\",
    "'": "\\'",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}


def _string(text: str) -> str:
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0 or char in "\u2028\u2029":
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "'" + "".join(out) + "'"


def literal(value: Any) -> str:
    """Write a property value (or a row of them) as a Cypher literal."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ExportError(f"{value} has no Cypher literal")
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{quote_name(k)}: {literal(v)}" for k, v in value.items()) + "}"
    raise ExportError(f"cannot write a {type(value).__name__} as a Cypher literal")


def _unwind(statement: str, rows: list[dict[str, Any]]) -> list[str]:
    body = statement.removeprefix("UNWIND $rows AS row ")
    return [
        "UNWIND [\n"
        + ",\n".join(literal(row) for row in rows[start : start + ROWS_PER_STATEMENT])
        + f"\n] AS row {body};"
        for start in range(0, len(rows), ROWS_PER_STATEMENT)
    ]


def statements(kg: KnowledgeGraph) -> list[str]:
    """Every statement of the script, in order, each ending with ``;``."""
    result = [f"{s};" for s in schema_statements()]
    for label in Label:
        result += _unwind(node_statement(label), node_rows(kg, label))
    for rel in Rel:
        result += _unwind(relationship_statement(rel), relationship_rows(kg, rel))
    return result


def write(kg: KnowledgeGraph, path: str | Path) -> None:
    """Write the script to ``path``, atomically."""
    header = (
        "// paperkg graph for Neo4j 5: run with `cypher-shell -f graph.cypher` (add -d DATABASE).\n"
        "// Idempotent: MERGE on the schema's keys, so running it again changes nothing.\n"
    )
    with atomic_path(path) as tmp:
        tmp.write_text(header + "\n".join(statements(kg)) + "\n", encoding="utf-8")
