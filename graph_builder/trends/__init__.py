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

The slopes and bursts are computed in :mod:`graph_builder.trends.statistics`;
:mod:`graph_builder.trends.ranking` ranks the concepts as ``paperkg trends`` lists them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from graph_builder.errors import ConfigError
from graph_builder.model import KnowledgeGraph
from graph_builder.schema import LABEL, NAME, Label, Rel
from graph_builder.trends.ranking import (
    RANKED_CONCEPTS,
    format_ranked,
    least_papers,
    none_ranked,
    percent,
    ranked,
    sparkline,
    timeline,
)

if TYPE_CHECKING:
    import numpy as np

    from graph_builder.trends.statistics import kleinberg, log_linear_trend, theil_sen

__all__ = [
    "PERIODS",
    "RANKED_CONCEPTS",
    "TrendOptions",
    "choose_period",
    "format_ranked",
    "kleinberg",
    "least_papers",
    "log_linear_trend",
    "none_ranked",
    "percent",
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
#: The share of a topic's papers in a period that a community of the period's papers
#: must hold to be one of the topic's pieces (or to make it a partner of another topic).
PIECE_SHARE = 0.25


def __getattr__(name: str) -> Any:
    """:func:`kleinberg`, :func:`log_linear_trend` and :func:`theil_sen`, imported on
    first use with numpy, which ``paperkg show`` does not need."""
    if name not in ("kleinberg", "log_linear_trend", "theil_sen"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from graph_builder.trends import statistics

    return getattr(statistics, name)


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
    import numpy as np

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
    for paper in paper_period:  # a paper's own edges: not a pass over every edge
        for concept in kg.mentions.targets(paper):
            papers[concept].append(paper)
    return {node: papers[node] for node in concept_nodes if node in papers}


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
    import numpy as np

    from graph_builder.trends.statistics import kleinberg, theil_sen

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
    import networkx as nx

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
