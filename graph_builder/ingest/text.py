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
        text = _HREF.sub(lambda m: m.group(2).replace("\\", ""), text)
        escaped = _UNESCAPED_SPECIAL.sub(r"\\\1", text)
        try:
            text = _latex().latex_to_text(escaped)
        except (IndexError, KeyError, ValueError, TypeError):
            pass  # markup pylatexenc cannot render is left as written
    text = unicodedata.normalize("NFC", text)
    text = _LIGATURES.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    return _SPACE.sub(" ", text).strip()


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
