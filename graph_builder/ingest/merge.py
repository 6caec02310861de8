"""Merging the records of one paper found several times, in one file or across files.

Two records are the same paper when they share a DOI, else an arXiv id (the
version ignored: ``2101.00001v1`` is ``2101.00001v2``), else a normalised title
(lowercase letters and digits only, at least :data:`MIN_TITLE_CHARS` of them,
so that a title such as "Introduction" merges nothing). Sameness is transitive:
a BibTeX entry with a DOI and an arXiv id joins the RIS record with that DOI and
the Atom entry with that arXiv id.

The merged paper keeps, field by field, the richest value: the longest
abstract not cut off, the longest title and author list, a full date over a
bare year, the first DOI, arXiv id and URL found; its id and position are
those of the first record in input order, its ``source`` lists every record.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import replace

from graph_builder.ingest._common import normalise_arxiv_id
from graph_builder.model import Paper

__all__ = ["MIN_TITLE_CHARS", "merge_duplicates", "title_key"]

MIN_TITLE_CHARS = 16
_NOT_ALNUM = re.compile(r"[\W_]+")


def title_key(title: str) -> str | None:
    """The title reduced to lowercase letters and digits, or None when too short to trust.

    Examples
    --------
    >>> title_key("Deep Neural Networks (DNNs) for Symmetry Detection.")
    'deepneuralnetworksdnnsforsymmetrydetection'
    >>> title_key("Introduction") is None
    True
    """
    if title.isascii():  # nothing to decompose: the same key, without a loop over characters
        key = _NOT_ALNUM.sub("", title.lower())
    else:
        folded = unicodedata.normalize("NFKD", title.casefold())
        key = _NOT_ALNUM.sub("", "".join(c for c in folded if not unicodedata.combining(c)))
    return key if len(key) >= MIN_TITLE_CHARS else None


def _keys(paper: Paper) -> list[str]:
    keys = []
    if paper.doi:
        keys.append("doi:" + paper.doi.lower())
    arxiv = normalise_arxiv_id(paper.arxiv_id)
    if arxiv:
        keys.append("arxiv:" + arxiv)
    title = title_key(paper.title)
    if title:
        keys.append("title:" + title)
    return keys


def merge_duplicates(papers: list[Paper]) -> tuple[list[Paper], int]:
    """Merge the records of the same paper; return the papers and how many were merged away.

    Examples
    --------
    >>> a = Paper("a", "", title="Mean-field theory of spin glasses", doi="10.1/x")
    >>> b = Paper("b", "We study spin glasses.", title="Mean-Field Theory of Spin Glasses")
    >>> merged, count = merge_duplicates([a, b])
    >>> count, merged[0].paper_id, merged[0].abstract, merged[0].doi
    (1, 'a', 'We study spin glasses.', '10.1/x')
    """
    parent = list(range(len(papers)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for index, paper in enumerate(papers):
        for key in _keys(paper):
            if key in owner:
                a, b = find(owner[key]), find(index)
                if a != b:
                    parent[max(a, b)] = min(a, b)
            else:
                owner[key] = index
    groups: dict[int, list[Paper]] = {}
    for index, paper in enumerate(papers):
        groups.setdefault(find(index), []).append(paper)
    merged = [_merge(group) if len(group) > 1 else group[0] for group in groups.values()]
    return merged, len(papers) - len(merged)


def _merge(group: list[Paper]) -> Paper:
    first = group[0]
    abstract_from = max(group, key=lambda p: (not p.truncated, len(p.abstract)))
    dated = [p for p in group if p.date] or [p for p in group if p.year] or [first]
    return replace(
        first,
        abstract=abstract_from.abstract,
        truncated=abstract_from.truncated,
        title_only=not abstract_from.abstract,
        title=max((p.title for p in group), key=len),
        date=dated[0].date,
        year=dated[0].year,
        authors=max((p.authors for p in group), key=len),
        doi=next((p.doi for p in group if p.doi), None),
        arxiv_id=next((p.arxiv_id for p in group if p.arxiv_id), None),
        url=next((p.url for p in group if p.url), None),
        source="; ".join(dict.fromkeys(p.source for p in group)),
        categories=_union(p.categories for p in group),
        venue=next((p.venue for p in group if p.venue), None),
        keywords=_union(p.keywords for p in group),
        references=_union(p.references for p in group),
        merged_ids=tuple(
            dict.fromkeys(p.paper_id for p in group[1:] if p.paper_id != first.paper_id)
        ),
    )


def _union(lists: Iterable[tuple[str, ...]]) -> tuple[str, ...]:
    """Every value of the lists once, in order of first appearance."""
    return tuple(dict.fromkeys(v for values in lists for v in values))
