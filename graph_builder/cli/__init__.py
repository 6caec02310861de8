"""The ``paperkg`` command: a thin layer over the Python API.

Each command parses its options, calls the API, and prints a summary. A
:class:`~graph_builder.errors.PaperkgError` becomes one line on stderr and
exit status 2; anything else is a bug and keeps its traceback.

One module per group of commands (:mod:`.build`, :mod:`.navigation`,
:mod:`.trends`, :mod:`.query`, :mod:`.neo4j`); the options they share are in
:mod:`.options` and :mod:`.arguments`, the error and signal handling in :mod:`.errors`.

A command's module is imported when that command is run or its help shown, not before:
``paperkg show`` answers from the graph's index without importing spaCy, numpy or the
exporters, which ``paperkg build`` needs.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup
from typer.main import get_command_from_info
from typer.models import CommandInfo

__all__ = ["COMMANDS", "app", "main"]

#: Each command, in the order of ``--help``: the module of this package that defines it (a
#: function of the command's name), and the first paragraph of its help, which
#: ``paperkg --help`` lists without importing the module.
COMMANDS: dict[str, tuple[str, str]] = {
    "build": (
        "build",
        "Build the graph; write DIR/graph.json, .graphml, .html and the embedded store .lbug.",
    ),
    "concepts": ("build", "Print each paper's top concepts, best first, papers in input order."),
    "export": ("build", "Write the graph built in DIR in another format."),
    "show": (
        "navigation",
        "Show a concept (papers, broader, narrower, co-occurring, topic) or a paper.",
    ),
    "path": (
        "navigation",
        "The shortest chain of concepts and papers from concept A to concept B.",
    ),
    "topics": (
        "navigation",
        "The topics (clusters of papers, named by their most distinctive concepts), by id.",
    ),
    "trends": (
        "trends",
        "The map's concepts by emergence: rising first (the lower bound of the 95 % confidence "
        "interval of their share's growth per period).",
    ),
    "query": (
        "query",
        "Run a read-only Cypher query on the embedded store DIR/graph.lbug; print a table.",
    ),
    "neo4j": (
        "neo4j",
        "Load the graph built in DIR into Neo4j; again and again without duplicates.",
    ),
}


class _Made(Mapping[str, Any]):
    """The commands (click commands, as typer makes them) by name, each made (its module
    imported) when first looked up."""

    def __init__(self) -> None:
        self._made: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self._made:
            module = importlib.import_module(f"{__name__}.{COMMANDS[name][0]}")
            self._made[name] = get_command_from_info(
                CommandInfo(callback=getattr(module, name)),
                pretty_exceptions_short=app.pretty_exceptions_short,
                rich_markup_mode=app.rich_markup_mode,
            )
        return self._made[name]

    def __contains__(self, name: object) -> bool:
        return name in COMMANDS

    def __iter__(self) -> Iterator[str]:
        return iter(COMMANDS)

    def __len__(self) -> int:
        return len(COMMANDS)


class _Commands(TyperGroup):
    """paperkg's commands; the help lists them from :data:`COMMANDS`, making none."""

    def __init__(self, **settings: Any) -> None:
        super().__init__(**settings)
        self.commands = _Made()  # type: ignore[assignment]

    def list_commands(self, ctx: typer.Context) -> list[str]:
        return list(COMMANDS)

    def format_commands(self, ctx: typer.Context, formatter: Any) -> None:
        """Each command and the start of its help, as click lists them."""
        limit = formatter.width - 6 - max(map(len, COMMANDS))
        rows = [
            (name, TyperCommand(name, help=text).get_short_help_str(limit))
            for name, (_, text) in COMMANDS.items()
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


app = typer.Typer(
    name="paperkg",
    cls=_Commands,
    help="Build a knowledge graph of concepts and papers from scientific abstracts.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback()
def _group() -> None:
    """None: the commands are in :data:`COMMANDS`."""


def main() -> None:
    """Entry point of the ``paperkg`` console script."""
    app()
