"""``paperkg query``: a read-only Cypher query on the embedded store of a built graph."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from exporters import embedded
from graph_builder.cli.arguments import AsJson, GraphDir
from graph_builder.cli.errors import user_errors

__all__ = ["query"]


def query(
    directory: GraphDir,
    cypher: Annotated[str, typer.Argument(metavar="CYPHER", help="One read-only Cypher query.")],
    as_json: AsJson = False,
    timeout: Annotated[
        float,
        typer.Option(min=0, metavar="SECONDS", help="Stop the query after this long; 0: never."),
    ] = embedded.QUERY_TIMEOUT,
) -> None:
    """Run a read-only Cypher query on the embedded store DIR/graph.lbug; print a table.

    Only read clauses are run (MATCH, OPTIONAL MATCH, WITH, UNWIND, RETURN, and CALL of
    show_tables, table_info and the other catalogue functions); COPY, EXPORT, LOAD, CREATE,
    SET and every other clause that writes or reads files is refused.
    """
    with user_errors():
        result = embedded.query(directory / embedded.STORE_FILE, cypher, timeout=timeout or None)
    if as_json:
        for record in result.records():
            typer.echo(json.dumps(record, ensure_ascii=False))
    else:
        typer.echo(embedded.format_table(result))
