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
