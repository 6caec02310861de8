"""The neo4j-csv files go through the real ``neo4j-admin database import full`` of Neo4j 5.26.

The admin tool comes with the jars scripts/neo4j-server builds (org.neo4j.cli.AdminTool); it
imports into a fresh NEO4J_HOME under tmp_path, touching no server.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest

from exporters import neo4j_csv
from graph_builder import KnowledgeGraph

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
TARGET = ROOT / "scripts" / "neo4j-launcher" / "target"


def test_neo4j_admin_imports_the_csv_files(example_graph: KnowledgeGraph, tmp_path: Path) -> None:
    if not (TARGET / "classpath").exists():
        subprocess.run(["bash", str(ROOT / "scripts" / "neo4j-server"), "build"], check=True)
    classpath = ":".join(
        str(TARGET / entry) for entry in (TARGET / "classpath").read_text().strip().split(":")
    )
    out = tmp_path / "neo4j-import"
    neo4j_csv.write(example_graph, out)
    script = (out / "import.sh").read_text().splitlines()[-1]
    args = shlex.split(script)
    assert args[:4] == ["neo4j-admin", "database", "import", "full"]
    home = tmp_path / "home"
    (home / "conf").mkdir(parents=True)
    env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")}
    result = subprocess.run(
        ["java", "-Xmx1g", "-cp", classpath, "org.neo4j.cli.AdminTool", *args[1:]],
        cwd=out,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    # Every node and relationship of the graph is imported, none is dropped.
    nodes = example_graph.graph.number_of_nodes()
    relationships = example_graph.number_of_edges()
    assert re.search(rf"^\s*{nodes} nodes$", result.stdout, re.M), result.stdout[-1000:]
    assert re.search(rf"^\s*{relationships} relationships$", result.stdout, re.M), result.stdout[
        -1000:
    ]
    assert "bad entries" not in result.stdout.lower()
