"""Where the page draws each node: the term map of the concepts, papers beside them."""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

from exporters import term_map
from exporters._page_colors import find_topics
from exporters._page_view import View
from graph_builder.model import KnowledgeGraph
from graph_builder.schema import Rel

__all__ = ["layout", "term_map_of", "top_prominence"]


def layout(
    kg: KnowledgeGraph, v: View, topics: dict[str, dict[str, Any]] | None = None
) -> dict[str, tuple[float, float]]:
    """Positions of the drawn nodes (canvas units), deterministic.

    Concepts: the term map of :func:`exporters.term_map.concept_layout`, topics
    pulled together. Papers: beside the mean position of the drawn concepts they
    mention (on a small spiral, so that papers of the same concepts do not
    coincide), then pushed apart; papers with none of them on a grid below the map. ``topics`` (from
    the graph when not given) pulls each topic's concepts together.
    """
    return term_map_of(kg, v, topics).positions


def term_map_of(
    kg: KnowledgeGraph, v: View, topics: dict[str, dict[str, Any]] | None = None
) -> term_map.TermMap:
    """:func:`layout`'s positions, and the font of every drawn concept's label."""
    graph = kg.graph
    top = top_prominence(kg, v.concepts)
    radii, labels, fonts = {}, {}, {}
    for i, c in enumerate(v.concepts):
        p = term_map.prominence(graph.nodes[c])
        radii[c] = term_map.radius(p, top)
        fonts[c] = term_map.font_size(p, top)
        if i < term_map.LABELLED:
            labels[c] = (str(graph.nodes[c].get("name", c)), fonts[c])
    topics = find_topics(kg) if topics is None else topics
    groups = {c: t for t, topic in topics.items() for c in topic["concepts"]}
    concepts = term_map.concept_layout(kg, v.concepts, radii, labels, groups)
    positions = concepts.positions
    fonts.update(concepts.fonts)
    placed: dict[tuple[float, float], int] = defaultdict(int)
    bottom = max((y for _, y in positions.values()), default=0.0) + 60
    rest = 0
    papers: dict[str, tuple[float, float]] = {}
    for paper in v.papers:
        around = [
            positions[c]
            for c, keyed in graph._adj[paper].items()
            if Rel.MENTIONS.value in keyed and c in positions
        ]
        if around:
            cx = round(sum(x for x, _ in around) / len(around), 1)
            cy = round(sum(y for _, y in around) / len(around), 1)
            k = placed[(cx, cy)] = placed[(cx, cy)] + 1
            angle, step = k * 2.39996, 6 * math.sqrt(k)
            papers[paper] = (cx + step * math.cos(angle), cy + step * math.sin(angle))
        else:
            papers[paper] = (-term_map.WIDTH / 2 + (rest % 40) * 14.0, bottom + (rest // 40) * 14.0)
            rest += 1
    # the papers view draws papers alone: apart from one another, not in one heap at the centre
    positions.update(zip(papers, term_map.spread(list(papers.values()), 7.0), strict=True))
    return term_map.TermMap(positions, fonts)


def top_prominence(kg: KnowledgeGraph, concepts: list[str]) -> float:
    return max((term_map.prominence(kg.graph.nodes[c]) for c in concepts), default=1.0)
