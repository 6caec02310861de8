"""Prominence and rank on hand-made graphs, every figure worked out by hand."""

from graph_builder.model import KnowledgeGraph, concept_order
from graph_builder.prominence import BEST, add_prominence, prominence
from graph_builder.schema import Label, Rel


def _graph(papers: dict[str, list[tuple[str, float]]]) -> KnowledgeGraph:
    """Papers with (concept key, MENTIONS weight) lists; df counted from them."""
    kg = KnowledgeGraph()
    df: dict[str, int] = {}
    for mentions in papers.values():
        for key, _ in mentions:
            df[key] = df.get(key, 0) + 1
    concepts = {key: kg.add_node(Label.CONCEPT, key, name=key, df=n) for key, n in df.items()}
    for paper, mentions in papers.items():
        node = kg.add_node(Label.PAPER, paper)
        for key, weight in mentions:
            kg.add_edge(Rel.MENTIONS, node, concepts[key], weight=weight)
    return kg


def test_a_generic_word_in_every_paper_ranks_below_what_papers_are_about() -> None:
    # "algorithm" is in all four papers but never among a paper's first places;
    # "genetic algorithm" leads two papers, "fuzzy logic" one, "neural network" is second once.
    kg = _graph(
        {
            "p1": [("genetic algorithm", 1.0), ("algorithm", 0.4)],
            "p2": [("genetic algorithm", 0.8), ("crossover", 0.6), ("algorithm", 0.3)],
            "p3": [("fuzzy logic", 1.0), ("neural network", 0.5), ("algorithm", 0.2)],
            "p4": [("control", 0.9), ("algorithm", 0.6)],
        }
    )
    got = prominence(kg)
    # genetic algorithm: 1.0/1 + 0.8/1; algorithm: 0.4/2 + 0.3/3 + 0.2/3 + 0.6/2
    assert got["concept:genetic algorithm"] == 1.8
    assert got["concept:algorithm"] == round(0.2 + 0.1 + 0.2 / 3 + 0.3, 6)
    assert got["concept:crossover"] == 0.3
    assert got["concept:neural network"] == 0.25
    add_prominence(kg)
    order = sorted((d for _, d in kg.nodes(Label.CONCEPT)), key=lambda d: d["rank"])
    assert [d["key"] for d in order] == [
        "genetic algorithm",  # 1.8
        "fuzzy logic",  # 1.0
        "control",  # 0.9
        "algorithm",  # 0.666667, though in all four papers
        "crossover",  # 0.3
        "neural network",  # 0.25
    ]
    assert [d["rank"] for d in order] == [1, 2, 3, 4, 5, 6]
    assert [d["key"] for d in kg.top_concepts(2)] == ["genetic algorithm", "fuzzy logic"]


def test_only_a_papers_best_concepts_earn_credit() -> None:
    mentions = [(f"c{i}", 1.0 - i / 10) for i in range(BEST + 2)]
    got = prominence(_graph({"p1": mentions}))
    assert got[f"concept:c{BEST - 1}"] == round((1.0 - (BEST - 1) / 10) / BEST, 6)
    assert got[f"concept:c{BEST}"] == 0.0
    assert got[f"concept:c{BEST + 1}"] == 0.0


def test_ties_go_to_more_papers_then_score_then_key() -> None:
    rows = [
        {"key": "b", "prominence": 1.0, "df": 2, "score": 0.5},
        {"key": "a", "prominence": 1.0, "df": 2, "score": 0.5},
        {"key": "c", "prominence": 1.0, "df": 2, "score": 0.9},
        {"key": "d", "prominence": 1.0, "df": 3, "score": 0.1},
        {"key": "e", "prominence": 2.0, "df": 1, "score": 0.1},
    ]
    assert [r["key"] for r in sorted(rows, key=concept_order)] == ["e", "d", "c", "a", "b"]


def test_a_graph_without_prominence_falls_back_to_papers() -> None:
    rows = [{"key": "x", "df": 1}, {"key": "y", "df": 4}]
    assert [r["key"] for r in sorted(rows, key=concept_order)] == ["y", "x"]


def test_equal_weights_in_a_paper_are_placed_by_key() -> None:
    got = prominence(_graph({"p1": [("beta", 0.5), ("alpha", 0.5)]}))
    assert got == {"concept:beta": 0.25, "concept:alpha": 0.5}
