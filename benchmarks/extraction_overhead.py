"""What concept extraction adds to the spaCy pipeline it runs on, measured side by side.

For each ``n_process`` asked for, and the same texts (title + abstract of the
first ``--papers`` records), runs alternately:

1. bare: ``nlp.pipe(texts, batch_size=64, n_process=n)`` of the pipeline paperkg
   loads (``ner`` excluded), docs consumed and dropped;
2. paperkg: :func:`graph_builder.concepts.iter_extracted` with ``workers=n``:
   the same parse plus candidates, abbreviations and their way back to this
   process.

It prints the median seconds of ``--repeat`` runs each and the throughput
ratio bare / paperkg (1.00: extraction costs nothing; the target is >= 0.90).
Both sides start their worker processes inside the timed run. The figures are
noisy on a shared machine: the load average is printed with them.

Usage::

    python benchmarks/extraction_overhead.py [--data FILE] [--papers 1500] [--workers 1 2]
        [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/data/arxiv_daily_cs/all.jsonl"


def _bare(texts: list[str], workers: int) -> float:
    from graph_builder.concepts import load_pipeline

    nlp = load_pipeline(None)
    start = time.perf_counter()
    for _doc in nlp.pipe(texts, batch_size=64, n_process=workers):
        pass
    return time.perf_counter() - start


def _paperkg(items: list[tuple[str, str]], workers: int) -> float:
    from graph_builder.concepts import ExtractionSpec, iter_extracted

    start = time.perf_counter()
    for _chunk in iter_extracted(items, ExtractionSpec(), workers=workers):
        pass
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--papers", type=int, default=1500)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not args.data.exists():
        raise SystemExit(f"{args.data}: no such file (the benchmark needs ../shared/data)")
    from graph_builder.concepts import load_pipeline
    from graph_builder.ingest import read_papers

    papers = read_papers([args.data]).papers[: args.papers]
    items = [(p.paper_id, p.text) for p in papers]
    texts = [text for _, text in items]
    load_pipeline(None)
    _paperkg(items[:50], 1)  # warm up: imports, lazy tables
    print(f"{args.data}: {len(texts)} papers, median of {args.repeat} alternating runs")
    for workers in args.workers:
        bare, full = [], []
        for _ in range(args.repeat):
            bare.append(_bare(texts, workers))
            full.append(_paperkg(items, workers))
        b, f = statistics.median(bare), statistics.median(full)
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
        print(
            f"  n_process {workers}: bare nlp.pipe {b:6.1f} s, paperkg extraction {f:6.1f} s, "
            f"throughput ratio {b / f:.2f}  (load {load})",
            flush=True,
        )


if __name__ == "__main__":
    main()
