"""The offline Neo4j files: a Cypher script for cypher-shell and CSV files for neo4j-admin import.

Both are also loaded into a real Neo4j by tests/integration/test_neo4j.py (the script); here
their text is checked against what was worked out by hand from the formats' rules.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from exporters import TARGETS, cypher_script, neo4j_csv
from exporters.neo4j import (
    load_stamp,
    node_rows,
    node_statement,
    relationship_rows,
    schema_statements,
)
from graph_builder import KnowledgeGraph
from graph_builder.errors import ExportError
from graph_builder.schema import Label, Rel, edge_kinds

ARRAY = "\x1f"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("'}) DETACH DELETE n //", "'\\'}) DETACH DELETE n //'"),
        ("back\\slash", "'back\\\\slash'"),
        ("two\nlines\ttab", "'two\\nlines\\ttab'"),
        ('`tick` "dq"', "'`tick` \"dq\"'"),
        ("Schrödinger 量子 \U0001f9ea", "'Schrödinger 量子 \U0001f9ea'"),
        ("bell\x07", "'bell\\u0007'"),
        (["a", "b'"], "['a', 'b\\'']"),
        ({"we`ird": 1, "x": None}, "{`we``ird`: 1, `x`: null}"),
        (0.25, "0.25"),
        (False, "false"),
    ],
)
def test_cypher_literals(value: object, expected: str) -> None:
    assert cypher_script.literal(value) == expected


def test_non_finite_numbers_have_no_literal() -> None:
    with pytest.raises(ExportError, match="nan has no Cypher literal"):
        cypher_script.literal(float("nan"))


def test_script_layout(
    example_graph: KnowledgeGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Statements of 300 rows, so that the example's CO_OCCURS (over 300) take two.
    monkeypatch.setattr(cypher_script, "ROWS_PER_STATEMENT", 300)
    path = tmp_path / "graph.cypher"
    cypher_script.write(example_graph, path)
    text = path.read_text(encoding="utf-8")
    statements = cypher_script.statements(example_graph)
    # One statement per 300 rows of each label and type; empty ones (no authors) give none.
    # The example: 10 papers, 84 concepts and 2 topics; 121 MENTIONS, 38 RELATED_TO, 29 BROADER,
    # 84 Concept-IN_TOPIC and 10 Paper-IN_TOPIC fit one statement each, the 466 CO_OCCURS take
    # two. Then one removal statement per label and per kind of relationship.
    assert len(statements) == len(schema_statements()) + 4 + 7 + len(Label) + len(edge_kinds())
    papers_in_topics = [
        s
        for s in statements
        if "MATCH (a:`Paper` {`paper_id`: row.source}) "
        "MATCH (b:`Topic` {`topic_id`: row.target}) MERGE (a)-[r:`IN_TOPIC`]" in s
    ]
    assert len(papers_in_topics) == 1 and papers_in_topics[0].count("{`weight`: ") == 10
    assert statements[len(schema_statements())].startswith("UNWIND [\n{`key`: 'paper-")
    nodes = {label: node_rows(example_graph, label) for label in Label}
    rels = {kind: relationship_rows(example_graph, kind) for kind in edge_kinds()}
    stamp = cypher_script.literal(load_stamp(nodes, rels))
    co_occurs = [s for s in statements if "[r:`CO_OCCURS`]" in s]
    assert len(co_occurs) == 2
    assert co_occurs[-1].endswith(
        "] AS row MATCH (a:`Concept` {`key`: row.source}) "
        "MATCH (b:`Concept` {`key`: row.target}) "
        f"MERGE (a)-[r:`CO_OCCURS`]->(b) SET r = row.props, r.`paperkg_load` = {stamp} "
        "RETURN count(r) AS merged;"
    )
    body = node_statement(Label.CONCEPT, stamp=stamp).removeprefix("UNWIND $rows AS row ")
    assert f"] AS row {body};" in text
    assert statements[-1] == (
        "MATCH (:`Paper`)-[x:`COUPLED_WITH`]->(:`Paper`) "  # the last type of the schema
        f"WHERE coalesce(x.`paperkg_load`, '') <> {stamp} "
        "CALL { WITH x DELETE x } IN TRANSACTIONS OF 6000 ROWS;"
    )
    assert text.count(";\n") == len(statements)
    # One row per line: every line of a statement is a row, or opens or closes the UNWIND list.
    for line in text.splitlines():
        assert line.startswith(("//", "CREATE ", "UNWIND [", "{", "] AS row ", "MATCH (")), line


def test_script_target_is_listed() -> None:
    assert TARGETS["cypher"].default_name == "graph.cypher"
    assert TARGETS["neo4j-csv"].default_name == "neo4j-import"


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def test_csv_files_have_neo4j_admin_headers(example_graph: KnowledgeGraph, tmp_path: Path) -> None:
    out = tmp_path / "neo4j-import"
    neo4j_csv.write(example_graph, out)
    assert sorted(p.name for p in out.iterdir()) == [
        "import.sh",
        "nodes-Concept.csv",
        "nodes-Paper.csv",
        "nodes-Period.csv",
        "nodes-Topic.csv",
        "relationships-BROADER.csv",
        "relationships-CO_OCCURS.csv",
        "relationships-IN_TOPIC-Paper-Topic.csv",
        "relationships-IN_TOPIC.csv",
        "relationships-MENTIONS.csv",
        "relationships-RELATED_TO.csv",
    ]
    papers = read_csv(out / "nodes-Paper.csv")
    assert papers[0] == [
        "paper_id:ID(Paper)",
        "abstract:string",
        "date:date",
        "source:string",
        "title:string",
        "topic:long",
        "truncated:boolean",
        "year:long",
        ":LABEL",
    ]
    assert len(papers) == 1 + 10
    concepts = {row[0]: row for row in read_csv(out / "nodes-Concept.csv")[1:]}
    header = read_csv(out / "nodes-Concept.csv")[0]
    assert header == [
        "key:ID(Concept)",
        "aliases:string[]",
        "burst_ends:string[]",
        "burst_starts:string[]",
        "burst_strengths:string[]",
        "centrality:double",
        "community:long",
        "counts:long[]",
        "degree:long",
        "df:long",
        "first_date:date",
        "growth:double",
        "last_date:date",
        "mean_year:double",
        "name:string",
        "prominence:double",
        "rank:long",
        "score:double",
        ":LABEL",
    ]
    dnn = dict(zip(header, concepts["deep neural network"], strict=True))
    assert "DNN" in dnn["aliases:string[]"].split(ARRAY)
    assert dnn["df:long"] == "5"
    # Papers of 2016-12-30, 2017-10-04, 2018-10-28, 2022-05-18 and 2024-02-14, years 2016-2024.
    assert dnn["counts:long[]"].split(ARRAY) == ["1", "1", "1", "0", "0", "0", "1", "0", "1"]
    assert (dnn["first_date:date"], dnn["last_date:date"]) == ("2016-12-30", "2024-02-14")
    assert dnn[":LABEL"] == "Concept"
    assert dict(zip(header, concepts["mean field"], strict=True))["name:string"] == "mean-field"
    mentions = read_csv(out / "relationships-MENTIONS.csv")
    assert mentions[0] == [
        ":START_ID(Paper)",
        "count:long",
        "spans:string[]",
        "weight:double",
        ":END_ID(Concept)",
        ":TYPE",
    ]
    # deep neural network is mentioned by papers 1, 2, 3, 6 and 7 of the example.
    assert sum(1 for row in mentions[1:] if row[-2] == "deep neural network") == 5
    # IN_TOPIC joins two pairs of labels: a file each, as each has its own id spaces.
    assert read_csv(out / "relationships-IN_TOPIC.csv")[0] == [
        ":START_ID(Concept)",
        ":END_ID(Topic)",
        ":TYPE",
    ]
    papers_in_topics = read_csv(out / "relationships-IN_TOPIC-Paper-Topic.csv")
    assert papers_in_topics[0] == [":START_ID(Paper)", "weight:double", ":END_ID(Topic)", ":TYPE"]
    assert len(papers_in_topics) == 1 + 10
    script = (out / "import.sh").read_text()
    assert "neo4j-admin database import full neo4j --array-delimiter=U+001F" in script
    assert "--nodes=nodes-Paper.csv" in script
    assert "--relationships=relationships-CO_OCCURS.csv" in script
    assert "--relationships=relationships-IN_TOPIC-Paper-Topic.csv" in script


def test_csv_multiline_and_quotes_survive(tmp_path: Path) -> None:
    kg = KnowledgeGraph()
    kg.add_node(Label.PAPER, 'p"1', abstract='line one\nline "two", three', year=2020)
    neo4j_csv.write(kg, tmp_path / "out")
    rows = read_csv(tmp_path / "out" / "nodes-Paper.csv")
    assert rows[1] == ['p"1', 'line one\nline "two", three', "2020", "Paper"]


def test_csv_refuses_a_list_item_holding_the_delimiter(tmp_path: Path) -> None:
    kg = KnowledgeGraph()
    kg.add_node(Label.CONCEPT, "x", aliases=["a\x1fb"])
    with pytest.raises(ExportError, match="Concept 'x': a list item holds the array delimiter"):
        neo4j_csv.write(kg, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_rel_types_without_edges_get_no_file(example_graph: KnowledgeGraph, tmp_path: Path) -> None:
    neo4j_csv.write(example_graph, tmp_path / "out")
    # The example has no authors, so no WROTE edges.
    assert not (tmp_path / "out" / f"relationships-{Rel.WROTE.value}.csv").exists()


def test_the_stamp_of_a_graph_file_is_the_hash_of_its_bytes(tmp_path: Path) -> None:
    import hashlib

    from exporters.neo4j import file_stamp

    one, two = tmp_path / "one.json", tmp_path / "two.json"
    one.write_bytes(b'{"nodes": []}\n')
    two.write_bytes(b'{"nodes": [1]}\n')
    assert file_stamp(one) == hashlib.sha256(b'{"nodes": []}\n').hexdigest()[:16]
    assert file_stamp(one) != file_stamp(two)


def test_the_same_graph_gets_the_same_row_stamp(example_graph: KnowledgeGraph) -> None:
    import copy

    from exporters.neo4j import graph_rows

    other = copy.deepcopy(example_graph)
    assert load_stamp(*graph_rows(other)) == load_stamp(*graph_rows(example_graph))
    next(d for _, d in other.nodes(Label.CONCEPT))["df"] += 1
    assert load_stamp(*graph_rows(other)) != load_stamp(*graph_rows(example_graph))


def test_the_papers_topics_are_written_after_the_lanes_they_would_join(
    example_graph: KnowledgeGraph,
) -> None:
    from exporters.neo4j import graph_rows
    from exporters.neo4j.planning import plan, relationship_stages

    _, relationships = graph_rows(example_graph)
    no_ids = {label: {} for label in Label}
    stages = relationship_stages(no_ids, no_ids, relationships)
    phases = plan(stages, workers=2, batch_size=1000)
    # MENTIONS (125 rows, one batch: one writer); then the lanes: RELATED_TO between papers,
    # and the concepts' CO_OCCURS, BROADER and IN_TOPIC; then the papers' IN_TOPIC, which
    # touches both lanes' labels, alone.
    phases = [phase for phase in phases if phase]  # MENTIONS to merge: none
    kinds = [[[str(kind) for kind, _, rows in job if rows] for job in phase] for phase in phases]
    assert kinds == [
        [["MENTIONS"]],
        [["RELATED_TO"], ["CO_OCCURS", "BROADER", "IN_TOPIC"]],
        [["IN_TOPIC-Paper-Topic"]],
    ]
    assert sum(len(rows) for kind, _, rows in phases[2][0]) == 10
