"""What the language check costs, next to what the spaCy parse of the same abstracts costs.

Run: ``.venv/bin/python benchmarks/bench_language.py``. Prints the one-off
load time of the py3langid model and of the spaCy pipeline (the baseline,
paid by every build anyway), and the median per-abstract time of each over the
bundled example's abstracts, five rounds each.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    from graph_builder import read_papers
    from graph_builder.concepts import load_pipeline
    from graph_builder.ingest import language

    texts = [p.abstract for p in read_papers([ROOT / "examples" / "similar-papers.txt"]).papers]
    language._identifier.cache_clear()

    start = time.perf_counter()
    language._identifier()
    langid_load = time.perf_counter() - start
    start = time.perf_counter()
    nlp = load_pipeline(None)
    spacy_load = time.perf_counter() - start

    def per_text(run) -> float:  # type: ignore[no-untyped-def]
        rounds = []
        for _ in range(5):
            start = time.perf_counter()
            for text in texts:
                run(text)
            rounds.append((time.perf_counter() - start) / len(texts))
        return statistics.median(rounds)

    langid = per_text(language.detect_language)
    spacy = per_text(nlp)
    print(f"abstracts: {len(texts)}, median of 5 rounds")
    print(
        f"load:  py3langid {langid_load * 1000:7.0f} ms   spaCy pipeline "
        f"{spacy_load * 1000:7.0f} ms"
    )
    print(
        f"each:  py3langid {langid * 1000:7.2f} ms   spaCy parse    {spacy * 1000:7.2f} ms"
        f"   ratio {langid / spacy:.3f}"
    )


if __name__ == "__main__":
    main()
