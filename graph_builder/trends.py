"""Time in the graph: when each concept is written, whether it rises, fades or bursts.

A stage after :func:`graph_builder.analysis.analyse`. The papers' dates cut the
corpus into periods (``month``, ``quarter`` or ``year``; by default ``month``
when the dated papers span less than 3 years, else ``year``), every period from
the first paper's to the last one's, empty ones included. Only papers with a
``date`` count; a concept none of whose papers has one gets no time properties.

Per concept (see docs/schema.md):

* ``first_date``, ``last_date``: its earliest and latest paper's date (ISO);
  ``mean_year``: the average publication time as a fractional year.
* ``counts``: its papers per period, aligned with the graph metadata ``periods``.
* ``growth``: the Theil-Sen slope of its share of the period's papers (in
  percentage points per period): the median of the slopes between every two
  periods, so one odd period does not make a trend, and a corpus that grows
  does not make every concept rise.
* ``bursts``: the periods where it is written far more often than usual,
  found by Kleinberg's two-state automaton on batched counts (Kleinberg 2003,
  as CiteSpace uses it): the high state emits at ``s`` times the concept's
  overall rate, entering it costs ``gamma * ln(periods)``; a burst is a run of
  the high state, ``strength`` the cost it saves (the sum over its periods of
  the low state's cost minus the high state's).

One ``Period`` node per period (key ``name``, e.g. ``2025-03``; ``position``, the
position in ``counts``; ``start``, its first day; ``papers``, its dated papers),
and the graph metadata ``period`` and ``periods`` (the names, in order).

Per topic: ``counts`` (its papers per period) and ``evolution``, aligned with
``periods``: how the topic goes on into each period from the one before, judged
by the communities of each period's own papers (Louvain on the ``RELATED_TO``
links between them, weighted by similarity), as bibliometrix's thematic
evolution judges each period's own clusters. A community that holds a quarter
of the topic's papers of the period (two at least) is one of its *pieces*; the
topic ``start``s (papers, none in the period before), ``end``s (no papers
now), ``split``s (more pieces than before), ``merge``s (fewer pieces, or a
piece that also holds a quarter of another topic's papers when none did
before), ``continue``s (otherwise), and is ``""`` with no papers in either.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import networkx as nx
import numpy as np

from graph_builder.errors import ConfigError
from graph_builder.model import KnowledgeGraph
from graph_builder.schema import LABEL, NAME, RANK, Label, Rel

__all__ = [
    "PERIODS",
    "TrendOptions",
    "choose_period",
    "format_ranked",
    "kleinberg",
    "period_of",
    "period_range",
    "ranked",
    "sparkline",
    "theil_sen",
    "timeline",
    "trends",
]

#: The period lengths ``--period`` accepts.
PERIODS = ("month", "quarter", "year")
#: Below this span of dated papers (in years) the automatic period is a month.
MONTHS_BELOW_YEARS = 3
_ROUND = 4
_BLOCKS = " ▁▂▃▄▅▆▇█"
#: The share of a topic's papers in a period that a community of the period's papers
#: must hold to be one of the topic's pieces (or to make it a partner of another topic).
PIECE_SHARE = 0.25
#: The most prominent concepts (``rank``) that :func:`ranked` ranks: the map's vocabulary.
RANKED_CONCEPTS = 2000
#: Pairs of periods handled at once by :func:`theil_sen` (bounds its memory).
_PAIR_CHUNK = 2_000_000


@dataclass(frozen=True, slots=True)
class TrendOptions:
    """Options of :func:`trends`: the period (None: automatic) and Kleinberg's ``s`` and
    ``gamma`` (CiteSpace's defaults: 2 and 1)."""

    period: str | None = None
    s: float = 2.0
    gamma: float = 1.0


def choose_period(dates: list[str]) -> str:
    """``month`` when the dates span less than 3 years, else ``year``.

    >>> choose_period(["2025-03-18", "2025-07-15"]), choose_period(["2015-01-01", "2023-06-01"])
    ('month', 'year')
    """
    if not dates:
        return "year"
    span = (date.fromisoformat(max(dates)) - date.fromisoformat(min(dates))).days / 365.25
    return "month" if span < MONTHS_BELOW_YEARS else "year"


def period_of(iso: str, period: str) -> str:
    """The period an ISO date falls in.

    >>> [period_of("2025-08-14", p) for p in PERIODS]
    ['2025-08', '2025-Q3', '2025']
    """
    if period == "month":
        return iso[:7]
    if period == "quarter":
        return f"{iso[:4]}-Q{(int(iso[5:7]) - 1) // 3 + 1}"
    return iso[:4]


def period_range(first: str, last: str, period: str) -> list[str]:
    """Every period from ``first`` to ``last`` (both periods), in order.

    >>> period_range("2024-Q4", "2025-Q2", "quarter")
    ['2024-Q4', '2025-Q1', '2025-Q2']
    """
    per_year = {"month": 12, "quarter": 4, "year": 1}[period]

    def index(label: str) -> int:
        if period == "year":
            return int(label)
        step = int(label[6:] if period == "quarter" else label[5:7])
        return int(label[:4]) * per_year + step - 1

    def label_of(i: int) -> str:
        year, step = divmod(i, per_year)
        if period == "year":
            return str(i)
        return f"{year}-Q{step + 1}" if period == "quarter" else f"{year}-{step + 1:02d}"

    return [label_of(i) for i in range(index(first), index(last) + 1)]


def _fractional_year(iso: str) -> float:
    day = date.fromisoformat(iso)
    days = 366 if day.year % 4 == 0 and (day.year % 100 or day.year % 400 == 0) else 365
    return day.year + (day.timetuple().tm_yday - 0.5) / days


def theil_sen(shares: np.ndarray) -> np.ndarray:
    """Theil-Sen slope of each row of ``shares`` against 0, 1, 2, ...: the median of
    the slopes between every two columns.

    >>> theil_sen(np.array([[0.0, 1.0, 2.0, 3.0, 30.0], [5.0, 4.0, 3.0, 2.0, 1.0]])).tolist()
    [1.0, -1.0]
    """
    rows, columns = shares.shape
    if columns < 2 or rows == 0:
        return np.zeros(rows)
    i, j = np.triu_indices(columns, k=1)
    per_chunk = max(1, _PAIR_CHUNK // len(i))
    slopes = np.empty(rows)
    for start in range(0, rows, per_chunk):
        block = shares[start : start + per_chunk]
        slopes[start : start + per_chunk] = np.median((block[:, j] - block[:, i]) / (j - i), axis=1)
    return slopes


def kleinberg(
    counts: np.ndarray, totals: np.ndarray, s: float = 2.0, gamma: float = 1.0
) -> list[list[tuple[int, int, float]]]:
    """Bursts of each row of ``counts`` (events per period out of ``totals``), by
    Kleinberg's two-state automaton for batched arrivals.

    Returns, per row, ``(first period, last period, strength)`` of each run of the
    high state (periods are column indices, both ends included).

    >>> kleinberg(np.array([[0, 0, 10, 0, 0]]), np.array([10] * 5))
    [[(2, 2, 6.931472)]]
    """
    counts = np.asarray(counts, dtype=float)
    totals = np.asarray(totals, dtype=float)
    rows, n = counts.shape
    if n == 0 or rows == 0:
        return [[] for _ in range(rows)]
    base = counts.sum(axis=1) / max(totals.sum(), 1.0)
    p0 = np.clip(base, 1e-12, 1 - 1e-12)[:, None]
    p1 = np.clip(base * s, 1e-12, 1 - 1e-9)[:, None]
    misses = totals[None, :] - counts
    # -ln P(counts | state); the binomial coefficient is the same in both states.
    cost0 = -(counts * np.log(p0) + misses * np.log1p(-p0))
    cost1 = -(counts * np.log(p1) + misses * np.log1p(-p1))
    up = gamma * math.log(n) if n > 1 else gamma
    # Viterbi over two states, starting in the low one; moving down is free.
    best0, best1 = cost0[:, 0].copy(), cost1[:, 0] + up
    from_low1 = np.zeros((rows, n), dtype=bool)  # high at t came from low at t-1
    from_high0 = np.zeros((rows, n), dtype=bool)  # low at t came from high at t-1
    for t in range(1, n):
        stay0, drop = best0, best1
        stay1, rise = best1, best0 + up
        from_high0[:, t] = drop < stay0
        from_low1[:, t] = rise < stay1
        best0 = np.minimum(stay0, drop) + cost0[:, t]
        best1 = np.minimum(stay1, rise) + cost1[:, t]
    state = best1 < best0
    gain = cost0 - cost1
    high = np.zeros((rows, n), dtype=bool)
    current = state
    for t in range(n - 1, -1, -1):  # back along the cheapest path, every row at once
        high[:, t] = current
        current = np.where(current, ~from_low1[:, t], from_high0[:, t])
    result: list[list[tuple[int, int, float]]] = [[] for _ in range(rows)]
    for row in np.flatnonzero(high.any(axis=1)).tolist():
        result[row] = _runs(high[row].tolist(), gain[row])
    return result


def _runs(high: list[bool], gain: np.ndarray) -> list[tuple[int, int, float]]:
    runs, start = [], None
    for t, on in enumerate([*high, False]):
        if on and start is None:
            start = t
        elif not on and start is not None:
            runs.append((start, t - 1, round(float(gain[start:t].sum()), 6)))
            start = None
    return runs


def sparkline(counts: list[float]) -> str:
    """One block character per period, the highest value a full block.

    >>> sparkline([0, 1, 4, 8])
    ' ▁▄█'
    """
    top = max(counts, default=0)
    if top == 0:
        return " " * len(counts)
    return "".join(_BLOCKS[math.ceil(c * (len(_BLOCKS) - 1) / top)] for c in counts)


def trends(kg: KnowledgeGraph, options: TrendOptions = TrendOptions()) -> KnowledgeGraph:
    """Add the time properties of concepts and topics, and ``periods``/``period`` to the
    graph metadata, in place; return the graph. A graph without dated papers is left as it is.
    """
    if options.period is not None and options.period not in PERIODS:
        raise ConfigError(f"unknown period {options.period!r}; choose one of: {', '.join(PERIODS)}")
    dated, concept_nodes = {}, []
    paper, concept = NAME[Label.PAPER], NAME[Label.CONCEPT]
    for node, data in kg.graph.nodes(data=True):  # one pass over a graph of many nodes
        if data.get(LABEL) == paper and data.get("date"):
            dated[node] = data["date"]
        elif data.get(LABEL) == concept:
            concept_nodes.append(node)
    if not dated:
        return kg
    period = options.period or choose_period(list(dated.values()))
    of_paper = {n: period_of(iso, period) for n, iso in dated.items()}
    periods = period_range(min(of_paper.values()), max(of_paper.values()), period)
    index = {label: i for i, label in enumerate(periods)}
    paper_period = {n: index[label] for n, label in of_paper.items()}
    totals = np.bincount(list(paper_period.values()), minlength=len(periods))
    concepts = _concept_papers(kg, paper_period, concept_nodes)
    _concept_trends(kg, concepts, dated, paper_period, totals, periods, options)
    _topic_trends(kg, paper_period, len(periods))
    for i, (label, papers) in enumerate(zip(periods, totals.tolist(), strict=True)):
        kg.add_node(Label.PERIOD, label, position=i, start=_first_day(label), papers=papers)
    kg.metadata.update(period=period, periods=periods)
    return kg


def _first_day(label: str) -> str:
    """The ISO date a period starts on.

    >>> _first_day("2025-Q3"), _first_day("2025-03"), _first_day("2025")
    ('2025-07-01', '2025-03-01', '2025-01-01')
    """
    if "Q" in label:
        return f"{label[:4]}-{3 * int(label[6:]) - 2:02d}-01"
    return f"{label}-01"[:10] if len(label) == 7 else f"{label}-01-01"


def _concept_papers(
    kg: KnowledgeGraph, paper_period: dict[str, int], concept_nodes: list[str]
) -> dict[str, list[str]]:
    """Each concept's dated papers (node ids), concepts in graph order."""
    papers: dict[str, list[str]] = defaultdict(list)
    # networkx's own adjacency dicts: its read-only views cost a third of the stage.
    adjacency, mentions = kg.graph._adj, NAME[Rel.MENTIONS]
    for paper in paper_period:  # a paper's own edges: not a pass over every edge
        for concept, keys in adjacency[paper].items():
            if mentions in keys:
                papers[concept].append(paper)
    return {node: papers[node] for node in concept_nodes if node in papers}


def _out_edges(kg: KnowledgeGraph, sources: Iterable[str], rel: Rel) -> Iterator[tuple[str, str]]:
    """``(source, target)`` of the ``rel`` edges out of ``sources``, in graph order: the
    nodes' own edges rather than a pass over every edge of the graph."""
    adjacency, name = kg.graph._adj, NAME[rel]
    for source in sources:
        for target, keys in adjacency[source].items():
            if name in keys:
                yield source, target


def _concept_trends(
    kg: KnowledgeGraph,
    concepts: dict[str, list[str]],
    dated: dict[str, str],
    paper_period: dict[str, int],
    totals: np.ndarray,
    periods: list[str],
    options: TrendOptions,
) -> None:
    """Set each concept's time properties."""
    nodes = list(concepts)
    counts = np.zeros((len(nodes), len(periods)), dtype=np.int64)
    rows = np.repeat(np.arange(len(nodes)), [len(concepts[n]) for n in nodes])
    columns = [paper_period[p] for n in nodes for p in concepts[n]]
    np.add.at(counts, (rows, columns), 1)
    year_of = {p: _fractional_year(iso) for p, iso in dated.items()}
    present = totals > 0
    shares = counts[:, present] * 100.0 / totals[present]
    growth = theil_sen(shares)
    bursts = kleinberg(counts, totals, options.s, options.gamma)
    data = kg.graph.nodes
    for row, node in enumerate(nodes):
        papers = concepts[node]
        dates = [dated[p] for p in papers]
        props = data[node]
        props["first_date"] = min(dates)
        props["last_date"] = max(dates)
        props["mean_year"] = round(sum(year_of[p] for p in papers) / len(papers), 2)
        props["counts"] = counts[row].tolist()
        props["growth"] = round(float(growth[row]), _ROUND) + 0.0
        props["bursts"] = [
            {"start": periods[a], "end": periods[b], "strength": round(w, 3)}
            for a, b, w in bursts[row]
        ]


def _topic_trends(kg: KnowledgeGraph, paper_period: dict[str, int], n: int) -> None:
    topic_node = {data["topic_id"]: node for node, data in kg.nodes(Label.TOPIC)}
    members: dict[tuple[int, int], set[str]] = defaultdict(set)  # (topic, period) -> papers
    topic_of = {}
    for paper, period in paper_period.items():
        topic = kg.graph.nodes[paper].get("topic")
        if topic in topic_node:
            members[topic, period].add(paper)
            topic_of[paper] = topic
    if not topic_of:
        return
    communities = _period_communities(kg, paper_period, n)
    for topic, node in topic_node.items():
        counts = [len(members[topic, p]) for p in range(n)]
        pieces = [
            _pieces(topic, p, communities[p], members, topic_of) if counts[p] else (0, frozenset())
            for p in range(n)
        ]
        kg.graph.nodes[node].update(counts=counts, evolution=_evolution(pieces))


def _period_communities(
    kg: KnowledgeGraph, paper_period: dict[str, int], n: int
) -> list[list[set[str]]]:
    """Per period, the Louvain communities (seed 42) of the ``RELATED_TO`` links between
    the period's papers, weighted by their similarity."""
    graphs = [nx.Graph() for _ in range(n)]
    adjacency, related = kg.graph._adj, NAME[Rel.RELATED_TO]
    for u, period in paper_period.items():
        for v, keys in adjacency[u].items():
            if related in keys and paper_period.get(v) == period:
                graphs[period].add_edge(u, v, weight=keys[related]["weight"])
    return [
        nx.community.louvain_communities(g, weight="weight", seed=42) if g.number_of_edges() else []
        for g in graphs
    ]


def _pieces(
    topic: int,
    period: int,
    communities: list[set[str]],
    members: dict[tuple[int, int], set[str]],
    topic_of: dict[str, int],
) -> tuple[int, frozenset[int]]:
    """The pieces of a topic with papers in ``period``: how many of the period's
    communities hold :data:`PIECE_SHARE` of its papers there (at least 1), and the other
    topics that a community also holds that share of."""

    def least(t: int) -> float:
        return max(2, PIECE_SHARE * len(members[t, period]))

    held, partners = 0, set()
    for community in communities:
        found = Counter(topic_of[p] for p in community if p in topic_of)
        if found[topic] >= least(topic):
            held += 1
            partners.update(t for t, k in found.items() if t != topic and k >= least(t))
    return max(1, held), frozenset(partners)


def _evolution(pieces: list[tuple[int, frozenset[str]]]) -> list[str]:
    events, before, partners = [], 0, frozenset[str]()
    for count, shared in pieces:
        if not count:
            events.append("end" if before else "")
        elif not before:
            events.append("start")
        elif count > before:
            events.append("split")
        elif count < before or shared - partners:
            events.append("merge")
        else:
            events.append("continue")
        before, partners = count, shared
    return events


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
