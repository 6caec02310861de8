"""``paperkg show``, ``path`` and ``topics``: reading a built graph from its index."""

from __future__ import annotations

from typing import Annotated

import typer

from graph_builder import graph_index, navigation
from graph_builder.cli.arguments import AsJson, GraphDir
from graph_builder.cli.errors import user_errors
from graph_builder.cli.output import echo_json
from graph_builder.errors import ConfigError

__all__ = ["path", "show", "topics"]


def show(
    directory: GraphDir,
    kind: Annotated[str, typer.Argument(metavar="KIND", help="What to show: concept or paper.")],
    name: Annotated[str, typer.Argument(metavar="NAME", help="A concept's name, a paper's id.")],
    limit: Annotated[int, typer.Option(min=1, help="Most papers/concepts listed.")] = 20,
    as_json: AsJson = False,
) -> None:
    """Show a concept (papers, broader, narrower, co-occurring, topic) or a paper."""
    with user_errors():
        views = {
            "concept": (graph_index.concept, navigation.format_concept),
            "paper": (graph_index.paper, navigation.format_paper),
        }
        if kind not in views:
            raise ConfigError(f"cannot show {kind!r}; choose one of: {', '.join(views)}")
        find, render = views[kind]
        with graph_index.open_index(directory) as index:
            view = find(index, name, limit=limit)
    if as_json:
        echo_json(view)
    else:
        typer.echo(render(view))


def path(
    directory: GraphDir,
    a: Annotated[str, typer.Argument(metavar="A", help="A concept.")],
    b: Annotated[str, typer.Argument(metavar="B", help="Another concept.")],
    as_json: AsJson = False,
) -> None:
    """The shortest chain of concepts and papers from concept A to concept B."""
    with user_errors(), graph_index.open_index(directory) as index:
        steps = graph_index.path(index, a, b)
    if as_json:
        echo_json(steps)
    else:
        typer.echo(navigation.format_path(steps))


def topics(directory: GraphDir, as_json: AsJson = False) -> None:
    """The topics (clusters of papers, named by their most distinctive concepts), by id."""
    with user_errors(), graph_index.open_index(directory) as index:
        items = graph_index.topics(index)
    if as_json:
        echo_json(items)
    else:
        typer.echo(navigation.format_topics(items))
