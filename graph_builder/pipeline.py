"""The whole build, stage by stage: papers -> candidates -> vocabulary -> graph."""

from __future__ import annotations

import resource
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from importlib.metadata import version
from pathlib import Path
from typing import Any

from graph_builder.analysis import AnalysisOptions, analyse
from graph_builder.cache import ExtractionCache, cache_key, extraction_fingerprint
from graph_builder.concepts import (
    CHUNK_SIZE,
    DEFAULT_METHOD,
    ExtractionSpec,
    PaperCandidates,
    default_workers,
    extraction_settings,
    iter_extracted,
)
from graph_builder.gcpause import gc_paused
from graph_builder.linking import LinkOptions, link
from graph_builder.model import Corpus, KnowledgeGraph, Paper
from graph_builder.thesaurus import Thesaurus
from graph_builder.trends import TrendOptions, trends
from graph_builder.vocabulary import ConceptInfo, Mention, Vocabulary, build_vocabulary

__all__ = [
    "BuildOptions",
    "BuildReport",
    "PaperConcepts",
    "RunOptions",
    "StageTiming",
    "build_graph",
    "rank_concepts",
]

Progress = Callable[[int], None]
#: Called when a stage starts, with its name and item count (None: unknown);
#: returns the callable to advance that stage's progress by some items.
StageHook = Callable[[str, int | None], Progress]


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """Everything that changes the graph built from a corpus.

    ``model`` is a spaCy pipeline name (None: the first installed default);
    ``max_words`` the longest concept, in words; ``link`` the edge limits;
    ``analysis`` the hierarchy and topic options; ``trends`` the period and burst options.
    ``thesaurus`` merges and drops terms, ``seeds`` are terms that are always
    concepts (see :mod:`graph_builder.thesaurus`); ``author_keywords``: the
    keywords the records give are seeds too (each a concept wherever its words
    are written, in its own paper and in the others).
    """

    model: str | None = None
    method: str = DEFAULT_METHOD
    max_words: int = 4
    link: LinkOptions = field(default_factory=LinkOptions)
    thesaurus: Thesaurus | None = None
    seeds: tuple[str, ...] = ()
    author_keywords: bool = False
    analysis: AnalysisOptions = field(default_factory=AnalysisOptions)
    trends: TrendOptions = field(default_factory=TrendOptions)


@dataclass(frozen=True, slots=True)
class RunOptions:
    """How a build runs; nothing here changes the graph.

    ``workers``: processes that parse (None: one per core; 1: this process);
    ``dask``: a Dask scheduler address (``tcp://host:8786``) to parse on instead;
    ``cache``: the SQLite file of the extraction cache (None: no cache);
    ``chunk_size``: papers per task sent to a worker.
    """

    workers: int | None = None
    dask: str | None = None
    cache: Path | None = None
    chunk_size: int = CHUNK_SIZE


@dataclass(frozen=True, slots=True)
class StageTiming:
    """One stage of a build: wall time, items handled, peak memory so far (MB).

    ``peak_mb`` is this process's peak resident memory since it started;
    ``workers_peak_mb`` the largest peak of a finished worker process.
    """

    name: str
    seconds: float
    items: int | None
    peak_mb: float
    workers_peak_mb: float


def _peak_mb(who: int) -> float:
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    return resource.getrusage(who).ru_maxrss / scale


@dataclass(slots=True)
class BuildReport:
    """What a build did: per-stage timings, papers parsed and papers read from the cache.

    ``on_stage`` lets a caller show progress (see :data:`StageHook`).
    """

    stages: list[StageTiming] = field(default_factory=list)
    parsed: int = 0
    cached: int = 0
    on_stage: StageHook | None = None
    #: What went wrong but did not stop the build (an unreadable cache), one line each.
    notes: list[str] = field(default_factory=list)

    @contextmanager
    def stage(
        self, name: str, total: int | None = None, *, items: int | None = None
    ) -> Iterator[Progress]:
        """Time the enclosed block as stage ``name``; yield its progress callable.

        ``total`` is the count the progress callable goes up to (None: unknown);
        ``items`` what the stage handled, for the report (default: ``total``).
        """
        advance = self.on_stage(name, total) if self.on_stage else _ignore
        start = time.perf_counter()
        yield advance
        self.stages.append(
            StageTiming(
                name,
                time.perf_counter() - start,
                total if items is None else items,
                _peak_mb(resource.RUSAGE_SELF),
                _peak_mb(resource.RUSAGE_CHILDREN),
            )
        )

    def table(self) -> str:
        """The stages as a text table, one line each, then the total.

        Examples
        --------
        >>> report = BuildReport([StageTiming("link", 1.25, 10, 300.0, 0.0)], parsed=10)
        >>> print(report.table())
        stage                  seconds     items  peak MB  workers MB
        link                      1.25        10      300           0
        total                     1.25                300           0
        parsed 10 papers, 0 from the cache
        """
        lines = [f"{'stage':<20}{'seconds':>10}{'items':>10}{'peak MB':>9}{'workers MB':>12}"]
        for s in self.stages:
            items = "" if s.items is None else str(s.items)
            lines.append(
                f"{s.name:<20}{s.seconds:>10.2f}{items:>10}{s.peak_mb:>9.0f}"
                f"{s.workers_peak_mb:>12.0f}"
            )
        total = sum(s.seconds for s in self.stages)
        peak = max((s.peak_mb for s in self.stages), default=0.0)
        workers = max((s.workers_peak_mb for s in self.stages), default=0.0)
        lines.append(f"{'total':<20}{total:>10.2f}{'':>10}{peak:>9.0f}{workers:>12.0f}")
        lines.append(f"parsed {self.parsed} papers, {self.cached} from the cache")
        return "\n".join(lines)


def _ignore(_: int) -> None:
    return None


@dataclass(frozen=True, slots=True)
class PaperConcepts:
    """A paper and its concepts, best first."""

    paper: Paper
    concepts: list[tuple[Mention, ConceptInfo]]


def _extract_vocabulary(
    corpus: Corpus,
    options: BuildOptions,
    progress: Progress | None,
    run: RunOptions,
    report: BuildReport,
) -> tuple[list[Paper], Vocabulary, dict[str, Any]]:
    """The stages before linking: each paper's candidates, then the corpus's vocabulary.

    Returns the papers (the first of each id), their vocabulary and the spaCy pipeline used.
    """
    papers = _unique(corpus.papers)
    spec = ExtractionSpec(options.model, options.method, options.max_words)
    settings = extraction_settings(spec)
    pipeline = {
        "spacy_model": settings["spacy_model"],
        "spacy_model_version": settings["spacy_model_version"],
        "method": options.method,
    }
    extracted = _extract(papers, spec, settings, progress, run, report)
    with report.stage("vocabulary", items=len(papers)), gc_paused():
        seeds = options.seeds
        if options.author_keywords:
            seeds = tuple(dict.fromkeys([*seeds, *(k for p in papers for k in p.keywords)]))
        vocabulary = build_vocabulary(extracted, thesaurus=options.thesaurus, seeds=seeds)
    return papers, vocabulary, pipeline


def _extract(
    papers: list[Paper],
    spec: ExtractionSpec,
    settings: dict[str, Any],
    progress: Progress | None,
    run: RunOptions,
    report: BuildReport,
) -> list[PaperCandidates]:
    """Every paper's candidates, in order: from the cache, else parsed (and then cached)."""
    fingerprint = extraction_fingerprint(settings)
    keys = [cache_key(p.text, fingerprint) for p in papers]
    results: list[PaperCandidates | None] = [None] * len(papers)
    cache = ExtractionCache(run.cache) if run.cache is not None else None
    try:
        if cache is not None:
            with report.stage("cache lookup", len(papers)) as advance, gc_paused():
                stored = cache.get_many(keys)
                for index, (paper, key) in enumerate(zip(papers, keys, strict=True)):
                    if key in stored:  # None when the entry is unreadable: parsed again
                        results[index] = cache.load(stored[key], paper.paper_id)
                advance(len(papers))
        # Papers with the same text are parsed once.
        first: dict[str, int] = {}
        for index, key in enumerate(keys):
            if results[index] is None:
                first.setdefault(key, index)
        todo = list(first.values())
        report.cached = len(papers) - sum(1 for r in results if r is None)
        report.parsed = len(todo)
        items = [(papers[i].paper_id, papers[i].text) for i in todo]
        workers = run.workers or default_workers()
        done = 0
        with report.stage("extract", len(todo)) as advance:
            for chunk in iter_extracted(
                items, spec, workers=workers, dask=run.dask, chunk_size=run.chunk_size
            ):
                indices = todo[done : done + len(chunk)]
                for index, candidates in zip(indices, chunk, strict=True):
                    results[index] = candidates
                if cache is not None:
                    cache.put_many((keys[i], c) for i, c in zip(indices, chunk, strict=True))
                done += len(chunk)
                advance(len(chunk))
                if progress:
                    progress(len(chunk))
    finally:
        if cache is not None:
            cache.close()
            report.notes.extend(cache.problems)
    for index, key in enumerate(keys):
        if results[index] is None:
            results[index] = replace(results[first[key]], paper_id=papers[index].paper_id)
    return results  # type: ignore[return-value]


def _unique(papers: list[Paper]) -> list[Paper]:
    """The first paper of each id, in input order."""
    seen: dict[str, Paper] = {}
    for paper in papers:
        seen.setdefault(paper.paper_id, paper)
    return list(seen.values())


def rank_concepts(
    corpus: Corpus,
    options: BuildOptions = BuildOptions(),
    *,
    top: int | None = None,
    progress: Progress | None = None,
    run: RunOptions = RunOptions(),
    report: BuildReport | None = None,
) -> list[PaperConcepts]:
    """Each paper's concepts, best first (at most ``top``), papers in input order.

    ``run`` and ``report`` are as in :func:`build_graph`.
    """
    papers, vocabulary, _ = _extract_vocabulary(
        corpus, options, progress, run, report or BuildReport()
    )
    return [
        PaperConcepts(paper, [(m, vocabulary.concepts[m.key]) for m in mentions[:top]])
        for paper, mentions in zip(papers, vocabulary.mentions, strict=True)
    ]


def build_graph(
    corpus: Corpus,
    options: BuildOptions = BuildOptions(),
    *,
    progress: Progress | None = None,
    run: RunOptions = RunOptions(),
    report: BuildReport | None = None,
    previous_topics: dict[int, set[str]] | None = None,
) -> KnowledgeGraph:
    """Build the knowledge graph of a corpus.

    Parameters
    ----------
    corpus : the papers.
    options : what changes the graph.
    progress : called with the number of papers parsed, as they are.
    run : where to parse and whether to cache (see :class:`RunOptions`); the graph is
        the same whatever they say.
    report : filled with each stage's time and memory, and with cache use.
    previous_topics : the topics of a previous build (topic id -> paper ids), whose ids
        are kept where a topic is essentially the same.

    Examples
    --------
    >>> from graph_builder import Corpus, Paper
    >>> corpus = Corpus([Paper("p1", "Mean-field theory of deep neural networks."),
    ...                  Paper("p2", "Deep neural networks learn symmetry.")])
    >>> kg = build_graph(corpus)
    >>> kg.to_networkx().has_edge("paper:p1", "concept:deep neural network")
    True
    """
    report = report if report is not None else BuildReport()
    papers, vocabulary, pipeline = _extract_vocabulary(corpus, options, progress, run, report)
    with report.stage("link", items=len(papers)), gc_paused():
        kg = link(papers, vocabulary, options.link)
    with report.stage("analyse", items=kg.graph.number_of_nodes()), gc_paused():
        analyse(kg, options.analysis, previous_topics)
    with report.stage("trends", items=kg.graph.number_of_nodes()), gc_paused():
        trends(kg, options.trends)
    kg.metadata.update(
        paperkg_version=version("paperkg"),
        inputs=list(corpus.inputs),
        notes=[asdict(note) for note in corpus.notes],
        duplicates_skipped=len(corpus.papers) - len(papers),
        pipeline=pipeline,
        options={"max_words": options.max_words, **options.link.as_dict()},
    )
    return kg
