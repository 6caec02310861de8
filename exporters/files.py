"""Standard graph files: node-link JSON and GraphML, each with a reader for round trips.

Node-link JSON is what :func:`networkx.node_link_graph` reads; GraphML is what
Gephi, Cytoscape and yEd read. GraphML has no lists or nested values, so list
properties (:data:`graph_builder.schema.LIST_PROPERTIES`) and the graph
metadata are stored as JSON text and decoded again by :func:`read_graphml`.

GraphML is XML: only read files you trust, or that paperkg wrote.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx

from exporters._atomic import atomic_path
from graph_builder.errors import ExportError
from graph_builder.model import KnowledgeGraph
from graph_builder.schema import LIST_PROPERTIES

__all__ = ["read_graphml", "read_json", "write_graphml", "write_json"]

_METADATA = "metadata"


def write_json(kg: KnowledgeGraph, path: str | Path) -> None:
    """Write node-link JSON (``nodes``, ``edges``, ``graph``), atomically."""
    data = nx.node_link_data(kg.graph)
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def read_json(path: str | Path) -> KnowledgeGraph:
    """Read a graph written by :func:`write_json`."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return KnowledgeGraph(nx.node_link_graph(data, directed=True, multigraph=True))
    except FileNotFoundError:
        raise ExportError(f"{path}: no such file; run 'paperkg build' first") from None
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise ExportError(f"{path}: not a paperkg graph file ({exc})") from None


def write_graphml(kg: KnowledgeGraph, path: str | Path) -> None:
    """Write GraphML, lists and metadata as JSON text, atomically."""
    graph = nx.MultiDiGraph()
    graph.graph[_METADATA] = json.dumps(kg.metadata, ensure_ascii=False, sort_keys=True)
    graph.add_nodes_from((n, _flatten(d)) for n, d in kg.graph.nodes(data=True))
    graph.add_edges_from(
        (u, v, k, _flatten(d)) for u, v, k, d in kg.graph.edges(keys=True, data=True)
    )
    with atomic_path(path) as tmp:
        nx.write_graphml(graph, tmp, encoding="utf-8")


def read_graphml(path: str | Path) -> KnowledgeGraph:
    """Read a graph written by :func:`write_graphml`."""
    graph = nx.read_graphml(path, force_multigraph=True)
    metadata = json.loads(graph.graph.pop(_METADATA, "{}"))
    kg = KnowledgeGraph(nx.MultiDiGraph(**metadata))
    kg.graph.add_nodes_from((n, _unflatten(d)) for n, d in graph.nodes(data=True))
    kg.graph.add_edges_from(
        (u, v, k, _unflatten(d)) for u, v, k, d in graph.edges(keys=True, data=True)
    )
    return kg


def _flatten(properties: dict[str, Any]) -> dict[str, Any]:
    return {
        k: json.dumps(v, ensure_ascii=False) if k in LIST_PROPERTIES else v
        for k, v in properties.items()
    }


def _unflatten(properties: dict[str, Any]) -> dict[str, Any]:
    return {k: json.loads(v) if k in LIST_PROPERTIES else v for k, v in properties.items()}
