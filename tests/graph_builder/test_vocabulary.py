from graph_builder.concepts.candidates import Candidate, PaperCandidates
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
