"""A static picture of the graph for papers and slides: PNG or SVG, drawn with matplotlib.

matplotlib rather than a screenshot of the page: it writes true vector SVG (a
screenshot is only pixels), needs no browser on the machine that exports, and
gives the same bytes for the same graph. The picture uses the page's layout
(:func:`exporters.html.layout`), colours (topics, else communities, else paper
count) and pruning: by default the :data:`MAX_CONCEPTS` most prominent concepts,
:data:`MAX_PAPERS` papers and the :data:`MAX_EDGES` strongest edges, so that it
stays legible; it names the :data:`LABELLED` biggest concepts, and says in a
caption what was left out.

matplotlib is an optional dependency: ``pip install "paperkg[picture]"``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from exporters import html
from exporters._figures import RC, pyplot, save
from graph_builder.model import KnowledgeGraph
from graph_builder.schema import Rel

__all__ = ["LABELLED", "MAX_CONCEPTS", "MAX_EDGES", "MAX_PAPERS", "write_png", "write_svg"]

MAX_CONCEPTS = 150
MAX_EDGES = 1500
MAX_PAPERS = 300
LABELLED = 25


def write_png(kg: KnowledgeGraph, path: str | Path, **options: Any) -> None:
    """Write the picture as PNG (150 dpi).

    ``options``: ``max_concepts`` (default :data:`MAX_CONCEPTS`, ``None`` for all),
    ``max_edges`` (default :data:`MAX_EDGES`), ``max_papers`` (default :data:`MAX_PAPERS`;
    see :func:`exporters.html.render`), ``title``.
    """
    _write(kg, path, "png", **options)


def write_svg(kg: KnowledgeGraph, path: str | Path, **options: Any) -> None:
    """Write the picture as SVG; ``options`` as for :func:`write_png`."""
    _write(kg, path, "svg", **options)


def _write(
    kg: KnowledgeGraph,
    path: str | Path,
    fmt: str,
    *,
    max_concepts: int | None = MAX_CONCEPTS,
    max_edges: int | None = MAX_EDGES,
    max_papers: int | None = MAX_PAPERS,
    title: str = "paperkg",
) -> None:
    plt = pyplot(fmt, instead="; or choose --to html")
    from matplotlib.collections import LineCollection

    v = html.view(kg, max_concepts=max_concepts, max_edges=max_edges, max_papers=max_papers)
    positions = html.layout(kg, v)
    colors, legend = html.concept_colors(kg, v.concepts)
    graph = kg.graph
    with plt.rc_context(RC):
        fig, ax = plt.subplots(figsize=(12, 9))
        ax.set_axis_off()
        for rel, style in ((Rel.MENTIONS, "solid"), (Rel.RELATED_TO, "dashed")):
            segments = [
                [(positions[u][0], -positions[u][1]), (positions[t][0], -positions[t][1])]
                for u, t, r, _ in v.edges
                if r == rel
            ]
            ax.add_collection(
                LineCollection(segments, colors="#b8c4d6", linewidths=0.4, linestyles=style)
            )
        if v.papers:
            ax.scatter(
                [positions[n][0] for n in v.papers],
                [-positions[n][1] for n in v.papers],
                marker="s",
                s=18,
                color="#6c8ebf",
                zorder=2,
                label="paper",
            )
        if v.concepts:
            ax.scatter(
                [positions[n][0] for n in v.concepts],
                [-positions[n][1] for n in v.concepts],
                s=[12 + 10 * graph.nodes[n].get("df", 1) for n in v.concepts],
                c=[colors[n] for n in v.concepts],
                edgecolors="white",
                linewidths=0.4,
                zorder=3,
            )
        biggest = v.concepts[:LABELLED]  # the view lists concepts most prominent first
        for n in biggest:
            x, y = positions[n]
            ax.annotate(graph.nodes[n]["name"], (x, -y), fontsize=7, zorder=4, ha="center",
                        xytext=(0, 5), textcoords="offset points")  # fmt: skip
        for item in legend[:10]:
            ax.scatter([], [], color=item["color"], label=item["name"][:50])
        if legend or v.papers:
            ax.legend(loc="upper left", fontsize=7, frameon=False)
        ax.set_title(title)
        caption = f"{len(v.papers)} papers"
        if len(v.papers) < v.papers_total:
            caption += f" (of {v.papers_total}: in turns from the concepts)"
        caption += f", {len(v.concepts)} concepts"
        if len(v.concepts) < v.concepts_total:
            caption += f" (of {v.concepts_total}: the most prominent)"
        caption += f", {len(v.edges)} edges"
        if len(v.edges) < v.edges_total:
            caption += f" (of {v.edges_total}: the strongest)"
        fig.text(0.01, 0.01, caption, fontsize=8, color="#555555")
        save(fig, path, fmt, dpi=150)
