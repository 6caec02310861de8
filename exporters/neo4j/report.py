"""What a load did, and the final check that the database holds exactly the graph."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from exporters.neo4j.statements import quote_name
from graph_builder.errors import ExportError
from graph_builder.schema import NODE_KEY, EdgeKind, Label

__all__ = ["LoadReport", "Progress", "check_counts"]

#: ``progress(stage, done, total)``: stage is a label or relationship type.
Progress = Callable[[str, int, int], None]


@dataclass
class LoadReport:
    """What a load did: rows sent, nodes deleted first (``replace``), stale nodes and
    relationships removed at the end, nodes/relationships of each kind now there, and
    ``retries``: transactions the driver ran again after a transient error (a lock
    conflict between the two writers, which the server can report as a deadlock)."""

    rows: int = 0
    deleted: int = 0
    stale_nodes: int = 0
    stale_relationships: int = 0
    stamp: str = ""
    seconds: float = 0.0
    retries: int = 0
    nodes: dict[str, int] = field(default_factory=dict)
    relationships: dict[str, int] = field(default_factory=dict)


def check_counts(
    session: Any,
    nodes: dict[Label, list[dict[str, Any]]],
    relationships: dict[EdgeKind, list[dict[str, Any]]],
    report: LoadReport,
) -> None:
    """The database holds exactly the graph's nodes, and as many relationships of each kind
    (``report.relationships`` counts them by type)."""
    for label, rows in nodes.items():
        keys = [row["key"] for row in rows]
        statement = (
            f"MATCH (n:{quote_name(label.value)}) "
            f"RETURN count(n) AS total, count(CASE WHEN n.{quote_name(NODE_KEY[label])} IN $keys "
            "THEN 1 END) AS loaded"
        )
        record = session.run(statement, keys=keys).single()
        report.nodes[label.value] = record["total"]
        if record["loaded"] != len(keys) or record["total"] != len(keys):
            raise ExportError(
                f"count check failed: {record['total']} {label.value} nodes in the database, "
                f"{record['loaded']} of the graph's {len(keys)}; did another load run meanwhile?"
            )
    for kind, rows in relationships.items():
        rel, source, target = kind
        statement = (
            f"MATCH (:{quote_name(source.value)})-[r:{quote_name(rel.value)}]->"
            f"(:{quote_name(target.value)}) RETURN count(r) AS total"
        )
        total = session.run(statement).single()["total"]
        report.relationships[rel.value] = report.relationships.get(rel.value, 0) + total
        if total != len(rows):
            raise ExportError(
                f"count check failed: {total} {kind} relationships in the database, "
                f"{len(rows)} in the graph; did another load run meanwhile?"
            )
