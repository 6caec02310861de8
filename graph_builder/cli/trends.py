"""``paperkg trends``: the concepts of a built graph by emergence."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from graph_builder import graph_index
from graph_builder import trends as time_trends
from graph_builder.cli.arguments import AsJson, GraphDir
from graph_builder.cli.errors import user_errors
from graph_builder.cli.output import echo_json
from graph_builder.errors import ConfigError

__all__ = ["trends"]


def trends(
    directory: GraphDir,
    falling: Annotated[bool, typer.Option("--falling", help="Fading concepts instead.")] = False,
    bursts: Annotated[
        bool, typer.Option("--bursts", help="Concepts with a burst, the strongest first.")
    ] = False,
    since: Annotated[
        str | None,
        typer.Option(
            "--since", metavar="DATE", help="Only concepts first seen on or after DATE (ISO)."
        ),
    ] = None,
    top: Annotated[int, typer.Option("--top", min=1, help="How many concepts.")] = 20,
    as_json: AsJson = False,
) -> None:
    """The map's concepts by emergence: rising first (the lower bound of the 95 % confidence
    interval of their share's growth per period)."""
    with user_errors():
        if since is not None:
            since = _iso_date(since)
        with graph_index.open_index(directory) as index:
            metadata = index.metadata
            if "periods" not in metadata:
                raise ConfigError(f"{directory}: no dated papers, so no trends")
            kg = graph_index.ranking_graph(index, since=since)
        items = time_trends.ranked(kg, falling=falling, bursts=bursts, since=since, top=top)
        empty = "" if items else time_trends.none_ranked(kg, falling=falling, bursts=bursts)
    if as_json:
        echo_json(items)
    else:
        typer.echo(f"{metadata['period']}ly periods: {', '.join(metadata['periods'])}")
        typer.echo(time_trends.format_ranked(items) or empty)


def _iso_date(text: str) -> str:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise ConfigError(f"--since {text!r}: not a date; write YYYY-MM-DD") from None
