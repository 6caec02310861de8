"""Turn the text of a record (LaTeX, odd unicode, a truncated page) into plain text."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import cache

from pylatexenc.latex2text import LatexNodes2Text

__all__ = ["clean_text", "stable_id", "strip_truncation"]

_LATEX_HINT = re.compile(r"[\\$]|\{|``|~")
# LaTeX comments and alignment marks are nearly always literal in abstracts ("50% of").
_UNESCAPED_SPECIAL = re.compile(r"(?<!\\)([%&#])")
_LIGATURES = re.compile("[\ufb00-\ufb06]")
_SPACE = re.compile(r"\s+")
_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|\u2026)\s*$")
# pylatexenc 2.10 fails (IndexError) on \href{url}{text}: keep the text ourselves.
_HREF = re.compile(r"\\href\{([^{}]*)\}\{([^{}]*)\}")
_MACRO = re.compile(r"\\(?:[A-Za-z@]+\*?|.)", re.S)
# What pylatexenc makes of these outside math and macros, done without it.
_PLAIN_SPECIALS = (("---", "\u2014"), ("--", "\u2013"), ("''", "\u201d"))


@cache
def _latex() -> LatexNodes2Text:
    return LatexNodes2Text(math_mode="text", strict_latex_spaces=False)


def clean_text(text: str) -> str:
    """Return ``text`` as plain text: LaTeX rendered, unicode normalised, spaces collapsed.

    Examples
    --------
    >>> clean_text(r"It {\\it associates} a $G$-invariant map, ``in theory''.")
    'It associates a G-invariant map, “in theory”.'
    >>> clean_text("50% of the e\ufb03cient   runs")
    '50% of the efficient runs'
    >>> clean_text(r"Code: \\href{https://x.org/a_b}{https://x.org/a_b}.")
    'Code: https://x.org/a_b.'
    """
    if _LATEX_HINT.search(text):
        text = _render_latex(_HREF.sub(lambda m: m.group(2).replace("\\", ""), text))
    text = unicodedata.normalize("NFC", text)
    text = _LIGATURES.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    return _SPACE.sub(" ", text).strip()


def _render_latex(text: str) -> str:
    """Render the LaTeX islands of ``text`` (math, macros with their arguments, groups).

    pylatexenc reads a whole abstract character by character (~80 ms); giving it
    only the islands is about ten times faster, and the text between them is
    plain but for the dashes and quotes of :data:`_PLAIN_SPECIALS`.

    Examples
    --------
    >>> _render_latex(r"a {\\it b} c -- $x^2$ and Fr\\'echet")
    'a b c \u2013 x^2 and Fréchet'
    """
    parts = []
    position = 0
    for start, end in _islands(text):
        parts.append(_plain(text[position:start]))
        island = _UNESCAPED_SPECIAL.sub(r"\\\1", text[start:end])
        try:
            parts.append(_latex().latex_to_text(island))
        except (IndexError, KeyError, ValueError, TypeError):
            parts.append(text[start:end])  # markup pylatexenc cannot render is left as written
        position = end
    parts.append(_plain(text[position:]))
    return "".join(parts)


def _plain(text: str) -> str:
    for written, character in _PLAIN_SPECIALS:
        text = text.replace(written, character)
    return text


def _islands(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each stretch of LaTeX markup, adjacent ones merged."""
    spans: list[tuple[int, int]] = []
    position = 0
    while match := _LATEX_HINT.search(text, position):
        start = match.start()
        end = _island_end(text, start)
        if spans and spans[-1][1] == start:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
        position = end
    return spans


def _island_end(text: str, start: int) -> int:
    char = text[start]
    if char == "$":
        delimiter = "$$" if text.startswith("$$", start) else "$"
        end = text.find(delimiter, start + len(delimiter))
        return len(text) if end < 0 else end + len(delimiter)
    if char == "{":
        return _group_end(text, start)
    if char == "~":
        return start + 1
    if char == "`":
        end = text.find("''", start + 2)
        return start + 2 if end < 0 else end + 2
    match = _MACRO.match(text, start)
    end = match.end() if match else start + 1
    accent = end - start == 2 and not text[start + 1].isalpha()
    if accent and end < len(text) and text[end] not in "{[ ":
        return end + 1  # an accent on the next letter: \'e
    while end < len(text) and text[end] in "{[":
        end = _group_end(text, end)
    return end


def _group_end(text: str, start: int) -> int:
    """The end of the ``{...}`` or ``[...]`` group opening at ``start`` (or of the text)."""
    opening = text[start]
    closing = "}" if opening == "{" else "]"
    depth = 0
    index = start
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == opening:
            depth += 1
        elif char == closing:
            depth -= 1
            if depth == 0:
                return index + 1
        index += 1
    return len(text)


def strip_truncation(text: str) -> tuple[str, bool]:
    """Drop a trailing ellipsis and the word it cut; say whether there was one.

    Examples
    --------
    >>> strip_truncation("an unsupervised learning i...")
    ('an unsupervised learning', True)
    >>> strip_truncation("a complete sentence.")
    ('a complete sentence.', False)
    """
    match = _ELLIPSIS.search(text)
    if not match:
        return text, False
    kept = text[: match.start()]
    if match.group().startswith(("...", "\u2026")) and kept and kept[-1].isalnum():
        kept = kept.rsplit(" ", 1)[0] if " " in kept else ""
    return kept.rstrip(" ,;:"), True


def stable_id(title: str, abstract: str) -> str:
    """A short id that depends only on the normalised title and abstract.

    Examples
    --------
    >>> stable_id("A Title", "Some  text.") == stable_id("a title", "some text.")
    True
    """
    normalised = _SPACE.sub(" ", f"{title}\n{abstract}".casefold()).strip()
    return "paper-" + hashlib.sha1(normalised.encode("utf-8")).hexdigest()[:12]
