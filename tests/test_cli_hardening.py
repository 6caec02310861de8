"""The command line under faults and hostile input: each failure one line and exit 2,
nothing left half-done."""

from __future__ import annotations

import errno
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph_builder import KnowledgeGraph, read_papers
from graph_builder.cli import app
from graph_builder.locking import directory_lock

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


def _corpus(path: Path, example_path: Path, copies: int, length: int = 1) -> Path:
    """``copies`` variants of the example's abstracts, each text different (no cache hits),
    each abstract ``length`` times as long."""
    papers = read_papers([example_path]).papers
    with path.open("w", encoding="utf-8") as out:
        for n in range(copies):
            for paper in papers:
                text = " ".join([paper.abstract] * length)
                record = {"id": f"{paper.paper_id}-{n}", "abstract": f"{text} Run {n}."}
                out.write(json.dumps(record) + "\n")
    return path


def _children(pid: int) -> set[int]:
    """The pids of the processes whose parent is ``pid`` (Linux /proc)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _alive(pids: set[int]) -> set[int]:
    alive = set()
    for pid in pids:
        try:
            state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.add(pid)
    return alive


def _until(condition: Callable[[], object], seconds: float) -> object:
    deadline = time.monotonic() + seconds
    while not (value := condition()) and time.monotonic() < deadline:
        time.sleep(0.1)
    return value


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_workers_die_with_a_killed_build(
    example_path: Path, tmp_path: Path, sig: signal.Signals
) -> None:
    # 130 long abstracts (30 kB): chunks of tens of seconds of parsing.
    corpus = _corpus(tmp_path / "papers.jsonl", example_path, 13, length=60)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "graph_builder", "build", str(corpus), "-o", str(out), "-q"]
    errors = tmp_path / "stderr.txt"
    with errors.open("w") as stderr:  # a file: a pipe would stay open while a worker lives
        build = subprocess.Popen([*command, "--workers", "2"], stderr=stderr, cwd=tmp_path)
    try:
        workers = _until(lambda: len(_children(build.pid)) >= 2 and _children(build.pid), 120)
        assert workers, "the build never started its workers"
        time.sleep(1)  # the workers are past their start
        build.send_signal(sig)
        build.wait(timeout=60)
    finally:
        build.kill()
    _until(lambda: not _alive(workers), 3)
    left = _alive(workers)
    for pid in left:  # a failing test leaves nothing running either
        os.kill(pid, signal.SIGKILL)
    assert left == set()  # not left to finish their chunks
    if sig == signal.SIGTERM:
        assert build.returncode == 128 + signal.SIGTERM
        assert errors.read_text().splitlines() == [
            "paperkg: stopped by SIGTERM; a rerun resumes from the extraction cache"
        ]
    assert not (out / "graph.json").exists()
    assert not list(out.glob(".paperkg-staging-*"))


def test_a_second_build_into_a_held_directory_fails_at_once(
    example_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    stale = out / ".paperkg-staging-killed"
    args = ["build", str(example_path), "-o", str(out), "-q"]
    with directory_lock(out):  # another build holds DIR
        stale.mkdir()
        (stale / "graph.json").write_text("from a build that was killed")
        held = runner.invoke(app, args)
        neo4j = runner.invoke(app, ["neo4j", str(out), "--uri", "bolt://localhost:1"])
    assert held.exit_code == 2 and held.output.count("\n") == 1, held.output
    assert "another paperkg build or Neo4j load is using this directory" in held.output
    assert neo4j.exit_code == 2 and "another paperkg build" in neo4j.output
    assert stale.exists()  # untouched while held
    assert runner.invoke(app, args).exit_code == 0
    assert not stale.exists()  # removed by the next build


def test_outputs_and_reports_never_overwrite_an_input(example_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    as_output = out / "graph.json"
    as_output.write_bytes(example_path.read_bytes())
    report = tmp_path / "in.txt"
    report.write_bytes(example_path.read_bytes())
    for args in (
        ["build", str(as_output), "-o", str(out), "--format", "similar-papers"],
        ["build", str(report), "-o", str(tmp_path / "o2"), "--skip-bad", "--report", str(report)],
        ["concepts", str(report), "--skip-bad", "--report", str(report)],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 2 and "is an input of this build" in result.output, args
    assert as_output.read_bytes() == report.read_bytes() == example_path.read_bytes()
    assert not (tmp_path / "o2").exists()


def test_an_unwritable_report_leaves_the_build_not_up_to_date(
    example_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    blocked = tmp_path / "blocked"
    blocked.write_text("a file, so blocked/report.tsv cannot be written")
    args = ["build", str(example_path), "-o", str(out), "-q", "--skip-bad"]
    failed = runner.invoke(app, [*args, "--report", str(blocked / "report.tsv")])
    assert failed.exit_code == 2 and failed.output.startswith("paperkg: error:"), failed.output
    assert not (out / ".paperkg-current").exists()  # no generation, so no manifest
    again = runner.invoke(app, [*args, "--report", str(tmp_path / "report.tsv")])
    assert again.exit_code == 0 and "Built a graph" in again.output
    assert (tmp_path / "report.tsv").read_text() == "where\tproblem\n"


def test_a_full_disk_is_one_line_and_exit_2(
    example_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from exporters import files

    def full(kg: object, path: Path) -> None:
        with path.open("w") as stream:
            stream.write("<graphml>")
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(files, "write_graphml", full)
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(example_path), "-o", str(out), "-q"])
    assert result.exit_code == 2, result.output
    (line,) = result.output.splitlines()
    assert line.startswith("paperkg: error: ") and "No space left on device" in line
    assert sorted(p.name for p in out.iterdir()) == [".paperkg-cache.sqlite"]


def test_an_engine_error_while_writing_the_store_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ladybug

    from exporters import embedded
    from graph_builder.errors import ExportError

    def fail(self: object, *args: object, **kwargs: object) -> None:
        raise RuntimeError("IO exception: Cannot write to file. Error: No space left on device\nx")

    monkeypatch.setattr(ladybug.Connection, "execute", fail)
    with pytest.raises(ExportError) as caught:
        embedded.write(KnowledgeGraph(), tmp_path / "graph.lbug")
    assert str(caught.value) == (
        f"{tmp_path / 'graph.lbug'}: the embedded store could not be written: "
        "IO exception: Cannot write to file. Error: No space left on device"
    )
    assert list(tmp_path.iterdir()) == []


def test_export_onto_a_directory_is_one_line(
    small_graph: Callable[..., KnowledgeGraph], tmp_path: Path
) -> None:
    from exporters import files

    files.write_json(small_graph(), tmp_path / "graph.json")
    (tmp_path / "taken").mkdir()
    result = runner.invoke(
        app, ["export", str(tmp_path), "--to", "gexf", "-o", str(tmp_path / "taken")]
    )
    assert result.exit_code == 2 and result.output.count("\n") == 1, result.output
    assert "taken: cannot write: Is a directory" in result.output


def test_a_thesaurus_line_over_128_kb_is_read(tmp_path: Path) -> None:
    from graph_builder.thesaurus import read_thesaurus

    path = tmp_path / "thesaurus.txt"
    path.write_text("label\treplace by\n" + "a" * 140_000 + "\tb\nneural net\tneural network\n")
    thesaurus = read_thesaurus(path)
    assert "a" * 140_000 in thesaurus and "neural net" in thesaurus


def test_an_unreadable_input_is_one_line_or_skipped(example_path: Path, tmp_path: Path) -> None:
    unreadable = "/proc/self/mem"  # open() works, read() fails with EIO, even for root
    out = tmp_path / "out"
    failed = runner.invoke(app, ["build", unreadable, str(example_path), "-o", str(out), "-q"])
    assert failed.exit_code == 2
    assert failed.output == f"paperkg: error: {unreadable}: cannot read: Input/output error\n"
    args = ["build", unreadable, str(example_path), "-o", str(out), "-q", "--skip-bad"]
    skipped = runner.invoke(app, args)
    assert skipped.exit_code == 0 and "Built a graph of 10 papers" in skipped.output
    report = (out / "bad-records.tsv").read_text().splitlines()
    assert report[1:] == [f"{unreadable}\tcannot read: Input/output error"]


def test_an_empty_out_is_refused(example_path: Path, tmp_path: Path) -> None:
    for option in (["--out", ""], ["-o", " "], ["--out="]):
        result = subprocess.run(
            [sys.executable, "-m", "graph_builder", "build", str(example_path), *option],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
        )
        assert result.returncode == 2, option
        assert "an empty path would write into the current directory" in result.stderr
        assert list(tmp_path.iterdir()) == []


def test_a_build_switches_its_outputs_as_one_generation(example_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = runner.invoke(app, ["build", str(example_path), "-o", str(out), "-q"])
    assert first.exit_code == 0
    old = os.path.realpath(out / ".paperkg-current")
    old_json = (out / "graph.json").read_bytes()
    papers = tmp_path / "papers.jsonl"
    papers.write_text(json.dumps({"id": "x", "abstract": "Graph networks learn molecules."}))
    second = runner.invoke(app, ["build", str(papers), "-o", str(out), "-q", "--skip-bad"])
    assert second.exit_code == 0, second.output
    new = os.path.realpath(out / ".paperkg-current")
    assert new != old and Path(old, "graph.json").read_bytes() == old_json  # kept for readers
    outputs = ["graph.json", "graph.graphml", "graph.html", "graph-index.sqlite", "graph.lbug"]
    for name in [*outputs, "bad-records.tsv"]:
        assert os.readlink(out / name) == f".paperkg-current/{name}"
        assert os.path.realpath(out / name) == os.path.join(new, name)
    manifest = json.loads(Path(new, ".paperkg-build.json").read_text())
    assert sorted(manifest["outputs"]) == sorted([*outputs, "bad-records.tsv"])
    query = runner.invoke(app, ["query", str(out), "MATCH (p:Paper) RETURN p.paper_id"])
    assert query.exit_code == 0 and query.output.splitlines()[2] == "x"
    third = runner.invoke(app, ["build", str(example_path), "-o", str(out), "-q"])
    assert third.exit_code == 0
    generations = {str(p) for p in (out / ".paperkg-generations").iterdir()}
    assert generations == {new, os.path.realpath(out / ".paperkg-current")}  # the first is gone
    assert not (out / "bad-records.tsv").is_symlink()  # this build wrote no report
