"""Topics: clusters of papers, each named by the concepts most distinctive of it.

* **Papers are clustered, not concepts.** Each paper is a vector of its
  concepts (``MENTIONS`` weight x smoothed idf) beside the words of its title
  and abstract (sublinear tf x idf; English stop words, words in one paper or
  in more than half of them dropped), both halves L2-normalised. Each paper is
  linked to its most similar papers (cosine): as many as the square root of
  the number of papers, at least :attr:`TopicOptions.neighbours` and at most
  :attr:`TopicOptions.most_neighbours` (with a fixed number, the topics of a
  larger corpus followed its fields less; see docs/benchmarks.md). Louvain
  (:func:`networkx.community.louvain_communities`, seeded) finds the
  communities of that graph: their number comes from the data (the modularity
  optimum), not from an option. A community smaller than
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
from graph_builder.model import KnowledgeGraph
from graph_builder.prominence import paper_credits
from graph_builder.schema import LABEL, NAME, NODE_KEY, Label, Rel

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
    kg: KnowledgeGraph, options: TopicOptions = TopicOptions()
) -> tuple[list[list[str]], dict[str, float]]:
    """:func:`paper_clusters`, and each paper's :func:`membership_weights` in the similarity
    graph they were found in."""
    import scipy.sparse as sp

    papers = [node for node, _ in kg.nodes(Label.PAPER)]
    if len(papers) < 2:
        return ([papers] if papers else []), dict.fromkeys(papers, 1.0)
    vectors = _normalised(sp.hstack([_concept_vectors(kg, papers), _word_vectors(kg, papers)]))
    graph = _neighbour_graph(vectors.tocsr(), _neighbour_count(len(papers), options))
    communities = nx.community.louvain_communities(graph, weight="weight", seed=options.seed)
    ordered = sorted((sorted(c) for c in communities), key=lambda c: (-len(c), c[0]))
    floor = max(options.min_papers, round(options.min_share * len(papers)))
    kept = _merged(graph, ordered, floor, options.max_topics)
    clusters = [sorted(papers[i] for i in members) for members in kept]
    weights = membership_weights(kept, graph)
    memberships = {papers[i]: weights[i] for i in range(len(papers))}
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
    import numpy as np

    nodes = [node for members in clusters for node in members]
    index = {node: i for i, node in enumerate(nodes)}
    cluster = np.repeat(np.arange(len(clusters)), [len(members) for members in clusters])
    ends = np.zeros((links.number_of_edges(), 2), dtype=np.int64)
    w = np.zeros(len(ends))
    for i, (a, b, x) in enumerate(links.edges(data="weight")):
        ends[i] = index[a], index[b]
        w[i] = x
    u, v = ends.T
    inner = np.where(cluster[u] == cluster[v], w, 0.0)
    total = np.bincount(u, w, len(nodes)) + np.bincount(v, w, len(nodes))
    inside = np.bincount(u, inner, len(nodes)) + np.bincount(v, inner, len(nodes))
    share = np.divide(inside, total, out=np.ones(len(nodes)), where=total > 0)
    return {node: round(float(s), 4) for node, s in zip(nodes, share, strict=True)}


def assign_concepts(kg: KnowledgeGraph, clusters: list[list[str]]) -> dict[str, int]:
    """Each mentioned concept's topic (index into ``clusters``): the most of its weight."""
    topic_of = {paper: t for t, members in enumerate(clusters) for paper in members}
    weight: dict[str, Counter] = defaultdict(Counter)
    for paper, concept, data in kg.edges(Rel.MENTIONS):
        if paper in topic_of:
            weight[concept][topic_of[paper]] += data.get("weight", 1.0)
    return {c: min(w, key=lambda t: (-w[t], t)) for c, w in weight.items()}


def topic_names(
    kg: KnowledgeGraph,
    clusters: list[list[str]],
    concept_topic: dict[str, int],
    count: int = 3,
    options: TopicOptions = TopicOptions(),
) -> list[list[str]]:
    """Each topic's ``count`` most distinctive concepts (node ids) among its own concepts.

    Only a concept that many of the topic's papers mention can name it (see
    :func:`_name_floor`); the others come after them, for a topic too small to have
    ``count`` such concepts.
    """
    topic_of = {paper: t for t, members in enumerate(clusters) for paper in members}
    local: dict[int, Counter] = defaultdict(Counter)
    total: Counter = Counter()
    for paper, credits in paper_credits(kg).items():
        for concept, credit in credits:
            total[concept] += credit
            if paper in topic_of:
                local[topic_of[paper]][concept] += credit
    holders: Counter = Counter()
    for paper, concept, _ in kg.edges(Rel.MENTIONS):
        if paper in topic_of and concept_topic.get(concept) == topic_of[paper]:
            holders[concept] += 1
    names = []
    for t, members in enumerate(clusters):
        floor = _name_floor(len(members), options)
        scored = [
            (holders[c] < floor, -(value * value / total[c]), kg.graph.nodes[c]["key"], c)
            for c, value in local[t].items()
            if concept_topic.get(c) == t
        ]
        names.append([c for *_, c in sorted(scored)[:count]])
    return names


def _name_floor(papers: int, options: TopicOptions) -> int:
    """How many of a topic's ``papers`` must mention a concept for it to name the topic.

    Examples
    --------
    >>> [_name_floor(n, TopicOptions()) for n in (6, 100, 220, 2_000)]
    [2, 5, 11, 20]
    """
    share = min(math.ceil(options.name_min_share * papers), options.name_enough_papers)
    return max(options.name_min_papers, share)


def _concept_vectors(kg: KnowledgeGraph, papers: list[str]) -> sp.csr_matrix:
    import scipy.sparse as sp

    index = {p: i for i, p in enumerate(papers)}
    columns: dict[str, int] = {}
    rows, cols, values = [], [], []
    for paper, concept, data in kg.edges(Rel.MENTIONS):
        rows.append(index[paper])
        cols.append(columns.setdefault(concept, len(columns)))
        values.append(data.get("weight", 1.0))
    matrix = sp.csr_matrix((values, (rows, cols)), shape=(len(papers), len(columns)))
    return _normalised(_idf_weighted(matrix, len(papers)))


def _word_vectors(kg: KnowledgeGraph, papers: list[str]) -> sp.csr_matrix:
    import numpy as np
    import scipy.sparse as sp
    from spacy.lang.en.stop_words import STOP_WORDS

    columns: dict[str, int] = {}
    rows, cols, values = [], [], []
    for i, paper in enumerate(papers):
        data = kg.graph.nodes[paper]
        text = f"{data.get('title') or ''} {data.get('abstract') or ''}".lower()
        counts = Counter(w for w in _WORD.findall(text) if w not in STOP_WORDS)
        for word, n in counts.items():
            rows.append(i)
            cols.append(columns.setdefault(word, len(columns)))
            values.append(1.0 + np.log(n))
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


def _neighbour_graph(vectors: sp.csr_matrix, k: int) -> nx.Graph:
    """Papers (as row numbers) linked to their ``k`` most similar papers, weight the cosine."""
    import numpy as np

    n = vectors.shape[0]
    k = min(k, n - 1)
    transposed = vectors.T.tocsc()
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    step = max(1, _BLOCK // n)
    for start in range(0, n, step):
        block = (vectors[start : start + step] @ transposed).toarray()
        block[np.arange(len(block)), np.arange(start, start + len(block))] = -1.0
        for offset, row in enumerate(block):
            best = _most_similar(row, k)
            graph.add_weighted_edges_from(
                (start + offset, int(j), float(row[j])) for j in best if row[j] > 0
            )
    return graph


def _most_similar(row: np.ndarray, k: int) -> np.ndarray:
    """The indices of the ``k`` largest values of ``row``, largest first (ties: lowest index).

    Examples
    --------
    >>> import numpy as np
    >>> _most_similar(np.array([0.2, 0.9, 0.5, 0.9, 0.5]), 3).tolist()
    [1, 3, 2]
    """
    import numpy as np

    kth = np.partition(row, len(row) - k)[len(row) - k]
    above = np.flatnonzero(row > kth)
    best = np.concatenate([above, np.flatnonzero(row == kth)[: k - len(above)]])
    return best[np.lexsort((best, -row[best]))]


def _merged(
    graph: nx.Graph, communities: list[list[int]], floor: int, most: int
) -> list[list[int]]:
    """Communities below ``floor`` papers, and past the ``most`` largest, join the kept one
    they have the strongest links to (the largest kept when they have none)."""
    kept = [list(c) for i, c in enumerate(communities) if len(c) >= floor and i < most]
    if not kept:
        kept = [list(communities[0])]
    home = {node: t for t, members in enumerate(kept) for node in members}
    for members in communities:
        if members[0] in home:
            continue
        links: Counter = Counter()
        for node in members:
            for other, data in graph[node].items():
                if other in home:
                    links[home[other]] += data["weight"]
        target = min(links, key=lambda t: (-links[t], t)) if links else 0
        for node in members:
            kept[target].append(node)
            home[node] = target
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
