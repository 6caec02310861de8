"""Reading papers from files: one module per format, one table of readers.

Examples
--------
>>> sorted(READERS)
['jsonl', 'similar-papers']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from graph_builder.errors import ConfigError, InputError
from graph_builder.ingest import jsonl, similar_papers
from graph_builder.model import Corpus, Paper, SourceNote

__all__ = ["READERS", "Reader", "detect_format", "read_papers"]

_SNIFF_BYTES = 4096


@dataclass(frozen=True)
class Reader:
    name: str
    suffixes: tuple[str, ...]
    read: Callable[[Path], Iterator[Paper | SourceNote]]
    sniff: Callable[[str], bool]


READERS: dict[str, Reader] = {
    module.NAME: Reader(module.NAME, module.SUFFIXES, module.read, module.sniff)
    for module in (similar_papers, jsonl)
}


def detect_format(path: Path) -> str:
    """Pick a reader by the file's suffix, else by sniffing its first bytes."""
    for reader in READERS.values():
        if path.suffix.lower() in reader.suffixes:
            return reader.name
    try:
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES).decode("utf-8", errors="replace")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    for reader in READERS.values():
        if reader.sniff(head):
            return reader.name
    raise InputError(
        f"{path}: cannot tell the format; use --format with one of: {', '.join(sorted(READERS))}"
    )


def read_papers(sources: Iterable[str | Path], format: str = "auto") -> Corpus:
    """Read every paper of every source into one :class:`Corpus`, in input order.

    Parameters
    ----------
    sources : paths of input files.
    format : a key of :data:`READERS`, or ``"auto"`` to pick by suffix and content.

    Raises
    ------
    InputError
        A file is missing, empty, unreadable, malformed, or has no paper.
    ConfigError
        ``format`` is not a known format.
    """
    if format != "auto" and format not in READERS:
        raise ConfigError(
            f"unknown format {format!r}; choose one of: auto, {', '.join(sorted(READERS))}"
        )
    corpus = Corpus()
    for source in sources:
        path = Path(source)
        name = detect_format(path) if format == "auto" else format
        count = len(corpus.papers)
        for item in READERS[name].read(path):
            if isinstance(item, Paper):
                corpus.papers.append(item)
            else:
                corpus.notes.append(item)
        if len(corpus.papers) == count:
            raise InputError(f"{path}: no papers found (read as {name})")
        corpus.inputs.append(str(path))
    return corpus
