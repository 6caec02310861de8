"""Linking papers and concepts into the knowledge graph (schema in :mod:`graph_builder.schema`).

* ``Concept`` nodes: a concept of the vocabulary is a node when at least
  ``concept_min_papers`` papers mention it, or when it is among the
  ``keyphrases_per_paper`` best concepts of a paper. Most terms of a large
  corpus are written in one paper only (on 1,000 arXiv abstracts, 19,900 of
  25,100); they link nothing, so only a paper's own key phrases among them
  are kept.
* ``MENTIONS`` (paper -> concept): ``count``, ``weight``, ``spans``.
* ``RELATED_TO`` (paper -> paper): cosine similarity of the papers' concept
  vectors, each entry the mention weight times the concept's idf, so a rare
  shared concept counts more than a common one, and the words of the
  concepts as entries of their own at half weight (``_WORD_SHARE``); only
  papers that share a concept are linked; ``shared`` lists the concepts
  that contribute most. Pairs come from an inverted index (concept -> papers),
  never from a loop over all pairs; each paper keeps its ``related_top_k``
  strongest links, and a concept found in more than ``max_concept_papers``
  papers does not link papers by itself.
* ``CO_OCCURS`` (concept -> concept): ``papers`` that mention both among
  their ``cooccur_concepts_per_paper`` best concepts (at least
  ``cooccur_min_papers``), and ``strength``, the association strength of van
  Eck and Waltman (2009): observed / expected co-occurrence,
  ``papers * N / (df_a * df_b)``; each concept keeps its ``cooccur_top_k``
  strongest partners. A pair seen in one paper has the highest strength of
  all, by chance: in a large corpus it is not a link.
* ``WROTE`` (author -> paper): ``position`` (1 for the first author). Authors
  are keyed by :func:`author_key`, so "Turing, Alan" and "Alan Turing" are one
  ``Author`` node.
"""

from __future__ import annotations

import heapq
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from itertools import combinations
from typing import TYPE_CHECKING, Any, TypeVar

from graph_builder.model import KnowledgeGraph, Paper
from graph_builder.schema import Label, Rel, node_id
from graph_builder.vocabulary import Vocabulary, idf

if TYPE_CHECKING:  # numpy and scipy are imported when papers are linked, not before
    from scipy import sparse

__all__ = ["LinkOptions", "add_authors", "author_key", "link"]

_ROUND = 4
_SHARED_LISTED = 10

T = TypeVar("T")
W = TypeVar("W")


#: From this many papers up, a concept or a co-occurrence needs two papers by default.
LARGE_CORPUS = 100


@dataclass(frozen=True, slots=True)
class LinkOptions:
    """Which concepts become nodes and how many edges to keep; see the module docstring.

    The ``None`` defaults depend on the number of papers N: ``max_concept_papers``
    is max(50, N / 10); ``concept_min_papers`` and ``cooccur_min_papers`` are 1
    below :data:`LARGE_CORPUS` papers (a small corpus keeps every term) and 2 from it.
    """

    related_top_k: int = 10
    related_min_weight: float = 0.01
    max_concept_papers: int | None = None
    concept_min_papers: int | None = None
    keyphrases_per_paper: int = 5
    cooccur_concepts_per_paper: int = 25
    cooccur_min_papers: int | None = None
    cooccur_top_k: int = 10

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def min_papers(self, n: int) -> tuple[int, int]:
        """``concept_min_papers`` and ``cooccur_min_papers`` for a corpus of ``n`` papers.

        Examples
        --------
        >>> LinkOptions().min_papers(10), LinkOptions().min_papers(1000)
        ((1, 1), (2, 2))
        """
        default = 1 if n < LARGE_CORPUS else 2
        concept = self.concept_min_papers if self.concept_min_papers is not None else default
        cooccur = self.cooccur_min_papers if self.cooccur_min_papers is not None else default
        return concept, cooccur


def link(
    papers: Sequence[Paper], vocabulary: Vocabulary, options: LinkOptions = LinkOptions()
) -> KnowledgeGraph:
    """Build the graph of papers, concepts and their relationships.

    Nodes and edges are inserted in a fixed order (papers in input order,
    concepts by key, edges sorted), so the same input gives the same graph.
    """
    related = _related(vocabulary, len(papers), options)
    vocabulary = _kept_concepts(vocabulary, options)
    kg = KnowledgeGraph()
    paper_nodes = [kg.add_node(Label.PAPER, p.paper_id, **_paper_properties(p)) for p in papers]
    add_authors(kg, papers)
    for info in vocabulary.concepts.values():
        kg.add_node(
            Label.CONCEPT,
            info.key,
            name=info.name,
            aliases=list(info.aliases),
            df=info.df,
            score=info.score,
        )
    for paper_node, mentions in zip(paper_nodes, vocabulary.mentions, strict=True):
        for m in mentions:
            kg.add_edge(
                Rel.MENTIONS,
                paper_node,
                node_id(Label.CONCEPT, m.key),
                count=m.count,
                weight=m.weight,
                spans=list(m.spans),
            )
    for (i, j), (weight, shared) in sorted(related.items()):
        shared = [key for key in shared if key in vocabulary.concepts][:_SHARED_LISTED]
        kg.add_edge(Rel.RELATED_TO, paper_nodes[i], paper_nodes[j], weight=weight, shared=shared)
    for (a, b), (count, strength) in sorted(_cooccurrences(vocabulary, options).items()):
        kg.add_edge(
            Rel.CO_OCCURS,
            node_id(Label.CONCEPT, a),
            node_id(Label.CONCEPT, b),
            papers=count,
            strength=strength,
        )
    return kg


_NOT_WORD = re.compile(r"[^\w\s-]+")
_SPACES = re.compile(r"[\s-]+")


def author_key(name: str) -> str:
    """A normalised author name: "Last, First" turned around, accents, case and dots dropped.

    Examples
    --------
    >>> author_key("Turing, Alan M.")
    'alan m turing'
    >>> author_key("  Erdős   Pál ") == author_key("erdos pal")
    True
    """
    if name.count(",") == 1:
        last, first = name.split(",")
        name = f"{first} {last}"
    folded = unicodedata.normalize("NFKD", name.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return _SPACES.sub(" ", _NOT_WORD.sub(" ", folded)).strip()


def add_authors(kg: KnowledgeGraph, papers: Sequence[Paper]) -> None:
    """Add an ``Author`` node per distinct author and a ``WROTE`` edge to each of their papers.

    Papers must already be in ``kg``. The author's ``name`` is the first
    spelling met, in input order.
    """
    for paper in papers:
        target = node_id(Label.PAPER, paper.paper_id)
        for position, name in enumerate(paper.authors, start=1):
            key = author_key(name)
            if not key:
                continue
            author = node_id(Label.AUTHOR, key)
            if author not in kg.graph:
                kg.add_node(Label.AUTHOR, key, name=name)
            if not kg.graph.has_edge(author, target, key=Rel.WROTE.value):
                kg.add_edge(Rel.WROTE, author, target, position=position)


def _paper_properties(paper: Paper) -> dict[str, Any]:
    properties = {
        "title": paper.title,
        "abstract": paper.abstract,
        "date": paper.date,
        "year": paper.year,
        "authors": list(paper.authors),
        "doi": paper.doi,
        "arxiv_id": paper.arxiv_id,
        "url": paper.url,
        "source": paper.source,
        "truncated": paper.truncated,
    }
    if paper.title_only:
        properties["title_only"] = True
    return {k: v for k, v in properties.items() if v is not None and v != []}


#: A paper's vector also holds the words of its concepts, at this share of a concept's
#: weight: "quantum dot" and "quantum field theory" share no concept but say "quantum"
#: (benchmarks/link_quality.py: precision@5 52.7 -> 56.9).
_WORD_SHARE = 0.5


@dataclass(frozen=True, slots=True)
class _Vector:
    """A paper's unit-length vector: its concepts and, apart, the words of their keys."""

    concepts: dict[str, float]
    words: dict[str, float]


def _vectors(vocabulary: Vocabulary, n: int) -> list[_Vector]:
    """Concepts weigh mention weight x idf; words share x (1 + ln count) x idf."""
    concepts = vocabulary.concepts
    counts = [
        Counter(w for m in mentions for w in m.key.split()) for mentions in vocabulary.mentions
    ]
    word_df = Counter(w for paper in counts for w in paper)
    concept_idf = {key: idf(info.df, n) for key, info in concepts.items()}
    word_idf = {word: idf(df, n) for word, df in word_df.items()}
    vectors = []
    for mentions, paper in zip(vocabulary.mentions, counts, strict=True):
        weights = {m.key: m.weight * concept_idf[m.key] for m in mentions}
        words = {w: _WORD_SHARE * (1 + math.log(c)) * word_idf[w] for w, c in paper.items()}
        squares = sum(v * v for v in weights.values()) + sum(v * v for v in words.values())
        norm = math.sqrt(squares) or 1.0
        vectors.append(
            _Vector(
                {k: v / norm for k, v in weights.items()}, {k: v / norm for k, v in words.items()}
            )
        )
    return vectors


def _related(
    vocabulary: Vocabulary, n: int, options: LinkOptions
) -> dict[tuple[int, int], tuple[float, list[str]]]:
    """Pairs of papers that share a concept, with their cosine and the concepts behind it.

    Words add to the weight of papers that share a concept; alone they link
    nobody. A concept or a word in more than ``max_concept_papers`` papers adds
    nothing: it says little, and it would cost a pass over all pairs of its papers.
    """
    vectors = _vectors(vocabulary, n)
    limit = options.max_concept_papers or max(50, n // 10)
    concept_df: Counter[str] = Counter()  # in order of first appearance: the column order
    word_df: Counter[str] = Counter()
    for vector in vectors:
        concept_df.update(vector.concepts.keys())
        word_df.update(vector.words.keys())
    concepts = [key for key, df in concept_df.items() if 1 < df <= limit]
    words = sorted(word for word, df in word_df.items() if 1 < df <= limit)
    weights = _best_pairs(
        _matrix([v.concepts for v in vectors], concepts),
        _matrix([v.words for v in vectors], words),
        options,
    )
    linking = set(concepts)
    related = {}
    for (i, j), weight in weights.items():
        a, b = vectors[i].concepts, vectors[j].concepts
        contributions = {
            key: value * b[key] for key, value in a.items() if key in b and key in linking
        }
        shared = sorted(contributions, key=lambda k: (-contributions[k], k))
        related[i, j] = (round(weight, _ROUND), shared)
    return related


def _matrix(rows: list[dict[str, float]], columns: list[str]) -> sparse.csr_matrix:
    """Rows of values by name as a sparse matrix with these columns, in this order."""
    import numpy as np
    from scipy import sparse

    column = {name: c for c, name in enumerate(columns)}
    indptr, indices, values = [0], [], []
    for row in rows:
        entries = sorted((column[k], v) for k, v in row.items() if k in column)
        indices.extend(c for c, _ in entries)
        values.extend(v for _, v in entries)
        indptr.append(len(indices))
    return sparse.csr_matrix(
        (np.array(values, dtype=float), np.array(indices, dtype=np.int64), indptr),
        shape=(len(rows), len(columns)),
    )


#: Similarities computed at once (rows x papers), to bound memory on large corpora.
_BLOCK_ENTRIES = 4_000_000


def _best_pairs(
    concepts: sparse.csr_matrix, words: sparse.csr_matrix, options: LinkOptions
) -> dict[tuple[int, int], float]:
    """Pairs among the ``related_top_k`` most similar of either paper, with their cosine.

    The similarities are sparse products of the paper-concept and paper-word
    matrices with their transposes, a block of rows at a time, words counted only
    where a concept is shared; each row is cut to its best papers before the next
    block, so memory grows with papers x top-k, not with the pairs that share a
    concept. Each sum adds its terms in column order (concepts in postings order,
    words sorted), as a loop over each pair's shared terms would: the same bits.
    """
    import numpy as np

    n = concepts.shape[0]
    concepts_t, words_t = concepts.T.tocsr(), words.T.tocsr()
    block = max(1, _BLOCK_ENTRIES // max(n, 1))
    weights: dict[tuple[int, int], float] = {}
    for start in range(0, n, block):
        shared = (concepts[start : start + block] @ concepts_t).tocsr()
        similar = (shared + (words[start : start + block] @ words_t).multiply(shared > 0)).tocsr()
        for row in range(similar.shape[0]):
            i = start + row
            lo, hi = similar.indptr[row], similar.indptr[row + 1]
            others, sims = similar.indices[lo:hi], similar.data[lo:hi]
            keep = (others != i) & (sims >= options.related_min_weight)
            others, sims = others[keep], sims[keep]
            best = np.lexsort((others, -sims))[: options.related_top_k]
            for j, weight in zip(others[best].tolist(), sims[best].tolist(), strict=True):
                weights[(i, j) if i < j else (j, i)] = weight
    return weights


def _kept_concepts(vocabulary: Vocabulary, options: LinkOptions) -> Vocabulary:
    """The vocabulary of the concepts that become nodes (see the module docstring)."""
    min_papers, _ = options.min_papers(len(vocabulary.mentions))
    kept = {key for key, info in vocabulary.concepts.items() if info.df >= min_papers}
    for mentions in vocabulary.mentions:
        kept.update(m.key for m in mentions[: options.keyphrases_per_paper])
    if len(kept) == len(vocabulary.concepts):
        return vocabulary
    return Vocabulary(
        {key: info for key, info in vocabulary.concepts.items() if key in kept},
        [[m for m in mentions if m.key in kept] for mentions in vocabulary.mentions],
    )


def _cooccurrences(
    vocabulary: Vocabulary, options: LinkOptions
) -> dict[tuple[str, str], tuple[int, float]]:
    n = len(vocabulary.mentions)
    _, min_papers = options.min_papers(n)
    df = {key: info.df for key, info in vocabulary.concepts.items()}
    counts: Counter[tuple[str, str]] = Counter()
    for mentions in vocabulary.mentions:
        best = mentions[: options.cooccur_concepts_per_paper]
        keys = sorted(m.key for m in best if df[m.key] >= min_papers)
        counts.update(combinations(keys, 2))
    if min_papers > 1:
        counts = Counter({pair: c for pair, c in counts.items() if c >= min_papers})
    strength = {pair: c * n / (df[pair[0]] * df[pair[1]]) for pair, c in counts.items()}
    ranked = {pair: (counts[pair], strength[pair]) for pair in counts}
    kept = _top_k_pairs(ranked, options.cooccur_top_k)
    return {pair: (counts[pair], round(strength[pair], _ROUND)) for pair in kept}


def _top_k_pairs(weights: dict[tuple[T, T], W], k: int) -> set[tuple[T, T]]:
    """Pairs among the ``k`` best of either member (ties broken by the other member)."""
    by_member: dict[T, list[tuple[W, T, tuple[T, T]]]] = defaultdict(list)
    for pair, weight in weights.items():
        a, b = pair
        by_member[a].append((weight, b, pair))
        by_member[b].append((weight, a, pair))
    kept: set[tuple[T, T]] = set()
    for entries in by_member.values():
        best = heapq.nsmallest(k, entries, key=lambda e: (_negate(e[0]), e[1]))
        kept.update(pair for _, _, pair in best)
    return kept


def _negate(weight: Any) -> Any:
    return tuple(-w for w in weight) if isinstance(weight, tuple) else -weight
