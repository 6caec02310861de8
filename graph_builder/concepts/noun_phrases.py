"""Candidate terms from spaCy's noun chunks (registered as ``noun_phrases.v1``).

Each noun chunk is cut at conjunctions, determiners, pronouns and punctuation
other than hyphens; leading determiners, numbers, adverbs, participles and
generic modifiers ("various", "recent") are stripped (participles stay:
"distributed systems"), as is anything after
the last noun. What remains, ``ADJ* NOUN+`` in shape, is the candidate;
every shorter run of its words that ends in a noun is a *nested* candidate,
so "deep neural networks" also offers "neural network" and "network".
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from graph_builder.concepts.abbreviations import definitions
from graph_builder.concepts.candidates import Candidate, PaperCandidates
from graph_builder.concepts.stoplists import GENERIC_MODIFIERS, GENERIC_NOUNS
from graph_builder.concepts.terms import (
    Unit,
    plural_abbreviation,
    term_key,
    unit_form,
    units_of,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = ["NAME", "NounPhraseOptions", "extract"]

NAME = "noun_phrases.v1"

_BOUNDARY_POS = frozenset({"CCONJ", "DET", "PRON", "ADP", "PUNCT", "SYM", "PART", "AUX", "SCONJ"})
_LEADING_DROP_POS = frozenset({"NUM", "ADV", "VERB", "INTJ", "X"})
_WORD_POS = frozenset({"NOUN", "PROPN", "ADJ", "VERB"})
_NOMINAL_POS = frozenset({"NOUN", "PROPN"})


@dataclass(frozen=True, slots=True)
class NounPhraseOptions:
    """``max_words``: the longest candidate, in units (hyphenated words count once)."""

    max_words: int = 4


def extract(doc: Doc, paper_id: str, options: NounPhraseOptions) -> PaperCandidates:
    """The candidates of one parsed paper, in text order."""
    result = PaperCandidates(paper_id)
    length = max(len(doc), 1)
    for chunk in _chunks(doc):
        for units in _phrases(chunk):
            result.candidates.extend(_terms(units, length, options.max_words))
    for short, long in definitions(doc):
        units = _trim(units_of(long))
        if units:
            key, name = term_key(units)
            result.abbreviations[_short_key(short)] = (key, name)
    return result


def _short_key(short: str) -> str:
    return (plural_abbreviation(short) or short).lower()


def _chunks(doc: Doc) -> Iterator[Span]:
    """spaCy's noun chunks, widened to whole hyphenated words.

    The parser often cuts a chunk inside a hyphenated word: "state-of-the-art
    performance" comes as "the-art", "end-to-end learning" as "end". Such a
    chunk is widened to the whole word and the nouns right after it, unless
    such a noun is the root of its sentence (in an abstract, a verb the
    tagger took for a noun: "The state-of-the-art relies on"); chunks never
    overlap.
    """
    done = 0
    for chunk in doc.noun_chunks:
        start, end = chunk.start, chunk.end
        while start > 0 and _joined(doc, start - 1):
            start -= 1
        while end < len(doc) and _joined(doc, end - 1):
            end += 1
        if (start, end) != (chunk.start, chunk.end):
            while end < len(doc) and (_joined(doc, end - 1) or _modified_noun(doc[end])):
                end += 1
        start = max(start, done)
        if start < end:
            done = end
            yield doc[start:end]


def _modified_noun(token: Token) -> bool:
    return token.pos_ in _NOMINAL_POS and token.dep_ != "ROOT"


def _joined(doc: Doc, i: int) -> bool:
    """Whether tokens ``i`` and ``i + 1`` are parts of one hyphenated word."""
    return not doc[i].whitespace_ and (doc[i].text == "-" or doc[i + 1].text == "-")


def _phrases(chunk: Span) -> Iterator[list[Unit]]:
    """Split a chunk at boundary words, then trim each piece to its term.

    Words inside a hyphenated word ("of" in "state-of-the-art") are no boundary.
    """
    piece: list[Unit] = []
    for unit in units_of(chunk):
        token = unit.tokens[0]
        if len(unit.tokens) == 1 and token.pos_ in _BOUNDARY_POS and token.text != "-":
            yield from _trimmed(piece)
            piece = []
        else:
            piece.append(unit)
    yield from _trimmed(piece)


def _trimmed(units: list[Unit]) -> Iterator[list[Unit]]:
    kept = _trim(units) if units else []
    if kept:
        yield kept


def _trim(units: list[Unit]) -> list[Unit]:
    start, end = 0, len(units)
    while start < end and _droppable_modifier(units[start]):
        start += 1
    while end > start and not units[end - 1].nominal:
        end -= 1
    kept = units[start:end]
    return kept if all(_is_word(u) for u in kept) else []


def _droppable_modifier(unit: Unit) -> bool:
    token = unit.tokens[0]
    if len(unit.tokens) > 1:
        return unit.text.lower() in GENERIC_MODIFIERS
    # Participles stay: "distributed systems", "reduced dynamic model".
    participle = token.pos_ == "VERB" and token.tag_ in ("VBN", "VBG") and token.dep_ == "amod"
    return (
        (token.pos_ in _LEADING_DROP_POS and not participle)
        or token.is_stop
        or token.lower_ in GENERIC_MODIFIERS
    )


def _is_word(unit: Unit) -> bool:
    """Units with letters that are tagged as words (not numbers, symbols or stray marks)."""
    letters = sum(c.isalpha() for c in unit.text)
    return letters >= 1 and any(t.pos_ in _WORD_POS for t in unit.tokens)


def _terms(units: list[Unit], length: int, max_words: int) -> Iterator[Candidate]:
    """The candidate (all units) and every nested run that ends in a nominal unit."""
    last = len(units) - 1
    # Each unit's (key, name) as a modifier and as the head, computed once per phrase.
    modifier = [unit_form(u, head=False) for u in units]
    last_head = unit_form(units[last], head=True)
    parent = " ".join([*(m[0] for m in modifier[:last]), last_head[0]])
    texts = [u.text for u in units]
    droppable = [_droppable_modifier(u) for u in units]
    for end in range(last, -1, -1):
        if not units[end].nominal:
            continue
        head = last_head if end == last else unit_form(units[end], head=True)
        for start in range(max(0, end - max_words + 1), end + 1):
            if droppable[start]:
                continue
            key = " ".join([*(m[0] for m in modifier[start:end]), head[0]])
            if not _acceptable(key):
                continue
            name = " ".join([*(m[1] for m in modifier[start:end]), head[1]])
            yield Candidate(
                key=key,
                name=name,
                surface=" ".join(texts[start : end + 1]),
                position=units[start].tokens[0].i / length,
                parent=None if (start == 0 and end == last) else parent,
            )


def _acceptable(key: str) -> bool:
    words = key.split()
    if sum(c.isalpha() for c in key) < 2:
        return False
    return not (len(words) == 1 and words[0] in GENERIC_NOUNS)
