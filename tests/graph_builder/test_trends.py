"""Time trends: Kleinberg's automaton on hand-checked sequences, and a corpus with planted trends.

The planted corpus is 120 papers over the 12 months of 2024, ten a month, each made of three
sentences of the bundled example's real abstracts (a different three for every paper), with
four phrases written into some of them at known rates:

* RISING, in 5 of the 10 papers of each month from July on;
* FADING, in 5 of the 10 papers of each month up to June;
* BURST, in 8 of the 10 papers of May, and in one paper of January and one of October;
* EVEN, in 3 of the 10 papers of every month.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from pathlib import Path

import numpy as np
import pytest
from scipy.stats import chi2
from typer.testing import CliRunner

from exporters import load_graph
from graph_builder import Corpus, Paper, build_graph, read_papers
from graph_builder.cli import app
from graph_builder.model import KnowledgeGraph
from graph_builder.schema import Label, Rel
from graph_builder.trends import (
    _evolution,
    _topic_trends,
    choose_period,
    format_ranked,
    kleinberg,
    log_linear_trend,
    period_range,
    ranked,
    sparkline,
    theil_sen,
)

RISING = "quantum annealing schedule"
FADING = "symbolic regression tree"
BURST = "federated unlearning attack"
EVEN = "protein contact map"
MONTHS = [f"2024-{m:02d}" for m in range(1, 13)]

runner = CliRunner()


# Kleinberg's automaton, checked by hand -----------------------------------------------------


def test_a_single_high_period_is_a_burst_of_strength_n_ln_s() -> None:
    # 10 of 10 papers in period 2, none elsewhere: p0 = 10/50 = 0.2, p1 = 0.4. Period 2 costs
    # -10 ln 0.2 = 16.09 low and -10 ln 0.4 = 9.16 high: 10 ln 2 = 6.93 saved, more than
    # entering costs (ln 5 = 1.61); an empty period costs 10 ln(0.8/0.6) = 2.88 more high.
    assert kleinberg(np.array([[0, 0, 10, 0, 0]]), np.array([10] * 5)) == [
        [(2, 2, round(10 * math.log(2), 6))]
    ]


def test_a_burst_of_two_periods_pays_for_entering_once() -> None:
    # p0 = 10/40 = 0.25, p1 = 0.5. A period with 5 of 10 saves 5 ln 2 + 5 ln(0.5/0.75) = 1.438,
    # about ln 4 = 1.386, the cost of entering: two such periods in a row are worth it.
    gain = 5 * math.log(2) + 5 * math.log(0.5 / 0.75)
    assert kleinberg(np.array([[0, 5, 5, 0]]), np.array([10] * 4)) == [[(1, 2, round(2 * gain, 6))]]


def test_a_small_excess_is_no_burst() -> None:
    # p0 = 6/50 = 0.12: period 0 (2 of 10) saves 2 ln 2 + 8 ln(0.76/0.88) = 0.21 < ln 5.
    assert kleinberg(np.array([[2, 1, 1, 1, 1]]), np.array([10] * 5)) == [[]]


def test_rows_are_independent_and_a_flat_row_has_no_burst() -> None:
    counts = np.array([[3, 3, 3, 3, 3, 3], [0, 0, 0, 9, 9, 0], [0, 0, 0, 0, 0, 0]])
    found = kleinberg(counts, np.array([10] * 6))
    assert found[0] == [] and found[2] == []
    assert [(a, b) for a, b, _ in found[1]] == [(3, 4)]


def test_theil_sen_ignores_one_outlier_and_periods_and_spark() -> None:
    assert theil_sen(np.array([[1.0, 1.0, 1.0, 1.0, 40.0]])).tolist() == [0.0]
    assert period_range("2024-11", "2025-02", "month") == [
        "2024-11",
        "2024-12",
        "2025-01",
        "2025-02",
    ]
    assert choose_period(["2022-01-01", "2024-12-31"]) == "month"
    assert choose_period(["2021-01-01", "2024-01-02"]) == "year"
    assert sparkline([0, 0, 0]) == "   "
    assert sparkline([2, 8]) == "▂█"


def test_log_linear_trend_widens_the_interval_of_a_scattered_row() -> None:
    # Both rows have 60 papers of mean period 2.5 in six periods of 100: the same profile
    # likelihood, slope 0. The flat row fits exactly; the scattered one (fitted 10 a period)
    # has Pearson's chi-square (100 + 100 + 0 + 0 + 100 + 100) / 10 = 40 on 4 degrees of
    # freedom: a dispersion of 10, so its 95 % interval is where the flat row's likelihood
    # ratio is within 10 times chi2(95 %, 1).
    rows = np.array([[10] * 6, [0, 20, 10, 10, 20, 0]])
    slope, low, high = log_linear_trend(rows, np.array([100] * 6))
    assert slope.tolist() == pytest.approx([0.0, 0.0], abs=1e-9)
    wider = chi2.cdf(10 * chi2.ppf(0.95, 1), 1)
    _, flat_low, flat_high = log_linear_trend(rows[:1], np.array([100] * 6), level=wider)
    assert (low[1], high[1]) == pytest.approx((flat_low[0], flat_high[0]), abs=1e-9)
    assert 3 < high[1] / high[0] < 3.3  # about sqrt(10) times wider
    assert low[0] == pytest.approx(-high[0], abs=1e-3)  # a flat row: about symmetric


# The planted corpus ------------------------------------------------------------------------


def _sentences(example_path: Path) -> list[str]:
    found = []
    for paper in read_papers([example_path]).papers:
        for sentence in re.split(r"(?<=\.)\s+", paper.abstract.removesuffix("...")):
            if len(sentence.split()) >= 6 and sentence.endswith("."):
                found.append(sentence)
    return found


def _plants(month: int, slot: int) -> list[str]:
    """The phrases planted in the ``slot``-th paper (0..9) of ``month`` (1..12)."""
    phrases = []
    if month >= 7 and slot < 5:
        phrases.append(RISING)
    if month <= 6 and slot >= 5:
        phrases.append(FADING)
    if (month == 5 and slot < 8) or (month in (1, 10) and slot == 9):
        phrases.append(BURST)
    if slot in (2, 5, 8):
        phrases.append(EVEN)
    return phrases


@pytest.fixture(scope="module")
def planted_dir(example_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    sentences = _sentences(example_path)
    triples = itertools.islice(itertools.combinations(range(len(sentences)), 3), 0, None, 7)
    records = []
    for (month, slot), triple in zip(
        itertools.product(range(1, 13), range(10)), triples, strict=False
    ):
        text = " ".join(sentences[i] for i in triple)
        for phrase in _plants(month, slot):
            text += f" We also study the {phrase} in detail."
        date = f"2024-{month:02d}-{1 + 2 * slot:02d}"
        records.append({"id": f"p{month:02d}{slot}", "title": "", "abstract": text, "date": date})
    assert len(records) == 120
    base = tmp_path_factory.mktemp("planted")
    corpus = base / "planted.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    out = base / "out"
    result = runner.invoke(app, ["build", str(corpus), "-o", str(out), "-q", "--workers", "1"])
    assert result.exit_code == 0, result.output
    return out


def _trends(directory: Path, *options: str) -> list[dict]:
    result = runner.invoke(app, ["trends", str(directory), "--json", *options])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_the_planted_concepts_have_their_counts(planted_dir: Path) -> None:
    kg = load_graph(planted_dir)
    assert kg.metadata["period"] == "month" and kg.metadata["periods"] == MONTHS
    concepts = {d["key"]: d for _, d in kg.nodes(Label.CONCEPT)}
    assert concepts[RISING]["counts"] == [0] * 6 + [5] * 6
    assert concepts[FADING]["counts"] == [5] * 6 + [0] * 6
    assert concepts[BURST]["counts"] == [1, 0, 0, 0, 8, 0, 0, 0, 0, 1, 0, 0]
    assert concepts[EVEN]["counts"] == [3] * 12
    assert concepts[RISING]["first_date"] == "2024-07-01"
    assert concepts[FADING]["last_date"] == "2024-06-19"
    assert concepts[EVEN]["growth"] == 0.0
    periods = sorted((d["position"], d["name"], d["papers"]) for _, d in kg.nodes(Label.PERIOD))
    assert periods == [(i, m, 10) for i, m in enumerate(MONTHS)]


def test_rising_fading_and_burst_are_found(planted_dir: Path) -> None:
    rising = [item["key"] for item in _trends(planted_dir, "--top", "10")]
    falling = [item["key"] for item in _trends(planted_dir, "--falling", "--top", "10")]
    assert RISING in rising[:3]
    assert FADING in falling[:3]
    assert EVEN not in rising and EVEN not in falling
    bursts = {item["key"]: item["bursts"] for item in _trends(planted_dir, "--bursts")}
    assert [(b["start"], b["end"]) for b in bursts[BURST]] == [("2024-05", "2024-05")]


def test_trends_json_and_text(planted_dir: Path) -> None:
    item = next(i for i in _trends(planted_dir) if i["key"] == RISING)
    assert item["counts"] == dict(zip(MONTHS, [0] * 6 + [5] * 6, strict=True))
    assert {"name", "key", "first_date", "counts", "growth", "bursts"} <= item.keys()
    assert item["growth"] > 0
    since = [i["key"] for i in _trends(planted_dir, "--since", "2024-07-01")]
    assert RISING in since and FADING not in since
    result = runner.invoke(app, ["trends", str(planted_dir), "--top", "3"])
    assert result.exit_code == 0
    assert result.output.startswith("monthly periods: 2024-01, 2024-02")
    assert "      ▁▁▁▁▁▁" not in result.output  # six full blocks, not low ones
    assert "      ██████  quantum annealing schedule" in result.output


def test_trends_rejects_a_bad_date(planted_dir: Path) -> None:
    result = runner.invoke(app, ["trends", str(planted_dir), "--since", "last year"])
    assert result.exit_code == 2
    assert "--since 'last year': not a date" in result.output


def test_concepts_of_undated_papers_get_no_time_properties() -> None:
    kg = build_graph(
        Corpus(
            [
                Paper("p1", "Deep neural networks learn symmetry.", date="2024-03-02", year=2024),
                Paper("p2", "Spin glasses have a rugged energy landscape.", year=2023),
            ]
        )
    )
    concepts = {d["key"]: d for _, d in kg.nodes(Label.CONCEPT)}
    assert concepts["deep neural network"]["counts"] == [1]
    assert concepts["deep neural network"]["mean_year"] == 2024.17
    assert "counts" not in concepts["spin glass"] and "first_date" not in concepts["spin glass"]
    assert kg.metadata["periods"] == ["2024-03"]
    undated = build_graph(Corpus([Paper("p2", "Spin glasses have a rugged energy landscape.")]))
    assert "periods" not in undated.metadata
    assert undated.count(Label.PERIOD) == 0


def _topic_graph(groups: list[list[tuple[str, int]]]) -> tuple[KnowledgeGraph, dict[str, int]]:
    """Papers of each group (``(topic, period)`` per paper) all alike, no link between groups."""
    kg, paper_period, number = KnowledgeGraph(), {}, itertools.count()
    for topic in (1, 2):
        kg.add_node(Label.TOPIC, topic)
    for group in groups:
        nodes = []
        for topic, period in group:
            node = kg.add_node(Label.PAPER, f"p{next(number)}", topic=topic)
            paper_period[node] = period
            nodes.append(node)
        for a, b in itertools.combinations(nodes, 2):
            kg.add_edge(Rel.RELATED_TO, a, b, weight=0.5)
    return kg, paper_period


def test_topics_split_merge_and_end_with_their_papers() -> None:
    kg, paper_period = _topic_graph(
        [
            [(1, 0)] * 6,  # period 0: topic 1 in one group
            [(2, 0)] * 6,  # topic 2 in another
            [(1, 1)] * 4,  # period 1: topic 1 in two groups of 4
            [(1, 1)] * 4,
            [(2, 1)] * 6,
            [(1, 2)] * 5 + [(2, 2)] * 5,  # period 2: both topics in one group
            [(2, 3)] * 6,  # period 3: topic 1 has no papers
        ]
    )
    _topic_trends(kg, paper_period, 4)
    topics = {d["topic_id"]: d for _, d in kg.nodes(Label.TOPIC)}
    assert topics[1]["counts"] == [6, 8, 5, 0]
    assert topics[1]["evolution"] == ["start", "split", "merge", "end"]
    assert topics[2]["counts"] == [6, 6, 5, 6]
    assert topics[2]["evolution"] == ["start", "continue", "merge", "continue"]


def test_topic_evolution_events() -> None:
    pieces = [
        (0, frozenset()),
        (1, frozenset()),  # present: start
        (2, frozenset()),  # in two communities: split
        (2, frozenset()),  # continue
        (1, frozenset({"topic:9"})),  # fewer: merge
        (1, frozenset({"topic:9"})),  # same partner as before: continue
        (1, frozenset({"topic:9", "topic:3"})),  # a new partner: merge
        (0, frozenset()),  # gone: end
        (0, frozenset()),  # absent
    ]
    assert _evolution(pieces) == [
        "",
        "start",
        "split",
        "continue",
        "merge",
        "continue",
        "merge",
        "end",
        "",
    ]


def test_build_period_option(tmp_path: Path, data_dir: Path) -> None:
    out = tmp_path / "out"
    corpus = str(data_dir / "neo4j" / "trends.jsonl")
    bad = runner.invoke(app, ["build", corpus, "-o", str(out), "-q", "--period", "week"])
    assert bad.exit_code == 2
    assert "--period 'week': choose one of: month, quarter, year" in bad.output
    assert not out.exists()
    built = runner.invoke(app, ["build", corpus, "-o", str(out), "-q", "--period", "quarter"])
    assert built.exit_code == 0, built.output
    kg = load_graph(out)
    # 2021-Q1 .. 2025-Q4; one paper in each of Q1..Q4 of every year (dates on the 15th of
    # February, May, August and November).
    assert kg.metadata["period"] == "quarter" and len(kg.metadata["periods"]) == 20
    counts = {d["key"]: d["counts"] for _, d in kg.nodes(Label.CONCEPT)}
    assert counts["spin glass"] == [1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 0, 0] + [0] * 8


def test_the_trends_do_not_depend_on_the_hash_seed(outputs_by_hash_seed, data_dir: Path) -> None:
    script = (
        "from graph_builder import build_graph, read_papers\n"
        "from graph_builder.schema import Label\n"
        f"kg = build_graph(read_papers([{str(data_dir / 'neo4j' / 'trends.jsonl')!r}]))\n"
        "for label in (Label.CONCEPT, Label.TOPIC, Label.PERIOD):\n"
        "    for node, data in kg.nodes(label):\n"
        "        print(node, sorted(data.items()))\n"
    )
    outputs = outputs_by_hash_seed(script)
    assert len(outputs) == 1
    assert "'evolution'" in next(iter(outputs))


def test_an_empty_ranking_says_why(example_dir: Path) -> None:
    # The example's 10 papers, one or two a year from 2016 to 2024: the four concepts in 5 of
    # them or more (e.g. neural network: 1, 2, 1, 0, 1, 0, 1, 0, 1 papers a year) have no
    # interval of growth above or below 0, and none bursts.
    rising = runner.invoke(app, ["trends", str(example_dir)])
    bursts = runner.invoke(app, ["trends", str(example_dir), "--bursts"])
    assert rising.exit_code == bursts.exit_code == 0
    assert rising.output.splitlines()[1].startswith(
        "no concept rises: 10 dated papers over 9 yearly periods (a concept rises when the 95 %"
    )
    assert bursts.output.splitlines()[1].startswith("no concept has a burst: 10 dated papers")


def _ranked_graph(counts: dict[str, tuple[list[int], int]]) -> KnowledgeGraph:
    """Six yearly periods of 100 papers each, and concepts with their papers per period and
    ``rank``."""
    kg = KnowledgeGraph()
    years = [str(y) for y in range(2019, 2025)]
    kg.metadata.update(period="year", periods=years)
    for position, name in enumerate(years):
        kg.add_node(Label.PERIOD, name, position=position, papers=100)
    for key, (row, rank) in counts.items():
        kg.add_node(
            Label.CONCEPT, key, name=key, df=sum(row), rank=rank, counts=row, growth=0.0,
            bursts=[], first_date="2019-01-01", last_date="2024-12-31", mean_year=2022.0,
        )  # fmt: skip
    return kg


def test_rising_ranks_by_the_lower_bound_of_the_growth_checked_by_hand() -> None:
    # With 100 papers in every period, the shares are the counts in percent. The slope b of
    # log(share) fitted by Poisson regression makes the fitted mean period of the papers
    # equal to theirs (0..5):
    # * sudden, 1 1 1 2 2 8 (15 papers, mean period 57/15 = 3.8): b = 0.514, so the share grows
    #   by e^b - 1 = +67 % a period. Its Fisher information, sum of fitted papers times
    #   (period - 3.8)^2 = 28.4 (fitted 0.48 0.81 1.35 2.26 3.78 6.32), gives a standard error
    #   1/sqrt(28.4) = 0.188 and a Wald lower bound 0.514 - 1.96 * 0.188 = 0.146, +16 %;
    #   the profile-likelihood bound is a little higher (+19 %: the likelihood is skewed).
    #   Pearson's chi-square is 2.0 on 4 degrees of freedom: no overdispersion to widen it.
    # * steady, 20 25 30 35 40 45 (195 papers, mean period 2.949): b = 0.156 (+17 %), the
    #   information 529, standard error 0.0435, lower bound 0.156 - 0.085 = 0.071, +7.4 %.
    # sudden's rise is faster and, with 8 of its 15 papers in the last period where 2.5 would be
    # even, sure enough that even its lower bound beats steady's: sudden first. The old
    # ranking (Theil-Sen slope over the mean share) also put sudden first (+20 % vs +15 %)
    # but put few (0 1 2 3 3 3, +33 %) above steady too; few's share rises as fast as
    # sudden's, but 12 papers do not show it (the interval, -1 % to +108 %, holds 0), so it
    # is not listed; with twice its papers (more, +9 %) it is, between sudden and steady.
    kg = _ranked_graph(
        {
            "steady": ([20, 25, 30, 35, 40, 45], 1),
            "sudden": ([1, 1, 1, 2, 2, 8], 2),
            "few": ([0, 1, 2, 3, 3, 3], 3),
            "more": ([0, 2, 4, 6, 6, 6], 4),
            "off the map": ([1, 1, 1, 2, 2, 8], 2001),  # sudden, but not among the 2,000 first
            "rare": ([0, 0, 0, 1, 1, 2], 5),  # in 4 papers, fewer than 5
            "flat": ([5, 5, 5, 5, 5, 5], 6),
        }
    )
    items = ranked(kg)
    assert [i["key"] for i in items] == ["sudden", "more", "steady"]
    sudden, steady = items[0], items[2]
    assert sudden["relative_growth"] == pytest.approx(math.expm1(0.514), abs=0.001)
    assert steady["relative_growth"] == pytest.approx(math.expm1(0.156), abs=0.001)
    assert sudden["relative_growth_low"] == pytest.approx(0.19, abs=0.005)
    assert math.expm1(0.146) < sudden["relative_growth_low"] < sudden["relative_growth"]
    assert steady["relative_growth_low"] == pytest.approx(math.expm1(0.071), abs=0.005)
    assert steady["relative_growth"] < steady["relative_growth_high"] < 0.3
    assert items[1]["relative_growth_low"] == pytest.approx(0.09, abs=0.005)
    assert [i["key"] for i in ranked(kg, falling=True)] == []
    assert format_ranked(items).splitlines()[0] == (
        "  +67% ≥+19%   ▁▁▁▂▂█  sudden (15 papers, since 2019-01-01)"
    )


def test_a_concept_only_in_the_last_period_is_new() -> None:
    # 7 papers, all in the last period: the share's growth has no upper bound (null), but the
    # data bounds it from below, so it ranks; its mirror image falls by at most -100 %.
    kg = _ranked_graph({"late": ([0, 0, 0, 0, 0, 7], 1), "early": ([7, 0, 0, 0, 0, 0], 2)})
    (late,) = ranked(kg)
    assert late["relative_growth"] is None and late["relative_growth_high"] is None
    assert 0 < late["relative_growth_low"] < 10
    assert format_ranked([late]).startswith("   new ≥+")
    (early,) = ranked(kg, falling=True)
    assert early["relative_growth"] == early["relative_growth_low"] == -1.0
    assert -1.0 < early["relative_growth_high"] < 0
