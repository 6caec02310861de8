"""Topics (graph_builder.topics): names, concepts' topics, links and Louvain, on hand-made
graphs."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from graph_builder import KnowledgeGraph
from graph_builder.schema import Label, Rel
from graph_builder.topics import (
    TopicOptions,
    _louvain,
    _neighbour_links,
    assign_concepts,
    topic_names,
)

GL, MP, ACME = "concept:graph learning", "concept:message passing", "concept:acme net"


def _one_topic(papers: int, every: int) -> KnowledgeGraph:
    """``papers`` papers, all in one topic. Paper 0 alone says "acme net" (weight 1.0, its
    best concept); every paper says "graph learning" (0.5) and one paper in ``every`` (0,
    every, 2 * every, ...) "message passing" (0.2)."""
    kg = KnowledgeGraph()
    nodes = {
        key: kg.add_node(Label.CONCEPT, key, name=key, df=1, score=1.0)
        for key in ("acme net", "graph learning", "message passing")
    }
    for i in range(papers):
        paper = kg.add_node(Label.PAPER, f"p{i}", title="", abstract="")
        said = [("acme net", 1.0)] if i == 0 else []
        said += [("graph learning", 0.5)] + ([("message passing", 0.2)] if i % every == 0 else [])
        for key, weight in said:
            kg.add_edge(Rel.MENTIONS, paper, nodes[key], weight=weight, count=1)
    return kg


def _names(kg: KnowledgeGraph, options: TopicOptions | None = None) -> list[str]:
    papers = [node for node, _ in kg.nodes(Label.PAPER)]
    concepts = {node: 0 for node, _ in kg.nodes(Label.CONCEPT)}
    return topic_names(kg, [papers], concepts, 3, options or TopicOptions())[0]


def test_a_concept_of_one_paper_never_names_a_topic_that_has_others() -> None:
    # Credits (weight / place in the paper), all in this topic so score = credits:
    # acme net 1.0 (paper 0); graph learning 0.5 / 2 + 3 * 0.5 = 1.75;
    # message passing 0.2 / 3 (paper 0) + 0.2 / 2 (paper 2) = 0.167.
    kg = _one_topic(4, every=2)
    # acme net scores above message passing, but 1 paper < 2: it comes last
    assert _names(kg) == [GL, MP, ACME]
    # with the rule off (one paper is enough) the scores alone order them
    assert _names(kg, TopicOptions(name_min_papers=1, name_min_share=0.0)) == [GL, ACME, MP]


def test_a_name_must_be_held_by_a_share_of_a_large_topic() -> None:
    # 300 papers; message passing in 10 of them: 0.2 / 3 + 9 * 0.2 / 2 = 0.967 < acme net 1.0.
    kg = _one_topic(300, every=30)
    # 5 % (the default) is 15 papers: neither may, so the scores order them after graph learning
    assert _names(kg) == [GL, ACME, MP]
    # 2 % of 300 is 6 papers: message passing (10) may name the topic, acme net (1) not
    assert _names(kg, TopicOptions(name_min_share=0.02)) == [GL, MP, ACME]


def test_a_concept_joins_the_topic_with_the_most_of_its_weight() -> None:
    # Topic 0 = {p0, p1}, topic 1 = {p2}. "graph learning" has 0.5 + 0.5 in topic 0 and
    # 0.5 in topic 1: topic 0. "acme net" has 1.0 in topic 0 (p0) and 1.0 in topic 1 (p2):
    # a tie, so the first topic. "message passing" is said by p0 (0.2) and p2 (0.2): a tie.
    kg = _one_topic(3, every=2)
    kg.add_edge(Rel.MENTIONS, "paper:p2", ACME, weight=1.0, count=1)
    clusters = [["paper:p0", "paper:p1"], ["paper:p2"]]
    assert assign_concepts(kg, clusters) == {ACME: 0, GL: 0, MP: 0}
    kg.add_edge(Rel.MENTIONS, "paper:p2", "concept:graph learning", weight=0.6, count=1)
    kg.add_edge(Rel.MENTIONS, "paper:p1", MP, weight=0.1, count=1)
    # graph learning: p2's edge is replaced (one edge per type), 1.0 vs 0.6: still topic 0;
    # message passing 0.2 + 0.1 in topic 0 against 0.2: topic 0.
    assert assign_concepts(kg, clusters) == {ACME: 0, GL: 0, MP: 0}
    assert assign_concepts(kg, [["paper:p2"], ["paper:p0", "paper:p1"]]) == {ACME: 0, GL: 1, MP: 1}


def _ring_of_cliques(cliques: int, size: int, seed: int) -> sp.csr_matrix:
    """``cliques`` cliques of ``size`` nodes in a ring, with random weights: a graph whose
    Louvain communities depend on the order the nodes are visited in."""
    rng = np.random.default_rng(seed)
    edges = [
        (c * size + i, c * size + j)
        for c in range(cliques)
        for i in range(size)
        for j in range(i + 1, size)
    ]
    edges += [(c * size, ((c + 1) % cliques) * size + 1) for c in range(cliques)]
    rows, cols = np.array(edges).T
    n = cliques * size
    half = sp.coo_matrix((rng.uniform(0.1, 1.0, len(edges)), (rows, cols)), shape=(n, n))
    return (half + half.T).tocsr()


def test_louvain_is_seeded_and_leaves_the_global_random_state_alone() -> None:
    links = _ring_of_cliques(30, 3, seed=0)
    state = random.getstate()
    first = _louvain(links, 42)
    assert random.getstate() == state
    random.seed(7)  # the module's state does not matter
    assert _louvain(links, 42) == first
    # ... and the seed does: this graph has more than one Louvain answer
    assert len({str(_louvain(links, seed)) for seed in range(1, 9)}) > 1


_LOUVAIN = """
import sys
sys.path.insert(0, {tests!r})
from test_topics import _ring_of_cliques
from graph_builder.topics import _louvain
print(_louvain(_ring_of_cliques(30, 3, seed=0), 42))
"""


def test_louvain_is_the_same_in_every_process(
    outputs_by_hash_seed: Callable[[str], set[str]],
) -> None:
    tests = str(Path(__file__).resolve().parent)
    assert len(outputs_by_hash_seed(_LOUVAIN.format(tests=tests))) == 1


def test_each_paper_is_linked_to_its_most_similar_papers() -> None:
    # Papers 0-1 are alike (cosine 0.8), 2 is like 1 (0.6), 3 like nothing (0).
    vectors = sp.csr_matrix(
        np.array([[1.0, 0.0, 0.0, 0.0], [0.8, 0.6, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0], [0, 0, 0, 1.0]])
    )
    links = _neighbour_links(vectors, 1).toarray()
    # 0 -> 1, 1 -> 0, 2 -> 1; 3 has no similar paper; links are symmetric
    expected = np.zeros((4, 4))
    expected[0, 1] = expected[1, 0] = 0.8
    expected[1, 2] = expected[2, 1] = 0.6
    assert np.allclose(links, expected) and (links == links.T).all()
