"""What every reader needs: reading a file as text and turning fields into a Paper."""

from __future__ import annotations

from pathlib import Path

from graph_builder.errors import InputError
from graph_builder.ingest.dates import parse_date
from graph_builder.ingest.text import clean_text, stable_id, strip_truncation
from graph_builder.model import Paper

__all__ = ["make_paper", "read_text"]


def read_text(path: Path) -> str:
    """Read a UTF-8 text file, turning every way that can fail into an :class:`InputError`."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    if not data.strip():
        raise InputError(f"{path}: the file is empty")
    if b"\x00" in data[:8192]:
        raise InputError(f"{path}: binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{path}: line {line}: not UTF-8 text (byte 0x{data[exc.start]:02x})"
        ) from None


def make_paper(
    *,
    source: str,
    abstract: str,
    title: str = "",
    paper_id: str | None = None,
    date: str | None = None,
    authors: tuple[str, ...] = (),
    doi: str | None = None,
    arxiv_id: str | None = None,
    url: str | None = None,
) -> Paper:
    """Clean the text fields of one record and give it an id if it has none."""
    abstract, truncated = strip_truncation(clean_text(abstract))
    title = clean_text(title)
    iso, year = parse_date(date) if date else (None, None)
    return Paper(
        paper_id=paper_id or stable_id(title, abstract),
        abstract=abstract,
        title=title,
        date=iso,
        year=year,
        authors=authors,
        doi=doi,
        arxiv_id=arxiv_id,
        url=url,
        source=source,
        truncated=truncated,
    )
