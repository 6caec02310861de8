"""Topic names (graph_builder.topics.topic_names) on hand-made graphs."""

from __future__ import annotations

from graph_builder import KnowledgeGraph
from graph_builder.schema import Label, Rel
from graph_builder.topics import TopicOptions, topic_names

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
