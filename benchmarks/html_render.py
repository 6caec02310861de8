"""How fast the page draws: navigation -> a drawn, interactive network, in headless Chromium.

Builds graphs of about 500, 2,000 and 5,000 nodes (papers + concepts) from the first N
records of ``../shared/data/arxiv_daily_cs/all.jsonl`` with the Python API, caches each
built graph as JSON under ``/tmp/paperkg-bench-html/`` (building takes minutes on two
cores), writes the page for each, opens it from ``file://`` in Debian's Chromium and
times, per run, from ``page.goto`` to the moment ``<body data-ready>`` appears (the page
sets it on vis-network's first ``afterDrawing`` event: the network is drawn and answers
clicks). A last row times the ~5,000-node graph pruned with ``max_concepts=1000,
max_edges=5000``. The baseline of the same run is the page of one paper (~30 nodes).

Run: ``.venv/bin/python benchmarks/html_render.py [--runs 5] [--sizes 500,2000,5000]``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _corpus import first_records

from exporters import files, html
from graph_builder import build_graph, read_papers
from graph_builder.schema import Label

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "arxiv_daily_cs" / "all.jsonl"
CACHE = Path("/tmp/paperkg-bench-html")
CHROMIUM = os.environ.get("PAPERKG_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
#: Papers to read for each target node count (papers + concepts), found by trial on this data.
PAPERS_FOR = {30: 1, 500: 12, 2000: 55, 5000: 165}


def graph(papers: int):  # type: ignore[no-untyped-def]
    cached = CACHE / f"graph-{papers}.json"
    if cached.exists():
        return files.read_json(cached)
    path, _ = first_records(DATA, papers, CACHE / f"records-{papers}.jsonl")
    start = time.perf_counter()
    kg = build_graph(read_papers([path]))
    print(f"  built {kg} in {time.perf_counter() - start:.0f} s")
    files.write_json(kg, cached)
    return kg


def time_page(browser, path: Path, runs: int) -> list[float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        start = time.perf_counter()
        page.goto(path.as_uri())
        # the page's CSP forbids eval, so wait on the attribute it sets, not on a JS predicate
        page.wait_for_selector("body[data-ready]", state="attached", timeout=120_000)
        times.append(time.perf_counter() - start)
        page.close()
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="500,2000,5000")
    parser.add_argument("--build-only", action="store_true")
    args = parser.parse_args()
    sizes = [30, *(int(s) for s in args.sizes.split(","))]
    if not DATA.exists():
        print(f"no data at {DATA}", file=sys.stderr)
        return 2
    kgs = {}
    for size in sizes:
        print(f"graph for ~{size} nodes ({PAPERS_FOR[size]} papers)", flush=True)
        kgs[size] = graph(PAPERS_FOR[size])
    if args.build_only:
        return 0
    from playwright.sync_api import sync_playwright

    out = Path(tempfile.mkdtemp(prefix="paperkg-bench-"))
    print(f"{'nodes':>6} {'papers':>6} {'concepts':>8} {'edges':>6} {'drawn':>6} "
          f"{'file KB':>8} {'median s':>8} {'min s':>6} {'max s':>6} {'x base':>6}")  # fmt: skip
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        base = None
        rows = [(size, {}) for size in sizes]
        if 5000 in sizes:
            rows.append((5000, {"max_concepts": 1000, "max_edges": 5000}))
        for size, options in rows:
            kg = kgs[size]
            path = out / f"graph-{size}-{len(options)}.html"
            start = time.perf_counter()
            html.write(kg, path, **options)
            write_s = time.perf_counter() - start
            times = time_page(browser, path, args.runs)
            page = browser.new_page()
            page.goto(path.as_uri())
            page.wait_for_selector("body[data-ready]", state="attached", timeout=120_000)
            drawn = page.evaluate("network.body.data.nodes.length")
            page.close()
            median = statistics.median(times)
            base = base or median
            papers, concepts = kg.count(Label.PAPER), kg.count(Label.CONCEPT)
            print(
                f"{papers + concepts:>6} {papers:>6} {concepts:>8} {kg.graph.number_of_edges():>6} "
                f"{drawn:>6} {path.stat().st_size / 1024:>8.0f} {median:>8.2f} {min(times):>6.2f} "
                f"{max(times):>6.2f} {median / base:>6.1f}   (html.write {write_s:.1f} s)"
                + (f" pruned {options}" if options else ""),
                flush=True,
            )
        browser.close()
    shutil.rmtree(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
