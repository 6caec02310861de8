"""Prominence and rank on hand-made graphs, every figure worked out by hand."""

from graph_builder.model import KnowledgeGraph, concept_order
from graph_builder.prominence import BEST, SHARED, add_prominence, prominence
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


def test_a_generic_word_in_every_paper_ranks_below_what_two_papers_are_about() -> None:
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
    # Credit times df / (df + 25 / 4): genetic algorithm (1.0/1 + 0.8/1) * 2 / 8.25;
    # algorithm (0.4/2 + 0.3/3 + 0.2/3 + 0.6/2) * 4 / 10.25; one-paper concepts / 7.25.
    assert SHARED == 25.0
    assert got["concept:genetic algorithm"] == 0.436364
    assert got["concept:algorithm"] == 0.260163
    assert got["concept:fuzzy logic"] == 0.137931
    assert got["concept:control"] == 0.124138
    assert got["concept:crossover"] == 0.041379  # 0.6 / 2 / 7.25
    assert got["concept:neural network"] == 0.034483  # 0.5 / 2 / 7.25
    add_prominence(kg)
    order = sorted((d for _, d in kg.nodes(Label.CONCEPT)), key=lambda d: d["rank"])
    assert [d["key"] for d in order] == [
        "genetic algorithm",
        "algorithm",  # in the best five of all four papers: the corpus's shared word
        "fuzzy logic",
        "control",
        "crossover",
        "neural network",
    ]
    assert [d["rank"] for d in order] == [1, 2, 3, 4, 5, 6]
    assert [d["key"] for d in kg.top_concepts(2)] == ["genetic algorithm", "algorithm"]


def test_shared_concepts_lead_a_small_corpus_and_barely_move_in_a_large_one() -> None:
    # Ten papers: each leads with its own phrase (weight 1.0); "deep learning" is second
    # (0.98) in one paper and sixth or later in three. Unshrunk it would earn 0.49 against
    # 1.0; shrunk, 0.49 * 4 / (4 + 2.5) = 0.301538 against 1 / 3.5 = 0.285714.
    papers = {
        f"p{i}": [(f"own {i}", 1.0)] + [(f"filler {i} {j}", 0.9) for j in range(5)]
        for i in range(10)
    }
    papers["p0"].insert(1, ("deep learning", 0.98))
    for i in (1, 2, 3):
        papers[f"p{i}"].append(("deep learning", 0.5))
    got = prominence(_graph(papers))
    assert got["concept:deep learning"] == 0.301538
    assert got["concept:own 0"] == 0.285714
    # The same ten papers among 1,000 (990 more, of other concepts): 2.5 -> 0.025.
    papers |= {f"q{i}": [(f"other {i}", 1.0)] for i in range(990)}
    got = prominence(_graph(papers))
    assert got["concept:own 0"] == round(1 / 1.025, 6)
    assert got["concept:deep learning"] == round(0.49 * 4 / 4.025, 6)


def test_only_a_papers_best_concepts_earn_credit() -> None:
    mentions = [(f"c{i}", 1.0 - i / 10) for i in range(BEST + 2)]
    got = prominence(_graph({"p1": mentions}))
    # One paper: every credit times df / (df + 25 / 1) = 1 / 26.
    assert got[f"concept:c{BEST - 1}"] == round((1.0 - (BEST - 1) / 10) / BEST / 26, 6)
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
    assert got == {"concept:beta": round(0.25 / 26, 6), "concept:alpha": round(0.5 / 26, 6)}
