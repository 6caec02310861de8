"""A build directory's outputs as generations, switched from one to the next by one rename.

A build writes every output, with its manifest, into a new directory
``DIR/.paperkg-generations/ID``. Only when all are written does it point the
symbolic link ``DIR/.paperkg-current`` at that directory, by renaming a new
link over it: one atomic step. ``DIR/graph.json`` and the other outputs are
links to ``.paperkg-current/graph.json`` and so on, made once and never
changed, so every documented path reads the current generation, and a build
killed at any point leaves the previous generation whole: readers never see
the outputs of two builds mixed.

The previous generation is kept until the next build starts, so that a reader
that found it just before the switch can still open its files. A directory
written by an older paperkg (the outputs as plain files) becomes a first
generation as is, each file moved into it and replaced by its link.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path

from graph_builder.errors import ExportError

__all__ = ["CURRENT", "GENERATIONS", "current", "new_generation"]

#: The link to the current generation's directory.
CURRENT = ".paperkg-current"
#: The directory holding the generations.
GENERATIONS = ".paperkg-generations"
_LINK_TEMP = ".paperkg-link-"


def current(out: Path) -> Path:
    """The current generation of ``out`` (a path through the link; may not exist)."""
    return out / CURRENT


@contextmanager
def new_generation(out: Path, names: Sequence[str], adopt: Sequence[str] = ()) -> Iterator[Path]:
    """Yield an empty directory for a build's outputs; on success make it ``out``'s current
    generation, with ``out/NAME`` a link to it for each of ``names``.

    Call with ``out`` held (:func:`graph_builder.locking.directory_lock`). Older
    generations but the current one are removed first; ``adopt`` names the plain files
    of an older paperkg's layout to move into a first generation. On failure the new
    directory is removed and the current generation stays.
    """
    try:
        _adopt_plain_outputs(out, [*names, *adopt])
        _remove_old(out)
        generation = Path(tempfile.mkdtemp(dir=_mkdir(out / GENERATIONS)))
        os.chmod(generation, 0o777 & ~_umask())
    except OSError as exc:
        raise ExportError(f"{out}: cannot write: {_reason(exc)}") from None
    try:
        yield generation
        for name in names:
            _link(out, name)
        _switch(out, generation)
    except OSError as exc:
        _discard(out, generation)
        raise ExportError(f"{exc.filename or out}: cannot write: {_reason(exc)}") from None
    except BaseException:
        _discard(out, generation)
        raise
    _drop_dangling_links(out)


def _discard(out: Path, generation: Path) -> None:
    """Remove a generation that was not finished (and the directory of generations when
    it was the only one)."""
    shutil.rmtree(generation, ignore_errors=True)
    with suppress(OSError):  # other generations are there
        (out / GENERATIONS).rmdir()


def _switch(out: Path, generation: Path) -> None:
    """Point ``out/CURRENT`` at ``generation`` in one rename."""
    temp = out / f"{_LINK_TEMP}{generation.name}"
    os.symlink(os.path.relpath(generation, out), temp)
    os.replace(temp, out / CURRENT)


def _link(out: Path, name: str) -> None:
    """Make ``out/name`` the link to ``CURRENT/name`` (replacing whatever is there)."""
    path, target = out / name, f"{CURRENT}/{name}"
    if path.is_symlink() and os.readlink(path) == target:
        return
    temp = out / f"{_LINK_TEMP}{name}"
    temp.unlink(missing_ok=True)
    os.symlink(target, temp)
    os.replace(temp, path)


def _drop_dangling_links(out: Path) -> None:
    """Remove the links to an output the current generation does not have (a report an
    earlier build wrote)."""
    for path in out.iterdir():
        ours = path.is_symlink() and os.readlink(path).startswith(f"{CURRENT}/")
        if ours and not path.exists():
            path.unlink()


def _remove_old(out: Path) -> None:
    """Remove every generation but the current one, and links a killed build left."""
    for temp in out.glob(f"{_LINK_TEMP}*"):
        temp.unlink()
    keep = os.path.realpath(current(out))
    generations = out / GENERATIONS
    if generations.is_dir():
        for generation in generations.iterdir():
            if os.path.realpath(generation) != keep:
                shutil.rmtree(generation, ignore_errors=True)


def _adopt_plain_outputs(out: Path, names: Sequence[str]) -> None:
    """Make the plain output files of an older layout (no current generation) a first one.

    Each file is moved, then its link put in its place: a reader may find a file missing
    for that instant, never two builds' files side by side.
    """
    if current(out).is_symlink():
        return
    plain = [name for name in names if (out / name).is_file() and not (out / name).is_symlink()]
    if not plain:
        return
    generation = Path(tempfile.mkdtemp(dir=_mkdir(out / GENERATIONS)))
    os.chmod(generation, 0o777 & ~_umask())
    _switch(out, generation)
    for name in plain:
        temp = out / f"{_LINK_TEMP}{name}"
        temp.unlink(missing_ok=True)
        os.symlink(f"{CURRENT}/{name}", temp)
        os.rename(out / name, generation / name)
        os.replace(temp, out / name)


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc) or type(exc).__name__
