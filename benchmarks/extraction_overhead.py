"""What concept extraction adds to the spaCy pipeline it runs on, measured side by side.

For each ``n_process`` asked for, and the same texts (title + abstract of the
first ``--papers`` records), runs alternately:

1. bare: ``nlp.pipe(texts, batch_size=64, n_process=n)`` of the pipeline paperkg
   loads (``ner`` excluded), docs consumed and dropped;
2. paperkg: :func:`graph_builder.concepts.iter_extracted` with ``workers=n``:
   the same parse plus candidates, abbreviations and their way back to this
   process.

It prints the median seconds of ``--repeat`` runs each and the throughput
ratio bare / paperkg (1.00: extraction costs nothing; the target is >= 0.90),
and the same ratio of CPU seconds (this process and its finished children:
less sensitive to other jobs on a shared machine than wall time).
Both sides start their worker processes inside the timed run: spaCy forks
them from this process, which has the pipeline loaded, and so does paperkg
when no other thread runs. The figures are noisy on a shared machine: the
load average is printed with them.

Usage::

    python benchmarks/extraction_overhead.py [--data FILE] [--papers 1500] [--workers 1 2]
        [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import time
from collections.abc import Callable
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/data/arxiv_daily_cs/all.jsonl"


def _cpu() -> float:
    """CPU seconds of this process and of its children that have ended."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _timed(run: Callable[[], None]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of ``run()``."""
    wall, cpu = time.perf_counter(), _cpu()
    run()
    return time.perf_counter() - wall, _cpu() - cpu


def _bare(texts: list[str], workers: int) -> tuple[float, float]:
    from graph_builder.concepts import PIPE_BATCH_SIZE, load_pipeline

    nlp = load_pipeline(None)

    def run() -> None:
        for _doc in nlp.pipe(texts, batch_size=PIPE_BATCH_SIZE, n_process=workers):
            pass

    return _timed(run)


def _paperkg(items: list[tuple[str, str]], workers: int) -> tuple[float, float]:
    from graph_builder.concepts import ExtractionSpec, iter_extracted

    def run() -> None:
        for _chunk in iter_extracted(items, ExtractionSpec(), workers=workers):
            pass

    return _timed(run)


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
        b, f = (statistics.median(w for w, _ in runs) for runs in (bare, full))
        bc, fc = (statistics.median(c for _, c in runs) for runs in (bare, full))
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
        print(
            f"  n_process {workers}: bare nlp.pipe {b:6.1f} s, paperkg extraction {f:6.1f} s, "
            f"throughput ratio {b / f:.2f}; CPU {bc:6.1f} s vs {fc:6.1f} s, ratio {bc / fc:.2f}"
            f"  (load {load})",
            flush=True,
        )


if __name__ == "__main__":
    main()
