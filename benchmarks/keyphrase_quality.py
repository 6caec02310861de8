"""Keyphrase quality of ``paperkg concepts`` against gold data and peers run side by side.

Protocol (that of pke's Inspec benchmark): the top 5 / top 10 predictions of each
system and every gold keyphrase (present in the text or not) are lowercased, cut
into words (runs of letters and digits, so "mean-field" is two words) and
Porter-stemmed word by word; a prediction counts when it equals a gold keyphrase
exactly; predictions that stem to the same phrase count once. Precision is over
the k predictions (fewer if a system gives fewer), recall over all gold
keyphrases, F is their harmonic mean, macro-averaged over documents.

paperkg is run through its command line (``paperkg concepts FILE --top 10
--json``), as a user would. Peers, on the same title + abstract texts: YAKE
(defaults, n = 3) and pytextrank's TextRank and PositionRank on the full spaCy
pipeline. The same run also times concept extraction against bare ``nlp.pipe``
of the pipeline it runs on (medians of ``--repeat`` alternating runs).

Needs the ``bench`` extra (``pip install -e ".[bench]"``) and ``../shared/data``.

Usage::

    python benchmarks/keyphrase_quality.py [--data ../shared/data] [--sets inspec,semeval2010]
        [--split test] [--repeat 3] [--no-peers]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

os.environ.setdefault("GIT_PYTHON_REFRESH", "quiet")  # pytextrank imports GitPython

from nltk.stem.porter import PorterStemmer

_STEMMER = PorterStemmer()
_WORD = re.compile(r"[^\W_]+")


def normalise(phrase: str) -> str:
    """Lowercase, cut into words, Porter-stem each word (as pke's evaluation does)."""
    return " ".join(_STEMMER.stem(w) for w in _WORD.findall(phrase.lower()))


def f_at_k(predicted: Sequence[str], gold: Sequence[str], k: int) -> float:
    """F-score of the first ``k`` distinct (normalised) predictions against all gold phrases."""
    seen: list[str] = []
    for phrase in predicted:
        stem = normalise(phrase)
        if stem and stem not in seen:
            seen.append(stem)
    top = seen[:k]
    references = {normalise(g) for g in gold} - {""}
    if not top or not references:
        return 0.0
    hits = len(set(top) & references)
    precision, recall = hits / len(top), hits / len(references)
    return 0.0 if hits == 0 else 2 * precision * recall / (precision + recall)


def read_records(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def text_of(record: dict) -> str:
    """Title and abstract, joined as paperkg joins them."""
    title = (record.get("title") or "").strip().rstrip(".")
    abstract = (record.get("abstract") or "").strip()
    return f"{title}. {abstract}" if title and abstract else title or abstract


def run_paperkg(path: Path, top: int) -> tuple[dict[str, list[str]], float]:
    """Predictions by paper id from the ``paperkg concepts`` command, and its wall time."""
    command = [sys.executable, "-m", "graph_builder", "concepts", str(path)]
    command += ["--top", str(top), "--json", "--quiet"]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"paperkg failed ({done.returncode}): {done.stderr.strip()}")
    predictions = {}
    for line in done.stdout.splitlines():
        record = json.loads(line)
        predictions[record["id"]] = [c["name"] for c in record["concepts"]]
    return predictions, elapsed


def yake_extractor(top: int) -> Callable[[str], list[str]]:
    import yake

    extractor = yake.KeywordExtractor(lan="en", n=3, top=top)
    return lambda text: [phrase for phrase, _ in extractor.extract_keywords(text)]


def pytextrank_extractor(component: str, top: int) -> Callable[[Sequence[str]], list[list[str]]]:
    import pytextrank  # noqa: F401  (registers the spaCy components)
    import spacy

    from graph_builder.concepts import resolve_model

    nlp = spacy.load(resolve_model())
    nlp.add_pipe(component)

    def run(texts: Sequence[str]) -> list[list[str]]:
        return [[p.text for p in doc._.phrases[:top]] for doc in nlp.pipe(texts, batch_size=64)]

    return run


def score(name: str, predictions: dict[str, list[str]], records: list[dict]) -> dict:
    f5 = [f_at_k(predictions.get(r["id"], []), r["keyphrases"], 5) for r in records]
    f10 = [f_at_k(predictions.get(r["id"], []), r["keyphrases"], 10) for r in records]
    return {
        "system": name,
        "F@5": 100 * statistics.fmean(f5),
        "F@10": 100 * statistics.fmean(f10),
    }


def time_extraction(path: Path, repeat: int) -> tuple[float, float]:
    """Median seconds of bare ``nlp.pipe`` and of ``rank_concepts`` on the same texts.

    Both in this one process (``workers=1``), so the ratio compares like with like.
    """
    from graph_builder.concepts import load_pipeline
    from graph_builder.ingest import read_papers
    from graph_builder.model import Corpus
    from graph_builder.pipeline import RunOptions, rank_concepts

    nlp = load_pipeline(None)
    corpus = read_papers([path])
    texts = [p.text for p in corpus.papers]
    one_process = RunOptions(workers=1)
    rank_concepts(Corpus(corpus.papers[:20]), run=one_process)  # warm up
    bare, full = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        for _doc in nlp.pipe(texts, batch_size=64):
            pass
        bare.append(time.perf_counter() - start)
        start = time.perf_counter()
        rank_concepts(corpus, top=10, run=one_process)
        full.append(time.perf_counter() - start)
    return statistics.median(bare), statistics.median(full)


def benchmark(path: Path, peers: bool, repeat: int) -> list[dict]:
    records = read_records(path)
    texts = [text_of(r) for r in records]
    ids = [r["id"] for r in records]
    rows = []
    predictions, elapsed = run_paperkg(path, 10)
    rows.append(score("paperkg", predictions, records) | {"seconds": elapsed})
    if peers:
        extract = yake_extractor(10)
        start = time.perf_counter()
        found = {i: extract(t) for i, t in zip(ids, texts, strict=True)}
        rows.append(score("YAKE", found, records) | {"seconds": time.perf_counter() - start})
        for label, component in (("TextRank", "textrank"), ("PositionRank", "positionrank")):
            run = pytextrank_extractor(component, 10)
            start = time.perf_counter()
            found = dict(zip(ids, run(texts), strict=True))
            elapsed = time.perf_counter() - start
            rows.append(score(f"pytextrank {label}", found, records) | {"seconds": elapsed})
    if repeat:
        bare, full = time_extraction(path, repeat)
        rows.append({"system": "timing", "nlp.pipe s": bare, "paperkg s": full})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--sets", default="inspec,semeval2010")
    parser.add_argument("--split", default="test")
    parser.add_argument("--repeat", type=int, default=3, help="timing runs (0: no timing)")
    parser.add_argument("--no-peers", action="store_true")
    args = parser.parse_args()
    for name in args.sets.split(","):
        path = args.data / name / f"{args.split}.jsonl"
        records = read_records(path)
        gold = sum(len(r["keyphrases"]) for r in records)
        print(f"\n{name} {args.split}: {len(records)} documents, {gold} gold keyphrases (all)")
        repeat = args.repeat if name == args.sets.split(",")[0] else 0
        for row in benchmark(path, not args.no_peers, repeat):
            if row["system"] == "timing":
                bare, full = row["nlp.pipe s"], row["paperkg s"]
                overhead = 100 * (full / bare - 1)
                print(
                    f"  time, median of {repeat}: bare nlp.pipe {bare:.2f} s, "
                    f"paperkg extraction+ranking {full:.2f} s, overhead {overhead:+.1f} %"
                )
            else:
                print(
                    f"  {row['system']:<24} F@5 {row['F@5']:5.1f}  F@10 {row['F@10']:5.1f}"
                    f"  ({row['seconds']:.1f} s)"
                )


if __name__ == "__main__":
    main()
