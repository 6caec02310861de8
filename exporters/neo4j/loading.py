"""A load: constraints, the rows written by the planned writers, stale nodes and
relationships removed, and the count check (see :mod:`exporters.neo4j`)."""

from __future__ import annotations

import time
from typing import Any

from exporters.neo4j.connection import driver_failures
from exporters.neo4j.constraints import schema_statements
from exporters.neo4j.planning import node_stages, plan, relationship_stages
from exporters.neo4j.report import LoadReport, Progress, check_counts
from exporters.neo4j.rows import graph_rows, load_stamp
from exporters.neo4j.statements import (
    quote_name,
    stale_node_statement,
    stale_relationship_statement,
)
from exporters.neo4j.writer import Writer, delete_in_batches
from graph_builder.gcpause import gc_paused
from graph_builder.model import KnowledgeGraph
from graph_builder.schema import NODE_KEY, Label, edge_kinds

__all__ = ["DEFAULT_BATCH_SIZE", "DEFAULT_WORKERS", "delete_paperkg_nodes", "load"]

#: Rows per transaction. Big enough that round trips do not dominate, small
#: enough that a transaction stays a few megabytes.
DEFAULT_BATCH_SIZE = 5000

#: Sessions writing at once: the server commits one batch while it runs another's query.
DEFAULT_WORKERS = 2


def load(
    kg: KnowledgeGraph,
    driver: Any,
    database: str | None = None,
    *,
    replace: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    workers: int = DEFAULT_WORKERS,
    progress: Progress | None = None,
    stamp: str | None = None,
) -> LoadReport:
    """Make paperkg's nodes and relationships in the database those of ``kg``.

    Parameters
    ----------
    kg
        The graph to load.
    driver
        A driver from :func:`connect`.
    database
        The database name, or ``None`` for the server's default database.
    replace
        First delete every node with one of paperkg's labels (and so every
        relationship attached to one, a user's own included).
    batch_size
        Rows per write transaction.
    workers
        Sessions writing side by side (each stage's rows split between them).
    progress
        Called as ``progress(stage, done, total)`` after every batch.
    stamp
        The load's id (:func:`file_stamp` of the graph's file), different for
        every different graph; default :func:`load_stamp` of its rows.

    Returns
    -------
    LoadReport
        Rows sent, what was deleted, and the counts found in the database afterwards.

    Raises
    ------
    ExportError
        When the database does not hold exactly the nodes and relationships of
        ``kg`` afterwards (the final count check).
    """
    started = time.perf_counter()
    with gc_paused(), driver_failures():
        report = _load(kg, driver, database, replace, batch_size, workers, progress, stamp)
    report.seconds = time.perf_counter() - started
    return report


def _load(
    kg: KnowledgeGraph,
    driver: Any,
    database: str | None,
    replace: bool,
    batch_size: int,
    workers: int,
    progress: Progress | None,
    stamp: str | None,
) -> LoadReport:
    nodes, relationships = graph_rows(kg)
    report = LoadReport(stamp=stamp or load_stamp(nodes, relationships))
    with driver.session(database=database) as session:
        if replace:
            report.deleted = delete_paperkg_nodes(session, batch_size)
        for statement in schema_statements():
            session.run(statement).consume()
        writer = Writer(driver, database, report.stamp, batch_size, progress)
        existing = {label: _existing_ids(session, label) for label in Label}
        nodes_staged = node_stages(existing, nodes)
        ids = writer.write(plan(nodes_staged, workers, batch_size), nodes_staged)
        rel_stages = relationship_stages(existing, ids, relationships)
        writer.write(plan(rel_stages, workers, batch_size), rel_stages)
        report.rows = sum(stage.total for stage in [*nodes_staged, *rel_stages])
        report.retries = writer.retries
        if any(existing.values()):  # else every paperkg node and relationship is this load's
            _remove_stale(session, report, batch_size)
        check_counts(session, nodes, relationships, report)
    return report


def _remove_stale(session: Any, report: LoadReport, batch_size: int) -> None:
    """Delete paperkg's relationships, then nodes, without this load's stamp.

    Relationships first, so that a batch of nodes takes few relationships with it.
    """
    for kind in edge_kinds():
        report.stale_relationships += delete_in_batches(
            session, stale_relationship_statement(kind), batch_size, stamp=report.stamp
        )
    for label in Label:
        report.stale_nodes += delete_in_batches(
            session, stale_node_statement(label), batch_size, stamp=report.stamp
        )


def delete_paperkg_nodes(session: Any, batch_size: int = DEFAULT_BATCH_SIZE) -> int:
    """Delete every node with one of paperkg's labels, ``batch_size`` per transaction.

    ``DETACH DELETE`` also removes every relationship that touches those nodes,
    a user's own included; a node without one of paperkg's labels is never deleted.
    """
    for rel, source, target in edge_kinds():  # first: then a batch of nodes takes few with it
        statement = (
            f"MATCH (:{quote_name(source.value)})-[r:{quote_name(rel.value)}]->"
            f"(:{quote_name(target.value)}) WITH r LIMIT $limit DELETE r RETURN count(*) AS deleted"
        )
        delete_in_batches(session, statement, batch_size)
    deleted = 0
    for label in Label:
        statement = (
            f"MATCH (n:{quote_name(label.value)}) WITH n LIMIT $limit "
            "DETACH DELETE n RETURN count(*) AS deleted"
        )
        deleted += delete_in_batches(session, statement, batch_size)
    return deleted


def _existing_ids(session: Any, label: Label) -> dict[Any, str]:
    """The element id of every node of ``label`` in the database, by key."""
    key = quote_name(NODE_KEY[label])
    result = session.run(f"MATCH (n:{quote_name(label.value)}) RETURN n.{key}, elementId(n)")
    return dict(result.values())
