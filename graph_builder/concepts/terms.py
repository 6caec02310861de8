"""Normalising a term: words grouped into units, a lowercase key, a display name.

A *unit* is a word or a hyphenated compound (``mean-field``, ``G-invariant``):
tokens spaCy splits at a hyphen are kept together. A term's key is its units
in lowercase, hyphens read as spaces, and the head (last) word in the
singular, so *mean-field*, *Mean-Field* and *mean field* share one key.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from graph_builder.concepts.stoplists import KEEP_PLURAL
from graph_builder.concepts.words import Words

__all__ = [
    "Unit",
    "head_form",
    "key_of",
    "modifier_form",
    "plural_abbreviation",
    "singular",
    "unit_bounds",
]

_PLURAL_ABBREVIATION = re.compile(r"^([A-Z][A-Za-z0-9]*[A-Z0-9])s$")
_PLURAL_TAGS = frozenset({"NNS", "NNPS"})
_NOMINAL = frozenset({"NOUN", "PROPN"})
_PLURAL_ENDING = re.compile(r"(?<=[a-z]{2})(ies|ches|shes|xes|sses|(?<![siu])s)$")
_SINGULAR_ENDING = {"ies": "y", "ches": "ch", "shes": "sh", "xes": "x", "sses": "ss", "s": ""}
#: Forms of one-word units, by text (as modifiers) and by text, tag, POS and lemma
#: (as heads): most words recur, and their forms do not depend on the rest.
_FORMS_LIMIT = 200_000
_MODIFIER_FORMS: dict[str, tuple[str, str]] = {}
_HEAD_FORMS: dict[tuple[str, str, str, str], tuple[str, str]] = {}


class Unit(NamedTuple):
    """A word, or several words joined by hyphens: tokens ``start`` to ``end - 1`` of ``words``."""

    words: Words
    start: int
    end: int

    @property
    def head(self) -> int:
        """The index of the unit's last token."""
        return self.end - 1

    @property
    def nominal(self) -> bool:
        return self.words.pos[self.end - 1] in _NOMINAL

    @property
    def text(self) -> str:
        return "".join(self.words.text[self.start : self.end])


def unit_bounds(words: Words, start: int, end: int) -> list[tuple[int, int]]:
    """The (start, end) of each unit of tokens ``start`` to ``end - 1``.

    The parts of a hyphenated word are one unit, and so are a number and the
    capital written right after it, which the tokenizer splits ("3G", "5G").
    """
    text, space = words.text, words.space
    bounds: list[tuple[int, int]] = []
    first = start
    for i in range(start + 1, end):
        if space[i - 1] or (
            text[i - 1] != "-" and text[i] != "-" and not _number_and_letter(text[i - 1], text[i])
        ):
            bounds.append((first, i))
            first = i
    if first < end:
        bounds.append((first, end))
    return bounds


def _number_and_letter(number: str, letter: str) -> bool:
    return number.isdigit() and len(letter) == 1 and letter.isupper()


def plural_abbreviation(text: str) -> str | None:
    """The singular of an abbreviation in the plural ("DNNs" -> "DNN"), else None."""
    match = _PLURAL_ABBREVIATION.match(text)
    return match.group(1) if match else None


def singular(word: str) -> str:
    """A lowercase word in the singular by its ending: the one rule for words without a
    parse (capitalised heads, user terms, names looked up).

    Examples
    --------
    >>> [singular(w) for w in ("networks", "symmetries", "glasses", "physics", "gas", "its")]
    ['network', 'symmetry', 'glass', 'physics', 'gas', 'its']
    >>> [singular(w) for w in ("biases", "gases", "databases", "uses")]
    ['bias', 'gas', 'database', 'use']
    """
    if len(word) <= 3 or word in KEEP_PLURAL:
        return word
    if len(word) > 4 and word.endswith("ses") and not word.endswith("sses"):
        # "biases" or "databases": the form English writes more ("bias", not "biase").
        return max((word[:-1], word[:-2]), key=_zipf)
    return _PLURAL_ENDING.sub(lambda m: _SINGULAR_ENDING[m.group(1)], word)


def _zipf(word: str) -> float:
    from wordfreq import zipf_frequency  # imported on first use: it takes a second

    return zipf_frequency(word, "en", wordlist="small")


def _singular(text: str, tag: str, pos: str, lemma: str) -> str:
    lower = text.lower()
    if lower in KEEP_PLURAL:
        return lower
    if abbreviation := plural_abbreviation(text):
        return abbreviation.lower()
    if tag in _PLURAL_TAGS and pos == "NOUN":
        return lemma.lower()
    if pos == "PROPN" and text.istitle():
        # Capitalised plurals are tagged NNP and keep their plural lemma ("Neural Networks").
        return singular(lower)
    return lower


def _word(text: str, key: str) -> tuple[str, str]:
    """(key form, display form) of one token whose key is ``key``."""
    if key != text.lower():
        # Display the singular, keeping an abbreviation's case ("DNN").
        text = key.upper() if text[:-1].isupper() else key
    keep_case = len(text) == 1 or (not text[1:].islower() and any(c.isalpha() for c in text[1:]))
    return key, text if keep_case else text.lower()


def _modifier_word(text: str) -> tuple[str, str]:
    form = _MODIFIER_FORMS.get(text)
    if form is None:
        if len(_MODIFIER_FORMS) >= _FORMS_LIMIT:
            _MODIFIER_FORMS.clear()
        form = _MODIFIER_FORMS[text] = _word(text, text.lower())
    return form


def _head_word(words: Words, i: int) -> tuple[str, str]:
    attrs = (words.text[i], words.tag[i], words.pos[i], words.lemma[i])
    form = _HEAD_FORMS.get(attrs)
    if form is None:
        if len(_HEAD_FORMS) >= _FORMS_LIMIT:
            _HEAD_FORMS.clear()
        form = _HEAD_FORMS[attrs] = _word(attrs[0], _singular(*attrs))
    return form


def _joined(parts: list[tuple[str, str]]) -> tuple[str, str]:
    """The key and name of a unit of several tokens: hyphens read as spaces in the key."""
    key = "".join(" " if k == "-" else k for k, _ in parts)
    return " ".join(key.split()), "".join(n for _, n in parts)


def modifier_form(words: Words, start: int, end: int) -> tuple[str, str]:
    """The (key, display name) of the unit of tokens ``start`` to ``end - 1`` before a head."""
    if end - start == 1 and words.text[start] != "-":
        return _modifier_word(words.text[start])
    return _joined([_modifier_word(t) for t in words.text[start:end]])


def head_form(words: Words, start: int, end: int) -> tuple[str, str]:
    """The (key, display name) of a unit as the head (last unit) of a term: in the singular."""
    if end - start == 1 and words.text[start] != "-":
        return _head_word(words, start)
    if any(t.lower() == "of" for t in words.text[start + 1 : end - 1]):
        # "mixture-of-experts", "bag-of-words": the head is before "of", not the last word.
        return modifier_form(words, start, end)
    parts = [_modifier_word(t) for t in words.text[start : end - 1]]
    parts.append(_head_word(words, end - 1))
    return _joined(parts)


def key_of(text: str) -> str:
    """The key of a term written in plain text, without a parse (for user vocabularies).

    Only case and hyphens are normalised here; no lemmatisation.

    Examples
    --------
    >>> key_of("Mean-Field  Theory")
    'mean field theory'
    """
    return " ".join(text.lower().replace("-", " ").split())
