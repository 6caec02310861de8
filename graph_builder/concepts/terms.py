"""Normalising a term: words grouped into units, a lowercase key, a display name.

A *unit* is a word or a hyphenated compound (``mean-field``, ``G-invariant``):
tokens spaCy splits at a hyphen are kept together. A term's key is its units
in lowercase, hyphens read as spaces, and the head (last) word in the
singular, so *mean-field*, *Mean-Field* and *mean field* share one key.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from graph_builder.concepts.stoplists import KEEP_PLURAL

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

__all__ = ["Unit", "key_of", "plural_abbreviation", "term_key", "unit_form", "units_of"]

_PLURAL_ABBREVIATION = re.compile(r"^([A-Z][A-Za-z0-9]*[A-Z0-9])s$")
_PLURAL_TAGS = frozenset({"NNS", "NNPS"})
_NOMINAL = frozenset({"NOUN", "PROPN"})
_TITLE_PLURAL = re.compile(r"(?<=[a-z]{2})(ies|ches|shes|xes|sses|(?<![siu])s)$")
_SINGULAR_ENDING = {"ies": "y", "ches": "ch", "shes": "sh", "xes": "x", "sses": "ss", "s": ""}


@dataclass(frozen=True, slots=True)
class Unit:
    """A word, or several words joined by hyphens, as spaCy tokenised them."""

    tokens: tuple[Token, ...]

    @property
    def head(self) -> Token:
        return self.tokens[-1]

    @property
    def nominal(self) -> bool:
        return self.head.pos_ in _NOMINAL

    @property
    def text(self) -> str:
        return "".join(t.text for t in self.tokens)


def units_of(tokens: Span | Sequence[Token]) -> list[Unit]:
    """Group tokens into units, joining the parts of hyphenated words."""
    groups: list[list[Token]] = []
    for token in tokens:
        previous = groups[-1][-1] if groups else None
        joined = (
            previous is not None
            and not previous.whitespace_
            and (previous.text == "-" or token.text == "-")
        )
        if joined:
            groups[-1].append(token)
        else:
            groups.append([token])
    return [Unit(tuple(group)) for group in groups]


def plural_abbreviation(text: str) -> str | None:
    """The singular of an abbreviation in the plural ("DNNs" -> "DNN"), else None."""
    match = _PLURAL_ABBREVIATION.match(text)
    return match.group(1) if match else None


def _singular(token: Token) -> str:
    lower = token.text.lower()
    if lower in KEEP_PLURAL:
        return lower
    if abbreviation := plural_abbreviation(token.text):
        return abbreviation.lower()
    if token.tag_ in _PLURAL_TAGS and token.pos_ == "NOUN":
        return token.lemma_.lower()
    if token.pos_ == "PROPN" and token.text.istitle():
        # Capitalised plurals are tagged NNP and keep their plural lemma ("Neural Networks").
        return _TITLE_PLURAL.sub(lambda m: _SINGULAR_ENDING[m.group(1)], lower)
    return lower


def _word(token: Token, *, head: bool) -> tuple[str, str]:
    """(key form, display form) of one token."""
    key = _singular(token) if head else token.text.lower()
    text = token.text
    if head and key != text.lower():
        # Display the singular, keeping an abbreviation's case ("DNN").
        text = key.upper() if text[:-1].isupper() else key
    keep_case = len(text) == 1 or (not text[1:].islower() and any(c.isalpha() for c in text[1:]))
    return key, text if keep_case else text.lower()


def term_key(units: Sequence[Unit]) -> tuple[str, str]:
    """The (key, display name) of a term made of these units.

    Examples
    --------
    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> term_key(units_of(nlp("Mean-Field theory")))
    ('mean field theory', 'mean-field theory')
    """
    forms = [unit_form(u, head=i == len(units) - 1) for i, u in enumerate(units)]
    return " ".join(k for k, _ in forms), " ".join(n for _, n in forms)


def unit_form(unit: Unit, *, head: bool) -> tuple[str, str]:
    """The (key, display name) of one unit, as the head of a term or as a modifier."""
    parts = [_word(t, head=head and t is unit.head) for t in unit.tokens]
    return " ".join(k for k, _ in parts if k != "-"), "".join(n for _, n in parts)


def key_of(text: str) -> str:
    """The key of a term written in plain text, without a parse (for user vocabularies).

    Only case and hyphens are normalised here; no lemmatisation.

    Examples
    --------
    >>> key_of("Mean-Field  Theory")
    'mean field theory'
    """
    return " ".join(text.lower().replace("-", " ").split())
