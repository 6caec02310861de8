"""How long the graph-file writers take on a built graph, against networkx's GraphML writer.

Usage::

    python benchmarks/graph_files.py DIR [--rounds 3]

DIR is a ``paperkg build`` output directory. Prints the median seconds of each
writer over the rounds and the file sizes; networkx's own ``write_graphml`` of
the same graph is the baseline, timed in the same run.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import networkx as nx

from exporters import files, load_graph
from graph_builder import KnowledgeGraph


def _networkx_graphml(kg: KnowledgeGraph, path: Path) -> None:
    nx.write_graphml(files._flat(kg), path, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    kg = load_graph(args.directory)
    print(f"graph: {kg.graph.number_of_nodes()} nodes, {kg.graph.number_of_edges()} edges")
    writers: dict[str, Callable[[KnowledgeGraph, Path], None]] = {
        "json": files.write_json,
        "graphml": files.write_graphml,
        "graphml (networkx, baseline)": _networkx_graphml,
        "gexf (networkx)": files.write_gexf,
    }
    medians = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, write in writers.items():
            path = Path(tmp) / name.split()[0]
            times = []
            for _ in range(args.rounds):
                start = time.perf_counter()
                write(kg, path)
                times.append(time.perf_counter() - start)
            medians[name] = statistics.median(times)
            size = path.stat().st_size / 1e6
            print(f"{name:<30}{medians[name]:>8.2f} s {size:>8.1f} MB")
    ratio = medians["graphml (networkx, baseline)"] / medians["graphml"]
    print(f"graphml: {ratio:.1f}x faster than networkx's writer")


if __name__ == "__main__":
    main()
