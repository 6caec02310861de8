"""``paperkg query`` only reads: clauses that write or touch files are refused, queries time out,
and a store left with recovery files is reported, not half-opened."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from exporters import embedded
from exporters.cypher_guard import check_read_only
from graph_builder import KnowledgeGraph
from graph_builder.cli import app
from graph_builder.errors import ExportError, QueryError
from graph_builder.schema import Label, Rel

runner = CliRunner()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """20 concepts, each co-occurring with every other: unbounded paths never end."""
    kg = KnowledgeGraph()
    nodes = [kg.add_node(Label.CONCEPT, f"c{i}", name=f"c{i}", df=1) for i in range(20)]
    for a in nodes:
        for b in nodes:
            if a != b:
                kg.add_edge(Rel.CO_OCCURS, a, b, papers=1)
    path = tmp_path_factory.mktemp("guard") / embedded.STORE_FILE
    embedded.write(kg, path)
    return path


def _refused(store: Path, cypher: str, match: str) -> None:
    before = sorted(p.name for p in store.parent.iterdir())
    with pytest.raises(QueryError, match=match):
        embedded.query(store, cypher)
    assert sorted(p.name for p in store.parent.iterdir()) == before
    assert embedded.query(store, "MATCH (c:Concept) RETURN count(c)").rows == [[20]]


def test_copy_to_a_file_is_refused_and_writes_nothing(store: Path, tmp_path: Path) -> None:
    target = tmp_path / "leak.csv"
    _refused(store, f"COPY (MATCH (c:Concept) RETURN c.name) TO '{target}'", "COPY is refused")
    assert not target.exists()


def test_export_database_is_refused(store: Path, tmp_path: Path) -> None:
    _refused(store, f"EXPORT DATABASE '{tmp_path / 'dump'}'", "EXPORT is refused")
    assert not (tmp_path / "dump").exists()


def test_checkpoint_is_refused_and_leaves_no_recovery_files(store: Path) -> None:
    _refused(store, "CHECKPOINT", "CHECKPOINT is refused")
    assert embedded.recovery_files(store) == []


@pytest.mark.parametrize(
    ("cypher", "match"),
    [
        ("LOAD FROM '/etc/passwd' RETURN *", "LOAD is refused"),
        ("INSTALL json", "INSTALL is refused"),
        ("ATTACH '/tmp/other.lbug' AS other", "ATTACH is refused"),
        ("IMPORT DATABASE '/tmp/x'", "IMPORT is refused"),
        ("CREATE (:Concept {key: 'x'})", "CREATE is refused"),
        ("MATCH (c:Concept) SET c.name = 'x'", "SET is refused"),
        ("MATCH (c:Concept) DETACH DELETE c", "DETACH is refused"),
        ("MERGE (:Concept {key: 'x'})", "MERGE is refused"),
        ("CALL threads=1", "CALL threads is refused"),
        ("CALL create_fts_index('Concept', 'i', ['name'])", "CALL create_fts_index is refused"),
        ("MATCH (c) RETURN c; CHECKPOINT", "one query at a time"),
        ("RETURN 1; RETURN 2", "one query at a time"),
        ("RETURN 'a\\'; COPY (RETURN 1) TO '/tmp/x' //'", "Parser exception"),  # one string
        ("MATCH (n) RETURN 'unfinished", "unterminated"),
    ],
)
def test_writes_file_access_and_settings_are_refused(store: Path, cypher: str, match: str) -> None:
    _refused(store, cypher, match)


@pytest.mark.parametrize(
    "cypher",
    [
        "MATCH (c:Concept {name: 'set theory; COPY'}) RETURN c.name",
        "MATCH (c:Concept) // CREATE a comment\nRETURN count(c)",
        "MATCH (c:Concept) RETURN c.name AS `set`, c.df",
        "CALL show_tables() RETURN *",
        "CALL table_info('Concept') RETURN *",
        "OPTIONAL MATCH (c:Concept) WITH c UNWIND [1] AS i RETURN count(c);",
    ],
)
def test_reads_pass(store: Path, cypher: str) -> None:
    check_read_only(cypher)
    embedded.query(store, cypher)


def test_an_unbounded_query_stops_at_the_timeout(store: Path) -> None:
    with pytest.raises(QueryError, match=r"ran longer than 0\.5 s"):
        embedded.query(store, "MATCH p = (a)-[*]-(b) RETURN count(p)", timeout=0.5)


def test_cli_query_timeout_and_refusal_are_one_line_exit_2(store: Path) -> None:
    directory = str(store.parent)
    slow = runner.invoke(
        app, ["query", directory, "MATCH p = (a)-[*]-(b) RETURN count(p)", "--timeout", "0.5"]
    )
    assert slow.exit_code == 2 and slow.output.count("\n") == 1, slow.output
    assert "ran longer than 0.5 s" in slow.output
    copy = runner.invoke(app, ["query", directory, "COPY (RETURN 1) TO '/tmp/paperkg-x.csv'"])
    assert copy.exit_code == 2
    assert "paperkg: error: the embedded store is read-only: COPY" in copy.output


def test_a_store_with_recovery_files_is_reported(store: Path, tmp_path: Path) -> None:
    path = tmp_path / embedded.STORE_FILE
    path.write_bytes(store.read_bytes())
    Path(f"{path}.wal").write_bytes(b"\0" * 58)
    with pytest.raises(ExportError, match=r"graph\.lbug\.wal left beside it.*paperkg build"):
        embedded.query(path, "RETURN 1")
    embedded.write(KnowledgeGraph(), path)  # a rewrite drops the leftovers
    assert embedded.recovery_files(path) == []
    assert embedded.query(path, "RETURN 1").rows == [[1]]
