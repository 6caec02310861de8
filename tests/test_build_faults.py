"""Builds killed at random points: readers always see one whole generation, nothing is left running.

Each build runs in a process of its own session, with a kill (SIGKILL, to itself) planted at
a point drawn from a seeded generator: after some time, inside the k-th stage (reading,
parsing, each corpus step, writing) or just before the n-th file-system change of the
write stage (each rename, link and removal). After each kill the test reads the directory as
``show``, ``query`` and a user do, through DIR/graph.json and the other documented paths.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import networkx as nx

from exporters import embedded, load_graph
from graph_builder import read_papers
from graph_builder.build_dir import MANIFEST_FILE, OUTPUTS
from graph_builder.schema import LABEL, Label

ROOT = Path(__file__).resolve().parent.parent
SEED = 2026
KILLS = 20

#: Runs a build with a kill planted: ``MODE VALUE COUNTS_FILE -- paperkg arguments``.
#: MODE ``count`` only writes how many stages and file-system changes a whole build made.
DRIVER = r"""
import json, os, signal, sys, threading, time
mode, value, counts_file = sys.argv[1], float(sys.argv[2]), sys.argv[3]
main, started = os.getpid(), time.monotonic()
counts = {"stages": 0, "calls": 0}

def die():
    os.kill(main, signal.SIGKILL)

def counted(original):
    def call(*args, **kwargs):
        if os.getpid() == main:
            counts["calls"] += 1
            if mode == "call" and counts["calls"] == value:
                die()
        return original(*args, **kwargs)
    return call

for name in ("mkdir", "rename", "replace", "rmdir", "symlink", "unlink"):
    setattr(os, name, counted(getattr(os, name)))

from graph_builder.pipeline import BuildReport
stage = BuildReport.stage

def staged(self, name, *args, **kwargs):
    counts["stages"] += 1
    if name == "write":
        counts["write_from"] = counts["calls"] + 1
    if mode == "stage" and counts["stages"] == int(value):
        threading.Timer((value % 1) or 0.01, die).start()  # some time into the stage
    return stage(self, name, *args, **kwargs)

BuildReport.stage = staged
if mode == "time":
    threading.Timer(value, die).start()

def report():
    counts["seconds"] = time.monotonic() - started
    with open(counts_file, "w") as out:
        json.dump(counts, out)

import atexit
atexit.register(report)
from graph_builder.cli import app
sys.argv = ["paperkg", *sys.argv[sys.argv.index("--") + 1:]]
app()
"""


def _records(example: Path) -> list[dict[str, str]]:
    return [
        {"id": p.paper_id, "title": p.title, "abstract": p.abstract}
        for p in read_papers([example]).papers
    ]


def _corpus(path: Path, base: list[dict[str, str]], run: int, extra: int) -> set[str]:
    """The example's papers and ``extra`` new variants of them; the ids of all."""
    records = list(base)
    for k in range(extra):
        source = base[k % len(base)]
        records.append({"id": f"{source['id']}-r{run}-{k}", "abstract": f"{source['abstract']} "
                        f"Run {run}, variant {k}."})  # fmt: skip
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return {r["id"] for r in records}


def _build(tmp_path: Path, corpus: Path, out: Path, mode: str, value: float) -> tuple[int, int]:
    """Run the build with its kill planted; its exit status and process id."""
    counts = tmp_path / "counts.json"
    command = [sys.executable, "-c", DRIVER, mode, str(value), str(counts), "--"]
    command += ["build", str(corpus), "-o", str(out), "-q", "--workers", "2"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with (tmp_path / "stderr.txt").open("w") as stderr:
        build = subprocess.Popen(command, env=env, stderr=stderr, start_new_session=True)
    try:
        build.wait(timeout=600)
    finally:
        build.kill()
    return build.returncode, build.pid


def _session(sid: int) -> set[int]:
    """Live processes of session ``sid`` (Linux /proc)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[3]) == sid:
            found.add(int(stat.parent.name))
    return found


def _left_running(sid: int) -> set[int]:
    deadline = time.monotonic() + 10
    while (left := _session(sid)) and time.monotonic() < deadline:
        time.sleep(0.1)
    for pid in left:  # a failing test leaves nothing running either
        os.kill(pid, 9)
    return left


def _visible_papers(out: Path) -> set[str]:
    """The papers of DIR as readers see them, after checking that every output is of the
    current generation and as its manifest recorded it."""
    current = os.path.realpath(out / ".paperkg-current")
    manifest = json.loads(Path(current, MANIFEST_FILE).read_text())
    assert sorted(manifest["outputs"]) == sorted(OUTPUTS)
    for name in OUTPUTS:
        assert os.path.realpath(out / name) == os.path.join(current, name)
        stat = (out / name).stat()
        assert [stat.st_size, stat.st_mtime_ns] == manifest["outputs"][name], name
    kg = load_graph(out)
    in_json = {data["paper_id"] for _, data in kg.nodes(Label.PAPER)}
    graphml = nx.read_graphml(out / "graph.graphml")
    paper = Label.PAPER.value
    in_graphml = {d["paper_id"] for _, d in graphml.nodes(data=True) if d.get(LABEL) == paper}
    rows = embedded.query(out / "graph.lbug", "MATCH (p:Paper) RETURN p.paper_id").records()
    in_store = {row["p.paper_id"] for row in rows}
    assert in_json == in_graphml == in_store
    return in_json


def test_builds_killed_at_random_points_leave_one_whole_generation_and_no_process(
    example_path: Path, tmp_path: Path
) -> None:
    rng = random.Random(SEED)
    base = _records(example_path)
    out = tmp_path / "out"
    corpus = tmp_path / "papers.jsonl"
    visible = _corpus(corpus, base, 0, 3)
    status, pid = _build(tmp_path, corpus, out, "count", 0)
    assert status == 0 and _left_running(pid) == set()
    whole = json.loads((tmp_path / "counts.json").read_text())
    assert _visible_papers(out) == visible
    seen = {"time": 0, "stage": 0, "call": 0, "finished": 0}
    for run in range(1, KILLS + 1):
        # Every tenth build parses more than a chunk of new papers: with worker processes.
        papers = _corpus(corpus, base, run, 130 if run % 10 == 0 else 1 + run % 4)
        mode = rng.choice(["time", "stage", "call"])
        if mode == "time":
            value = rng.uniform(0.5, whole["seconds"])
        elif mode == "stage":
            value = rng.randint(1, whole["stages"]) + rng.uniform(0.01, 0.5)
        else:
            value = rng.randint(whole["write_from"], whole["calls"])  # the renames, links
        status, pid = _build(tmp_path, corpus, out, mode, value)
        assert _left_running(pid) == set(), (run, mode, value)
        seen[mode if status == -9 else "finished"] += 1
        assert status in (0, -9), (run, mode, value, (tmp_path / "stderr.txt").read_text())
        now = _visible_papers(out)
        assert now in (visible, papers), (run, mode, value)  # the old set or the new, whole
        visible = now
        assert not list(out.glob(".paperkg-link-*")) or status == -9
    assert seen["time"] and seen["stage"] and seen["call"], seen  # each kind of point was hit
    papers = _corpus(corpus, base, KILLS + 1, 2)
    status, pid = _build(tmp_path, corpus, out, "count", 0)
    assert status == 0 and _visible_papers(out) == papers
    assert len(list((out / ".paperkg-generations").iterdir())) == 2  # this one, the one before
    assert not list(out.glob(".paperkg-link-*"))
