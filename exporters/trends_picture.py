"""A picture of the top rising concepts: their share of each period's papers, with matplotlib.

``paperkg export DIR --to trends.png`` (or ``trends.svg``): one curve per concept,
the :data:`TOP` concepts ``paperkg trends`` ranks first (docs/schema.md), its share
of the period's papers against the periods. The same graph gives the same bytes.
matplotlib is an optional dependency: ``pip install "paperkg[picture]"``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from exporters._figures import RC, pyplot, save
from graph_builder import trends
from graph_builder.errors import ExportError
from graph_builder.model import KnowledgeGraph
from graph_builder.schema import Label

__all__ = ["TOP", "rising", "write_png", "write_svg"]

#: Concepts drawn.
TOP = 8


def rising(kg: KnowledgeGraph, top: int = TOP) -> list[dict[str, Any]]:
    """The ``top`` rising concepts, as ``paperkg trends`` ranks them."""
    return trends.ranked(kg, top=top)


def write_png(kg: KnowledgeGraph, path: str | Path, **options: Any) -> None:
    """Write the picture as PNG (120 dpi); ``options``: ``top``, ``title``."""
    _write(kg, path, "png", **options)


def write_svg(kg: KnowledgeGraph, path: str | Path, **options: Any) -> None:
    """Write the picture as SVG; ``options`` as for :func:`write_png`."""
    _write(kg, path, "svg", **options)


def _write(
    kg: KnowledgeGraph, path: str | Path, fmt: str, *, top: int = TOP, title: str = ""
) -> None:
    periods = kg.metadata.get("periods")
    if not periods:
        raise ExportError("the graph has no dated papers: no trends to draw")
    plt = pyplot(fmt)
    totals = {d["name"]: d.get("papers", 0) for _, d in kg.nodes(Label.PERIOD)}
    papers = [totals.get(p, 0) for p in periods]
    with plt.rc_context(RC):
        fig, ax = plt.subplots(figsize=(9, 4.5))
        for data in rising(kg, top):
            counts = data["counts"].values()
            shares = [100 * c / n if n else None for c, n in zip(counts, papers, strict=True)]
            growth = trends.percent(data["relative_growth"])
            ax.plot(periods, shares, marker="o", markersize=3, linewidth=1.4,
                    label=f"{data['name'][:40].rstrip()} ({growth})")  # fmt: skip
        ax.set_ylabel("share of the period's papers (%)")
        ax.set_xlabel(f"{kg.metadata.get('period', 'period')}")
        ax.set_title(title or f"Top rising concepts ({sum(papers)} dated papers)")
        ax.grid(alpha=0.3)
        if len(periods) > 12:
            for i, tick in enumerate(ax.get_xticklabels()):
                tick.set_visible(i % ((len(periods) + 11) // 12) == 0)
        ax.legend(
            fontsize=7,
            frameon=False,
            title="concept (growth per period)",
            title_fontsize=7,
            loc="upper left",
            bbox_to_anchor=(1.01, 1),
        )
        fig.tight_layout()
        save(fig, path, fmt, dpi=120)
