"""``Author`` nodes and ``WROTE`` edges, authors keyed by :func:`author_key`."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from graph_builder.model import KnowledgeGraph, Paper
from graph_builder.schema import NAME, Label, Rel, node_id

__all__ = ["add_authors", "author_key"]

_NOT_WORD = re.compile(r"[^\w\s-]+")
_SPACES = re.compile(r"[\s-]+")


def author_key(name: str) -> str:
    """A normalised author name: "Last, First" turned around, accents, case and dots dropped.

    Examples
    --------
    >>> author_key("Turing, Alan M.")
    'alan m turing'
    >>> author_key("  Erdős   Pál ") == author_key("erdos pal")
    True
    """
    if name.count(",") == 1:
        last, first = name.split(",")
        name = f"{first} {last}"
    folded = unicodedata.normalize("NFKD", name.casefold())
    if not folded.isascii():  # no ASCII character is a combining mark
        folded = "".join(c for c in folded if not unicodedata.combining(c))
    return _SPACES.sub(" ", _NOT_WORD.sub(" ", folded)).strip()


def add_authors(kg: KnowledgeGraph, papers: Sequence[Paper], paper_nodes: list[str]) -> None:
    """Add an ``Author`` node per distinct author (``name``: the first spelling met, in input
    order) and a ``WROTE`` edge to each of their papers (``paper_nodes``, one per paper)."""
    keys: dict[str, str] = {}  # name as written -> author key
    names: dict[str, str] = {}  # author key -> name first met
    wrote: dict[tuple[str, str], int] = {}  # (author key, paper node) -> position
    for paper, target in zip(papers, paper_nodes, strict=True):
        for position, name in enumerate(paper.authors, start=1):
            key = keys.get(name)
            if key is None:
                key = keys[name] = author_key(name)
            if key:
                names.setdefault(key, name)
                wrote.setdefault((key, target), position)
    graph = kg.graph
    authors = {}
    for key, name in names.items():
        node = node_id(Label.AUTHOR, key)
        authors[key] = node if node in graph else kg.add_node(Label.AUTHOR, key, name=name)
    kg.add_edges(
        Rel.WROTE,
        (
            (authors[key], target, {"position": position})
            for (key, target), position in wrote.items()
            if not graph.has_edge(authors[key], target, NAME[Rel.WROTE])
        ),
    )
