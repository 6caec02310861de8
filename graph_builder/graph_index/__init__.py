"""A small index of a built graph, so that ``show``, ``path``, ``topics`` and ``trends`` answer
without loading ``graph.json``.

``graph.json`` of 33,649 abstracts takes most of a minute and gigabytes to read back; each of
these commands needs a few dozen nodes of it. ``paperkg build`` therefore also writes
``DIR/graph-index.sqlite`` (SQLite, Python's :mod:`sqlite3`), with the outputs and as
atomically:

* each paper, concept, topic and period node, its properties as ``graph.json`` holds them
  (JSON text), numbered in graph order; a concept also has its place in
  :func:`graph_builder.model.concept_order` (``rank``);
* the ``MENTIONS``, ``RELATED_TO``, ``CO_OCCURS``, ``BROADER`` and ``IN_TOPIC`` edges, a table
  each, in graph order, indexed by both ends;
* the names a concept is found by (every name and alias, normalised as
  :func:`graph_builder.navigation.normalise` does; the first concept in graph order
  holding a name has it) and the arXiv ids and DOIs of the papers;
* per concept with time properties, its papers and first date (what ``paperkg trends``
  picks the concepts to rank by);
* each paper's topic, which the next build into the directory keeps the topic ids by
  (:func:`paper_topics`);
* the graph metadata.

A question reads the few rows it needs into a small :class:`KnowledgeGraph` and runs the
functions of :mod:`graph_builder.navigation` and :mod:`graph_builder.trends` on it, so the
answer is the one the whole graph gives. Where a list is cut (a concept's narrower concepts
and partners, a topic's concepts, the trends), only the rows that can be in the cut list are
read, chosen by the same order. ``path`` walks the ``MENTIONS`` edges breadth-first from both
ends as :func:`networkx.bidirectional_shortest_path` does, neighbours in the same order, so it
finds the same chain.
"""

from __future__ import annotations

from graph_builder.graph_index.questions import (
    concept,
    none_ranked,
    paper,
    path,
    ranked,
    ranking_graph,
    topics,
)
from graph_builder.graph_index.store import GraphIndex, open_index, paper_topics
from graph_builder.graph_index.tables import INDEX_FILE, write

__all__ = [
    "INDEX_FILE",
    "GraphIndex",
    "concept",
    "none_ranked",
    "open_index",
    "paper",
    "paper_topics",
    "path",
    "ranked",
    "ranking_graph",
    "topics",
    "write",
]
