"""The words of a Neo4j load's report (the load itself: tests/integration/test_neo4j.py)."""

from exporters.neo4j import LoadReport
from exporters.neo4j_directory import summary


def test_summary_says_what_the_load_did() -> None:
    report = LoadReport(
        rows=10,
        deleted=2,
        stale_nodes=1,
        stale_relationships=4,
        seconds=2.0,
        retries=3,
        nodes={"Paper": 3, "Topic": 0},
        relationships={"MENTIONS": 7},
    )
    assert summary(report, "bolt://h:7687", "papers") == [
        "deleted 2 paperkg nodes from bolt://h:7687 (database papers)",
        "removed what the graph no longer has: 4 relationships and 1 nodes",
        "loaded 10 rows into bolt://h:7687 (database papers) in 2.0 s (5 rows/s); "
        "now there: 3 Paper, 7 MENTIONS",
        "3 batches were retried after a lock conflict between writers",
    ]


def test_a_plain_load_is_one_line() -> None:
    report = LoadReport(rows=4, seconds=0.5, nodes={"Paper": 4})
    assert summary(report, "neo4j://h") == [
        "loaded 4 rows into neo4j://h in 0.5 s (8 rows/s); now there: 4 Paper"
    ]
