"""The "similar papers" page copied from a paper's web page.

The page is a list of date lines, each followed by one abstract (possibly
cut off with ``...``). It opens with the date of the paper the list is
similar to, which has no abstract on the page, and a heading such as
``Similar papers 3``. Neither becomes a paper; both are kept as notes::

    April 8, 2015
    Similar papers 3
    October 4, 2017
    Deep neural networks are widely used in various domains. ...
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from graph_builder.ingest._common import display_name, make_paper, read_text, record
from graph_builder.ingest.dates import parse_date
from graph_builder.model import BadRecord, Paper, SourceNote

__all__ = ["NAME", "SUFFIXES", "read", "sniff"]

NAME = "similar-papers"
SUFFIXES = (".txt",)

_DATE_LINE = re.compile(r"^[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4}$")
_MAX_HEADING_WORDS = 8
_PAGE_HEADING = re.compile(r"^similar papers\b", re.IGNORECASE)


def _is_date(line: str) -> bool:
    return bool(_DATE_LINE.match(line)) and parse_date(line)[0] is not None


def _is_heading(line: str, *, seen_date: bool = True) -> bool:
    """A short line that is not a sentence; before any date, only "Similar papers ..."."""
    if not seen_date:
        return bool(_PAGE_HEADING.match(line))
    return len(line.split()) <= _MAX_HEADING_WORDS and not line.endswith((".", "..."))


def sniff(head: str) -> bool:
    """True when the first non-empty line of ``head`` is a date such as ``October 4, 2017``."""
    first = next((line.strip() for line in head.splitlines() if line.strip()), "")
    return _is_date(first)


def read(path: Path) -> Iterator[Paper | SourceNote | BadRecord]:
    """Yield the papers of a similar-papers page, and notes for its other lines."""
    name = display_name(path)
    lines = read_text(path).splitlines()
    pending: tuple[int, str] | None = None  # (line number, raw date) awaiting its abstract
    seen_paper = seen_date = False
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        if _is_date(line):
            if pending:
                yield _orphan(name, *pending, first=not seen_paper)
            pending = (number, line)
            seen_date = True
        elif pending is None and _is_heading(line, seen_date=seen_date):
            yield SourceNote(source=f"{name}:{number}", kind="heading", text=line)
        elif pending is None:  # a bad record; reading goes on at the next line
            yield BadRecord(
                f"{name}: line {number}",
                f"expected a date line such as 'October 4, 2017' before this text: {line[:60]!r}",
            )
        elif _is_heading(line) and not seen_paper:
            yield _orphan(name, *pending, first=True)
            yield SourceNote(source=f"{name}:{number}", kind="heading", text=line)
            pending = None
        else:
            yield from record(
                f"{name}: line {number}",
                make_paper,
                source=f"{name}:{number}",
                abstract=line,
                date=pending[1],
            )
            seen_paper = True
            pending = None
    if pending:
        yield _orphan(name, *pending, first=not seen_paper)


def _orphan(name: str, number: int, raw: str, *, first: bool) -> SourceNote:
    """A date with no abstract: the reference paper when it opens the page."""
    kind = "reference_paper" if first else "paper_without_abstract"
    return SourceNote(source=f"{name}:{number}", kind=kind, text=raw, date=parse_date(raw)[0])
