"""How fast ``paperkg neo4j`` loads a big graph, against a naive loader on the same server.

The graph is the one ``paperkg build`` writes for the first ``--limit`` records of
``../shared/data/arxiv_daily_cs/all.jsonl`` (built once into ``--graph-dir``, whose
``.paperkg-cache.sqlite`` keeps the extraction for re-runs). Then, on the Neo4j at NEO4J_URI
(password NEO4J_PASSWORD; e.g. the one ``scripts/neo4j-server start`` prints), in one run:

1. paperkg's loader on the whole graph into an empty paperkg graph (median of ``--repeat``),
   then again over itself (everything already there: ``MERGE`` only, nothing stale); rows/s.
2. the naive loader, one managed write transaction per row (``MERGE`` one node or relationship
   on the same constraints), on the whole graph with ``--naive all``, else on a sample: the
   subgraph of the first ``--sample-papers`` papers, the concepts they mention, their authors and
   topics, and the edges among those. From the sample, the naive loader's whole-graph time is
   extrapolated stage by stage (rows of each label and type in the whole graph / the naive
   rows/s of that stage on the sample) and printed as an estimate. The sample sits in a small
   database, whose index look-ups are cheaper than in the whole graph's, so the estimate, if
   anything, flatters the naive loader. paperkg's loader also loads the same sample, for a ratio
   on identical rows.

Both loaders run after a warm-up load of a 500-paper sample, on the same warm server. The test
server (``scripts/neo4j-server``) stops the JIT at C1 for a fast start; a real Neo4j runs the full
JIT, so start the benchmark's server with it, a bigger page cache and a heap of fixed size with a
1 GB young generation (from the test server's 256 MB initial heap, young collections took 11% of
the server's CPU during loads)::

    PAPERKG_NEO4J_JAVA_OPTS="-XX:TieredStopAtLevel=4 -Xms3g -Xmx3g -Xmn1g" \
        PAPERKG_NEO4J_PAGECACHE_MB=1024 bash scripts/neo4j-server start

It deletes the nodes with paperkg's labels on that server (nothing else): do not point it at a
database whose paperkg graph you want to keep. Run (heavy; one at a time on a shared machine):
``flock /tmp/paperkg-heavy.lock python benchmarks/neo4j_load.py``.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _corpus import first_records

from exporters import GRAPH_FILE, load_graph
from exporters.neo4j import (
    DEFAULT_WORKERS,
    connect,
    delete_paperkg_nodes,
    file_stamp,
    load,
    node_rows,
    quote_name,
    relationship_rows,
)
from graph_builder import KnowledgeGraph
from graph_builder.schema import NODE_KEY, Label, Rel, edge_kinds

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "arxiv_daily_cs" / "all.jsonl"


def built_graph(limit: int, directory: Path) -> KnowledgeGraph:
    """The graph ``paperkg build`` wrote in ``directory``; built there first when missing."""
    if not (directory / "graph.json").exists():
        source, kept = first_records(DATA, limit, directory.with_name(directory.name + ".jsonl"))
        started = time.perf_counter()
        command = [sys.executable, "-m", "graph_builder", "build", str(source)]
        subprocess.run([*command, "--out", str(directory), "--quiet"], check=True)
        print(f"graph: built from {kept} records in {time.perf_counter() - started:.0f} s")
    print(f"graph: {directory}")
    return load_graph(directory)


def sample(kg: KnowledgeGraph, papers: int) -> KnowledgeGraph:
    """The first ``papers`` papers, their concepts, authors and those concepts' topics."""
    chosen = {n for n, _ in itertools.islice(kg.nodes(Label.PAPER), papers)}
    keep = set(chosen)
    for paper in chosen:
        keep.update(kg.mentions.targets(paper))
        keep.update(u for u, _, k in kg.graph.in_edges(paper, keys=True) if k == Rel.WROTE)
    keep.update(
        v for c in list(keep) for _, v, k in kg.graph.out_edges(c, keys=True) if k == Rel.IN_TOPIC
    )
    return KnowledgeGraph(kg.to_networkx().subgraph(keep).copy())


def stage_rows(kg: KnowledgeGraph) -> dict[str, int]:
    return {item.value: kg.count(item) for item in (*Label, *Rel)}


def naive_load(kg: KnowledgeGraph, driver: Any, database: str | None) -> dict[str, float]:
    """One managed write transaction per node and per relationship; seconds per stage."""
    seconds = {}
    with driver.session(database=database) as session:
        for label in Label:
            statement = (
                f"MERGE (n:{quote_name(label.value)} {{{quote_name(NODE_KEY[label])}: $key}}) "
                "SET n = $props"
            )
            started = time.perf_counter()
            for row in node_rows(kg, label):
                session.execute_write(lambda tx, s=statement, r=row: tx.run(s, **r).consume())
            seconds[label.value] = time.perf_counter() - started
        for kind in edge_kinds():
            rel, a, b = kind
            statement = (
                f"MATCH (a:{quote_name(a.value)} {{{quote_name(NODE_KEY[a])}: $source}}) "
                f"MATCH (b:{quote_name(b.value)} {{{quote_name(NODE_KEY[b])}: $target}}) "
                f"MERGE (a)-[r:{quote_name(rel.value)}]->(b) SET r = $props"
            )
            started = time.perf_counter()
            for row in relationship_rows(kg, kind):
                session.execute_write(lambda tx, s=statement, r=row: tx.run(s, **r).consume())
            seconds[rel.value] = seconds.get(rel.value, 0.0) + time.perf_counter() - started
    return seconds


def timed(setup: Callable[[], None], what: Callable[[], object], repeat: int) -> float:
    """Median seconds of ``what()``, each run after an untimed ``setup()``."""
    times = []
    for _ in range(repeat):
        setup()
        started = time.perf_counter()
        what()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def extrapolate(seconds: dict[str, float], small: dict[str, int], full: dict[str, int]) -> float:
    """Whole-graph seconds of the naive loader: each stage's rows at its sample rows/s."""
    total = 0.0
    for stage, rows in full.items():
        if not rows:
            continue
        if not small[stage]:
            sys.exit(f"the sample has no {stage} rows to time; give a bigger --sample-papers")
        total += rows * seconds[stage] / small[stage]
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=10_000, help="records (default 10000)")
    parser.add_argument("--graph-dir", type=Path, help="default /tmp/paperkg-bench/neo4j-LIMIT")
    parser.add_argument("--sample-papers", type=int, default=300)
    parser.add_argument("--naive", choices=["sample", "all"], default="sample")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each paperkg timing")
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS, help="paperkg's writers")
    parser.add_argument("--build-only", action="store_true")
    args = parser.parse_args()

    directory = args.graph_dir or Path(f"/tmp/paperkg-bench/neo4j-{args.limit}")
    kg = built_graph(args.limit, directory)
    full_rows = stage_rows(kg)
    total = sum(full_rows.values())
    print(f"graph: {kg}, {total} rows: {full_rows}")
    if args.build_only:
        return
    uri = os.environ.get("NEO4J_URI")
    if not uri or "NEO4J_PASSWORD" not in os.environ:
        sys.exit("set NEO4J_URI and NEO4J_PASSWORD (scripts/neo4j-server start prints them)")
    database = os.environ.get("NEO4J_DATABASE") or None
    user = os.environ.get("NEO4J_USER", "neo4j")
    driver = connect(uri, user, os.environ["NEO4J_PASSWORD"], database)

    def empty() -> None:
        with driver.session(database=database) as session:
            delete_paperkg_nodes(session, 50_000)

    def nothing() -> None:
        pass

    finished: dict[str, float] = {}  # seconds into the last whole-graph load each stage ended

    def paperkg(graph: KnowledgeGraph, stamp: str | None = None, progress: Any = None) -> None:
        load(graph, driver, database, workers=args.workers, stamp=stamp, progress=progress)

    def whole() -> None:  # as `paperkg neo4j DIR` does: the stamp is graph.json's hash
        started = time.perf_counter()
        finished.clear()

        def progress(stage: str, done: int, total: int) -> None:
            finished[stage] = time.perf_counter() - started

        paperkg(kg, file_stamp(directory / GRAPH_FILE), progress)

    empty()
    for _ in range(2):  # warm up: constraints, query plans, the server's JIT
        paperkg(sample(kg, 500))
        empty()
    full = timed(empty, whole, args.repeat)
    full_stages = dict(finished)
    again = timed(nothing, whole, 1)
    print(
        f"paperkg loader ({args.workers} writers), whole graph into an empty database: "
        f"{total} rows in {full:.1f} s"
    )
    print(f"  = {total / full:,.0f} rows/s (median of {args.repeat})")
    print(
        "  stages of the last run, ended at: "
        + ", ".join(f"{k} {v:.1f} s" for k, v in full_stages.items())
    )
    print(f"paperkg loader, same graph again: {again:.1f} s = {total / again:,.0f} rows/s (1 run)")
    print("  stages ended at: " + ", ".join(f"{k} {v:.1f} s" for k, v in finished.items()))

    if args.naive == "all":
        empty()
        started = time.perf_counter()
        naive_load(kg, driver, database)
        slow = time.perf_counter() - started
        print(f"naive loader, whole graph: {slow:.0f} s = {total / slow:,.0f} rows/s (1 run)")
    else:
        small = sample(kg, args.sample_papers)
        small_rows = stage_rows(small)
        n = sum(small_rows.values())
        fast = timed(empty, lambda: paperkg(small), args.repeat)
        empty()
        started = time.perf_counter()
        seconds = naive_load(small, driver, database)
        naive_small = time.perf_counter() - started
        slow = extrapolate(seconds, small_rows, full_rows)
        print(f"sample: the first {args.sample_papers} papers' subgraph, {n} rows: {small_rows}")
        print(f"  paperkg loader: {fast:.2f} s = {n / fast:,.0f} rows/s (median of {args.repeat})")
        print(f"  naive loader: {naive_small:.1f} s = {n / naive_small:,.0f} rows/s (1 run)")
        print(f"  ratio on the sample's rows: {naive_small / fast:.1f}x")
        print(
            f"naive loader, whole graph: ESTIMATED {slow:.0f} s = {total / slow:,.0f} rows/s, "
            "extrapolated from its per-stage rows/s on the sample (not run on the whole graph)"
        )
    print(f"ratio naive/paperkg, whole graph: {slow / full:.1f}x (target >= 30x)")
    print(f"paperkg whole load under 60 s: {'yes' if full < 60 else 'NO'} ({full:.1f} s)")
    empty()
    driver.close()


if __name__ == "__main__":
    main()
