"""Every query of docs/cypher.md, run on the bundled example in a real Neo4j, answers as documented.

The expected rows were checked by reading the ten abstracts (see the list at the top of
tests/graph_builder/test_example.py): the paper dates, which paper writes which concept, and the
co-occurrence strengths computed by hand from ``papers * N / (df_a * df_b)`` with N = 10. Topic
membership comes from Louvain and cannot be worked out by hand; the topic answers check what can:
the document frequencies of a topic's best concepts and which papers write the bridging concepts.
The example lists no authors, so the author queries (AUTHOR_QUERIES) run on
tests/data/neo4j/authors.jsonl, four one-sentence abstracts read by hand.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from exporters.neo4j import load
from graph_builder import KnowledgeGraph, build_graph, read_papers

pytestmark = pytest.mark.integration

COOKBOOK = Path(__file__).resolve().parents[2] / "docs" / "cypher.md"
SECTION = re.compile(r"^## (\d+)\. (.+?)\n(.*?)(?=^## |\Z)", re.M | re.S)
BLOCK = re.compile(r"^```cypher\n(.*?)^```", re.M | re.S)


def cookbook() -> dict[int, tuple[str, str]]:
    """``{number: (title, query)}``; each numbered section holds exactly one cypher block."""
    queries = {}
    for number, title, body in SECTION.findall(COOKBOOK.read_text()):
        blocks = BLOCK.findall(body)
        assert len(blocks) == 1, f"section {number} has {len(blocks)} cypher blocks"
        queries[int(number)] = (title, blocks[0])
    return queries


DNN_PAPERS = ["2016-12-30", "2017-10-04", "2018-10-28", "2022-05-18", "2024-02-14"]

EXPECTED: dict[int, object] = {
    1: [
        ("learning", 7),
        ("network", 7),
        ("neural network", 7),
        ("deep neural network", 5),
        ("deep learning", 4),
    ],
    2: DNN_PAPERS,
    3: ("deep neural network", 2),
    4: ("2018-10-28", {"deep neural network", "representation", "neural network", "network"}),
    5: [("network", 5), ("neural network", 5), ("representation", 4)],
    6: [("network", 5, 1.4286), ("neural network", 5, 1.4286), ("representation", 4, 2.0)],
    7: [(6,)],
    8: [(2016, 1), (2017, 2), (2018, 1), (2020, 2), (2021, 1), (2022, 1), (2023, 1), (2024, 1)],
    9: [(2017, 1), (2020, 1), (2021, 1), (2023, 1)],
    10: ["2016-12-30", "2017-10-04", "2018-10-28", "2024-02-14"],
    11: [("deep neural network",), ("network",), ("neural network",), ("representation",)],
    12: [("neural network", "neural network")],
    13: ["2020-12-20", "2021-04-30", "2023-09-14"],
    14: [],
    15: [
        (1, 17, ["network", "neural network"]),
        (2, 12, ["recognition"]),
        (3, 12, ["deep learning", "theory"]),
    ],
    16: ["2017-10-30", "2023-09-14"],
    17: [("graph neural network", 2), ("network", 2), ("molecule", 1)],
    18: [
        ("Alan Turing", "Grace Hopper", 3),
        ("Ada Lovelace", "Emmy Noether", 1),
        ("Alan Turing", "Emmy Noether", 1),
    ],
}
AUTHOR_QUERIES = {17, 18}


def test_the_cookbook_has_at_least_twelve_queries_all_checked() -> None:
    queries = cookbook()
    assert len(queries) >= 12
    assert sorted(queries) == sorted(EXPECTED)


@pytest.fixture(scope="module")
def authors_graph(data_dir: Path) -> KnowledgeGraph:
    return build_graph(read_papers([data_dir / "neo4j" / "authors.jsonl"]))


@pytest.fixture
def loaded(neo4j_driver, neo4j_database, example_graph, authors_graph):
    """``loaded(number)``: the database holds the graph that query's answer is about.

    A load converges to the graph it loads, so switching graphs needs no clean-up, and
    loading the graph that is already there changes nothing.
    """

    def load_for(number: int) -> tuple[object, str | None]:
        kg = authors_graph if number in AUTHOR_QUERIES else example_graph
        load(kg, neo4j_driver, neo4j_database)
        return neo4j_driver, neo4j_database

    return load_for


@pytest.mark.parametrize("number", sorted(EXPECTED))
def test_cookbook_query(loaded, number: int) -> None:
    driver, database = loaded(number)
    title, query = cookbook()[number]
    records = driver.execute_query(query, database_=database).records
    rows = [tuple(r.values()) for r in records]
    expected = EXPECTED[number]
    if number == 3:  # best concept of the paper, and how often it is written
        assert (rows[0][0], rows[0][2]) == expected
        assert rows[0][1] == 1.0
        assert {"mean-field framework", "compact representation"} <= {r[0] for r in rows}
    elif number == 4:  # the closest paper and the concepts it is related through
        assert (rows[0][0], set(rows[0][2])) == expected
        assert "2023-09-14" not in [r[0] for r in rows]
    elif number == 15:  # topic sizes and the best concepts whose df was counted by hand
        assert len(rows) == len(expected)
        for (topic, size, top), (want_topic, want_size, best) in zip(rows, expected, strict=True):
            assert (topic, size, top[: len(best)]) == (want_topic, want_size, best)
        assert rows[0][2][2] == "deep neural network"
    elif number in (2, 10, 13, 14, 16):
        assert [r[0] for r in rows] == expected, title
    else:
        assert rows == expected, title
