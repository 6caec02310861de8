"""``paperkg build``, ``concepts`` and ``export``: from abstracts to a graph and its files."""

from __future__ import annotations

import json
import os
from contextlib import closing, nullcontext
from pathlib import Path
from typing import Annotated

import typer

import exporters
from exporters import TARGETS, html
from graph_builder.build_dir import (
    BAD_RECORDS_FILE,
    MANIFEST_FILE,
    PageOptions,
    build_directory,
    check_outputs_are_not_inputs,
    output_directory,
    write_bad_records,
)
from graph_builder.cache import CACHE_FILE
from graph_builder.cli.errors import stoppable, user_errors
from graph_builder.cli.neo4j import connector, load_and_report
from graph_builder.cli.options import (
    AuthorKeywords,
    BuildMaxConcepts,
    BuildMaxEdges,
    BuildMaxPapers,
    Columns,
    ExportMaxConcepts,
    ExportMaxEdges,
    ExportMaxPapers,
    Format,
    Inputs,
    MaxWords,
    Model,
    Quiet,
    Report,
    SeedsFile,
    SkipBad,
    ThesaurusFile,
    Workers,
    build_options,
    limit,
    reading_options,
)
from graph_builder.cli.output import stage_progress
from graph_builder.ingest.sanitise import terminal_safe
from graph_builder.model import Corpus, KnowledgeGraph
from graph_builder.pipeline import RunOptions, rank_concepts
from graph_builder.schema import Label, Rel

__all__ = ["build", "concepts", "export"]


def build(
    inputs: Inputs,
    out: Annotated[
        Path,
        typer.Option(
            "--out", "-o", metavar="DIR", help="Output directory.", parser=output_directory
        ),
    ] = Path("paperkg-out"),
    format: Format = "auto",
    model: Model = None,
    max_words: MaxWords = 4,
    quiet: Quiet = False,
    thesaurus: ThesaurusFile = None,
    seeds: SeedsFile = None,
    author_keywords: AuthorKeywords = "ignore",
    columns: Columns = None,
    skip_bad: SkipBad = False,
    report_file: Report = None,
    workers: Workers = None,
    dask: Annotated[
        str | None,
        typer.Option(
            metavar="ADDRESS",
            help="Parse on a Dask cluster, e.g. tcp://HOST:8786 (needs paperkg[dask]; "
            "its workers need paperkg and the spaCy pipeline).",
        ),
    ] = None,
    cache: Annotated[
        bool,
        typer.Option(
            help=f"Keep each paper's extracted candidates in DIR/{CACHE_FILE}, "
            "so a re-run parses only new or changed papers."
        ),
    ] = True,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Print time and memory per stage.")
    ] = False,
    max_concepts: BuildMaxConcepts = html.MAX_CONCEPTS,
    max_edges: BuildMaxEdges = html.MAX_EDGES,
    max_papers: BuildMaxPapers = html.MAX_PAPERS,
    neo4j: Annotated[
        str | None,
        typer.Option(
            "--neo4j",
            metavar="URI",
            help="Also load the graph into this Neo4j server (user, database and password "
            "from NEO4J_USER, NEO4J_DATABASE, NEO4J_PASSWORD; see 'paperkg neo4j').",
        ),
    ] = None,
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            metavar="month|quarter|year",
            help="Period of the time trends (default: month when the dated papers span "
            "less than 3 years, else year).",
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Build even when DIR is up to date (same input files, options and paperkg "
            "as its last build, outputs untouched; recorded in "
            f"DIR/.paperkg-current/{MANIFEST_FILE}).",
        ),
    ] = False,
) -> None:
    """Build the graph; write DIR/graph.json, .graphml, .html and the embedded store .lbug.

    A re-run on unchanged input finds DIR up to date and does nothing; a re-run
    on a grown corpus parses only the new papers (the extraction cache).
    """
    with stoppable("; a rerun resumes from the extraction cache"), user_errors():
        database = os.environ.get("NEO4J_DATABASE") or None
        driver = None
        if neo4j:  # connect first, so a wrong URI or password fails before the long build
            driver = connector(neo4j, os.environ.get("NEO4J_USER") or "neo4j", database)()
        with closing(driver) if driver is not None else nullcontext():
            options = build_options(model, max_words, thesaurus, seeds, author_keywords, period)
            run = RunOptions(workers=workers, dask=dask, cache=out / CACHE_FILE if cache else None)
            with stage_progress(quiet) as report:
                done = build_directory(
                    inputs,
                    out,
                    options,
                    reading=reading_options(format, columns, skip_bad),
                    page=PageOptions(limit(max_concepts), limit(max_edges), limit(max_papers)),
                    run=run,
                    force=force,
                    report=report,
                    bad_records=(report_file or out / BAD_RECORDS_FILE) if skip_bad else None,
                )
            for note in report.notes:
                typer.echo(f"paperkg: warning: {terminal_safe(note)}", err=True)
            if done.kg is None or done.corpus is None:  # up to date
                typer.echo(f"{out} is up to date: same inputs and options as its last build")
            else:
                _print_summary(done.kg, done.corpus, done.written)
                _print_ingest_summary(done.corpus)
                if verbose:
                    typer.echo(report.table(), err=True)
            if driver is not None:
                load_and_report(out, lambda: driver, neo4j, database, quiet=quiet, kg=done.kg)


def _print_ingest_summary(corpus: Corpus, *, err: bool = False) -> None:
    """What reading set aside: merged duplicates, title-only records, bad and non-English ones."""
    title_only = sum(p.title_only for p in corpus.papers)
    parts = [
        f"{corpus.merged} duplicate records merged" if corpus.merged else "",
        f"{title_only} papers kept with a title only (no abstract)" if title_only else "",
        f"{len(corpus.bad)} bad records skipped" if corpus.bad else "",
    ]
    if any(parts):
        typer.echo("  inputs: " + "; ".join(p for p in parts if p), err=err)
    for bad in corpus.not_english[:_LISTED]:
        typer.echo(f"  skipped: {terminal_safe(str(bad))}", err=err)
    if len(corpus.not_english) > _LISTED:
        typer.echo(f"  ... and {len(corpus.not_english) - _LISTED} more not in English", err=err)


_LISTED = 5


def _print_summary(kg: KnowledgeGraph, corpus: Corpus, written: list[Path]) -> None:
    skipped = kg.metadata.get("duplicates_skipped", 0)
    counts = kg.counts()
    typer.echo(
        f"Built a graph of {counts[Label.PAPER]} papers and {counts[Label.CONCEPT]} concepts "
        f"from {terminal_safe(', '.join(corpus.inputs))}"
        + (f" ({skipped} duplicate ids skipped)" if skipped else "")
    )
    edges = ", ".join(
        f"{counts[rel]} {rel.value}" for rel in (Rel.MENTIONS, Rel.RELATED_TO, Rel.CO_OCCURS)
    )
    typer.echo(f"  edges: {edges}")
    top = ", ".join(f"{c['name']} ({c['df']})" for c in kg.top_concepts(8))
    typer.echo(f"  top concepts (papers): {top}")
    typer.echo(f"  wrote: {', '.join(str(p) for p in written)}")


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
    thesaurus: ThesaurusFile = None,
    seeds: SeedsFile = None,
    author_keywords: AuthorKeywords = "ignore",
    columns: Columns = None,
    skip_bad: SkipBad = False,
    report: Report = None,
) -> None:
    """Print each paper's top concepts, best first, papers in input order."""
    with stoppable(), user_errors(), stage_progress(quiet) as stages:
        check_outputs_are_not_inputs(inputs, [report if skip_bad else None])
        with stages.stage("read"):
            corpus = reading_options(format, columns, skip_bad).read(inputs)
        options = build_options(model, max_words, thesaurus, seeds, author_keywords)
        ranked = rank_concepts(corpus, options, top=top, report=stages)
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
            typer.echo(terminal_safe(f"{item.paper.paper_id}  {heading}"))
            for mention, info in item.concepts:
                typer.echo(f"  {mention.weight:6.3f}  {info.name}")
    if skip_bad and report is not None:
        with user_errors():
            write_bad_records(corpus, report)
    _print_ingest_summary(corpus, err=True)


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
    max_concepts: ExportMaxConcepts = None,
    max_edges: ExportMaxEdges = None,
    max_papers: ExportMaxPapers = None,
) -> None:
    """Write the graph built in DIR in another format."""
    given = {"max_concepts": max_concepts, "max_edges": max_edges, "max_papers": max_papers}
    limits = {name: limit(value) for name, value in given.items() if value is not None}
    with user_errors():
        path = exporters.export(directory, to, output, **limits)
    typer.echo(f"wrote {path}")
