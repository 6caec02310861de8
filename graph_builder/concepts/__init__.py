"""Concept extraction: candidate terms per paper from a spaCy parse.

One module per method, registered in :data:`EXTRACTORS` under a versioned
name; the spaCy pipeline is loaded once per process and fed with ``nlp.pipe``.

Extraction runs in this process, in ``workers`` processes of this machine, or
on a Dask cluster: papers go out in chunks of at most :data:`CHUNK_SIZE`, each chunk is
parsed with ``nlp.pipe`` and turned into candidates where it was parsed (only
the small candidate lists travel back, as plain tuples), and chunks come back
in input order, so every way gives the same result.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from graph_builder.concepts import noun_phrases
from graph_builder.concepts.candidates import Candidate, Packed, PaperCandidates, pack, unpack
from graph_builder.concepts.nlp import (
    EXCLUDED_COMPONENTS,
    load_pipeline,
    pipeline_meta,
    resolve_model,
    verb_lemmas,
)
from graph_builder.digests import tree_digest
from graph_builder.errors import ConfigError
from graph_builder.lifetime import die_with_parent, stop_workers
from graph_builder.model import Paper

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = [
    "CHUNK_SIZE",
    "EXTRACTION_VERSION",
    "EXTRACTORS",
    "Candidate",
    "ExtractionSpec",
    "PaperCandidates",
    "default_workers",
    "extract_batch",
    "extract_candidates",
    "extraction_settings",
    "iter_extracted",
    "load_pipeline",
    "resolve_model",
]

#: Extraction methods by versioned name.
EXTRACTORS = {noun_phrases.NAME: noun_phrases.extract}
DEFAULT_METHOD = noun_phrases.NAME
#: Bump when extraction gives different candidates for the same text; it is part
#: of the extraction cache's key (so is a digest of this package's source files).
EXTRACTION_VERSION = "4"
_GLUED_HEADING = re.compile(r"\b(?:Abstract|ABSTRACT)(?=[A-Z][a-z])")
#: Papers sent to a worker at a time.
CHUNK_SIZE = 128
#: ``nlp.pipe`` batch size inside a chunk.
PIPE_BATCH_SIZE = 64


@dataclass(frozen=True, slots=True)
class ExtractionSpec:
    """What a worker needs to extract candidates: the pipeline and the method's options."""

    model: str | None = None
    method: str = DEFAULT_METHOD
    max_words: int = 4

    def check(self) -> None:
        """Raise :class:`ConfigError` for an unknown method."""
        if self.method not in EXTRACTORS:
            raise ConfigError(
                f"unknown extraction method {self.method!r}; choose one of: {', '.join(EXTRACTORS)}"
            )


def default_workers() -> int:
    """Processes to parse with by default: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def extraction_settings(spec: ExtractionSpec) -> dict[str, Any]:
    """Everything that changes what extraction returns for a text (the cache key's part).

    Reads the pipeline's ``meta.json`` but does not load its models.
    """
    spec.check()
    meta = pipeline_meta(spec.model)
    return {
        "spacy_model": f"{meta['lang']}_{meta['name']}",
        "spacy_model_version": meta["version"],
        "spacy_version": version("spacy"),
        "excluded_components": list(EXCLUDED_COMPONENTS),
        "method": spec.method,
        "max_words": spec.max_words,
        "extraction_version": EXTRACTION_VERSION,
        "extraction_source": tree_digest(Path(__file__).parent),
    }


def _extract_docs(
    nlp: Language, items: Sequence[tuple[str, str]], spec: ExtractionSpec
) -> Iterator[PaperCandidates]:
    extract = EXTRACTORS[spec.method]
    options = noun_phrases.NounPhraseOptions(max_words=spec.max_words, verbs=verb_lemmas(nlp))
    texts = (_clean(text) for _, text in items)
    for (paper_id, _), doc in zip(items, nlp.pipe(texts, batch_size=PIPE_BATCH_SIZE), strict=True):
        yield extract(doc, paper_id, options)


def _clean(text: str) -> str:
    """The text without a heading some sources glue to its first word ("AbstractSoftware")."""
    return _GLUED_HEADING.sub("", text) if "bstract" in text or "BSTRACT" in text else text


def extract_batch(spec: ExtractionSpec, items: Sequence[tuple[str, str]]) -> list[PaperCandidates]:
    """Candidates of ``(paper id, text)`` pairs, in order; what one worker does with a chunk."""
    spec.check()
    return list(_extract_docs(load_pipeline(spec.model), items, spec))


def extract_candidates(
    papers: Sequence[Paper],
    nlp: Language,
    *,
    method: str = DEFAULT_METHOD,
    max_words: int = 4,
    batch_size: int = PIPE_BATCH_SIZE,
    progress: Callable[[int], None] | None = None,
) -> list[PaperCandidates]:
    """Parse every paper's title and abstract with ``nlp`` and return its candidates, in order."""
    spec = ExtractionSpec(None, method, max_words)
    spec.check()
    results = []
    for candidates in _extract_docs(nlp, [(p.paper_id, p.text) for p in papers], spec):
        results.append(candidates)
        if progress:
            progress(1)
    return results


def _extract_packed(spec: ExtractionSpec, items: Sequence[tuple[str, str]]) -> Packed:
    """:func:`extract_batch` in the form that is cheap to send between processes."""
    return pack(extract_batch(spec, items))


class _Future(Protocol):
    def result(self) -> Packed: ...


def _in_order(
    chunks: Iterator[Sequence[tuple[str, str]]],
    submit: Callable[[Sequence[tuple[str, str]]], _Future],
    window: int,
) -> Iterator[list[PaperCandidates]]:
    """Results of each chunk in order, with at most ``window`` chunks in flight."""
    pending: deque[_Future] = deque()
    for chunk in chunks:
        pending.append(submit(chunk))
        if len(pending) >= window:
            yield unpack(pending.popleft().result())
    while pending:
        yield unpack(pending.popleft().result())


def _load_in_worker(model: str | None, parent: int | None) -> None:
    die_with_parent(parent or os.getppid())
    load_pipeline(model)


def _pool_context(model: str | None) -> multiprocessing.context.BaseContext:
    """How worker processes start.

    Forked from this process when that is safe (Linux, no other thread that
    could hold a lock at the fork): they inherit the pipeline, loaded here once,
    and start at once. Otherwise from a fork server that imported this package
    once, so that each worker only loads the pipeline; spawned where neither exists.
    Starting a worker by spawning costs more CPU than parsing a hundred abstracts.
    """
    methods = multiprocessing.get_all_start_methods()
    if sys.platform.startswith("linux") and "fork" in methods and threading.active_count() == 1:
        load_pipeline(model)
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])
        return context
    return multiprocessing.get_context("spawn")


def iter_extracted(
    items: Sequence[tuple[str, str]],
    spec: ExtractionSpec,
    *,
    workers: int = 1,
    dask: str | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> Iterator[list[PaperCandidates]]:
    """Extract ``(paper id, text)`` pairs chunk by chunk; yield each chunk's candidates in order.

    Parameters
    ----------
    items : the papers to parse.
    spec : pipeline and method.
    workers : processes on this machine (1: parse in this process).
    dask : address of a Dask scheduler (``tcp://host:8786``); overrides ``workers``.
        Its workers need paperkg and the spaCy pipeline installed.
    chunk_size : papers per task.

    Raises
    ------
    ConfigError
        Unknown method or pipeline, ``dask`` without the ``distributed`` package,
        or a scheduler that cannot be reached.
    """
    spec.check()
    if workers < 1:
        raise ConfigError(f"workers must be 1 or more, not {workers}")
    if not items:
        return
    size = _even_chunk_size(len(items), chunk_size, 1 if dask else workers)
    chunks = (items[i : i + size] for i in range(0, len(items), size))
    if dask:
        yield from _on_dask(dask, spec, chunks)
    elif workers == 1 or len(items) <= chunk_size:
        nlp = load_pipeline(spec.model)
        for chunk in chunks:
            yield list(_extract_docs(nlp, chunk, spec))
    else:
        context = _pool_context(spec.model)
        # Each worker watches this process: a forked one's parent, a fork server's ancestor.
        parent = os.getpid()
        with ProcessPoolExecutor(
            workers, mp_context=context, initializer=_load_in_worker, initargs=(spec.model, parent)
        ) as pool:
            try:
                yield from _in_order(
                    chunks, lambda chunk: pool.submit(_extract_packed, spec, chunk), 2 * workers
                )
            except BaseException:  # stopped early (an error, a signal, the caller closing)
                stop_workers(pool)
                raise


def _even_chunk_size(count: int, most: int, workers: int) -> int:
    """Papers per chunk: at most ``most``, chunks a multiple of ``workers`` in number.

    With 400 papers, 2 workers and chunks of 128, one worker parsed 256 papers
    and the other 144; chunks of 100 give each 200.

    Examples
    --------
    >>> _even_chunk_size(400, 128, 2), _even_chunk_size(800, 128, 2), _even_chunk_size(50, 128, 1)
    (100, 100, 50)
    """
    chunks = -(-count // most)
    chunks = -(-chunks // workers) * workers
    return max(1, -(-count // chunks))


def _on_dask(
    address: str, spec: ExtractionSpec, chunks: Iterator[Sequence[tuple[str, str]]]
) -> Iterator[list[PaperCandidates]]:
    try:
        from distributed import Client
    except ImportError:
        raise ConfigError(
            "--dask needs the 'distributed' package: pip install 'paperkg[dask]'"
        ) from None
    try:
        client = Client(address, set_as_default=False, timeout="5s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise ConfigError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    with client:
        threads = max(1, sum(client.nthreads().values()))
        yield from _in_order(
            chunks,
            lambda chunk: client.submit(_extract_packed, spec, list(chunk), pure=False),
            2 * threads,
        )
