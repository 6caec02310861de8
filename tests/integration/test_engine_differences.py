"""The table of engine differences in docs/cypher.md, run on both engines.

Each row: the query, Neo4j's answer, the embedded store's answer (or the start of its
error), and the form that runs on both (or the embedded store's own form) with its answer.
The queries run on the bundled example (ten abstracts), in which 4 papers mention
*deep learning*.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from exporters import embedded
from exporters.neo4j import load
from graph_builder import KnowledgeGraph
from graph_builder.errors import QueryError

COOKBOOK = Path(__file__).resolve().parents[2] / "docs" / "cypher.md"
COUNT_QUERY = (
    "MATCH (c:Concept {key: 'deep learning'}) RETURN COUNT { (c)<-[:MENTIONS]-(:Paper) } AS x"
)


class Error(str):
    """An error on the embedded store, whose message starts with this text."""


# (query, Neo4j, embedded, (alternative for both, answer) or (embedded form, answer) or None)
DIFFERENCES: list[tuple[str, object, object, tuple[str, object] | None]] = [
    ("RETURN [10, 20, 30][1] AS x", 20, 10, None),
    ("RETURN [10, 20, 30][1..2] AS x", [20], [10, 20], None),
    ("RETURN substring('2021-04-30', 5, 2) AS x", "04", "-0",
     ("RETURN right(left('2021-04-30', 7), 2) AS x", "04")),
    ("RETURN log(100) AS x", pytest.approx(4.605170186), 2.0, ("RETURN log10(100) AS x", 2.0)),
    ("RETURN round(2.567) AS x", 3.0, Error("Binder exception: Function ROUND"),
     ("RETURN round(2.567, 0) AS x", 3.0)),
    ("RETURN toFloat(3) AS x", 3.0, Error("Catalog exception: function TOFLOAT does not exist"),
     ("RETURN 3 * 1.0 AS x", 3.0)),
    ("RETURN toInteger('4') AS x", 4, Error("Catalog exception: function TOINTEGER"),
     ("RETURN cast('4', 'INT64') AS x", 4)),
    ("RETURN [x IN [1, 2, 3] | x * 2] AS x", [2, 4, 6], Error("Binder exception: Variable x"),
     ("RETURN list_transform([1, 2, 3], x -> x * 2) AS x", [2, 4, 6])),
    (COUNT_QUERY, 4, Error("Parser exception"),
     ("MATCH (c:Concept {key: 'deep learning'})<-[:MENTIONS]-(p:Paper) RETURN count(p) AS x",
      4)),
    ("RETURN date('2021-04-30').month AS x", 4, Error("Binder exception"),
     ("RETURN date_part('month', date('2021-04-30')) AS x", 4)),
]  # fmt: skip
#: The alternatives that run on both engines (the others are the embedded store's own forms).
ON_BOTH = {"right(left(", "log10(", "round(2.567, 0)", "3 * 1.0", "count(p)"}


def on_both(alternative: str) -> bool:
    return any(marker in alternative for marker in ON_BOTH)


@pytest.fixture(scope="module")
def store(example_graph: KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("differences") / embedded.STORE_FILE
    embedded.write(example_graph, path)
    return path


def test_every_difference_is_in_the_table() -> None:
    text = COOKBOOK.read_text(encoding="utf-8").replace("\\|", "|")
    for query, _, _, alternative in DIFFERENCES:
        assert f"`{query}`" in text, query
        if alternative:
            assert alternative[0].removeprefix("RETURN ").removesuffix(" AS x") in text


@pytest.mark.parametrize(("query", "neo4j", "lbug", "alternative"), DIFFERENCES)
def test_on_the_embedded_store(store: Path, query, neo4j, lbug, alternative) -> None:
    if isinstance(lbug, Error):
        with pytest.raises(QueryError) as caught:
            embedded.query(store, query)
        assert str(caught.value).startswith(lbug), str(caught.value)
    else:
        assert embedded.query(store, query).rows == [[lbug]]
    if alternative:
        assert embedded.query(store, alternative[0]).rows == [[alternative[1]]]


@pytest.mark.integration
@pytest.mark.parametrize(("query", "neo4j", "lbug", "alternative"), DIFFERENCES)
def test_on_neo4j(neo4j_driver, neo4j_database, example_graph, query, neo4j, lbug, alternative):
    load(example_graph, neo4j_driver, neo4j_database)
    records, _, _ = neo4j_driver.execute_query(query, database_=neo4j_database)
    assert [list(r.values()) for r in records] == [[neo4j]]
    if alternative and on_both(alternative[0]):
        records, _, _ = neo4j_driver.execute_query(alternative[0], database_=neo4j_database)
        assert [list(r.values()) for r in records] == [[alternative[1]]]
