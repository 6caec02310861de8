"""Every query of docs/cypher.md answers as documented, in Neo4j and in the embedded store.

The expected rows were checked by reading the ten abstracts (see the list at the top of
tests/graph_builder/test_example.py): the paper dates, which paper writes which concept, and the
co-occurrence strengths computed by hand from ``papers * N / (df_a * df_b)`` with N = 10. Topic
membership comes from Louvain and cannot be worked out by hand; the topic answers check what can:
the document frequencies of a topic's best concepts and which papers write the bridging concepts.
The papers' membership weights (section 25) were recomputed apart from paperkg's neighbour graph:
each paper's cosines to the nine others from the dense matrix of its concept-and-word vector, the
share within its topic summed by hand-written loops.
The example lists no authors, so the author queries (AUTHOR_QUERIES) run on
tests/data/neo4j/authors.jsonl, four one-sentence abstracts read by hand; the time queries
(TREND_QUERIES) on tests/data/neo4j/trends.jsonl, twenty one-line abstracts over five years whose
growth and bursts are worked out by hand in docs/cypher.md.

Each section of the cookbook says under its title which engines run it: ``**Engines:** both``
(its one ``cypher`` block runs unchanged on both) or ``**Engines:** Neo4j, with the embedded form
below`` (a second block, fenced ``cypher embedded``, is the embedded store's form). The tests
check that every section is marked; run every query on the embedded store (no server needed) and
check the answer; and, with a real Neo4j, check its answer and that both engines return the same
columns and rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from exporters import embedded
from exporters.neo4j import load
from graph_builder import KnowledgeGraph, build_graph, read_papers

COOKBOOK = Path(__file__).resolve().parents[2] / "docs" / "cypher.md"
SECTION = re.compile(r"^## (\d+)\. (.+?)\n(.*?)(?=^## |\Z)", re.M | re.S)
ENGINES = re.compile(r"\A\s*\*\*Engines:\*\* (.+?)\s*$", re.M)
BLOCK = re.compile(r"^```cypher( embedded)?\n(.*?)^```", re.M | re.S)
BOTH = "both"
NEO4J_FIRST = "Neo4j, with the embedded form below"


@dataclass(frozen=True)
class Section:
    title: str
    engines: str | None  # the text after "**Engines:**", None when the line is missing
    neo4j: list[str]  # the ```cypher blocks
    embedded: list[str]  # the ```cypher embedded blocks

    @property
    def embedded_query(self) -> str:
        """The query the embedded store runs: its own form, else the shared one."""
        return (self.embedded or self.neo4j)[0]


def cookbook() -> dict[int, Section]:
    """``{number: Section}`` for every ``## N. Title`` section of docs/cypher.md."""
    sections = {}
    for number, title, body in SECTION.findall(COOKBOOK.read_text()):
        marker = ENGINES.search(body)
        blocks = BLOCK.findall(body)
        sections[int(number)] = Section(
            title=title,
            engines=marker.group(1) if marker else None,
            neo4j=[query for kind, query in blocks if not kind],
            embedded=[query for kind, query in blocks if kind],
        )
    return sections


DNN_PAPERS = ["2016-12-30", "2017-10-04", "2018-10-28", "2022-05-18", "2024-02-14"]

EXPECTED: dict[int, object] = {
    1: [
        ("deep neural network", 5),
        ("neural network", 7),
        ("deep learning", 4),
        ("complex pattern", 1),
        ("deep learning system", 1),
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
        (1, 47, ["deep neural network", "neural network"]),
        (2, 37, ["deep learning", "deep learning system"]),
    ],
    16: [
        "2016-12-30",
        "2017-10-30",
        "2020-06-30",
        "2020-12-20",
        "2021-04-30",
        "2023-09-14",
        "2024-02-14",
    ],
    17: [("graph neural network", 2), ("network", 2), ("molecule", 1)],
    18: [("Grace Hopper", 3), ("Emmy Noether", 1)],
    19: ["2017-10-30", "2020-12-20"],
    20: [("discovered symmetry",), ("machine-learned symmetry",), ("symmetry",)],
    21: [("diffusion model", 25.0, "2023-05-15")],
    22: [("diffusion model", ["2025"], [3.753]), ("quantum error correction", ["2024"], [2.773])],
    23: [("2021", 0), ("2022", 0), ("2023", 1), ("2024", 3), ("2025", 4)],
    24: [
        (
            1,
            "deep neural network, representation, architecture",
            ["start", "continue", "continue", "end", "", "", "start", "continue", "continue"],
        ),
        (
            2,
            "deep learning, deep learning system, visual pattern recognition",
            ["", "start", "end", "", "start", "continue", "end", "", ""],
        ),
    ],
    25: [("2024-02-14", 0.8377), ("2018-10-28", 0.8179), ("2022-05-18", 0.806)],
}
AUTHOR_QUERIES = {17, 18}
TREND_QUERIES = {21, 22, 23}


def check(number: int, rows: list[list[Any]]) -> None:
    """``rows`` are the hand-checked answer of section ``number``."""
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
        assert rows[1][2][2] == "visual pattern recognition"
    elif number in (2, 10, 13, 14, 16, 19):
        assert [r[0] for r in rows] == expected
    else:
        assert [tuple(r) for r in rows] == expected


def test_the_cookbook_has_at_least_twelve_queries_all_checked() -> None:
    queries = cookbook()
    assert len(queries) >= 12
    assert sorted(queries) == sorted(EXPECTED)


def test_every_section_says_which_engines_run_it() -> None:
    for number, section in cookbook().items():
        where = f"docs/cypher.md section {number} ({section.title})"
        assert len(section.neo4j) == 1, f"{where}: {len(section.neo4j)} ```cypher blocks, not 1"
        assert section.engines in (BOTH, NEO4J_FIRST), (
            f"{where}: the line under the title must be '**Engines:** {BOTH}' or "
            f"'**Engines:** {NEO4J_FIRST}'"
        )
        wanted = 1 if section.engines == NEO4J_FIRST else 0
        assert len(section.embedded) == wanted, f"{where}: wants {wanted} ```cypher embedded"


#: Sections whose order ends on a column of one row per value (an aggregation's grouping
#: column, a period's name, a topic id).
GROUPED_BY = {
    5: "concept",
    8: "year",
    9: "year",
    15: "topic",
    17: "concept",
    18: "other",
    23: "period",
    24: "topic",
}
#: Sections of one row, with no order.
ONE_ROW = {7}
UNIQUE_TERM = re.compile(r"(\.key|\.paper_id|^id|^key)$")


def test_every_order_breaks_ties() -> None:
    for number, section in cookbook().items():
        for query in (*section.neo4j, *section.embedded):
            orders = re.findall(r"^ORDER BY (.+)$", query, re.M)
            if number in ONE_ROW:
                assert not orders
                continue
            last = orders[-1].split(",")[-1].strip().removesuffix(" DESC").strip()
            assert UNIQUE_TERM.search(last) or GROUPED_BY.get(number) == last, (number, last)


def test_the_example_has_queries_of_both_kinds() -> None:
    kinds = {section.engines for section in cookbook().values()}
    assert kinds == {BOTH, NEO4J_FIRST}


@pytest.fixture(scope="module")
def authors_graph(data_dir: Path) -> KnowledgeGraph:
    return build_graph(read_papers([data_dir / "neo4j" / "authors.jsonl"]))


@pytest.fixture(scope="module")
def trends_graph(data_dir: Path) -> KnowledgeGraph:
    return build_graph(read_papers([data_dir / "neo4j" / "trends.jsonl"]))


@pytest.fixture(scope="module")
def stores(
    example_graph: KnowledgeGraph,
    authors_graph: KnowledgeGraph,
    trends_graph: KnowledgeGraph,
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, Path]:
    """The embedded stores of the example, the authors fixture and the trends fixture."""
    paths = {}
    graphs = (("example", example_graph), ("authors", authors_graph), ("trends", trends_graph))
    for name, kg in graphs:
        paths[name] = tmp_path_factory.mktemp(f"cookbook-{name}") / embedded.STORE_FILE
        embedded.write(kg, paths[name])
    return paths


def store_for(stores: dict[str, Path], number: int) -> Path:
    if number in TREND_QUERIES:
        return stores["trends"]
    return stores["authors" if number in AUTHOR_QUERIES else "example"]


@pytest.mark.parametrize("number", sorted(EXPECTED))
def test_cookbook_query_on_the_embedded_store(stores: dict[str, Path], number: int) -> None:
    query = cookbook()[number].embedded_query
    check(number, embedded.query(store_for(stores, number), query).rows)


@pytest.fixture
def loaded(neo4j_driver, neo4j_database, example_graph, authors_graph, trends_graph):
    """``loaded(number)``: the database holds the graph that query's answer is about.

    A load converges to the graph it loads, so switching graphs needs no clean-up, and
    loading the graph that is already there changes nothing.
    """

    def load_for(number: int) -> tuple[object, str | None]:
        kg = authors_graph if number in AUTHOR_QUERIES else example_graph
        kg = trends_graph if number in TREND_QUERIES else kg
        load(kg, neo4j_driver, neo4j_database)
        # full-text indexes fill in the background after a load
        neo4j_driver.execute_query("CALL db.awaitIndexes(120)", database_=neo4j_database)
        return neo4j_driver, neo4j_database

    return load_for


@pytest.mark.integration
@pytest.mark.parametrize("number", sorted(EXPECTED))
def test_cookbook_query_on_neo4j(loaded, stores: dict[str, Path], number: int) -> None:
    """The hand-checked answer; and the embedded store returns the same columns and rows."""
    driver, database = loaded(number)
    section = cookbook()[number]
    records, _, columns = driver.execute_query(section.neo4j[0], database_=database)
    rows = [[_plain(value) for value in record.values()] for record in records]
    check(number, rows)
    on_embedded = embedded.query(store_for(stores, number), section.embedded_query)
    assert (on_embedded.columns, on_embedded.rows) == (columns, rows)


def _plain(value: Any) -> Any:
    """A Neo4j date as the ISO text the embedded store's answers hold."""
    return value.iso_format() if hasattr(value, "iso_format") else value
