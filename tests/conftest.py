"""Shared fixtures: the bundled example, hand-written data files, a graph built once."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

from graph_builder import KnowledgeGraph, build_graph, read_papers
from graph_builder.schema import Label, Rel

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
EXAMPLE = ROOT / "examples" / "similar-papers.txt"


@pytest.fixture(scope="session")
def example_path() -> Path:
    return EXAMPLE


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def outputs_by_hash_seed() -> Callable[[str], set[str]]:
    """Run a Python script under three string-hash seeds; the set of what it printed.

    One element means the script's output does not depend on ``PYTHONHASHSEED``.
    """

    def run(script: str) -> set[str]:
        return {
            subprocess.run(
                [sys.executable, "-c", script],
                env={**os.environ, "PYTHONHASHSEED": seed},
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            for seed in ("1", "2", "3")
        }

    return run


@pytest.fixture(scope="session")
def example_graph() -> KnowledgeGraph:
    """The graph of the bundled example page, built once per test session."""
    return build_graph(read_papers([EXAMPLE]))


# The page and picture tests: a small graph built by hand.
# Small graphs built by hand for the page and picture tests, with topics, communities and
# BROADER edges (as the topics stage adds them) and a hostile abstract.
#
# Hand-checked facts the tests rely on:
#
# * 3 papers, 5 concepts; 9 MENTIONS, 2 RELATED_TO, 2 CO_OCCURS, 2 BROADER edges.
# * df: graph 3, gnn 2, neural network 2, molecule 1, transformer 1.
# * Topic "0" (graph, gnn, neural network) and topic "1" (molecule, transformer).
# * Years: p1 2019, p2 2021, p3 2023; p3 has no title; p2's url is a javascript: URL.

HOSTILE = (
    "Transformers read text <img src=x onerror=alert(1)> and "
    "</script><script>window.pwned=1</script> write it back."
)
CONCEPTS = {  # key: (df, score, community)
    "graph": (3, 0.8, 0),
    "gnn": (2, 0.9, 0),
    "neural network": (2, 0.5, 0),
    "molecule": (1, 0.7, 1),
    "transformer": (1, 0.6, 1),
}
MENTIONS = [
    ("p1", "gnn"), ("p1", "graph"), ("p1", "molecule"), ("p1", "neural network"),
    ("p2", "gnn"), ("p2", "graph"),
    ("p3", "graph"), ("p3", "transformer"), ("p3", "neural network"),
]  # fmt: skip


def _small_graph(
    *, topics: bool = True, communities: bool = True, topic_name: str = "name"
) -> KnowledgeGraph:
    kg = KnowledgeGraph()
    papers = {
        "p1": dict(title="Graph neural networks for molecules", date="2019-05-01", year=2019,
                   url="https://example.org/p1", abstract="We learn molecules with a GNN."),
        "p2": dict(title="Message passing on graphs", date="2021-02-03", year=2021,
                   url="javascript:alert(1)", abstract="Message passing generalises GNNs."),
        "p3": dict(title="", date="2023-07-08", year=2023, abstract=HOSTILE),
    }  # fmt: skip
    nodes = {key: kg.add_node(Label.PAPER, key, **props) for key, props in papers.items()}
    for key, (df, score, community) in CONCEPTS.items():
        extra = {"community": community} if communities else {}
        name = "graph neural network" if key == "gnn" else key
        nodes[key] = kg.add_node(
            Label.CONCEPT, key, name=name, aliases=[], df=df, score=score, **extra
        )
    for paper, concept in MENTIONS:
        kg.add_edge(Rel.MENTIONS, nodes[paper], nodes[concept], weight=0.5, count=1)
    kg.add_edge(Rel.MENTIONS, nodes["p1"], nodes["gnn"], weight=1.0, count=3)
    kg.add_edge(Rel.RELATED_TO, nodes["p1"], nodes["p2"], weight=0.8, shared=["gnn", "graph"])
    kg.add_edge(Rel.RELATED_TO, nodes["p1"], nodes["p3"], weight=0.2, shared=["graph"])
    kg.add_edge(Rel.CO_OCCURS, nodes["gnn"], nodes["graph"], papers=2, strength=1.5)
    kg.add_edge(Rel.CO_OCCURS, nodes["gnn"], nodes["molecule"], papers=1, strength=1.5)
    kg.add_edge(Rel.BROADER, nodes["gnn"], nodes["neural network"])
    kg.add_edge(Rel.BROADER, nodes["transformer"], nodes["neural network"])
    if topics:
        for topic, members, label in (
            ("0", ["graph", "gnn", "neural network"], "graph, graph neural network"),
            ("1", ["molecule", "transformer"], "molecule, transformer"),
        ):
            # A topic may be named by its top concepts in a property "label", which is also
            # the node attribute that holds a node's label (schema.LABEL): add_node cannot
            # take it, so the topics stage may store it as "name" or write over the label.
            node = kg.add_node(Label.TOPIC, topic, size=len(members))
            kg.graph.nodes[node][topic_name] = label
            for member in members:
                kg.add_edge(Rel.IN_TOPIC, nodes[member], node)
    return kg


@pytest.fixture(scope="session")
def small_graph():
    """Build the hand-made graph: ``small_graph(topics=..., communities=...)``."""
    return _small_graph


# Property tests explore new inputs on a developer's machine but replay a fixed set in CI,
# so that a green main stays green; `HYPOTHESIS_PROFILE=explore` runs many more examples.
settings.register_profile("dev", max_examples=30)
settings.register_profile("ci", max_examples=30, derandomize=True, database=None)
settings.register_profile("explore", max_examples=500)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)


@pytest.fixture(scope="session")
def example_dir(example_graph: KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory with every output of ``paperkg build`` for the bundled example."""
    from graph_builder.build_dir import write_outputs

    out = tmp_path_factory.mktemp("example-build")
    write_outputs(example_graph, out)
    return out
