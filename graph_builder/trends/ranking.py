"""Concepts ranked by emergence, as ``paperkg trends`` lists and prints them."""

from __future__ import annotations

import math
from typing import Any

from graph_builder.model import KnowledgeGraph
from graph_builder.schema import RANK, Label

__all__ = [
    "LEVEL",
    "RANKED_CONCEPTS",
    "format_ranked",
    "least_papers",
    "none_ranked",
    "percent",
    "ranked",
    "sparkline",
    "timeline",
]

#: The most prominent concepts (``rank``) that :func:`ranked` ranks: the map's vocabulary.
RANKED_CONCEPTS = 2000
#: The confidence of the interval of ``relative_growth`` that :func:`ranked` ranks by.
LEVEL = 0.95
_ROUND = 4
_RELATIVE = ("relative_growth", "relative_growth_low", "relative_growth_high")
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
    (``rank``), in :func:`least_papers` papers or more. Each one's share of the periods'
    papers is fitted by a Poisson regression on time (the period's papers its exposure):
    ``relative_growth`` is how much the share grows per period (0.5: by half each period,
    -0.2: it loses a fifth), ``relative_growth_low`` and ``relative_growth_high`` the
    bounds of its :data:`LEVEL` confidence interval (quasi-Poisson: widened when the periods
    scatter around the fit). Rising: the concepts whose interval is above 0, the highest
    lower bound first (the growth the data shows at the least, so a concept in few papers
    must rise much faster than a frequent one to come first); ``falling``: below 0, the
    lowest upper bound first; ``bursts``: concepts with a burst, the strongest burst
    first. ``since`` (an ISO date) keeps the concepts first seen on or after it. Ties:
    more papers, then key. Each item has ``name``, ``key``, ``df``, ``first_date``,
    ``last_date``, ``mean_year``, ``counts`` (period -> papers), ``shares`` (percent of
    each period's papers), ``growth`` (the stored Theil-Sen slope of the share, in
    percentage points per period), ``relative_growth``, ``relative_growth_low``,
    ``relative_growth_high`` (None where unbounded: every paper in the last period),
    ``bursts``.
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
    _add_relative_growth(items, papers)
    if bursts:
        items = [d for d in items if d["bursts"]]
        items.sort(key=lambda d: (-max(b["strength"] for b in d["bursts"]), -d["df"], d["key"]))
    elif falling:
        items = [d for d in items if _below(d["relative_growth_high"], 0)]
        items.sort(key=lambda d: (d["relative_growth_high"], -d["df"], d["key"]))
    else:
        items = [d for d in items if d["relative_growth_low"] > 0]
        items.sort(key=lambda d: (-d["relative_growth_low"], -d["df"], d["key"]))
    return items[:top]


def _below(value: float | None, limit: float) -> bool:
    return value is not None and value < limit


def _add_relative_growth(items: list[dict[str, Any]], papers: list[int]) -> None:
    """Set each item's ``relative_growth`` and its interval, every item at once."""
    if not items:
        return
    import numpy as np  # only the ranking needs it: paperkg show starts faster without

    from graph_builder.trends.statistics import log_linear_trend

    counts = np.array([list(d["counts"].values()) for d in items], dtype=float)
    slope, low, high = log_linear_trend(counts, np.array(papers), LEVEL)
    for item, *values in zip(items, slope.tolist(), low.tolist(), high.tolist(), strict=True):
        for field, value in zip(_RELATIVE, values, strict=True):
            item[field] = None if value == math.inf else round(math.expm1(value), _ROUND) + 0.0


def least_papers(dated: int) -> int:
    """The papers a concept needs to be ranked by :func:`ranked`: 5, or 0.2 % of the dated
    papers when that is more (a share of a handful of papers swings at random)."""
    return max(5, math.ceil(dated * 0.002))


def _item(data: dict[str, Any], periods: list[str], papers: list[int]) -> dict[str, Any]:
    shares = [
        round(100 * c / n, 2) if n else 0.0 for c, n in zip(data["counts"], papers, strict=False)
    ]
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
        **dict.fromkeys(_RELATIVE),  # set by _add_relative_growth
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
        reason += (
            f" (a concept {what} when the {100 * LEVEL:.0f} % confidence interval of its share's"
            " growth per period is " + ("below" if falling else "above") + " 0)"
        )
    return reason + "; `paperkg show DIR concept NAME` prints one concept's timeline"


def format_ranked(items: list[dict[str, Any]]) -> str:
    """The text ``paperkg trends`` prints: the relative growth per period and the bound of its
    interval nearer 0 (``≥`` the lower one where it grows, ``≤`` the upper one where it
    falls), a sparkline of the share of each period's papers, the name, papers, bursts."""
    lines = []
    for item in items:
        spark = sparkline(item["shares"])
        burst = ", ".join(
            f"{b['start']}"
            + (f"..{b['end']}" if b["end"] != b["start"] else "")
            + f" ({b['strength']:.1f})"
            for b in item["bursts"]
        )
        growth = item["relative_growth"]
        if growth is not None and growth < 0:
            bound = f"≤{percent(item['relative_growth_high'])}"
        else:
            bound = f"≥{percent(item['relative_growth_low'])}"
        lines.append(
            f"{percent(growth):>6} {bound:<7} {spark}  {item['name']} ({item['df']} papers, "
            f"since {item['first_date']})" + (f"  burst {burst}" if burst else "")
        )
    return "\n".join(lines)


def percent(value: float | None) -> str:
    """A relative growth as a percentage; ``new`` where unbounded (no papers before the last
    period)."""
    return "new" if value is None else f"{100 * value:+.0f}%"
