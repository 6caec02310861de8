"""Latency of the Cypher cookbook's queries on the embedded store of a large graph.

Every ``## N.`` query of docs/cypher.md (its embedded form where it has one) runs
on the store of a large graph (default: the 33,649 arXiv abstracts of
``../shared/data/arxiv_daily_cs/all.jsonl``). The cookbook names the bundled
example's concepts and papers; here each of those values becomes a query
parameter set to a concept or paper of the large graph of the same role (a
concept of middling frequency for *deep neural network*, its paper of greatest
weight for the 2017-10-04 paper, ...), so every query has work to do. A value
the table below does not know (a query added to the cookbook later) is kept as
written, and the query is flagged.

For each query it prints the median of ``--repeat`` runs on an open connection,
and the median of fewer runs through ``exporters.embedded.query`` (which opens the
store each time, as ``paperkg query`` does); with two baselines measured in the
same run: ``RETURN 1`` on the same connection (the engine's fixed cost) and, with
``--networkx``, the answer to query 2 computed by networkx on the graph in memory.

    python benchmarks/embedded_query.py [--graph DIR] [--limit N] [--out DIR] [--repeat 20]

``--graph DIR`` reuses the output of an earlier ``paperkg build`` (``graph.json`` and
``graph.lbug``); without it the benchmark runs ``paperkg build`` into ``--out`` first
(many minutes for the whole corpus on two cores; ``--limit`` takes the first N records).
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ladybug
from _corpus import first_records

from exporters import embedded, load_graph

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INPUT = ROOT.parent / "shared" / "data" / "arxiv_daily_cs" / "all.jsonl"
COOKBOOK = ROOT / "docs" / "cypher.md"
TARGET_MS = 50.0

SECTION = re.compile(r"^## (\d+)\. (.+?)\n(.*?)(?=^## |\Z)", re.M | re.S)
BLOCK = re.compile(r"^```cypher( embedded)?\n(.*?)^```", re.M | re.S)

# The example's literal -> (parameter, its role in the large graph); see corpus_values().
EXAMPLE_VALUES = {
    "'deep neural network'": ("concept", "the 50th most frequent concept"),
    "'representation'": ("partner", "the concept sharing most papers with it"),
    "'deep learning'": ("concept2", "the 100th most frequent concept"),
    "'mean field'": ("rare", "the 2000th most frequent concept"),
    "'symmetry'": ("rare2", "the 3000th most frequent concept"),
    "'NNs'": ("alias", "an alias of the most frequent concept that has one"),
}
COUNTS = {
    "papers": "(:Paper)",
    "concepts": "(:Concept)",
    "topics": "(:Topic)",
    "edges": "()-[]->()",
}
EXAMPLE_PAPERS = {
    "{date: '2017-10-04'}": ("paper", "the paper where the 50th concept weighs most"),
    "{date: '2018-10-28'}": ("paper2", "that paper's most related paper"),
}


def cookbook() -> list[tuple[int, str, str]]:
    """``(number, title, query)`` for each section; the embedded form where there is one."""
    queries = []
    for number, title, body in SECTION.findall(COOKBOOK.read_text()):
        blocks = BLOCK.findall(body)
        embedded_forms = [query for kind, query in blocks if kind]
        queries.append((int(number), title, (embedded_forms or [blocks[0][1]])[0]))
    return queries


def adapt(query: str) -> tuple[str, bool]:
    """The query with the example's values replaced by parameters; False if some were left."""
    for literal, (name, _) in EXAMPLE_PAPERS.items():
        query = query.replace(literal, f"{{paper_id: ${name}}}")
    for literal, (name, _) in EXAMPLE_VALUES.items():
        query = query.replace(literal, f"${name}")
    return query, not re.search(r"'[^']*'", query)


def one(connection: ladybug.Connection, cypher: str, **parameters: Any) -> Any:
    rows = connection.execute(cypher, parameters).get_all()
    if not rows:
        raise SystemExit(f"the graph has no value for: {cypher}")
    return rows[0][0]


def corpus_values(connection: ladybug.Connection) -> dict[str, Any]:
    """A concept or paper of the large graph for each example value (see EXAMPLE_VALUES)."""
    nth = "MATCH (c:Concept) RETURN c.key ORDER BY c.df DESC, c.key SKIP $n LIMIT 1"
    concept = one(connection, nth, n=49)
    paper = one(
        connection,
        "MATCH (p:Paper)-[m:MENTIONS]->(:Concept {key: $key}) "
        "RETURN p.paper_id ORDER BY m.weight DESC, p.paper_id LIMIT 1",
        key=concept,
    )
    return {
        "concept": concept,
        "partner": one(
            connection,
            "MATCH (c:Concept {key: $key})<-[:MENTIONS]-(p:Paper)-[:MENTIONS]->(d:Concept) "
            "WHERE d <> c RETURN d.key, count(p) AS n ORDER BY n DESC, d.key LIMIT 1",
            key=concept,
        ),
        "concept2": one(connection, nth, n=99),
        "rare": one(connection, nth, n=1999),
        "rare2": one(connection, nth, n=2999),
        "alias": one(
            connection,
            "MATCH (c:Concept) WHERE size(c.aliases) > 0 "
            "RETURN c.aliases ORDER BY c.df DESC, c.key LIMIT 1",
        )[0],
        "paper": paper,
        "paper2": one(
            connection,
            "MATCH (:Paper {paper_id: $id})-[r:RELATED_TO]-(q:Paper) "
            "RETURN q.paper_id ORDER BY r.weight DESC, q.paper_id LIMIT 1",
            id=paper,
        ),
    }


def median_ms(run: Callable[[], object], repeat: int) -> float:
    start = time.perf_counter()
    run()  # warm-up; a slow query gets fewer runs
    if time.perf_counter() - start > 1.0:
        repeat = 3
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def open_and_close(store: Path, buffer_pool: int) -> None:
    database = ladybug.Database(str(store), read_only=True, buffer_pool_size=buffer_pool)
    with ladybug.Connection(database) as connection:
        connection.execute("RETURN 1").get_all()
    database.close()


def networkx_baseline(directory: Path, concept: str, repeat: int) -> None:
    """Query 2 (a concept's papers by date) answered by networkx on graph.json in memory."""
    start = time.perf_counter()
    kg = load_graph(directory)
    print(f"  (graph.json read in {time.perf_counter() - start:.1f} s)")
    node = f"concept:{concept}"

    def papers() -> list[tuple[str, float]]:
        rows = [
            (kg.graph.nodes[u].get("date", ""), d["weight"]) for u, d in kg.mentions.of_target(node)
        ]
        return sorted(rows)

    print(f"  {'baseline: networkx, query 2 in memory':44} {median_ms(papers, repeat):8.2f}")


def build(args: argparse.Namespace) -> Path:
    """Run ``paperkg build`` on the input into ``args.out``; its stage table is printed."""
    with tempfile.TemporaryDirectory() as tmp:
        source, kept = first_records(args.input, args.limit, Path(tmp) / "input.jsonl")
        print(f"input: {kept} records of {args.input}; paperkg build into {args.out}")
        command = [sys.executable, "-m", "graph_builder", "build", str(source)]
        command += ["--out", str(args.out), "--workers", str(args.workers), "--verbose", "-q"]
        start = time.perf_counter()
        subprocess.run(command, check=True)
        print(f"paperkg build: {time.perf_counter() - start:.0f} s (reuse: --graph {args.out})")
    return args.out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graph", type=Path, help="Reuse this 'paperkg build' output directory.")
    parser.add_argument("--input", type=Path, default=DEFAULT_INPUT)
    parser.add_argument("--limit", type=int, default=None, help="Use the first N records.")
    parser.add_argument("--out", type=Path, default=Path("/tmp/paperkg-bench-embedded"))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--networkx", action="store_true", help="Also time networkx (slow load).")
    args = parser.parse_args()

    directory = args.graph or build(args)
    store = directory / embedded.STORE_FILE
    database = ladybug.Database(str(store), read_only=True)
    connection = ladybug.Connection(database)
    counts = {
        name: one(connection, f"MATCH {pattern} RETURN count(*)")
        for name, pattern in COUNTS.items()
    }
    print(f"graph: {counts}; store {store.stat().st_size / 1e6:.0f} MB")
    values = corpus_values(connection)
    for literal, (name, role) in {**EXAMPLE_VALUES, **EXAMPLE_PAPERS}.items():
        print(f"  {literal:24} -> ${name} = {values[name]!r} ({role})")

    print(f"median ms: open connection ({args.repeat} runs), opening the store each time (5 runs)")
    baseline = median_ms(lambda: connection.execute("RETURN 1").get_all(), args.repeat)
    print(f"  {'baseline: RETURN 1':44} {baseline:8.2f}")
    for name, pool in (("LadybugDB's default", 0), ("paperkg's", embedded._buffer_pool(store))):
        opening = median_ms(lambda p=pool: open_and_close(store, p), 5)
        print(f"  {'open + RETURN 1 + close, ' + name + ' pool':44} {opening:8.2f}")
    medians = []
    for number, title, cypher in cookbook():
        adapted, complete = adapt(cypher)
        params = {k: v for k, v in values.items() if f"${k}" in adapted}
        rows = len(connection.execute(adapted, params).get_all())
        warm = median_ms(
            lambda q=adapted, p=params: connection.execute(q, p).get_all(), args.repeat
        )
        cold = median_ms(lambda q=adapted, p=params: embedded.query(store, q, p), 5)
        medians.append(warm)
        flag = "" if complete else "  * example values kept"
        print(f"  {number:>2}. {title[:40]:40} {warm:8.2f} {cold:8.2f}  {rows:>5} rows{flag}")
    connection.close()
    database.close()
    if args.networkx:
        networkx_baseline(directory, values["concept"], args.repeat)
    typical = statistics.median(medians)
    under = sum(m < TARGET_MS for m in medians)
    print(
        f"typical (median of the {len(medians)} queries' medians): {typical:.2f} ms "
        f"= {typical / baseline:.0f}x RETURN 1; {under}/{len(medians)} under {TARGET_MS:.0f} ms"
    )


if __name__ == "__main__":
    sys.exit(main())
