"""The command line under faults and hostile input: each failure one line and exit 2,
nothing left half-done."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from graph_builder.cli import app

runner = CliRunner()


def test_a_build_rewrites_a_store_left_with_recovery_files(
    example_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    args = ["build", str(example_path), "-o", str(out), "-q"]
    assert runner.invoke(app, args).exit_code == 0
    (out / "graph.lbug.wal").write_bytes(b"\0" * 58)
    (out / "graph.lbug.shadow").write_bytes(b"\0" * 8208)
    stuck = runner.invoke(app, ["query", str(out), "RETURN 1"])
    assert stuck.exit_code == 2 and "run 'paperkg build' again" in stuck.output
    again = runner.invoke(app, args)
    assert again.exit_code == 0 and "Built a graph" in again.output, again.output
    assert not (out / "graph.lbug.wal").exists() and not (out / "graph.lbug.shadow").exists()
    assert runner.invoke(app, ["query", str(out), "RETURN 1"]).exit_code == 0


def test_a_cache_of_empty_entries_is_parsed_again_with_one_warning(
    example_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    args = ["build", str(example_path), "-o", str(out), "-q"]
    first = runner.invoke(app, args)
    assert first.exit_code == 0
    with sqlite3.connect(out / ".paperkg-cache.sqlite") as db:
        db.execute("UPDATE candidates SET value = '{}'")
    again = runner.invoke(app, [*args, "--force"])
    assert again.exit_code == 0, again.output
    warnings = [line for line in again.stderr.splitlines() if line.startswith("paperkg: warning")]
    assert len(warnings) == 1 and "10 unreadable entries" in warnings[0]
    assert again.stdout.splitlines()[0] == first.stdout.splitlines()[0]  # same papers, concepts
