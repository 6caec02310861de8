"""What the commands show besides their results: stage progress bars, JSON."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from graph_builder.pipeline import BuildReport

__all__ = ["echo_json", "stage_progress"]


@contextmanager
def stage_progress(quiet: bool) -> Iterator[BuildReport]:
    """A build report whose stages show as progress bars on a terminal's stderr."""
    # Imported here: the commands that only print JSON need neither.
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskID,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from graph_builder.pipeline import BuildReport

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


def echo_json(value: object) -> None:
    typer.echo(json.dumps(value, ensure_ascii=False, indent=1))
