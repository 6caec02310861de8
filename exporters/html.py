"""An interactive page of the graph: vis-network (as shipped by pyvis), one self-contained file.

The page comes from ``exporters/templates/graph.html.j2``, which inlines the
vis-network 9.1.2 script and stylesheet that pyvis ships, so the file loads
nothing from the network and opens from ``file://`` (pyvis's own ``in_line``
mode still links Bootstrap from a CDN). Nodes are vis-network dictionaries
built here, in the shape pyvis's ``Network.add_node`` produces, and edges are
compact ``[from, to, kind, width]`` rows (indices) that the page expands; they
are not built through pyvis because its ``add_edge`` scans every edge already
added (quadratic: minutes for a graph of 30,000 edges). The page marks
``paperkg:parsed``, ``paperkg:network`` and ``paperkg:drawn`` with
``performance.mark`` and sets ``<body data-ready>`` once the network is drawn.

Safety: every text from the inputs reaches the page as JSON inside a
``<script type="application/json">`` block with ``<``, ``>`` and ``&`` escaped,
and is put on screen with ``textContent`` only, never as HTML; tooltips are
plain strings (vis-network shows them as text); links are made only from
``http(s)`` URLs. The page's Content-Security-Policy allows no network load.

Encoding: concepts are dots sized by their paper count and coloured by topic
(the ``IN_TOPIC`` edges to ``Topic`` nodes, else the ``community`` property,
else shaded by paper count); papers are squares labelled by short title and
year; edge width follows weight. ``MENTIONS`` and ``RELATED_TO`` edges are
drawn; ``CO_OCCURS`` and ``BROADER`` edges appear in the "concepts only" view.

Large graphs (from :data:`LARGE_NODES` nodes drawn): positions are computed
here (:func:`layout`), physics is off, edges are straight and vis-network's
``improvedLayout`` is off. ``max_concepts``, ``max_papers`` and ``max_edges`` prune
the page (by default to :data:`MAX_CONCEPTS`, :data:`MAX_PAPERS` and
:data:`MAX_EDGES`), and the page says what was left out. Papers are taken in
turns from the kept concepts, so that a concept's panel still lists papers; a
page of all 33,649 abstracts of ``arxiv_daily_cs`` was 151 MB, most of it the
abstracts and related-paper lists of papers no concept on the page led to.

Load time (``benchmarks/html_render.py``) is mostly vis-network's set-up of each
node and edge, so the page builds its edge data set by view (the ``CO_OCCURS`` and
``BROADER`` edges, most of the graph, only when "concepts only" is chosen), sends
dot sizes rather than ``value`` (whose scaling is one more pass over all nodes),
resolves the panel's node lists on use, and inlines only vis-network's tooltip CSS.
"""

from __future__ import annotations

import html as html_escape
import json
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import jinja2
import networkx as nx

from exporters._atomic import atomic_path
from graph_builder.model import KnowledgeGraph, concept_order
from graph_builder.schema import LABEL, NODE_KEY, Label, Rel

__all__ = [
    "LARGE_NODES",
    "MAX_CONCEPTS",
    "MAX_EDGES",
    "MAX_PAPERS",
    "PALETTE",
    "Page",
    "View",
    "concept_colors",
    "layout",
    "render",
    "show",
    "view",
    "write",
]

#: From this many drawn nodes on, the page uses precomputed positions and no physics.
LARGE_NODES = 300
#: Default limits of the page (:func:`write`, ``paperkg build``, ``paperkg export --to html``):
#: a few thousand nodes draw in seconds (benchmarks/html_render.py); far more and it crawls.
MAX_CONCEPTS = 2000
MAX_EDGES = 10000
#: Papers drawn by default: a page of every paper of a large corpus is hundreds of megabytes
#: (151 MB for 33,649 abstracts) and takes minutes to draw.
MAX_PAPERS = 2000

_PAPER_COLOR = "#7a7a7a"
_CONCEPT_SHADES = ("#f4c542", "#f39c45", "#e8684a", "#c0392b")  # by paper-count quartile
#: Colours of topics/communities (Tableau 10 and a few more), reused in turn past the end.
PALETTE = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
    "#ff9da7", "#9c755f", "#bab0ac", "#86bcb6", "#d37295", "#8cd17d", "#b6992d",
)  # fmt: skip
_LABEL_WORDS = 6
_SIZE_MIN, _SIZE_MAX = 10, 40
_DRAWN = (Rel.MENTIONS, Rel.RELATED_TO, Rel.CO_OCCURS, Rel.BROADER)
_EDGE_WEIGHT = {
    Rel.MENTIONS: "weight",
    Rel.RELATED_TO: "weight",
    Rel.CO_OCCURS: "strength",
    Rel.BROADER: "weight",
}
_EDGE_STYLE: dict[Rel, dict[str, Any]] = {
    Rel.MENTIONS: {"color": "#b8c4d6"},
    Rel.RELATED_TO: {"color": "#7a7a7a", "dashes": True},
    Rel.CO_OCCURS: {"color": "#d9b36c"},
    Rel.BROADER: {"color": "#8e6cbf", "arrows": "to"},
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


def write(
    kg: KnowledgeGraph,
    path: str | Path,
    *,
    title: str = "paperkg",
    max_concepts: int | None = MAX_CONCEPTS,
    max_edges: int | None = MAX_EDGES,
    max_papers: int | None = MAX_PAPERS,
    large: bool | None = None,
) -> None:
    """Write the page for ``kg`` to ``path``, atomically; options as for :func:`render`."""
    page = render(
        kg,
        title=title,
        max_concepts=max_concepts,
        max_edges=max_edges,
        max_papers=max_papers,
        large=large,
    )
    with atomic_path(path) as tmp:
        tmp.write_text(page, encoding="utf-8")


def render(
    kg: KnowledgeGraph,
    *,
    title: str = "paperkg",
    max_concepts: int | None = MAX_CONCEPTS,
    max_edges: int | None = MAX_EDGES,
    max_papers: int | None = MAX_PAPERS,
    large: bool | None = None,
) -> str:
    """The page as a string.

    Parameters
    ----------
    kg : KnowledgeGraph
        The finished graph.
    title : str
        Page title and heading.
    max_concepts : int or None
        Keep only this many concepts, those mentioned by most papers (ties: higher
        score, then key); ``None`` keeps all.
    max_edges : int or None
        Keep only this many edges among those between kept nodes, the strongest
        relative to the strongest edge of their type; ``None`` keeps all.
    max_papers : int or None
        Keep only this many papers, taken in turns from the kept concepts (each
        concept's paper with the strongest mention, then its second, ...), so
        that every kept concept has papers to list while the budget lasts;
        ``None`` keeps all.
    large : bool, optional
        Precomputed positions and no physics; by default when the page draws
        :data:`LARGE_NODES` nodes or more.

    Examples
    --------
    >>> from graph_builder import KnowledgeGraph
    >>> from graph_builder.schema import Label, Rel
    >>> kg = KnowledgeGraph()
    >>> p = kg.add_node(Label.PAPER, "p1", title="A <b>bold</b> claim", abstract="x")
    >>> c = kg.add_node(Label.CONCEPT, "claim", name="claim", df=1, score=1.0)
    >>> kg.add_edge(Rel.MENTIONS, p, c, weight=1.0, count=1)
    >>> page = render(kg)
    >>> "<b>bold" in page, "\\\\u003cb\\\\u003ebold" in page
    (False, True)
    """
    v = view(kg, max_concepts=max_concepts, max_edges=max_edges, max_papers=max_papers)
    is_large = len(v.nodes) >= LARGE_NODES if large is None else large
    topics = _topics(kg)
    colors, legend = _colors(kg, v.concepts, topics)
    positions = layout(kg, v) if is_large else {}
    nodes = [_paper_node(kg, n, positions) for n in v.papers]
    values = [_prominence(kg.graph.nodes[c]) for c in v.concepts]
    scale = (min(values, default=0.0), max(values, default=1.0))
    nodes += [_concept_node(kg, n, colors[n], scale, positions) for n in v.concepts]
    strongest = {
        rel: max((d.get(_EDGE_WEIGHT[rel], 1.0) for _, _, r, d in v.edges if r == rel), default=1)
        for rel in _DRAWN
    }
    index = {node: i for i, node in enumerate(v.nodes)}
    kinds = [rel.value for rel in _DRAWN]
    # [from, to, kind, width(, tooltip)]: indices into nodes and kinds, to keep the file small
    edges = [
        [
            index[u],
            index[t],
            kinds.index(rel.value),
            round(0.5 + 3.5 * d.get(_EDGE_WEIGHT[rel], 1.0) / (strongest[rel] or 1), 2),
            *(["shared: " + ", ".join(d.get("shared", []))] if rel == Rel.RELATED_TO else []),
        ]
        for u, t, rel, d in v.edges
    ]
    years = [y for n in v.papers if (y := kg.graph.nodes[n].get("year"))]
    payload = {
        "nodes": nodes,
        "edges": edges,
        "options": _options(is_large),
        "kinds": kinds,
        "details": _details(kg, v, topics, index),
        "labels": {"paper": Label.PAPER.value, "concept": Label.CONCEPT.value},
        "rels": {rel.name.lower(): rel.value for rel in _DRAWN},
        "edge_styles": {rel.value: _EDGE_STYLE[rel] for rel in _DRAWN},
        "legend": legend,
        "paper_color": _PAPER_COLOR,
        "years": [min(years), max(years)] if years else None,
        "large": is_large,
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
    return _template().render(
        title=title,
        vis_js=_asset("vis-network.min.js"),
        vis_css=_tooltip_css(),
        data=_script_json(payload),
    )


class Page:
    """The page, shown inline by Jupyter and VS Code (an ``<iframe srcdoc>``).

    pyvis's notebook mode stays blank in VS Code, which runs no script of an
    output; an iframe with ``srcdoc`` is a page of its own, so its scripts run.
    The iframe is sandboxed to scripts only: the page cannot reach the notebook.
    """

    def __init__(self, page: str, height: int = 650) -> None:
        self.html = page
        self.height = height

    def _repr_html_(self) -> str:
        return (
            f'<iframe srcdoc="{html_escape.escape(self.html, quote=True)}" '
            f'sandbox="allow-scripts" style="width:100%;height:{self.height}px;border:0"></iframe>'
        )


def show(kg: KnowledgeGraph, *, height: int = 650, **options: Any) -> Page:
    """Display the page in a notebook: ``exporters.html.show(kg)`` as a cell's last line.

    ``options`` are those of :func:`render`.
    """
    return Page(render(kg, **options), height=height)


def view(
    kg: KnowledgeGraph,
    *,
    max_concepts: int | None = None,
    max_edges: int | None = None,
    max_papers: int | None = None,
) -> View:
    """The nodes and edges the page (or picture) draws, after pruning (see :func:`render`)."""
    papers = [n for n, _ in kg.nodes(Label.PAPER)]
    concepts = [n for n, _ in kg.nodes(Label.CONCEPT)]
    total, papers_total = len(concepts), len(papers)
    prune_papers = max_papers is not None and max_papers < papers_total
    if prune_papers or (max_concepts is not None and max_concepts < total):
        graph = kg.graph
        ranked = sorted(concepts, key=lambda n: concept_order(graph.nodes[n]))
        if max_concepts is not None:
            ranked = ranked[: max(0, max_concepts)]
        keep = set(ranked)
        concepts = [n for n in concepts if n in keep]
        if prune_papers:
            chosen = _papers_in_turns(kg, ranked, max(0, max_papers or 0))
            papers = [n for n in papers if n in chosen]
    edges = _edges_between(kg, {*papers, *concepts})
    edges_total = len(edges)
    if max_edges is not None and max_edges < edges_total:
        strongest = {
            rel: max((d.get(_EDGE_WEIGHT[rel], 1.0) for _, _, r, d in edges if r == rel), default=1)
            for rel in _DRAWN
        }
        order = sorted(
            range(len(edges)),
            key=lambda i: (
                -edges[i][3].get(_EDGE_WEIGHT[edges[i][2]], 1.0) / (strongest[edges[i][2]] or 1),
                i,
            ),
        )
        keep_i = set(order[: max(0, max_edges)])
        edges = [e for i, e in enumerate(edges) if i in keep_i]
    return View(papers, concepts, edges, total, edges_total, papers_total)


def _edges_between(kg: KnowledgeGraph, kept: set[str]) -> list[tuple[str, str, Rel, dict]]:
    """The drawn edges between ``kept`` nodes, by type (in :data:`_DRAWN` order), in one pass."""
    by_type: dict[str, tuple[Rel, list[tuple[str, str, Rel, dict]]]] = {
        rel.value: (rel, []) for rel in _DRAWN
    }
    graph = kg.graph
    # the out-edges of kept nodes in node order: graph.edges() order, without its other edges
    sources = [u for u in graph if u in kept]
    for u, v, k, d in graph.out_edges(sources, keys=True, data=True):
        if (found := by_type.get(k)) is not None and v in kept:
            found[1].append((u, v, found[0], d))
    return [edge for _, edges in by_type.values() for edge in edges]


def _papers_in_turns(kg: KnowledgeGraph, concepts: list[str], budget: int) -> set[str]:
    """``budget`` papers: each concept's strongest mention in turn, then its second, ...

    A concept's papers are ordered by ``MENTIONS`` weight (ties: node id).
    """
    graph = kg.graph
    queues = []
    for concept in concepts:
        mentions = [
            (-d.get("weight", 0.0), u)
            for u, _, k, d in graph.in_edges(concept, keys=True, data=True)
            if k == Rel.MENTIONS
        ]
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


def layout(kg: KnowledgeGraph, v: View, *, scale: float = 1000.0) -> dict[str, tuple[int, int]]:
    """Positions for a large page, deterministic and about linear in the graph's size.

    A skeleton of at most 400 nodes (the concepts with most papers, then papers)
    is laid out by :func:`networkx.spring_layout` with a fixed seed; every other
    node is then placed, breadth first, on a small spiral around the centre of its
    already placed neighbours. Nodes in no way linked to the skeleton go on a grid
    below it.
    """
    graph = nx.Graph()
    graph.add_nodes_from(v.nodes)
    for u, t, rel, d in v.edges:
        if rel in (Rel.MENTIONS, Rel.RELATED_TO):
            graph.add_edge(u, t, weight=d.get(_EDGE_WEIGHT[rel], 1.0))
    degree = dict(graph.degree())
    shared = [c for c in v.concepts if degree[c] >= 2]
    shared.sort(key=lambda n: -degree[n])
    skeleton_nodes = [*shared[:250], *v.papers][:400]
    # Built in this order: a subgraph view of under half the graph iterates a set, whose order
    # (and so the seeded layout) changed from one Python process to the next.
    in_skeleton = set(skeleton_nodes)
    skeleton = nx.Graph()
    skeleton.add_nodes_from(skeleton_nodes)
    skeleton.add_edges_from((u, t) for u in skeleton_nodes for t in graph[u] if t in in_skeleton)
    raw = nx.spring_layout(skeleton, seed=7, iterations=60, weight=None) if len(skeleton) else {}
    positions: dict[str, tuple[float, float]] = {
        n: (float(xy[0]) * scale, float(xy[1]) * scale) for n, xy in raw.items()
    }
    spacing = scale / max(10.0, math.sqrt(len(graph)) * 2)
    placed_around: dict[str, int] = defaultdict(int)
    order = {n: i for i, n in enumerate(v.nodes)}
    frontier = sorted(positions, key=order.__getitem__)
    while frontier:
        following: list[str] = []
        for node in frontier:
            for other in sorted(graph[node], key=lambda n: -degree[n]):
                if other in positions:
                    continue
                anchors = [positions[a] for a in graph[other] if a in positions]
                cx = sum(x for x, _ in anchors) / len(anchors)
                cy = sum(y for _, y in anchors) / len(anchors)
                k = placed_around[node] = placed_around[node] + 1
                angle, radius = k * 2.39996, spacing * (1 + 0.35 * math.sqrt(k))
                positions[other] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle))
                following.append(other)
        frontier = following
    rest = [n for n in v.nodes if n not in positions]
    width = max(1, math.ceil(math.sqrt(len(rest))))
    top = max((y for _, y in positions.values()), default=0.0) + 4 * spacing
    for i, node in enumerate(rest):
        positions[node] = (-scale + (i % width) * spacing * 2, top + (i // width) * spacing * 2)
    return {n: (round(x), round(y)) for n, (x, y) in positions.items()}


def concept_colors(
    kg: KnowledgeGraph, concepts: list[str]
) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """Each concept's colour, and the legend (``topic``, ``name``, ``size``, ``color``)."""
    return _colors(kg, concepts, _topics(kg))


def _topics(kg: KnowledgeGraph) -> dict[str, dict[str, Any]]:
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


def _colors(
    kg: KnowledgeGraph, concepts: list[str], topics: dict[str, dict[str, Any]]
) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """Each concept's colour, and the legend: topics, else communities, else shades."""
    graph = kg.graph
    colors: dict[str, str] = {}
    legend: list[dict[str, Any]] = []
    if topics:
        for i, (node, topic) in enumerate(topics.items()):
            color = PALETTE[i % len(PALETTE)]
            legend.append(
                {"topic": node, "name": topic["name"], "size": topic["size"], "color": color}
            )
            for c in topic["concepts"]:
                colors.setdefault(c, color)
    elif any("community" in graph.nodes[c] for c in concepts):
        by_community: dict[int, list[str]] = defaultdict(list)
        for c in concepts:
            if (community := graph.nodes[c].get("community")) is not None:
                by_community[int(community)].append(c)
        for community in sorted(by_community):
            members = by_community[community]
            color = PALETTE[community % len(PALETTE)]
            top = sorted(members, key=lambda n: -graph.nodes[n].get("df", 0))[:3]
            legend.append(
                {
                    "topic": f"community {community}",
                    "name": ", ".join(graph.nodes[n]["name"] for n in top),
                    "size": len(members),
                    "color": color,
                }
            )
            for c in members:
                colors[c] = color
    if not legend:
        max_df = max((graph.nodes[c].get("df", 1) for c in concepts), default=1)
        for c in concepts:
            df = graph.nodes[c].get("df", 1)
            colors[c] = _CONCEPT_SHADES[min(3, 4 * (df - 1) // max_df)]
    for c in concepts:
        colors.setdefault(c, "#bbbbbb")
    return colors, legend


def _paper_node(kg: KnowledgeGraph, node: str, positions: dict[str, tuple[int, int]]) -> dict:
    data = kg.graph.nodes[node]
    item = {
        "id": node,
        "label": _paper_label(data),
        "title": "\n".join(p for p in (data.get("title"), data.get("date")) if p) or node,
        "shape": "square",
        "size": 10,
        "color": _PAPER_COLOR,
        "kind": Label.PAPER.value,
    }
    return _placed(item, node, positions)


def _concept_node(
    kg: KnowledgeGraph,
    node: str,
    color: str,
    scale: tuple[float, float],
    positions: dict[str, tuple[int, int]],
) -> dict:
    data = kg.graph.nodes[node]
    df = data.get("df", 1)
    item = {
        "id": node,
        "label": data["name"],
        "title": f"{data['name']}\n{df} paper(s)",
        "shape": "dot",
        "size": _concept_size(_prominence(data), scale),
        "color": color,
        "kind": Label.CONCEPT.value,
    }
    return _placed(item, node, positions)


def _prominence(data: dict[str, Any]) -> float:
    """What a dot's size shows: the concept's prominence (its paper count in older graphs)."""
    return float(data.get("prominence", data.get("df", 1)))


def _concept_size(value: float, scale: tuple[float, float]) -> float:
    """A dot's radius from its prominence, 10 (the least of the drawn concepts) to 40 (the
    most); vis-network's own scaling of ``value`` costs a pass over all nodes at load."""
    low, high = scale
    return round(_SIZE_MIN + (_SIZE_MAX - _SIZE_MIN) * (value - low) / ((high - low) or 1.0), 1)


def _placed(item: dict, node: str, positions: dict[str, tuple[int, int]]) -> dict:
    if node in positions:
        item["x"], item["y"] = positions[node]
    return item


def _paper_label(data: dict[str, Any]) -> str:
    text = data.get("title") or data.get("abstract", "")
    words = text.split()
    label = " ".join(words[:_LABEL_WORDS]) + (" ..." if len(words) > _LABEL_WORDS else "")
    return f"{label} ({data['year']})" if data.get("year") else label


def _options(large: bool) -> dict[str, Any]:
    options: dict[str, Any] = {
        "nodes": {"font": {"size": 14}},
        "edges": {"smooth": False, "arrows": {"to": {"enabled": False, "scaleFactor": 0.5}}},
        "physics": {
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 90},
            "stabilization": {"iterations": 300},
        },
        "interaction": {"hover": True, "tooltipDelay": 150},
    }
    if large:
        options["physics"] = {"enabled": False}
        options["layout"] = {"improvedLayout": False}
        options["interaction"] = {
            "hover": False,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": True,
            "hideEdgesOnZoom": True,
        }
        options["nodes"]["scaling"] = {"label": {"drawThreshold": 9}}
    return options


def _details(
    kg: KnowledgeGraph,
    v: View,
    topics: dict[str, dict[str, Any]],
    index: dict[str, int],
) -> dict[str, dict[str, Any]]:
    """What the side panel and the filters need for each drawn node, computed once here.

    Lists of nodes are indices into the page's node list (the page turns them into ids).
    Fields without a value (no URL, no topic, no aliases) are left out: a smaller file.
    """
    graph = kg.graph
    kept = index.keys()
    topic_of = {c: t for t, topic in topics.items() for c in topic["concepts"]}

    def by_type(edges: Iterable[tuple[str, str, dict]]) -> dict[str, list[tuple[int, dict]]]:
        """Drawn neighbours by edge type, in edge order: one pass over a node's edges."""
        found: dict[str, list[tuple[int, dict]]] = defaultdict(list)
        for other, k, d in edges:
            if other in kept:
                found[k].append((index[other], d))
        return found

    details: dict[str, dict[str, Any]] = {}
    for node in v.papers:
        data = graph.nodes[node]
        out = by_type((t, k, d) for _, t, k, d in graph.out_edges(node, keys=True, data=True))
        into = by_type((u, k, d) for u, _, k, d in graph.in_edges(node, keys=True, data=True))
        concepts = sorted(
            out[Rel.MENTIONS] + into[Rel.MENTIONS], key=lambda i: -i[1].get("weight", 0)
        )
        related = sorted(
            out[Rel.RELATED_TO] + into[Rel.RELATED_TO], key=lambda i: -i[1].get("weight", 0)
        )
        details[node] = _given(
            {
                "kind": Label.PAPER.value,
                "title": data.get("title") or _paper_label(data),
                "date": data.get("date"),
                "year": data.get("year"),
                "url": data.get("url"),
                "id": data.get(NODE_KEY[Label.PAPER]),
                "abstract": data.get("abstract", ""),
                "concepts": [c for c, _ in concepts],
                "related": [
                    {"node": o, "weight": d.get("weight"), "shared": d.get("shared", [])}
                    for o, d in related
                ],
            }
        )
    for node in v.concepts:
        data = graph.nodes[node]
        out = by_type((t, k, d) for _, t, k, d in graph.out_edges(node, keys=True, data=True))
        into = by_type((u, k, d) for u, _, k, d in graph.in_edges(node, keys=True, data=True))
        cooccurring = sorted(
            out[Rel.CO_OCCURS] + into[Rel.CO_OCCURS], key=lambda i: -i[1].get("strength", 0)
        )
        details[node] = _given(
            {
                "kind": Label.CONCEPT.value,
                "title": data["name"],
                "key": data[NODE_KEY[Label.CONCEPT]],
                "df": data.get("df", 1),
                "aliases": data.get("aliases", []),
                "topic": topic_of.get(node)
                or (
                    f"community {data['community']}" if data.get("community") is not None else None
                ),
                "papers": [u for u, _ in into[Rel.MENTIONS]],
                "broader": [t for t, _ in out[Rel.BROADER]],
                "narrower": [u for u, _ in into[Rel.BROADER]],
                "cooccurring": [o for o, _ in cooccurring],
            }
        )
    return details


def _given(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v is not None and (k != "aliases" or v)}


def _script_json(value: Any) -> str:
    """JSON safe inside a <script> element: no '</script>', no HTML comment openers."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@cache
def _asset(name: str) -> str:
    return (files("pyvis") / "templates" / "lib" / "vis-9.1.2" / name).read_text(encoding="utf-8")


@cache
def _tooltip_css() -> str:
    """vis-network's rules for the tooltip: the only vis-network element the page shows.

    The full stylesheet is 220 kB, nearly all of it images for the navigation
    buttons, the editor and the configurator, which the page does not use.
    """
    rules = _asset("vis-network.css").split("}")
    return "".join(rule + "}" for rule in rules if "vis-tooltip" in rule.split("{")[0])


@cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("exporters", "templates"),
        autoescape=True,
        keep_trailing_newline=True,
    )
    return env.get_template("graph.html.j2")
