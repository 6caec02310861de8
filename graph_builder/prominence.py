"""How central each concept is to the papers of this corpus: ``prominence`` and ``rank``.

A paper's own concept list (best first, by ``MENTIONS`` weight) is good; the
number of papers that mention a concept is not a measure of it, since generic
words (*algorithm*, *design*, *model*) are mentioned everywhere and are nearly
never what a paper is about. So a concept earns credit from the papers that put
it among their :data:`BEST` concepts: its ``MENTIONS`` weight in the paper
divided by its place there (1 for the paper's best concept, 2 for its second,
...). ``prominence`` is the sum over papers, times ``df / (df + SHARED / N)`` for
a concept mentioned by ``df`` of the corpus's ``N`` papers: in a small corpus
every paper's best phrase would otherwise tie with the concepts the papers
share (ten papers: a concept of one paper keeps under a third of its credit, one of
four papers three fifths), while in hundreds of papers the factor is near 1 for
all. ``rank`` numbers the concepts by :func:`graph_builder.model.concept_order`
(prominence, then papers, then score, then key), 1 first.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from graph_builder.model import KnowledgeGraph, concept_order
from graph_builder.schema import PROMINENCE, RANK, Label, Rel

__all__ = ["BEST", "SHARED", "add_prominence", "paper_credits", "prominence"]

#: How many of a paper's best concepts earn credit. Past the fifth, a paper's list
#: holds the generic words it also uses (measured on Inspec, see docs/benchmarks.md).
BEST = 5
#: The shrinkage of the credit of concepts that few papers share: ``df / (df + SHARED / N)``.
#: Measured on Inspec and SemEval-2010 (docs/benchmarks.md): up to 25, no cost to either.
SHARED = 25.0
_ROUND = 6


def prominence(kg: KnowledgeGraph) -> dict[str, float]:
    """Each concept node's prominence (0.0 when no paper holds it among its best).

    Examples
    --------
    >>> kg = KnowledgeGraph()
    >>> p = kg.add_node(Label.PAPER, "p1")
    >>> a = kg.add_node(Label.CONCEPT, "neural network")
    >>> b = kg.add_node(Label.CONCEPT, "network")
    >>> kg.add_edge(Rel.MENTIONS, p, a, weight=0.9)
    >>> kg.add_edge(Rel.MENTIONS, p, b, weight=0.2)
    >>> prominence(kg)
    {'concept:neural network': 0.034615, 'concept:network': 0.003846}
    """
    credit = {node: 0.0 for node, _ in kg.nodes(Label.CONCEPT)}
    by_paper = paper_credits(kg)
    for credits in by_paper.values():
        for concept, value in credits:
            credit[concept] += value
    df: Counter[str] = Counter(concept for _, concept, _ in kg.edges(Rel.MENTIONS))
    pseudo = SHARED / max(1, len(by_paper))
    return {
        node: round(value * df[node] / (df[node] + pseudo), _ROUND) if value else 0.0
        for node, value in credit.items()
    }


def paper_credits(kg: KnowledgeGraph) -> dict[str, list[tuple[str, float]]]:
    """Each paper's best concepts (node ids, at most :data:`BEST`) and the credit each earns:
    its ``MENTIONS`` weight divided by its place (ties in weight: by key)."""
    by_paper: dict[str, list[tuple[float, str, str]]] = defaultdict(list)
    for paper, concept, data in kg.edges(Rel.MENTIONS):
        key = kg.graph.nodes[concept].get("key", concept)
        by_paper[paper].append((-data.get("weight", 0.0), key, concept))
    credits = {}
    for paper, mentions in by_paper.items():
        mentions.sort()
        credits[paper] = [
            (concept, -weight / place)
            for place, (weight, _, concept) in enumerate(mentions[:BEST], start=1)
        ]
    return credits


def add_prominence(kg: KnowledgeGraph) -> KnowledgeGraph:
    """Store ``prominence`` and ``rank`` on every concept node, in place; return the graph."""
    for node, value in prominence(kg).items():
        kg.graph.nodes[node][PROMINENCE] = value
    ordered = sorted(kg.nodes(Label.CONCEPT), key=lambda item: concept_order(item[1]))
    for rank, (_, data) in enumerate(ordered, start=1):
        data[RANK] = rank
    return kg
