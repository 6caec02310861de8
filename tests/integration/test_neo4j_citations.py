"""Categories, references and coupling of the OpenAlex and Semantic Scholar fixtures in Neo4j.

The expected pairs, worked out by hand, are in tests/data/openalex/expected_links.json.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from exporters.neo4j import load
from graph_builder import build_graph, read_papers

FFF = "f" * 40
_LINKS = json.loads(
    (Path(__file__).resolve().parents[1] / "data" / "openalex" / "expected_links.json").read_text()
)
EXPECTED_CITES = {tuple(pair) for pair in _LINKS["cites"]}
EXPECTED_WORKS = {tuple(pair) for pair in _LINKS["works"]}
EXPECTED_CATEGORIES = {tuple(pair) for pair in _LINKS["categories"]}

pytestmark = pytest.mark.integration


def test_a_load_holds_categories_references_and_coupling(
    neo4j_driver, neo4j_database, data_dir: Path
) -> None:
    corpus = read_papers(
        [data_dir / "openalex" / "works.json", data_dir / "semantic_scholar" / "papers.json"],
        skip_bad=True,
    )
    load(build_graph(corpus), neo4j_driver, neo4j_database)

    def rows(query: str) -> set[tuple]:
        records, _, _ = neo4j_driver.execute_query(query, database_=neo4j_database)
        return {tuple(tuple(v) if isinstance(v, list) else v for v in r.values()) for r in records}

    assert rows("MATCH (a:Paper)-[:CITES]->(b:Paper) RETURN a.paper_id, b.paper_id") == (
        EXPECTED_CITES
    )
    assert rows("MATCH (a:Paper)-[:CITES_WORK]->(w:Work) RETURN a.paper_id, w.work_id") == (
        EXPECTED_WORKS
    )
    assert rows("MATCH (p:Paper)-[:IN_CATEGORY]->(c:Category) RETURN p.paper_id, c.name") == (
        EXPECTED_CATEGORIES
    )
    assert rows(
        "MATCH (a:Paper)-[c:COUPLED_WITH]->(b:Paper) "
        "RETURN a.paper_id, b.paper_id, c.shared, c.count, c.weight"
    ) == {("W3119876543", "W4200000002", ("W1500000003", "W2000000001", FFF), 3, 0.866025)}
    assert rows("MATCH (p:Paper {paper_id: 'W4200000002'}) RETURN p.venue, p.categories") == {
        ("Journal of Invariants", ("Crystallography", "Mathematics"))
    }
