"""Candidate terms from spaCy's noun chunks (registered as ``noun_phrases.v1``).

Each noun chunk is cut at conjunctions, determiners, pronouns and punctuation
other than hyphens; leading determiners, numbers, adverbs, participles and
generic modifiers ("various", "recent") are stripped (participles stay:
"distributed systems"), as is anything after
the last noun. What remains, ``ADJ* NOUN+`` in shape, is the candidate;
every shorter run of its words that ends in a noun is a *nested* candidate,
so "deep neural networks" also offers "neural network" and "network".

The work is done on plain lists of token attributes (:class:`Words`) and on
units as ``(start, end)`` token positions: ``Token`` and ``Span`` objects
cost more to make than everything else here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from graph_builder.concepts.abbreviations import definitions
from graph_builder.concepts.candidates import Candidate, PaperCandidates
from graph_builder.concepts.chunks import noun_chunk_bounds
from graph_builder.concepts.stoplists import GENERIC_MODIFIERS, GENERIC_NOUNS
from graph_builder.concepts.terms import (
    head_form,
    modifier_form,
    plural_abbreviation,
    unit_bounds,
)
from graph_builder.concepts.words import Words

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["NAME", "NounPhraseOptions", "extract"]

NAME = "noun_phrases.v1"

_BOUNDARY_POS = frozenset({"CCONJ", "DET", "PRON", "ADP", "PUNCT", "SYM", "PART", "AUX", "SCONJ"})
_LEADING_DROP_POS = frozenset({"NUM", "ADV", "VERB", "INTJ", "X"})
_WORD_POS = frozenset({"NOUN", "PROPN", "ADJ", "VERB"})
_NOMINAL_POS = frozenset({"NOUN", "PROPN"})

Bounds = tuple[int, int]
#: A word cut short with a period ("J." and "Comput." of a venue, "al." of "et al."):
#: no part of a term.
_ABBREVIATED = re.compile(r"^[^\W\d_]+\.$")
#: Roman numerals alone ("II" of "Phase II") are no terms.
_ROMAN = re.compile(r"^[ivx]{1,4}$")
#: :func:`_acceptable` by key: most keys recur from paper to paper.
_ACCEPTABLE: dict[str, bool] = {}
_ACCEPTABLE_LIMIT = 200_000


@dataclass(frozen=True, slots=True)
class NounPhraseOptions:
    """``max_words``: the longest candidate, in units (hyphenated words count once);
    ``verbs``: lemmas that are verbs and never nouns (see :func:`nlp.verb_lemmas`)."""

    max_words: int = 4
    verbs: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class _Flags:
    """Per token: a nominal head, a word's part of speech, has letters, both (a word),
    a droppable modifier."""

    nominal: list[bool]
    wordlike: list[bool]
    letters: list[bool]
    word: list[bool]
    droppable: list[bool]

    @classmethod
    def of(cls, words: Words) -> _Flags:
        pos = words.pos
        wordlike = [p in _WORD_POS for p in pos]
        letters = [t.isalpha() or any(c.isalpha() for c in t) for t in words.text]
        return cls(
            nominal=[p in _NOMINAL_POS for p in pos],
            wordlike=wordlike,
            letters=letters,
            word=[a and b for a, b in zip(wordlike, letters, strict=True)],
            droppable=[
                # Participles stay: "distributed systems", "reduced dynamic model".
                (
                    p in _LEADING_DROP_POS
                    and not (p == "VERB" and tag in ("VBN", "VBG") and dep == "amod")
                )
                or stop
                or text.lower() in GENERIC_MODIFIERS
                for p, tag, dep, stop, text in zip(
                    pos, words.tag, words.dep, words.stop, words.text, strict=True
                )
            ],
        )


def extract(doc: Doc, paper_id: str, options: NounPhraseOptions) -> PaperCandidates:
    """The candidates of one parsed paper, in text order."""
    words = Words.of(doc)
    flags = _Flags.of(words)
    result = PaperCandidates(paper_id)
    length = max(len(words), 1)
    for start, end in _chunks(doc, words, options.verbs):
        for units in _phrases(words, flags, start, end):
            _terms(words, flags, units, length, options.max_words, result.candidates)
    for short, start, end in definitions(words):
        units = _trim(words, flags, unit_bounds(words, start, end))
        if units:
            last = len(units) - 1
            forms = [
                (head_form if i == last else modifier_form)(words, *u) for i, u in enumerate(units)
            ]
            key, name = " ".join(k for k, _ in forms), " ".join(n for _, n in forms)
            result.abbreviations[plural_abbreviation(short) or short] = (key, name)
    return result


def _chunks(doc: Doc, words: Words, verbs: frozenset[str]) -> Iterator[Bounds]:
    """spaCy's noun chunks (start and end token), widened to whole hyphenated words.

    The parser often cuts a chunk inside a hyphenated word: "state-of-the-art
    performance" comes as "the-art", "end-to-end learning" as "end". Such a
    chunk is widened to the whole word and the nouns right after it, unless
    such a noun is the root of its sentence (in an abstract, a verb the
    tagger took for a noun: "The state-of-the-art relies on"); a chunk ends
    before a verb taken for a plural noun (:func:`_verb_taken_for_noun`); chunks
    never overlap.
    """
    text, space, pos, dep = words.text, words.space, words.pos, words.dep
    n = len(text)

    def joined(i: int) -> bool:
        """Whether tokens ``i`` and ``i + 1`` are parts of one hyphenated word."""
        return not space[i] and (text[i] == "-" or text[i + 1] == "-")

    done = 0
    for chunk_start, chunk_end in noun_chunk_bounds(doc, words):
        start, end = chunk_start, chunk_end
        while start > 0 and joined(start - 1):
            start -= 1
        while end < n and joined(end - 1):
            end += 1
        if (start, end) != (chunk_start, chunk_end):
            while end < n and (
                joined(end - 1) or (pos[end] in _NOMINAL_POS and dep[end] != "ROOT")
            ):
                end += 1
        if _verb_taken_for_noun(words, start, end, verbs):
            end -= 1
        start = max(start, done)
        if start < end:
            done = end
            yield start, end


def _verb_taken_for_noun(words: Words, start: int, end: int, verbs: frozenset[str]) -> bool:
    """Whether a chunk ends in a verb tagged as a plural noun.

    Either a lowercase word whose lemma is a verb and never a noun ("Task
    arithmetic suffices to ...", "under continuous criticizes"), not inside a
    hyphenated word ("trade-offs"); or the root of the sentence after a
    determiner and a generic noun ("This paper reviews ...").
    """
    last = end - 1
    if words.tag[last] == "NNS" and words.lemma[last] in verbs and not _hyphenated(words, last):
        return True
    return (
        last - start >= 2
        and words.dep[last] == "ROOT"
        and words.tag[last] == "NNS"
        and words.pos[start] == "DET"
        and words.tag[last - 1] == "NN"
        and words.text[last - 1].lower() in GENERIC_NOUNS
    )


def _hyphenated(words: Words, i: int) -> bool:
    """Whether token ``i`` is part of a hyphenated word."""
    text, space = words.text, words.space
    return (i > 0 and text[i - 1] == "-" and not space[i - 1]) or (
        i + 1 < len(text) and text[i + 1] == "-" and not space[i]
    )


def _phrases(words: Words, flags: _Flags, start: int, end: int) -> Iterator[list[Bounds]]:
    """Split a chunk at boundary words, then trim each piece to its term.

    Words inside a hyphenated word ("of" in "state-of-the-art") are no boundary,
    nor is a short form defined inside the term ("key-value (KV) cache" is the
    term "key-value cache", its definition read by :func:`definitions`).
    """
    piece: list[Bounds] = []
    text, pos = words.text, words.pos
    units = unit_bounds(words, start, end)
    i = 0
    while i < len(units):
        first, last = units[i]
        if piece and _inner_short_form(words, units, i):
            i += 3
            continue
        if last - first == 1 and (
            (pos[first] in _BOUNDARY_POS and text[first] != "-") or _ABBREVIATED.match(text[first])
        ):
            if piece:
                if kept := _trim(words, flags, piece):
                    yield kept
                piece = []
        else:
            piece.append(units[i])
        i += 1
    if piece and (kept := _trim(words, flags, piece)):
        yield kept


def _inner_short_form(words: Words, units: list[Bounds], i: int) -> bool:
    """Whether units ``i`` to ``i + 2`` are "(", one word with a capital, ")" and the
    chunk's term goes on after them."""
    if i + 3 >= len(units) or words.text[units[i][0]] != "(":
        return False
    (s, e), close = units[i + 1], units[i + 2]
    return (
        words.text[close[0]] == ")"
        and any(c.isupper() for c in "".join(words.text[s:e]))
        and words.pos[units[i + 3][0]] not in _BOUNDARY_POS
    )


def _trim(words: Words, flags: _Flags, units: list[Bounds]) -> list[Bounds]:
    """The units of the term in a piece of a chunk: modifiers that add nothing dropped
    from the front, a math variable ("edit distance d") and non-nouns from the end."""
    start, end = 0, len(units)
    while start < end and _droppable(words, flags, units[start]):
        start += 1
    nominal, text = flags.nominal, words.text
    while (
        end > start + 1
        and units[end - 1][1] - units[end - 1][0] == 1
        and (len(text[units[end - 1][0]]) == 1)
    ):
        end -= 1
    while end > start and not nominal[units[end - 1][1] - 1]:
        end -= 1
    kept = units[start:end]
    # Only units with letters that are tagged as words (not numbers, symbols or stray marks).
    word, letters, wordlike = flags.word, flags.letters, flags.wordlike
    for s, e in kept:
        if not (word[s] if e - s == 1 else any(letters[s:e]) and any(wordlike[s:e])):
            return []
    return kept


def _droppable(words: Words, flags: _Flags, unit: Bounds) -> bool:
    """Whether a unit is a modifier that leaves a term ("various", "three", "the")."""
    start, end = unit
    if end - start > 1:
        return "".join(words.text[start:end]).lower() in GENERIC_MODIFIERS
    return flags.droppable[start]


def _terms(
    words: Words,
    flags: _Flags,
    units: list[Bounds],
    length: int,
    max_words: int,
    found: list[Candidate],
) -> None:
    """Add the candidate (all units) and every nested run that ends in a nominal unit.

    ``units`` come from :func:`_trim`: the first is no droppable modifier, the last nominal.
    """
    text = words.text
    last = len(units) - 1
    if last == 0:  # most phrases: one word, no nested terms
        start, end = units[0]
        key, name = head_form(words, start, end)
        if _acceptable(key):
            surface = text[start] if end - start == 1 else "".join(text[start:end])
            found.append(Candidate(key, name, surface, start / length, None))
        return
    # Each unit's (key, name) as a modifier and as the head, computed once per phrase.
    modifiers = [modifier_form(words, s, e) for s, e in units[:last]]
    last_head = head_form(words, *units[last])
    parent = " ".join([*(k for k, _ in modifiers), last_head[0]])
    texts = [text[s] if e - s == 1 else "".join(text[s:e]) for s, e in units]
    droppable = [_droppable(words, flags, u) for u in units]
    nominal = flags.nominal
    for end in range(last, -1, -1):
        if not nominal[units[end][1] - 1]:
            continue
        key, name = last_head if end == last else head_form(words, *units[end])
        surface = texts[end]
        # The terms that end at ``end``, built from the shortest; added in text order.
        run: list[Candidate] = []
        for start in range(end, max(0, end - max_words + 1) - 1, -1):
            if start < end:
                key = f"{modifiers[start][0]} {key}"
                name = f"{modifiers[start][1]} {name}"
                surface = f"{texts[start]} {surface}"
            if droppable[start] or not _acceptable(key):
                continue
            nested = None if (start == 0 and end == last) else parent
            run.append(Candidate(key, name, surface, units[start][0] / length, nested))
        found.extend(reversed(run))


def _has_letters(text: str, count: int) -> bool:
    """Whether ``text`` has at least ``count`` letters."""
    for char in text:
        if char.isalpha():
            count -= 1
            if count == 0:
                return True
    return count <= 0


def _acceptable(key: str) -> bool:
    """Whether a key makes a term: two letters or more, and not a generic noun alone."""
    known = _ACCEPTABLE.get(key)
    if known is None:
        words = key.split()
        known = _has_letters(key, 2) and not (
            len(words) == 1 and (words[0] in GENERIC_NOUNS or _ROMAN.match(words[0]))
        )
        if len(_ACCEPTABLE) >= _ACCEPTABLE_LIMIT:
            _ACCEPTABLE.clear()
        _ACCEPTABLE[key] = known
    return known
