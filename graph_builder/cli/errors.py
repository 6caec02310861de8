"""How the commands end: a user's mistake as one line and exit 2, a signal as one line and
exit 128 + its number."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import typer

from graph_builder.errors import PaperkgError

__all__ = ["stoppable", "user_errors"]


@contextmanager
def user_errors() -> Iterator[None]:
    try:
        yield
    except PaperkgError as exc:
        from graph_builder.ingest.sanitise import terminal_safe  # not paid for by a success

        typer.echo(f"paperkg: error: {terminal_safe(str(exc))}", err=True)
        raise typer.Exit(2) from None


class _Signalled(BaseException):
    """SIGTERM, raised in the main thread so that every ``finally`` (staging, workers) runs."""


@contextmanager
def stoppable(after: str = "") -> Iterator[None]:
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
