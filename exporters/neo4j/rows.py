"""The rows a load sends (``{key, props}`` per node, ``{source, target, props}`` per
relationship) and the load's stamp."""

from __future__ import annotations

import datetime
import hashlib
import json
from pathlib import Path
from typing import Any

from exporters._values import STORED, store_values
from graph_builder.errors import ExportError
from graph_builder.model import KnowledgeGraph
from graph_builder.schema import LABEL, NODE_KEY, TYPE, EdgeKind, Label, edge_kind, edge_kinds

__all__ = ["file_stamp", "graph_rows", "load_stamp", "node_rows", "relationship_rows"]

#: Value types stored as they are: the common case, checked in one pass in C.
_PLAIN = frozenset({str, int, float, bool, list, datetime.date})


def _properties(data: dict[str, Any], drop: str) -> dict[str, Any]:
    """Neo4j property values: no ``None`` (absent), lists as lists, no nested maps; dates
    and bursts as :func:`exporters._values.store_values` makes them."""
    props = dict(data)
    props.pop(drop, None)
    if not STORED.isdisjoint(props):
        props = store_values(props)
    if _PLAIN.issuperset(map(type, props.values())):
        return props
    props = {name: value for name, value in props.items() if value is not None}
    for name, value in props.items():
        if isinstance(value, tuple):
            props[name] = list(value)
        elif isinstance(value, dict):
            raise ExportError(f"property {name!r} is a map; Neo4j properties cannot hold maps")
    return props


def node_rows(kg: KnowledgeGraph, label: Label) -> list[dict[str, Any]]:
    """One ``{key, props}`` row per node of ``label``, in graph order."""
    key = NODE_KEY[label]
    return [{"key": d[key], "props": _properties(d, LABEL)} for _, d in kg.nodes(label)]


def relationship_rows(kg: KnowledgeGraph, kind: EdgeKind) -> list[dict[str, Any]]:
    """One ``{source, target, props}`` row per edge of ``kind``, endpoints by key."""
    nodes = kg.graph.nodes
    source, target = kind.source.value, kind.target.value
    return [
        {
            "source": nodes[u][NODE_KEY[kind.source]],
            "target": nodes[v][NODE_KEY[kind.target]],
            "props": _properties(d, TYPE),
        }
        for u, v, d in kg.edges(kind.rel)
        if nodes[u].get(LABEL) == source and nodes[v].get(LABEL) == target
    ]


def graph_rows(
    kg: KnowledgeGraph,
) -> tuple[dict[Label, list[dict[str, Any]]], dict[EdgeKind, list[dict[str, Any]]]]:
    """:func:`node_rows` of every label and :func:`relationship_rows` of every kind of
    relationship, in one pass over the graph (a big graph has a million edges)."""
    labels = {label.value: label for label in Label}
    nodes: dict[Label, list[dict[str, Any]]] = {label: [] for label in Label}
    keys: dict[Any, Any] = {}  # node id -> key, for the nodes with one of paperkg's labels
    for node, data in kg.graph.nodes(data=True):
        label = labels.get(data.get(LABEL))
        if label is not None:
            keys[node] = key = data[NODE_KEY[label]]
            nodes[label].append({"key": key, "props": _properties(data, LABEL)})
    relationships: dict[EdgeKind, list[dict[str, Any]]] = {kind: [] for kind in edge_kinds()}
    types = {kind.rel.value for kind in relationships}
    node_data = kg.graph.nodes
    for u, v, rel, data in kg.view.edges(keys=True, data=True):
        if rel in types:
            # An end without a label of paperkg's has no key here: the row matches no node.
            kind = edge_kind(rel, node_data[u].get(LABEL), node_data[v].get(LABEL))
            row = {"source": keys.get(u), "target": keys.get(v), "props": _properties(data, TYPE)}
            relationships[kind].append(row)
    return nodes, relationships


def load_stamp(
    nodes: dict[Label, list[dict[str, Any]]], relationships: dict[EdgeKind, list[dict[str, Any]]]
) -> str:
    """The load's id: 16 hex digits of the SHA-256 of every row, so the same graph gets the same."""
    digest = hashlib.sha256()
    for name, rows in [*nodes.items(), *relationships.items()]:
        digest.update(str(name).encode())
        digest.update(json.dumps(rows, ensure_ascii=False, sort_keys=True, default=str).encode())
    return digest.hexdigest()[:16]


def file_stamp(path: str | Path) -> str:
    """A load's id for the graph in a file: 16 hex digits of the SHA-256 of its bytes.

    Cheaper than :func:`load_stamp` for a big graph, and as good: a different
    graph is a different file. (The same graph written differently gets another
    stamp, which only re-stamps everything.)
    """
    digest = hashlib.sha256()
    with Path(path).open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()[:16]
