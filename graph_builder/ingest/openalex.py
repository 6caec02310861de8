"""OpenAlex works JSON: one work, a list of works, or an API page (``{"results": [...]}``).

OpenAlex does not ship abstracts as text but as ``abstract_inverted_index``,
``{word: [positions]}``; :func:`rebuild_abstract` puts the words back in order.
Titles and abstracts may carry JATS or HTML tags, which cleaning removes.
Categories are the work's ``topics`` (else its legacy ``concepts``), keywords its
``keywords``, the venue its primary location's source, and the references its
``referenced_works`` (OpenAlex ids, as the works' own ids are kept).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from graph_builder.ingest._common import RecordProblem, make_paper, normalise_arxiv_id, string_list
from graph_builder.ingest._json import read_records
from graph_builder.model import BadRecord, Paper

__all__ = ["NAME", "SUFFIXES", "is_work", "paper_from_work", "read", "rebuild_abstract", "sniff"]

NAME = "openalex"
SUFFIXES: tuple[str, ...] = ()
_PREFIX = "https://openalex.org/"


def sniff(head: str) -> bool:
    """True when the text looks like OpenAlex JSON."""
    stripped = head.lstrip()
    return stripped.startswith(("{", "[")) and (
        "abstract_inverted_index" in head or f'"{_PREFIX}W' in head
    )


def is_work(record: dict[str, Any]) -> bool:
    """True for an OpenAlex work (it has an inverted abstract or an OpenAlex id)."""
    record_id = record.get("id")
    return "abstract_inverted_index" in record or (
        isinstance(record_id, str) and record_id.startswith(_PREFIX)
    )


def read(path: Path) -> Iterator[Paper | BadRecord]:
    """Yield one paper per work of an OpenAlex JSON file."""
    yield from read_records(path, paper_from_work)


def rebuild_abstract(index: Any) -> str:
    """The abstract text from an ``abstract_inverted_index``.

    Examples
    --------
    >>> rebuild_abstract({"graphs": [1], "Deep": [0], "learn": [2, 4], "to": [3]})
    'Deep graphs learn to learn'
    """
    if index is None:
        return ""
    if not isinstance(index, dict):
        raise RecordProblem(
            f"field 'abstract_inverted_index' must be an object, found {type(index).__name__}"
        )
    placed: list[tuple[int, str]] = []
    for word, positions in index.items():
        if not isinstance(positions, list) or not all(
            isinstance(p, int) and not isinstance(p, bool) for p in positions
        ):
            raise RecordProblem(
                f"field 'abstract_inverted_index': positions of {word[:40]!r} "
                "must be a list of integers"
            )
        placed.extend((p, word) for p in positions)
    placed.sort()
    return " ".join(word for _, word in placed)


def paper_from_work(work: Any, *, source: str) -> Paper:
    """Convert one OpenAlex work."""
    if not isinstance(work, dict):
        raise RecordProblem(f"expected a JSON object, found {type(work).__name__}")
    title = work.get("title") or work.get("display_name") or ""
    if not isinstance(title, str):
        raise RecordProblem(f"field 'title' must be a string, found {type(title).__name__}")
    abstract = work.get("abstract")
    if not isinstance(abstract, str):
        abstract = rebuild_abstract(work.get("abstract_inverted_index"))
    work_id = work.get("id")
    authors = []
    for authorship in _list(work, "authorships"):
        author = authorship.get("author") if isinstance(authorship, dict) else None
        name = author.get("display_name") if isinstance(author, dict) else None
        if isinstance(name, str):
            authors.append(name)
    urls = [
        location.get("landing_page_url")
        for location in [work.get("primary_location"), *_list(work, "locations")]
        if isinstance(location, dict) and isinstance(location.get("landing_page_url"), str)
    ]
    arxiv_id = next(
        (normalise_arxiv_id(u, keep_version=True) for u in urls if "arxiv.org" in u), None
    )
    date = work.get("publication_date") or work.get("publication_year")
    return make_paper(
        source=source,
        abstract=abstract,
        title=title,
        paper_id=work_id.removeprefix(_PREFIX) if isinstance(work_id, str) and work_id else None,
        date=str(date) if isinstance(date, str | int) else None,
        authors=tuple(authors),
        doi=work.get("doi") if isinstance(work.get("doi"), str) else None,
        arxiv_id=arxiv_id,
        url=urls[0] if urls else None,
        categories=string_list(work.get("topics") or work.get("concepts"), "topics"),
        venue=_venue(work),
        keywords=string_list(work.get("keywords"), "keywords"),
        references=tuple(
            r.removeprefix(_PREFIX)
            for r in string_list(work.get("referenced_works"), "referenced_works")
        ),
    )


def _venue(work: dict[str, Any]) -> str | None:
    """The display name of the primary location's source (or of the legacy host venue)."""
    location = work.get("primary_location")
    source = location.get("source") if isinstance(location, dict) else None
    for holder in (source, work.get("host_venue")):
        if isinstance(holder, dict) and isinstance(holder.get("display_name"), str):
            return holder["display_name"]
    return None


def _list(record: dict[str, Any], name: str) -> list[Any]:
    value = record.get(name)
    return value if isinstance(value, list) else []
