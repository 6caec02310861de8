"""Digests of files and source trees, for cache keys and build fingerprints."""

from __future__ import annotations

import hashlib
from pathlib import Path

__all__ = ["file_digest", "tree_digest"]


def tree_digest(root: Path) -> str:
    """A digest of the names and contents of the files under ``root`` (bytecode caches left out)."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def file_digest(path: Path) -> str:
    """The SHA-256 of a file's bytes."""
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()
