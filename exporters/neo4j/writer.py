"""Writing batches in managed write transactions, one session per writer, and counting the
transactions the driver ran again."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from typing import Any

from exporters.neo4j.planning import Ids, Job, Stage
from exporters.neo4j.report import Progress
from graph_builder.errors import ExportError
from graph_builder.schema import Label, Rel

__all__ = ["Writer", "delete_in_batches", "execute_write"]


def _batches(rows: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def execute_write(session: Any, work: Callable[[Any], Any]) -> tuple[Any, int]:
    """Run ``work`` in a managed write transaction: its result, and how many times the
    driver ran it again after a transient error (a lock conflict between two writers)."""
    attempts = 0

    def counted(tx: Any) -> Any:
        nonlocal attempts
        attempts += 1
        return work(tx)

    return session.execute_write(counted), attempts - 1


def _write(
    session: Any, statement: str, rows: list[dict[str, Any]], stamp: str
) -> tuple[list[list[Any]], int]:
    """Run one batch in a managed write transaction: the statement's records as lists, and
    the number of retries."""

    def work(tx: Any) -> list[list[Any]]:
        result = tx.run(statement, rows=rows, stamp=stamp)
        values = result.values()
        result.consume()
        return values

    return execute_write(session, work)


def delete_in_batches(session: Any, statement: str, batch_size: int, **params: Any) -> int:
    """Run a ``... LIMIT $limit ... RETURN count(*) AS deleted`` statement until it deletes none."""

    def work(tx: Any) -> int:
        result = tx.run(statement, limit=batch_size, **params)
        count = result.single()["deleted"]
        result.consume()
        return count

    deleted = 0
    while count := execute_write(session, work)[0]:
        deleted += count
    return deleted


#: What a writer reports after each batch: the label or type, rows sent, the statement's
#: records (``[key, element id]`` per node written, or ``[[rows merged]]``) and its retries.
Batch = tuple[Label | Rel, int, list[list[Any]], int]


@dataclass
class Writer:
    """Where rows go: the driver, the database, the load's stamp, its batch size and progress."""

    driver: Any
    database: str | None
    stamp: str
    batch_size: int
    progress: Progress | None = None
    retries: int = 0

    def inline(self, job: Job) -> Iterator[Batch]:
        """Write a job batch by batch in this thread; yield each batch's results."""
        with self.driver.session(database=self.database) as session:
            for item, statement, rows in job:
                for batch in _batches(rows, self.batch_size):
                    records, retries = _write(session, statement, batch, self.stamp)
                    yield item, len(batch), records, retries

    def side_by_side(self, jobs: list[Job]) -> Iterator[Batch]:
        """Write each job on a session and thread of its own; yield each batch's results.

        An error in one writer, or the caller stopping early, stops the others
        after their current batch; the error is raised once all have finished.
        """
        results: queue.SimpleQueue = queue.SimpleQueue()
        stop = threading.Event()

        def run(job: Job) -> None:
            try:
                for batch in self.inline(job):
                    results.put(batch)
                    if stop.is_set():
                        break
            except BaseException as exc:  # handed to the main thread, which raises it
                results.put(exc)
            finally:
                results.put(None)

        threads = [threading.Thread(target=run, args=(job,), daemon=True) for job in jobs]
        for thread in threads:
            thread.start()
        error: BaseException | None = None
        try:
            running = len(threads)
            while running:
                item = results.get()
                if item is None:
                    running -= 1
                elif isinstance(item, BaseException):
                    error = error or item
                    stop.set()
                elif error is None:
                    yield item
        finally:
            stop.set()
            for thread in threads:
                thread.join()
        if error is not None:
            raise error

    def write(self, phases: list[list[Job]], stages: list[Stage]) -> Ids:
        """Write the phases one after the other; check every row was written.

        Returns the element ids of the nodes written, by label and key; adds the
        batches retried to :attr:`retries`.
        """
        totals = {stage.item: stage.total for stage in stages}
        done = dict.fromkeys(totals, 0)
        written = dict.fromkeys(totals, 0)
        ids: Ids = {label: {} for label in Label}
        for jobs in filter(None, phases):
            # One writer runs in this thread, so that progress can stop it after any batch.
            batches = self.side_by_side(jobs) if len(jobs) > 1 else self.inline(jobs[0])
            with closing(batches):  # stops and joins the writers if progress raises
                for item, sent, records, retries in batches:
                    self.retries += retries
                    done[item] += sent
                    if isinstance(item, Label):
                        ids[item].update(records)
                        written[item] += len(records)
                    else:
                        written[item] += records[0][0]
                    if self.progress:
                        self.progress(str(item), done[item], totals[item])
        for item, total in totals.items():
            if written[item] != total:
                what = (
                    "nodes were not found"
                    if isinstance(item, Label)
                    else ("relationships found no endpoint")
                )
                raise ExportError(
                    f"{item}: {total - written[item]} of {total} {what} in the database; "
                    "was a node deleted during the load?"
                )
        return ids
