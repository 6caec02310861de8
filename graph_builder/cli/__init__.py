"""The ``paperkg`` command: a thin layer over the Python API.

Each command parses its options, calls the API, and prints a summary. A
:class:`~graph_builder.errors.PaperkgError` becomes one line on stderr and
exit status 2; anything else is a bug and keeps its traceback.

One module per group of commands (:mod:`.build`, :mod:`.navigation`,
:mod:`.trends`, :mod:`.neo4j`); the options they share are in :mod:`.options`,
the error and signal handling in :mod:`.errors`.
"""

from __future__ import annotations

import typer

from graph_builder.cli import build, navigation, neo4j, trends

__all__ = ["app", "main"]

app = typer.Typer(
    name="paperkg",
    help="Build a knowledge graph of concepts and papers from scientific abstracts.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
_COMMANDS = (
    build.build,
    build.concepts,
    build.export,
    navigation.show,
    navigation.path,
    navigation.topics,
    trends.trends,
    navigation.query,
    neo4j.neo4j,
)
for _command in _COMMANDS:  # in the order of --help
    app.command()(_command)


def main() -> None:
    """Entry point of the ``paperkg`` console script."""
    app()
