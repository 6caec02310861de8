"""Load the graph of a build directory into Neo4j: what ``paperkg neo4j DIR`` does.

:func:`load_directory` holds DIR (:func:`graph_builder.locking.directory_lock`) while it
reads the graph and loads it, so that no build replaces the graph halfway; the load's
stamp is that of DIR's graph file (:func:`exporters.neo4j.file_stamp`).
:func:`summary` words a :class:`~exporters.neo4j.LoadReport` for a person.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from exporters import GRAPH_FILE, load_graph
from exporters import neo4j as neo4j_export
from graph_builder.locking import directory_lock
from graph_builder.model import KnowledgeGraph

__all__ = ["load_directory", "summary"]


def load_directory(
    directory: Path,
    connect: Callable[[], Any],
    database: str | None = None,
    *,
    replace: bool = False,
    progress: neo4j_export.Progress | None = None,
    kg: KnowledgeGraph | None = None,
) -> neo4j_export.LoadReport:
    """Load the graph built in ``directory`` into Neo4j (see :func:`exporters.neo4j.load`).

    ``connect`` opens the driver (:func:`exporters.neo4j.connect`) once DIR is held and its
    graph read, so a held or empty DIR fails before any password is asked for; the driver
    is closed afterwards. ``kg``, when given, is DIR's graph already in memory.
    ``progress(stage, done, total)`` counts the rows of the whole load.
    """
    with directory_lock(directory):
        kg = kg if kg is not None else load_graph(directory)
        total = sum(kg.counts().values())
        done: dict[str, int] = {}

        def advance(stage: str, stage_done: int, _stage_total: int) -> None:
            done[stage] = stage_done
            if progress is not None:
                progress(stage, sum(done.values()), total)

        driver = connect()
        try:
            stamp = neo4j_export.file_stamp(directory / GRAPH_FILE)
            return neo4j_export.load(
                kg, driver, database, replace=replace, progress=advance, stamp=stamp
            )
        finally:
            driver.close()


def summary(report: neo4j_export.LoadReport, uri: str, database: str | None = None) -> list[str]:
    """What a load did, in lines: deletions, the rows loaded and the counts now there."""
    where = f"{uri} (database {database})" if database else uri
    lines = []
    if report.deleted:
        lines.append(f"deleted {report.deleted} paperkg nodes from {where}")
    if report.stale_nodes or report.stale_relationships:
        lines.append(
            f"removed what the graph no longer has: {report.stale_relationships} relationships "
            f"and {report.stale_nodes} nodes"
        )
    counts = ", ".join(
        f"{n} {name}" for name, n in {**report.nodes, **report.relationships}.items() if n
    )
    lines.append(
        f"loaded {report.rows} rows into {where} in {report.seconds:.1f} s "
        f"({report.rows / max(report.seconds, 1e-9):.0f} rows/s); now there: {counts}"
    )
    if report.retries:
        lines.append(f"{report.retries} batches were retried after a lock conflict between writers")
    return lines
