"""The ``MENTIONS`` edges of a graph, held in columns rather than as networkx edges.

A map of 33,000 abstracts has about 2 million ``MENTIONS`` edges, four in five of its
edges; as networkx edge dicts they take about 0.8 KB each. :class:`Mentions` keeps
them in typed arrays (:mod:`array`): source and target numbers, ``count``, ``weight``
and the written forms (``spans``) as numbers into a table of distinct forms, about 40
bytes an edge. Each edge's properties are rebuilt as the dict networkx held, with the
same keys in the same order and values of the same types, when it is read.

Edges whose properties do not fit the columns (another property, a weight that is not
a float, ...) are kept whole, so any edge reads back as it was added.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator
from typing import Any

from graph_builder.schema import NAME, TYPE, Rel

__all__ = ["Mentions"]

_NAME = NAME[Rel.MENTIONS]
_COLUMNS = (TYPE, "count", "weight", "spans")
_INT64 = (-(2**63), 2**63 - 1)

Edge = tuple[str, str, dict[str, Any]]


class Mentions:
    """``MENTIONS`` edges ``(paper, concept, properties)`` in insertion order.

    A pair of nodes has at most one ``MENTIONS`` edge (the edge key of the graph is
    its type): adding a pair again updates the first edge's properties, as networkx
    does (done when the edges are next read).
    """

    def __init__(self) -> None:
        self._nodes: list[str] = []
        self._number: dict[str, int] = {}
        self._source = array("i")
        self._target = array("i")
        self._count = array("q")
        self._weight = array("d")
        self._shape = array("B")  # which of the key orders in _shapes the edge has
        self._shapes: list[tuple[str, ...]] = []
        self._forms: list[str] = []
        self._form_number: dict[str, int] = {}
        self._spans = array("i")  # form numbers of every edge's spans, edge after edge
        self._span_end = array("q")  # where each edge's spans end in _spans
        self._whole: dict[int, dict[str, Any]] = {}  # edges that do not fit the columns
        self._by_source: tuple[Any, Any] | None = None
        self._by_target: tuple[Any, Any] | None = None
        self._settled = True  # no pair of nodes added twice since last checked

    def __len__(self) -> int:
        self._settle()
        return len(self._source)

    def add(self, source: str, target: str, data: dict[str, Any]) -> None:
        """Add an edge; ``data`` is the whole property dict, ``type`` included."""
        self._source.append(self._node(source))
        self._target.append(self._node(target))
        spans = data.get("spans", [])
        if self._fits(data):
            self._count.append(data.get("count", 0))
            self._weight.append(data.get("weight", 0.0))
            self._spans.extend(self._form(form) for form in spans)
            self._shape.append(self._shape_of(tuple(data)))
        else:
            self._whole[len(self._source) - 1] = dict(data)
            self._count.append(0)
            self._weight.append(0.0)
            self._shape.append(0)
        self._span_end.append(len(self._spans))
        self._by_source = self._by_target = None
        self._settled = False

    def add_many(self, edges: Iterable[Edge]) -> None:
        """Add ``(source, target, data)`` triples, in order."""
        for source, target, data in edges:
            self.add(source, target, data)

    def edges(self) -> Iterator[Edge]:
        """Every edge, in insertion order."""
        self._settle()
        nodes = self._nodes
        for i, (s, t) in enumerate(zip(self._source, self._target, strict=True)):
            yield nodes[s], nodes[t], self._data(i)

    def of_source(self, node: str) -> Iterator[tuple[str, dict[str, Any]]]:
        """``(target, data)`` of the edges out of ``node``, in insertion order."""
        yield from self._of(node, self._source_index(), self._target)

    def of_target(self, node: str) -> Iterator[tuple[str, dict[str, Any]]]:
        """``(source, data)`` of the edges into ``node``, in insertion order."""
        yield from self._of(node, self._target_index(), self._source)

    def has_source(self, node: str) -> bool:
        """Whether an edge leaves ``node``."""
        return self._degree(node, self._source_index()) > 0

    def targets(self, node: str) -> list[str]:
        """The ends of the edges out of ``node``, in insertion order (no properties)."""
        return self._ends(node, self._source_index(), self._target)

    def sources(self, node: str) -> list[str]:
        """The starts of the edges into ``node``, in insertion order (no properties)."""
        return self._ends(node, self._target_index(), self._source)

    def without(self, nodes: set[str]) -> Mentions:
        """A new store of the edges that neither start nor end at one of ``nodes``."""
        kept = Mentions()
        kept.add_many((s, t, d) for s, t, d in self.edges() if s not in nodes and t not in nodes)
        return kept

    def _node(self, node: str) -> int:
        return _numbered(node, self._number, self._nodes)

    def _form(self, form: str) -> int:
        return _numbered(form, self._form_number, self._forms)

    def _shape_of(self, keys: tuple[str, ...]) -> int:
        if keys not in self._shapes:
            self._shapes.append(keys)
        return self._shapes.index(keys)

    @staticmethod
    def _fits(data: dict[str, Any]) -> bool:
        """Whether every property has its column and a value the column gives back."""
        if not set(data) <= set(_COLUMNS) or data.get(TYPE) != _NAME:
            return False
        count, weight = data.get("count", 0), data.get("weight", 0.0)
        spans = data.get("spans", [])
        return (
            type(count) is int
            and _INT64[0] <= count <= _INT64[1]
            and type(weight) is float
            and type(spans) is list
            and all(type(form) is str for form in spans)
        )

    def _data(self, i: int) -> dict[str, Any]:
        """Edge ``i``'s properties, as added (a new dict each time)."""
        whole = self._whole.get(i)
        if whole is not None:
            return dict(whole)
        start = self._span_end[i - 1] if i else 0
        forms = self._forms
        values = {
            TYPE: _NAME,
            "count": self._count[i],
            "weight": self._weight[i],
            "spans": [forms[f] for f in self._spans[start : self._span_end[i]]],
        }
        shape = self._shapes[self._shape[i]]
        return values if shape == _COLUMNS else {key: values[key] for key in shape}

    def _of(
        self, node: str, index: tuple[Any, Any], ends: array
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        number = self._number.get(node)
        if number is None:
            return
        order, starts = index
        for i in order[starts[number] : starts[number + 1]].tolist():
            yield self._nodes[ends[i]], self._data(i)

    def _ends(self, node: str, index: tuple[Any, Any], ends: array) -> list[str]:
        number = self._number.get(node)
        if number is None:
            return []
        order, starts = index
        nodes = self._nodes
        return [nodes[ends[i]] for i in order[starts[number] : starts[number + 1]].tolist()]

    def _degree(self, node: str, index: tuple[Any, Any]) -> int:
        number = self._number.get(node)
        if number is None:
            return 0
        starts = index[1]
        return int(starts[number + 1] - starts[number])

    def _source_index(self) -> tuple[Any, Any]:
        self._settle()
        if self._by_source is None:
            self._by_source = _grouped(self._source, len(self._nodes))
        return self._by_source

    def _target_index(self) -> tuple[Any, Any]:
        self._settle()
        if self._by_target is None:
            self._by_target = _grouped(self._target, len(self._nodes))
        return self._by_target

    def _settle(self) -> None:
        """Fold the edges of a pair added more than once into the first, as networkx would."""
        if self._settled:
            return
        self._settled = True
        if not _repeats(self._source, self._target, len(self._nodes)):
            return
        merged: dict[tuple[int, int], dict[str, Any]] = {}
        for i, pair in enumerate(zip(self._source, self._target, strict=True)):
            if pair in merged:
                merged[pair].update(self._data(i))
            else:
                merged[pair] = self._data(i)
        nodes, fresh = self._nodes, Mentions()
        fresh.add_many((nodes[s], nodes[t], data) for (s, t), data in merged.items())
        fresh._settle()
        self.__dict__.update(fresh.__dict__)


def _numbered(value: str, numbers: dict[str, int], values: list[str]) -> int:
    """``value``'s number in the table ``values`` (``numbers`` its index), added if new."""
    number = numbers.get(value)
    if number is None:
        number = numbers[value] = len(values)
        values.append(value)
    return number


#: Fewer edges than this are indexed without numpy: importing it costs more (a question
#: answered from the graph index reads a few hundred edges).
_NUMPY_FROM = 20_000


def _repeats(sources: array, targets: array, size: int) -> bool:
    """Whether a pair (source, target) comes more than once."""
    if len(sources) < _NUMPY_FROM:
        return len(set(zip(sources, targets, strict=True))) < len(sources)
    import numpy as np

    pairs = np.frombuffer(sources, dtype=np.int32).astype(np.int64) * size
    pairs += np.frombuffer(targets, dtype=np.int32)
    return len(np.unique(pairs)) < len(pairs)


def _grouped(column: array, size: int) -> tuple[Any, Any]:
    """Edge numbers grouped by ``column``'s value, each group in insertion order, and
    where each value's group starts (``size + 1`` entries): numpy arrays, or
    :class:`array.array` for a few edges."""
    if len(column) < _NUMPY_FROM:
        starts = array("q", bytes(8 * (size + 1)))
        for value in column:
            starts[value + 1] += 1
        for i in range(size):
            starts[i + 1] += starts[i]
        place, order = array("q", starts), array("q", bytes(8 * len(column)))
        for i, value in enumerate(column):
            order[place[value]] = i
            place[value] += 1
        return order, starts
    import numpy as np

    values = np.frombuffer(column, dtype=np.int32)
    order = np.argsort(values, kind="stable")
    starts = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(np.bincount(values, minlength=size), out=starts[1:])
    return order, starts
