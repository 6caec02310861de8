"""Time and peak memory of each writer of ``paperkg build``, on a graph already in memory.

Usage::

    python benchmarks/write_outputs.py GRAPH_JSON [--rounds 3]
                                       [--writers json,graphml,lbug,html,index] [--baseline REV]

GRAPH_JSON is the ``graph.json`` of a ``paperkg build`` output directory; it is
read once. Each round of each writer then runs in a child process forked from
the one holding the graph, so no writer inherits another's garbage. Peak memory
is what the writer adds to the graph already in memory: the child's high-water
resident set (``VmHWM``) minus its resident set when it started. ``cpu`` is the
child's processor time (user and system, every thread): steadier than the wall
clock on a shared machine. ``all`` is the
whole write stage of ``paperkg build`` (:func:`graph_builder.build_dir.write_outputs`,
the store in a second thread); ``serial`` the same four writers one after another.

Memory cap: each child is killed when its resident set passes ``--rss-cap`` GB.
LadybugDB reserves 8 TB of address space, so ``prlimit --as`` cannot cap a child
that writes the store: give it as a soft limit (``prlimit --as=16000000000:unlimited``),
which caps reading the graph, and the children lift it.

``--same-as DIR`` checks that the files written (not the store) have the same bytes as
DIR's (a build of the same graph, e.g. by an earlier revision).

``--baseline REV`` also times the writers of git revision REV (its
``exporters/`` modules, page template and index tables, loaded under other names)
in the same run, and prints the ratios. Medians over the rounds.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import jinja2

from exporters import embedded, files, html
from graph_builder import KnowledgeGraph, graph_index
from graph_builder.build_dir import write_outputs

Writer = Callable[[KnowledgeGraph, Path], None]
ROOT = Path(__file__).resolve().parent.parent
WRITERS: dict[str, str] = {
    "json": "graph.json",
    "graphml": "graph.graphml",
    "lbug": "graph.lbug",
    "html": "graph.html",
    "index": graph_index.INDEX_FILE,
    "all": "out",
    "serial": "out",
}


def _status(field: str) -> int:
    """A ``/proc/self/status`` memory figure, in bytes."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise KeyError(field)


def _size(path: Path) -> int:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return path.stat().st_size


def _same_bytes(path: Path, reference: Path) -> bool:
    with path.open("rb") as ours, reference.open("rb") as theirs:
        return hashlib.file_digest(ours, "sha256").digest() == (
            hashlib.file_digest(theirs, "sha256").digest()
        )


def _measure(
    write: Writer, kg: KnowledgeGraph, path: Path, same_as: Path | None = None
) -> dict[str, float]:
    """Run ``write`` in a forked child; its seconds, added peak bytes and output bytes.

    With ``same_as`` (a directory), also whether the file has the bytes of the one there.
    """
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read_end)
        code = 0
        try:
            _, hard = resource.getrlimit(resource.RLIMIT_AS)
            resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
            start_rss = _status("VmRSS")
            start, start_cpu = time.perf_counter(), time.process_time()
            write(kg, path)
            seconds = time.perf_counter() - start
            result = {
                "seconds": seconds,
                "cpu": time.process_time() - start_cpu,
                "peak": _status("VmHWM") - start_rss,
                "size": _size(path),
            }
            reference = same_as / path.name if same_as else None
            if reference and path.suffix not in (".lbug", ".sqlite") and reference.is_file():
                result["same"] = _same_bytes(path, reference)
        except BaseException as exc:  # reported by the parent
            result = {"error": f"{type(exc).__name__}: {exc}"}
            code = 1
        os.write(write_end, json.dumps(result).encode())
        os._exit(code)
    os.close(write_end)
    killed = _watch(pid, RSS_CAP)
    with os.fdopen(read_end, "rb") as pipe:
        message = pipe.read()
    if killed:
        message = json.dumps({"error": f"killed: resident set over {RSS_CAP / 1e9:.0f} GB"})
    result = json.loads(message or b'{"error": "the child died (out of memory?)"}')
    if "error" in result:
        raise RuntimeError(result["error"])
    return result


RSS_CAP = 12e9


def _watch(pid: int, cap: float) -> bool:
    """Wait for the child, killing it if its resident set passes ``cap`` bytes."""
    status = Path(f"/proc/{pid}/status")
    while True:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            return False
        try:
            rss = next(
                int(x.split()[1]) * 1024
                for x in status.read_text().splitlines()
                if x.startswith("VmRSS:")
            )
        except (OSError, StopIteration):
            rss = 0
        if rss > cap:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return True
        time.sleep(0.2)


# The writers of another revision ---------------------------------------------------------


def _git_show(rev: str, path: str) -> str:
    return subprocess.run(
        ["git", "show", f"{rev}:{path}"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout


@cache
def _old_module(rev: str, name: str, package: str = "exporters") -> ModuleType:
    """``<package>/<name>.py`` as it was at ``rev``, imported as ``baseline_<name>``."""
    source = Path(tempfile.mkdtemp()) / f"baseline_{name}.py"
    source.write_text(_git_show(rev, f"{package}/{name}.py"))
    spec = importlib.util.spec_from_file_location(source.stem, source)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[source.stem] = module
    spec.loader.exec_module(module)
    if name == "html":
        template = jinja2.Environment(autoescape=True, keep_trailing_newline=True).from_string(
            _git_show(rev, "exporters/templates/graph.html.j2")
        )
        module._template = lambda: template
    return module


def _baseline_writers(rev: str) -> dict[str, Writer]:
    old_files, old_embedded, old_html = (_old_module(rev, n) for n in ("files", "embedded", "html"))
    old_tables = _old_module(rev, "tables", "graph_builder/graph_index")

    def write_all(kg: KnowledgeGraph, out: Path) -> None:
        out.mkdir()
        old_files.write_json(kg, out / "graph.json")
        old_files.write_graphml(kg, out / "graph.graphml")
        old_html.write(kg, out / "graph.html")
        old_tables.write(kg, out / graph_index.INDEX_FILE)
        old_embedded.write(kg, out / "graph.lbug")

    return {
        "json": old_files.write_json,
        "graphml": old_files.write_graphml,
        "lbug": old_embedded.write,
        "html": old_html.write,
        "index": old_tables.write,
        "all": write_all,
    }


def _write_all(kg: KnowledgeGraph, out: Path) -> None:
    write_outputs(kg, out)


def _write_serially(kg: KnowledgeGraph, out: Path) -> None:
    out.mkdir()
    for name, write in (
        ("graph.json", files.write_json),
        ("graph.graphml", files.write_graphml),
        ("graph.html", html.write),
        (graph_index.INDEX_FILE, graph_index.write),
        ("graph.lbug", embedded.write),
    ):
        write(kg, out / name)


def _writers() -> dict[str, Writer]:
    return {
        "json": files.write_json,
        "graphml": files.write_graphml,
        "lbug": embedded.write,
        "html": html.write,
        "index": graph_index.write,
        "all": _write_all,
        "serial": _write_serially,
    }


# Report ------------------------------------------------------------------------------------


def _median_run(
    write: Writer, kg: KnowledgeGraph, name: str, rounds: int, tmp: Path, same_as: Path | None
) -> dict[str, float]:
    runs = []
    for _ in range(rounds):
        path = Path(tempfile.mkdtemp(dir=tmp)) / WRITERS[name]
        runs.append(_measure(write, kg, path, same_as))
    figures = {
        key: statistics.median(run[key] for run in runs) for key in ("seconds", "cpu", "peak")
    }
    figures["size"] = runs[-1]["size"]
    if "same" in runs[0]:
        figures["same"] = all(run["same"] for run in runs)
    return figures


def _row(label: str, figures: dict[str, Any]) -> str:
    same = {True: "   same bytes", False: "   DIFFERENT bytes"}.get(figures.get("same"), "")
    return (
        f"{label:<24}{figures['seconds']:>9.1f} s{figures['cpu']:>9.1f} s"
        f"{figures['peak'] / 1e6:>10.0f} MB"
        f"{figures['size'] / 1e6:>10.1f} MB{same}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("graph", type=Path, help="a graph.json written by paperkg build")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--writers", default="json,graphml,lbug,html,index,all,serial")
    parser.add_argument("--baseline", metavar="REV", help="also time the writers of git REV")
    parser.add_argument("--baseline-writers", help="only these, with --baseline (default: all)")
    parser.add_argument("--same-as", metavar="DIR", type=Path, help="compare the files to DIR's")
    parser.add_argument("--rss-cap", type=float, default=12, help="GB per child (default 12)")
    args = parser.parse_args()
    names = args.writers.split(",")
    baseline_names = (args.baseline_writers or args.writers).split(",")
    global RSS_CAP
    RSS_CAP = args.rss_cap * 1e9
    start = time.perf_counter()
    kg = files.read_json(args.graph)
    print(
        f"graph: {kg.graph.number_of_nodes():,} nodes, {kg.graph.number_of_edges():,} edges; "
        f"read in {time.perf_counter() - start:.0f} s, resident {_status('VmRSS') / 1e9:.2f} GB"
    )
    candidates = {"": _writers()}
    if args.baseline:
        candidates[f" ({args.baseline[:7]})"] = _baseline_writers(args.baseline)
    print(
        f"{'writer':<24}{'median':>11}{'cpu':>11}{'peak added':>13}{'size':>13}"
        f"   ({args.rounds} rounds)"
    )
    results: dict[tuple[str, str], dict[str, float]] = {}
    with tempfile.TemporaryDirectory(dir=os.environ.get("PAPERKG_BENCH_TMP")) as tmp:
        for name in names:
            for suffix, writers in candidates.items():
                if name not in writers or (suffix and name not in baseline_names):
                    continue
                try:
                    same_as = args.same_as if not suffix else None
                    figures = _median_run(writers[name], kg, name, args.rounds, Path(tmp), same_as)
                except RuntimeError as exc:
                    print(f"{name + suffix:<24}failed: {exc}", flush=True)
                    continue
                results[name, suffix] = figures
                print(_row(name + suffix, figures), flush=True)
    if args.baseline:
        suffix = f" ({args.baseline[:7]})"
        for name in names:
            if (name, "") not in results or (name, suffix) not in results:
                continue
            new, old = results[name, ""], results[name, suffix]
            print(
                f"{name}: {old['seconds'] / new['seconds']:.1f}x faster "
                f"({old['cpu'] / new['cpu']:.1f}x less processor time), peak "
                f"{old['peak'] / max(new['peak'], 1):.1f}x smaller than {args.baseline[:7]}"
            )


if __name__ == "__main__":
    main()
