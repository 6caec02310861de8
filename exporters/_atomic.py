"""Writing outputs so that a failure never leaves a half-written file or directory.

An operating-system error while writing (a full disk, a permission, a directory where the
file should go) becomes one :class:`~graph_builder.errors.ExportError` naming the output.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from graph_builder.errors import ExportError

__all__ = ["atomic_path", "staged_directory"]


def _file_mode() -> int:
    """The mode a plain ``open()`` would give a new file (mkstemp makes it 0600)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it onto ``path`` only on success."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise ExportError(f"{path}: cannot write: {exc.strerror}") from None
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, _file_mode())
        os.replace(tmp, path)
    except OSError as exc:
        raise ExportError(f"{path}: cannot write: {_reason(exc)}") from None
    finally:
        Path(tmp).unlink(missing_ok=True)


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc) or type(exc).__name__


@contextmanager
def staged_directory(directory: str | Path) -> Iterator[Path]:
    """Yield an empty staging directory; on success move its files into ``directory``.

    On failure the staging directory is removed, and so is ``directory`` when
    this call created it, so no half-written output is left behind.
    """
    directory = Path(directory)
    created = not directory.exists()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".paperkg-staging-", dir=directory))
    except OSError as exc:
        raise ExportError(
            f"{directory}: cannot create the output directory: {exc.strerror}"
        ) from None
    try:
        yield staging
        for item in sorted(staging.iterdir()):
            os.replace(item, directory / item.name)
    except OSError as exc:
        if created:
            shutil.rmtree(directory, ignore_errors=True)
        where = exc.filename or directory
        raise ExportError(f"{where}: cannot write: {_reason(exc)}") from None
    except BaseException:
        if created:
            shutil.rmtree(directory, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
