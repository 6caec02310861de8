"""The bundled example page, checked against lists made by reading its ten abstracts.

Papers by position on the page (and date):
 1 2017-10-04 mean-field framework, compact representations, deep neural networks
 2 2024-02-14 deep neural networks, representations, representation learning
 3 2016-12-30 deep neural networks, representations of concepts
 4 2020-12-20 deep learning theory (no representation, no deep neural network)
 5 2020-06-30 Neural Networks (NNs), deep Reinforcement Learning (RL)
 6 2022-05-18 deep neural network (DNN), G-invariant architectures
 7 2018-10-28 deep neural networks, representations
 8 2021-04-30 deep learning, visual pattern recognition ("represents" is a verb)
 9 2017-10-30 deep learning systems, convolutional neural networks
10 2023-09-14 symmetry transformations, symmetries
"""

from __future__ import annotations

import pytest
from spacy.lang.en.stop_words import STOP_WORDS

from graph_builder import KnowledgeGraph
from graph_builder.schema import Label, Rel

EXPECTED_PAPERS = {
    "representation": [1, 2, 3, 7],
    "symmetry": [10],
    "mean field": [1],
    "deep neural network": [1, 2, 3, 6, 7],
    "reinforcement learning": [5],
}


def papers_mentioning(kg: KnowledgeGraph, key: str) -> list[int]:
    order = {node: i for i, (node, _) in enumerate(kg.nodes(Label.PAPER), start=1)}
    return sorted(order[u] for u, v, _ in kg.edges(Rel.MENTIONS) if v == f"concept:{key}")


def test_ten_papers(example_graph: KnowledgeGraph) -> None:
    assert example_graph.count(Label.PAPER) == 10


@pytest.mark.parametrize(("key", "expected"), EXPECTED_PAPERS.items())
def test_concepts_link_every_paper_that_uses_them(
    example_graph: KnowledgeGraph, key: str, expected: list[int]
) -> None:
    assert papers_mentioning(example_graph, key) == expected


def test_display_names(example_graph: KnowledgeGraph) -> None:
    nodes = example_graph.graph.nodes
    assert nodes["concept:mean field"]["name"] == "mean-field"
    assert nodes["concept:deep neural network"]["df"] == 5
    assert "DNN" in nodes["concept:deep neural network"]["aliases"]


def test_no_concept_is_a_stop_word_number_or_latex(example_graph: KnowledgeGraph) -> None:
    for _, data in example_graph.nodes(Label.CONCEPT):
        key = data["key"]
        assert key not in STOP_WORDS
        assert any(c.isalpha() for c in key), key
        assert not set(key) & set("\\{}$^_`'\""), key
        assert data["name"].split()[0].lower() not in STOP_WORDS, data["name"]
    assert "concept:dnn" not in example_graph.graph
    assert "concept:nn" not in example_graph.graph


def test_generic_phrases_are_not_concepts(example_graph: KnowledgeGraph) -> None:
    for key in ("paper", "result", "approach", "various domain", "domain", "work", "problem"):
        assert f"concept:{key}" not in example_graph.graph


def test_related_papers_share_concepts(example_graph: KnowledgeGraph) -> None:
    for u, v, data in example_graph.edges(Rel.RELATED_TO):
        assert 0 < data["weight"] <= 1
        for key in data["shared"]:
            assert f"concept:{key}" in example_graph.mentions.targets(u)
            assert f"concept:{key}" in example_graph.mentions.targets(v)


def test_metadata_keeps_what_the_page_says(example_graph: KnowledgeGraph) -> None:
    notes = example_graph.metadata["notes"]
    assert notes[0]["kind"] == "reference_paper" and notes[0]["date"] == "2015-04-08"
    assert notes[1] == {
        "source": notes[1]["source"],
        "kind": "heading",
        "text": "Similar papers 3",
        "date": None,
    }
    assert example_graph.metadata["pipeline"]["spacy_model_version"].startswith("3.")
