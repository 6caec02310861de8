"""What the linked graph says about its concepts: prominence, hierarchy, topics, centrality.

* ``prominence`` and ``rank`` of each concept (:mod:`graph_builder.prominence`).

* ``BROADER`` (concept -> concept), from the head-noun structure of the terms
  (:mod:`graph_builder.hierarchy`): *deep neural network* -> *neural network*,
  *mean-field theory* -> *mean-field*; never to a modifier or a generic head.
* ``Topic`` nodes: clusters of papers (:mod:`graph_builder.topics`), numbered
  1, 2, ... from the most papers; ``name`` lists the concepts most distinctive
  of the topic, ``size`` counts its concepts, ``papers`` its papers. Every
  concept a paper mentions joins the topic holding most of its ``MENTIONS``
  weight (an ``IN_TOPIC`` edge and a ``community`` property, the topic id);
  each paper gets the ``topic`` property (its topic id) and an ``IN_TOPIC``
  edge whose ``weight`` is how firmly it belongs there
  (:func:`graph_builder.topics.membership_weights`).
* Centrality of each concept in the ``CO_OCCURS`` graph: ``degree`` (partners)
  and ``centrality`` (degree centrality, partners / (concepts - 1)).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

from graph_builder.hierarchy import broader_terms
from graph_builder.mention_arrays import MentionArrays
from graph_builder.model import KnowledgeGraph, concept_order
from graph_builder.prominence import Credits, add_prominence
from graph_builder.schema import Label, Rel, node_id
from graph_builder.topics import (
    TopicOptions,
    assign_concepts,
    paper_clusters_and_memberships,
    stable_ids,
    topic_names,
)

__all__ = ["AnalysisOptions", "analyse", "broader_terms", "topics"]

_ROUND = 6


@dataclass(frozen=True, slots=True)
class AnalysisOptions:
    """Options of :func:`analyse`.

    ``seed`` goes to Louvain; ``topic_label_concepts`` is how many concept names
    make a topic's ``name``; ``neighbours`` how many most similar papers each
    paper is linked to when papers are clustered (see :mod:`graph_builder.topics`).
    """

    seed: int = 42
    topic_label_concepts: int = 3
    neighbours: int = 30

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def analyse(
    kg: KnowledgeGraph,
    options: AnalysisOptions = AnalysisOptions(),
    previous: dict[int, set[str]] | None = None,
) -> KnowledgeGraph:
    """Add ``BROADER`` edges, topics and centrality to a linked graph, in place; return it.

    ``previous``: the topics of a previous build of the corpus (topic id -> paper ids),
    whose ids are kept where a topic is essentially the same
    (:func:`graph_builder.topics.stable_ids`).

    Examples
    --------
    >>> from graph_builder.model import KnowledgeGraph
    >>> kg = KnowledgeGraph()
    >>> for key in ("neural network", "deep neural network", "mean field", "mean field framework"):
    ...     _ = kg.add_node(Label.CONCEPT, key, name=key, df=1, score=1.0)
    >>> sorted((u, v) for u, v, _ in analyse(kg).edges(Rel.BROADER))
    [('concept:deep neural network', 'concept:neural network'), \
('concept:mean field framework', 'concept:mean field')]
    """
    credits = Credits.of(kg, MentionArrays.of(kg))
    add_prominence(kg, credits)
    names = {data["key"]: data["name"] for _, data in kg.nodes(Label.CONCEPT)}
    for specific, general in sorted(broader_terms(names, names).items()):
        kg.add_edge(Rel.BROADER, node_id(Label.CONCEPT, specific), node_id(Label.CONCEPT, general))
    _add_centrality(kg)
    _add_topics(kg, options, previous or {}, credits)
    return kg


def _add_centrality(kg: KnowledgeGraph) -> None:
    """``degree`` (``CO_OCCURS`` partners) and ``centrality`` (degree / (concepts - 1)) of
    every concept, as :func:`networkx.degree_centrality` gives them on the undirected
    co-occurrence graph."""
    concepts = [data for _, data in kg.nodes(Label.CONCEPT)]
    pairs = {(u, v) if u <= v else (v, u) for u, v, _ in kg.edges(Rel.CO_OCCURS)}
    degree: Counter[str] = Counter()
    for u, v in pairs:
        degree[u] += 1
        degree[v] += 1  # a loop counts twice, as in networkx
    scale = 1.0 / (len(concepts) - 1) if len(concepts) > 1 else None
    for node, data in kg.nodes(Label.CONCEPT):
        data["degree"] = degree[node]
        data["centrality"] = round(degree[node] * scale, _ROUND) if scale else 1


def _add_topics(
    kg: KnowledgeGraph, options: AnalysisOptions, previous: dict[int, set[str]], credits: Credits
) -> None:
    mentions = credits.mentions
    clusters, weights = paper_clusters_and_memberships(kg, _topic_options(options), mentions)
    paper_ids = {node: data["paper_id"] for node, data in kg.nodes(Label.PAPER)}
    ids = stable_ids(clusters, previous, paper_ids)
    concept_topic = assign_concepts(kg, clusters, mentions)
    names = topic_names(kg, clusters, concept_topic, options.topic_label_concepts, credits=credits)
    members: list[list[str]] = [[] for _ in clusters]
    for concept, index in concept_topic.items():
        members[index].append(concept)
    for index, papers in enumerate(clusters):
        topic_id = ids[index]
        concepts = sorted(members[index], key=lambda n: concept_order(kg.graph.nodes[n]))
        name = ", ".join(kg.graph.nodes[n]["name"] for n in names[index])
        topic = kg.add_node(
            Label.TOPIC, topic_id, name=name, size=len(concepts), papers=len(papers)
        )
        for concept in concepts:
            kg.graph.nodes[concept]["community"] = topic_id
            kg.add_edge(Rel.IN_TOPIC, concept, topic)
        for paper in papers:
            kg.graph.nodes[paper]["topic"] = topic_id
            kg.add_edge(Rel.IN_TOPIC, paper, topic, weight=weights[paper])


def topics(kg: KnowledgeGraph, options: AnalysisOptions = AnalysisOptions()) -> list[list[str]]:
    """The papers' topics: lists of paper node ids, most papers first (see
    :func:`graph_builder.topics.paper_clusters`)."""
    return paper_clusters_and_memberships(kg, _topic_options(options))[0]


def _topic_options(options: AnalysisOptions) -> TopicOptions:
    return TopicOptions(neighbours=options.neighbours, seed=options.seed)
