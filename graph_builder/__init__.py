"""paperkg: a knowledge graph of the concepts and papers in a pile of abstracts.

Usage::

    from graph_builder import read_papers, build_graph
    kg = build_graph(read_papers(["examples/similar-papers.txt"]))

The names below are imported on first use (:func:`__getattr__`), so that a command that only
reads a built graph (``paperkg show``) does not pay for the extraction's imports.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from graph_builder.errors import ConfigError, ExportError, InputError, PaperkgError
from graph_builder.model import BadRecord, Corpus, KnowledgeGraph, Paper, SourceNote

if TYPE_CHECKING:
    from graph_builder.ingest import READERS, read_papers
    from graph_builder.linking import LinkOptions
    from graph_builder.pipeline import BuildOptions, PaperConcepts, build_graph, rank_concepts

__all__ = [
    "READERS",
    "BadRecord",
    "BuildOptions",
    "ConfigError",
    "Corpus",
    "ExportError",
    "InputError",
    "KnowledgeGraph",
    "LinkOptions",
    "Paper",
    "PaperConcepts",
    "PaperkgError",
    "SourceNote",
    "build_graph",
    "rank_concepts",
    "read_papers",
]

#: The module each lazily imported name of ``__all__`` comes from.
_LAZY = {
    "READERS": "graph_builder.ingest",
    "read_papers": "graph_builder.ingest",
    "LinkOptions": "graph_builder.linking",
    **dict.fromkeys(
        ("BuildOptions", "PaperConcepts", "build_graph", "rank_concepts"), "graph_builder.pipeline"
    ),
}


def __getattr__(name: str) -> Any:
    """A name of ``__all__`` not imported yet: import its module, keep the name here."""
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
