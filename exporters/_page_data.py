"""The page's data (:func:`payload`): nodes, edges, panel facts, legend, what was pruned.

The template inlines it as JSON; nodes and edges are lists of plain values, edges
as indices into the nodes, to keep the file small.
"""

from __future__ import annotations

from typing import Any

from exporters import term_map
from exporters._page_colors import OTHER_COLOR, find_topics, topic_colors
from exporters._page_details import details, left_off
from exporters._page_layout import term_map_of, top_prominence
from exporters._page_nodes import (
    EDGE_STYLE,
    LARGE_NODES,
    PAPER_COLOR,
    concept_node,
    options,
    paper_node,
)
from exporters._page_view import DRAWN, EDGE_WEIGHT, View
from graph_builder.model import KnowledgeGraph
from graph_builder.schema import Label, Rel

__all__ = ["payload"]


def payload(
    kg: KnowledgeGraph,
    v: View,
    *,
    max_concepts: int | None,
    max_edges: int | None,
    max_papers: int | None,
) -> dict[str, Any]:
    """The page's data for the view ``v`` of ``kg``; the limits are told in its summary."""
    topics = find_topics(kg)
    colors, legend = topic_colors(kg, v.concepts, topics)
    positions, fonts = term_map_of(kg, v, topics)
    top = top_prominence(kg, v.concepts)
    # smallest first: vis-network draws (and picks) later nodes on top, so the biggest win
    concepts = sorted(v.concepts, key=lambda n: term_map.prominence(kg.graph.nodes[n]))
    nodes = [paper_node(kg, n, positions) for n in v.papers]
    nodes += [concept_node(kg, n, colors[n], top, positions, fonts[n]) for n in concepts]
    order = [n["id"] for n in nodes]
    strongest = {
        rel: max((d.get(EDGE_WEIGHT[rel], 1.0) for _, _, r, d in v.edges if r == rel), default=1)
        for rel in DRAWN
    }
    index = {node: i for i, node in enumerate(order)}
    kinds = [rel.value for rel in DRAWN]
    # [from, to, kind, width(, tooltip)]: indices into nodes and kinds, to keep the file small
    edges = [
        [
            index[u],
            index[t],
            kinds.index(rel.value),
            round(0.5 + 2.5 * d.get(EDGE_WEIGHT[rel], 1.0) / (strongest[rel] or 1), 2)
            if rel != Rel.BROADER
            else 1.0,
            *(["shared: " + ", ".join(d.get("shared", []))] if rel == Rel.RELATED_TO else []),
        ]
        for u, t, rel, d in v.edges
    ]
    years = [y for n in v.papers if (y := kg.graph.nodes[n].get("year"))]
    return {
        "nodes": nodes,
        "edges": edges,
        "options": options(len(nodes) >= LARGE_NODES),
        "kinds": kinds,
        "details": details(kg, v, topics, index),
        "more": left_off(kg, v, index),
        "labels": {"paper": Label.PAPER.value, "concept": Label.CONCEPT.value},
        "rels": {rel.name.lower(): rel.value for rel in DRAWN},
        "edge_styles": {rel.value: EDGE_STYLE[rel] for rel in DRAWN},
        "legend": legend,
        "paper_color": PAPER_COLOR,
        "other_color": OTHER_COLOR,
        "years": [min(years), max(years)] if years else None,
        "periods": kg.graph.graph.get("periods"),
        "summary": {
            "papers": len(v.papers),
            "papers_total": v.papers_total,
            "max_papers": max_papers,
            "concepts": len(v.concepts),
            "concepts_total": v.concepts_total,
            "edges": len(v.edges),
            "edges_total": v.edges_total,
            "max_concepts": max_concepts,
            "max_edges": max_edges,
        },
    }
