"""One build (or Neo4j load) at a time per output directory.

:func:`directory_lock` takes an exclusive ``flock`` on the directory itself
(no lock file to leave behind or to race on), held by the open descriptor, so
the kernel releases it when the process ends, however it ends. A second
``paperkg build`` or ``paperkg neo4j`` on the same DIR fails at once with one
line rather than waiting: two builds into one DIR are almost always a mistake,
and a waiting build would then find DIR up to date or rebuild it for nothing.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from graph_builder.errors import ExportError

__all__ = ["STAGING_PREFIX", "directory_lock"]

#: Name prefix of the staging directories builds write into (see :mod:`exporters._atomic`).
STAGING_PREFIX = ".paperkg-staging-"


@contextmanager
def directory_lock(directory: Path) -> Iterator[None]:
    """Hold ``directory`` (created if missing) for this process; remove stale staging.

    A directory this call created is removed again when the block fails and leaves
    it empty. Raises :class:`ExportError` when another process holds it.
    """
    created = not directory.exists()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        raise ExportError(f"{directory}: cannot use the output directory: {exc.strerror}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ExportError(
                f"{directory}: another paperkg build or Neo4j load is using this directory; "
                "wait for it to finish"
            ) from None
        for stale in directory.glob(f"{STAGING_PREFIX}*"):  # left by a build that was killed
            shutil.rmtree(stale, ignore_errors=True)
        try:
            yield
        except BaseException:
            if created and not any(directory.iterdir()):
                directory.rmdir()
            raise
    finally:
        os.close(fd)
