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

from spacy.tokens import Doc, Span, Token

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

__all__ = ["NAME", "NounPhraseOptions", "extract"]

NAME = "noun_phrases.v1"

_BOUNDARY_POS = frozenset({"CCONJ", "DET", "PRON", "ADP", "PUNCT", "SYM", "PART", "AUX", "SCONJ"})
_LEADING_DROP_POS = frozenset({"NUM", "ADV", "VERB", "INTJ", "X"})
_WORD_POS = frozenset({"NOUN", "PROPN", "ADJ", "VERB"})


@dataclass(frozen=True, slots=True)
class NounPhraseOptions:
    """``max_words``: the longest candidate, in units (hyphenated words count once)."""

    max_words: int = 4


def extract(doc: Doc, paper_id: str, options: NounPhraseOptions) -> PaperCandidates:
    """The candidates of one parsed paper, in text order."""
    result = PaperCandidates(paper_id)
    length = max(len(doc), 1)
    for chunk in doc.noun_chunks:
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


def _phrases(chunk: Span) -> Iterator[list[Unit]]:
    """Split a chunk at boundary tokens, then trim each piece to its term."""
    piece: list[Token] = []
    for token in chunk:
        if token.pos_ in _BOUNDARY_POS and token.text != "-":
            yield from _trimmed(piece)
            piece = []
        else:
            piece.append(token)
    yield from _trimmed(piece)


def _trimmed(tokens: list[Token]) -> Iterator[list[Unit]]:
    units = _trim(units_of(tokens)) if tokens else []
    if units:
        yield units


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
        return False
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
    parent = term_key(units)[0]
    # Each unit's (key, name) as a modifier and as the head, computed once per phrase.
    modifier = [unit_form(u, head=False) for u in units]
    texts = [u.text for u in units]
    droppable = [_droppable_modifier(u) for u in units]
    for end in range(last, -1, -1):
        if not units[end].nominal:
            continue
        head = unit_form(units[end], head=True)
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
