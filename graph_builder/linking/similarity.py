"""``RELATED_TO``: the papers most alike by their concepts and the words of their concepts."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graph_builder.vocabulary import Vocabulary, idf

if TYPE_CHECKING:  # numpy and scipy are imported when papers are linked, not before
    import numpy as np
    from scipy import sparse

    from graph_builder.linking import LinkOptions

__all__ = ["among_first", "related_papers"]

_ROUND = 4

#: A paper's vector also holds the words of its concepts, at this share of a concept's
#: weight: "quantum dot" and "quantum field theory" share no concept but say "quantum"
#: (benchmarks/link_quality.py: precision@5 52.7 -> 56.9).
_WORD_SHARE = 0.5


@dataclass(frozen=True, slots=True)
class _Terms:
    """The entries of every paper's vector for one kind of term, paper after paper.

    ``ids`` number the terms in order of first appearance (``names[id]``),
    ``values`` are the entries of the unit-length vectors, ``papers`` says whose.
    """

    papers: np.ndarray
    ids: np.ndarray
    values: np.ndarray
    names: list[str]

    def df(self) -> np.ndarray:
        """Papers per term (a term appears once in a paper's vector)."""
        import numpy as np

        return np.bincount(self.ids, minlength=len(self.names))


def _vectors(vocabulary: Vocabulary, n: int) -> tuple[_Terms, _Terms]:
    """Concepts weigh mention weight x idf; words share x (1 + ln count) x idf.

    A paper's mentions have distinct keys (one per concept); its words come in
    order of first appearance. Every product and quotient is one IEEE operation,
    as in ``m.weight * idf / norm``, and a paper's squares are added by
    :func:`sum`, in order: the values do not depend on numpy.
    """
    import numpy as np

    mentions = vocabulary.mentions
    papers = np.arange(len(mentions))
    sizes = np.array([len(paper) for paper in mentions], dtype=np.int64)
    concept_ids: dict[str, int] = {}
    concepts = np.array(
        [concept_ids.setdefault(m.key, len(concept_ids)) for paper in mentions for m in paper],
        dtype=np.int64,
    )
    weights = np.array([m.weight for paper in mentions for m in paper], dtype=float)
    concept_names = list(concept_ids)
    concept_rows = np.repeat(papers, sizes)
    word_rows, word_ids, counts, word_names = _words(concepts, concept_rows, concept_names)
    info = vocabulary.concepts
    concept_idf = np.array([idf(info[k].df, n) for k in concept_names], dtype=float)
    word_idf = np.array(
        [idf(df, n) for df in np.bincount(word_ids, minlength=len(word_names)).tolist()],
        dtype=float,
    )
    most = int(counts.max()) if len(counts) else 0
    share = [0.0] + [_WORD_SHARE * (1 + math.log(c)) for c in range(1, most + 1)]
    raw_concepts = weights * concept_idf[concepts]
    raw_words = np.array(share)[counts] * word_idf[word_ids]
    word_sizes = np.bincount(word_rows, minlength=len(mentions))
    norms = _norms(raw_concepts, raw_words, np.cumsum(sizes), np.cumsum(word_sizes))
    return (
        _Terms(concept_rows, concepts, raw_concepts / norms[concept_rows], concept_names),
        _Terms(word_rows, word_ids, raw_words / norms[word_rows], word_names),
    )


def _words(
    concepts: np.ndarray, papers: np.ndarray, names: list[str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """The words of the papers' concept keys: paper, word id, keys holding it, words by id.

    ``concepts`` and ``papers`` give each mention's concept id and paper, paper
    after paper. Each paper's words come in the order they first appear in it,
    as ``Counter`` would count them.
    """
    import numpy as np

    word_ids: dict[str, int] = {}
    split = [[word_ids.setdefault(w, len(word_ids)) for w in key.split()] for key in names]
    lengths = np.array([len(ids) for ids in split], dtype=np.int64)
    flat = np.array([w for ids in split for w in ids], dtype=np.int64)
    per_mention = lengths[concepts]
    ends = np.cumsum(per_mention)
    start_of = (np.cumsum(lengths) - lengths)[concepts]
    position = np.arange(int(ends[-1]) if len(ends) else 0) + np.repeat(
        start_of - (ends - per_mention), per_mention
    )
    size = max(len(word_ids), 1)
    code = np.repeat(papers, per_mention) * size + flat[position]
    unique, first, count = np.unique(code, return_index=True, return_counts=True)
    order = np.argsort(first)
    unique = unique[order]
    return unique // size, unique % size, count[order], list(word_ids)


def _norms(concepts: np.ndarray, words: np.ndarray, concept_ends: Any, word_ends: Any) -> Any:
    """Each paper's vector length: its concepts' squares summed, then its words' (1 if none)."""
    import numpy as np

    concept_squares, word_squares = (concepts * concepts).tolist(), (words * words).tolist()
    norms = []
    c = w = 0
    for c_end, w_end in zip(concept_ends.tolist(), word_ends.tolist(), strict=True):
        squares = sum(concept_squares[c:c_end]) + sum(word_squares[w:w_end])
        norms.append(math.sqrt(squares) or 1.0)
        c, w = c_end, w_end
    return np.array(norms, dtype=float)


def related_papers(
    vocabulary: Vocabulary, n: int, options: LinkOptions
) -> dict[tuple[int, int], tuple[float, list[str]]]:
    """Pairs of papers that share a concept, with their cosine and the concepts behind it.

    Words add to the weight of papers that share a concept; alone they link
    nobody. A concept or a word in more than ``max_concept_papers`` papers adds
    nothing: it says little, and it would cost a pass over all pairs of its papers.
    The concepts behind a pair are those it shares, biggest contribution first.
    """
    import numpy as np

    concepts, words = _vectors(vocabulary, n)
    limit = options.max_concept_papers or max(50, n // 10)
    concept_df, word_df = concepts.df(), words.df()
    linking = np.flatnonzero((concept_df > 1) & (concept_df <= limit))  # first appearance
    kept_words = np.flatnonzero((word_df > 1) & (word_df <= limit)).tolist()
    kept_words.sort(key=words.names.__getitem__)
    concept_matrix = _matrix(concepts, linking, len(vocabulary.mentions))
    first, second, weights = _best_pairs(
        concept_matrix,
        _matrix(words, np.array(kept_words, dtype=np.int64), len(vocabulary.mentions)),
        options,
    )
    columns = [concepts.names[i] for i in linking.tolist()]
    shared = _shared(concept_matrix, first, second, columns)
    return {
        (i, j): (round(weight, _ROUND), keys)
        for i, j, weight, keys in zip(
            first.tolist(), second.tolist(), weights.tolist(), shared, strict=True
        )
    }


def _matrix(terms: _Terms, columns: np.ndarray, n: int) -> sparse.csr_matrix:
    """The papers x ``columns`` matrix of these terms (columns: term ids, in this order)."""
    import numpy as np
    from scipy import sparse

    column = np.full(len(terms.names), -1, dtype=np.int64)
    column[columns] = np.arange(len(columns))
    cols = column[terms.ids]
    kept = cols >= 0
    rows, cols, values = terms.papers[kept], cols[kept], terms.values[kept]
    order = np.lexsort((cols, rows))
    indptr = np.concatenate(([0], np.cumsum(np.bincount(rows, minlength=n))))
    return sparse.csr_matrix((values[order], cols[order], indptr), shape=(n, len(columns)))


#: Similarities computed at once (rows x papers), to bound memory on large corpora.
_BLOCK_ENTRIES = 4_000_000


def _best_pairs(
    concepts: sparse.csr_matrix, words: sparse.csr_matrix, options: LinkOptions
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs among the ``related_top_k`` most similar of either paper, with their cosine.

    Returns the pairs ``(i, j)``, ``i < j``, in order, and their cosines. The
    similarities are sparse products of the paper-concept and paper-word matrices
    with their transposes, a block of rows at a time, words counted only where a
    concept is shared; each row is cut to its best papers (ties: the earlier paper)
    before the next block, so memory grows with papers x top-k, not with the pairs
    that share a concept. Each sum adds its terms in column order (concepts in
    postings order, words sorted), as a loop over each pair's shared terms would:
    the same bits, and the same for (i, j) as for (j, i). At 10,000 papers half the
    pairs share a concept, so a block's similarities are held as a dense array.
    """
    import numpy as np

    n = concepts.shape[0]
    top_k = min(options.related_top_k, n)
    concepts_t, words_t = concepts.T.tocsr(), words.T.tocsr()
    block = max(1, _BLOCK_ENTRIES // max(n, 1))
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    for start in range(0, n if top_k > 0 else 0, block):
        stop = min(n, start + block)
        similar = (concepts[start:stop] @ concepts_t).toarray()
        shared_words = (words[start:stop] @ words_t).toarray()
        similar += np.multiply(shared_words, similar > 0, out=shared_words)
        rows = np.arange(stop - start)
        similar[rows, rows + start] = 0.0  # a paper is not related to itself
        floor = options.related_min_weight
        if floor <= 0:  # a pair that shares nothing (0) is still out
            similar[similar == 0.0] = -np.inf
            floor = np.nextafter(-np.inf, 0)
        kth = np.partition(similar, n - top_k, axis=1)[:, n - top_k]
        row, other = np.nonzero(similar >= np.maximum(kth, floor)[:, None])
        weight = similar[row, other]
        order = np.lexsort((other, -weight, row))
        row, other, weight = row[order], other[order], weight[order]
        best = among_first(row, top_k)
        found.append((row[best] + start, other[best], weight[best]))
    empty = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0))
    first, second, weight = (np.concatenate(parts) for parts in zip(empty, *found, strict=True))
    low, high = np.minimum(first, second), np.maximum(first, second)
    _, unique = np.unique(low * max(n, 1) + high, return_index=True)
    return low[unique], high[unique], weight[unique]


def _shared(
    concepts: sparse.csr_matrix, first: np.ndarray, second: np.ndarray, columns: list[str]
) -> list[list[str]]:
    """For each pair, the concepts both papers hold, biggest product first (ties: by key)."""
    import numpy as np

    products = concepts[first].multiply(concepts[second]).tocsr()
    rank = np.empty(len(columns), dtype=np.int64)
    rank[sorted(range(len(columns)), key=columns.__getitem__)] = np.arange(len(columns))
    rows = np.repeat(np.arange(len(first)), np.diff(products.indptr))
    order = np.lexsort((rank[products.indices], -products.data, rows))
    names = [columns[c] for c in products.indices[order].tolist()]
    ends = products.indptr[1:].tolist()
    shared, start = [], 0
    for end in ends:
        shared.append(names[start:end])
        start = end
    return shared


def among_first(groups: np.ndarray, k: int) -> np.ndarray:
    """Whether each item is among the first ``k`` of its group (``groups`` sorted)."""
    import numpy as np

    return np.arange(len(groups)) - np.searchsorted(groups, groups) < k
