"""Navigation over the bundled example; papers by date as listed in test_example's docstring."""

from __future__ import annotations

import itertools

import pytest

from graph_builder import KnowledgeGraph
from graph_builder.errors import QueryError
from graph_builder.navigation import (
    NotFound,
    concept,
    format_concept,
    format_paper,
    paper,
    path,
    topics,
)

DNN_DATES = ["2016-12-30", "2017-10-04", "2018-10-28", "2022-05-18", "2024-02-14"]


def test_mean_field_lists_its_one_paper_and_its_neighbours(example_graph: KnowledgeGraph) -> None:
    view = concept(example_graph, "mean-field")
    assert view["key"] == "mean field" and view["name"] == "mean-field"
    assert [p["date"] for p in view["papers"]] == ["2017-10-04"]
    assert view["papers"][0]["snippet"].startswith("Deep neural networks are widely used")
    assert [c["name"] for c in view["narrower"]] == ["mean-field framework"]
    assert view["broader"] == []
    partners = {c["key"] for c in view["co_occurring"]}
    assert {"mean field framework", "compact representation", "random weight"} <= partners
    assert "symmetry" not in partners
    assert view["topic"] is not None


@pytest.mark.parametrize("name", ["deep neural networks", "Deep-Neural-Network", "DNN"])
def test_concepts_are_found_by_any_written_form(example_graph: KnowledgeGraph, name: str) -> None:
    view = concept(example_graph, name)
    assert view["key"] == "deep neural network"
    assert sorted(p["date"] for p in view["papers"]) == DNN_DATES
    assert [c["key"] for c in view["broader"]] == ["neural network", "network"]


def test_papers_are_listed_best_first(example_graph: KnowledgeGraph) -> None:
    weights = [p["weight"] for p in concept(example_graph, "representation")["papers"]]
    assert len(weights) == 4 and weights == sorted(weights, reverse=True)


def test_unknown_concept_suggests_the_nearest(example_graph: KnowledgeGraph) -> None:
    with pytest.raises(NotFound) as caught:
        concept(example_graph, "meanfield")
    assert caught.value.suggestions[0] == "mean-field"
    assert "nearest: mean-field" in str(caught.value)
    with pytest.raises(NotFound) as caught:
        concept(example_graph, "neural")  # an adjective, never a concept on its own
    assert "neural network" in caught.value.suggestions


def test_paper_view(example_graph: KnowledgeGraph) -> None:
    mean_field_paper = concept(example_graph, "mean-field")["papers"][0]["paper_id"]
    view = paper(example_graph, mean_field_paper)
    assert view["date"] == "2017-10-04"
    # Its share of its similarity to the other nine papers that goes to topic 1's five others,
    # recomputed from the cosines of the paper vectors.
    assert (view["topic"]["topic_id"], view["topic"]["weight"]) == (1, 0.6824)
    assert "  topic 1: deep neural network, " in format_paper(view)
    assert format_paper(view).splitlines()[2].endswith(" (membership 0.68)")
    names = [c["name"] for c in view["concepts"]]
    assert "mean-field" in names and "mean-field framework" in names
    assert view["concepts"][0]["weight"] == 1.0
    assert view["related"], "paper 1 shares deep neural networks with papers 2, 3, 6 and 7"
    for related in view["related"]:
        assert related["shared"]
    assert "deep neural network" in {s for r in view["related"] for s in r["shared"]}
    with pytest.raises(NotFound):
        paper(example_graph, "no-such-paper")


def test_path_alternates_concepts_and_papers(example_graph: KnowledgeGraph) -> None:
    steps = path(example_graph, "mean-field", "symmetry")
    labels = [s["label"] for s in steps]
    assert labels[0] == labels[-1] == "Concept"
    assert all(a != b for a, b in itertools.pairwise(labels))
    assert steps[0]["key"] == "mean field" and steps[-1]["key"] == "symmetry"
    # mean-field is only in paper 1 (2017-10-04), symmetry only in paper 10 (2023-09-14)
    assert steps[1]["date"] == "2017-10-04" and steps[-2]["date"] == "2023-09-14"
    for i in range(1, len(steps) - 1, 2):
        concepts = example_graph.mentions.targets(f"paper:{steps[i]['paper_id']}")
        assert f"concept:{steps[i - 1]['key']}" in concepts
        assert f"concept:{steps[i + 1]['key']}" in concepts


def test_path_to_itself_and_unknown(example_graph: KnowledgeGraph) -> None:
    assert [s["key"] for s in path(example_graph, "symmetry", "symmetries")] == ["symmetry"]
    with pytest.raises(QueryError):
        path(example_graph, "symmetry", "no such thing")


def test_topics_list(example_graph: KnowledgeGraph) -> None:
    items = topics(example_graph)
    assert [t["topic_id"] for t in items] == list(range(1, len(items) + 1))
    every = {t["topic_id"]: t["concepts"] for t in topics(example_graph, concepts=10_000)}
    for item in items:
        # its names are its own concepts (not always the most prominent: a name must be
        # held by several of its papers, see graph_builder.topics.topic_names)
        assert set(item["name"].split(", ")) <= {c["name"] for c in every[item["topic_id"]]}
        ranks = [example_graph.graph.nodes[f"concept:{c['key']}"]["rank"] for c in item["concepts"]]
        assert ranks == sorted(ranks)


def test_a_concept_shows_its_timeline(example_graph: KnowledgeGraph) -> None:
    # deep neural network: papers of 2016-12-30, 2017-10-04, 2018-10-28, 2022-05-18, 2024-02-14.
    view = concept(example_graph, "deep neural networks")
    assert view["counts"] == dict(
        zip([str(y) for y in range(2016, 2025)], [1, 1, 1, 0, 0, 0, 1, 0, 1], strict=True)
    )
    assert (view["first_date"], view["last_date"], view["bursts"]) == (
        "2016-12-30",
        "2024-02-14",
        [],
    )
    text = format_concept(view)
    # Fractional years (day - 0.5) / days: 2016.996, 2017.758, 2018.823, 2022.377, 2024.122.
    assert view["mean_year"] == 2020.02
    assert "  timeline: 2016-12-30 to 2024-02-14, mean year 2020.02" in text
    assert "    2016 ███   █ █ 2024  1 1 1 0 0 0 1 0 1" in text
