"""Hierarchy, topics and centrality: hand-made graphs and the bundled example (see test_example)."""

from __future__ import annotations

from collections.abc import Callable

import networkx as nx

from graph_builder import KnowledgeGraph
from graph_builder.analysis import AnalysisOptions, analyse, broader_terms, topics
from graph_builder.schema import Label, Rel


def test_broader_is_the_longest_shorter_ending_that_is_a_concept() -> None:
    keys = ["network", "neural network", "deep neural network", "deep convolutional neural network"]
    assert broader_terms(keys) == {
        "neural network": "network",
        "deep neural network": "neural network",
        "deep convolutional neural network": "neural network",
    }


def test_a_generic_head_points_to_its_modifier() -> None:
    assert broader_terms(["mean field", "mean field framework"]) == {
        "mean field framework": "mean field"
    }
    assert broader_terms(["deep learning", "deep learning system", "system"]) == {
        "deep learning system": "deep learning"
    }


def test_generic_words_are_never_broader_terms() -> None:
    assert broader_terms(["model", "generative model", "method", "new method"]) == {}
    # A single modifier is never the broader term of a term with a generic head.
    assert broader_terms(["graph", "graph method"]) == {}


def test_no_broader_term_without_the_general_concept() -> None:
    assert broader_terms(["deep neural network", "graph"]) == {}


def test_example_hierarchy(example_graph: KnowledgeGraph) -> None:
    edges = {(u, v) for u, v, _ in example_graph.edges(Rel.BROADER)}
    for specific, general in [
        ("mean field framework", "mean field"),
        ("deep neural network", "neural network"),
        ("convolutional neural network", "neural network"),
        ("deep reinforcement learning", "reinforcement learning"),
        ("compact representation", "representation"),
    ]:
        assert (f"concept:{specific}", f"concept:{general}") in edges
    hierarchy = nx.DiGraph(list(edges))
    assert nx.is_directed_acyclic_graph(hierarchy)
    assert max(d for _, d in hierarchy.out_degree()) == 1


def _two_cliques() -> KnowledgeGraph:
    """Concepts a-d all co-occur, so do w-z; one weak edge d-w between the groups."""
    kg = KnowledgeGraph()
    for key, df in zip("abcdwxyz", [5, 4, 3, 2, 1, 1, 1, 6], strict=True):
        kg.add_node(Label.CONCEPT, key, name=key.upper(), df=df, score=1.0)
    for group in ("abcd", "wxyz"):
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                kg.add_edge(Rel.CO_OCCURS, f"concept:{a}", f"concept:{b}", papers=2, strength=5.0)
    kg.add_edge(Rel.CO_OCCURS, "concept:d", "concept:w", papers=1, strength=0.5)
    kg.add_node(Label.CONCEPT, "alone", name="alone", df=1, score=1.0)
    return kg


def test_topics_are_the_communities_largest_first_then_by_first_member() -> None:
    kg = analyse(_two_cliques(), AnalysisOptions(topic_label_concepts=2))
    found = {d["topic_id"]: (d["name"], d["size"]) for _, d in kg.nodes(Label.TOPIC)}
    assert found == {1: ("A, B", 4), 2: ("Z, W", 4)}
    members = {u.split(":")[1]: v for u, v, _ in kg.edges(Rel.IN_TOPIC)}
    assert members == {**dict.fromkeys("abcd", "topic:1"), **dict.fromkeys("wxyz", "topic:2")}
    assert kg.graph.nodes["concept:c"]["community"] == 1
    assert "community" not in kg.graph.nodes["concept:alone"]


def test_topics_are_deterministic() -> None:
    assert topics(_two_cliques()) == topics(_two_cliques())


_RING_TOPICS = """
from graph_builder import KnowledgeGraph
from graph_builder.analysis import topics
from graph_builder.schema import Label, Rel
kg = KnowledgeGraph()
ring = [kg.add_node(Label.CONCEPT, f"ring {i}", name=f"ring {i}", df=2) for i in range(12)]
for i in range(40):
    kg.add_node(Label.CONCEPT, f"alone {i}", name=f"alone {i}", df=1)
for i, node in enumerate(ring):
    kg.add_edge(Rel.CO_OCCURS, node, ring[(i + 1) % 12], papers=2, strength=1.0)
print(topics(kg))
"""


def test_topics_are_the_same_in_every_process(
    outputs_by_hash_seed: Callable[[str], set[str]],
) -> None:
    # A ring splits many equally good ways: Louvain's answer follows the order it visits
    # the nodes in, which must not depend on string hashing. 12 of 52 concepts co-occur.
    assert len(outputs_by_hash_seed(_RING_TOPICS)) == 1


def test_centrality_counts_partners() -> None:
    kg = analyse(_two_cliques())
    nodes = kg.graph.nodes
    assert nodes["concept:d"]["degree"] == 4 and nodes["concept:a"]["degree"] == 3
    assert nodes["concept:d"]["centrality"] == round(4 / 8, 6)
    assert nodes["concept:alone"]["degree"] == 0


def test_example_topics(example_graph: KnowledgeGraph) -> None:
    in_topic = {u: v for u, v, _ in example_graph.edges(Rel.IN_TOPIC)}
    sizes = {n: d["size"] for n, d in example_graph.nodes(Label.TOPIC)}
    assert sorted(sizes.values(), reverse=True) == list(sizes.values())
    for topic, size in sizes.items():
        assert sum(1 for t in in_topic.values() if t == topic) == size
    # "mean-field" co-occurs only with the concepts of paper 1, so its topic is paper 1's.
    assert in_topic["concept:mean field"] == in_topic["concept:mean field framework"]
    assert in_topic["concept:mean field"] == in_topic["concept:deterministic deep network"]
    for node, data in example_graph.nodes(Label.CONCEPT):
        assert (node in in_topic) == ("community" in data)
