"""Plain data that flows between the stages: papers in, a knowledge graph out."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from typing import TYPE_CHECKING, Any

from graph_builder.mentions import Mentions
from graph_builder.schema import LABEL, NAME, NODE_KEY, PROMINENCE, TYPE, Label, Rel, node_id

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "BadRecord",
    "Corpus",
    "GraphView",
    "KnowledgeGraph",
    "Paper",
    "SourceNote",
    "concept_order",
]


@dataclass(frozen=True, slots=True)
class Paper:
    """One input record, its text already cleaned to plain text.

    ``paper_id`` is the record's own id when it has one (arXiv id, DOI, the
    ``id`` field of a JSON record), else a stable hash of its title and
    abstract. ``source`` says where it came from, as ``file:line`` (``file#n``
    for the n-th record of a JSON or XML file; merged duplicates list every
    source, separated by ``; ``). ``title_only`` flags a record kept for its
    title because it has no abstract. ``categories`` (arXiv categories, fields of
    study), ``venue`` (journal or conference), ``keywords`` (given by the authors)
    and ``references`` (ids of the cited works: OpenAlex or Semantic Scholar ids,
    DOIs, arXiv ids) are kept as the input gives them. ``merged_ids`` are the ids
    of the duplicate records merged into this paper, so references to them find it.
    """

    paper_id: str
    abstract: str
    title: str = ""
    date: str | None = None
    year: int | None = None
    authors: tuple[str, ...] = ()
    doi: str | None = None
    arxiv_id: str | None = None
    url: str | None = None
    source: str = ""
    truncated: bool = False
    title_only: bool = False
    categories: tuple[str, ...] = ()
    venue: str | None = None
    keywords: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    merged_ids: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """Title and abstract, the text concepts are extracted from."""
        if self.title and self.abstract:
            return f"{self.title.rstrip('.')}. {self.abstract}"
        return self.title or self.abstract


@dataclass(frozen=True, slots=True)
class SourceNote:
    """Something an input says that is not a paper (a heading, a reference paper)."""

    source: str
    kind: str
    text: str
    date: str | None = None


@dataclass(frozen=True, slots=True)
class BadRecord:
    """A record a reader could not turn into a paper: where it is and what is wrong."""

    where: str
    problem: str

    def __str__(self) -> str:
        return f"{self.where}: {self.problem}"


@dataclass(slots=True)
class Corpus:
    """The papers read from the inputs, in input order, and what else the inputs said.

    ``merged`` counts the duplicate records folded into another paper; ``bad``
    lists the records skipped as malformed (only with ``skip_bad``);
    ``not_english`` lists the records skipped because their abstract is not in
    English, with the language guessed.
    """

    papers: list[Paper] = field(default_factory=list)
    notes: list[SourceNote] = field(default_factory=list)
    inputs: list[str] = field(default_factory=list)
    merged: int = 0
    bad: list[BadRecord] = field(default_factory=list)
    not_english: list[BadRecord] = field(default_factory=list)


class KnowledgeGraph:
    """A property graph of papers and concepts: a :class:`networkx.MultiDiGraph` and the
    ``MENTIONS`` edges kept apart, in columns (:class:`graph_builder.mentions.Mentions`).

    Node ids come from :func:`graph_builder.schema.node_id`; every node has a
    ``label`` attribute and every edge a ``type`` attribute, which is also the
    edge key, so two nodes have at most one edge of each type. Graph-level
    metadata (inputs, options, pipeline, notes) lives in ``graph.graph``.

    ``graph`` holds every node and every edge but the ``MENTIONS`` edges (a paper's
    concepts), which are four in five edges of a large map and held in ``mentions``.
    :meth:`to_networkx` gives the whole graph as one networkx graph; :attr:`view` reads
    the whole graph, ``MENTIONS`` included, without copying it. A paper's ``MENTIONS``
    edges come first among its out-edges, and a concept's among its in-edges, as
    :func:`graph_builder.linking.link` adds them.
    """

    def __init__(self, graph: nx.MultiDiGraph | None = None) -> None:
        if graph is None:
            import networkx as nx  # here: answering from the graph index needs none

            graph = nx.MultiDiGraph()
        self.graph = graph
        self.mentions = Mentions()
        if hasattr(graph, "remove_edges_from"):
            self._take_mentions()

    @property
    def metadata(self) -> dict[str, Any]:
        return self.graph.graph

    @property
    def view(self) -> GraphView:
        """The whole graph, ``MENTIONS`` included, read-only, with networkx's reading methods."""
        return GraphView(self)

    def to_networkx(self) -> nx.MultiDiGraph:
        """The whole graph as one new :class:`networkx.MultiDiGraph`: the nodes, edges and
        orders networkx gives when every edge is added to it (properties are shared, not
        copied)."""
        import networkx as nx

        whole = nx.MultiDiGraph()
        whole.graph = self.graph.graph
        whole.add_nodes_from(self.graph.nodes(data=True))
        whole.add_edges_from(self.view.edges(keys=True, data=True))
        return whole

    def add_node(self, label: Label, key: str, **properties: Any) -> str:
        node = node_id(label, key)
        self.graph.add_node(node, **{LABEL: NAME[label], NODE_KEY[label]: key, **properties})
        return node

    def add_edge(self, rel: Rel, source: str, target: str, **properties: Any) -> None:
        name = NAME[rel]
        if rel == Rel.MENTIONS:
            self.add_mention(source, target, {TYPE: name, **properties})
        else:
            self.graph.add_edge(source, target, key=name, **{TYPE: name, **properties})

    def add_edges(self, rel: Rel, edges: Iterable[tuple[str, str, dict[str, Any]]]) -> None:
        """Add ``(source, target, properties)`` triples with :meth:`add_edge`, in order.

        Pass the node ids :meth:`add_node` returned: networkx keeps the objects it is
        given as adjacency keys, so one string per node is kept, not one per edge end.
        """
        for source, target, properties in edges:
            self.add_edge(rel, source, target, **properties)

    def add_mention(self, source: str, target: str, data: dict[str, Any]) -> None:
        """A ``MENTIONS`` edge into the columns, its nodes into the graph as networkx would."""
        for node in (source, target):
            if node not in self.graph.nodes:
                self.graph.add_node(node)
        self.mentions.add(source, target, data)

    def _take_mentions(self) -> None:
        """Move the ``MENTIONS`` edges of a networkx graph given whole into the columns."""
        name = NAME[Rel.MENTIONS]
        found = [(u, v, d) for u, v, k, d in self.graph.edges(keys=True, data=True) if k == name]
        self.graph.remove_edges_from((u, v, name) for u, v, _ in found)
        self.mentions.add_many(found)

    def remove_nodes(self, nodes: Iterable[str]) -> None:
        """Remove these nodes and their edges, ``MENTIONS`` included."""
        gone = set(nodes)
        self.graph.remove_nodes_from(gone)
        self.mentions = self.mentions.without(gone)

    def nodes(self, label: Label) -> Iterator[tuple[str, dict[str, Any]]]:
        """Nodes with this label, in insertion order."""
        return ((n, d) for n, d in self.graph.nodes(data=True) if d.get(LABEL) == label)

    def edges(self, rel: Rel) -> Iterator[tuple[str, str, dict[str, Any]]]:
        """Edges of this type, in insertion order (``MENTIONS``: new property dicts)."""
        if rel == Rel.MENTIONS:
            return self.mentions.edges()
        return ((u, v, d) for u, v, k, d in self.graph.edges(keys=True, data=True) if k == rel)

    def number_of_edges(self) -> int:
        """Edges of every type, ``MENTIONS`` included."""
        return self.graph.number_of_edges() + len(self.mentions)

    def count(self, label: Label | Rel) -> int:
        if isinstance(label, Label):
            return sum(1 for _ in self.nodes(label))
        if label == Rel.MENTIONS:
            return len(self.mentions)
        return sum(1 for _ in self.edges(label))

    def counts(self) -> dict[Label | Rel, int]:
        """Nodes of every label and edges of every type (0 if none), in one pass over each.

        :meth:`count` passes over the whole graph each time it is called: at 33,648
        papers, five calls took 10 s.
        """
        found = Counter(data.get(LABEL) for _, data in self.graph.nodes(data=True))
        found.update(key for _, _, key in self.graph.edges(keys=True))
        found[NAME[Rel.MENTIONS]] += len(self.mentions)
        return {member: found[NAME[member]] for member in (*Label, *Rel)}

    def top_concepts(self, n: int = 10) -> list[dict[str, Any]]:
        """The ``n`` first concepts of the map, in :func:`concept_order`."""
        concepts = [d for _, d in self.nodes(Label.CONCEPT)]
        concepts.sort(key=concept_order)
        return concepts[:n]

    def __repr__(self) -> str:
        return (
            f"<KnowledgeGraph {self.count(Label.PAPER)} papers, "
            f"{self.count(Label.CONCEPT)} concepts, {self.number_of_edges()} edges>"
        )


_MENTIONS = NAME[Rel.MENTIONS]


class GraphView:
    """The whole graph of a :class:`KnowledgeGraph`, ``MENTIONS`` included, read-only.

    It has the reading part of :class:`networkx.MultiDiGraph` the exporters use (``graph``,
    ``nodes``, iteration over the nodes, ``edges``, ``out_edges`` and ``in_edges`` with
    ``keys`` and ``data`` flags) and gives the edges in networkx's orders: nodes as added,
    a node's ``MENTIONS`` edges first, then its other edges as networkx holds them.
    """

    def __init__(self, kg: KnowledgeGraph) -> None:
        self._succ = kg.graph._succ
        self._pred = kg.graph._pred
        self._mentions = kg.mentions
        self._kg = kg
        self.graph = kg.graph.graph
        self.nodes = kg.graph.nodes

    def __iter__(self) -> Iterator[str]:
        return iter(self._succ)

    def __contains__(self, node: object) -> bool:
        return node in self._succ

    def is_directed(self) -> bool:
        return True

    def is_multigraph(self) -> bool:
        return True

    def number_of_edges(self) -> int:
        return self._kg.number_of_edges()

    def edges(self, keys: bool = False, data: bool = False) -> Iterator[tuple[Any, ...]]:
        """Every edge, in networkx's order."""
        return self.out_edges(None, keys=keys, data=data)

    def out_edges(
        self, nbunch: str | Iterable[str] | None = None, keys: bool = False, data: bool = False
    ) -> Iterator[tuple[Any, ...]]:
        """The edges out of ``nbunch`` (a node, some nodes, or None for all), node by node."""
        if keys and data:  # what the writers read: no per-edge reshaping
            for node in self._bunch(nbunch):
                for target, properties in self._mentions.of_source(node):
                    yield node, target, _MENTIONS, properties
                for target, key, properties in _keyed(self._succ[node]):
                    yield node, target, key, properties
            return
        for node in self._bunch(nbunch):
            if data:
                mentions = ((t, _MENTIONS, d) for t, d in self._mentions.of_source(node))
            else:
                mentions = ((t, _MENTIONS, None) for t in self._mentions.targets(node))
            for target, key, properties in chain(mentions, _keyed(self._succ[node])):
                yield _shaped(node, target, key, properties, keys, data)

    def in_edges(
        self, nbunch: str | Iterable[str] | None = None, keys: bool = False, data: bool = False
    ) -> Iterator[tuple[Any, ...]]:
        """The edges into ``nbunch`` (a node, some nodes, or None for all), node by node."""
        for node in self._bunch(nbunch):
            if data:
                mentions = ((s, _MENTIONS, d) for s, d in self._mentions.of_target(node))
            else:
                mentions = ((s, _MENTIONS, None) for s in self._mentions.sources(node))
            for source, key, properties in chain(mentions, _keyed(self._pred[node])):
                yield _shaped(source, node, key, properties, keys, data)

    def _bunch(self, nbunch: str | Iterable[str] | None) -> Iterable[str]:
        if nbunch is None:
            return list(self._succ)
        if isinstance(nbunch, str):
            return [nbunch] if nbunch in self._succ else []
        return [node for node in nbunch if node in self._succ]


def _keyed(
    neighbours: dict[str, dict[str, dict[str, Any]]],
) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for other, keyed in neighbours.items():
        for key, properties in keyed.items():
            yield other, key, properties


def _shaped(
    u: str, v: str, key: str, properties: dict[str, Any] | None, keys: bool, data: bool
) -> tuple[Any, ...]:
    """An edge as networkx's edge views give it for these ``keys`` and ``data`` flags."""
    if keys:
        return (u, v, key, properties) if data else (u, v, key)
    return (u, v, properties) if data else (u, v)


def concept_order(data: dict[str, Any]) -> tuple[float, int, float, str]:
    """The sort key of "the top concepts", everywhere they are shown: the most prominent
    first (see :mod:`graph_builder.prominence`), then most papers, higher score, key.

    A graph written before concepts had a ``prominence`` falls back to papers.

    Examples
    --------
    >>> rows = [{"key": "network", "df": 9, "prominence": 0.5},
    ...         {"key": "neural network", "df": 4, "prominence": 3.5}]
    >>> [d["key"] for d in sorted(rows, key=concept_order)]
    ['neural network', 'network']
    """
    return (
        -data.get(PROMINENCE, 0.0),
        -data.get("df", 0),
        -data.get("score", 0.0),
        data["key"],
    )
