"""Converting and cleaning records in worker processes, in input order.

Turning a record into a :class:`~graph_builder.model.Paper` (LaTeX to text,
unicode normalisation, ids, dates) and the language check cost about a
millisecond a record; splitting a file into records costs little. So readers run
in this process inside :func:`~graph_builder.ingest._common.deferred_records`,
yielding a :class:`~graph_builder.ingest._common.RecordTask` per record, and a
:class:`Cleaner` sends the tasks, in chunks, to ``workers`` processes. Chunks
come back in input order, so the papers, bad records and their messages are
those of a reading in one process.

Below :data:`MIN_PARALLEL` records no process is started: the workers' start
(importing this package, loading the language model) costs more than it saves.
Workers end with the build (:mod:`graph_builder.lifetime`).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from types import TracebackType
from typing import TypeAlias

from graph_builder.errors import InputError
from graph_builder.ingest._common import RecordTask, deferred_records
from graph_builder.ingest.language import detect_language
from graph_builder.lifetime import die_with_parent, stop_workers
from graph_builder.model import BadRecord, Paper, SourceNote

__all__ = ["CHUNK_RECORDS", "MIN_PARALLEL", "Cleaned", "Cleaner", "language_of"]

#: Records below which reading stays in this process.
MIN_PARALLEL = 2_000
#: Records sent to a worker at a time.
CHUNK_RECORDS = 250

Item: TypeAlias = Paper | SourceNote | BadRecord
#: An item a reader yields, and the language of its abstract when a worker checked it
#: (None: not checked).
Cleaned: TypeAlias = tuple[Item, str | None]


def language_of(paper: Paper) -> str:
    """The language of the paper's abstract (``"en"`` for a paper without one)."""
    return detect_language(paper.abstract) if paper.abstract else "en"


def _clean_chunk(items: list[Item | RecordTask], check_language: bool) -> list[Cleaned]:
    """What a worker does with a chunk: run its tasks, check their papers' language."""
    done: list[Cleaned] = []
    for item in items:
        if isinstance(item, RecordTask):
            item = item.run()
        language = language_of(item) if check_language and isinstance(item, Paper) else None
        done.append((item, language))
    return done


def _start_worker(parent: int) -> None:
    die_with_parent(parent)


def _pool_context() -> multiprocessing.context.BaseContext:
    """Forked from this process when that is safe (Linux, no other thread that could hold a
    lock at the fork), else from a fork server that imported this module once."""
    methods = multiprocessing.get_all_start_methods()
    if sys.platform.startswith("linux") and "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])
        return context
    return multiprocessing.get_context("spawn")


class Cleaner:
    """Reads records through worker processes; a context manager that ends them.

    Parameters
    ----------
    workers : processes (1: everything in this process, no deferral).
    check_language : also check each paper's language in the workers.
    min_parallel : records below which no process is started (:data:`MIN_PARALLEL`).
    chunk : records per task (:data:`CHUNK_RECORDS`).
    """

    def __init__(
        self,
        workers: int,
        *,
        check_language: bool,
        min_parallel: int | None = None,
        chunk: int | None = None,
    ) -> None:
        self.workers = workers
        self.check_language = check_language
        self.min_parallel = MIN_PARALLEL if min_parallel is None else min_parallel
        self.chunk = CHUNK_RECORDS if chunk is None else chunk
        self._pool: ProcessPoolExecutor | None = None
        self._deferral = deferred_records() if workers > 1 else None

    def __enter__(self) -> Cleaner:
        if self._deferral is not None:
            self._deferral.__enter__()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            if self._pool is not None:
                if error is None:
                    self._pool.shutdown()
                else:  # stopped early (an error, a signal): no chunk is finished
                    stop_workers(self._pool)
                self._pool = None
        finally:
            if self._deferral is not None:
                self._deferral.__exit__(kind, error, traceback)

    def clean(self, items: Iterable[Item | RecordTask]) -> Iterator[Cleaned]:
        """The items of one reader, each task run, in order.

        An :class:`InputError` of the reader (the file breaks off) comes after the
        items it yielded before it, as in a reading in one process.
        """
        if self._deferral is None:
            yield from ((item, None) for item in items)  # type: ignore[misc]
            return
        iterator = iter(items)
        if self._pool is None:
            head: list[Item | RecordTask] = []
            try:
                for item in iterator:
                    head.append(item)
                    if len(head) >= self.min_parallel:
                        break
            except InputError:
                yield from _clean_chunk(head, False)
                raise
            if len(head) < self.min_parallel:
                yield from _clean_chunk(head, False)
                return
            self._pool = self._start()
            iterator = _chained(head, iterator)
        yield from self._in_pool(iterator, self._pool)

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            self.workers,
            mp_context=_pool_context(),
            initializer=_start_worker,
            initargs=(os.getpid(),),
        )

    def _in_pool(
        self, items: Iterator[Item | RecordTask], pool: ProcessPoolExecutor
    ) -> Iterator[Cleaned]:
        pending: deque[Future[list[Cleaned]]] = deque()
        batch: list[Item | RecordTask] = []
        window = 2 * self.workers
        broken: InputError | None = None
        while True:
            try:
                item = next(items)
            except StopIteration:
                break
            except InputError as exc:
                broken = exc
                break
            batch.append(item)
            if len(batch) >= self.chunk:
                pending.append(pool.submit(_clean_chunk, batch, self.check_language))
                batch = []
                if len(pending) >= window:
                    yield from pending.popleft().result()
        if batch:
            pending.append(pool.submit(_clean_chunk, batch, self.check_language))
        while pending:
            yield from pending.popleft().result()
        if broken is not None:
            raise broken


def _chained(
    head: list[Item | RecordTask], rest: Iterator[Item | RecordTask]
) -> Iterator[Item | RecordTask]:
    yield from head
    yield from rest
