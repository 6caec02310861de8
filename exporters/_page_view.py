"""What the page draws: the nodes and edges kept after pruning (:func:`view`).

Concepts: the most prominent; papers: taken in turns from the kept concepts;
edges: the strongest of each kind, each kind its share of the budget.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from graph_builder.model import KnowledgeGraph, concept_order
from graph_builder.schema import Label, Rel

__all__ = ["DRAWN", "EDGE_WEIGHT", "MAX_CONCEPTS", "MAX_EDGES", "MAX_PAPERS", "View", "view"]

#: Default limits of the page (:func:`exporters.html.write`, ``paperkg build``, ``paperkg
#: export --to html``): a few thousand nodes draw in seconds (benchmarks/html_render.py); far
#: more and it crawls.
MAX_CONCEPTS = 1000
MAX_EDGES = 10000
#: Papers drawn by default: a page of every paper of a large corpus is hundreds of megabytes
#: (151 MB for 33,649 abstracts) and takes minutes to draw.
MAX_PAPERS = 2000
#: The kinds of edge the page draws.
DRAWN = (Rel.MENTIONS, Rel.RELATED_TO, Rel.CO_OCCURS, Rel.BROADER)
#: The property that ranks (and sets the width of) each kind of edge.
EDGE_WEIGHT = {
    Rel.MENTIONS: "weight",
    Rel.RELATED_TO: "weight",
    Rel.CO_OCCURS: "strength",
    Rel.BROADER: "weight",  # none today: drawn at width 1
}


@dataclass(frozen=True)
class View:
    """What the page draws: the nodes kept, the edges kept, what was pruned."""

    papers: list[str]
    concepts: list[str]
    edges: list[tuple[str, str, Rel, dict[str, Any]]]
    concepts_total: int
    edges_total: int
    papers_total: int = -1

    def __post_init__(self) -> None:
        if self.papers_total < 0:
            object.__setattr__(self, "papers_total", len(self.papers))

    @property
    def nodes(self) -> list[str]:
        return [*self.papers, *self.concepts]


def view(
    kg: KnowledgeGraph,
    *,
    max_concepts: int | None = None,
    max_edges: int | None = None,
    max_papers: int | None = None,
) -> View:
    """The nodes and edges the page (or picture) draws, after pruning.

    See :func:`exporters.html.render`; concepts come most prominent first.
    """
    papers = [n for n, _ in kg.nodes(Label.PAPER)]
    graph = kg.graph
    concepts = sorted(
        (n for n, _ in kg.nodes(Label.CONCEPT)), key=lambda n: concept_order(graph._node[n])
    )
    total, papers_total = len(concepts), len(papers)
    if max_concepts is not None:
        concepts = concepts[: max(0, max_concepts)]
    if max_papers is not None and max_papers < papers_total:
        chosen = _papers_in_turns(kg, concepts, max(0, max_papers))
        papers = [n for n in papers if n in chosen]
    edges = _edges_between(kg, {*papers, *concepts})
    edges_total = len(edges)
    if max_edges is not None and max_edges < edges_total:
        edges = _within_budget(edges, max(0, max_edges))
    return View(papers, concepts, edges, total, edges_total, papers_total)


def _within_budget(
    edges: list[tuple[str, str, Rel, dict]], budget: int
) -> list[tuple[str, str, Rel, dict]]:
    """The strongest edges of each kind, each kind an equal share of ``budget``.

    A kind with fewer edges than its share leaves the rest to the others, so
    every view (papers, concepts) keeps its own structure.
    """
    by_kind: dict[Rel, list[int]] = defaultdict(list)
    for i, (_, _, rel, _) in enumerate(edges):
        by_kind[rel].append(i)
    shares: dict[Rel, int] = {}
    left, kinds = budget, sorted(by_kind, key=lambda r: len(by_kind[r]))
    for k, rel in enumerate(kinds):
        shares[rel] = min(len(by_kind[rel]), left // (len(kinds) - k))
        left -= shares[rel]
    keep: set[int] = set()
    for rel, members in by_kind.items():
        weight = EDGE_WEIGHT[rel]
        members.sort(key=lambda i: (-edges[i][3].get(weight, 1.0), i))
        keep.update(members[: shares[rel]])
    return [e for i, e in enumerate(edges) if i in keep]


def _edges_between(kg: KnowledgeGraph, kept: set[str]) -> list[tuple[str, str, Rel, dict]]:
    """The drawn edges between ``kept`` nodes, by type (in :data:`DRAWN` order), in one pass."""
    by_type: dict[str, tuple[Rel, list[tuple[str, str, Rel, dict]]]] = {
        rel.value: (rel, []) for rel in DRAWN
    }
    mentions = by_type.get(Rel.MENTIONS.value)
    # the out-edges of kept nodes in node order: graph.edges() order, without its other edges
    # (read from networkx's adjacency dicts: its edge views cost as much as this loop)
    for u, neighbours in kg.graph._adj.items():
        if u not in kept:
            continue
        if mentions is not None:
            found = kg.mentions.of_source(u)
            mentions[1].extend((u, v, Rel.MENTIONS, d) for v, d in found if v in kept)
        for v, keyed in neighbours.items():
            if v in kept:
                for k, d in keyed.items():
                    if (found := by_type.get(k)) is not None:
                        found[1].append((u, v, found[0], d))
    return [edge for _, edges in by_type.values() for edge in edges]


def _papers_in_turns(kg: KnowledgeGraph, concepts: list[str], budget: int) -> set[str]:
    """``budget`` papers: each concept's strongest mention in turn, then its second, ...

    A concept's papers are ordered by ``MENTIONS`` weight (ties: node id).
    """
    queues = []
    for concept in concepts:
        mentions = [(-d.get("weight", 0.0), u) for u, d in kg.mentions.of_target(concept)]
        queues.append([u for _, u in sorted(mentions)])
    chosen: set[str] = set()
    depth = 0
    queues = [q for q in queues if q]
    while queues and len(chosen) < budget:
        for queue in queues:
            chosen.add(queue[depth])
            if len(chosen) == budget:
                break
        depth += 1
        queues = [q for q in queues if depth < len(q)]
    return chosen
