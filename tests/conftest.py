"""Shared fixtures: the bundled example, hand-written data files, a graph built once."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_builder import KnowledgeGraph, build_graph, read_papers

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
def example_graph() -> KnowledgeGraph:
    """The graph of the bundled example page, built once per test session."""
    return build_graph(read_papers([EXAMPLE]))


@pytest.fixture(scope="session")
def example_dir(example_graph: KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory with every output of ``paperkg build`` for the bundled example."""
    from graph_builder.cli import write_outputs

    out = tmp_path_factory.mktemp("example-build")
    write_outputs(example_graph, out)
    return out
