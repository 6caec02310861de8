"""The corpus-level vocabulary on small corpora parsed by the real spaCy pipeline.

Each case is a defect seen on real corpora: an abbreviation defined in one paper
rewriting ordinary words in others, names losing their capitals or accents,
pieces of words becoming concepts.
"""

from __future__ import annotations

from graph_builder import Corpus, Paper, rank_concepts
from graph_builder.concepts import extract_candidates, load_pipeline
from graph_builder.vocabulary import Vocabulary, build_vocabulary


def vocabulary_of(*abstracts: str) -> Vocabulary:
    papers = [Paper(f"p{i}", text) for i, text in enumerate(abstracts)]
    return build_vocabulary(extract_candidates(papers, load_pipeline()))


def keys_of(vocabulary: Vocabulary, paper: int) -> set[str]:
    return {m.key for m in vocabulary.mentions[paper]}


def test_abbreviation_spelling_a_word_does_not_rewrite_the_word_elsewhere() -> None:
    vocabulary = vocabulary_of(
        "We present a TabPFN-integrated multimodal engine (TIME) and a path-aware "
        "transformer helper (PATH) with a pseudo object space error (POSE).",
        "Real-time forecasting of time series needs a short path.",
        "The pose estimation of robots works in real-time with a path planner.",
        "Time series models and path planning for pose estimation.",
    )
    for paper in (1, 2, 3):
        assert not any(
            "tabpfn" in k or "pseudo" in k or "helper" in k for k in keys_of(vocabulary, paper)
        )
    assert {"real time forecasting", "time series"} <= keys_of(vocabulary, 1)
    assert "pose estimation" in keys_of(vocabulary, 2)
    assert vocabulary.concepts["time series"].name == "time series"


def test_abbreviation_joins_its_long_form_across_papers_written_the_same_way() -> None:
    vocabulary = vocabulary_of(
        "Reinforcement learning (RL) trains agents with large language models (LLMs).",
        "Agents trained by RL explore mazes. LLMs plan the routes.",
        "An rl value is a number.",  # lowercase: not the abbreviation
    )
    assert {"reinforcement learning", "large language model"} <= keys_of(vocabulary, 1)
    assert not {"rl", "llm"} & keys_of(vocabulary, 1)
    rl = vocabulary.concepts["reinforcement learning"]
    assert rl.df == 2 and "RL" in rl.aliases
    assert "LLMs" in vocabulary.concepts["large language model"].aliases


def test_the_corpus_common_definition_beats_one_paper_rare_one() -> None:
    vocabulary = vocabulary_of(
        "Graph neural networks (GNNs) classify nodes.",
        "We train graph neural networks (GNN) on molecules.",
        "A gated noise network (GNN) denoises audio.",
        "The GNN predicts links.",
    )
    assert "graph neural network" in keys_of(vocabulary, 3)
    assert "gated noise network" not in keys_of(vocabulary, 3)
    # The paper that makes the rare definition keeps it for itself.
    assert "gated noise network" in keys_of(vocabulary, 2)


def test_self_supervised_learning_is_the_whole_hyphenated_word() -> None:
    vocabulary = vocabulary_of(
        "Self-supervised learning (SSL) pretrains encoders.",
        "SSL features transfer to detection.",
    )
    assert "self supervised learning" in keys_of(vocabulary, 1)
    assert "supervised learning" not in vocabulary.concepts
    assert "ssl feature" not in vocabulary.concepts


def test_plural_abbreviation_as_modifier_is_spelled_out() -> None:
    (item,) = rank_concepts(
        Corpus([Paper("p", "Large language models (LLMs) write code. Our LLMs agents plan tasks.")])
    )
    keys = {m.key for m, _ in item.concepts}
    assert "large language model" in keys
    assert not any(k.startswith("llm") for k in keys)


def test_names_keep_capitals_and_accents_and_variants_share_a_key() -> None:
    vocabulary = vocabulary_of(
        "We solve the Schrödinger equation on a Kähler manifold. We run the k-means algorithm.",
        "A neural solver of the Schrödinger equation uses MACE potentials.",
        "Solving the time-dependent Schrödinger equation with MACE.",
        "The schrodinger equation on a compact Kähler manifold; Kähler manifolds are nice.",
    )
    equation = vocabulary.concepts["schrodinger equation"]
    assert (equation.name, equation.df) == ("Schrödinger equation", 4)
    assert "schrödinger equation" not in vocabulary.concepts
    assert vocabulary.concepts["kahler manifold"].name == "Kähler manifold"
    assert vocabulary.concepts["k means algorithm"].name == "k-means algorithm"
    assert vocabulary.concepts["mace potential"].name == "MACE potential"


def test_pieces_variables_venues_and_glued_headings_are_not_terms() -> None:
    vocabulary = vocabulary_of(
        "This paper reviews and addresses the principles of linear controller design.",
        "We compute the edit distance d of an ordered labeled tree T in SIAM J. Comput. style.",
        "AbstractSoftware architecture shapes 3G mobile networks in Phase II trials.",
    )
    keys = set(vocabulary.concepts)
    assert {"linear controller design", "edit distance", "software architecture"} <= keys
    assert "3g mobile network" in keys
    assert not {"paper review", "edit distance d", "ordered labeled tree t", "ii"} & keys
    assert not any("j." in k or "abstract" in k or k.startswith("g ") for k in keys)


def test_praise_and_size_are_stripped_unless_the_corpus_makes_them_a_term() -> None:
    vocabulary = vocabulary_of(
        "An efficient algorithm for general relativity simulations with large language models.",
        "A novel algorithm tests general relativity; large language models help.",
        "The algorithm checks general relativity with a large language model.",
        "A robust solver is robust; a large number of large-scale datasets.",
    )
    keys = set(vocabulary.concepts)
    assert not {"robust", "large number", "large scale dataset"} & keys
    assert {"general relativity", "large language model", "algorithm"} <= keys
    assert not {"efficient algorithm", "novel algorithm"} & keys


def test_short_form_inside_a_definition_is_spelled_out() -> None:
    # "Multimodal LLMs (MLLMs)" defines MLLM with a short form inside its long form.
    vocabulary = vocabulary_of(
        "Large language models (LLMs) answer questions. Multimodal LLMs (MLLMs) read images.",
        "We propose visual instruction tuning for multimodal LLMs (MLLMs) on charts.",
        "The MLLM describes scenes; LLMs write captions.",
        "Multimodal large language models fail on charts.",
    )
    assert "multimodal llm" not in vocabulary.concepts
    mllm = vocabulary.concepts["multimodal large language model"]
    assert mllm.df == 4
    assert {"MLLM", "multimodal LLMs"} <= set(mllm.aliases)
    assert "multimodal large language model" in keys_of(vocabulary, 2)


def test_hyphenated_of_compound_keeps_its_plural_and_one_is_no_concept() -> None:
    vocabulary = vocabulary_of(
        "Sparse mixture-of-experts models route tokens. One of the models wins; other ones fail.",
        "We use mixture-of-experts layers; one suffices, and bag-of-words features help.",
    )
    keys = set(vocabulary.concepts)
    assert {"mixture of experts", "bag of words"} <= keys
    assert vocabulary.concepts["mixture of experts"].name == "mixture-of-experts"
    assert not {"mixture of expert", "bag of word", "one"} & keys


def test_tied_definitions_go_to_the_long_form_the_corpus_writes_most() -> None:
    # MD is defined once as "molecular dynamics" and once as "mean diffusivity": the
    # corpus writes "molecular dynamics" in two papers, "mean diffusivity" in one.
    vocabulary = vocabulary_of(
        "Protein data come from molecular dynamics (MD) simulations of folding.",
        "We report fractional anisotropy and mean diffusivity (MD) of brain tissue.",
        "Molecular dynamics of liquids is slow. The MD trajectories are long.",
    )
    assert "molecular dynamics trajectory" in keys_of(vocabulary, 2)
    assert "mean diffusivity" not in keys_of(vocabulary, 2)
    assert "MD" in vocabulary.concepts["molecular dynamics"].aliases
    assert "mean diffusivity" in keys_of(vocabulary, 1)


def test_long_forms_of_one_short_form_differing_in_endings_are_one_concept() -> None:
    vocabulary = vocabulary_of(
        "Machine-learned interatomic potentials (MLIPs) need reference data.",
        "Machine learning interatomic potentials (MLIPs) model materials at scale.",
        "Universal MLIPs fail on surfaces.",
        "We distil machine-learned interatomic potentials into smaller students.",
    )
    keys = {k for k in vocabulary.concepts if "interatomic" in k}
    assert keys == {
        "interatomic potential",
        "machine learned interatomic potential",
        "universal machine learned interatomic potential",
    }
    assert vocabulary.concepts["machine learned interatomic potential"].df == 4


def test_manner_modifier_before_a_generic_noun_is_no_term() -> None:
    vocabulary = vocabulary_of(
        "Deep learning is an experiment-driven field. We solve a difficult problem with a "
        "learning-based method and model-based reinforcement learning.",
        "A data-driven approach to modern reasoning systems.",
    )
    keys = set(vocabulary.concepts)
    assert {"deep learning", "model based reinforcement learning", "reasoning system"} <= keys
    assert not keys & {
        "experiment driven field",
        "difficult problem",
        "learning based method",
        "data driven approach",
        "modern reasoning system",
    }


def test_multiple_is_size_unless_the_corpus_makes_it_a_term() -> None:
    vocabulary = vocabulary_of(
        "We fuse multiple modalities for patients with multiple sclerosis.",
        "Multiple sclerosis lesions are segmented from two modalities.",
    )
    keys = set(vocabulary.concepts)
    assert {"multiple sclerosis", "modality"} <= keys
    assert "multiple modality" not in keys
