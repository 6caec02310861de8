"""The embedded LadybugDB store: Cypher answers on the bundled example, checked by hand.

Papers by date as in tests/graph_builder/test_example.py. The queries marked
SHARED use only Cypher that Neo4j reads the same way; the others show where
LadybugDB differs (shortest paths, a pattern reusing an edge).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from exporters import embedded
from graph_builder import KnowledgeGraph
from graph_builder.errors import ExportError, QueryError
from graph_builder.schema import Label, Rel

DNN_DATES = ["2016-12-30", "2017-10-04", "2018-10-28", "2022-05-18", "2024-02-14"]


@pytest.fixture(scope="module")
def store(example_graph: KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("store") / embedded.STORE_FILE
    embedded.write(example_graph, path)
    return path


def rows(store: Path, cypher: str, **parameters: object) -> list[list[object]]:
    return embedded.query(store, cypher, parameters).rows


def test_every_node_and_edge_is_loaded(store: Path, example_graph: KnowledgeGraph) -> None:
    for label in Label:
        assert rows(store, f"MATCH (n:{label.value}) RETURN count(n)") == [
            [example_graph.count(label)]
        ]
    for rel in Rel:
        assert rows(store, f"MATCH ()-[r:{rel.value}]->() RETURN count(r)") == [
            [example_graph.count(rel)]
        ]


# SHARED: the papers that use "mean-field framework" (only paper 1).
def test_papers_of_a_concept(store: Path) -> None:
    cypher = (
        "MATCH (p:Paper)-[m:MENTIONS]->(c:Concept {key: $key}) "
        "RETURN p.date, m.spans ORDER BY p.date"
    )
    assert rows(store, cypher, key="mean field") == [["2017-10-04", ["mean-field"]]]
    assert [r[0] for r in rows(store, cypher, key="deep neural network")] == DNN_DATES


def test_dates_are_dates_and_counts_are_integer_lists(store: Path) -> None:
    columns = {r[1]: r[2] for r in rows(store, "CALL table_info('Paper') RETURN *")}
    assert columns["date"] == "DATE"
    concept = {r[1]: r[2] for r in rows(store, "CALL table_info('Concept') RETURN *")}
    assert (concept["first_date"], concept["counts"], concept["burst_strengths"]) == (
        "DATE",
        "INT64[]",
        "DOUBLE[]",
    )
    # deep neural network: one paper in each of 2016, 2017, 2018, 2022 and 2024.
    assert rows(
        store,
        "MATCH (c:Concept {key: 'deep neural network'}) "
        "RETURN c.first_date, c.last_date, c.counts, date_part('year', c.first_date)",
    ) == [["2016-12-30", "2024-02-14", [1, 1, 1, 0, 0, 0, 1, 0, 1], 2016]]
    recent = "MATCH (p:Paper) WHERE p.date >= date('2023-01-01') RETURN p.date ORDER BY p.date"
    assert rows(store, recent) == [["2023-09-14"], ["2024-02-14"]]


# SHARED: list properties come back as lists.
def test_list_properties(store: Path) -> None:
    aliases = rows(store, "MATCH (c:Concept {key: 'deep neural network'}) RETURN c.aliases")
    assert "DNN" in aliases[0][0]
    assert rows(store, "MATCH (c:Concept {key: 'mean field'}) RETURN c.name, c.df") == [
        ["mean-field", 1]
    ]


# SHARED: the concept hierarchy.
def test_narrower_concepts(store: Path) -> None:
    cypher = (
        "MATCH (c:Concept)-[:BROADER]->(g:Concept {key: 'neural network'}) "
        "RETURN c.key ORDER BY c.key"
    )
    assert rows(store, cypher) == [["convolutional neural network"], ["deep neural network"]]


# SHARED: a concept's topic and the concepts in it.
def test_topic_of_a_concept(store: Path) -> None:
    cypher = (
        "MATCH (:Concept {key: 'mean field'})-[:IN_TOPIC]->(t:Topic)<-[:IN_TOPIC]-(o:Concept) "
        "RETURN o.key"
    )
    found = {r[0] for r in rows(store, cypher)}
    assert {"mean field", "mean field framework", "deterministic deep network"} <= found


# SHARED: each paper's topic and how firmly it belongs there; the concepts' edges have no weight.
def test_papers_in_topics(store: Path, example_graph: KnowledgeGraph) -> None:
    nodes = example_graph.graph.nodes
    expected = sorted(
        [nodes[u]["paper_id"], nodes[v]["topic_id"], d["weight"]]
        for u, v, d in example_graph.edges(Rel.IN_TOPIC)
        if u.startswith("paper:")
    )
    cypher = (
        "MATCH (p:Paper)-[r:IN_TOPIC]->(t:Topic) "
        "RETURN p.paper_id, t.topic_id, r.weight ORDER BY p.paper_id"
    )
    assert rows(store, cypher) == expected and len(expected) == 10
    # The 2020-12-20 paper has the least of its similarity within its topic (cosines
    # recomputed from the paper vectors: 0.3183 of its link weight goes to topic 2).
    least = "MATCH (p:Paper)-[r:IN_TOPIC]->(t:Topic) RETURN p.date, t.topic_id, r.weight "
    assert rows(store, least + "ORDER BY r.weight LIMIT 1") == [["2020-12-20", 2, 0.3183]]
    concepts = "MATCH (:Concept)-[r:IN_TOPIC]->(:Topic) RETURN count(r), count(r.weight)"
    assert rows(store, concepts) == [[84, 0]]  # every concept of the example


# SHARED: papers sharing a concept with paper 1, the paper itself left out explicitly.
def test_two_hop_needs_an_explicit_filter(store: Path) -> None:
    (first,) = rows(store, "MATCH (p:Paper {date: '2017-10-04'}) RETURN p.paper_id")[0]
    shared = (
        "MATCH (p:Paper {paper_id: $id})-[:MENTIONS]->(:Concept {key: 'deep neural network'})"
        "<-[:MENTIONS]-(q:Paper) {where} RETURN q.date ORDER BY q.date"
    )
    filtered = rows(store, shared.replace("{where}", "WHERE q <> p"), id=first)
    assert [r[0] for r in filtered] == [d for d in DNN_DATES if d != "2017-10-04"]
    # LadybugDB (unlike Neo4j) lets the pattern use the same MENTIONS edge twice.
    unfiltered = rows(store, shared.replace("{where}", ""), id=first)
    assert [r[0] for r in unfiltered] == DNN_DATES


# LadybugDB only: shortest paths are written `* SHORTEST`, not shortestPath().
def test_shortest_path_form(store: Path) -> None:
    cypher = (
        "MATCH p = (a:Concept {key: 'mean field'})-[:MENTIONS* SHORTEST 1..10]-"
        "(b:Concept {key: 'symmetry'}) RETURN length(p)"
    )
    # mean-field is in paper 1 only, symmetry in paper 10 only, and no concept of paper 1 is in
    # paper 10, so the chain needs at least two hops beyond the papers: 6 edges (see navigation).
    assert rows(store, cypher) == [[6]]
    with pytest.raises(QueryError, match="Parser exception"):
        rows(store, "MATCH p = shortestPath((a:Concept)-[*]-(b:Concept)) RETURN p")


def test_writes_are_refused_and_change_nothing(store: Path) -> None:
    for cypher in (
        "CREATE (:Concept {key: 'x'})",
        "MATCH (c:Concept {key: 'mean field'}) SET c.df = 99",
        "MATCH (c:Concept) DETACH DELETE c",
    ):
        with pytest.raises(QueryError, match="read-only"):
            rows(store, cypher)
    assert rows(store, "MATCH (c:Concept {key: 'mean field'}) RETURN c.df") == [[1]]


def test_bad_cypher_gets_the_engine_message_on_one_line(store: Path) -> None:
    with pytest.raises(QueryError) as caught:
        rows(store, "MATCH (n RETURN n")
    message = str(caught.value)
    assert message.startswith("Parser exception") and "\n" not in message
    with pytest.raises(QueryError, match="Table Nope does not exist"):
        rows(store, "MATCH (n:Nope) RETURN n")


def test_nodes_come_back_as_plain_dicts(store: Path) -> None:
    ((node,),) = rows(store, "MATCH (c:Concept {key: 'mean field'}) RETURN c")
    assert node["_label"] == "Concept" and node["name"] == "mean-field"
    assert all(not k.startswith("_") or k == "_label" for k in node)


def test_missing_store(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="run 'paperkg build' first"):
        embedded.query(tmp_path / "graph.lbug", "RETURN 1")


def test_a_failed_write_keeps_the_old_store(store: Path, tmp_path: Path) -> None:
    path = tmp_path / "graph.lbug"
    kg = KnowledgeGraph()
    kg.add_node(Label.CONCEPT, "a", name="a", df=1)
    embedded.write(kg, path)
    bad = KnowledgeGraph()
    bad.add_node(Label.CONCEPT, "a", name="a", df=1)
    bad.add_node(Label.CONCEPT, "b", name="b", df="one")
    with pytest.raises(ExportError, match="'df' mixes value types"):
        embedded.write(bad, path)
    assert embedded.query(path, "MATCH (c:Concept) RETURN c.key").rows == [["a"]]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.lbug"]


def test_rewriting_replaces_the_store(tmp_path: Path) -> None:
    path = tmp_path / "graph.lbug"
    for keys in (["a", "b"], ["c"]):
        kg = KnowledgeGraph()
        for key in keys:
            kg.add_node(Label.CONCEPT, key, name=key, df=1)
        embedded.write(kg, path)
    assert embedded.query(path, "MATCH (c:Concept) RETURN c.key").rows == [["c"]]


def test_format_table_cuts_long_cells() -> None:
    result = embedded.QueryResult(["x"], [["word " * 30], [None]])
    lines = embedded.format_table(result, width=20).splitlines()
    assert lines[2] == "word word word word…" and lines[3] == "" and lines[-1] == "(2 rows)"


# SHARED: a documented property that no node has is NULL, as in Neo4j (the example has no authors).
def test_documented_properties_exist_even_when_empty(store: Path) -> None:
    assert rows(store, "MATCH (p:Paper {date: '2017-10-04'}) RETURN p.authors, p.doi") == [
        [None, None]
    ]


def test_values_are_plain_json(store: Path) -> None:
    assert rows(store, "MATCH (c:Concept {key: 'mean field'}) RETURN sum(c.df), avg(c.df)") == [
        [1, 1.0]
    ]
    assert type(rows(store, "UNWIND [1, 2] AS x RETURN sum(x)")[0][0]) is int


# LadybugDB only: variable-length patterns walk (an edge may repeat): Neo4j counts 1 here.
def test_variable_length_patterns_may_repeat_edges(store: Path) -> None:
    cypher = "MATCH (:Concept {key: 'mean field'})-[:BROADER*1..3]-(x) RETURN count(x)"
    assert rows(store, cypher) == [[3]]


# LadybugDB 0.22.0 bug: ORDER BY ... LIMIT in a WITH followed by collect() keeps the LIMIT but
# not the order. Neo4j answers ['learning', 'neural network', 'deep neural network'].
def test_known_bug_order_by_before_collect(store: Path) -> None:
    cypher = "MATCH (c:Concept) WITH c ORDER BY c.df DESC, c.key LIMIT 3 RETURN collect(c.name)"
    assert rows(store, cypher) == [[["algorithm", "analogy", "application scope"]]]
    unrolled = "MATCH (c:Concept) WITH c ORDER BY c.df DESC, c.key LIMIT 3 RETURN c.name"
    assert rows(store, unrolled) == [["learning"], ["network"], ["neural network"]]


def test_a_query_that_fills_paperkg_s_buffer_pool_runs_again_with_the_engine_s(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 1 MB cannot hold the store: LadybugDB says its buffer pool is full (a big graph's
    # heavy query says the same with paperkg's 1 GiB); the answer must still come.
    monkeypatch.setattr(embedded, "_buffer_pool", lambda path: 1 << 20)
    assert rows(store, "MATCH (p:Paper) RETURN count(p)") == [[10]]


def test_small_batches_load_the_same_store(
    store: Path, example_graph: KnowledgeGraph, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(embedded, "_BATCH", 7)  # 129 MENTIONS: 19 COPYs, the last of 3 rows
    path = tmp_path / "graph.lbug"
    embedded.write(example_graph, path)
    for cypher in (
        "MATCH (p:Paper)-[m:MENTIONS]->(c:Concept) RETURN p.paper_id, c.key, m.count, m.spans "
        "ORDER BY p.paper_id, c.key",
        "MATCH (c:Concept) RETURN c.key, c.aliases, c.df ORDER BY c.key",
        "MATCH (a:Paper)-[r:RELATED_TO]->(b:Paper) RETURN a.paper_id, b.paper_id, r.shared "
        "ORDER BY a.paper_id, b.paper_id",
    ):
        batched = embedded.query(path, cypher).rows
        assert batched == embedded.query(store, cypher).rows
        assert batched
    assert rows(path, "MATCH ()-[m:MENTIONS]->() RETURN count(m)") == [
        [example_graph.count(Rel.MENTIONS)]
    ]


def test_a_label_outside_the_schema_is_refused(tmp_path: Path) -> None:
    kg = KnowledgeGraph()
    kg.graph.add_node("x", label="Journal", key="x")
    with pytest.raises(ExportError, match="label 'Journal' is not in the schema"):
        embedded.write(kg, tmp_path / "graph.lbug")
    assert list(tmp_path.iterdir()) == []


def test_values_arrow_does_not_take_as_they_are(tmp_path: Path) -> None:
    kg = KnowledgeGraph()
    kg.add_node(Label.CONCEPT, "a", name="a", score=2**62, aliases=[1, "x"], flag=True)
    kg.add_node(Label.CONCEPT, "b", name="b", score=0.5, aliases=("y",), flag=False)
    path = tmp_path / "graph.lbug"
    embedded.write(kg, path)
    assert embedded.query(
        path, "MATCH (c:Concept) RETURN c.key, c.score, c.aliases, c.flag ORDER BY c.key"
    ).rows == [["a", 2.0**62, ["1", "x"], True], ["b", 0.5, ["y"], False]]
