"""arXiv API Atom XML (``export.arxiv.org/api/query`` results), parsed safely.

Parsed with `defusedxml <https://pypi.org/project/defusedxml/>`_ and any DTD
refused, so neither an entity bomb ("billion laughs") nor an external entity
(``<!ENTITY x SYSTEM "file:///etc/passwd">``) is ever expanded or fetched.
Each ``<entry>`` gives ``id`` (the arXiv id with its version), ``title``,
``summary``, ``published``, ``author/name``, ``arxiv:doi`` and the abstract
page link.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden

from graph_builder.errors import InputError
from graph_builder.ingest._common import (
    display_name,
    make_paper,
    normalise_arxiv_id,
    read_text,
    record,
)
from graph_builder.model import BadRecord, Paper

__all__ = ["NAME", "SUFFIXES", "read", "sniff"]

NAME = "arxiv"
SUFFIXES = (".atom", ".xml")

_ATOM = "{http://www.w3.org/2005/Atom}"
_ARXIV = "{http://arxiv.org/schemas/atom}"
_FEED = re.compile(r"<(?:\w+:)?feed\b[^>]*http://www\.w3\.org/2005/Atom")


def sniff(head: str) -> bool:
    """True when the text opens an Atom feed."""
    return bool(_FEED.search(head))


def read(path: Path) -> Iterator[Paper | BadRecord]:
    """Yield one paper per ``<entry>`` of the feed."""
    name = display_name(path)
    text = read_text(path)
    try:
        root = SafeET.fromstring(text, forbid_dtd=True)
    except (DTDForbidden, EntitiesForbidden):
        raise InputError(
            f"{name}: the XML declares a DTD or entities, which paperkg refuses to expand"
        ) from None
    except DefusedXmlException as exc:
        raise InputError(f"{name}: unsafe XML refused: {exc}") from None
    except ParseError as exc:
        line, column = exc.position
        raise InputError(f"{name}: line {line}: malformed XML (column {column + 1})") from None
    if root.tag != f"{_ATOM}feed":
        raise InputError(f"{name}: not an Atom feed (root element {root.tag!r})")
    entries = root.findall(f"{_ATOM}entry")
    if not entries:
        raise InputError(f"{name}: the feed has no <entry>")
    for number, entry in enumerate(entries, start=1):
        yield from record(f"{name}: entry {number}", _paper, entry, source=f"{name}#{number}")


def _text(entry: Element, tag: str) -> str:
    element = entry.find(tag)
    return "".join(element.itertext()) if element is not None else ""


def _paper(entry: Element, *, source: str) -> Paper:
    entry_id = _text(entry, f"{_ATOM}id").strip()
    arxiv_id = normalise_arxiv_id(entry_id, keep_version=True)
    page = next(
        (
            link.get("href")
            for link in entry.findall(f"{_ATOM}link")
            if link.get("rel") == "alternate" and link.get("href")
        ),
        None,
    )
    return make_paper(
        source=source,
        abstract=_text(entry, f"{_ATOM}summary"),
        title=_text(entry, f"{_ATOM}title"),
        paper_id=normalise_arxiv_id(entry_id) or entry_id or None,
        date=_text(entry, f"{_ATOM}published").strip() or None,
        authors=tuple(
            _text(author, f"{_ATOM}name").strip() for author in entry.findall(f"{_ATOM}author")
        ),
        doi=_text(entry, f"{_ARXIV}doi").strip() or None,
        arxiv_id=arxiv_id,
        url=page or (entry_id if entry_id.startswith("http") else None),
        categories=tuple(
            c.get("term", "") for c in entry.findall(f"{_ATOM}category") if c.get("term")
        ),
        venue=_text(entry, f"{_ARXIV}journal_ref").strip() or None,
    )
