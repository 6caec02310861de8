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

This module renders the template; the parts of the page have a module each:
``_page_view`` (pruning), ``_page_layout`` (positions), ``_page_colors`` (topics,
colours, legend), ``_page_nodes`` (how nodes are drawn), ``_page_details`` (the
side panel's facts and the search list), ``_page_data`` (the page's data as a
whole) and ``_pyvis`` (:func:`to_pyvis`).
"""

from __future__ import annotations

import html as html_escape
import json
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import jinja2

from exporters._atomic import atomic_path
from exporters._page_colors import PALETTE, TOPIC_COLORS, concept_colors
from exporters._page_data import payload
from exporters._page_layout import layout
from exporters._page_nodes import LARGE_NODES
from exporters._page_view import MAX_CONCEPTS, MAX_EDGES, MAX_PAPERS, View, view
from exporters._pyvis import to_pyvis
from graph_builder.model import KnowledgeGraph

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
    data = payload(kg, v, max_concepts=max_concepts, max_edges=max_edges, max_papers=max_papers)
    return _template().render(
        title=title,
        vis_js=_asset("vis-network.min.js"),
        data=_script_json(data),
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
