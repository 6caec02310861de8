"""The ``MENTIONS`` edges of a graph as numpy arrays, read in one pass.

Prominence, the paper vectors of the topics, the concepts' topics and the topic
names all read every ``MENTIONS`` edge; reading them once into arrays (a row
number per paper, a column number per concept) lets each of them work on whole
arrays and keeps the edge order, so that sums come out as they would edge by edge.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from graph_builder.model import KnowledgeGraph
from graph_builder.schema import Label, Rel

if TYPE_CHECKING:
    import numpy as np

__all__ = ["MentionArrays"]


@dataclass(frozen=True, slots=True)
class MentionArrays:
    """``MENTIONS`` edges in the graph's edge order: ``paper[i]`` mentions ``concept[i]``
    with ``weight[i]`` (NaN for an edge without a ``weight``).

    ``papers`` are the paper node ids of the row numbers: every ``Paper`` node in node
    order (``paper_nodes`` of them), then any other source of a ``MENTIONS`` edge;
    ``concepts`` the concept node ids of the column numbers, in the order first mentioned.

    Examples
    --------
    >>> kg = KnowledgeGraph()
    >>> p, q = kg.add_node(Label.PAPER, "p"), kg.add_node(Label.PAPER, "q")
    >>> a, b = kg.add_node(Label.CONCEPT, "a"), kg.add_node(Label.CONCEPT, "b")
    >>> kg.add_edge(Rel.MENTIONS, q, b, weight=0.5)
    >>> kg.add_edge(Rel.MENTIONS, q, a)
    >>> m = MentionArrays.of(kg)
    >>> m.papers, m.concepts, m.paper.tolist(), m.concept.tolist(), m.weights(1.0).tolist()
    (['paper:p', 'paper:q'], ['concept:b', 'concept:a'], [1, 1], [0, 1], [0.5, 1.0])
    """

    papers: list[str]
    paper_nodes: int
    concepts: list[str]
    paper: np.ndarray
    concept: np.ndarray
    weight: np.ndarray

    @classmethod
    def of(cls, kg: KnowledgeGraph) -> MentionArrays:
        """Read the ``MENTIONS`` edges of ``kg`` (one pass over them)."""
        import numpy as np

        papers = [node for node, _ in kg.nodes(Label.PAPER)]
        paper_nodes = len(papers)
        rows = {node: i for i, node in enumerate(papers)}
        columns: dict[str, int] = {}
        paper, concept, weight = [], [], []
        nan = float("nan")
        for source, target, data in kg.edges(Rel.MENTIONS):
            row = rows.get(source)
            if row is None:
                row = rows[source] = len(papers)
                papers.append(source)
            paper.append(row)
            concept.append(columns.setdefault(target, len(columns)))
            weight.append(data.get("weight", nan))
        return cls(
            papers,
            paper_nodes,
            list(columns),
            np.array(paper, dtype=np.int64),
            np.array(concept, dtype=np.int64),
            np.array(weight, dtype=np.float64),
        )

    def weights(self, missing: float) -> np.ndarray:
        """The edges' weights, ``missing`` for an edge without one."""
        import numpy as np

        return np.where(np.isnan(self.weight), missing, self.weight)
