"""Concepts ranked by emergence, as ``paperkg trends`` lists and prints them."""

from __future__ import annotations

import math
from typing import Any

from graph_builder.model import KnowledgeGraph
from graph_builder.schema import RANK, Label

__all__ = [
    "RANKED_CONCEPTS",
    "format_ranked",
    "least_papers",
    "none_ranked",
    "ranked",
    "sparkline",
    "timeline",
]

#: The most prominent concepts (``rank``) that :func:`ranked` ranks: the map's vocabulary.
RANKED_CONCEPTS = 2000
_ROUND = 4
_BLOCKS = " ▁▂▃▄▅▆▇█"


def sparkline(counts: list[float]) -> str:
    """One block character per period, the highest value a full block.

    >>> sparkline([0, 1, 4, 8])
    ' ▁▄█'
    """
    top = max(counts, default=0)
    if top == 0:
        return " " * len(counts)
    return "".join(_BLOCKS[math.ceil(c * (len(_BLOCKS) - 1) / top)] for c in counts)


def timeline(data: dict[str, Any], periods: list[str]) -> list[tuple[str, int]]:
    """``(period, papers)`` pairs of a node's ``counts`` (empty without time properties)."""
    return list(zip(periods, data.get("counts", []), strict=False))


def ranked(
    kg: KnowledgeGraph,
    *,
    falling: bool = False,
    bursts: bool = False,
    since: str | None = None,
    top: int | None = 20,
) -> list[dict[str, Any]]:
    """Concepts by emergence, as ``paperkg trends`` lists them.

    Only the map's concepts are ranked: the :data:`RANKED_CONCEPTS` most prominent
    (``rank``), in :func:`least_papers` papers or more. Rising: ``relative_growth``
    (``growth`` over the concept's mean share, so a frequent generic word does not
    outgrow a rarer term rising faster) above 0, highest first; ``falling``: below 0,
    lowest first; ``bursts``: concepts with a burst, the strongest burst first.
    ``since`` (an ISO date) keeps the concepts first seen on or after it. Ties: more
    papers, then key. Each item has ``name``, ``key``, ``df``, ``first_date``,
    ``last_date``, ``mean_year``, ``counts`` (period -> papers), ``shares`` (percent of
    each period's papers), ``growth``, ``relative_growth``, ``bursts``.
    """
    periods = kg.metadata.get("periods", [])
    totals = {d["name"]: d.get("papers", 0) for _, d in kg.nodes(Label.PERIOD)}
    papers = [totals.get(p, 0) for p in periods]
    least = least_papers(sum(papers))
    items = [
        _item(d, periods, papers)
        for _, d in kg.nodes(Label.CONCEPT)
        if "counts" in d and d.get("df", 0) >= least and d.get(RANK, 0) <= RANKED_CONCEPTS
    ]
    if since is not None:
        items = [d for d in items if d["first_date"] >= since]
    if bursts:
        items = [d for d in items if d["bursts"]]
        items.sort(key=lambda d: (-max(b["strength"] for b in d["bursts"]), -d["df"], d["key"]))
    elif falling:
        items = [d for d in items if d["relative_growth"] < 0]
        items.sort(key=lambda d: (d["relative_growth"], -d["df"], d["key"]))
    else:
        items = [d for d in items if d["relative_growth"] > 0]
        items.sort(key=lambda d: (-d["relative_growth"], -d["df"], d["key"]))
    return items[:top]


def least_papers(dated: int) -> int:
    """The papers a concept needs to be ranked by :func:`ranked`: 5, or 0.2 % of the dated
    papers when that is more (a share of a handful of papers swings at random)."""
    return max(5, math.ceil(dated * 0.002))


def _item(data: dict[str, Any], periods: list[str], papers: list[int]) -> dict[str, Any]:
    shares = [
        round(100 * c / n, 2) if n else 0.0 for c, n in zip(data["counts"], papers, strict=False)
    ]
    present = [s for s, n in zip(shares, papers, strict=False) if n]
    mean = sum(present) / len(present) if present else 0.0
    return {
        "name": data.get("name", data["key"]),
        "key": data["key"],
        "df": data.get("df", 0),
        "first_date": data["first_date"],
        "last_date": data["last_date"],
        "mean_year": data["mean_year"],
        "counts": dict(timeline(data, periods)),
        "shares": shares,
        "growth": data["growth"],
        "relative_growth": round(data["growth"] / mean, _ROUND) + 0.0 if mean else 0.0,
        "bursts": data["bursts"],
    }


def none_ranked(kg: KnowledgeGraph, *, falling: bool = False, bursts: bool = False) -> str:
    """Why :func:`ranked` found nothing: the line ``paperkg trends`` prints instead of a list."""
    what = "has a burst" if bursts else "falls" if falling else "rises"
    dated = sum(d.get("papers", 0) for _, d in kg.nodes(Label.PERIOD))
    periods = len(kg.metadata.get("periods", []))
    reason = (
        f"no concept {what}: {dated} dated papers over {periods} {kg.metadata.get('period', '')}"
        "ly periods"
    )
    if not bursts:
        reason += " (the growth is the median slope of a concept's share of papers per period)"
    return reason + "; `paperkg show DIR concept NAME` prints one concept's timeline"


def format_ranked(items: list[dict[str, Any]]) -> str:
    """The text ``paperkg trends`` prints: the relative growth (percent of the concept's mean
    share, per period), a sparkline of the share of each period's papers, the name, papers,
    bursts."""
    lines = []
    for item in items:
        spark = sparkline(item["shares"])
        burst = ", ".join(
            f"{b['start']}"
            + (f"..{b['end']}" if b["end"] != b["start"] else "")
            + f" ({b['strength']:.1f})"
            for b in item["bursts"]
        )
        growth = f"{100 * item['relative_growth']:+5.0f}%"
        lines.append(
            f"{growth}  {spark}  {item['name']} ({item['df']} papers, "
            f"since {item['first_date']})" + (f"  burst {burst}" if burst else "")
        )
    return "\n".join(lines)
