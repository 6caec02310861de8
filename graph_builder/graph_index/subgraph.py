"""The few nodes and edges a question reads from the index, held as networkx would hold them.

Importing networkx costs half a second of CPU, more than answering a question from the
index; the navigation and ranking functions that answer it read only these parts of a
:class:`networkx.MultiDiGraph`: ``graph`` (the metadata), ``nodes`` (``nodes[n]``,
``nodes.get(n)``, ``nodes(data=True)``), and ``in_edges``/``out_edges`` of one node with
``keys=True, data=True``. :class:`Subgraph` has exactly those, in networkx's orders: nodes as
added, a node's edges by neighbour as first linked, then by key as added.
"""

from __future__ import annotations

from collections.abc import ItemsView, Iterator, KeysView
from typing import Any

__all__ = ["Subgraph"]

#: ``(source, target, key, properties)`` of an edge, as networkx yields it.
Edge = tuple[str, str, str, dict[str, Any]]


class _Nodes(dict[str, dict[str, Any]]):
    """Each node's properties; called like networkx's node view, for the nodes or the
    ``(node, properties)`` pairs."""

    def __call__(self, data: bool = False) -> KeysView[str] | ItemsView[str, dict[str, Any]]:
        return self.items() if data else self.keys()


class Subgraph:
    """A small directed multigraph with the part of networkx's interface listed above."""

    def __init__(self) -> None:
        self.graph: dict[str, Any] = {}
        self.nodes = _Nodes()
        self._succ: dict[str, dict[str, dict[str, dict[str, Any]]]] = {}
        self._pred: dict[str, dict[str, dict[str, dict[str, Any]]]] = {}

    def add_node(self, node: str, **properties: Any) -> None:
        if node in self.nodes:
            self.nodes[node].update(properties)
        else:
            self.nodes[node] = properties
            self._succ[node], self._pred[node] = {}, {}

    def add_edge(self, source: str, target: str, key: str, **properties: Any) -> None:
        for node in (source, target):
            if node not in self.nodes:
                self.add_node(node)
        keyed = self._succ[source].get(target)
        if keyed is None:  # one dict of keys for both directions, as networkx keeps them
            keyed = self._succ[source][target] = self._pred[target][source] = {}
        keyed.setdefault(key, {}).update(properties)

    def out_edges(self, node: str, *, keys: bool, data: bool) -> Iterator[Edge]:
        """``(node, target, key, properties)`` of the edges out of ``node``; only with
        ``keys=True, data=True``."""
        _check(keys, data)
        for target, keyed in self._succ[node].items():
            for key, properties in keyed.items():
                yield node, target, key, properties

    def in_edges(self, node: str, *, keys: bool, data: bool) -> Iterator[Edge]:
        """``(source, node, key, properties)`` of the edges into ``node``; only with
        ``keys=True, data=True``."""
        _check(keys, data)
        for source, keyed in self._pred[node].items():
            for key, properties in keyed.items():
                yield source, node, key, properties


def _check(keys: bool, data: bool) -> None:
    if not (keys and data):
        raise NotImplementedError("Subgraph lists edges with keys=True, data=True only")
