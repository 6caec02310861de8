"""The page's colours: topics (else communities, else paper-count shades) and the legend."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from exporters import term_map
from graph_builder.model import KnowledgeGraph
from graph_builder.schema import LABEL, NODE_KEY, Label, Rel

__all__ = [
    "OTHER_COLOR",
    "PALETTE",
    "TOPIC_COLORS",
    "concept_colors",
    "find_topics",
    "topic_colors",
]

#: The colour of the concepts of the topics without a colour of their own.
OTHER_COLOR = "#b4b4b4"
#: Topics (or communities) with a colour of their own, the biggest; the others are grey.
TOPIC_COLORS = 11
_CONCEPT_SHADES = ("#f4c542", "#f39c45", "#e8684a", "#c0392b")  # by paper-count quartile
#: Colours of the biggest topics/communities (Tableau 10 without its grey, and two more).
PALETTE = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
    "#ff9da7", "#9c755f", "#d37295", "#bcbd22",
)  # fmt: skip


def concept_colors(
    kg: KnowledgeGraph, concepts: list[str]
) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """Each concept's colour, and the legend (``topic``, ``name``, ``size``, ``color``)."""
    return topic_colors(kg, concepts, find_topics(kg))


def find_topics(kg: KnowledgeGraph) -> dict[str, dict[str, Any]]:
    """Topic nodes (by label, or as targets of ``IN_TOPIC``), with their concepts."""
    graph = kg.graph
    topic_nodes = dict.fromkeys(n for n, _ in kg.nodes(Label.TOPIC))
    members: dict[str, list[str]] = defaultdict(list)
    # IN_TOPIC leaves concepts: skipping papers' edges (most of the graph) keeps edge order
    sources = [u for u, data in graph.nodes(data=True) if data.get(LABEL) != Label.PAPER]
    for u, t, k in graph.out_edges(sources, keys=True):
        if k == Rel.IN_TOPIC:
            topic_nodes.setdefault(t)
            members[t].append(u)
    topics = {}
    for node in topic_nodes:
        data = graph.nodes[node]
        name = data.get(LABEL)
        if name in (None, Label.TOPIC.value):
            name = data.get("name") or data.get("top_concepts")
        if not name:
            name = str(data.get(NODE_KEY[Label.TOPIC], node))
        elif isinstance(name, list | tuple):
            name = ", ".join(map(str, name))
        topics[node] = {
            "name": str(name),
            "size": data.get("size", len(members[node])),
            "concepts": members[node],
        }
    return topics


def topic_colors(
    kg: KnowledgeGraph, concepts: list[str], topics: dict[str, dict[str, Any]]
) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """Each concept's colour, and the legend: topics, else communities, else shades.

    Only the :data:`TOPIC_COLORS` biggest topics (or communities) get a colour of
    their own (more are not told apart at a glance); the others are grey, and
    their legend entries say ``"other": true``.
    """
    graph = kg.graph
    groups: list[tuple[str, str, int, list[str]]] = []  # (id, name, size, members)
    if topics:
        groups = [(n, t["name"], t["size"], t["concepts"]) for n, t in topics.items()]
    elif any("community" in graph.nodes[c] for c in concepts):
        by_community: dict[int, list[str]] = defaultdict(list)
        for c in concepts:
            if (community := graph.nodes[c].get("community")) is not None:
                by_community[int(community)].append(c)
        for community in sorted(by_community):
            members = by_community[community]
            top = sorted(members, key=lambda n: -term_map.prominence(graph.nodes[n]))[:3]
            name = ", ".join(graph.nodes[n]["name"] for n in top)
            groups.append((f"community {community}", name, len(members), members))
    colors: dict[str, str] = {}
    legend: list[dict[str, Any]] = []
    drawn = set(concepts)
    ranked = sorted(range(len(groups)), key=lambda i: (-sum(c in drawn for c in groups[i][3]), i))
    for rank, i in enumerate(ranked):
        node, name, size, members = groups[i]
        color = PALETTE[rank] if rank < TOPIC_COLORS else OTHER_COLOR
        entry = {"topic": node, "name": name, "size": size, "color": color}
        if rank >= TOPIC_COLORS:
            entry["other"] = True
        legend.append(entry)
        for c in members:
            colors.setdefault(c, color)
    if not legend:
        max_df = max((graph.nodes[c].get("df", 1) for c in concepts), default=1)
        for c in concepts:
            df = graph.nodes[c].get("df", 1)
            colors[c] = _CONCEPT_SHADES[min(3, 4 * (df - 1) // max_df)]
    for c in concepts:
        colors.setdefault(c, OTHER_COLOR)
    return colors, legend
