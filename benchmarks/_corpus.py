"""Shared by the benchmarks: a corpus file made of the first records of a JSON Lines file."""

from __future__ import annotations

from itertools import islice
from pathlib import Path


def first_records(source: Path, limit: int | None, out: Path) -> tuple[Path, int]:
    """Copy the first ``limit`` lines (all when None) of ``source`` to ``out``; return both."""
    with source.open(encoding="utf-8") as lines:
        kept = [line if line.endswith("\n") else line + "\n" for line in islice(lines, limit)]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(kept), encoding="utf-8")
    return out, len(kept)
