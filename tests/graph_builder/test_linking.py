import pytest

from graph_builder import KnowledgeGraph, LinkOptions, Paper
from graph_builder.linking import link
from graph_builder.schema import Label, Rel
from graph_builder.vocabulary import ConceptInfo, Mention, Vocabulary, idf


def vocabulary(*papers: set[str]) -> Vocabulary:
    df: dict[str, int] = {}
    for concepts in papers:
        for key in concepts:
            df[key] = df.get(key, 0) + 1
    return Vocabulary(
        concepts={k: ConceptInfo(k, k, (), df[k], 0.0) for k in sorted(df)},
        mentions=[[Mention(k, 1, 1.0, (k,)) for k in sorted(p)] for p in papers],
    )


def papers(n: int) -> list[Paper]:
    return [Paper(f"p{i}", f"abstract {i}") for i in range(n)]


def related(kg) -> dict[tuple[str, str], float]:
    return {(u, v): d["weight"] for u, v, d in kg.edges(Rel.RELATED_TO)}


def test_rare_shared_concept_counts_more_than_a_common_one() -> None:
    vocab = vocabulary({"rare", "common"}, {"rare"}, {"common"}, {"common"})
    weights = related(link(papers(4), vocab))
    assert weights["paper:p0", "paper:p1"] > weights["paper:p0", "paper:p2"]
    # cosine of idf-weighted vectors, by hand: p0 = (idf(2), idf(3)) normalised, p1 = (1, 0);
    # each concept is one word, whose entry is then proportional to the concept's: no change
    rare, common = idf(2, 4), idf(3, 4)
    assert weights["paper:p0", "paper:p1"] == pytest.approx(
        rare / (rare**2 + common**2) ** 0.5, abs=1e-4
    )
    assert weights["paper:p2", "paper:p3"] == 1.0


def test_words_of_concepts_strengthen_a_link() -> None:
    # p0 and p1 also share the word "quantum" (of their second concepts), p0 and p2 do not;
    # "quantum gravity" and "graphene sheet" are equally rare, so concepts alone would tie.
    vocab = vocabulary(
        {"quantum dot", "quantum field"},
        {"quantum dot", "quantum gravity"},
        {"quantum dot", "graphene sheet"},
    )
    kg = link(papers(3), vocab)
    weights = related(kg)
    assert weights["paper:p0", "paper:p1"] > weights["paper:p0", "paper:p2"]
    shared = {(u, v): d["shared"] for u, v, d in kg.edges(Rel.RELATED_TO)}
    assert shared["paper:p0", "paper:p1"] == ["quantum dot"]


def test_a_shared_word_alone_links_nobody() -> None:
    weights = related(link(papers(3), vocabulary({"quantum optic"}, {"quantum chemistry"}, {"x"})))
    assert weights == {}


def test_papers_without_a_shared_concept_are_not_related() -> None:
    weights = related(link(papers(3), vocabulary({"a"}, {"b"}, {"a"})))
    assert set(weights) == {("paper:p0", "paper:p2")}


def test_shared_lists_the_concepts_behind_a_link() -> None:
    kg = link(papers(2), vocabulary({"a", "b", "c"}, {"a", "b"}))
    ((_, _, data),) = kg.edges(Rel.RELATED_TO)
    assert sorted(data["shared"]) == ["a", "b"]


def test_top_k_keeps_each_papers_strongest_links() -> None:
    vocab = vocabulary({"x", "y"}, {"x", "y"}, {"x"}, {"y", "z"})
    all_edges = related(link(papers(4), vocab))
    top1 = related(link(papers(4), vocab, LinkOptions(related_top_k=1)))
    assert len(top1) < len(all_edges)
    assert ("paper:p0", "paper:p1") in top1


def test_mentions_and_nodes_follow_the_schema() -> None:
    kg = link(papers(2), vocabulary({"a"}, {"a", "b"}))
    assert [d["label"] for _, d in kg.graph.nodes(data=True)] == [
        "Paper",
        "Paper",
        "Concept",
        "Concept",
    ]
    assert kg.count(Rel.MENTIONS) == 3
    assert all(d["type"] == k for _, _, k, d in kg.view.edges(keys=True, data=True))
    assert kg.graph.nodes["paper:p1"]["paper_id"] == "p1"
    assert kg.count(Label.CONCEPT) == 2


def test_co_occurrence_counts_papers_and_association_strength() -> None:
    kg = link(papers(4), vocabulary({"a", "b"}, {"a", "b"}, {"a", "c"}, {"d"}))
    pairs = {(u, v): (d["papers"], d["strength"]) for u, v, d in kg.edges(Rel.CO_OCCURS)}
    # a: 3 papers, b: 2, c: 1; N = 4. strength = papers * N / (df_a * df_b)
    assert pairs["concept:a", "concept:b"] == (2, round(2 * 4 / (3 * 2), 4))
    assert pairs["concept:a", "concept:c"] == (1, round(1 * 4 / (3 * 1), 4))
    assert ("concept:b", "concept:c") not in pairs


def test_a_concept_in_too_many_papers_links_nobody_by_itself() -> None:
    vocab = vocabulary({"everywhere"}, {"everywhere"}, {"everywhere"})
    assert related(link(papers(3), vocab, LinkOptions(max_concept_papers=2))) == {}
    assert len(related(link(papers(3), vocab))) == 3


def weighted(*papers: list[str]) -> Vocabulary:
    """A vocabulary whose papers list their concepts best first (weights 1, 0.9, 0.8...)."""
    vocab = vocabulary(*(set(p) for p in papers))
    vocab.mentions = [
        [Mention(k, 1, round(1 - 0.1 * rank, 1), (k,)) for rank, k in enumerate(p)] for p in papers
    ]
    return vocab


def test_a_large_corpus_keeps_shared_concepts_and_each_papers_key_phrases() -> None:
    # p0's own terms: "own best" ranks first, "own minor" third; "shared" is in both papers.
    vocab = weighted(["own best", "shared", "own minor"], ["shared", "other"])
    options = LinkOptions(concept_min_papers=2, keyphrases_per_paper=1)
    kg = link(papers(2), vocab, options)
    concepts = {d["key"] for _, d in kg.nodes(Label.CONCEPT)}
    assert concepts == {"own best", "shared"}  # "other" is p1's second, "own minor" p0's third
    assert {v for _, v, _ in kg.edges(Rel.MENTIONS)} == {"concept:own best", "concept:shared"}
    assert kg.graph.nodes["concept:shared"]["df"] == 2


def test_small_corpora_keep_every_concept_and_large_ones_need_two_papers() -> None:
    assert LinkOptions().min_papers(99) == (1, 1)
    assert LinkOptions().min_papers(100) == (2, 2)
    assert LinkOptions(concept_min_papers=3, cooccur_min_papers=1).min_papers(5000) == (3, 1)


def test_a_pair_seen_in_one_paper_does_not_co_occur_when_two_are_required() -> None:
    vocab = vocabulary({"a", "b", "c"}, {"a", "b", "c"}, {"a", "c"}, {"b"})
    kg = link(papers(4), vocab, LinkOptions(cooccur_min_papers=3))
    pairs = {(u, v): d["papers"] for u, v, d in kg.edges(Rel.CO_OCCURS)}
    # a+b: papers 0, 1; a+c: papers 0, 1, 2; b+c: papers 0, 1
    assert pairs == {("concept:a", "concept:c"): 3}


def test_shared_lists_only_concepts_that_are_nodes() -> None:
    # "rare" is shared by p0 and p1 but needs 3 papers to be a node; nobody has it first.
    vocab = weighted(["x", "rare"], ["y", "rare"], ["z"])
    kg = link(papers(3), vocab, LinkOptions(concept_min_papers=3, keyphrases_per_paper=1))
    ((_, _, data),) = kg.edges(Rel.RELATED_TO)
    assert data["shared"] == []
    assert "concept:rare" not in kg.graph


def test_counts_give_every_label_and_type_in_one_pass() -> None:
    kg = KnowledgeGraph()
    first = kg.add_node(Label.PAPER, "p1", title="one")
    second = kg.add_node(Label.PAPER, "p2", title="two")
    concept = kg.add_node(Label.CONCEPT, "graph", name="graph")
    kg.add_edges(Rel.MENTIONS, [(first, concept, {"weight": 1.0}), (second, concept, {})])
    kg.add_edge(Rel.RELATED_TO, first, second, weight=0.5)
    counts = kg.counts()
    assert counts == {
        **dict.fromkeys((*Label, *Rel), 0),
        Label.PAPER: 2,
        Label.CONCEPT: 1,
        Rel.MENTIONS: 2,
        Rel.RELATED_TO: 1,
    }
    assert all(counts[member] == kg.count(member) for member in (*Label, *Rel))
