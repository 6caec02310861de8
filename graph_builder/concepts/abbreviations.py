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

from graph_builder.concepts.words import Words

_HYPHEN = "-"

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


def definitions(words: Words) -> Iterator[tuple[str, int, int]]:
    """Yield ``(short form, start, end)`` for each "long form (SF)" in a text.

    The long form is tokens ``start`` to ``end - 1``.
    """
    text = words.text
    if "(" not in text:  # most abstracts
        return
    for i in range(1, len(text) - 2):
        if text[i] != "(" or text[i + 2] != ")" or not _SHORT_FORM.match(short := text[i + 1]):
            continue
        window = min(len(short) + 5, 2 * len(short))
        first = max(words.sentence_start(i), i - window)
        start = long_form_start(short, text[first:i])
        if start is None:
            continue
        start = _whole_word_start(words, short, first + start)
        if i - start > 1 and len(_span_text(words, start, i)) > len(short):
            yield short, start, i


def _whole_word_start(words: Words, short: str, start: int) -> int:
    """Move a long form's start back to the start of the hyphenated word it is in.

    Matched right to left, "self-supervised learning (SSL)" would start at
    "supervised": the long form is the whole word when that word starts with the
    short form's first letter, and stays as matched otherwise.
    """
    text, space = words.text, words.space
    first = start
    while first >= 2 and text[first - 1] == _HYPHEN and not space[first - 2]:
        if space[first - 1]:
            break
        first -= 2
    if first < start and text[first][:1].lower() == short[:1].lower():
        return first
    return start


def _span_text(words: Words, start: int, end: int) -> str:
    space = words.space
    spaced = (t + " " if space[i] else t for i, t in enumerate(words.text[start : end - 1], start))
    return "".join([*spaced, words.text[end - 1]])
