"""What extraction produces for one paper, before the corpus is seen as a whole."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Candidate", "PaperCandidates"]


@dataclass(frozen=True, slots=True)
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
