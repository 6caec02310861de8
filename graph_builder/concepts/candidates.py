"""What extraction produces for one paper, before the corpus is seen as a whole."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Candidate", "Packed", "PaperCandidates", "pack", "unpack"]


@dataclass(slots=True)
class Candidate:
    """One occurrence of a candidate term in a paper.

    ``nested`` is true for a shorter term found inside a longer one ("neural
    network" inside "deep neural network"); the corpus decides later whether
    it stands on its own; ``parent`` is then the key of the longer term.
    ``position`` is the relative offset in the text (0 = first word).
    """

    key: str
    name: str
    surface: str
    position: float
    parent: str | None = None

    @property
    def nested(self) -> bool:
        return self.parent is not None


@dataclass(slots=True)
class PaperCandidates:
    """Every candidate of one paper, and the abbreviations it defines (short key -> long)."""

    paper_id: str
    candidates: list[Candidate] = field(default_factory=list)
    abbreviations: dict[str, tuple[str, str]] = field(default_factory=dict)


#: Candidates as plain tuples, the way they travel back from a worker process; each paper's
#: rows, without its id, are also its entry in the extraction cache (:mod:`graph_builder.cache`).
Packed = list[tuple[str, list[tuple[Any, ...]], dict[str, tuple[str, str]]]]


def pack(papers: list[PaperCandidates]) -> Packed:
    """Plain tuples, each distinct string once: a third of the bytes to pickle and unpickle.

    Examples
    --------
    >>> pc = PaperCandidates("p", [Candidate("graph", "graph", "graphs", 0.5)], {})
    >>> unpack(pack([pc])) == [pc]
    True
    """
    strings: dict[str, str] = {}
    one = strings.setdefault
    return [
        (
            paper.paper_id,
            [
                (
                    one(c.key, c.key),
                    one(c.name, c.name),
                    one(c.surface, c.surface),
                    c.position,
                    c.parent and one(c.parent, c.parent),
                )
                for c in paper.candidates
            ],
            paper.abbreviations,
        )
        for paper in papers
    ]


def unpack(packed: Packed) -> list[PaperCandidates]:
    """The papers' candidates back from :func:`pack`."""
    return [
        PaperCandidates(paper_id, [Candidate(*c) for c in candidates], abbreviations)
        for paper_id, candidates, abbreviations in packed
    ]
