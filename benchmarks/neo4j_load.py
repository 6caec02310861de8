"""How fast ``paperkg neo4j`` loads a big graph, against a naive loader on the same server.

Builds (once; cached under /tmp) the graph of the first ``--limit`` abstracts of
``../shared/data/arxiv_daily_cs/all.jsonl``, then, on the Neo4j at NEO4J_URI
(password NEO4J_PASSWORD; e.g. the one ``scripts/neo4j-server start`` prints):

1. paperkg's loader (constraints, then ``UNWIND $rows ... MERGE`` batches) on the whole graph,
   into an empty paperkg graph; rows/s.
2. on a sample (the subgraph of the first ``--sample-papers`` papers, their concepts and the
   edges among them): paperkg's loader, then a naive loader that runs one managed transaction per
   row (``MERGE`` one node or relationship, same constraints), each into an empty paperkg graph;
   rows/s of both and the ratio. The naive loader is timed on the sample only because on the
   whole graph it takes many minutes.

It deletes the nodes with paperkg's labels on that server (nothing else): do not point it at a
database whose paperkg graph you want to keep. Run: ``python benchmarks/neo4j_load.py``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import sys
import time
from pathlib import Path

from exporters import files
from exporters.neo4j import (
    connect,
    delete_paperkg_nodes,
    load,
    node_rows,
    quote_name,
    relationship_rows,
)
from graph_builder import KnowledgeGraph, build_graph, read_papers
from graph_builder.ingest.text import clean_text
from graph_builder.schema import EDGE_ENDPOINTS, NODE_KEY, Label, Rel

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "arxiv_daily_cs" / "all.jsonl"


def cached_graph(limit: int, cache: Path) -> KnowledgeGraph:
    path = cache / f"graph-{limit}.json"
    if path.exists():
        print(f"graph: cached {path}")
        return files.read_json(path)
    cache.mkdir(parents=True, exist_ok=True)
    subset = cache / f"first-{limit}.jsonl"
    skipped = []
    with DATA.open(encoding="utf-8") as src, subset.open("w", encoding="utf-8") as dst:
        kept = 0
        for line in src:
            record = json.loads(line)
            try:  # the LaTeX cleaner crashes on some \href{...}{...}: a core bug, skip those
                clean_text(record["title"])
                clean_text(record["abstract"])
            except IndexError:
                skipped.append(record["id"])
                continue
            dst.write(line)
            kept += 1
            if kept == limit:
                break
    if skipped:
        print(f"graph: skipped {len(skipped)} records the LaTeX cleaner rejects: {skipped[:5]} ...")
    started = time.perf_counter()
    kg = build_graph(read_papers([subset]))
    print(f"graph: built from {limit} abstracts in {time.perf_counter() - started:.0f} s")
    files.write_json(kg, path)
    return kg


def sample(kg: KnowledgeGraph, papers: int) -> KnowledgeGraph:
    """The subgraph of the first ``papers`` papers and the concepts they mention."""
    chosen = [n for n, _ in itertools.islice(kg.nodes(Label.PAPER), papers)]
    concepts = {
        v for p in chosen for _, v, k in kg.graph.out_edges(p, keys=True) if k == Rel.MENTIONS
    }
    return KnowledgeGraph(kg.graph.subgraph([*chosen, *concepts]).copy())


def rows_of(kg: KnowledgeGraph) -> int:
    return sum(kg.count(label) for label in Label) + sum(kg.count(rel) for rel in Rel)


def naive_load(kg: KnowledgeGraph, driver, database: str | None) -> None:
    """One managed write transaction per node and per relationship."""
    with driver.session(database=database) as session:
        for label in Label:
            statement = (
                f"MERGE (n:{quote_name(label.value)} {{{quote_name(NODE_KEY[label])}: $key}}) "
                "SET n = $props"
            )
            for row in node_rows(kg, label):
                session.execute_write(lambda tx, s=statement, r=row: tx.run(s, **r).consume())
        for rel in Rel:
            a, b = EDGE_ENDPOINTS[rel]
            statement = (
                f"MATCH (a:{quote_name(a.value)} {{{quote_name(NODE_KEY[a])}: $source}}) "
                f"MATCH (b:{quote_name(b.value)} {{{quote_name(NODE_KEY[b])}: $target}}) "
                f"MERGE (a)-[r:{quote_name(rel.value)}]->(b) SET r = $props"
            )
            for row in relationship_rows(kg, rel):
                session.execute_write(lambda tx, s=statement, r=row: tx.run(s, **r).consume())


def timed(setup, what, repeat: int) -> float:
    """Median seconds of ``what()``, each run after an untimed ``setup()``."""
    times = []
    for _ in range(repeat):
        setup()
        started = time.perf_counter()
        what()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=10_000, help="abstracts (default 10000)")
    parser.add_argument("--sample-papers", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each timing (median)")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/paperkg-bench"))
    parser.add_argument("--build-only", action="store_true")
    args = parser.parse_args()

    kg = cached_graph(args.limit, args.cache)
    total = rows_of(kg)
    print(f"graph: {kg}, {total} rows")
    if args.build_only:
        return
    uri = os.environ.get("NEO4J_URI")
    if not uri or "NEO4J_PASSWORD" not in os.environ:
        sys.exit("set NEO4J_URI and NEO4J_PASSWORD (scripts/neo4j-server start prints them)")
    database = os.environ.get("NEO4J_DATABASE") or None
    driver = connect(
        uri, os.environ.get("NEO4J_USER", "neo4j"), os.environ["NEO4J_PASSWORD"], database
    )

    def empty() -> None:
        with driver.session(database=database) as session:
            delete_paperkg_nodes(session, 5000)

    paperkg = lambda g: load(g, driver, database)  # noqa: E731
    naive = lambda g: naive_load(g, driver, database)  # noqa: E731

    load(sample(kg, 20), driver, database)  # warm up: constraints, query plans, JIT
    full = timed(empty, lambda: paperkg(kg), args.repeat)
    print(
        f"paperkg loader, whole graph: {total} rows in {full:.1f} s = {total / full:,.0f} rows/s "
        f"(median of {args.repeat})"
    )

    small = sample(kg, args.sample_papers)
    n = rows_of(small)
    fast = timed(empty, lambda: paperkg(small), args.repeat)
    slow = timed(empty, lambda: naive(small), 1)
    print(f"sample of {args.sample_papers} papers: {n} rows")
    print(f"  paperkg loader: {fast:.2f} s = {n / fast:,.0f} rows/s (median of {args.repeat})")
    print(
        f"  naive loader (one transaction per row): {slow:.1f} s = {n / slow:,.0f} rows/s (1 run)"
    )
    print(f"  ratio paperkg/naive, same rows: {slow / fast:.1f}x")
    print(f"  ratio, whole-graph paperkg rows/s to naive: {(total / full) / (n / slow):.1f}x")
    with driver.session(database=database) as session:
        delete_paperkg_nodes(session, 5000)
    driver.close()


if __name__ == "__main__":
    main()
