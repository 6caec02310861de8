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
  that contribute most. Similarities come from sparse products of the
  paper-concept matrix, a block of papers at a time; each paper keeps its ``related_top_k``
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

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from graph_builder import citations
from graph_builder.model import KnowledgeGraph, Paper
from graph_builder.schema import NAME, Label, Rel, node_id
from graph_builder.vocabulary import Vocabulary, idf

if TYPE_CHECKING:  # numpy and scipy are imported when papers are linked, not before
    import numpy as np
    from scipy import sparse

__all__ = ["LinkOptions", "author_key", "link"]

_ROUND = 4
_SHARED_LISTED = 10


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
    kept = _kept_concepts(vocabulary, options)
    listed = kept.concepts
    related = _related(vocabulary, len(papers), options)
    kg = KnowledgeGraph()
    paper_nodes = [kg.add_node(Label.PAPER, p.paper_id, **_paper_properties(p)) for p in papers]
    _add_authors(kg, papers, paper_nodes)
    concept_nodes = {
        info.key: kg.add_node(
            Label.CONCEPT,
            info.key,
            name=info.name,
            aliases=list(info.aliases),
            df=info.df,
            score=info.score,
        )
        for info in kept.concepts.values()
    }
    kg.add_edges(
        Rel.MENTIONS,
        (
            (
                paper,
                concept_nodes[m.key],
                {"count": m.count, "weight": m.weight, "spans": list(m.spans)},
            )
            for paper, mentions in zip(paper_nodes, kept.mentions, strict=True)
            for m in mentions
        ),
    )
    kg.add_edges(
        Rel.RELATED_TO,
        (
            (
                paper_nodes[i],
                paper_nodes[j],
                {"weight": weight, "shared": [k for k in shared if k in listed][:_SHARED_LISTED]},
            )
            for (i, j), (weight, shared) in sorted(related.items())
        ),
    )
    kg.add_edges(
        Rel.CO_OCCURS,
        (
            (concept_nodes[a], concept_nodes[b], {"papers": count, "strength": strength})
            for a, b, count, strength in _cooccurrences(kept, options)
        ),
    )
    citations.add_categories(kg, papers)
    citations.add_citations(kg, papers)
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


def _add_authors(kg: KnowledgeGraph, papers: Sequence[Paper], paper_nodes: list[str]) -> None:
    """Add an ``Author`` node per distinct author (``name``: the first spelling met, in input
    order) and a ``WROTE`` edge to each of their papers (``paper_nodes``, one per paper)."""
    keys: dict[str, str] = {}  # name as written -> author key
    names: dict[str, str] = {}  # author key -> name first met
    wrote: dict[tuple[str, str], int] = {}  # (author key, paper node) -> position
    for paper, target in zip(papers, paper_nodes, strict=True):
        for position, name in enumerate(paper.authors, start=1):
            key = keys.get(name)
            if key is None:
                key = keys[name] = author_key(name)
            if key:
                names.setdefault(key, name)
                wrote.setdefault((key, target), position)
    graph = kg.graph
    authors = {}
    for key, name in names.items():
        node = node_id(Label.AUTHOR, key)
        authors[key] = node if node in graph else kg.add_node(Label.AUTHOR, key, name=name)
    kg.add_edges(
        Rel.WROTE,
        (
            (authors[key], target, {"position": position})
            for (key, target), position in wrote.items()
            if not graph.has_edge(authors[key], target, NAME[Rel.WROTE])
        ),
    )


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
        "categories": list(paper.categories),
        "venue": paper.venue,
        "keywords": list(paper.keywords),
    }
    if paper.title_only:
        properties["title_only"] = True
    return {k: v for k, v in properties.items() if v is not None and v != []}


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


def _related(
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
        best = _among_first(row, top_k)
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
) -> list[tuple[str, str, int, float]]:
    """``(a, b, papers, strength)`` of the pairs kept, ``a < b``, sorted; see the module doc."""
    import numpy as np

    n = len(vocabulary.mentions)
    _, min_papers = options.min_papers(n)
    keys = sorted(vocabulary.concepts)
    df = np.array([vocabulary.concepts[k].df for k in keys], dtype=np.int64)
    rank = {k: r for r, k in enumerate(keys) if df[r] >= min_papers}
    size = max(len(keys), 1)
    pairs: dict[int, tuple[np.ndarray, np.ndarray]] = {}  # combinations of m items, as indices
    codes = [np.zeros(0, dtype=np.int64)]
    for mentions in vocabulary.mentions:
        ids = sorted(
            r
            for m in mentions[: options.cooccur_concepts_per_paper]
            if (r := rank.get(m.key)) is not None
        )
        if len(ids) > 1:
            a, b = pairs.get(len(ids)) or pairs.setdefault(len(ids), np.triu_indices(len(ids), 1))
            found = np.array(ids, dtype=np.int64)
            codes.append(found[a] * size + found[b])
    code, count = np.unique(np.concatenate(codes), return_counts=True)
    code, count = code[count >= min_papers], count[count >= min_papers]
    first, second = code // size, code % size
    strength = (count * n).astype(float) / (df[first] * df[second]).astype(float)
    kept = _top_k_pairs(first, second, count, strength, options.cooccur_top_k)
    return [
        (keys[a], keys[b], c, round(s, _ROUND))
        for a, b, c, s in zip(
            first[kept].tolist(),
            second[kept].tolist(),
            count[kept].tolist(),
            strength[kept].tolist(),
            strict=True,
        )
    ]


def _top_k_pairs(
    first: np.ndarray, second: np.ndarray, count: np.ndarray, strength: np.ndarray, k: int
) -> np.ndarray:
    """Indices of the pairs among the ``k`` best of either member, in order.

    Best: most papers, then strongest, then the other member first.
    """
    import numpy as np

    member, other = np.concatenate((first, second)), np.concatenate((second, first))
    order = np.lexsort((other, -np.tile(strength, 2), -np.tile(count, 2), member))
    best = order[_among_first(member[order], k)]
    return np.unique(best % max(len(first), 1))


def _among_first(groups: np.ndarray, k: int) -> np.ndarray:
    """Whether each item is among the first ``k`` of its group (``groups`` sorted)."""
    import numpy as np

    return np.arange(len(groups)) - np.searchsorted(groups, groups) < k
