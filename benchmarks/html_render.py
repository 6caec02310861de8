"""How fast the page draws: navigation -> a drawn network that answers a click (headless Chromium).

Graphs of about 500, 2,000 and 5,000 nodes (papers + concepts) are built with the
Python API from the first N records of ``../shared/data/arxiv_daily_cs/all.jsonl``,
N found by building (the graph's density changes with the pipeline, so N is searched
for each target, not fixed): a first guess from the nodes per paper seen so far, then
N scaled by target/nodes until the graph is within 10 % of the target (the count is not
monotonic: from ``linking.LARGE_CORPUS`` papers on, a concept needs two papers unless
it is one of a paper's key phrases). Builds are
cached under ``/tmp/paperkg-bench-html/<hash of graph_builder's source>/``, so a
change to the pipeline rebuilds (parsing only new papers: the extraction cache is shared).

Each page is written with :func:`exporters.html.write` (no pruning, except in the
last row, which uses the defaults of ``paperkg build``) and opened from ``file://``
in Debian's Chromium. Per run, in a new tab: ``page.goto``, wait for ``<body
data-ready>`` (set on vis-network's first ``afterDrawing``: the network is drawn),
ask where the biggest concept is drawn, click there on the canvas and wait for the
side panel to show the node clicked. Printed per page: the median of
the runs to drawn and to the answered click (wall clock, the headline figure), the
page's own ``performance`` marks since navigation start (JSON parsed, network
built, first frame drawn), the file size, and the ratio to the baseline of the same
run, the page of one paper (some 30 to 60 nodes, physics on).

Run: ``flock /tmp/paperkg-heavy.lock .venv/bin/python benchmarks/html_render.py
[--runs 5] [--sizes 500,2000,5000]``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _corpus import first_records

from exporters import files, html
from graph_builder import KnowledgeGraph, build_graph, read_papers
from graph_builder.pipeline import BuildOptions, RunOptions
from graph_builder.schema import Label

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "arxiv_daily_cs" / "all.jsonl"
CHROMIUM = os.environ.get("PAPERKG_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
TOLERANCE = 0.1
MARKS = ("paperkg:parsed", "paperkg:network", "paperkg:drawn")


def cache_dir() -> Path:
    """A directory per version of the pipeline's source, so that a change rebuilds."""
    digest = hashlib.sha256()
    for source in sorted((ROOT / "graph_builder").rglob("*.py")):
        digest.update(source.read_bytes())
    return Path("/tmp/paperkg-bench-html") / digest.hexdigest()[:12]


def nodes(kg: KnowledgeGraph) -> int:
    return kg.count(Label.PAPER) + kg.count(Label.CONCEPT)


def built(papers: int, cache: Path) -> KnowledgeGraph:
    cached = cache / f"graph-{papers}.json"
    if cached.exists():
        return files.read_json(cached)
    path, _ = first_records(DATA, papers, cache / f"records-{papers}.jsonl")
    start = time.perf_counter()
    # the extraction cache keys entries by text and extraction settings: safe to share
    run = RunOptions(cache=cache.parent / "extraction.sqlite")
    kg = build_graph(read_papers([path]), BuildOptions(), run=run)
    print(f"  built {papers} papers: {nodes(kg)} nodes in {time.perf_counter() - start:.0f} s")
    files.write_json(kg, cached)
    return kg


def graph_of(target: int, cache: Path, seen: dict[int, int]) -> tuple[int, KnowledgeGraph]:
    """The first N papers whose graph has about ``target`` nodes; ``seen``: papers -> nodes."""
    per_paper = max(seen.items())[1] / max(seen) if seen else 15.0
    papers = max(1, round(target / per_paper))
    best: tuple[int, KnowledgeGraph] | None = None
    for _ in range(6):
        kg = built(papers, cache)
        seen[papers] = nodes(kg)
        if best is None or abs(nodes(kg) - target) < abs(nodes(best[1]) - target):
            best = (papers, kg)
        if abs(nodes(kg) - target) <= TOLERANCE * target:
            break
        following = max(1, round(papers * target / nodes(kg)))
        if following == papers or following in seen:
            break
        papers = following
    assert best is not None
    return best


BIGGEST = """() => {
  const concept = paperkg.data.labels.concept;
  return paperkg.data.nodes.filter(n => n.kind === concept).sort((a, b) => b.size - a.size)[0].id;
}"""
WHERE = """id => {
  const p = network.canvasToDOM(network.getPositions([id])[id]);
  const r = document.getElementById("network").getBoundingClientRect();
  return [r.left + p.x, r.top + p.y];
}"""


def time_page(browser: Any, path: Path, runs: int) -> dict[str, float]:
    """Medians over ``runs`` fresh tabs: to the first frame, to a click answered, page marks.

    The click goes to the biggest concept, wherever it is drawn (small pages run
    physics, so it is looked up in each run).
    """
    drawn, clicked, marks = [], [], []
    for _ in range(runs):
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        start = time.perf_counter()
        page.goto(path.as_uri())
        # the page's CSP forbids eval, so wait on the attribute it sets, not on a JS predicate
        page.wait_for_selector("body[data-ready]", state="attached", timeout=120_000)
        drawn.append(time.perf_counter() - start)
        node = page.evaluate(BIGGEST)
        page.mouse.click(*page.evaluate(WHERE, node))
        page.wait_for_selector("#panel[data-node]", state="attached", timeout=60_000)
        clicked.append(time.perf_counter() - start)
        # a node drawn over the biggest concept may take the click: the panel answered anyway
        marks.append(
            page.evaluate(
                "names => names.map(n => performance.getEntriesByName(n)[0].startTime / 1000)",
                list(MARKS),
            )
        )
        page.close()
    result = {"drawn": statistics.median(drawn), "clicked": statistics.median(clicked)}
    result["spread"] = max(clicked) - min(clicked)
    for i, name in enumerate(MARKS):
        result[name] = statistics.median(m[i] for m in marks)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="500,2000,5000")
    parser.add_argument("--build-only", action="store_true")
    args = parser.parse_args()
    if not DATA.exists():
        print(f"no data at {DATA}", file=sys.stderr)
        return 2
    cache = cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    seen_file = cache / "nodes-per-papers.json"
    seen = {int(k): v for k, v in json.loads(seen_file.read_text()).items()} if (
        seen_file.exists()
    ) else {}  # fmt: skip
    baseline = built(1, cache)
    seen.setdefault(1, nodes(baseline))
    rows: list[tuple[str, KnowledgeGraph, dict[str, Any]]] = [
        ("baseline", baseline, {"max_concepts": None, "max_edges": None})
    ]
    for target in (int(s) for s in args.sizes.split(",")):
        papers, kg = graph_of(target, cache, seen)
        seen_file.write_text(json.dumps(seen))
        print(f"~{target} nodes: the first {papers} papers give {nodes(kg)} nodes", flush=True)
        rows.append((f"~{target}", kg, {"max_concepts": None, "max_edges": None}))
    big = rows[-1]
    rows.append((f"{big[0]} pruned", big[1], {}))  # the defaults of paperkg build
    if args.build_only:
        return 0
    from playwright.sync_api import sync_playwright

    out = Path(tempfile.mkdtemp(prefix="paperkg-bench-"))
    print(f"Chromium {CHROMIUM}; medians of {args.runs} runs, seconds from navigation")
    print(f"{'graph':>13} {'papers':>6} {'nodes':>6} {'drawn n':>7} {'edges':>6} {'file KB':>8} "
          f"{'parsed':>6} {'network':>7} {'drawn':>6} {'DRAWN':>6} {'CLICKED':>7} {'spread':>6} "
          f"{'x base':>6}")  # fmt: skip
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        base = None
        for i, (name, kg, options) in enumerate(rows):
            path = out / f"graph-{i}.html"
            start = time.perf_counter()
            html.write(kg, path, **options)
            write_s = time.perf_counter() - start
            summary = _summary(path)
            t = time_page(browser, path, args.runs)
            base = base or t["clicked"]
            print(
                f"{name:>13} {kg.count(Label.PAPER):>6} {nodes(kg):>6} "
                f"{summary['papers'] + summary['concepts']:>7} {summary['edges']:>6} "
                f"{path.stat().st_size / 1024:>8.0f} {t['paperkg:parsed']:>6.2f} "
                f"{t['paperkg:network']:>7.2f} {t['paperkg:drawn']:>6.2f} {t['drawn']:>6.2f} "
                f"{t['clicked']:>7.2f} {t['spread']:>6.2f} "
                f"{t['clicked'] / base:>6.1f}   (html.write {write_s:.1f} s)",
                flush=True,
            )
        browser.close()
    shutil.rmtree(out)
    print("parsed/network/drawn: the page's performance marks; DRAWN: wall clock to the first")
    print("frame; CLICKED: to the panel answering a click on the biggest concept; spread: max-min")
    return 0


def _summary(path: Path) -> dict[str, Any]:
    page = path.read_text(encoding="utf-8")
    start = page.index(">", page.index('<script id="paperkg-data"')) + 1
    return json.loads(page[start : page.index("</script>", start)])["summary"]


if __name__ == "__main__":
    sys.exit(main())
