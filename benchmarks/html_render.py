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

``--maps DIR[,DIR...]`` measures instead how readable the first view of the page of
each build directory is (its ``graph.json`` drawn with the defaults of ``paperkg
build``), in Chromium at 1600x1000, once nothing moves, for the 100 most prominent
concepts (the page's ``prominence``): the share whose label is drawn at >= 9 px,
wholly on the map, under no HTML element, its box (vis-network's own) overlapping
no other drawn label; the share whose disc overlaps another concept's by more than
30 % of the smaller radius; the share of real clicks on the centres of the 50 most
prominent (on the map, not under HTML) that open that concept; the share of
on-screen centres under HTML; seconds to the first frame and to the last move;
whether Tab, typing the top concept, ArrowDown and Enter open it. ``--shot PNG``
saves the first view of the first directory's page.
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


# ---- how readable the first view is (--maps)

MAP_VIEWPORT = {"width": 1600, "height": 1000}
TOP, CLICKS, READABLE_PX, OVERLAP = 100, 50, 9.0, 0.3
# The top concepts of the page, and per concept its drawing facts on screen (vis-network's own
# label box, from its label module, in canvas units turned into screen pixels).
MAP_FACTS = """([top, readablePx, overlap]) => {
  const D = paperkg.data, C = D.labels.concept, net = network, s = net.getScale();
  const canvas = net.canvas.frame.canvas, rect = canvas.getBoundingClientRect();
  const toScreen = (x, y) => {
    const p = net.canvasToDOM({x, y});
    return [rect.left + p.x, rect.top + p.y];
  };
  const covered = (x, y) => {
    const e = document.elementFromPoint(x, y);
    return !(e && e.tagName === "CANVAS");
  };
  const drawn = net.body.nodeIndices.map(String);
  const info = {};
  for (const id of drawn) {
    const n = net.body.nodes[id], o = n.options, [x, y] = toScreen(n.x, n.y);
    const font = Math.min(o.font.size * s, o.scaling.label.maxVisible);
    let box = null;
    if (o.label && n.labelModule.size && font >= o.scaling.label.drawThreshold) {
      const z = n.labelModule.size, [l, t] = toScreen(z.left, z.top);
      box = {l, t, r: l + z.width * s, b: t + z.height * s};
    }
    info[id] = {x, y, r: o.size * s, font, box, concept: D.details[id] && D.details[id].kind === C};
  }
  const onMap = (x, y) => x >= rect.left && x < rect.right && y >= rect.top && y < rect.bottom;
  const meets = (a, b) => Math.min(a.r, b.r) - Math.max(a.l, b.l) > 1
    && Math.min(a.b, b.b) - Math.max(a.t, b.t) > 1;
  const labelled = drawn.filter(id => info[id].box);
  const ranked = Object.keys(D.details).filter(id => D.details[id].kind === C)
    .sort((a, b) => D.details[b].prominence - D.details[a].prominence).slice(0, top);
  const concepts = drawn.filter(id => info[id].concept);
  return ranked.map(id => {
    const i = info[id];
    if (!i) return {id, drawn: false};
    const b = i.box, mid = b ? (b.t + b.b) / 2 : 0;
    const readable = !!b && i.font >= readablePx && b.l >= rect.left && b.r <= rect.right
      && b.t >= rect.top && b.b <= rect.bottom
      && ![b.l + 1, (b.l + b.r) / 2, b.r - 1].some(x => covered(x, mid))
      && !labelled.some(o => o !== id && meets(b, info[o].box));
    const depth = (o) => i.r + info[o].r - Math.hypot(i.x - info[o].x, i.y - info[o].y);
    const small = (o) => Math.min(i.r, info[o].r);
    const discOverlap = concepts.some(o => o !== id && depth(o) > overlap * small(o));
    const on = onMap(i.x, i.y);
    const under = on && covered(i.x, i.y);
    return {id, drawn: true, readable, discOverlap, onMap: on, covered: under, x: i.x, y: i.y};
  });
}"""
POSITIONS = "() => JSON.stringify(network.getPositions())"


def map_quality(browser: Any, path: Path, shot: Path | None = None) -> dict[str, float]:
    """The readability figures of a page's first view (see the module's docstring)."""
    page = browser.new_page(viewport=MAP_VIEWPORT)
    start = time.perf_counter()
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-ready]", state="attached", timeout=180_000)
    load = time.perf_counter() - start
    last, moved = page.evaluate(POSITIONS), start + load
    while time.perf_counter() - moved < 1.0 and time.perf_counter() - start < 30:
        page.wait_for_timeout(200)
        now = page.evaluate(POSITIONS)
        if now != last:
            last, moved = now, time.perf_counter()
    stable = moved - start
    rows = page.evaluate(MAP_FACTS, [TOP, READABLE_PX, OVERLAP])
    if shot:
        page.screenshot(path=str(shot))
        small_png(shot)
    hits = tried = 0
    for row in [r for r in rows if r.get("onMap") and not r["covered"]][:CLICKS]:
        page.mouse.move(row["x"], row["y"])
        page.wait_for_timeout(600)  # a person's pace: no double click
        page.mouse.click(row["x"], row["y"])
        tried += 1
        hits += page.get_attribute("#panel", "data-node") == row["id"]
    page.close()
    on_map = [r for r in rows if r.get("onMap")]
    result = {
        "label_readable": sum(bool(r.get("readable")) for r in rows) / len(rows),
        "node_overlap": sum(bool(r.get("discOverlap")) for r in rows) / len(rows),
        "click_accuracy": hits / tried if tried else 0.0,
        "legend_cover": sum(r["covered"] for r in on_map) / len(on_map) if on_map else 0.0,
        "load_s": load,
        "stable_s": stable,
        "kbd_ok": float(keyboard_opens(browser, path, rows[0]["id"])),
    }
    return result


def small_png(path: Path) -> None:
    """The screenshot with a palette of 128 colours (a third of the size), if Pillow is there."""
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=128)
    small.save(path, optimize=True)


def keyboard_opens(browser: Any, path: Path, node: str) -> bool:
    """On a fresh load: Tab to the search box, type the concept's name, ArrowDown, Enter."""
    page = browser.new_page(viewport=MAP_VIEWPORT)
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-ready]", state="attached", timeout=180_000)
    name = page.evaluate("id => paperkg.data.details[id].title", node)
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.type === 'search'"):
            break
    else:
        page.close()
        return False
    page.keyboard.type(name, delay=20)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_timeout(500)
    ok = page.get_attribute("#panel", "data-node") == node
    page.close()
    return ok


def maps(directories: list[Path], shot: Path | None) -> int:
    from playwright.sync_api import sync_playwright

    from exporters import load_graph

    out = Path(tempfile.mkdtemp(prefix="paperkg-bench-"))
    print(f"Chromium {CHROMIUM}, {MAP_VIEWPORT['width']}x{MAP_VIEWPORT['height']}; "
          f"the first view of each page, top {TOP} concepts by prominence")  # fmt: skip
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for i, directory in enumerate(directories):
            kg = load_graph(directory)
            path = out / f"{directory.name}.html"
            start = time.perf_counter()
            html.write(kg, path)
            write_s = time.perf_counter() - start
            q = map_quality(browser, path, shot if i == 0 else None)
            figures = " ".join(
                f"{k}={int(v)}" if k == "kbd_ok" else f"{k}={v:.2f}" for k, v in q.items()
            )
            papers = kg.count(Label.PAPER)
            print(f"{directory.name} ({papers} papers; html.write {write_s:.1f} s): {figures}")
        browser.close()
    shutil.rmtree(out)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="500,2000,5000")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--maps", help="build directories, comma-separated: map readability")
    parser.add_argument("--shot", type=Path, help="with --maps: a PNG of the first page's view")
    args = parser.parse_args()
    if args.maps:
        return maps([Path(d) for d in args.maps.split(",")], args.shot)
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
