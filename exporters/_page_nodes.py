"""How the page draws a node (vis-network's node options) and its vis-network options."""

from __future__ import annotations

from typing import Any

from exporters import term_map
from graph_builder.model import KnowledgeGraph
from graph_builder.schema import Label, Rel

__all__ = [
    "EDGE_STYLE",
    "LARGE_NODES",
    "PAPER_COLOR",
    "concept_node",
    "options",
    "paper_label",
    "paper_node",
]

#: From this many drawn nodes on, the page turns off hover effects (a redraw per move).
LARGE_NODES = 300
PAPER_COLOR = "#7a7a7a"
_LABEL_WORDS = 6
#: How each kind of edge is drawn.
EDGE_STYLE: dict[Rel, dict[str, Any]] = {
    Rel.MENTIONS: {"color": "#b8c4d6"},
    Rel.RELATED_TO: {"color": "#7a7a7a", "dashes": True},
    Rel.CO_OCCURS: {"color": "#e3c99a"},
    Rel.BROADER: {"color": "#c3b3de", "arrows": "to"},
}


def paper_node(kg: KnowledgeGraph, node: str, positions: dict[str, tuple[float, float]]) -> dict:
    data = kg.graph.nodes[node]
    x, y = positions[node]
    return {
        "id": node,
        "label": paper_label(data),
        "shape": "square",
        "size": 5,
        "font": {"size": 9},
        "color": PAPER_COLOR,
        "kind": Label.PAPER.value,
        "x": x,
        "y": y,
    }


def concept_node(
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


def paper_label(data: dict[str, Any]) -> str:
    text = data.get("title") or data.get("abstract", "")
    words = text.split()
    label = " ".join(words[:_LABEL_WORDS]) + (" ..." if len(words) > _LABEL_WORDS else "")
    return f"{label} ({data['year']})" if data.get("year") else label


def options(large: bool) -> dict[str, Any]:
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
