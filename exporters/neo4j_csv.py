"""CSV files for ``neo4j-admin database import full``: the fastest way into an empty database.

One node file per label and one relationship file per type and pair of labels
(:class:`~graph_builder.schema.EdgeKind`: ``relationships-IN_TOPIC.csv`` from concepts,
``relationships-IN_TOPIC-Paper-Topic.csv`` from papers), each with its
header line (``paper_id:ID(Paper)``, ``year:int``, ``authors:string[]``,
``:START_ID(Paper)``, ...), plus ``import.sh`` holding the exact command.
Each label has its own id space, keyed by the schema's node key. Lists are
joined with the unit separator U+001F (``--array-delimiter=U+001F``), which
plain text never holds; fields with line breaks are quoted
(``--multiline-fields=true``).
"""

from __future__ import annotations

import csv
import datetime
import shlex
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from exporters._atomic import staged_directory
from exporters.neo4j import node_rows, relationship_rows
from graph_builder.errors import ExportError
from graph_builder.model import KnowledgeGraph
from graph_builder.schema import NODE_KEY, EdgeKind, Label, edge_kinds

__all__ = ["ARRAY_DELIMITER", "import_command", "write"]

ARRAY_DELIMITER = "\x1f"


def _type(values: list[Any]) -> str:
    """The neo4j-admin type of a column from all its values."""
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, list) for v in present):
        items = [x for v in present for x in v]
        return _type(items) + "[]" if items and _type(items) != "string" else "string[]"
    if present and all(isinstance(v, datetime.date) for v in present):
        return "date"
    if present and all(isinstance(v, bool) for v in present):
        return "boolean"
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return "long"
    if present and all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        return "double"
    return "string"


def _cell(value: Any, kind: str, where: str) -> str:
    if value is None:
        return ""
    if kind.endswith("[]"):
        items = [str(v) for v in value]
        if any(ARRAY_DELIMITER in item for item in items):
            raise ExportError(f"{where}: a list item holds the array delimiter U+001F")
        return ARRAY_DELIMITER.join(items)
    if kind == "boolean":
        return "true" if value else "false"
    return str(value)


def _columns(rows: list[dict[str, Any]], skip: str | None) -> list[tuple[str, str]]:
    names = sorted({name for row in rows for name in row["props"] if name != skip})
    return [(name, _type([row["props"].get(name) for row in rows])) for name in names]


def _node_file(kg: KnowledgeGraph, label: Label, path: Path) -> None:
    rows = node_rows(kg, label)
    key = NODE_KEY[label]
    columns = _columns(rows, key)
    header = [f"{key}:ID({label.value})", *(f"{n}:{t}" for n, t in columns), ":LABEL"]
    lines = (
        [row["key"], *_cells(row, columns, f"{label.value} {row['key']!r}"), label.value]
        for row in rows
    )
    _write_csv(path, header, lines)


def _relationship_file(kind: EdgeKind, rows: list[dict[str, Any]], path: Path) -> None:
    rel, source, target = kind
    columns = _columns(rows, None)
    header = [
        f":START_ID({source.value})",
        *(f"{n}:{t}" for n, t in columns),
        f":END_ID({target.value})",
        ":TYPE",
    ]
    lines = (
        [
            row["source"],
            *_cells(row, columns, f"{rel.value} {row['source']!r} -> {row['target']!r}"),
            row["target"],
            rel.value,
        ]
        for row in rows
    )
    _write_csv(path, header, lines)


def _cells(row: dict[str, Any], columns: list[tuple[str, str]], where: str) -> list[str]:
    return [_cell(row["props"].get(name), kind, where) for name, kind in columns]


def _write_csv(path: Path, header: list[str], lines: Iterable[list[Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(lines)


def import_command(
    nodes: list[str], relationships: list[str], database: str = "neo4j", directory: str = "."
) -> str:
    """The ``neo4j-admin`` command that imports these node and relationship files.

    >>> print(import_command(["nodes-Paper.csv"], [], directory="out"))  # doctest: +ELLIPSIS
    neo4j-admin database import full neo4j --array-delimiter=U+001F ... --nodes=out/nodes-Paper.csv
    """
    parts = [
        "neo4j-admin database import full",
        shlex.quote(database),
        "--array-delimiter=U+001F",
        "--multiline-fields=true",
        *(f"--nodes={shlex.quote(str(Path(directory) / n))}" for n in nodes),
        *(f"--relationships={shlex.quote(str(Path(directory) / r))}" for r in relationships),
    ]
    return " ".join(parts)


def write(kg: KnowledgeGraph, directory: str | Path) -> None:
    """Write the CSV files and ``import.sh`` into ``directory``, all or nothing."""
    counts = kg.counts()
    nodes = [f"nodes-{label.value}.csv" for label in Label if counts[label]]
    rows = {kind: relationship_rows(kg, kind) for kind in edge_kinds() if counts[kind.rel]}
    relationships = [f"relationships-{kind}.csv" for kind, found in rows.items() if found]
    with staged_directory(directory) as staging:
        for label in Label:
            if counts[label]:
                _node_file(kg, label, staging / f"nodes-{label.value}.csv")
        for kind, found in rows.items():
            if found:
                _relationship_file(kind, found, staging / f"relationships-{kind}.csv")
        script = staging / "import.sh"
        script.write_text(
            "#!/bin/sh\n"
            "# Import into an EMPTY, STOPPED database (neo4j-admin refuses a database that has\n"
            "# data). Run from this directory; add --overwrite-destination to replace one.\n"
            'cd "$(dirname "$0")"\n' + import_command(nodes, relationships) + "\n",
            encoding="utf-8",
        )
        script.chmod(0o755)
