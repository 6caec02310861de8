"""Whether a build directory is up to date, so that a re-run on unchanged input does nothing.

After writing its outputs, ``paperkg build`` records in ``DIR/.paperkg-build.json``
a fingerprint of what it read and how (each input file's SHA-256, the options,
the spaCy pipeline, paperkg's own code) and the size and modification time of
each output. A later build with the same fingerprint, finding every output as
it was written, has nothing to do; anything else (an input or option changed,
paperkg upgraded, an output edited or deleted) builds again. Standard input
cannot be fingerprinted without reading it: a build from ``-`` always runs.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

__all__ = ["MANIFEST_FILE", "fingerprint", "record", "tree_digest", "up_to_date"]

MANIFEST_FILE = ".paperkg-build.json"
_CHUNK = 1 << 20


def tree_digest(root: Path) -> str:
    """A digest of the names and contents of the files under ``root`` (bytecode caches left out)."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def fingerprint(inputs: Sequence[Path], settings: Mapping[str, Any]) -> str | None:
    """The fingerprint of a build of ``inputs`` with ``settings`` (JSON-serialisable).

    None when an input is standard input (``-``) or not a readable file: such a
    build is never up to date, and reading the input reports the problem.
    """
    files = []
    for path in inputs:
        if str(path) == "-" or not path.is_file():
            return None
        try:
            files.append([str(path), _file_digest(path)])
        except OSError:
            return None
    text = json.dumps({"inputs": files, "settings": settings}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _stamp(path: Path) -> list[int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns]


def up_to_date(out: Path, stamp: str | None) -> bool:
    """Whether ``out`` holds a build with fingerprint ``stamp`` and its outputs are untouched."""
    if stamp is None:
        return False
    try:
        manifest = json.loads((out / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(manifest, dict) or manifest.get("fingerprint") != stamp:
        return False
    outputs = manifest.get("outputs")
    return isinstance(outputs, dict) and all(
        _stamp(out / name) == recorded for name, recorded in outputs.items()
    )


def record(out: Path, stamp: str | None, outputs: Sequence[Path]) -> None:
    """Remember that ``out`` now holds the build ``stamp`` wrote ``outputs`` for.

    With no fingerprint, forget any earlier one: the directory no longer
    holds what it described.
    """
    manifest = out / MANIFEST_FILE
    if stamp is None:
        manifest.unlink(missing_ok=True)
        return
    stamps = {os.path.relpath(path, out): _stamp(path) for path in outputs}
    tmp = manifest.with_name(f"{manifest.name}.tmp")
    tmp.write_text(json.dumps({"fingerprint": stamp, "outputs": stamps}, indent=1) + "\n")
    os.replace(tmp, manifest)
