"""The hierarchy of concepts: hand-checked keys, and a small corpus through the real pipeline."""

from __future__ import annotations

from graph_builder import Corpus, Paper, build_graph
from graph_builder.hierarchy import broader_terms
from graph_builder.schema import Rel


def test_a_generic_head_never_makes_a_modifier_the_broader_term() -> None:
    names = {"mean": "mean", "field": "field", "mean field": "mean-field"}
    assert broader_terms(names, names) == {}
    assert broader_terms(["mean", "mean field"]) == {}  # without names either


def test_a_theory_of_a_compound_is_narrower_than_the_compound() -> None:
    names = {
        "mean field": "mean-field",
        "field theory": "field theory",
        "mean field theory": "mean-field theory",
        "mean field dynamics": "mean field dynamics",
        "dynamics": "dynamics",
        "field dynamics": "field dynamics",
    }
    assert broader_terms(names, names) == {
        "mean field theory": "mean field",
        "mean field dynamics": "dynamics",  # [mean field] dynamics, not mean [field dynamics]
        "field dynamics": "dynamics",
    }


def test_negated_and_agnostic_compounds_are_no_kind_of_their_modifier() -> None:
    names = {
        "symmetry": "symmetry",
        "symmetry agnostic": "symmetry-agnostic",
        "symmetry agnostic model": "symmetry-agnostic model",
        "model free": "model-free",
        "model free method": "model-free method",
        "gaussian process": "Gaussian process",
        "non gaussian process": "non Gaussian process",
    }
    assert broader_terms(names, names) == {}
    # An agnostic modifier still makes a kind of the head.
    keys = ["masked autoencoder", "channel agnostic masked autoencoder"]
    assert broader_terms(keys) == {"channel agnostic masked autoencoder": "masked autoencoder"}


def test_deep_neural_network_is_a_neural_network() -> None:
    keys = ["network", "neural network", "deep neural network", "graph neural network"]
    assert broader_terms(keys) == {
        "neural network": "network",
        "deep neural network": "neural network",
        "graph neural network": "neural network",
    }


def test_hierarchy_of_a_parsed_corpus() -> None:
    kg = build_graph(
        Corpus(
            [
                Paper("a", "A mean-field theory of deep neural networks and their training."),
                Paper("b", "Mean-field limits of neural networks trained by gradient descent."),
                Paper("c", "The mean-field approximation of deep neural networks with symmetries."),
                Paper(
                    "d",
                    "A symmetry-agnostic model learns symmetries from data with neural networks.",
                ),
            ]
        )
    )
    edges = {(u.split(":", 1)[1], v.split(":", 1)[1]) for u, v, _ in kg.edges(Rel.BROADER)}
    assert ("deep neural network", "neural network") in edges
    assert ("mean field theory", "mean field") in edges
    assert not {u for u, v in edges if v in ("mean", "symmetry")}
