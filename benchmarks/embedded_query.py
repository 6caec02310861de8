"""Latency of typical cookbook queries on the embedded store of a large graph.

Builds the graph of a JSON Lines corpus (default: the 33,649 arXiv abstracts of
``../shared/data/arxiv_daily_cs/all.jsonl``) once into ``--out`` (reused when
it already holds a store), then times each query many times and prints the
median, next to two baselines measured in the same run: ``RETURN 1`` on the
same open connection (the engine's fixed cost) and the same question answered
by networkx on the graph in memory.

    python benchmarks/embedded_query.py [--limit N] [--out DIR] [--repeat 50]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import ladybug
from _corpus import first_records

from exporters import GRAPH_FILE, embedded, files, load_graph
from graph_builder import build_graph, read_papers
from graph_builder.schema import Label, Rel

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INPUT = ROOT.parent / "shared" / "data" / "arxiv_daily_cs" / "all.jsonl"

QUERIES = {
    "papers of a concept": (
        "MATCH (p:Paper)-[m:MENTIONS]->(c:Concept {key: $key}) "
        "RETURN p.paper_id, p.title, m.weight ORDER BY m.weight DESC, p.paper_id LIMIT 20"
    ),
    "co-occurring concepts": (
        "MATCH (c:Concept {key: $key})-[r:CO_OCCURS]-(o:Concept) "
        "RETURN o.name, r.papers, r.strength ORDER BY r.papers DESC, r.strength DESC LIMIT 10"
    ),
    "related papers via a concept": (
        "MATCH (c:Concept {key: $key})<-[:MENTIONS]-(p:Paper)-[r:RELATED_TO]-(q:Paper) "
        "RETURN q.paper_id, max(r.weight) AS w ORDER BY w DESC LIMIT 10"
    ),
    "top concepts": "MATCH (c:Concept) RETURN c.name, c.df ORDER BY c.df DESC, c.name LIMIT 10",
}


def median_ms(run, repeat: int) -> float:  # type: ignore[no-untyped-def]
    run()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", type=Path, default=DEFAULT_INPUT)
    parser.add_argument("--limit", type=int, default=None, help="Use the first N records.")
    parser.add_argument("--out", type=Path, default=Path("/tmp/paperkg-bench-embedded"))
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()

    store = args.out / embedded.STORE_FILE
    if not store.exists():
        with tempfile.TemporaryDirectory() as tmp:
            source, kept = first_records(args.input, args.limit, Path(tmp) / "input.jsonl")
            print(f"input: {kept} records of {args.input}")
            start = time.perf_counter()
            kg = build_graph(read_papers([source]))
            print(f"build_graph: {time.perf_counter() - start:.1f} s")
        files.write_json(kg, args.out / GRAPH_FILE)
        start = time.perf_counter()
        embedded.write(kg, store)
        print(f"embedded.write: {time.perf_counter() - start:.1f} s")
    kg = load_graph(args.out)
    print(
        f"graph: {kg.count(Label.PAPER)} papers, {kg.count(Label.CONCEPT)} concepts, "
        f"{kg.count(Label.TOPIC)} topics, {kg.graph.number_of_edges()} edges; "
        f"store {store.stat().st_size / 1e6:.0f} MB"
    )
    # A concept of middling frequency: the 50th most common.
    key = kg.top_concepts(50)[-1]["key"]
    print(f"query concept: {key!r}; median of {args.repeat} runs, ms")

    database = ladybug.Database(str(store), read_only=True)
    connection = ladybug.Connection(database)
    baseline = median_ms(lambda: connection.execute("RETURN 1").get_all(), args.repeat)
    print(f"  {'baseline RETURN 1 (open connection)':42} {baseline:8.2f}")
    for name, cypher in QUERIES.items():
        params = {"key": key} if "$key" in cypher else {}
        warm = median_ms(lambda c=cypher, p=params: connection.execute(c, p).get_all(), args.repeat)
        cold = median_ms(lambda c=cypher, p=params: embedded.query(store, c, p), 10)
        print(f"  {name:42} {warm:8.2f}   (opening the store each time: {cold:.1f})")
    connection.close()
    database.close()

    node = f"concept:{key}"

    def networkx_papers() -> list[tuple[float, str]]:
        rows = [
            (-d["weight"], u)
            for u, _, k, d in kg.graph.in_edges(node, keys=True, data=True)
            if k == Rel.MENTIONS
        ]
        return sorted(rows)[:20]

    def networkx_top() -> list[dict]:
        return kg.top_concepts(10)

    print(f"  {'networkx: papers of a concept':42} {median_ms(networkx_papers, args.repeat):8.2f}")
    print(f"  {'networkx: top concepts':42} {median_ms(networkx_top, args.repeat):8.2f}")


if __name__ == "__main__":
    sys.exit(main())
