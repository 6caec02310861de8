"""``paperkg neo4j`` (and ``build --neo4j``): a built graph into a Neo4j server."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from exporters import neo4j as neo4j_export
from exporters import neo4j_directory
from graph_builder.cli.errors import user_errors
from graph_builder.cli.options import Quiet
from graph_builder.errors import ConfigError
from graph_builder.model import KnowledgeGraph

__all__ = ["connector", "load_and_report", "neo4j", "password"]


def password() -> str:
    """NEO4J_PASSWORD, else a hidden prompt; never a command-line value."""
    given = os.environ.get("NEO4J_PASSWORD")
    if given:
        return given
    if not sys.stdin.isatty():
        raise ConfigError("no Neo4j password: set NEO4J_PASSWORD, or run in a terminal to be asked")
    return typer.prompt("Neo4j password", hide_input=True)


def connector(uri: str, user: str, database: str | None) -> Callable[[], Any]:
    """What opens the driver: the password is asked for only when it is called."""
    return lambda: neo4j_export.connect(uri, user, password(), database)


def load_and_report(
    directory: Path,
    connect: Callable[[], Any],
    uri: str,
    database: str | None,
    *,
    replace: bool = False,
    quiet: bool = False,
    kg: KnowledgeGraph | None = None,
) -> None:
    """Load DIR's graph into Neo4j with a progress bar; print what the load did."""
    progress = Progress(
        TextColumn("loading {task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        transient=True,
        disable=quiet or not sys.stderr.isatty(),
    )
    with progress:
        task = progress.add_task("Neo4j", total=None)

        def advance(stage: str, done: int, total: int) -> None:
            progress.update(task, completed=done, total=total, description=stage)

        report = neo4j_directory.load_directory(
            directory, connect, database, replace=replace, progress=advance, kg=kg
        )
    for line in neo4j_directory.summary(report, uri, database):
        typer.echo(line)


def neo4j(
    directory: Annotated[
        Path, typer.Argument(metavar="DIR", help="A directory written by 'paperkg build'.")
    ],
    uri: Annotated[
        str,
        typer.Option(
            metavar="URI",
            envvar="NEO4J_URI",
            help="bolt://, neo4j://, or with TLS bolt+s://, neo4j+s:// (+ssc: self-signed).",
        ),
    ],
    user: Annotated[str, typer.Option(envvar="NEO4J_USER", help="Neo4j user.")] = "neo4j",
    database: Annotated[
        str | None,
        typer.Option(envvar="NEO4J_DATABASE", help="Database (default: the server's default)."),
    ] = None,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace",
            help="First delete every node labelled Paper, Concept, Author or Topic, and with "
            "them EVERY relationship attached to them, your own included; nodes of other labels "
            "are never deleted. Not needed to drop what the graph no longer has: every load "
            "removes paperkg's stale nodes and relationships.",
        ),
    ] = False,
    quiet: Quiet = False,
) -> None:
    """Load the graph built in DIR into Neo4j; again and again without duplicates.

    Afterwards paperkg's nodes (Paper, Concept, Author, Topic) and their relationships of
    paperkg's types are exactly those of DIR's graph: what an older load wrote and this graph
    no longer has (stale links, renumbered topics, papers not in it) is deleted, a deleted
    node with every relationship attached to it. Nothing of other labels is touched.
    The password comes from NEO4J_PASSWORD, else a hidden prompt.
    """
    with user_errors():
        connect = connector(uri, user, database)
        load_and_report(directory, connect, uri, database, replace=replace, quiet=quiet)
