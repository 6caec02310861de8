"""Do papers link to papers of their own field? paperkg's RELATED_TO against TF-IDF cosine.

Builds the graph of ``../shared/data/arxiv_abs_sample/all.jsonl`` (1,130 arXiv
papers of every field) and, for each paper, takes its 5 strongest
``RELATED_TO`` neighbours: precision@5 is the share of them whose primary
arXiv archive (the first category up to the dot: ``math.CO`` -> ``math``,
``hep-ph`` -> ``hep-ph``) equals the paper's, averaged over papers that have a
neighbour; coverage is the share of papers that have any. The baseline, in the
same run: TF-IDF vectors of title + abstract (scikit-learn, English stop
words, sublinear tf) and their 5 nearest papers by cosine.

Needs the ``bench`` extra and ``../shared/data``.

Usage::

    python benchmarks/link_quality.py [--data ../shared/data/arxiv_abs_sample/all.jsonl] [--k 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import defaultdict
from pathlib import Path

from graph_builder.ingest import read_papers
from graph_builder.pipeline import build_graph
from graph_builder.schema import Label, Rel, node_id


def archive(categories: list[str]) -> str:
    """The primary archive of a paper: its first category up to the dot."""
    return categories[0].split(".")[0] if categories else ""


def precision(neighbours: dict[str, list[str]], archives: dict[str, str], k: int) -> tuple:
    """(mean precision@k over papers with a neighbour, share of papers with a neighbour)."""
    scores = []
    for paper, found in neighbours.items():
        top = found[:k]
        if top:
            scores.append(sum(archives[n] == archives[paper] for n in top) / len(top))
    return 100 * statistics.fmean(scores or [0.0]), 100 * len(scores) / len(archives)


def paperkg_neighbours(path: Path, ids: list[str]) -> dict[str, list[str]]:
    kg = build_graph(read_papers([path]))
    node_to_id = {node_id(Label.PAPER, i): i for i in ids}
    weighted: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for u, v, data in kg.edges(Rel.RELATED_TO):
        a, b = node_to_id[u], node_to_id[v]
        weighted[a].append((data["weight"], b))
        weighted[b].append((data["weight"], a))
    return {i: [n for _, n in sorted(weighted[i], key=lambda x: (-x[0], x[1]))] for i in ids}


def tfidf_neighbours(records: list[dict], k: int) -> dict[str, list[str]]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    texts = [f"{r.get('title') or ''}. {r.get('abstract') or ''}" for r in records]
    matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)
    similarity = cosine_similarity(matrix)
    ids = [r["id"] for r in records]
    result = {}
    for row, paper in enumerate(ids):
        order = sorted(
            (j for j in range(len(ids)) if j != row and similarity[row, j] > 0),
            key=lambda j: (-similarity[row, j], ids[j]),
        )
        result[paper] = [ids[j] for j in order[:k]]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--data", type=Path, default=Path("../shared/data/arxiv_abs_sample/all.jsonl")
    )
    parser.add_argument("--k", type=int, default=5)
    args = parser.parse_args()
    with args.data.open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    unique = {r["id"]: r for r in reversed(records)}
    records = [unique[i] for i in dict.fromkeys(r["id"] for r in records)]
    archives = {r["id"]: archive(r.get("categories") or []) for r in records}
    ids = list(archives)
    print(f"{args.data}: {len(ids)} papers, {len(set(archives.values()))} primary archives")
    for name, run in (
        ("paperkg RELATED_TO", lambda: paperkg_neighbours(args.data, ids)),
        ("TF-IDF cosine", lambda: tfidf_neighbours(records, args.k)),
    ):
        start = time.perf_counter()
        neighbours = run()
        elapsed = time.perf_counter() - start
        p, covered = precision(neighbours, archives, args.k)
        print(
            f"  {name:<20} precision@{args.k} {p:5.1f}  papers linked {covered:5.1f} %"
            f"  ({elapsed:.1f} s)"
        )


if __name__ == "__main__":
    main()
