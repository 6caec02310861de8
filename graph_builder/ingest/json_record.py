"""One JSON record of any source (a paperkg record, an OpenAlex work, a Semantic Scholar paper).

:func:`paper_from_record` recognises the shape of a record and converts it, so
JSON Lines and JSON arrays may hold records of any of these kinds.
"""

from __future__ import annotations

import re
from typing import Any

from graph_builder.ingest import openalex, semantic_scholar
from graph_builder.ingest._common import (
    RecordProblem,
    make_paper,
    split_authors,
    string_list,
    text_field,
)
from graph_builder.model import Paper

__all__ = ["paper_from_record"]


def paper_from_record(record: Any, *, source: str) -> Paper:
    """Convert one JSON record, whatever its kind, into a paper.

    Raises
    ------
    RecordProblem
        The record is not an object, a field has the wrong type, or it has no text.
    """
    if not isinstance(record, dict):
        raise RecordProblem(f"expected a JSON object, found {type(record).__name__}")
    if openalex.is_work(record):
        return openalex.paper_from_work(record, source=source)
    if semantic_scholar.is_paper(record):
        return semantic_scholar.paper_from_paper(record, source=source)
    return _generic(record, source=source)


def _generic(record: dict[str, Any], *, source: str) -> Paper:
    record_id = record.get("id", record.get("paper_id"))
    if isinstance(record_id, dict | list):
        raise RecordProblem(f"field 'id' must be a string, found {type(record_id).__name__}")
    authors = record.get("authors")
    if isinstance(authors, list):
        authors = [a.get("name", "") if isinstance(a, dict) else a for a in authors]
    date = record.get("date") or record.get("publication_date") or record.get("year")
    return make_paper(
        source=source,
        abstract=text_field(record, "abstract"),
        title=text_field(record, "title"),
        paper_id=str(record_id) if record_id not in (None, "") else None,
        date=str(date) if isinstance(date, str | int) and date != "" else None,
        authors=split_authors(authors),
        doi=text_field(record, "doi") or None,
        arxiv_id=text_field(record, "arxiv_id") or text_field(record, "eprint") or None,
        url=text_field(record, "url") or None,
        categories=string_list(record.get("categories"), "categories", split=_separator(record)),
        venue=next(
            (v for k in ("venue", "journal", "journal_ref") if (v := text_field(record, k))), None
        ),
        keywords=string_list(record.get("keywords"), "keywords", split=r"[;,]"),
        references=string_list(record.get("references"), "references", split=r"[;,\s]+"),
    )


def _separator(record: dict[str, Any]) -> str:
    """How a string of categories is split: on ``;`` or ``,`` when it has one
    (``Physics; Soft matter``), else on spaces (arXiv's ``cs.LG stat.ML``)."""
    value = record.get("categories")
    return r"[;,]" if isinstance(value, str) and re.search(r"[;,]", value) else r"\s+"
