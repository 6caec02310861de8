"""Plain data that flows between the stages: papers in, a knowledge graph out."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from graph_builder.schema import LABEL, NAME, NODE_KEY, PROMINENCE, TYPE, Label, Rel, node_id

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["BadRecord", "Corpus", "KnowledgeGraph", "Paper", "SourceNote", "concept_order"]


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
    """A property graph of papers and concepts, held in a :class:`networkx.MultiDiGraph`.

    Node ids come from :func:`graph_builder.schema.node_id`; every node has a
    ``label`` attribute and every edge a ``type`` attribute, which is also the
    edge key, so two nodes have at most one edge of each type. Graph-level
    metadata (inputs, options, pipeline, notes) lives in ``graph.graph``.
    """

    def __init__(self, graph: nx.MultiDiGraph | None = None) -> None:
        if graph is None:
            import networkx as nx  # here: answering from the graph index needs none

            graph = nx.MultiDiGraph()
        self.graph = graph

    @property
    def metadata(self) -> dict[str, Any]:
        return self.graph.graph

    def add_node(self, label: Label, key: str, **properties: Any) -> str:
        node = node_id(label, key)
        self.graph.add_node(node, **{LABEL: NAME[label], NODE_KEY[label]: key, **properties})
        return node

    def add_edge(self, rel: Rel, source: str, target: str, **properties: Any) -> None:
        name = NAME[rel]
        self.graph.add_edge(source, target, key=name, **{TYPE: name, **properties})

    def add_edges(self, rel: Rel, edges: Iterable[tuple[str, str, dict[str, Any]]]) -> None:
        """Add ``(source, target, properties)`` triples with :meth:`add_edge`, in order.

        Pass the node ids :meth:`add_node` returned: networkx keeps the objects it is
        given as adjacency keys, so one string per node is kept, not one per edge end.
        """
        for source, target, properties in edges:
            self.add_edge(rel, source, target, **properties)

    def nodes(self, label: Label) -> Iterator[tuple[str, dict[str, Any]]]:
        """Nodes with this label, in insertion order."""
        return ((n, d) for n, d in self.graph.nodes(data=True) if d.get(LABEL) == label)

    def edges(self, rel: Rel) -> Iterator[tuple[str, str, dict[str, Any]]]:
        """Edges of this type, in insertion order."""
        return ((u, v, d) for u, v, k, d in self.graph.edges(keys=True, data=True) if k == rel)

    def count(self, label: Label | Rel) -> int:
        if isinstance(label, Label):
            return sum(1 for _ in self.nodes(label))
        return sum(1 for _ in self.edges(label))

    def counts(self) -> dict[Label | Rel, int]:
        """Nodes of every label and edges of every type (0 if none), in one pass over each.

        :meth:`count` passes over the whole graph each time it is called: at 33,648
        papers, five calls took 10 s.
        """
        found = Counter(data.get(LABEL) for _, data in self.graph.nodes(data=True))
        found.update(key for _, _, key in self.graph.edges(keys=True))
        return {member: found[NAME[member]] for member in (*Label, *Rel)}

    def top_concepts(self, n: int = 10) -> list[dict[str, Any]]:
        """The ``n`` first concepts of the map, in :func:`concept_order`."""
        concepts = [d for _, d in self.nodes(Label.CONCEPT)]
        concepts.sort(key=concept_order)
        return concepts[:n]

    def __repr__(self) -> str:
        return (
            f"<KnowledgeGraph {self.count(Label.PAPER)} papers, "
            f"{self.count(Label.CONCEPT)} concepts, {self.graph.number_of_edges()} edges>"
        )


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
