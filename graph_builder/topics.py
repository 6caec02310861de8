"""Topics: clusters of papers, each named by the concepts most distinctive of it.

* **Papers are clustered, not concepts.** Each paper is a vector of its
  concepts (``MENTIONS`` weight x smoothed idf) beside the words of its title
  and abstract (sublinear tf x idf; English stop words, words in one paper or
  in more than half of them dropped), both halves L2-normalised. Each paper is
  linked to its most similar papers (cosine): as many as the square root of
  the number of papers, at least :attr:`TopicOptions.neighbours` and at most
  :attr:`TopicOptions.most_neighbours` (with a fixed number, the topics of a
  larger corpus followed its fields less; see docs/benchmarks.md). Louvain
  (igraph's ``community_multilevel``, in C; its random numbers drawn from
  ``random.Random(seed)``) finds the communities of that graph: their number
  comes from the data (the modularity optimum), not from an option. A community smaller than
  :attr:`TopicOptions.min_share` of the papers joins the topic it has the
  strongest links to, and at most :attr:`TopicOptions.max_topics` topics are
  kept the same way.
* **A paper's membership weight** (:func:`membership_weights`): the share of
  its similarity links' weight (the cosines of its edges in the graph the
  clustering used) that goes to papers of its own topic; 1.0 when all its
  neighbours are in its topic, and for a paper with no links.
* **Each concept joins the topic where its weight is**: the topic whose papers
  hold the most of its ``MENTIONS`` weight, so a paper's concepts vote for its
  own topic.
* **Names**: a topic is named by its concepts with the most *local
  prominence* (the prominence credit its papers give the concept, see
  :mod:`graph_builder.prominence`) times the share of the concept's whole
  credit earned in this topic, as c-TF-IDF names a cluster by what is
  frequent in it and rare elsewhere. A generic word earns little credit
  anywhere and spreads over every topic, so it does not name one. A name must
  be held by many of the topic's papers: at least
  :attr:`TopicOptions.name_min_share` of them and at least
  :attr:`TopicOptions.name_min_papers`, so one paper's phrase (or one paper's
  spelling-out of an abbreviation) does not name a topic of hundreds; only a
  topic without enough such concepts is named by the others. Held by
  :attr:`TopicOptions.name_enough_papers` of them is always enough: in a topic
  of 2,000 papers, a method of 50 is a name, not a stray phrase.

Topics are numbered 1, 2, ... from the most papers (ties: first paper id). A
rebuild of a grown corpus keeps the ids of the previous build's topics
(:func:`stable_ids`): a new topic takes the id of the previous topic that holds
most of its papers that were already there, when it also holds at least half of
that previous topic's papers; other topics get the next free ids.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx

from graph_builder.graph_index import paper_topics
from graph_builder.mention_arrays import MentionArrays
from graph_builder.model import KnowledgeGraph
from graph_builder.prominence import Credits
from graph_builder.schema import LABEL, NAME, NODE_KEY, Label

if TYPE_CHECKING:
    import numpy as np
    import scipy.sparse as sp

__all__ = [
    "TopicOptions",
    "assign_concepts",
    "membership_weights",
    "paper_clusters",
    "paper_clusters_and_memberships",
    "previous_topics",
    "stable_ids",
    "topic_names",
]

_WORD = re.compile(r"[^\W\d_]{2,}")
_BLOCK = 2_000_000  # similarity entries computed at a time


@dataclass(frozen=True, slots=True)
class TopicOptions:
    """How papers are clustered; see the module docstring."""

    neighbours: int = 30
    most_neighbours: int = 60
    min_share: float = 0.01
    min_papers: int = 2
    max_topics: int = 40
    label_concepts: int = 3
    name_min_papers: int = 2
    name_min_share: float = 0.05
    name_enough_papers: int = 20
    seed: int = 42


def paper_clusters(kg: KnowledgeGraph, options: TopicOptions = TopicOptions()) -> list[list[str]]:
    """The papers' topics as lists of paper node ids, most papers first."""
    return paper_clusters_and_memberships(kg, options)[0]


def paper_clusters_and_memberships(
    kg: KnowledgeGraph,
    options: TopicOptions = TopicOptions(),
    mentions: MentionArrays | None = None,
) -> tuple[list[list[str]], dict[str, float]]:
    """:func:`paper_clusters`, and each paper's :func:`membership_weights` in the similarity
    graph they were found in. ``mentions``: the graph's ``MENTIONS``, when already read."""
    import scipy.sparse as sp

    papers = [node for node, _ in kg.nodes(Label.PAPER)]
    if len(papers) < 2:
        return ([papers] if papers else []), dict.fromkeys(papers, 1.0)
    mentions = mentions if mentions is not None else MentionArrays.of(kg)
    concepts = _concept_vectors(mentions, len(papers))
    vectors = _normalised(sp.hstack([concepts, _word_vectors(kg, papers)]))
    links = _neighbour_links(vectors.tocsr(), _neighbour_count(len(papers), options))
    ordered = sorted(
        (sorted(c) for c in _louvain(links, options.seed)), key=lambda c: (-len(c), c[0])
    )
    floor = max(options.min_papers, round(options.min_share * len(papers)))
    kept = _merged(links, ordered, floor, options.max_topics)
    clusters = [sorted(papers[i] for i in members) for members in kept]
    shares = _shares(links, kept)
    memberships = dict(zip(papers, shares, strict=True))
    return sorted(clusters, key=lambda c: (-len(c), c[0])), memberships


def membership_weights(clusters: list[list[Hashable]], links: nx.Graph) -> dict[Hashable, float]:
    """Each node's share of its ``links`` weight that goes to nodes of its own cluster
    (1.0 for a node without links), rounded to 4 digits. Every node of ``links`` is in
    one of ``clusters``.

    Examples
    --------
    >>> links = nx.Graph([("a", "b", {"weight": 0.6}), ("a", "c", {"weight": 0.2})])
    >>> membership_weights([["a", "b"], ["c"], ["d"]], links)
    {'a': 0.75, 'b': 1.0, 'c': 0.0, 'd': 1.0}
    """
    import scipy.sparse as sp

    nodes = [node for members in clusters for node in members]
    index = {node: i for i, node in enumerate(nodes)}
    rows, cols, weights = [], [], []
    for a, b, weight in links.edges(data="weight"):
        rows.append(index[a])
        cols.append(index[b])
        weights.append(weight)
    half = sp.coo_matrix((weights, (rows, cols)), shape=(len(nodes), len(nodes)))
    numbered = [[index[node] for node in members] for members in clusters]
    return dict(zip(nodes, _shares((half + half.T).tocsr(), numbered), strict=True))


def _shares(links: sp.csr_matrix, clusters: list[list[int]]) -> list[float]:
    """Each node's share of its ``links`` weight (a symmetric matrix) inside its cluster
    (1.0 without links), rounded to 4 digits; the nodes are row numbers."""
    import numpy as np

    cluster = np.empty(links.shape[0], dtype=np.int64)
    for t, members in enumerate(clusters):
        cluster[members] = t
    coo = links.tocoo()
    inner = np.where(cluster[coo.row] == cluster[coo.col], coo.data, 0.0)
    total = np.bincount(coo.row, coo.data, links.shape[0])
    inside = np.bincount(coo.row, inner, links.shape[0])
    share = np.divide(inside, total, out=np.ones(len(total)), where=total > 0)
    return [round(float(s), 4) for s in share]


def assign_concepts(
    kg: KnowledgeGraph, clusters: list[list[str]], mentions: MentionArrays | None = None
) -> dict[str, int]:
    """Each mentioned concept's topic (index into ``clusters``): the most of its weight.
    ``mentions``: the graph's ``MENTIONS``, when already read."""
    import numpy as np

    mentions = mentions if mentions is not None else MentionArrays.of(kg)
    if not clusters:
        return {}
    topic = _paper_topics(mentions, clusters)[mentions.paper]
    inside = topic >= 0
    concept, topic = mentions.concept[inside], topic[inside]
    pairs, where = np.unique(concept * len(clusters) + topic, return_inverse=True)
    weight = np.bincount(where, mentions.weights(1.0)[inside], len(pairs))
    concept, topic = np.divmod(pairs, len(clusters))
    order = np.lexsort((topic, -weight, concept))
    first = np.r_[True, concept[order][1:] != concept[order][:-1]]
    best = order[first]
    found = dict(zip(concept[best].tolist(), topic[best].tolist(), strict=True))
    return {mentions.concepts[c]: found[c] for c in sorted(found)}


def topic_names(
    kg: KnowledgeGraph,
    clusters: list[list[str]],
    concept_topic: dict[str, int],
    count: int = 3,
    options: TopicOptions = TopicOptions(),
    credits: Credits | None = None,
) -> list[list[str]]:
    """Each topic's ``count`` most distinctive concepts (node ids) among its own concepts.

    Only a concept that many of the topic's papers mention can name it (see
    :func:`_name_floor`); the others come after them, for a topic too small to have
    ``count`` such concepts. ``credits``: the papers' credits, when already computed.
    """
    import numpy as np

    credits = credits if credits is not None else Credits.of(kg)
    mentions = credits.mentions
    if not mentions.concepts:
        return [[] for _ in clusters]
    own = np.array([concept_topic.get(c, -1) for c in mentions.concepts], dtype=np.int64)
    paper_topic = _paper_topics(mentions, clusters)
    topic = paper_topic[mentions.paper]
    held = (topic >= 0) & (own[mentions.concept] == topic)
    holders = np.bincount(mentions.concept[held], minlength=len(own))
    total = credits.totals()
    topic = paper_topic[credits.paper]
    inside = topic >= 0
    pairs, where = np.unique(
        topic[inside] * len(own) + credits.concept[inside], return_inverse=True
    )
    local = np.bincount(where, credits.credit[inside], len(pairs))
    topic, concept = np.divmod(pairs, len(own))
    names = []
    for t, members in enumerate(clusters):
        mine = (topic == t) & (own[concept] == t)
        c, value = concept[mine], local[mine]
        order = np.lexsort(
            (
                credits.key_order[c],
                -(value * value / total[c]),
                holders[c] < _name_floor(len(members), options),
            )
        )
        names.append([mentions.concepts[i] for i in c[order[:count]].tolist()])
    return names


def _paper_topics(mentions: MentionArrays, clusters: list[list[str]]) -> np.ndarray:
    """Each row of ``mentions``'s topic (index into ``clusters``; -1 for none)."""
    import numpy as np

    row = {paper: i for i, paper in enumerate(mentions.papers)}
    topic = np.full(len(mentions.papers), -1, dtype=np.int64)
    for t, members in enumerate(clusters):
        topic[[row[p] for p in members if p in row]] = t
    return topic


def _name_floor(papers: int, options: TopicOptions) -> int:
    """How many of a topic's ``papers`` must mention a concept for it to name the topic.

    Examples
    --------
    >>> [_name_floor(n, TopicOptions()) for n in (6, 100, 220, 2_000)]
    [2, 5, 11, 20]
    """
    share = min(math.ceil(options.name_min_share * papers), options.name_enough_papers)
    return max(options.name_min_papers, share)


def _concept_vectors(mentions: MentionArrays, papers: int) -> sp.csr_matrix:
    """The first ``papers`` papers' concepts: ``MENTIONS`` weight x idf, L2-normalised."""
    import scipy.sparse as sp

    own = mentions.paper < papers
    matrix = sp.csr_matrix(
        (mentions.weights(1.0)[own], (mentions.paper[own], mentions.concept[own])),
        shape=(papers, len(mentions.concepts)),
    )
    return _normalised(_idf_weighted(matrix, papers))


def _word_vectors(kg: KnowledgeGraph, papers: list[str]) -> sp.csr_matrix:
    import numpy as np
    import scipy.sparse as sp
    from spacy.lang.en.stop_words import STOP_WORDS

    columns: dict[str, int] = {}
    rows, cols, counted = [], [], []
    for i, paper in enumerate(papers):
        data = kg.graph.nodes[paper]
        text = f"{data.get('title') or ''} {data.get('abstract') or ''}".lower()
        counts = Counter(w for w in _WORD.findall(text) if w not in STOP_WORDS)
        rows += [i] * len(counts)
        cols += [columns.setdefault(word, len(columns)) for word in counts]
        counted += counts.values()
    values = 1.0 + np.log(np.array(counted, dtype=np.float64))
    matrix = sp.csr_matrix((values, (rows, cols)), shape=(len(papers), len(columns)))
    df = np.bincount(matrix.indices, minlength=matrix.shape[1])
    kept = np.flatnonzero((df >= 2) & (df <= 0.5 * len(papers)))
    return _normalised(_idf_weighted(matrix[:, kept], len(papers)))


def _idf_weighted(matrix: sp.csr_matrix, n: int) -> sp.csr_matrix:
    import numpy as np

    df = np.bincount(matrix.tocsr().indices, minlength=matrix.shape[1])
    return matrix.multiply(np.log((1 + n) / (1 + df)) + 1).tocsr()


def _normalised(matrix: sp.spmatrix) -> sp.csr_matrix:
    import numpy as np
    import scipy.sparse as sp

    matrix = matrix.tocsr()
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.diags(1.0 / norms) @ matrix


def _neighbour_count(papers: int, options: TopicOptions) -> int:
    """How many most similar papers each paper is linked to.

    Examples
    --------
    >>> [_neighbour_count(n, TopicOptions()) for n in (500, 959, 2_000, 10_000, 30_000)]
    [30, 31, 45, 60, 60]
    """
    return min(options.most_neighbours, max(options.neighbours, round(papers**0.5)))


def _neighbour_links(vectors: sp.csr_matrix, k: int) -> sp.csr_matrix:
    """Papers (as row numbers) linked to their ``k`` most similar papers: a symmetric
    matrix of the cosines (a pair both of whose papers chose the other: the later's)."""
    import numpy as np
    import scipy.sparse as sp

    n = vectors.shape[0]
    k = min(k, n - 1)
    transposed = vectors.T.tocsr()
    step = max(1, _BLOCK // n)
    rows, cols, sims = [], [], []
    for start in range(0, n, step):
        block = (vectors[start : start + step] @ transposed).toarray()
        block[np.arange(len(block)), np.arange(start, start + len(block))] = -1.0
        best = _most_similar(block, k)
        values = np.take_along_axis(block, best, axis=1)
        linked = values > 0
        rows.append(
            np.broadcast_to(np.arange(start, start + len(block))[:, None], best.shape)[linked]
        )
        cols.append(best[linked])
        sims.append(values[linked])
    row, col, sim = np.concatenate(rows), np.concatenate(cols), np.concatenate(sims)
    low, high = np.minimum(row, col), np.maximum(row, col)
    # The last of a pair's two entries, as adding the links one by one would keep it.
    _, last = np.unique((low * n + high)[::-1], return_index=True)
    last = len(row) - 1 - last
    half = sp.coo_matrix((sim[last], (low[last], high[last])), shape=(n, n))
    return (half + half.T).tocsr()


def _most_similar(block: np.ndarray, k: int) -> np.ndarray:
    """Per row, the column numbers of its ``k`` largest values, largest first (ties: lowest
    column).

    Examples
    --------
    >>> import numpy as np
    >>> _most_similar(np.array([[0.2, 0.9, 0.5, 0.9, 0.5], [0.5, 0.1, 0.5, 0.5, 0.0]]), 3)
    array([[1, 3, 2],
           [0, 2, 3]])
    """
    import numpy as np

    width = block.shape[1]
    kth = np.partition(block, width - k, axis=1)[:, width - k : width - k + 1]
    above = block > kth
    tied = block == kth
    wanted = k - above.sum(axis=1, keepdims=True)
    chosen = above | (tied & (np.cumsum(tied, axis=1) <= wanted))
    best = np.nonzero(chosen)[1].reshape(len(block), k)
    order = np.argsort(-np.take_along_axis(block, best, axis=1), axis=1, kind="stable")
    return np.take_along_axis(best, order, axis=1)


def _louvain(links: sp.csr_matrix, seed: int) -> list[list[int]]:
    """The Louvain communities (igraph's multilevel method, its random numbers drawn from
    ``random.Random(seed)``) of the graph of ``links``, as lists of row numbers."""
    import random

    import igraph
    import scipy.sparse as sp

    upper = sp.triu(links, k=1).tocoo()
    graph = igraph.Graph(
        n=links.shape[0], edges=list(zip(upper.row.tolist(), upper.col.tolist(), strict=True))
    )
    igraph.set_random_number_generator(random.Random(seed))
    try:
        found = graph.community_multilevel(weights=upper.data.tolist())
    finally:
        igraph.set_random_number_generator(random)
    return [list(members) for members in found]


def _merged(
    links: sp.csr_matrix, communities: list[list[int]], floor: int, most: int
) -> list[list[int]]:
    """Communities below ``floor`` papers, and past the ``most`` largest, join the kept one
    they have the strongest links to (the largest kept when they have none)."""
    import numpy as np

    kept = [list(c) for i, c in enumerate(communities) if len(c) >= floor and i < most]
    if not kept:
        kept = [list(communities[0])]
    home = np.full(links.shape[0], -1, dtype=np.int64)
    for t, members in enumerate(kept):
        home[members] = t
    for members in communities:
        if home[members[0]] >= 0:
            continue
        rows = links[members].tocoo()
        homes = home[rows.col]
        inside = homes >= 0
        strength = np.bincount(homes[inside], rows.data[inside], len(kept))
        target = int(np.argmax(strength)) if inside.any() else 0
        kept[target].extend(members)
        home[members] = target
    return kept


def stable_ids(
    clusters: list[list[str]], previous: dict[int, set[str]], papers: dict[str, str]
) -> list[int]:
    """The id of each cluster (node ids of papers), keeping ``previous`` ids where it matches.

    ``previous`` maps each topic id of the previous graph to its papers' ``paper_id``;
    ``papers`` maps paper node ids to ``paper_id``. Clusters are matched largest first.

    Examples
    --------
    >>> stable_ids([["paper:a", "paper:b", "paper:c"], ["paper:d"]],
    ...            {4: {"d"}, 9: {"a", "b"}}, {f"paper:{k}": k for k in "abcd"})
    [9, 4]
    >>> stable_ids([["paper:a"], ["paper:d"]], {}, {"paper:a": "a", "paper:d": "d"})
    [1, 2]
    """
    old_topic = {pid: t for t, members in previous.items() for pid in members}
    taken: set[int] = set()
    ids: list[int | None] = []
    for members in clusters:
        votes = Counter(old_topic[papers[m]] for m in members if papers[m] in old_topic)
        choice = None
        if votes:
            best, shared = min(votes.items(), key=lambda kv: (-kv[1], kv[0]))
            if best not in taken and 2 * shared >= len(previous[best]):
                choice = best
                taken.add(best)
        ids.append(choice)
    fresh = max([0, *previous])
    result = []
    for found in ids:
        if found is None:
            fresh += 1
            found = fresh
        result.append(found)
    return result


def previous_topics(directory: Path) -> dict[int, set[str]]:
    """Each topic id of the previous build in ``directory`` and its papers' ``paper_id``
    (empty when there is none, or it has no paper topics).

    Read from the build's index (:func:`graph_builder.graph_index.paper_topics`); from its
    ``graph.json`` when the directory has no index (a build of an older paperkg).
    """
    found = paper_topics(directory)
    return found if found is not None else _graph_json_topics(directory / "graph.json")


def _graph_json_topics(graph_json: Path) -> dict[int, set[str]]:
    try:
        data = json.loads(graph_json.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    found: dict[int, set[str]] = defaultdict(set)
    for node in data.get("nodes", []):
        if node.get(LABEL) == NAME[Label.PAPER] and isinstance(node.get("topic"), int):
            found[node["topic"]].add(str(node.get(NODE_KEY[Label.PAPER])))
    return dict(found)
