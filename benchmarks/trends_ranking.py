"""The ranking of ``paperkg trends`` on a built graph: its lists, with each concept's papers per
period to read them by, and what ranking costs.

Usage::

    python benchmarks/trends_ranking.py DIR [--top 20]

Loads DIR/graph.json, runs :func:`graph_builder.trends.trends` on it again (so the time
properties are the current code's) and prints that stage's time, then the top rising and
falling concepts as ``paperkg trends`` prints them, each line followed by the concept's papers
per period, and the median of 3 runs of :func:`graph_builder.trends.ranked` for each list.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from exporters import load_graph
from graph_builder.trends import format_ranked, ranked, trends


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--top", type=int, default=20)
    args = parser.parse_args()
    kg = load_graph(args.directory)
    start = time.perf_counter()
    trends(kg)
    print(f"trends() on the loaded graph: {time.perf_counter() - start:.2f} s")
    print(f"{kg.metadata['period']}ly periods: {', '.join(kg.metadata['periods'])}")
    for falling in (False, True):
        took = []
        for _ in range(3):
            start = time.perf_counter()
            items = ranked(kg, falling=falling, top=args.top)
            took.append(time.perf_counter() - start)
        name = "falling" if falling else "rising"
        print(f"{name}: {len(items)} listed, ranked() median of 3: {statistics.median(took):.3f} s")
        for line, item in zip(format_ranked(items).splitlines(), items, strict=True):
            print(f"{line}  {list(item['counts'].values())}")


if __name__ == "__main__":
    main()
