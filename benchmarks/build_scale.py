"""How a build scales: time and memory per stage from 1k to all abstracts, against bare spaCy.

For each size N (the first N records of the input; 1,000 and 10,000, and with ``--full``
all of them), in fresh processes so that peak memory is each run's own:

1. baseline: a bare ``nlp.pipe`` of the same pipeline (``ner`` excluded, as paperkg
   loads it) over the same texts, ``n_process`` = workers, docs consumed and dropped;
2. cold: ``paperkg build`` of the first N - D records, HTML included, empty cache
   (D = min(1000, N // 10));
3. grown: the same output directory, N records: D new papers to parse;
4. re-run: N records again: the directory is up to date, nothing to do;
5. questions on the grown directory: ``paperkg show DIR concept X`` (X its top concept),
   ``show DIR paper ID``, ``paperkg path DIR X Y`` (Y its 51st concept), ``paperkg topics
   DIR`` and ``paperkg trends DIR``, each the median wall and CPU seconds of 3 fresh
   processes (start-up and imports included) and the median of 5 answers in one process
   (opening the index, answering, formatting the text).

Each build goes through :func:`graph_builder.build_dir.build_directory`, what
``paperkg build`` runs.

It prints one table per run (stage, seconds, items, peak MB) and a summary with
these ratios: extraction throughput against the baseline (same
texts, same run), (all stages but the parse) / the parse of the cold build, re-run
speed-up, and the cost of adding D papers. The figures are noisy on a shared machine:
the load average is printed with them.

``--questions DIR`` only times the questions on a directory built before, reading its
``graph.json`` back and writing the index of that graph.

``--keep ROOT`` works in ROOT instead of a temporary directory and keeps the inputs and
the built directories (``ROOT/out-N``), for ``--questions`` or ``--cache-from`` later.

``--cache-from DIR`` starts each cold build with a copy of DIR's extraction cache (for
instance a build of all the records): the builds then parse nothing, and the ratio's
parse is the bare ``nlp.pipe`` of the same texts instead (``--no-baseline`` leaves it out).

Usage::

    python benchmarks/build_scale.py [--data FILE] [--sizes 1000 10000] [--full]
        [--workers 2] [--cache-from DIR] [--no-baseline] [--keep ROOT]
    python benchmarks/build_scale.py --questions DIR
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/data/arxiv_daily_cs/all.jsonl"


def _peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def _child_baseline(path: Path, workers: int) -> dict[str, object]:
    from graph_builder.concepts.nlp import EXCLUDED_COMPONENTS, resolve_model
    from graph_builder.ingest import read_papers

    texts = [p.text for p in read_papers([path]).papers]
    import spacy

    start = time.perf_counter()
    nlp = spacy.load(resolve_model(None), exclude=list(EXCLUDED_COMPONENTS))
    loaded = time.perf_counter()
    words = 0
    for doc in nlp.pipe(texts, batch_size=64, n_process=workers):
        words += len(doc)
    end = time.perf_counter()
    return {
        "papers": len(texts),
        "words": words,
        "load": loaded - start,
        "parse": end - loaded,
        "peak_mb": _peak_mb(resource.RUSAGE_SELF),
        "workers_peak_mb": _peak_mb(resource.RUSAGE_CHILDREN),
    }


def _child_build(path: Path, out: Path, workers: int) -> dict[str, object]:
    """What ``paperkg build PATH -o OUT --workers N`` does, through the same API call."""
    from graph_builder.build_dir import build_directory
    from graph_builder.cache import CACHE_FILE
    from graph_builder.pipeline import BuildReport, RunOptions

    report = BuildReport()
    start = time.perf_counter()
    run = RunOptions(workers=workers, cache=out / CACHE_FILE)
    done = build_directory([path], out, run=run, report=report)
    total = time.perf_counter() - start
    kg = done.kg
    return {
        "papers": len(done.corpus.papers) if done.corpus else None,
        "up_to_date": done.up_to_date,
        "total": total,
        "parsed": report.parsed,
        "cached": report.cached,
        "stages": [[s.name, s.seconds, s.items, s.peak_mb] for s in report.stages],
        "peak_mb": _peak_mb(resource.RUSAGE_SELF),
        "workers_peak_mb": _peak_mb(resource.RUSAGE_CHILDREN),
        "edges": kg.number_of_edges() if kg else None,
        "nodes": kg.graph.number_of_nodes() if kg else None,
        "table": report.table() if kg else "up to date: nothing to do",
    }


def _run_child(*args: str) -> dict[str, object]:
    """Run a child; its figures, with ``wall``: seconds from process start to exit."""
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, __file__, "--child", *args], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        raise SystemExit(f"child {args} failed")
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    figures["wall"] = time.perf_counter() - start
    return figures


def _first_lines(source: Path, count: int | None, target: Path) -> int:
    with source.open(encoding="utf-8") as reader, target.open("w", encoding="utf-8") as writer:
        written = 0
        for line in reader:
            if count is not None and written >= count:
                break
            if line.strip():
                writer.write(line)
                written += 1
    return written


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


#: The commands timed: (command, arguments after DIR) given the top concept, a paper and
#: another concept.
_QUESTIONS = {
    "show concept": lambda key, paper, other: ("show", "concept", key),
    "show paper": lambda key, paper, other: ("show", "paper", paper),
    "path": lambda key, paper, other: ("path", key, other),
    "topics": lambda key, paper, other: ("topics",),
    "trends": lambda key, paper, other: ("trends",),
}
_OTHER_RANK = 50  # the rank of the concept the path goes to from the top concept


def _child_questions(out: Path, key: str, paper: str, other: str) -> dict[str, object]:
    """Median seconds of 5 answers per question in this process: open the index, answer,
    format the text, as the commands do."""
    from graph_builder import graph_index, navigation
    from graph_builder import trends as time_trends

    answers = {
        "show concept": lambda ix: navigation.format_concept(graph_index.concept(ix, key)),
        "show paper": lambda ix: navigation.format_paper(graph_index.paper(ix, paper)),
        "path": lambda ix: navigation.format_path(graph_index.path(ix, key, other)),
        "topics": lambda ix: navigation.format_topics(graph_index.topics(ix)),
        "trends": lambda ix: time_trends.format_ranked(
            time_trends.ranked(graph_index.ranking_graph(ix))
        ),
    }
    medians = {}
    for name, answer in answers.items():
        times = []
        for _ in range(5):
            start = time.perf_counter()
            with graph_index.open_index(out) as index:
                answer(index)
            times.append(time.perf_counter() - start)
        medians[name] = statistics.median(times)
    return medians


def _question_arguments(out: Path) -> tuple[str, str, str]:
    """The top concept, the first paper and the concept of rank :data:`_OTHER_RANK` (or the
    last one) of a built directory."""
    from graph_builder import graph_index
    from graph_builder.schema import Label

    with graph_index.open_index(out) as index:
        db = index.db
        key = db.execute("SELECT key FROM nodes WHERE rank = 0").fetchone()[0]
        first = index.node_ids(Label.PAPER)[0]
        paper = db.execute("SELECT key FROM nodes WHERE id = ?", (first,)).fetchone()[0]
        other = db.execute(
            "SELECT key FROM nodes WHERE rank <= ? ORDER BY rank DESC LIMIT 1", (_OTHER_RANK,)
        ).fetchone()[0]
    return key, paper, other


def _questions(out: Path) -> dict[str, tuple[float, float, float]]:
    """Per question: (median wall and median CPU seconds of 3 ``paperkg`` processes, median
    answer in-process)."""
    key, paper, other = _question_arguments(out)
    inside = _run_child("questions", str(out), key, paper, other)
    found = {}
    for name, arguments in _QUESTIONS.items():
        walls, cpus = [], []
        for _ in range(3):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            command, *rest = arguments(key, paper, other)
            subprocess.run(
                [sys.executable, "-m", "graph_builder", command, str(out), *rest],
                capture_output=True,
                check=True,
            )
            walls.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        found[name] = (statistics.median(walls), statistics.median(cpus), float(inside[name]))
    return found


def _print_questions(questions: dict[str, tuple[float, float, float]]) -> None:
    for name, (wall, cpu, inside) in questions.items():
        print(
            f"{name}: {wall:.2f} s as a command ({cpu:.2f} s CPU), {inside * 1000:.0f} ms to answer"
        )


def _time_questions(out: Path) -> None:
    """Print the questions' times on a built directory."""
    key, paper, other = _question_arguments(out)
    print(f"{out}: top concept {key!r}, paper {paper!r}, path to {other!r}, load {_load()}")
    _print_questions(_questions(out))
    print(f"load average {_load()}")


def _time_index(out: Path) -> None:
    """Print what reading DIR/graph.json back costs (what the questions read before the
    index) and what writing the index of that graph costs (wall and CPU seconds)."""
    from exporters import load_graph
    from graph_builder import graph_index

    wall, cpu = time.perf_counter(), time.process_time()
    kg = load_graph(out)
    read = time.perf_counter() - wall, time.process_time() - cpu, _peak_mb(resource.RUSAGE_SELF)
    print(f"reading graph.json: {read[0]:.1f} s ({read[1]:.1f} s CPU), peak {read[2]:.0f} MB")
    with tempfile.TemporaryDirectory(prefix="paperkg-bench-") as tmp:
        target = Path(tmp) / graph_index.INDEX_FILE
        wall, cpu = time.perf_counter(), time.process_time()
        graph_index.write(kg, target)
        seconds = time.perf_counter() - wall, time.process_time() - cpu
        print(
            f"writing {graph_index.INDEX_FILE}: {seconds[0]:.1f} s ({seconds[1]:.1f} s CPU), "
            f"{target.stat().st_size / 1e6:.0f} MB; load average {_load()}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--sizes", nargs="+", default=["1000", "10000"])
    parser.add_argument("--full", action="store_true", help="also all the records")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cache-from", type=Path, help="start from this directory's cache")
    parser.add_argument("--no-baseline", action="store_true", help="no bare nlp.pipe run")
    parser.add_argument(
        "--keep", type=Path, metavar="ROOT", help="work in ROOT and keep its builds"
    )
    parser.add_argument(
        "--questions", type=Path, metavar="DIR", help="only time the questions on a built DIR"
    )
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        if kind == "baseline":
            result = _child_baseline(Path(rest[0]), int(rest[1]))
        elif kind == "questions":
            result = _child_questions(Path(rest[0]), rest[1], rest[2], rest[3])
        else:
            result = _child_build(Path(rest[0]), Path(rest[1]), int(rest[2]))
        print(json.dumps(result))
        return
    if args.questions:
        _time_questions(args.questions)
        _time_index(args.questions)
        return
    if not args.data.exists():
        raise SystemExit(f"{args.data}: no such file (the benchmark needs ../shared/data)")
    sizes = [*args.sizes, *(["all"] if args.full else [])]
    summary = [_size(size, args) for size in sizes]
    _print_summary(summary)


@contextlib.contextmanager
def _work_root(keep: Path | None) -> Iterator[Path]:
    """ROOT (created, kept after the run) or a temporary directory."""
    if keep:
        keep.mkdir(parents=True, exist_ok=True)
        yield keep
        return
    with tempfile.TemporaryDirectory(prefix="paperkg-bench-") as tmp:
        yield Path(tmp)


def _size(size: str, args: argparse.Namespace) -> dict[str, object]:
    """The runs of one size; the figures of the summary."""
    from graph_builder.cache import CACHE_FILE

    workers = str(args.workers)
    with _work_root(args.keep) as root:
        full = root / f"{size}.jsonl"
        n = _first_lines(args.data, None if size == "all" else int(size), full)
        delta = min(1000, n // 10)
        smaller = root / f"{size}-minus.jsonl"
        _first_lines(full, n - delta, smaller)
        out = root / f"out-{size}"
        if args.cache_from:
            out.mkdir()
            shutil.copyfile(args.cache_from / CACHE_FILE, out / CACHE_FILE)
        print(f"\n=== {n} papers, {args.workers} workers, load average {_load()}", flush=True)
        base = None
        if not args.no_baseline:
            base = _run_child("baseline", str(full), workers)
            print(
                f"bare nlp.pipe: {base['parse']:.1f} s parse ({base['papers'] / base['parse']:.1f}"
                f" papers/s, {base['words'] / base['parse']:.0f} words/s) + {base['load']:.1f} s"
                f" load; peak {base['peak_mb']:.0f} MB, workers {base['workers_peak_mb']:.0f} MB",
                flush=True,
            )
        runs = {}
        for name, path in (("cold", smaller), ("grown", full), ("rerun", full)):
            runs[name] = result = _run_child("build", str(path), str(out), workers)
            print(
                f"-- {name}: {result['parsed']} papers parsed, {result['total']:.1f} s "
                f"in the build call, {result['wall']:.1f} s wall with start-up, load {_load()}"
            )
            print(result["table"], flush=True)
        cold, grown, rerun = runs["cold"], runs["grown"], runs["rerun"]
        stages = {s[0]: s[1] for s in cold["stages"]}
        extract = stages["extract"]
        # The parse of the ratio: the cold build's, or with a copied cache (nothing parsed)
        # the bare nlp.pipe of the n - delta texts the cold build read.
        if args.cache_from:
            parse = base["parse"] * (n - delta) / n if base else float("nan")
        else:
            parse = extract
        questions = _questions(out)
        _print_questions(questions)
        return {
            "papers": n,
            "delta": delta,
            "load": _load(),
            "baseline_papers_s": base["papers"] / base["parse"] if base else float("nan"),
            "extract_papers_s": cold["parsed"] / extract if cold["parsed"] else float("nan"),
            "ratio": (cold["parsed"] / extract) / (base["papers"] / base["parse"])
            if base and cold["parsed"]
            else float("nan"),
            "rest_over_parse": (sum(stages.values()) - extract) / parse,
            "cold_s": cold["wall"],
            "cold_peak_mb": cold["peak_mb"],
            "workers_peak_mb": cold["workers_peak_mb"],
            "grown_s": grown["wall"],
            "rerun_s": rerun["wall"],
            "speedup": cold["wall"] / rerun["wall"],
            "grow_share": grown["wall"] / cold["wall"],
            "questions": questions,
        }


def _print_summary(summary: list[dict[str, object]]) -> None:
    print("\n=== summary (extract/bare: extraction throughput over bare nlp.pipe, same texts)")
    header = (
        f"{'papers':>7}{'bare/s':>9}{'extract/s':>10}{'ratio':>7}{'rest/parse':>11}"
        f"{'build s':>9}{'peak MB':>9}{'wkr MB':>8}{'+D s':>8}{'+D share':>9}{'rerun s':>9}"
        f"{'speed-up':>9}  load"
    )
    print(header)
    for s in summary:
        print(
            f"{s['papers']:>7}{s['baseline_papers_s']:>9.1f}{s['extract_papers_s']:>10.1f}"
            f"{s['ratio']:>7.2f}{s['rest_over_parse']:>11.2f}{s['cold_s']:>9.1f}"
            f"{s['cold_peak_mb']:>9.0f}{s['workers_peak_mb']:>8.0f}{s['grown_s']:>8.1f}"
            f"{s['grow_share']:>9.1%}{s['rerun_s']:>9.1f}{s['speedup']:>9.1f}  {s['load']}"
        )
    print("D = min(1000, papers // 10) papers added to a build of papers - D ('+D' columns).")
    print("rest/parse: the cold build's stages but the parse, over its parse.")
    print("Build, +D and rerun seconds are wall time of a fresh process, start-up included.")
    print(
        "\nquestions on the grown directory: seconds as a command (start-up included) / "
        "answering in-process"
    )
    for s in summary:
        cells = "  ".join(
            f"{name} {wall:.2f} s / {inside * 1000:.0f} ms"
            for name, (wall, _, inside) in s["questions"].items()
        )
        print(f"{s['papers']:>7}  {cells}")


if __name__ == "__main__":
    main()
