from graph_builder.concepts.candidates import Candidate, PaperCandidates
from graph_builder.concepts.scoring import specificity
from graph_builder.thesaurus import Thesaurus
from graph_builder.vocabulary import build_vocabulary, idf


def cand(key: str, parent: str | None = None, surface: str | None = None, position: float = 0.5):
    return Candidate(key=key, name=key, surface=surface or key, position=position, parent=parent)


def test_nested_single_word_needs_to_stand_alone_somewhere() -> None:
    vocabulary = build_vocabulary(
        [
            PaperCandidates(
                "a", [cand("deep neural network"), cand("neural", "deep neural network")]
            ),
            PaperCandidates("b", [cand("neural", "neural code"), cand("neural code")]),
        ]
    )
    assert "neural" not in vocabulary.concepts


def test_nested_phrase_in_two_different_terms_is_kept() -> None:
    vocabulary = build_vocabulary(
        [
            PaperCandidates(
                "a", [cand("deep neural network"), cand("neural network", "deep neural network")]
            ),
            PaperCandidates(
                "b",
                [
                    cand("recurrent neural network"),
                    cand("neural network", "recurrent neural network"),
                ],
            ),
            PaperCandidates("c", [cand("graph kernel"), cand("kernel", "graph kernel")]),
        ]
    )
    assert vocabulary.concepts["neural network"].df == 2
    assert "kernel" not in vocabulary.concepts


def test_nested_hyphen_compound_is_kept() -> None:
    vocabulary = build_vocabulary(
        [
            PaperCandidates(
                "a",
                [
                    cand("mean field framework"),
                    cand("mean field", "mean field framework", "mean-field"),
                ],
            )
        ]
    )
    assert vocabulary.concepts["mean field"].name == "mean field"


def test_space_variants_merge_to_the_most_frequent_key() -> None:
    vocabulary = build_vocabulary(
        [
            PaperCandidates("a", [cand("backpropagation"), cand("backpropagation")]),
            PaperCandidates("b", [cand("back propagation")]),
        ]
    )
    assert "back propagation" not in vocabulary.concepts
    assert vocabulary.concepts["backpropagation"].df == 2
    assert vocabulary.concepts["backpropagation"].aliases == ("back propagation",)


def test_weights_favour_frequent_early_and_rare_terms() -> None:
    vocabulary = build_vocabulary(
        [
            PaperCandidates(
                "a",
                [
                    cand("spin glass", position=0.0),
                    cand("spin glass"),
                    cand("lattice", position=0.9),
                ],
            ),
            PaperCandidates("b", [cand("lattice")]),
        ]
    )
    weights = {m.key: m.weight for m in vocabulary.mentions[0]}
    assert weights["spin glass"] == 1.0 > weights["lattice"] > 0
    assert [m.key for m in vocabulary.mentions[0]] == ["spin glass", "lattice"]
    assert vocabulary.concepts["lattice"].df == 2


def test_idf_orders_rarity() -> None:
    assert idf(1, 100) > idf(10, 100) > idf(100, 100) == 1.0


def test_thesaurus_merges_synonyms_and_drops_terms() -> None:
    thesaurus = Thesaurus.from_pairs([("neural nets", "neural network"), ("this paper", "")])
    vocabulary = build_vocabulary(
        [
            PaperCandidates("a", [cand("neural net"), cand("this paper")]),
            PaperCandidates("b", [cand("neural network")]),
        ],
        thesaurus=thesaurus,
    )
    assert sorted(vocabulary.concepts) == ["neural network"]
    assert vocabulary.concepts["neural network"].df == 2
    assert [m.key for m in vocabulary.mentions[0]] == ["neural network"]


def test_seed_inside_longer_terms_becomes_a_concept() -> None:
    papers = [
        PaperCandidates("a", [cand("symmetry breaking"), cand("symmetry", "symmetry breaking")]),
        PaperCandidates("b", [cand("lattice symmetry"), cand("symmetry", "lattice symmetry")]),
    ]
    # Without a seed, "symmetry" is the head of only one longer term: not a concept.
    assert "symmetry" not in build_vocabulary(papers).concepts
    vocabulary = build_vocabulary(papers, seeds=["Symmetries"])
    assert vocabulary.concepts["symmetry"].df == 2
    assert vocabulary.concepts["symmetry"].name == "Symmetries"
    # The nested candidate gave way to the seed: one occurrence each, not two.
    assert [m.count for m in vocabulary.mentions[1] if m.key == "symmetry"] == [1]


def test_head_of_two_longer_terms_is_a_concept() -> None:
    vocabulary = build_vocabulary(
        [
            PaperCandidates(
                "a",
                [
                    cand("discovered symmetry"),
                    cand("symmetry", "discovered symmetry"),
                    cand("learned symmetry"),
                    cand("symmetry", "learned symmetry"),
                ],
            )
        ]
    )
    assert "symmetry" in vocabulary.concepts


def test_single_words_and_nested_terms_rank_below_phrases() -> None:
    vocabulary = build_vocabulary(
        [
            PaperCandidates(
                "a",
                [
                    cand("lattice", position=0.0),
                    cand("spin glass", position=0.5),
                    cand("ising spin model", position=0.6),
                    cand("spin model", "ising spin model", position=0.6),
                    cand("spin model", "xy spin model", position=0.7),
                    cand("xy spin model", position=0.7),
                ],
            )
        ]
    )
    ranked = [m.key for m in vocabulary.mentions[0]]
    assert ranked.index("spin glass") < ranked.index("lattice")
    assert ranked.index("lattice") < ranked.index("spin model")


def test_everyday_words_are_less_specific_than_technical_terms() -> None:
    assert specificity("eigenvalue") > specificity("spin glass") > specificity("important role")
    assert specificity("the") == 0.0


def test_abbreviation_defined_in_one_paper_is_spelled_out_in_another() -> None:
    vocabulary = build_vocabulary(
        [
            PaperCandidates(
                "a",
                [cand("deep neural network")],
                {"DNN": ("deep neural network", "Deep Neural Network")},
            ),
            PaperCandidates(
                "b",
                [
                    Candidate("dnn training", "DNN training", "DNN training", 0.1),
                    Candidate("dnn", "DNN", "DNN", 0.1, "dnn training"),
                ],
            ),
        ]
    )
    assert sorted(vocabulary.concepts) == ["deep neural network", "deep neural network training"]
    training = vocabulary.concepts["deep neural network training"]
    assert (training.name, training.aliases) == ("Deep Neural Network training", ("DNN training",))
    # One name each ("deep neural network" in a, "Deep Neural Network" in b): a tie of
    # count and length goes to the first in code point order, capitals first.
    network = vocabulary.concepts["deep neural network"]
    assert (network.name, network.aliases, network.df) == (
        "Deep Neural Network",
        ("DNN", "deep neural network"),
        2,
    )


def test_concept_name_is_the_commonest_then_the_shortest() -> None:
    def named(key: str, name: str) -> Candidate:
        return Candidate(key, name, name, 0.5)

    vocabulary = build_vocabulary(
        [
            PaperCandidates("a", [named("graph", "Graph"), named("graph", "Graph")]),
            PaperCandidates("b", [named("graph", "graph"), named("gnn", "GNNs")]),
            PaperCandidates("c", [named("gnn", "GNN")]),
        ]
    )
    assert vocabulary.concepts["graph"].name == "Graph"
    assert vocabulary.concepts["graph"].aliases == ("graph",)
    assert vocabulary.concepts["gnn"].name == "GNN"
    assert vocabulary.concepts["gnn"].aliases == ("GNNs",)


def test_pieces_of_longer_terms_and_misread_verbs_are_dropped() -> None:
    # "neural" alone where the tagger took "networks" for a verb; "carlo" alone where
    # it dropped "Monte"; "vanishe" from "vanishes" read as a plural noun.
    papers = [
        PaperCandidates(
            str(i),
            [
                cand("deep neural network"),
                cand("neural code"),
                cand("monte carlo"),
                cand("quantum monte carlo"),
                cand("graph"),
            ],
        )
        for i in range(8)
    ]
    papers.append(
        PaperCandidates(
            "x",
            [
                cand("neural"),
                cand("carlo"),
                Candidate("gradient vanishe", "gradient vanishe", "gradient vanishes", 0.1),
                Candidate("graph", "graph", "graphs", 0.2),
            ],
        )
    )
    vocabulary = build_vocabulary(papers)
    assert {"deep neural network", "monte carlo", "graph"} <= set(vocabulary.concepts)
    assert not {"neural", "carlo", "gradient vanishe"} & set(vocabulary.concepts)


def test_nested_phrase_always_followed_by_the_same_word_is_no_concept() -> None:
    vocabulary = build_vocabulary(
        [
            PaperCandidates(
                "a",
                [cand("large language model"), cand("large language", "large language model")],
            ),
            PaperCandidates(
                "b",
                [
                    cand("multimodal large language model"),
                    cand("large language", "multimodal large language model"),
                ],
            ),
        ]
    )
    assert "large language" not in vocabulary.concepts


def test_short_form_is_an_alias_only_of_the_concept_the_corpus_says_it_stands_for() -> None:
    common = ("multimodal large language model", "multimodal large language model")
    papers = [
        PaperCandidates(str(i), [Candidate(common[0], common[0], "MLLM", 0.1)], {"MLLM": common})
        for i in range(3)
    ]
    papers.append(
        PaperCandidates(
            "odd",
            [Candidate("large language model", "large language model", "MLLM", 0.1)],
            {"MLLM": ("large language model", "large language model")},
        )
    )
    vocabulary = build_vocabulary(papers)
    assert "MLLM" in vocabulary.concepts["multimodal large language model"].name + str(
        vocabulary.concepts["multimodal large language model"].aliases
    )
    assert "MLLM" not in vocabulary.concepts["large language model"].aliases
