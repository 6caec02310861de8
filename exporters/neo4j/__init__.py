r"""Load a finished graph into a Neo4j server with the official driver.

A load makes paperkg's part of the database equal to the graph: it creates the
uniqueness constraints and indexes of the schema, writes the nodes, then the
relationships, in batches of ``UNWIND $rows``, each in a managed write
transaction (the driver retries transient errors), and finally removes what
the graph no longer has.

* Every node and relationship written carries the load's stamp
  (:data:`~graph_builder.schema.LOAD_STAMP`): a hash of the graph, of its rows
  (:func:`load_stamp`) or of its file (:func:`file_stamp`, what ``paperkg
  neo4j`` uses), so the same graph gets the same stamp and another graph
  another one. A node's or relationship's properties are set to exactly those
  of the graph plus the stamp.
* A node whose key is not in the database yet is ``CREATE``\ d, and so is a
  relationship with such a node at one end (it cannot exist yet); everything
  else is ``MERGE``\ d. An empty database gets ``CREATE`` only, which is several
  times faster; loading the same graph twice changes nothing.
* Nodes and relationships are found by element id, not by key: the load reads
  the ids of the nodes already there at its start, and each node batch returns
  the ids of the nodes it wrote; a relationship's row names its two ends by id
  (and the statement checks their labels). A look-up in a key's index for each
  end of each relationship was most of the server's work (a JFR profile of a
  ``MENTIONS`` batch). A node deleted by someone else during the load fails it
  with a one-line error; the next run completes it.
* The statements of the load (:func:`node_write_statement`,
  :func:`relationship_write_statement`) thus differ from those of the Cypher
  script (:func:`node_statement`, :func:`relationship_statement`), which find
  nodes by key.
* Up to ``workers`` sessions write side by side (:func:`~exporters.neo4j.planning.plan`): a label's
  rows split by key; ``MENTIONS`` split by concept, each writer taking papers
  in one order; the other types in lanes that share no label (``RELATED_TO``
  and ``WROTE``; ``CO_OCCURS``, ``BROADER`` and the concepts' ``IN_TOPIC``), one
  writer each, then the papers' ``IN_TOPIC``, which would join the two lanes.
  The server still reports a deadlock now and then (about twice in a load of
  10,000 papers); the driver retries the batch, and the load counts the
  retries (``LoadReport.retries``) rather than print the driver's warnings.
* A server that stops answering (or keeps failing a batch) stops the load
  with one :class:`~graph_builder.errors.ExportError` saying it is incomplete;
  the next run completes it, creating nothing twice.
* Only after every batch succeeded, relationships of paperkg's types between
  nodes with paperkg's labels, then such nodes, that carry another stamp (or
  none) are deleted in batches: stale ``RELATED_TO``/``CO_OCCURS`` links, topics
  that were renumbered away, papers that are not in the new graph. A load
  interrupted halfway deleted nothing; the next run completes it.

Only paperkg's labels and relationship types (:mod:`graph_builder.schema`) are
ever written or deleted; they are the only names spliced into query text, and
every value is a query parameter. Deleting a paperkg node (a stale one, or all
of them with ``replace=True``) also deletes the relationships attached to it,
a user's own included: Neo4j cannot keep a relationship without its node.

Modules: :mod:`~exporters.neo4j.connection` (the driver, the server's failures),
:mod:`~exporters.neo4j.constraints` (constraints and indexes),
:mod:`~exporters.neo4j.statements` (the Cypher), :mod:`~exporters.neo4j.rows` (the rows
and the stamp), :mod:`~exporters.neo4j.planning` (which writer sends what),
:mod:`~exporters.neo4j.writer` (transactions), :mod:`~exporters.neo4j.loading` (a load) and
:mod:`~exporters.neo4j.report` (what it did, the count check).
"""

from __future__ import annotations

from exporters.neo4j.connection import SCHEMES, connect
from exporters.neo4j.constraints import FULLTEXT_INDEXES, INDEXES, schema_statements
from exporters.neo4j.loading import DEFAULT_BATCH_SIZE, DEFAULT_WORKERS, delete_paperkg_nodes, load
from exporters.neo4j.report import LoadReport, Progress
from exporters.neo4j.rows import file_stamp, graph_rows, load_stamp, node_rows, relationship_rows
from exporters.neo4j.statements import (
    node_statement,
    node_write_statement,
    quote_name,
    relationship_statement,
    relationship_write_statement,
    stale_node_statement,
    stale_relationship_statement,
)

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_WORKERS",
    "FULLTEXT_INDEXES",
    "INDEXES",
    "SCHEMES",
    "LoadReport",
    "Progress",
    "connect",
    "delete_paperkg_nodes",
    "file_stamp",
    "graph_rows",
    "load",
    "load_stamp",
    "node_rows",
    "node_statement",
    "node_write_statement",
    "quote_name",
    "relationship_rows",
    "relationship_statement",
    "relationship_write_statement",
    "schema_statements",
    "stale_node_statement",
    "stale_relationship_statement",
]
