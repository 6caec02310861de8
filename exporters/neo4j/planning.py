"""Which rows each writer sends, in which order: rows split so that writers side by side
never create the same node and rarely wait for each other's locks."""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Any

from exporters.neo4j.statements import node_write_statement, relationship_write_statement
from graph_builder.schema import EdgeKind, Label, Rel

__all__ = ["Ids", "Job", "Stage", "node_stages", "plan", "relationship_stages"]

#: Element ids by key, for every label: the nodes already there, then those the load wrote.
Ids = dict[Label, dict[Any, str]]


@dataclass
class Stage:
    """The rows of one label or type, split into those to create and those to merge."""

    item: Label | EdgeKind
    total: int
    parts: list[tuple[str, list[dict[str, Any]]]]


def node_stages(existing: Ids, nodes: dict[Label, list[dict[str, Any]]]) -> list[Stage]:
    """Per label: rows whose key is new to the database, to create; the others, with their
    element ids, to update."""
    stages = []
    for label, rows in nodes.items():
        ids = existing[label]
        created = [row for row in rows if row["key"] not in ids]
        merged = [{**row, "id": ids[row["key"]]} for row in rows if row["key"] in ids]
        parts = [
            (node_write_statement(label, create=True), created),
            (node_write_statement(label), merged),
        ]
        stages.append(Stage(label, len(rows), parts))
    return stages


def relationship_stages(
    existing: Ids, ids: Ids, relationships: dict[EdgeKind, list[dict[str, Any]]]
) -> list[Stage]:
    """Per kind of relationship: the rows with their ends as element ids (``None`` for an end
    the graph does not have as a node, which then matches nothing), split into those with a
    node new to the database at one end, to create, and the others, to merge. The rows are
    changed in place."""
    stages = []
    for kind, rows in relationships.items():
        _, source, target = kind
        old_sources, old_targets = existing[source], existing[target]
        source_ids, target_ids = ids[source], ids[target]
        created, merged = [], []
        for row in rows:
            old = row["source"] in old_sources and row["target"] in old_targets
            (merged if old else created).append(row)
            row["source"] = source_ids.get(row["source"])
            row["target"] = target_ids.get(row["target"])
        parts = [
            (relationship_write_statement(kind, create=True), created),
            (relationship_write_statement(kind), merged),
        ]
        stages.append(Stage(kind, len(rows), parts))
    return stages


#: One writer's work: (label or kind of relationship, statement, rows), written in this order.
Job = list[tuple[Label | EdgeKind, str, list[dict[str, Any]]]]


#: The type between papers and concepts, split between writers by its target; every other
#: type goes to a lane of types whose nodes no other lane touches (:func:`plan`).
_SPLIT_TYPES = (Rel.MENTIONS,)


def _split(
    rows: list[dict[str, Any]], field: str, order: str | None, parts: int
) -> list[list[dict[str, Any]]]:
    """Rows in up to ``parts`` groups by a stable hash of ``row[field]``, each sorted by ``order``.

    Grouped by their target node and sorted by their source node, relationships
    of two writers never lock the same target, and lock shared sources in the
    same order, so the writers mostly wait for each other rather than deadlock
    (the server's own locks still make it report one now and then).
    """
    groups: list[list[dict[str, Any]]] = [[] for _ in range(parts)]
    for row in rows:
        groups[zlib.crc32(str(row[field]).encode()) % parts].append(row)
    if order is not None:
        for group in groups:
            group.sort(key=lambda row: str(row[order]))
    return [group for group in groups if group]


def _lanes(kinds: list[EdgeKind]) -> tuple[list[list[EdgeKind]], list[EdgeKind]]:
    """``kinds`` grouped so that no two groups have a node label in common, and the kinds
    left for later: those that would join two groups into one (``Paper-IN_TOPIC->Topic``
    would join the papers' and the concepts' groups, and one writer would do both)."""
    lanes: list[tuple[set[Label], list[EdgeKind]]] = []
    later = []
    for kind in kinds:
        labels = {kind.source, kind.target}
        joined = [lane for lane in lanes if lane[0] & labels]
        if len(joined) > 1:
            later.append(kind)
        elif joined:
            joined[0][0].update(labels)
            joined[0][1].append(kind)
        else:
            lanes.append((labels, [kind]))
    return [group for _, group in lanes], later


def plan(stages: list[Stage], workers: int, batch_size: int) -> list[list[Job]]:
    """Phases, one after the other, each of jobs that run side by side on separate nodes.

    Nodes of a label, split by key (no two writers create the same node); the
    split types, by target; then the other kinds of relationship, one writer per
    lane (lanes share no node), and the kinds that would join two lanes after them.
    """
    phases: list[list[Job]] = []
    for stage in stages:
        if isinstance(stage.item, Label) or stage.item.rel in _SPLIT_TYPES:
            field, order = ("key", None) if isinstance(stage.item, Label) else ("target", "source")
            for statement, rows in stage.parts:
                parts = workers if len(rows) > batch_size else 1
                groups = _split(rows, field, order, parts) if parts > 1 else [rows]
                phases.append([[(stage.item, statement, group)] for group in groups])
    by_kind = {stage.item: stage for stage in stages if isinstance(stage.item, EdgeKind)}
    remaining = [kind for kind in by_kind if kind.rel not in _SPLIT_TYPES]
    while remaining:
        lanes, remaining = _lanes(remaining) if workers > 1 else ([remaining], [])
        parts = [[(kind, *part) for kind in lane for part in by_kind[kind].parts] for lane in lanes]
        phases.append(parts)
    return [[job for job in phase if any(rows for _, _, rows in job)] for phase in phases]
