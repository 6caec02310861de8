"""An interactive page of the graph: a term map drawn by vis-network, one self-contained file.

The page comes from ``exporters/templates/graph.html.j2``, which inlines the
vis-network script vendored in ``exporters/templates/`` (with its licence), so
the file loads nothing from the network and opens from ``file://``.

The first view is a term map (:mod:`exporters.term_map`): the most prominent
concepts laid out by co-occurrence, sized by prominence, coloured by topic (the
:data:`TOPIC_COLORS` biggest topics; grey for the rest) or, in the time overlay,
by mean publication year. Papers are on the page but drawn only on demand (the
"papers" view, or a concept's papers from its panel). Positions are computed
here, so nothing moves once drawn; the page hides the labels that would collide
at the current zoom, most prominent first.

Safety: every text from the inputs reaches the page as JSON inside a
``<script type="application/json">`` block with ``<``, ``>`` and ``&`` escaped,
and is put on screen with ``textContent`` only, never as HTML; links are made
only from ``http(s)`` URLs and DOI / arXiv ids. The page's Content-Security-Policy
allows no network load.

Pruning: ``max_concepts``, ``max_papers`` and ``max_edges`` keep the page quick
(by default :data:`MAX_CONCEPTS`, :data:`MAX_PAPERS`, :data:`MAX_EDGES`); each
kind of edge gets its share of the edge budget. Concepts left off the drawing
are still listed (name, papers) so that search finds them. The page marks
``paperkg:parsed``, ``paperkg:network`` and ``paperkg:drawn`` with
``performance.mark`` and sets ``<body data-ready>`` once drawn.
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

from exporters import term_map
from exporters._atomic import atomic_path
from graph_builder.model import KnowledgeGraph, concept_order
from graph_builder.schema import LABEL, NODE_KEY, Label, Rel

__all__ = [
    "LARGE_NODES",
    "MAX_CONCEPTS",
    "MAX_EDGES",
    "MAX_PAPERS",
    "PALETTE",
    "TOPIC_COLORS",
    "Page",
    "View",
    "concept_colors",
    "layout",
    "render",
    "show",
    "to_pyvis",
    "view",
    "write",
]

#: From this many drawn nodes on, the page turns off hover effects (a redraw per move).
LARGE_NODES = 300
#: Default limits of the page (:func:`write`, ``paperkg build``, ``paperkg export --to html``):
#: a few thousand nodes draw in seconds (benchmarks/html_render.py); far more and it crawls.
MAX_CONCEPTS = 1000
MAX_EDGES = 10000
#: Papers drawn by default: a page of every paper of a large corpus is hundreds of megabytes
#: (151 MB for 33,649 abstracts) and takes minutes to draw.
MAX_PAPERS = 2000

_PAPER_COLOR = "#7a7a7a"
_OTHER_COLOR = "#b4b4b4"
#: Topics (or communities) with a colour of their own, the biggest; the others are grey.
TOPIC_COLORS = 11
#: Concepts left off the drawing that the page still lists for search, the most prominent.
MAX_LISTED = 20000
_CONCEPT_SHADES = ("#f4c542", "#f39c45", "#e8684a", "#c0392b")  # by paper-count quartile
#: Colours of the biggest topics/communities (Tableau 10 without its grey, and two more).
PALETTE = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
    "#ff9da7", "#9c755f", "#d37295", "#bcbd22",
)  # fmt: skip
_LABEL_WORDS = 6
_SIZE_MIN, _SIZE_MAX = 10, 40
_DRAWN = (Rel.MENTIONS, Rel.RELATED_TO, Rel.CO_OCCURS, Rel.BROADER)
_EDGE_WEIGHT = {
    Rel.MENTIONS: "weight",
    Rel.RELATED_TO: "weight",
    Rel.CO_OCCURS: "strength",
    Rel.BROADER: "weight",  # none today: drawn at width 1
}
_EDGE_STYLE: dict[Rel, dict[str, Any]] = {
    Rel.MENTIONS: {"color": "#b8c4d6"},
    Rel.RELATED_TO: {"color": "#7a7a7a", "dashes": True},
    Rel.CO_OCCURS: {"color": "#e3c99a"},
    Rel.BROADER: {"color": "#c3b3de", "arrows": "to"},
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
) -> None:
    """Write the page for ``kg`` to ``path``, atomically; options as for :func:`render`."""
    page = render(
        kg, title=title, max_concepts=max_concepts, max_edges=max_edges, max_papers=max_papers
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
) -> str:
    """The page as a string.

    Parameters
    ----------
    kg : KnowledgeGraph
        The finished graph.
    title : str
        Page title and heading.
    max_concepts : int or None
        Draw only this many concepts, the most prominent (``prominence``, else
        paper count; ties: score, then key); ``None`` draws all. The others are
        still found by the page's search.
    max_edges : int or None
        Keep only this many edges among those between kept nodes, shared out
        among the kinds of edge (what one kind leaves goes to the others), the
        strongest of each kind; ``None`` keeps all.
    max_papers : int or None
        Keep only this many papers, taken in turns from the kept concepts (each
        concept's paper with the strongest mention, then its second, ...), so
        that every kept concept has papers to list while the budget lasts;
        ``None`` keeps all.

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
    topics = _topics(kg)
    colors, legend = _colors(kg, v.concepts, topics)
    positions, fonts = _term_map(kg, v, topics)
    top = _top_prominence(kg, v.concepts)
    # smallest first: vis-network draws (and picks) later nodes on top, so the biggest win
    concepts = sorted(v.concepts, key=lambda n: term_map.prominence(kg.graph.nodes[n]))
    nodes = [_paper_node(kg, n, positions) for n in v.papers]
    nodes += [_concept_node(kg, n, colors[n], top, positions, fonts[n]) for n in concepts]
    order = [n["id"] for n in nodes]
    strongest = {
        rel: max((d.get(_EDGE_WEIGHT[rel], 1.0) for _, _, r, d in v.edges if r == rel), default=1)
        for rel in _DRAWN
    }
    index = {node: i for i, node in enumerate(order)}
    kinds = [rel.value for rel in _DRAWN]
    # [from, to, kind, width(, tooltip)]: indices into nodes and kinds, to keep the file small
    edges = [
        [
            index[u],
            index[t],
            kinds.index(rel.value),
            round(0.5 + 2.5 * d.get(_EDGE_WEIGHT[rel], 1.0) / (strongest[rel] or 1), 2)
            if rel != Rel.BROADER
            else 1.0,
            *(["shared: " + ", ".join(d.get("shared", []))] if rel == Rel.RELATED_TO else []),
        ]
        for u, t, rel, d in v.edges
    ]
    years = [y for n in v.papers if (y := kg.graph.nodes[n].get("year"))]
    payload = {
        "nodes": nodes,
        "edges": edges,
        "options": _options(len(nodes) >= LARGE_NODES),
        "kinds": kinds,
        "details": _details(kg, v, topics, index),
        "more": _left_off(kg, v, index),
        "labels": {"paper": Label.PAPER.value, "concept": Label.CONCEPT.value},
        "rels": {rel.name.lower(): rel.value for rel in _DRAWN},
        "edge_styles": {rel.value: _EDGE_STYLE[rel] for rel in _DRAWN},
        "legend": legend,
        "paper_color": _PAPER_COLOR,
        "other_color": _OTHER_COLOR,
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
    return _template().render(
        title=title,
        vis_js=_asset("vis-network.min.js"),
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


def to_pyvis(
    kg: KnowledgeGraph,
    *,
    max_concepts: int | None = MAX_CONCEPTS,
    max_edges: int | None = MAX_EDGES,
    max_papers: int | None = MAX_PAPERS,
    papers: bool = False,
    height: str = "800px",
    width: str = "100%",
    notebook: bool = False,
) -> Any:
    """The page's view as a ``pyvis.network.Network``, to restyle and save with pyvis.

    The same pruning, positions, sizes and colours as :func:`render`; physics is
    off (the positions are the term map's). The concepts and the links between
    them, as the page's first view; ``papers=True`` adds the papers and their
    ``MENTIONS`` and ``RELATED_TO`` edges. pyvis's own page links its scripts
    from a CDN unless told otherwise (``cdn_resources``), unlike :func:`write`'s.

    Examples
    --------
    >>> from exporters import html
    >>> net = html.to_pyvis(kg)  # doctest: +SKIP
    >>> net.save_graph("map.html")  # doctest: +SKIP
    """
    from pyvis.network import Network

    v = view(kg, max_concepts=max_concepts, max_edges=max_edges, max_papers=max_papers)
    colors, _ = _colors(kg, v.concepts, _topics(kg))
    positions, fonts = _term_map(kg, v)
    top = _top_prominence(kg, v.concepts)
    net = Network(height=height, width=width, directed=True, notebook=notebook)
    net.toggle_physics(False)
    graph = kg.graph
    drawn = set(v.concepts)
    for n in sorted(v.concepts, key=lambda n: term_map.prominence(graph.nodes[n])):
        item = _concept_node(kg, n, colors[n], top, positions, fonts[n])
        data = graph.nodes[n]
        item["title"] = f"{data['name']}: {data.get('df', 1)} paper(s)"
        net.add_node(n, **{k: w for k, w in item.items() if k != "id"})
    if papers:
        for n in v.papers:
            item = _paper_node(kg, n, positions)
            net.add_node(n, **{k: w for k, w in item.items() if k != "id"})
            drawn.add(n)
    kinds = (Rel.CO_OCCURS, Rel.BROADER, *((Rel.MENTIONS, Rel.RELATED_TO) if papers else ()))
    for u, t, rel, _ in v.edges:
        if rel in kinds and u in drawn and t in drawn:
            net.add_edge(u, t, title=rel.value, **_EDGE_STYLE[rel])
    return net


def view(
    kg: KnowledgeGraph,
    *,
    max_concepts: int | None = None,
    max_edges: int | None = None,
    max_papers: int | None = None,
) -> View:
    """The nodes and edges the page (or picture) draws, after pruning (see :func:`render`).

    Concepts come most prominent first.
    """
    papers = [n for n, _ in kg.nodes(Label.PAPER)]
    graph = kg.graph
    concepts = sorted(
        (n for n, _ in kg.nodes(Label.CONCEPT)), key=lambda n: concept_order(graph.nodes[n])
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
        weight = _EDGE_WEIGHT[rel]
        members.sort(key=lambda i: (-edges[i][3].get(weight, 1.0), i))
        keep.update(members[: shares[rel]])
    return [e for i, e in enumerate(edges) if i in keep]


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
    return _term_map(kg, v, topics).positions


def _term_map(
    kg: KnowledgeGraph, v: View, topics: dict[str, dict[str, Any]] | None = None
) -> term_map.TermMap:
    """:func:`layout`'s positions, and the font of every drawn concept's label."""
    graph = kg.graph
    top = _top_prominence(kg, v.concepts)
    radii, labels, fonts = {}, {}, {}
    for i, c in enumerate(v.concepts):
        p = term_map.prominence(graph.nodes[c])
        radii[c] = term_map.radius(p, top)
        fonts[c] = term_map.font_size(p, top)
        if i < term_map.LABELLED:
            labels[c] = (str(graph.nodes[c].get("name", c)), fonts[c])
    topics = _topics(kg) if topics is None else topics
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
            for _, c, k in graph.out_edges(paper, keys=True)
            if k == Rel.MENTIONS and c in positions
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


def _top_prominence(kg: KnowledgeGraph, concepts: list[str]) -> float:
    return max((term_map.prominence(kg.graph.nodes[c]) for c in concepts), default=1.0)


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
        color = PALETTE[rank] if rank < TOPIC_COLORS else _OTHER_COLOR
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
        colors.setdefault(c, _OTHER_COLOR)
    return colors, legend


def _paper_node(kg: KnowledgeGraph, node: str, positions: dict[str, tuple[float, float]]) -> dict:
    data = kg.graph.nodes[node]
    x, y = positions[node]
    return {
        "id": node,
        "label": _paper_label(data),
        "shape": "square",
        "size": 5,
        "font": {"size": 9},
        "color": _PAPER_COLOR,
        "kind": Label.PAPER.value,
        "x": x,
        "y": y,
    }


def _concept_node(
    kg: KnowledgeGraph,
    node: str,
    color: str,
    top: float,
    positions: dict[str, tuple[float, float]],
    font: float,
) -> dict:
    data = kg.graph.nodes[node]
    p = term_map.prominence(data)
    x, y = positions[node]
    return {
        "id": node,
        "label": data["name"],
        "shape": "dot",
        "size": term_map.radius(p, top),
        "font": {"size": font},
        "color": color,
        "kind": Label.CONCEPT.value,
        "x": x,
        "y": y,
    }


def _paper_label(data: dict[str, Any]) -> str:
    text = data.get("title") or data.get("abstract", "")
    words = text.split()
    label = " ".join(words[:_LABEL_WORDS]) + (" ..." if len(words) > _LABEL_WORDS else "")
    return f"{label} ({data['year']})" if data.get("year") else label


def _options(large: bool) -> dict[str, Any]:
    return {
        "nodes": {
            "font": {
                "face": "arial",
                "color": "#222222",
                "strokeWidth": 3,
                "strokeColor": "#ffffff",
            },
            "borderWidth": 1,
            "scaling": {"label": {"drawThreshold": 6, "maxVisible": 40}},
        },
        "edges": {
            "smooth": False,
            "color": {"opacity": 0.45},
            "selectionWidth": 1.5,
            "arrows": {"to": {"enabled": False, "scaleFactor": 0.5}},
        },
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False},
        "interaction": {
            "hover": not large,
            "dragNodes": False,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large,
            "keyboard": False,
        },
    }


def _details(
    kg: KnowledgeGraph,
    v: View,
    topics: dict[str, dict[str, Any]],
    index: dict[str, int],
) -> dict[str, dict[str, Any]]:
    """What the side panel and the filters need for each drawn node, computed once here.

    Lists of nodes are indices into the page's node list (the page turns them into ids).
    Fields without a value (no URL, no topic, no aliases) are left out: a smaller file.
    A paper's concepts come in the paper's own order (its ``MENTIONS`` edges' order),
    a concept's papers newest first.
    """
    graph = kg.graph
    kept = index.keys()
    topic_of = {c: t for t, topic in topics.items() for c in topic["concepts"]}
    years = term_map.mean_years(kg, v.concepts)
    dates = _dates(kg, index)
    per_year = term_map.year_counts(
        kg, [c for c in v.concepts if graph.nodes[c].get("counts") is None]
    )

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
        related = sorted(
            out[Rel.RELATED_TO] + into[Rel.RELATED_TO], key=lambda i: -i[1].get("weight", 0)
        )
        details[node] = _given(
            {
                "kind": Label.PAPER.value,
                "title": data.get("title") or _paper_label(data),
                "date": data.get("date"),
                "year": data.get("year"),
                "url": _paper_url(data),
                "authors": list(data.get("authors") or []) or None,
                "id": data.get(NODE_KEY[Label.PAPER]),
                "abstract": data.get("abstract", ""),
                "concepts": [c for c, _ in out[Rel.MENTIONS]],
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
                "prominence": term_map.prominence(data),
                "rank": data.get("rank"),
                "year": years.get(node),
                "counts": data.get("counts"),
                "by_year": per_year.get(node),
                "aliases": data.get("aliases", []),
                "topic": topic_of.get(node)
                or (
                    f"community {data['community']}" if data.get("community") is not None else None
                ),
                "papers": _newest_first([u for u, _ in into[Rel.MENTIONS]], dates),
                "broader": [t for t, _ in out[Rel.BROADER]],
                "narrower": [u for u, _ in into[Rel.BROADER]],
                "cooccurring": [o for o, _ in cooccurring],
            }
        )
    return details


def _newest_first(papers: list[int], dates: list[str]) -> list[int]:
    """Papers (indices) newest first, by ``dates`` (see :func:`_dates`); ties keep their order."""
    return sorted(papers, key=dates.__getitem__, reverse=True) if papers else papers


def _dates(kg: KnowledgeGraph, index: dict[str, int]) -> list[str]:
    """Each drawn node's date (else year, else ""), by index: what "newest" sorts by."""
    graph = kg.graph
    return [str(graph.nodes[n].get("date") or graph.nodes[n].get("year") or "") for n in index]


def _paper_url(data: dict[str, Any]) -> str | None:
    """The paper's own URL, else one made from its DOI, else from its arXiv id."""
    url = data.get("url")
    if isinstance(url, str) and url.lower().startswith(("http://", "https://")):
        return url
    if doi := data.get("doi"):
        return "https://doi.org/" + str(doi)
    if arxiv := data.get("arxiv_id"):
        return "https://arxiv.org/abs/" + str(arxiv)
    return None


def _left_off(kg: KnowledgeGraph, v: View, index: dict[str, int]) -> list[list[Any]]:
    """Concepts not drawn, for search: [name, papers, prominence, drawn papers newest first].

    The :data:`MAX_LISTED` most prominent; aliases are searched through the name only.
    """
    graph = kg.graph
    drawn = set(v.concepts)
    rest = sorted(
        (n for n, _ in kg.nodes(Label.CONCEPT) if n not in drawn),
        key=lambda n: concept_order(graph.nodes[n]),
    )[:MAX_LISTED]
    dates = _dates(kg, index)
    out = []
    for n in rest:
        data = graph.nodes[n]
        papers = [
            index[u] for u, _, k in graph.in_edges(n, keys=True) if k == Rel.MENTIONS and u in index
        ]
        out.append(
            [
                data["name"],
                data.get("df", 1),
                term_map.prominence(data),
                _newest_first(papers, dates),
            ]
        )
    return out


def _given(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v is not None and (k != "aliases" or v)}


def _script_json(value: Any) -> str:
    """JSON safe inside a <script> element: no '</script>', no HTML comment openers."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@cache
def _asset(name: str) -> str:
    return (files("exporters") / "templates" / name).read_text(encoding="utf-8")


@cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("exporters", "templates"),
        autoescape=True,
        keep_trailing_newline=True,
    )
    return env.get_template("graph.html.j2")
