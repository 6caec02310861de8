"""The Neo4j load under faults, on real servers: a retried batch is counted where it runs, and a
server killed mid-load gives one line, exit 2, and a rerun that completes the load."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from exporters import files
from exporters.neo4j import connect
from exporters.neo4j.connection import INCOMPLETE
from exporters.neo4j.writer import execute_write
from graph_builder import KnowledgeGraph
from graph_builder.schema import Label, Rel

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "paperkg-test-password"


def test_a_deadlocked_batch_is_retried_and_counted_once(
    neo4j_driver: Any, neo4j_database: str | None
) -> None:
    """Two transactions lock two nodes in opposite orders: the server fails one of them
    (a deadlock), the driver runs it again, and only that one counts a retry."""
    with neo4j_driver.session(database=neo4j_database) as session:
        session.run("MATCH (n:PaperkgTestLock) DETACH DELETE n").consume()
        session.run("CREATE (:PaperkgTestLock {name: 'a'}), (:PaperkgTestLock {name: 'b'})")
    both_hold_one = threading.Barrier(2)
    results: dict[str, tuple[Any, int]] = {}

    def writer(first: str, second: str) -> None:
        attempts = 0

        def work(tx: Any) -> int:
            nonlocal attempts
            attempts += 1
            lock = "MATCH (n:PaperkgTestLock {name: $name}) SET n.by = $by"
            tx.run(lock, name=first, by=first).consume()
            if attempts == 1:
                both_hold_one.wait(timeout=60)
            tx.run(lock, name=second, by=first).consume()
            return attempts

        with neo4j_driver.session(database=neo4j_database) as session:
            results[first] = execute_write(session, work)

    threads = [threading.Thread(target=writer, args=pair) for pair in (("a", "b"), ("b", "a"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    with neo4j_driver.session(database=neo4j_database) as session:
        session.run("MATCH (n:PaperkgTestLock) DETACH DELETE n").consume()
    # Each result is (what the work returned: its attempts, the retries counted).
    assert sorted(results.values()) == [(1, 0), (2, 1)]


# --- a private server, killed during a load ---

PAPERS, MENTIONS_EACH = 300, 100


@pytest.fixture
def private_server(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A Neo4j of this test's own (its own state and data directory), stopped at the end."""
    env = {
        **os.environ,
        "PAPERKG_NEO4J_STATE": str(tmp_path / "neo4j"),
        "PAPERKG_NEO4J_PORT": "7900",
        "NEO4J_PASSWORD": PASSWORD,
    }
    server = {"env": env, "state": env["PAPERKG_NEO4J_STATE"]}
    try:
        server["uri"] = _server(env, "start")
        yield server
    finally:
        _server(env, "stop")


def _server(env: dict[str, str], command: str) -> str:
    done = subprocess.run(
        ["bash", str(ROOT / "scripts" / "neo4j-server"), command],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        message = f"a private Neo4j could not {command}: {done.stderr[-500:]}"
        if os.environ.get("CI"):  # CI must run every test
            pytest.fail(message)
        pytest.skip(message)
    return done.stdout.strip()


def _graph(directory: Path) -> Path:
    """DIR/graph.json of PAPERS papers, each mentioning MENTIONS_EACH of 2 * PAPERS concepts:
    a load of tens of batches."""
    kg = KnowledgeGraph()
    concepts = [
        kg.add_node(Label.CONCEPT, f"c{n}", name=f"concept {n}", aliases=[], df=1, score=0.5)
        for n in range(2 * PAPERS)
    ]
    for n in range(PAPERS):
        paper = kg.add_node(Label.PAPER, f"p{n}", title=f"Paper {n}", abstract="Text. " * 40)
        for k in range(MENTIONS_EACH):  # 13 is prime to 600: distinct concepts
            kg.add_edge(Rel.MENTIONS, paper, concepts[(7 * n + 13 * k) % len(concepts)], count=1)
    directory.mkdir()
    files.write_json(kg, directory / "graph.json")
    return directory


def _count(session: Any, cypher: str) -> int:
    return session.run(cypher).single()[0]


def _load(directory: Path, uri: str, stderr: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "graph_builder", "neo4j", str(directory), "--uri", uri, "-q"]
    env = {**os.environ, "NEO4J_PASSWORD": PASSWORD, "NEO4J_USER": "neo4j"}
    env.pop("NEO4J_DATABASE", None)
    with stderr.open("w") as err:
        return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=err, text=True)


def test_a_server_killed_mid_load_is_one_line_and_a_rerun_completes_the_load(
    private_server: dict[str, str], tmp_path: Path
) -> None:
    directory = _graph(tmp_path / "graph")
    uri = private_server["uri"]
    driver = connect(uri, "neo4j", PASSWORD)
    stderr = tmp_path / "stderr.txt"
    loading = _load(directory, uri, stderr)
    try:
        with driver.session() as session:
            deadline = time.monotonic() + 300
            while not _count(session, "MATCH (p:Paper) RETURN count(p)"):
                assert loading.poll() is None and time.monotonic() < deadline
                time.sleep(0.1)
        pid = int(Path(private_server["state"], "neo4j.pid").read_text())
        os.kill(pid, signal.SIGKILL)  # the papers are in; their mentions are not all
        loading.wait(timeout=300)
    finally:
        loading.kill()
        driver.close()
    assert loading.returncode == 2
    lines = stderr.read_text().splitlines()
    assert len(lines) == 1 and lines[0].startswith("paperkg: error: Neo4j "), lines
    assert lines[0].endswith(INCOMPLETE)

    uri = _server(private_server["env"], "start")  # the same data directory
    rerun = _load(directory, uri, stderr)
    out, _ = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, stderr.read_text()
    assert f"now there: {PAPERS} Paper, {2 * PAPERS} Concept" in out
    driver = connect(uri, "neo4j", PASSWORD)
    with driver, driver.session() as session:
        assert _count(session, "MATCH (p:Paper) RETURN count(DISTINCT p.paper_id)") == PAPERS
        assert _count(session, "MATCH (p:Paper) RETURN count(p)") == PAPERS
        assert _count(session, "MATCH (c:Concept) RETURN count(c)") == 2 * PAPERS
        mentions = "MATCH (:Paper)-[m:MENTIONS]->(:Concept) RETURN count(m)"
        assert _count(session, mentions) == PAPERS * MENTIONS_EACH
        pairs = "MATCH (p:Paper)-[:MENTIONS]->(c:Concept) RETURN count(DISTINCT [p, c])"
        assert _count(session, pairs) == PAPERS * MENTIONS_EACH
