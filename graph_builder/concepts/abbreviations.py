"""Abbreviations defined in the text, found the way Schwartz and Hearst (2003) do.

"deep neural network (DNN)" defines DNN: the short form's characters are
matched right to left against the words before the parenthesis, and its first
character must start a word. See A. Schwartz and M. Hearst, "A simple
algorithm for identifying abbreviation definitions in biomedical text",
PSB 2003.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span


__all__ = ["definitions", "long_form_start"]

_SHORT_FORM = re.compile(r"^(?=.*[A-Z])[A-Za-z][A-Za-z0-9-]{0,9}$")


def long_form_start(short: str, words: list[str]) -> int | None:
    """Index of the first word of the long form of ``short`` at the end of ``words``.

    Examples
    --------
    >>> long_form_start("DNN", "fit a deep neural network".split())
    2
    >>> long_form_start("RL", "and deep Reinforcement Learning".split())
    2
    >>> long_form_start("NNs", "attributes of Neural Networks".split())
    2
    >>> long_form_start("XYZ", "a deep neural network".split()) is None
    True
    """
    letters = [c.lower() for c in short if c.isalnum()]
    if short.endswith("s") and short[:-1].isupper():
        letters = letters[:-1]
    text = " ".join(words).lower()
    s, t = len(letters) - 1, len(text) - 1
    while s >= 0:
        char = letters[s]
        while t >= 0 and (text[t] != char or (s == 0 and t > 0 and text[t - 1].isalnum())):
            t -= 1
        if t < 0:
            return None
        s, t = s - 1, t - 1
    return text.count(" ", 0, t + 1)  # t + 1 is where the long form's first letter stands


def definitions(doc: Doc) -> Iterator[tuple[str, Span]]:
    """Yield ``(short form, long-form span)`` for each "long form (SF)" in ``doc``."""
    if "(" not in doc.text:  # most abstracts: no need to visit every token
        return
    for token in doc[1:-2]:
        short, closing = doc[token.i + 1], doc[token.i + 2]
        if token.text != "(" or closing.text != ")" or not _SHORT_FORM.match(short.text):
            continue
        sentence_start = token.sent.start if doc.has_annotation("SENT_START") else 0
        window = min(len(short.text) + 5, 2 * len(short.text))
        first = max(sentence_start, token.i - window)
        words = [t.text for t in doc[first : token.i]]
        start = long_form_start(short.text, words)
        if start is None:
            continue
        long = doc[first + start : token.i]
        if len(long) > 1 and len(long.text) > len(short.text):
            yield short.text, long
