"""Hierarchy, topics and centrality: hand-made graphs and the bundled example (see test_example)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import networkx as nx

from graph_builder import KnowledgeGraph
from graph_builder.analysis import analyse, broader_terms, topics
from graph_builder.schema import Label, Rel
from graph_builder.topics import membership_weights, paper_clusters_and_memberships


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


#: Two fields of six papers each; every paper also says "method" and "result" (generic).
_FIELDS = {
    "protein": (
        ["protein folding", "amino acid", "molecular dynamics", "binding site"],
        "protein folding amino acid chain molecular dynamics binding site residue",
    ),
    "galaxy": (
        ["galaxy survey", "dark matter", "redshift", "stellar mass"],
        "galaxy survey dark matter halo redshift stellar mass luminosity",
    ),
}


def _two_fields() -> KnowledgeGraph:
    """Papers p0-p5 about proteins, p6-p11 about galaxies; each mentions three of its field's
    concepts (best first) and then the generic "method" and "result"."""
    kg = KnowledgeGraph()
    keys = [k for concepts, _ in _FIELDS.values() for k in concepts] + ["method", "result"]
    nodes = {k: kg.add_node(Label.CONCEPT, k, name=k, df=1, score=1.0) for k in keys}
    for f, (concepts, words) in enumerate(_FIELDS.values()):
        for i in range(6):
            paper = kg.add_node(
                Label.PAPER, f"p{6 * f + i}", title="", abstract=f"We study {words}. Method {i}."
            )
            own = [concepts[(i + j) % 4] for j in range(3)]
            for place, key in enumerate([*own, "method", "result"]):
                kg.add_edge(Rel.MENTIONS, paper, nodes[key], weight=1.0 - place / 10, count=1)
    for node, data in kg.nodes(Label.CONCEPT):
        data["df"] = len(kg.mentions.sources(node))
    return kg


def test_topics_are_the_fields_of_the_papers() -> None:
    kg = analyse(_two_fields())
    papers = {d["paper_id"]: d["topic"] for _, d in kg.nodes(Label.PAPER)}
    assert {papers[f"p{i}"] for i in range(6)} == {1}
    assert {papers[f"p{i}"] for i in range(6, 12)} == {2}
    members = {u.split(":")[1]: v for u, v, _ in kg.edges(Rel.IN_TOPIC)}
    for key in _FIELDS["protein"][0]:
        assert members[key] == "topic:1"
    for key in _FIELDS["galaxy"][0]:
        assert members[key] == "topic:2"
    # equal weight in both topics: the first topic
    assert members["method"] == members["result"] == "topic:1"
    found = {d["topic_id"]: (d["papers"], d["size"]) for _, d in kg.nodes(Label.TOPIC)}
    assert found == {1: (6, 6), 2: (6, 4)}
    for _, data in kg.nodes(Label.TOPIC):
        assert "method" not in data["name"] and "result" not in data["name"]
        assert len(data["name"].split(", ")) == 3


def test_topic_names_are_the_most_distinctive_concepts() -> None:
    kg = analyse(_two_fields())
    names = {d["topic_id"]: d["name"].split(", ") for _, d in kg.nodes(Label.TOPIC)}
    # each field's concepts lead 1-2 papers each; all four of a field are its own
    assert set(names[1]) <= set(_FIELDS["protein"][0])
    assert set(names[2]) <= set(_FIELDS["galaxy"][0])


def test_topics_are_deterministic() -> None:
    assert topics(_two_fields()) == topics(_two_fields())


_FIELDS_TOPICS = """
import sys
sys.path.insert(0, {tests!r})
from test_analysis import _two_fields
from graph_builder.analysis import topics
print(topics(_two_fields()))
"""


def test_topics_are_the_same_in_every_process(
    outputs_by_hash_seed: Callable[[str], set[str]],
) -> None:
    # Louvain's answer follows the order it visits the nodes in, which must not
    # depend on string hashing.
    tests = str(Path(__file__).resolve().parent)
    assert len(outputs_by_hash_seed(_FIELDS_TOPICS.format(tests=tests))) == 1


def test_centrality_counts_partners() -> None:
    kg = analyse(_two_cliques())
    nodes = kg.graph.nodes
    assert nodes["concept:d"]["degree"] == 4 and nodes["concept:a"]["degree"] == 3
    assert nodes["concept:d"]["centrality"] == round(4 / 8, 6)
    assert nodes["concept:alone"]["degree"] == 0


def test_example_topics(example_graph: KnowledgeGraph) -> None:
    nodes = example_graph.graph.nodes
    in_topic = {
        u: v for u, v, _ in example_graph.edges(Rel.IN_TOPIC) if nodes[u]["label"] == "Concept"
    }
    topics_found = dict(example_graph.nodes(Label.TOPIC))
    assert 1 <= len(topics_found) <= 5
    papers = [d for _, d in example_graph.nodes(Label.PAPER)]
    assert all("topic" in d for d in papers)  # every paper has a topic
    # ... and one IN_TOPIC edge to it, weighted by how firmly it belongs there
    paper_edges = [(u, v, d) for u, v, d in example_graph.edges(Rel.IN_TOPIC) if u not in in_topic]
    assert sorted(u for u, _, _ in paper_edges) == sorted(dict(example_graph.nodes(Label.PAPER)))
    for paper, topic, data in paper_edges:
        assert topic == f"topic:{nodes[paper]['topic']}"
        assert 0.0 <= data["weight"] <= 1.0
    assert sum(d["papers"] for d in topics_found.values()) == len(papers)
    for topic, data in topics_found.items():
        assert sum(1 for t in in_topic.values() if t == topic) == data["size"]
    # every mentioned concept has a topic; a paper's best concept is in its topic's concepts
    mentioned = {v for _, v, _ in example_graph.edges(Rel.MENTIONS)}
    assert set(in_topic) == mentioned
    for node, data in example_graph.nodes(Label.CONCEPT):
        assert (node in in_topic) == ("community" in data)
    # "mean-field" is in paper 1 only, with "mean-field framework": same topic
    assert in_topic["concept:mean field"] == in_topic["concept:mean field framework"]


def test_a_rebuild_keeps_the_previous_topic_ids() -> None:
    # The previous build numbered the galaxy papers 1 and the protein papers 4.
    previous = {1: {f"p{i}" for i in range(6, 12)}, 4: {f"p{i}" for i in range(6)}}
    kg = analyse(_two_fields(), previous=previous)
    papers = {d["paper_id"]: d["topic"] for _, d in kg.nodes(Label.PAPER)}
    assert {papers[f"p{i}"] for i in range(6)} == {4}
    assert {papers[f"p{i}"] for i in range(6, 12)} == {1}
    assert {d["topic_id"] for _, d in kg.nodes(Label.TOPIC)} == {1, 4}
    members = {u.split(":")[1]: v for u, v, _ in kg.edges(Rel.IN_TOPIC)}
    assert members["galaxy survey"] == "topic:1" and members["protein folding"] == "topic:4"


def test_a_grown_corpus_keeps_ids_and_a_new_topic_gets_the_next_one() -> None:
    # Before: 4 of the protein papers (topic 2) and 4 of the galaxy papers (topic 5), and
    # a topic 3 whose papers are gone. Now all 12: both keep their ids.
    previous = {2: {"p0", "p1", "p2", "p3"}, 5: {"p6", "p7", "p8", "p9"}, 3: {"x1", "x2"}}
    kg = analyse(_two_fields(), previous=previous)
    assert {d["paper_id"]: d["topic"] for _, d in kg.nodes(Label.PAPER)}["p11"] == 5
    assert sorted(d["topic_id"] for _, d in kg.nodes(Label.TOPIC)) == [2, 5]
    # Before: all 12 papers in one topic 7. Now two topics: the larger (the first, ties by
    # first paper) holds half of topic 7's papers and keeps 7; the other is new, 8.
    kg = analyse(_two_fields(), previous={7: {f"p{i}" for i in range(12)}})
    assert {d["paper_id"]: d["topic"] for _, d in kg.nodes(Label.PAPER)}["p0"] == 7
    assert {d["paper_id"]: d["topic"] for _, d in kg.nodes(Label.PAPER)}["p6"] == 8


def test_previous_topics_are_read_from_the_index_else_the_graph_json(tmp_path: Path) -> None:
    from exporters import files
    from graph_builder import graph_index
    from graph_builder.topics import previous_topics

    expected = {1: {f"p{i}" for i in range(6)}, 2: {f"p{i}" for i in range(6, 12)}}
    kg = analyse(_two_fields())
    old, new, empty = (tmp_path / name for name in ("old", "new", "empty"))
    for directory in (old, new, empty):
        directory.mkdir()
    files.write_json(kg, old / "graph.json")  # a build without an index
    assert previous_topics(old) == expected
    graph_index.write(kg, new / graph_index.INDEX_FILE)
    (new / "graph.json").write_text("{not json")  # not read when the index is there
    assert previous_topics(new) == expected
    assert previous_topics(empty) == {}
    (empty / "graph.json").write_text("{not json")
    assert previous_topics(empty) == {}
    (empty / graph_index.INDEX_FILE).write_text("not an index either")
    assert previous_topics(empty) == {}


def test_membership_weight_is_the_share_of_link_weight_inside_the_topic() -> None:
    # a-b 0.6 and c-d 0.3 inside topics {a, b} and {c, d}; a-c 0.2 and b-c 0.4 across.
    links = nx.Graph()
    links.add_weighted_edges_from(
        [("a", "b", 0.6), ("c", "d", 0.3), ("a", "c", 0.2), ("b", "c", 0.4)]
    )
    weights = membership_weights([["a", "b"], ["c", "d", "e"]], links)
    # a: 0.6 / (0.6 + 0.2); b: 0.6 / (0.6 + 0.4); c: 0.3 / (0.3 + 0.2 + 0.4); d: 0.3 / 0.3;
    # e has no links at all: 1.0.
    assert weights == {"a": 0.75, "b": 0.6, "c": 0.3333, "d": 1.0, "e": 1.0}


def _disjoint_fields() -> KnowledgeGraph:
    """:func:`_two_fields` without the generic concepts and words the fields share, and a
    paper with neither concepts nor words: no similarity link crosses the fields, and that
    paper has none."""
    kg = _two_fields()
    kg.remove_nodes(["concept:method", "concept:result"])
    for _, data in kg.nodes(Label.PAPER):
        data["abstract"] = data["abstract"].split(". Method")[0].removeprefix("We study ")
    kg.add_node(Label.PAPER, "p12", title="", abstract="")
    return kg


def test_papers_are_in_their_topic_with_their_membership_weight() -> None:
    kg = analyse(_two_fields())
    edges = {u: (v, d) for u, v, d in kg.edges(Rel.IN_TOPIC) if u.startswith("paper:")}
    assert len(edges) == 12
    expected = paper_clusters_and_memberships(_two_fields())[1]
    for node, data in kg.nodes(Label.PAPER):
        topic, props = edges[node]
        assert topic == f"topic:{data['topic']}"
        assert props == {"type": "IN_TOPIC", "weight": expected[node]}
    # The fields share "method" and "result", so some link weight crosses them.
    assert all(0.5 < props["weight"] < 1.0 for _, props in edges.values())

    kg = analyse(_disjoint_fields())
    weights = {u: d["weight"] for u, _, d in kg.edges(Rel.IN_TOPIC) if u.startswith("paper:")}
    assert weights == {f"paper:p{i}": 1.0 for i in range(13)}
