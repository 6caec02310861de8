"""paperkg's Neo4j loader against a real Neo4j 5.26: counts, idempotency, increments, faults.

The server is the one ``bash scripts/test`` starts (scripts/neo4j-server) or the user's
(NEO4J_URI). Only nodes with paperkg's labels are ever deleted; the tests check that a node of
another label and its relationship survive every load, replace and script run.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from exporters import cypher_script, files
from exporters.neo4j import LoadReport, connect, load
from graph_builder import KnowledgeGraph, build_graph, read_papers
from graph_builder.errors import ExportError
from graph_builder.schema import Label, Rel

pytestmark = pytest.mark.integration

# The example graph, counted by `paperkg build` and checked in tests/graph_builder/test_example.py.
EXAMPLE_PAPERS = 10


def dump(session: Any) -> dict[str, Any]:
    """Every paperkg node and relationship with its properties, in a stable order."""
    labels = [label.value for label in Label]
    nodes = session.run(
        "MATCH (n) WHERE any(l IN labels(n) WHERE l IN $labels) "
        "RETURN labels(n) AS labels, properties(n) AS props",
        labels=labels,
    ).data()
    rels = session.run(
        "MATCH (a)-[r]->(b) WHERE type(r) IN $types "
        "RETURN type(r) AS type, properties(a) AS a, properties(b) AS b, properties(r) AS props",
        types=[rel.value for rel in Rel],
    ).data()
    key = lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False, default=str)  # noqa: E731
    return {"nodes": sorted(nodes, key=key), "relationships": sorted(rels, key=key)}


def counts(session: Any) -> dict[str, int]:
    result = {}
    for label in Label:
        result[label.value] = session.run(
            "MATCH (n) WHERE $label IN labels(n) RETURN count(n) AS n", label=label.value
        ).single()["n"]
    for rel in Rel:
        result[rel.value] = session.run(
            "MATCH ()-[r]->() WHERE type(r) = $type RETURN count(r) AS n", type=rel.value
        ).single()["n"]
    return result


def graph_counts(kg: KnowledgeGraph) -> dict[str, int]:
    return {item.value: kg.count(item) for item in (*Label, *Rel)}


@pytest.fixture
def bystander(neo4j_session: Any) -> Any:
    """A node of a label paperkg does not own, linked to another one: must never change."""
    neo4j_session.run("MATCH (n:PaperkgTestBystander) DETACH DELETE n").consume()
    neo4j_session.run(
        "CREATE (:PaperkgTestBystander {name: 'kept'})"
        "-[:PAPERKG_TEST_LINK]->(:PaperkgTestBystander {name: 'too'})"
    ).consume()
    yield
    check = neo4j_session.run(
        "MATCH (a:PaperkgTestBystander {name: 'kept'})"
        "-[:PAPERKG_TEST_LINK]->(b:PaperkgTestBystander) "
        "RETURN b.name AS name"
    ).data()
    neo4j_session.run("MATCH (n:PaperkgTestBystander) DETACH DELETE n").consume()
    assert check == [{"name": "too"}]


def test_load_writes_every_node_and_relationship(
    neo4j_driver, neo4j_database, neo4j_session, bystander, example_graph: KnowledgeGraph
) -> None:
    stages: dict[str, int] = {}
    report = load(
        example_graph,
        neo4j_driver,
        neo4j_database,
        batch_size=7,
        progress=lambda stage, done, total: stages.__setitem__(stage, done),
    )
    assert counts(neo4j_session) == graph_counts(example_graph)
    assert report.nodes[Label.PAPER] == EXAMPLE_PAPERS
    assert stages[Label.PAPER] == EXAMPLE_PAPERS
    dnn = neo4j_session.run(
        "MATCH (c:Concept {key: 'deep neural network'}) RETURN c AS c"
    ).single()["c"]
    assert dnn["df"] == 5
    assert "DNN" in dnn["aliases"]
    assert "label" not in dnn
    mean_field = neo4j_session.run("MATCH (c:Concept {key: 'mean field'}) RETURN c.name AS n")
    assert mean_field.single()["n"] == "mean-field"


def test_dates_are_neo4j_dates_and_periods_are_queryable(
    neo4j_driver, neo4j_database, neo4j_session, example_graph: KnowledgeGraph
) -> None:
    load(example_graph, neo4j_driver, neo4j_database)
    types = neo4j_session.run(
        "MATCH (p:Paper) RETURN DISTINCT valueType(p.date) AS t, min(p.date.year) AS first"
    ).single()
    assert (types["t"], types["first"]) == ("DATE NOT NULL", 2016)
    # deep neural network: papers of 2016-12-30, 2017-10-04, 2018-10-28, 2022-05-18, 2024-02-14.
    dnn = neo4j_session.run(
        "MATCH (c:Concept {key: 'deep neural network'}) "
        "RETURN valueType(c.first_date) AS t, c.first_date AS first, c.last_date AS last, "
        "c.counts AS counts, c.burst_starts AS bursts"
    ).single()
    assert dnn["t"] == "DATE NOT NULL"
    assert (dnn["first"].iso_format(), dnn["last"].iso_format()) == ("2016-12-30", "2024-02-14")
    assert dnn["counts"] == [1, 1, 1, 0, 0, 0, 1, 0, 1]
    assert dnn["bursts"] == []
    periods = neo4j_session.run(
        "MATCH (p:Period) RETURN p.name AS name, p.position AS i, p.start AS start ORDER BY i"
    ).data()
    assert [p["name"] for p in periods] == [str(y) for y in range(2016, 2025)]
    assert periods[0]["start"].iso_format() == "2016-01-01"
    since = neo4j_session.run(
        "MATCH (p:Paper) WHERE p.date >= date('2023-01-01') RETURN count(p) AS n"
    ).single()["n"]
    assert since == 2  # 2023-09-14 and 2024-02-14


def test_the_schema_constraints_exist(neo4j_driver, neo4j_database, neo4j_session, example_graph):
    load(example_graph, neo4j_driver, neo4j_database)
    constraints = neo4j_session.run(
        "SHOW CONSTRAINTS YIELD labelsOrTypes, properties, type "
        "WHERE type = 'UNIQUENESS' RETURN labelsOrTypes[0] AS label, properties[0] AS key"
    ).data()
    assert {"label": "Paper", "key": "paper_id"} in constraints
    assert {"label": "Concept", "key": "key"} in constraints


def test_loading_twice_changes_nothing(
    neo4j_driver, neo4j_database, neo4j_session, bystander, example_graph: KnowledgeGraph
) -> None:
    load(example_graph, neo4j_driver, neo4j_database)
    first = dump(neo4j_session)
    load(example_graph, neo4j_driver, neo4j_database)
    assert dump(neo4j_session) == first
    assert counts(neo4j_session) == graph_counts(example_graph)


def test_a_bigger_graph_adds_papers_and_updates_old_nodes(
    neo4j_driver, neo4j_database, neo4j_session, bystander, example_path: Path, tmp_path: Path
) -> None:
    # The first four papers of the example page: deep neural network is in papers 1, 2, 3.
    lines = example_path.read_text().splitlines()
    first_four = tmp_path / "first-four.txt"
    first_four.write_text("\n".join(lines[: 2 + 2 * 4]) + "\n")
    small = build_graph(read_papers([first_four]))
    full = build_graph(read_papers([example_path]))
    load(small, neo4j_driver, neo4j_database)
    df = "MATCH (c:Concept {key: 'deep neural network'}) RETURN c.df AS df"
    assert neo4j_session.run(df).single()["df"] == 3
    load(full, neo4j_driver, neo4j_database)
    assert neo4j_session.run(df).single()["df"] == 5
    assert counts(neo4j_session)[Label.PAPER] == EXAMPLE_PAPERS
    assert counts(neo4j_session)[Label.CONCEPT] == full.count(Label.CONCEPT)
    assert counts(neo4j_session)[Rel.MENTIONS] == full.count(Rel.MENTIONS)
    # Every relationship of the full graph carries the full graph's weight.
    weights = {
        (full.graph.nodes[u]["paper_id"], full.graph.nodes[v]["paper_id"]): d["weight"]
        for u, v, d in full.edges(Rel.RELATED_TO)
    }
    stored = neo4j_session.run(
        "MATCH (a:Paper)-[r:RELATED_TO]->(b:Paper) RETURN a.paper_id AS a, b.paper_id AS b, "
        "r.weight AS w"
    ).data()
    stored = {(r["a"], r["b"]): r["w"] for r in stored}
    assert {pair: stored[pair] for pair in weights} == weights


def _first_papers(example_path: Path, tmp_path: Path, n: int) -> KnowledgeGraph:
    """The graph of the first ``n`` papers of the example page (a heading line, then date/text)."""
    lines = example_path.read_text().splitlines()
    path = tmp_path / f"first-{n}.txt"
    path.write_text("\n".join(lines[: 2 + 2 * n]) + "\n")
    return build_graph(read_papers([path]))


def _topics(session: Any) -> dict[int, tuple[str, int]]:
    rows = session.run("MATCH (t:Topic) RETURN t.topic_id AS id, t.name AS name, t.size AS size")
    return {r["id"]: (r["name"], r["size"]) for r in rows}


def _pairs(session: Any, rel: Rel) -> set[tuple[str, str]]:
    rows = session.run(
        f"MATCH (a)-[r:{rel.value}]->(b) RETURN coalesce(a.paper_id, a.key) AS a, "
        "coalesce(b.paper_id, b.key, toString(b.topic_id)) AS b"
    )
    return {(r["a"], r["b"]) for r in rows}


def _graph_pairs(kg: KnowledgeGraph, rel: Rel) -> set[tuple[str, str]]:
    key = lambda d: str(d.get("paper_id") or d.get("key") or d.get("topic_id"))  # noqa: E731
    nodes = kg.graph.nodes
    return {(key(nodes[u]), key(nodes[v])) for u, v, _ in kg.edges(rel)}


def _paper_topics(session: Any) -> list[tuple[str, int, float]]:
    rows = session.run(
        "MATCH (p:Paper)-[r:IN_TOPIC]->(t:Topic) "
        "RETURN p.paper_id AS p, t.topic_id AS t, r.weight AS w ORDER BY p, t"
    )
    return [(r["p"], r["t"], r["w"]) for r in rows]


def _graph_paper_topics(kg: KnowledgeGraph) -> list[tuple[str, int, float]]:
    nodes = kg.graph.nodes
    return sorted(
        (nodes[u]["paper_id"], nodes[v]["topic_id"], d["weight"])
        for u, v, d in kg.edges(Rel.IN_TOPIC)
        if nodes[u]["label"] == Label.PAPER
    )


def test_papers_in_topics_round_trip_and_a_reload_removes_the_old_ones(
    neo4j_driver, neo4j_database, neo4j_session, bystander, example_graph: KnowledgeGraph
) -> None:
    load(example_graph, neo4j_driver, neo4j_database)
    found = _paper_topics(neo4j_session)
    assert found == _graph_paper_topics(example_graph)
    assert len(found) == EXAMPLE_PAPERS  # one topic per paper, beside the concepts' edges
    concepts = "MATCH (:Concept)-[r:IN_TOPIC]->(:Topic) RETURN count(r) AS n"
    assert neo4j_session.run(concepts).single()["n"] == example_graph.count(Label.CONCEPT)
    # The topics change: every paper of topic 1 moves to topic 2 and the other way round.
    swapped = copy.deepcopy(example_graph)
    for u, v, data in list(swapped.edges(Rel.IN_TOPIC)):
        if u.startswith("paper:"):
            swapped.graph.remove_edge(u, v, key=Rel.IN_TOPIC.value)
            other = "topic:2" if v == "topic:1" else "topic:1"
            swapped.add_edge(Rel.IN_TOPIC, u, other, weight=data["weight"])
    report = load(swapped, neo4j_driver, neo4j_database)
    assert report.stale_relationships == EXAMPLE_PAPERS
    assert _paper_topics(neo4j_session) == _graph_paper_topics(swapped)
    assert {t for _, t, _ in _paper_topics(neo4j_session)} == {1, 2}
    assert sorted(t for _, t, _ in _paper_topics(neo4j_session)) != sorted(
        t for _, t, _ in found
    )  # topic 1 had 6 papers, now 4
    assert counts(neo4j_session) == graph_counts(swapped)


def test_a_smaller_graph_leaves_exactly_itself(
    neo4j_driver, neo4j_database, neo4j_session, bystander, example_path: Path, tmp_path: Path
) -> None:
    """Loading the graph of 4 papers over that of 10 removes the 6 papers, the concepts only
    they mention, links that changed, and topics renumbered away, then loading the 10 again
    brings everything back: each load converges to the graph it loads."""
    full = build_graph(read_papers([example_path]))
    small = _first_papers(example_path, tmp_path, 4)
    load(full, neo4j_driver, neo4j_database)
    neo4j_session.run(  # a user's own relationship between two papers that stay
        "MATCH (a:Paper {date: date('2017-10-04')}), (b:Paper {date: date('2024-02-14')}) "
        "CREATE (a)-[:PaperkgTestCites]->(b)"
    ).consume()
    report = load(small, neo4j_driver, neo4j_database)
    assert counts(neo4j_session) == graph_counts(small)
    assert report.stale_nodes >= EXAMPLE_PAPERS - 4
    # The first four papers of the page: 2017-10-04, 2024-02-14, 2016-12-30, 2020-12-20.
    dates = neo4j_session.run("MATCH (p:Paper) RETURN toString(p.date) AS d ORDER BY d").value()
    assert dates == ["2016-12-30", "2017-10-04", "2020-12-20", "2024-02-14"]
    # symmetry is only written in the 2023-09-14 paper: gone with it.
    assert neo4j_session.run("MATCH (c:Concept {key: 'symmetry'}) RETURN c").single() is None
    for rel in Rel:
        assert _pairs(neo4j_session, rel) == _graph_pairs(small, rel), rel
    expected_topics = {d["topic_id"]: (d["name"], d["size"]) for _, d in small.nodes(Label.TOPIC)}
    assert _topics(neo4j_session) == expected_topics
    cites = "MATCH (:Paper)-[r:PaperkgTestCites]->(:Paper) RETURN count(r) AS n"
    assert neo4j_session.run(cites).single()["n"] == 1
    load(full, neo4j_driver, neo4j_database)
    assert counts(neo4j_session) == graph_counts(full)
    for rel in Rel:
        assert _pairs(neo4j_session, rel) == _graph_pairs(full, rel), rel
    assert neo4j_session.run(cites).single()["n"] == 1


def test_relationships_loaded_without_a_stamp_are_replaced(
    neo4j_driver, neo4j_database, neo4j_session, example_graph: KnowledgeGraph
) -> None:
    """What an older paperkg wrote (no stamp) counts as stale, so a load still converges."""
    load(example_graph, neo4j_driver, neo4j_database)
    neo4j_session.run(
        "MATCH (a:Paper {date: date('2017-10-04')}), (b:Paper {date: date('2023-09-14')}) "
        "CREATE (a)-[:RELATED_TO {weight: 0.5}]->(b)"
    ).consume()
    neo4j_session.run("MATCH ()-[r:MENTIONS]->() REMOVE r.paperkg_load").consume()
    report = load(example_graph, neo4j_driver, neo4j_database)
    assert report.stale_relationships == 1
    assert counts(neo4j_session) == graph_counts(example_graph)
    stamps = neo4j_session.run(
        "MATCH ()-[r]->() WHERE type(r) IN $types RETURN collect(DISTINCT r.paperkg_load) AS s",
        types=[rel.value for rel in Rel],
    ).single()["s"]
    assert stamps == [report.stamp]


def test_an_interrupted_smaller_load_deletes_nothing_and_completes_on_the_next_run(
    neo4j_driver, neo4j_database, neo4j_session, example_path: Path, tmp_path: Path
) -> None:
    full = build_graph(read_papers([example_path]))
    small = _first_papers(example_path, tmp_path, 4)
    load(full, neo4j_driver, neo4j_database)

    class Interrupted(Exception):
        pass

    def stop(stage: str, done: int, total: int) -> None:
        if stage == Rel.RELATED_TO:
            raise Interrupted

    with pytest.raises(Interrupted):
        load(small, neo4j_driver, neo4j_database, batch_size=5, progress=stop)
    assert counts(neo4j_session)[Label.PAPER] == EXAMPLE_PAPERS  # nothing removed yet
    load(small, neo4j_driver, neo4j_database, batch_size=5)
    assert counts(neo4j_session) == graph_counts(small)
    for rel in Rel:
        assert _pairs(neo4j_session, rel) == _graph_pairs(small, rel), rel


@pytest.mark.parametrize("workers", [1, 2])
def test_an_interrupted_load_completes_on_the_next_run(
    neo4j_driver, neo4j_database, neo4j_session, example_graph: KnowledgeGraph, workers: int
) -> None:
    class Interrupted(Exception):
        pass

    def stop_in_the_middle(stage: str, done: int, total: int) -> None:
        if stage == Rel.MENTIONS and done >= 20:
            raise Interrupted

    with pytest.raises(Interrupted):
        load(
            example_graph,
            neo4j_driver,
            neo4j_database,
            batch_size=10,
            workers=workers,
            progress=stop_in_the_middle,
        )
    partial = counts(neo4j_session)
    if workers == 1:
        assert partial[Rel.MENTIONS] == 20
    else:  # the other writer may have written a batch or two more meanwhile
        assert 20 <= partial[Rel.MENTIONS] < example_graph.count(Rel.MENTIONS)
    assert partial[Rel.CO_OCCURS] == 0
    load(example_graph, neo4j_driver, neo4j_database, batch_size=10)
    assert counts(neo4j_session) == graph_counts(example_graph)


def test_replace_deletes_only_paperkg_nodes(
    neo4j_driver, neo4j_database, neo4j_session, bystander, example_graph: KnowledgeGraph
) -> None:
    load(example_graph, neo4j_driver, neo4j_database)
    other = copy.deepcopy(example_graph)
    stale = next(n for n, _ in other.nodes(Label.PAPER))
    other.remove_nodes([stale])
    # A user's node linked to a paperkg node: the link goes with the paper, the node stays.
    neo4j_session.run(
        "MATCH (p:Paper {date: date('2017-10-04')}) "
        "CREATE (:PaperkgTestBystander {name: 'note'})-[:ABOUT]->(p)"
    ).consume()
    report = load(other, neo4j_driver, neo4j_database, replace=True, batch_size=10)
    paperkg_nodes = sum(
        example_graph.count(label) for label in (Label.CONCEPT, Label.TOPIC, Label.PERIOD)
    )
    assert report.deleted == EXAMPLE_PAPERS + paperkg_nodes
    assert counts(neo4j_session)[Label.PAPER] == EXAMPLE_PAPERS - 1
    note = "MATCH (n:PaperkgTestBystander {name: 'note'}) RETURN count { (n)--() } AS links"
    assert neo4j_session.run(note).single()["links"] == 0


def _hostile_graph(data_dir: Path) -> KnowledgeGraph:
    kg = build_graph(read_papers([data_dir / "neo4j" / "hostile.jsonl"]))
    # A 100 kB abstract of every character that could end a string or a statement.
    long = ('\'}) DETACH DELETE n // `x` "y" \\ ; \u00e9\u91cf\U0001f9ea\n' * 2600)[:100_000]
    kg.graph.nodes["paper:2101.00002"]["abstract"] = long
    return kg


def test_hostile_text_is_stored_verbatim(
    neo4j_driver, neo4j_database, neo4j_session, bystander, data_dir: Path
) -> None:
    kg = _hostile_graph(data_dir)
    load(kg, neo4j_driver, neo4j_database)
    papers = {
        r["id"]: r
        for r in neo4j_session.run(
            "MATCH (p:Paper) RETURN p.paper_id AS id, p.title AS title, p.abstract AS abstract"
        ).data()
    }
    hostile = papers["hostile'}) DETACH DELETE n //"]
    assert hostile["title"] == "Robert'); MATCH (n) DETACH DELETE n; // graph neural networks"
    assert hostile["abstract"] == kg.graph.nodes["paper:hostile'}) DETACH DELETE n //"]["abstract"]
    assert "Schrödinger" in hostile["abstract"] and "\U0001f9ea" in hostile["abstract"]
    assert papers["2101.00002"]["abstract"] == kg.graph.nodes["paper:2101.00002"]["abstract"]
    assert len(papers["2101.00002"]["abstract"]) == 100_000
    assert counts(neo4j_session) == graph_counts(kg)


def test_the_cypher_script_loads_the_same_graph(
    neo4j_driver, neo4j_database, neo4j_session, bystander, data_dir: Path, tmp_path: Path
) -> None:
    """Run graph.cypher statement by statement as cypher-shell does, compare with the loader."""
    kg = _hostile_graph(data_dir)
    load(kg, neo4j_driver, neo4j_database)
    expected = dump(neo4j_session)
    from exporters.neo4j import delete_paperkg_nodes

    delete_paperkg_nodes(neo4j_session)
    path = tmp_path / "graph.cypher"
    cypher_script.write(kg, path)
    text = path.read_text(encoding="utf-8")
    # Statements end with ';' at the end of a line; literals hold no raw line break, so no
    # line inside a statement starts with '//'.
    code = "".join(line for line in text.splitlines(True) if not line.startswith("//"))
    statements = [s for s in code.split(";\n") if s.strip()]
    assert statements == [s.removesuffix(";") for s in cypher_script.statements(kg)]
    for _ in range(2):  # twice: the script is idempotent too
        for statement in statements:
            neo4j_session.run(statement).consume()
        assert dump(neo4j_session) == expected


def test_a_graph_with_a_missing_endpoint_fails_the_count_check(
    neo4j_driver, neo4j_database, neo4j_session, example_graph: KnowledgeGraph
) -> None:
    kg = copy.deepcopy(example_graph)
    node = "concept:deep neural network"
    kg.graph.nodes[node]["label"] = "NotALabel"  # its MENTIONS now point at nothing loaded
    with pytest.raises(ExportError, match="MENTIONS: 5 of"):
        load(kg, neo4j_driver, neo4j_database)


def test_a_node_deleted_during_a_reload_fails_it_and_the_next_run_completes(
    neo4j_driver, neo4j_database, neo4j_session, bystander, example_graph: KnowledgeGraph
) -> None:
    # A reload finds the nodes already there by the element ids it read at its start.
    load(example_graph, neo4j_driver, neo4j_database)
    concepts = example_graph.count(Label.CONCEPT)

    def delete_a_concept(stage: str, done: int, total: int) -> None:
        if stage == Label.PAPER:  # after the papers, before the concepts
            neo4j_session.run(
                "MATCH (c:Concept {key: 'deep neural network'}) DETACH DELETE c"
            ).consume()

    with pytest.raises(ExportError, match=f"^Concept: 1 of {concepts} nodes were not found"):
        load(example_graph, neo4j_driver, neo4j_database, progress=delete_a_concept)
    load(example_graph, neo4j_driver, neo4j_database)
    assert counts(neo4j_session) == graph_counts(example_graph)
    assert _pairs(neo4j_session, Rel.MENTIONS) == _graph_pairs(example_graph, Rel.MENTIONS)


def test_report_is_a_load_report(neo4j_driver, neo4j_database, neo4j_session, example_graph):
    report = load(example_graph, neo4j_driver, neo4j_database)
    assert isinstance(report, LoadReport)
    assert report.rows == sum(graph_counts(example_graph).values())


# --- the command line: password handling and one-line errors ---


def paperkg(*args: str, password: str | None, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    environ.update(env)
    if password is not None:
        environ["NEO4J_PASSWORD"] = password
    return subprocess.run(
        [sys.executable, "-m", "graph_builder", *args],
        capture_output=True,
        text=True,
        env=environ,
        stdin=subprocess.DEVNULL,
        timeout=300,
    )


@pytest.fixture(scope="module")
def example_dir(tmp_path_factory, example_graph: KnowledgeGraph) -> Path:
    directory = tmp_path_factory.mktemp("example")
    files.write_json(example_graph, directory / "graph.json")
    return directory


def _db_args(neo4j_database: str | None) -> list[str]:
    return ["--database", neo4j_database] if neo4j_database else []


def test_cli_loads_and_never_prints_the_password(
    neo4j_settings, neo4j_database, neo4j_session, bystander, example_dir: Path
) -> None:
    result = paperkg(
        "neo4j",
        str(example_dir),
        "--uri",
        neo4j_settings["uri"],
        "--user",
        neo4j_settings["user"],
        *_db_args(neo4j_database),
        password=neo4j_settings["password"],
    )
    assert result.returncode == 0, result.stderr
    assert f"{EXAMPLE_PAPERS} Paper" in result.stdout
    assert neo4j_settings["password"] not in result.stdout + result.stderr
    assert counts(neo4j_session)[Label.PAPER] == EXAMPLE_PAPERS


def test_cli_without_a_password_or_terminal_says_how_to_give_one(
    neo4j_settings, example_dir: Path
) -> None:
    result = paperkg("neo4j", str(example_dir), "--uri", neo4j_settings["uri"], password=None)
    assert result.returncode == 2
    assert result.stderr == (
        "paperkg: error: no Neo4j password: set NEO4J_PASSWORD, or run in a terminal to be asked\n"
    )


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_port(uri: str) -> str:
    return uri.rsplit(":", 1)[1].rstrip("/")


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("down", "no server answers there (is it running?)"),
        ("password", "wrong user name or password"),
        ("database", "has no database 'no_such_db'"),
        ("tls", "TLS handshake failed"),
    ],
)
def test_cli_faults_are_one_line_and_exit_2(
    neo4j_settings, example_dir: Path, case: str, expected: str
) -> None:
    uri, password, extra = neo4j_settings["uri"], neo4j_settings["password"], []
    if case == "down":
        uri = f"bolt://127.0.0.1:{_free_port()}"
    elif case == "password":
        password = password + "-wrong"
    elif case == "database":
        extra = ["--database", "no_such_db"]
    elif case == "tls":
        if "+s" in uri:
            pytest.skip("the server speaks TLS; the mismatch is tested against a plain one")
        host = uri.split("://", 1)[1]
        uri = f"bolt+s://{host}"
    result = paperkg(
        "neo4j",
        str(example_dir),
        "--uri",
        uri,
        "--user",
        neo4j_settings["user"],
        *extra,
        password=password,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("paperkg: error: ")
    assert expected in result.stderr
    assert password not in result.stderr


def test_build_with_neo4j_builds_and_loads(
    neo4j_settings, neo4j_database, neo4j_session, example_path: Path, tmp_path: Path
) -> None:
    env = {"NEO4J_USER": neo4j_settings["user"]}
    if neo4j_database:
        env["NEO4J_DATABASE"] = neo4j_database
    result = paperkg(
        "build",
        str(example_path),
        "--out",
        str(tmp_path / "out"),
        "--quiet",
        "--neo4j",
        neo4j_settings["uri"],
        password=neo4j_settings["password"],
        **env,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "graph.json").exists()
    assert counts(neo4j_session)[Label.PAPER] == EXAMPLE_PAPERS


def test_connect_rejects_other_schemes() -> None:
    from graph_builder.errors import ConfigError

    with pytest.raises(ConfigError, match="bolt, bolt\\+s, bolt\\+ssc, neo4j"):
        connect("http://127.0.0.1:7474", "neo4j", "x")


def test_the_neo4j_scheme_works_too(
    neo4j_settings, neo4j_database, neo4j_session, example_graph: KnowledgeGraph
) -> None:
    """neo4j:// asks the server for a routing table first; a single server answers it."""
    if not neo4j_settings["uri"].startswith("bolt://"):
        pytest.skip("the server is not given as bolt://")
    uri = "neo4j://" + neo4j_settings["uri"].removeprefix("bolt://")
    driver = connect(uri, neo4j_settings["user"], neo4j_settings["password"], neo4j_database)
    try:
        load(example_graph, driver, neo4j_database)
    finally:
        driver.close()
    assert counts(neo4j_session) == graph_counts(example_graph)


def test_the_password_prompt_hides_what_is_typed(
    neo4j_settings, neo4j_database, neo4j_session, example_dir: Path
) -> None:
    """Without NEO4J_PASSWORD, in a terminal, paperkg asks for it and does not echo it."""
    import pty
    import select
    import signal

    args = [sys.executable, "-m", "graph_builder", "neo4j", str(example_dir), "--quiet"]
    args += ["--uri", neo4j_settings["uri"], "--user", neo4j_settings["user"]]
    args += _db_args(neo4j_database)
    environ = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    pid, fd = pty.fork()
    if pid == 0:  # the child: paperkg on a terminal
        try:
            os.execve(sys.executable, args, environ)
        finally:
            os._exit(127)
    output = b""

    def read() -> bytes:
        if not select.select([fd], [], [], 120)[0]:
            return b""
        try:
            return os.read(fd, 1024)
        except OSError:  # the child closed the terminal
            return b""

    try:
        # click writes "Neo4j password:", then getpass flushes pending input and writes " ":
        # typing before that space would be thrown away.
        while b"password: " not in output:
            chunk = read()
            assert chunk, f"no password prompt: {output!r}"
            output += chunk
        os.write(fd, neo4j_settings["password"].encode() + b"\n")
        while chunk := read():
            output += chunk
    finally:
        done, status = os.waitpid(pid, os.WNOHANG)
        if not done:
            os.kill(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
    text = output.decode(errors="replace")
    assert os.waitstatus_to_exitcode(status) == 0, text
    assert "Neo4j password:" in text
    assert neo4j_settings["password"] not in text
    assert f"{EXAMPLE_PAPERS} Paper" in text
    assert counts(neo4j_session)[Label.PAPER] == EXAMPLE_PAPERS
