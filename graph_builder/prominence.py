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

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from graph_builder.mention_arrays import MentionArrays
from graph_builder.model import KnowledgeGraph, concept_order
from graph_builder.schema import PROMINENCE, RANK, Label

if TYPE_CHECKING:
    import numpy as np

__all__ = ["BEST", "SHARED", "Credits", "add_prominence", "paper_credits", "prominence"]

#: How many of a paper's best concepts earn credit. Past the fifth, a paper's list
#: holds the generic words it also uses (measured on Inspec, see docs/benchmarks.md).
BEST = 5
#: The shrinkage of the credit of concepts that few papers share: ``df / (df + SHARED / N)``.
#: Measured on Inspec and SemEval-2010 (docs/benchmarks.md): up to 25, no cost to either.
SHARED = 25.0
_ROUND = 6


@dataclass(frozen=True, slots=True)
class Credits:
    """The credit each paper gives its best concepts, as arrays in the order of
    :func:`paper_credits` (papers in the order of their first ``MENTIONS`` edge, each
    paper's concepts best first): ``paper`` and ``concept`` number the rows and columns of
    ``mentions``; ``key_order`` is each concept's place in the order of keys."""

    mentions: MentionArrays
    paper: np.ndarray
    concept: np.ndarray
    credit: np.ndarray
    key_order: np.ndarray

    @classmethod
    def of(cls, kg: KnowledgeGraph, mentions: MentionArrays | None = None) -> Credits:
        """The credits of ``kg``'s papers (``mentions``: its ``MENTIONS``, when already read)."""
        import numpy as np

        mentions = mentions if mentions is not None else MentionArrays.of(kg)
        nodes = kg.graph.nodes
        keys = [(nodes[c].get("key", c), c) for c in mentions.concepts]
        key_order = np.empty(len(keys), dtype=np.int64)
        key_order[sorted(range(len(keys)), key=keys.__getitem__)] = np.arange(len(keys))
        first = np.full(len(mentions.papers), len(mentions.paper), dtype=np.int64)
        np.minimum.at(first, mentions.paper, np.arange(len(mentions.paper)))
        weight = mentions.weights(0.0)
        order = np.lexsort((key_order[mentions.concept], -weight, first[mentions.paper]))
        paper = mentions.paper[order]
        starts = np.flatnonzero(np.r_[True, paper[1:] != paper[:-1]])
        place = np.arange(len(paper)) - np.repeat(starts, np.diff(np.r_[starts, len(paper)])) + 1
        best = place <= BEST
        chosen = order[best]
        return cls(
            mentions,
            paper[best],
            mentions.concept[chosen],
            weight[chosen] / place[best],
            key_order,
        )

    def totals(self) -> np.ndarray:
        """Each concept's credit summed over the papers, in paper order."""
        import numpy as np

        return np.bincount(self.concept, self.credit, len(self.mentions.concepts))


def prominence(kg: KnowledgeGraph, credits: Credits | None = None) -> dict[str, float]:
    """Each concept node's prominence (0.0 when no paper holds it among its best).

    Examples
    --------
    >>> from graph_builder.schema import Rel
    >>> kg = KnowledgeGraph()
    >>> p = kg.add_node(Label.PAPER, "p1")
    >>> a = kg.add_node(Label.CONCEPT, "neural network")
    >>> b = kg.add_node(Label.CONCEPT, "network")
    >>> kg.add_edge(Rel.MENTIONS, p, a, weight=0.9)
    >>> kg.add_edge(Rel.MENTIONS, p, b, weight=0.2)
    >>> prominence(kg)
    {'concept:neural network': 0.034615, 'concept:network': 0.003846}
    """
    import numpy as np

    credits = credits if credits is not None else Credits.of(kg)
    mentions = credits.mentions
    column = {concept: i for i, concept in enumerate(mentions.concepts)}
    totals = credits.totals().tolist()
    df = np.bincount(mentions.concept, minlength=len(mentions.concepts)).tolist()
    pseudo = SHARED / max(1, len(np.unique(mentions.paper)))
    found = {}
    for node, _ in kg.nodes(Label.CONCEPT):
        i = column.get(node)
        value = totals[i] if i is not None else 0.0
        found[node] = round(value * df[i] / (df[i] + pseudo), _ROUND) if value else 0.0
    return found


def paper_credits(
    kg: KnowledgeGraph, credits: Credits | None = None
) -> dict[str, list[tuple[str, float]]]:
    """Each paper's best concepts (node ids, at most :data:`BEST`) and the credit each earns:
    its ``MENTIONS`` weight divided by its place (ties in weight: by key).

    Examples
    --------
    >>> from graph_builder.schema import Rel
    >>> kg = KnowledgeGraph()
    >>> p = kg.add_node(Label.PAPER, "p1")
    >>> for key, weight in (("b", 0.5), ("a", 0.5), ("c", 0.9)):
    ...     kg.add_edge(Rel.MENTIONS, p, kg.add_node(Label.CONCEPT, key), weight=weight)
    >>> paper_credits(kg)
    {'paper:p1': [('concept:c', 0.9), ('concept:a', 0.25), ('concept:b', 0.16666666666666666)]}
    """
    credits = credits if credits is not None else Credits.of(kg)
    papers, concepts = credits.mentions.papers, credits.mentions.concepts
    found: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for paper, concept, credit in zip(
        credits.paper.tolist(), credits.concept.tolist(), credits.credit.tolist(), strict=True
    ):
        found[papers[paper]].append((concepts[concept], credit))
    return dict(found)


def add_prominence(kg: KnowledgeGraph, credits: Credits | None = None) -> KnowledgeGraph:
    """Store ``prominence`` and ``rank`` on every concept node, in place; return the graph."""
    for node, value in prominence(kg, credits).items():
        kg.graph.nodes[node][PROMINENCE] = value
    ordered = sorted(kg.nodes(Label.CONCEPT), key=lambda item: concept_order(item[1]))
    for rank, (_, data) in enumerate(ordered, start=1):
        data[RANK] = rank
    return kg
