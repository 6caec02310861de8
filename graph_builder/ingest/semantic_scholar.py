"""Semantic Scholar Graph API paper JSON: one paper, a list, or a ``{"data": [...]}`` page.

Fields read: ``paperId``, ``title``, ``abstract``, ``publicationDate`` or
``year``, ``authors[].name``, ``externalIds.DOI``, ``externalIds.ArXiv``, ``url``,
``fieldsOfStudy`` (else ``s2FieldsOfStudy[].category``) as categories, ``venue`` (else
``journal.name``) and ``references[].paperId``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from graph_builder.ingest._common import RecordProblem, make_paper, string_list, text_field
from graph_builder.ingest._json import read_records
from graph_builder.model import BadRecord, Paper

__all__ = ["NAME", "SUFFIXES", "is_paper", "paper_from_paper", "read", "sniff"]

NAME = "semantic-scholar"
SUFFIXES: tuple[str, ...] = ()


def sniff(head: str) -> bool:
    """True when the text looks like Semantic Scholar JSON."""
    return head.lstrip().startswith(("{", "[")) and '"paperId"' in head


def is_paper(record: dict[str, Any]) -> bool:
    """True for a Semantic Scholar paper (it has a ``paperId``)."""
    return "paperId" in record


def read(path: Path) -> Iterator[Paper | BadRecord]:
    """Yield one paper per record of a Semantic Scholar JSON file."""
    yield from read_records(path, paper_from_paper)


def paper_from_paper(paper: Any, *, source: str) -> Paper:
    """Convert one Semantic Scholar paper."""
    if not isinstance(paper, dict):
        raise RecordProblem(f"expected a JSON object, found {type(paper).__name__}")
    external = paper.get("externalIds")
    external = external if isinstance(external, dict) else {}
    authors = paper.get("authors")
    names = [
        a["name"]
        for a in (authors if isinstance(authors, list) else [])
        if isinstance(a, dict) and isinstance(a.get("name"), str)
    ]
    date = paper.get("publicationDate") or paper.get("year")
    paper_id = paper.get("paperId")
    return make_paper(
        source=source,
        abstract=text_field(paper, "abstract"),
        title=text_field(paper, "title"),
        paper_id=paper_id if isinstance(paper_id, str) and paper_id else None,
        date=str(date) if isinstance(date, str | int) else None,
        authors=tuple(names),
        doi=external.get("DOI") if isinstance(external.get("DOI"), str) else None,
        arxiv_id=external.get("ArXiv") if isinstance(external.get("ArXiv"), str) else None,
        url=paper.get("url") if isinstance(paper.get("url"), str) else None,
        categories=_categories(paper),
        venue=_venue(paper),
        references=string_list(paper.get("references"), "references"),
    )


def _categories(paper: dict[str, Any]) -> tuple[str, ...]:
    fields = paper.get("fieldsOfStudy")
    if fields:
        return string_list(fields, "fieldsOfStudy")
    detailed = paper.get("s2FieldsOfStudy")
    return tuple(
        f["category"]
        for f in (detailed if isinstance(detailed, list) else [])
        if isinstance(f, dict) and isinstance(f.get("category"), str)
    )


def _venue(paper: dict[str, Any]) -> str | None:
    venue = paper.get("venue")
    if isinstance(venue, str) and venue.strip():
        return venue
    journal = paper.get("journal")
    name = journal.get("name") if isinstance(journal, dict) else None
    return name if isinstance(name, str) else None
