"""The time trends of a corpus: the top rising concepts, and what the trends stage costs.

Usage::

    python benchmarks/trends.py CORPUS.jsonl OUT_DIR [--cache-from DIR] [--limit N]
                                [--top 15] [--picture docs/images/trends-cs10k.png]

Builds CORPUS (its first N records) into OUT_DIR with ``paperkg build``'s code
(:func:`graph_builder.build_dir.build_directory`, 2 workers, every output
written), after copying DIR/.paperkg-cache.sqlite into OUT_DIR so that the
spaCy parse is read from a cache (the trends do not change extraction). Prints
the build's stage table, the trends stage's share of the whole build, the
median of 3 more runs of :func:`graph_builder.trends.trends` on the built
graph, the top rising concepts as ``paperkg trends`` prints them, and draws the
picture of ``paperkg export DIR --to trends.png``.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import time
from pathlib import Path

from benchmarks._corpus import first_records
from exporters import trends_picture
from graph_builder.build_dir import build_directory
from graph_builder.cache import CACHE_FILE
from graph_builder.pipeline import BuildOptions, BuildReport, RunOptions
from graph_builder.trends import format_ranked, ranked, trends


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--cache-from", type=Path)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--picture", type=Path)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    if args.cache_from is not None:
        shutil.copyfile(args.cache_from / CACHE_FILE, args.out / CACHE_FILE)
    corpus, n = first_records(args.corpus, args.limit, args.out / "corpus.jsonl")
    report = BuildReport()
    run = RunOptions(workers=2, cache=args.out / CACHE_FILE)
    done = build_directory([corpus], args.out, BuildOptions(), run=run, force=True, report=report)
    kg = done.kg
    assert kg is not None
    print(f"{n} papers from {args.corpus}")
    print(report.table())
    total = sum(s.seconds for s in report.stages)
    stage = next(s.seconds for s in report.stages if s.name == "trends")
    print(f"trends stage: {stage:.2f} s of {total:.2f} s, {100 * stage / total:.2f} % of the build")
    again = []
    for _ in range(3):
        start = time.perf_counter()
        trends(kg)
        again.append(time.perf_counter() - start)
    print(f"trends() again, median of 3: {statistics.median(again):.2f} s")
    print(f"{kg.metadata['period']}ly periods: {', '.join(kg.metadata['periods'])}")
    print(format_ranked(ranked(kg, top=args.top)))
    print("falling:")
    print(format_ranked(ranked(kg, falling=True, top=5)))
    print("bursts:")
    print(format_ranked(ranked(kg, bursts=True, top=5)))
    if args.picture is not None:
        trends_picture.write_png(kg, args.picture)
        print(f"wrote {args.picture}")


if __name__ == "__main__":
    main()
