"""Linking, vocabulary and the page take fast paths; the graph is the one plain code gives.

``reference_related`` is ``graph_builder.linking.related_papers`` written the plain way, keeping
every shared concept's contribution for every pair (and adding the shared words
of the pair's concepts), from vectors held as dictionaries; both must give the same bytes.
"""

from __future__ import annotations

import heapq
import math
import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import pytest

from exporters import files
from graph_builder import KnowledgeGraph, LinkOptions, Paper, build_graph, linking, read_papers
from graph_builder.vocabulary import ConceptInfo, Mention, Vocabulary, idf


@dataclass
class Vector:
    concepts: dict[str, float]
    words: dict[str, float]


def plain_vectors(vocabulary: Vocabulary, n: int) -> list[Vector]:
    """Unit-length vectors: concepts weigh weight x idf, words 0.5 x (1 + ln count) x idf."""
    counts = [
        Counter(w for m in mentions for w in m.key.split()) for mentions in vocabulary.mentions
    ]
    word_df = Counter(w for paper in counts for w in paper)
    vectors = []
    for mentions, paper in zip(vocabulary.mentions, counts, strict=True):
        weights = {m.key: m.weight * idf(vocabulary.concepts[m.key].df, n) for m in mentions}
        words = {w: 0.5 * (1 + math.log(c)) * idf(word_df[w], n) for w, c in paper.items()}
        squares = sum(v * v for v in weights.values()) + sum(v * v for v in words.values())
        norm = math.sqrt(squares) or 1.0
        vectors.append(
            Vector(
                {k: v / norm for k, v in weights.items()}, {k: v / norm for k, v in words.items()}
            )
        )
    return vectors


def top_k_pairs(weights: dict[tuple[int, int], float], k: int) -> set[tuple[int, int]]:
    """Pairs among the ``k`` heaviest of either paper (ties: the other paper first)."""
    by_paper: dict[int, list[tuple[float, int, tuple[int, int]]]] = defaultdict(list)
    for (a, b), weight in weights.items():
        by_paper[a].append((weight, b, (a, b)))
        by_paper[b].append((weight, a, (a, b)))
    kept: set[tuple[int, int]] = set()
    for entries in by_paper.values():
        kept.update(pair for _, _, pair in heapq.nsmallest(k, entries, key=lambda e: (-e[0], e[1])))
    return kept


def reference_related(
    vocabulary: Vocabulary, n: int, options: LinkOptions
) -> dict[tuple[int, int], tuple[float, list[str]]]:
    vectors = plain_vectors(vocabulary, n)
    limit = options.max_concept_papers or max(50, n // 10)
    postings: dict[str, list[int]] = defaultdict(list)
    for index, vector in enumerate(vectors):
        for key in vector.concepts:
            postings[key].append(index)
    contributions: dict[tuple[int, int], dict[str, float]] = defaultdict(dict)
    for key, members in postings.items():
        if len(members) > limit:
            continue
        for i, j in combinations(members, 2):
            contributions[i, j][key] = vectors[i].concepts[key] * vectors[j].concepts[key]
    word_df = Counter(w for vector in vectors for w in vector.words)
    weights = {}
    for (i, j), shared_concepts in contributions.items():
        a, b = vectors[i].words, vectors[j].words
        words = sorted(w for w in a if w in b and word_df[w] <= limit)
        weights[i, j] = sum(shared_concepts.values()) + sum(a[w] * b[w] for w in words)
    weights = {p: w for p, w in weights.items() if w >= options.related_min_weight}
    kept = top_k_pairs(weights, options.related_top_k)
    related = {}
    for pair in kept:
        shared = sorted(contributions[pair], key=lambda k: (-contributions[pair][k], k))
        related[pair] = (round(weights[pair], 4), shared[:10])
    return related


def json_bytes(kg: KnowledgeGraph, path: Path) -> bytes:
    files.write_json(kg, path)
    return path.read_bytes()


def synthetic(n: int, concepts: int, seed: int) -> tuple[list[Paper], Vocabulary]:
    """Papers with Zipf-like concept frequencies: a few concepts in many papers."""
    rng = random.Random(seed)
    keys = [f"c{i:03d}" for i in range(concepts)]
    weights = [1 / (rank + 1) for rank in range(concepts)]
    mentions = []
    for _ in range(n):
        chosen = sorted(set(rng.choices(keys, weights, k=rng.randint(3, 12))))
        paper = [Mention(k, 1, round(rng.uniform(0.05, 1.0), 4), (k,)) for k in chosen]
        paper.sort(key=lambda m: (-m.weight, m.key))
        mentions.append(paper)
    df = defaultdict(int)
    for paper in mentions:
        for m in paper:
            df[m.key] += 1
    infos = {k: ConceptInfo(k, k, (), df[k], 0.0) for k in sorted(df)}
    return [Paper(f"p{i}", f"abstract {i}") for i in range(n)], Vocabulary(infos, mentions)


def test_the_example_graph_is_unchanged(
    example_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = read_papers([example_path])
    now = json_bytes(build_graph(corpus), tmp_path / "now.json")
    monkeypatch.setattr(linking, "related_papers", reference_related)
    before = json_bytes(build_graph(corpus), tmp_path / "before.json")
    assert b'"RELATED_TO"' in now
    assert now == before


@pytest.mark.parametrize(
    "options",
    [LinkOptions(), LinkOptions(related_top_k=2, max_concept_papers=40, related_min_weight=0.1)],
)
def test_a_larger_corpus_with_popular_concepts_is_unchanged(
    options: LinkOptions, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    papers, vocabulary = synthetic(400, 150, seed=8)
    assert max(info.df for info in vocabulary.concepts.values()) > 100
    now = linking.link(papers, vocabulary, options)
    assert now.count(linking.Rel.RELATED_TO) > 400
    monkeypatch.setattr(linking, "related_papers", reference_related)
    before = linking.link(papers, vocabulary, options)
    assert json_bytes(now, tmp_path / "now.json") == json_bytes(before, tmp_path / "before.json")


def test_abbreviations_are_collected_once_per_corpus(
    example_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Collected once per paper would be quadratic in the corpus. Twice per corpus: once to
    # spell out short forms inside definitions ("multimodal LLMs (MLLMs)"), once with them.
    from graph_builder import corpus_abbreviations

    corpus = read_papers([example_path])
    before = json_bytes(build_graph(corpus), tmp_path / "before.json")
    calls = []
    collect = corpus_abbreviations.collect
    monkeypatch.setattr(
        corpus_abbreviations, "collect", lambda extracted: calls.append(1) or collect(extracted)
    )
    assert json_bytes(build_graph(corpus), tmp_path / "after.json") == before
    assert len(calls) == 2
