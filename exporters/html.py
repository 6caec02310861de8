"""An interactive page of the graph: pyvis (vis-network), one self-contained offline file.

pyvis lays out the nodes, edges and options; the page itself comes from
``exporters/templates/graph.html.j2``, which inlines the vis-network script
and stylesheet that pyvis ships, so the file loads nothing from the network
(pyvis's own ``in_line`` mode still links Bootstrap from a CDN). Every text
from the inputs reaches the page as JSON inside a ``<script
type="application/json">`` block with ``<``, ``>`` and ``&`` escaped, and is
put on screen with ``textContent`` only, never as HTML.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import jinja2
from pyvis.edge import Edge
from pyvis.network import Network

from exporters._atomic import atomic_path
from graph_builder.model import KnowledgeGraph
from graph_builder.schema import LABEL, Label, Rel

__all__ = ["render", "write"]

_PAPER_COLOR = "#6c8ebf"
_CONCEPT_COLORS = ("#f4c542", "#f39c45", "#e8684a", "#c0392b")  # by df quartile
_LABEL_WORDS = 8


def write(kg: KnowledgeGraph, path: str | Path, *, title: str = "paperkg") -> None:
    """Write the page for ``kg`` to ``path``, atomically."""
    html = render(kg, title=title)
    with atomic_path(path) as tmp:
        tmp.write_text(html, encoding="utf-8")


def render(kg: KnowledgeGraph, *, title: str = "paperkg") -> str:
    """The page as a string."""
    net = _Network(directed=False, cdn_resources="remote")
    max_df = max((d.get("df", 1) for _, d in kg.nodes(Label.CONCEPT)), default=1)
    for node, data in kg.nodes(Label.PAPER):
        net.add_node(
            node,
            label=_paper_label(data),
            title=_paper_tooltip(data),
            shape="square",
            size=12,
            color=_PAPER_COLOR,
            kind=Label.PAPER.value,
        )
    for node, data in kg.nodes(Label.CONCEPT):
        df = data.get("df", 1)
        net.add_node(
            node,
            label=data["name"],
            title=f"{data['name']}\n{df} paper(s)",
            shape="dot",
            value=df,
            color=_CONCEPT_COLORS[min(3, 4 * (df - 1) // max_df)],
            kind=Label.CONCEPT.value,
        )
    for u, v, data in kg.edges(Rel.MENTIONS):
        net.add_edge(u, v, width=0.5 + 2 * data["weight"], color="#b8c4d6", kind=Rel.MENTIONS.value)
    for u, v, data in kg.edges(Rel.RELATED_TO):
        net.add_edge(
            u,
            v,
            width=1 + 4 * data["weight"],
            color="#6c8ebf",
            dashes=True,
            title="shared: " + ", ".join(data.get("shared", [])),
            kind=Rel.RELATED_TO.value,
        )
    nodes, edges, *_ = net.get_network_data()
    payload = {
        "nodes": nodes,
        "edges": edges,
        "options": _options(),
        "details": _details(kg),
        "labels": {"paper": Label.PAPER.value, "concept": Label.CONCEPT.value},
        "summary": {
            "papers": kg.count(Label.PAPER),
            "concepts": kg.count(Label.CONCEPT),
            "edges": kg.graph.number_of_edges(),
        },
    }
    return _template().render(
        title=title,
        vis_js=_asset("vis-network.min.js"),
        vis_css=_asset("vis-network.css"),
        data=_script_json(payload),
    )


class _NodeIds(list):  # type: ignore[type-arg]
    """pyvis's list of node ids, with a set beside it so ``in`` does not scan the list."""

    def __init__(self) -> None:
        super().__init__()
        self._members: set[Any] = set()

    def __contains__(self, item: object) -> bool:
        return item in self._members

    def append(self, item: Any) -> None:
        self._members.add(item)
        super().append(item)


class _Network(Network):
    """pyvis's Network without its quadratic checks (same nodes and edges, same order).

    pyvis 0.3.2 scans every node id for each node and edge added, and every edge for each
    undirected edge, to skip duplicates; a paperkg graph has none (one edge per node pair),
    and at 30,000 papers those scans took hours.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.node_ids = _NodeIds()

    def add_edge(self, source: Any, to: Any, **options: Any) -> None:
        assert source in self.node_ids and to in self.node_ids
        self.edges.append(Edge(source, to, self.directed, **options).options)


def _paper_label(data: dict[str, Any]) -> str:
    text = data.get("title") or data.get("abstract", "")
    words = text.split()
    label = " ".join(words[:_LABEL_WORDS]) + (" ..." if len(words) > _LABEL_WORDS else "")
    return f"{label} ({data['year']})" if data.get("year") else label


def _paper_tooltip(data: dict[str, Any]) -> str:
    parts = [data.get("title") or "", data.get("date") or "", data.get("abstract", "")[:300]]
    return "\n".join(p for p in parts if p)


def _options() -> dict[str, Any]:
    return {
        "nodes": {"font": {"size": 14}, "scaling": {"min": 8, "max": 40}},
        "edges": {"smooth": False, "arrows": {"to": {"enabled": False}}},
        "physics": {
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 90},
            "stabilization": {"iterations": 300},
        },
        "interaction": {"hover": True, "tooltipDelay": 150},
    }


def _details(kg: KnowledgeGraph) -> dict[str, dict[str, Any]]:
    """What the side panel shows for each node, computed once here, not in the browser."""
    graph = kg.graph
    details: dict[str, dict[str, Any]] = {}
    for node, data in kg.nodes(Label.PAPER):
        concepts = sorted(
            (
                (v, d["weight"])
                for _, v, k, d in graph.out_edges(node, keys=True, data=True)
                if k == Rel.MENTIONS
            ),
            key=lambda item: -item[1],
        )
        related = [
            (other, d["weight"], d.get("shared", []))
            for u, v, k, d in [
                *graph.out_edges(node, keys=True, data=True),
                *graph.in_edges(node, keys=True, data=True),
            ]
            if k == Rel.RELATED_TO
            for other in [v if u == node else u]
        ]
        related.sort(key=lambda item: -item[1])
        details[node] = {
            "kind": Label.PAPER.value,
            "title": data.get("title") or _paper_label(data),
            "date": data.get("date"),
            "url": data.get("url"),
            "id": data.get("paper_id"),
            "abstract": data.get("abstract", ""),
            "concepts": [c for c, _ in concepts],
            "related": [{"node": o, "weight": w, "shared": s} for o, w, s in related],
        }
    for node, data in kg.nodes(Label.CONCEPT):
        papers = [u for u, _, k in graph.in_edges(node, keys=True) if k == Rel.MENTIONS]
        cooccurring = sorted(
            (
                (other, d["strength"])
                for u, v, k, d in [
                    *graph.out_edges(node, keys=True, data=True),
                    *graph.in_edges(node, keys=True, data=True),
                ]
                if k == Rel.CO_OCCURS
                for other in [v if u == node else u]
            ),
            key=lambda item: -item[1],
        )
        details[node] = {
            "kind": Label.CONCEPT.value,
            "title": data["name"],
            "key": data["key"],
            "aliases": data.get("aliases", []),
            "papers": papers,
            "cooccurring": [o for o, _ in cooccurring],
        }
    for node in details:
        details[node]["label"] = graph.nodes[node][LABEL]
    return details


def _script_json(value: Any) -> str:
    """JSON safe inside a <script> element: no '</script>', no HTML comment openers."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@cache
def _asset(name: str) -> str:
    return (files("pyvis") / "templates" / "lib" / "vis-9.1.2" / name).read_text(encoding="utf-8")


@cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("exporters", "templates"),
        autoescape=True,
        keep_trailing_newline=True,
    )
    return env.get_template("graph.html.j2")
