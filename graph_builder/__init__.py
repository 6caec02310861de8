"""paperkg: a knowledge graph of the concepts and papers in a pile of abstracts.

Usage::

    from graph_builder import read_papers, build_graph
    kg = build_graph(read_papers(["examples/similar-papers.txt"]))
"""

from graph_builder.errors import ConfigError, ExportError, InputError, PaperkgError
from graph_builder.ingest import READERS, read_papers
from graph_builder.linking import LinkOptions
from graph_builder.model import BadRecord, Corpus, KnowledgeGraph, Paper, SourceNote
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
