"""A Cypher script that loads the graph offline: ``cypher-shell -f graph.cypher``.

The script runs the same statements as :mod:`exporters.neo4j` (constraints and
indexes, then ``UNWIND [...] AS row MERGE ...`` batches of nodes, then of
relationships, each stamped with the load's stamp, then the removal of paperkg's
nodes and relationships with another stamp), with the rows and the stamp written
as Cypher literals instead of parameters, so it is idempotent too and leaves the
database as ``paperkg neo4j`` does. The removal runs ``CALL { ... } IN
TRANSACTIONS``, which needs the auto-commit transactions cypher-shell uses.
Every string is a quoted literal with backslash escapes (:func:`literal`), so
no value can end a string or a statement early. Each statement ends with ``;``
at the end of a line and no literal holds a raw line break.

Examples
--------
>>> literal({"name": "it's", "n": [1, 2.5, True, None]})
"{`name`: 'it\\\\'s', `n`: [1, 2.5, true, null]}"
"""

from __future__ import annotations

import datetime
import math
from pathlib import Path
from typing import Any

from exporters._atomic import atomic_path
from exporters.neo4j import (
    graph_rows,
    load_stamp,
    node_statement,
    quote_name,
    relationship_statement,
    schema_statements,
)
from graph_builder.errors import ExportError
from graph_builder.model import KnowledgeGraph
from graph_builder.schema import LOAD_STAMP, Label, edge_kinds

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
    if isinstance(value, datetime.date):
        return f"date('{value.isoformat()}')"
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
    nodes, relationships = graph_rows(kg)
    stamp = literal(load_stamp(nodes, relationships))
    result = [f"{s};" for s in schema_statements()]
    for label, rows in nodes.items():
        result += _unwind(node_statement(label, stamp=stamp), rows)
    for kind, rows in relationships.items():
        result += _unwind(relationship_statement(kind, stamp=stamp), rows)
    return result + _removals(stamp)


def _removals(stamp: str) -> list[str]:
    """Delete paperkg's nodes, then relationships between them, of another stamp."""
    stale = f"coalesce(x.{quote_name(LOAD_STAMP)}, '') <> {stamp}"
    result = [
        f"MATCH (x:{quote_name(label.value)}) WHERE {stale} "
        f"CALL {{ WITH x DETACH DELETE x }} IN TRANSACTIONS OF {ROWS_PER_STATEMENT * 20} ROWS;"
        for label in Label
    ]
    for rel, source, target in edge_kinds():
        result.append(
            f"MATCH (:{quote_name(source.value)})-[x:{quote_name(rel.value)}]->"
            f"(:{quote_name(target.value)}) WHERE {stale} "
            f"CALL {{ WITH x DELETE x }} IN TRANSACTIONS OF {ROWS_PER_STATEMENT * 20} ROWS;"
        )
    return result


def write(kg: KnowledgeGraph, path: str | Path) -> None:
    """Write the script to ``path``, atomically."""
    header = (
        "// paperkg graph for Neo4j 5: run with `cypher-shell -f graph.cypher` (add -d DATABASE).\n"
        "// Idempotent: MERGE on the schema's keys, so running it again changes nothing, and\n"
        "// it ends by deleting paperkg's nodes and relationships that this graph does not have.\n"
    )
    with atomic_path(path) as tmp:
        tmp.write_text(header + "\n".join(statements(kg)) + "\n", encoding="utf-8")
