"""CPU time of the extraction cache's codec: writing and reading back each paper's entry.

Extracts the candidates of the first ``--papers`` records once (one process), then
times :func:`graph_builder.cache.encode` of every paper and
:meth:`graph_builder.cache.ExtractionCache.load` of every entry (decode and check), the
median of ``--repeat`` runs each, and prints microseconds per paper and the bytes
of all entries. Both calls keep their signatures across codec versions, so the
script runs unchanged on an older checkout for a comparison.

Usage::

    python benchmarks/cache_codec.py [--data FILE] [--papers 500] [--repeat 7]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/data/arxiv_daily_cs/all.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--papers", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    from graph_builder import read_papers
    from graph_builder.cache import ExtractionCache, encode
    from graph_builder.concepts import ExtractionSpec, iter_extracted

    papers = read_papers([args.data]).papers[: args.papers]
    items = [(p.paper_id, p.text) for p in papers]
    extracted = [c for chunk in iter_extracted(items, ExtractionSpec(), workers=1) for c in chunk]
    with tempfile.TemporaryDirectory() as tmp, ExtractionCache(Path(tmp) / "c.sqlite") as cache:
        writes, reads = [], []
        for _ in range(args.repeat):
            started = time.process_time()
            values = [encode(c) for c in extracted]
            writes.append(time.process_time() - started)
            started = time.process_time()
            back = [cache.load(v, c.paper_id) for v, c in zip(values, extracted, strict=True)]
            reads.append(time.process_time() - started)
            assert back == extracted
    per_paper = 1e6 / len(extracted)
    print(f"papers: {len(extracted)}, candidates: {sum(len(c.candidates) for c in extracted)}")
    print(f"encode: {statistics.median(writes) * per_paper:.1f} us/paper")
    print(f"load:   {statistics.median(reads) * per_paper:.1f} us/paper")
    print(f"bytes:  {sum(len(v.encode()) for v in values)}")


if __name__ == "__main__":
    main()
