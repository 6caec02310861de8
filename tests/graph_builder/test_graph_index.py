"""The index answers show, path, topics and trends exactly as the whole graph does."""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from exporters import load_graph
from exporters.files import write_json
from graph_builder import KnowledgeGraph, graph_index, navigation
from graph_builder import trends as time_trends
from graph_builder.cli import app
from graph_builder.errors import ExportError, QueryError
from graph_builder.graph_index import tables
from graph_builder.schema import Label, Rel

runner = CliRunner()

TREND_OPTIONS: list[dict[str, Any]] = [
    {},
    {"falling": True},
    {"bursts": True},
    {"top": 1},
    {"top": None},
    {"since": "2024-07-01"},
    {"since": "2024-07-01", "falling": True, "top": 3},
]


def _answer(question: Callable[..., Any], *args: Any, **options: Any) -> str:
    """What a question returns, or the message of the error it raises, as JSON text."""
    try:
        return json.dumps(question(*args, **options), ensure_ascii=False)
    except QueryError as exc:
        return f"error: {exc}"


def _index_of(kg: KnowledgeGraph, directory: Path) -> Path:
    graph_index.write(kg, directory / graph_index.INDEX_FILE)
    return directory


def _assert_same_answers(kg: KnowledgeGraph, directory: Path) -> int:
    """Every concept, paper, a set of chains, the topics and the trends; the count compared."""
    concepts = [d for _, d in kg.nodes(Label.CONCEPT)]
    names = [
        "",
        "no such concept",
        "neural",
        *(d["key"] for d in concepts),
        *(w for d in concepts for w in (d.get("name", ""), *d.get("aliases", []))),
    ]
    papers = [d for _, d in kg.nodes(Label.PAPER)]
    ids = ["no-such-paper", *(d.get(f) for d in papers for f in ("paper_id", "arxiv_id", "doi"))]
    keys = [d["key"] for d in concepts]
    pairs = list(itertools.islice(itertools.product(keys, keys), 0, None, 7))
    compared = 0
    with graph_index.open_index(directory) as index:
        for name, limit in itertools.product(names, (20, 2)):
            full = _answer(navigation.concept, kg, name, limit=limit)
            assert _answer(graph_index.concept, index, name, limit=limit) == full, name
            compared += 1
        for paper_id in filter(None, ids):
            full = _answer(navigation.paper, kg, paper_id, limit=3)
            assert _answer(graph_index.paper, index, paper_id, limit=3) == full, paper_id
            compared += 1
        for a, b in pairs:
            full = _answer(navigation.path, kg, a, b)
            assert _answer(graph_index.path, index, a, b) == full, (a, b)
            compared += 1
        for count in (10, 1):
            full = _answer(navigation.topics, kg, concepts=count)
            assert _answer(graph_index.topics, index, concepts=count) == full
        for options in TREND_OPTIONS:
            full = _answer(time_trends.ranked, kg, **options)
            assert _answer(graph_index.ranked, index, **options) == full, options
        for options in ({}, {"falling": True}, {"bursts": True}):
            full = _answer(time_trends.none_ranked, kg, **options)
            assert _answer(graph_index.none_ranked, index, **options) == full, options
            read = graph_index.ranking_graph(index)
            assert _answer(time_trends.none_ranked, read, **options) == full, options
    return compared


def test_the_example_answers_are_those_of_the_whole_graph(example_dir: Path) -> None:
    kg = load_graph(example_dir)  # what the commands read before the index
    assert _assert_same_answers(kg, example_dir) > 500


def _dated_graph(seed: int) -> KnowledgeGraph:
    """60 papers over 12 months, 40 concepts mentioned at random (a few rising, one burst),
    ties in every order, a concept with two broader ones, topics; time properties added by
    the trends stage."""
    rng = random.Random(seed)
    kg = KnowledgeGraph()
    papers = [
        kg.add_node(
            Label.PAPER,
            f"p{i:02d}",
            title=f"Paper {i}" if i % 5 else "",
            abstract=" ".join(rng.choice(["graph", "spin", "model", "data"]) for _ in range(30)),
            date=f"2024-{1 + i // 5:02d}-{1 + i % 5:02d}",
            arxiv_id=f"2401.{i:05d}",
        )
        for i in range(60)
    ]
    concepts = [
        kg.add_node(
            Label.CONCEPT,
            f"concept {i}",
            name=f"Concept-{i}" if i % 3 else f"concept {i}",
            aliases=[f"c{i}s"] if i % 4 == 0 else [],
            df=0,
            score=round(rng.random(), 2),
            prominence=float(rng.choice([0, 1, 2])),
        )
        for i in range(40)
    ]
    for p, paper in enumerate(papers):
        chosen = (
            rng.sample(range(40), 6) + ([1] if p >= 30 else []) + ([2] if p in (25, 26) else [])
        )
        for c in dict.fromkeys(chosen):
            kg.add_edge(
                Rel.MENTIONS,
                paper,
                concepts[c],
                count=rng.choice([1, 2]),
                weight=rng.choice([0.5, 1.0]),
                spans=[f"concept {c}"],
            )
            kg.graph.nodes[concepts[c]]["df"] += 1
    for a, b in itertools.combinations(range(0, 40, 3), 2):
        kg.add_edge(
            Rel.CO_OCCURS, concepts[a], concepts[b], papers=rng.choice([2, 3]), strength=1.5
        )
    for a in range(0, 60, 4):
        shared = [f"concept {rng.randrange(40)}", "no such key"]
        kg.add_edge(Rel.RELATED_TO, papers[a], papers[a + 1], weight=0.5, shared=shared)
    for child, parent in ((5, 6), (5, 7), (6, 8), (9, 6), (10, 6), (8, 5)):
        kg.add_edge(Rel.BROADER, concepts[child], concepts[parent])
    for t in (1, 2, 3):
        topic = kg.add_node(Label.TOPIC, t, name=f"topic {t}", size=0)
        for c in range(t - 1, 40, 3):
            kg.add_edge(Rel.IN_TOPIC, concepts[c], topic)
            kg.graph.nodes[topic]["size"] += 1
    return time_trends.trends(kg, time_trends.TrendOptions(period="month"))


@pytest.mark.parametrize("seed", [1, 2])
def test_a_dated_graph_answers_as_the_whole_graph(seed: int, tmp_path: Path) -> None:
    kg = _dated_graph(seed)
    write_json(kg, tmp_path / "graph.json")
    assert time_trends.ranked(kg, bursts=True) and time_trends.ranked(kg)
    assert _assert_same_answers(load_graph(tmp_path), _index_of(kg, tmp_path)) > 500


def test_unusual_values_come_back_as_they_were(small_graph, tmp_path: Path) -> None:
    whole = small_graph().to_networkx()
    edges = whole["paper:p1"]
    # A weight that is an integer, no spans, a span holding the separator, an extra property.
    edges["concept:graph"]["MENTIONS"].update(weight=1, spans=[])
    edges["concept:molecule"]["MENTIONS"].update(spans=["a\x1fb", "é"], note={"x": [1.5]})
    edges["concept:gnn"]["MENTIONS"].update(spans=["graph neural network", "GNN"])
    kg = KnowledgeGraph(whole)
    kg.graph.nodes["concept:gnn"]["aliases"] = ["Graph-Neural-Networks"]
    kg.graph.nodes["paper:p2"].update(arxiv_id="2101.00001", doi="10.1/x")
    kg.add_node(Label.CONCEPT, "orphan", name="orphan", df=0)  # in no paper: no chain
    assert _assert_same_answers(kg, _index_of(kg, tmp_path)) > 20
    with graph_index.open_index(tmp_path) as index:
        view = graph_index.concept(index, "graph neural networks")
        assert view["key"] == "gnn"
        mentions = {p["paper_id"]: p["spans"] for p in view["papers"]}
        assert mentions == {"p1": ["graph neural network", "GNN"], "p2": []}
        assert graph_index.paper(index, "10.1/x")["paper_id"] == "p2"
        spans = graph_index.concept(index, "molecule")["papers"][0]["spans"]
        assert spans == ["a\x1fb", "é"]
        with pytest.raises(QueryError, match="no chain of papers links 'orphan' and 'graph'"):
            graph_index.path(index, "orphan", "graph")


def test_a_mention_has_its_own_columns_only_when_its_spans_come_back_whole() -> None:
    usual = {"type": "MENTIONS", "count": 2, "weight": 0.5, "spans": ["a b", "é"]}
    assert tables._mention(usual) == (2, 0.5, "a b\x1fé", None)
    # the separator inside a span, an empty span, a subclass of str: kept whole as JSON
    for spans in (["a\x1fb"], ["x", ""], ["x", Label.PAPER]):
        count, weight, joined, data = tables._mention({**usual, "spans": spans})
        assert (count, weight, joined) == (None, None, None)
        assert tables.mention_properties(None, None, None, data) == {
            "count": 2,
            "weight": 0.5,
            "spans": spans,
        }


def test_the_commands_print_what_they_printed_from_graph_json(example_dir: Path) -> None:
    kg = load_graph(example_dir)
    key = kg.top_concepts(1)[0]["key"]
    paper_id = navigation.concept(kg, key)["papers"][0]["paper_id"]
    expected = {
        ("show", "concept", key): navigation.format_concept(navigation.concept(kg, key)),
        ("show", "paper", paper_id): navigation.format_paper(navigation.paper(kg, paper_id)),
        ("path", "mean-field", "symmetry"): navigation.format_path(
            navigation.path(kg, "mean-field", "symmetry")
        ),
        ("topics",): navigation.format_topics(navigation.topics(kg)),
    }
    for (command, *rest), text in expected.items():
        result = runner.invoke(app, [command, str(example_dir), *rest], catch_exceptions=False)
        assert result.exit_code == 0
        assert result.stdout == text + "\n"


def test_the_trends_command_prints_what_it_printed_from_graph_json(tmp_path: Path) -> None:
    built = _dated_graph(3)
    write_json(built, tmp_path / "graph.json")
    _index_of(built, tmp_path)
    kg = load_graph(tmp_path)
    periods = f"{kg.metadata['period']}ly periods: {', '.join(kg.metadata['periods'])}"
    for options in (["--top", "5"], ["--falling"], ["--bursts"]):
        items = time_trends.ranked(
            kg,
            falling="--falling" in options,
            bursts="--bursts" in options,
            top=5 if "--top" in options else 20,
        )
        result = runner.invoke(app, ["trends", str(tmp_path), *options])
        assert result.stdout == f"{periods}\n{time_trends.format_ranked(items)}\n"


def test_a_directory_without_an_index_is_one_error_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["topics", str(tmp_path)])
    assert result.exit_code == 2
    assert result.output == (
        f"paperkg: error: {tmp_path / graph_index.INDEX_FILE}: no such file; "
        "run 'paperkg build' first\n"
    )
    (tmp_path / graph_index.INDEX_FILE).write_text("not an index")
    with pytest.raises(ExportError, match="not a paperkg index"), graph_index.open_index(tmp_path):
        pass


def test_the_index_is_written_whole_or_not_at_all(small_graph, tmp_path: Path) -> None:
    kg = small_graph()
    target = tmp_path / graph_index.INDEX_FILE
    graph_index.write(kg, target)
    before = target.read_bytes()
    kg.add_edge(Rel.MENTIONS, "paper:p1", "concept:nowhere", weight=0.5, count=1)
    with pytest.raises(KeyError):  # an edge to a node that is not in the graph's nodes
        graph_index.write(kg, target)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [graph_index.INDEX_FILE]


def test_a_rebuild_keeps_the_topic_ids_the_index_records(
    example_path: Path, tmp_path: Path
) -> None:
    from graph_builder.build_dir import build_directory

    first = build_directory([example_path], tmp_path).kg
    assert first is not None
    topics = {d["paper_id"]: d["topic"] for _, d in first.nodes(Label.PAPER)}
    assert set(topics.values()) == {1, 2}, "the example has two topics"
    # Record the topics numbered the other way round; graph.json keeps the old numbers.
    for _, data in first.nodes(Label.PAPER):
        data["topic"] = 3 - data["topic"]
    graph_index.write(first, tmp_path / graph_index.INDEX_FILE)
    again = build_directory([example_path], tmp_path, force=True).kg
    assert again is not None
    assert {d["paper_id"]: d["topic"] for _, d in again.nodes(Label.PAPER)} == {
        paper: 3 - topic for paper, topic in topics.items()
    }


def test_the_subgraph_keeps_the_orders_and_properties_networkx_keeps() -> None:
    import networkx as nx

    from graph_builder.graph_index.subgraph import Subgraph

    nodes = [("d", {"label": "Concept"}), ("a", {"key": "a"}), ("c", {}), ("b", {"x": 1})]
    edges = [
        ("a", "b", "X", {"w": 1}),
        ("c", "b", "X", {}),
        ("a", "b", "Y", {"w": 2}),
        ("b", "a", "X", {}),
        ("a", "e", "X", {}),  # a node first seen in an edge
        ("a", "d", "X", {"w": 4}),
        ("a", "b", "X", {"v": 3}),  # the same edge again: its properties are updated
        ("d", "b", "Z", {}),
    ]
    ours, theirs = Subgraph(), nx.MultiDiGraph()
    for graph in (ours, theirs):
        for node, properties in nodes:
            graph.add_node(node, **properties)
        for source, target, key, properties in edges:
            graph.add_edge(source, target, key=key, **properties)
        graph.add_node("a", extra=True)
    assert list(ours.nodes(data=True)) == list(theirs.nodes(data=True))
    assert list(ours.nodes()) == list(theirs.nodes()) == ["d", "a", "c", "b", "e"]
    assert ours.nodes["a"] == {"key": "a", "extra": True} and ours.nodes.get("z", {}) == {}
    for node in "abcde":
        for way in ("in_edges", "out_edges"):
            found = list(getattr(ours, way)(node, keys=True, data=True))
            assert found == list(getattr(theirs, way)(node, keys=True, data=True)), (node, way)
    assert list(ours.in_edges("b", keys=True, data=True)) == [
        ("a", "b", "X", {"w": 1, "v": 3}),
        ("a", "b", "Y", {"w": 2}),
        ("c", "b", "X", {}),
        ("d", "b", "Z", {}),
    ]
    with pytest.raises(NotImplementedError):
        list(ours.out_edges("a", keys=True, data=False))
