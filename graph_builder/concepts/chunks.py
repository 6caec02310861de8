"""spaCy's noun chunks as (start, end) token positions, without making ``Span`` objects.

For English, spaCy's own noun-chunk rule (``spacy.lang.en.syntax_iterators``)
is followed here on the token lists of :class:`Words`: it visits every token
as a ``Token`` object, which cost as much as the rest of extraction. Only a
candidate noun's left edge and a conjunct's heads are read from the ``Doc``.
Other languages use their own iterator as it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from graph_builder.concepts.words import Words

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["noun_chunk_bounds"]

# As in spacy/lang/en/syntax_iterators.py (spaCy 3.8).
_NP_DEPS = frozenset(
    ["oprd", "nsubj", "dobj", "nsubjpass", "pcomp", "pobj", "dative", "appos", "attr", "ROOT"]
)
_NP_POS = frozenset({"NOUN", "PROPN", "PRON"})


def noun_chunk_bounds(doc: Doc, words: Words) -> Iterator[tuple[int, int]]:
    """The (start, end) of each of ``doc.noun_chunks``, in order; ``words`` are ``doc``'s."""
    from spacy.lang.en.syntax_iterators import noun_chunks as english_noun_chunks

    if doc.noun_chunks_iterator is not english_noun_chunks or not doc.has_annotation("DEP"):
        # Another language's rule, or spaCy's own error for a text without a parse.
        if doc.noun_chunks_iterator is None:
            list(doc.noun_chunks)
        for start, end, _ in doc.noun_chunks_iterator(doc):
            yield start, end
        return
    pos, dep = words.pos, words.dep
    prev_end = -1
    for i, (p, d) in enumerate(zip(pos, dep, strict=True)):
        if p not in _NP_POS:
            continue
        left = doc[i].left_edge.i
        if left <= prev_end:
            continue
        if d in _NP_DEPS or (d == "conj" and _coordinated_to_np(doc, i)):
            prev_end = i
            yield left, i + 1


def _coordinated_to_np(doc: Doc, i: int) -> bool:
    """Whether the first conjunct of the coordination token ``i`` is in is a noun phrase."""
    head = doc[i].head
    while head.dep_ == "conj" and head.head.i < head.i:
        head = head.head
    return head.dep_ in _NP_DEPS
