"""Turn the text of a record (LaTeX, odd unicode, a truncated page) into plain text."""

from __future__ import annotations

import hashlib
import html
import logging
import re
import unicodedata
from functools import cache

from pylatexenc.latex2text import LatexNodes2Text
from pylatexenc.latexwalker import get_default_latex_context_db
from pylatexenc.macrospec import LatexContextDb

logger = logging.getLogger(__name__)

__all__ = ["clean_text", "stable_id", "strip_truncation"]

_LATEX_HINT = re.compile(r"[\\$]|\{|``|~")
# Tags of HTML, JATS (``<jats:p>``) and MathML as Crossref, OpenAlex and publishers' pages carry.
# Only known names or namespaced ones, so that "x<y and y>z" in an abstract stays as written.
_TAG_NAMES = (
    "a|abbr|abstract|b|big|bold|br|code|div|em|font|h[1-6]|hr|i|img|inline-formula|italic|label"
    "|li|list|list-item|math|ol|p|sc|sec|small|span|strong|sub|sup|title|tt|u|ul|underline"
)
_TAG = re.compile(rf"</?(?:[A-Za-z][\w.-]*:[\w.-]+|(?:{_TAG_NAMES}))(?:\s[^<>]*)?/?>", re.I)
_BLOCK_TAG = re.compile(r"</?(?:jats:)?(?:p|br|div|sec|title|li|ul|ol)\b[^<>]*>", re.IGNORECASE)
# Crossref and OpenAlex abstracts open with a JATS heading that only says "Abstract".
_ABSTRACT_HEADING = re.compile(
    r"^\s*<(jats:)?title>\s*(?:abstract|summary)\s*</(?:jats:)?title>", re.IGNORECASE
)
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
# Spaces other than the plain one: no-break, thin, zero-width, byte-order mark.
_ODD_SPACE = re.compile("[\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]")
# LaTeX comments and alignment marks are nearly always literal in abstracts ("50% of").
_UNESCAPED_SPECIAL = re.compile(r"(?<!\\)([%&#])")
_LIGATURES = re.compile("[\ufb00-\ufb06]")
_SPACE = re.compile(r"\s+")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|\u2026)\s*$")
# pylatexenc 2.10 fails (IndexError) on \href{url}{text}: keep the text ourselves.
_HREF = re.compile(r"\\href\{([^{}]*)\}\{([^{}]*)\}")
_MACRO = re.compile(r"\\(?:[A-Za-z@]+\*?|.)", re.S)
# What pylatexenc makes of these outside math and macros, done without it.
_PLAIN_SPECIALS = (("---", "\u2014"), ("--", "\u2013"), ("''", "\u201d"))


@cache
def _latex() -> LatexNodes2Text:
    return LatexNodes2Text(math_mode="text", strict_latex_spaces=False)


@cache
def _macros() -> LatexContextDb:
    """The parser's table of known macros, built once: pylatexenc builds it afresh for each
    text it is not given one for, which costs more than parsing a short island."""
    return get_default_latex_context_db()


def clean_text(text: str) -> str:
    """Return ``text`` as plain text: LaTeX rendered, unicode normalised, spaces collapsed.

    Examples
    --------
    >>> clean_text(r"It {\\it associates} a $G$-invariant map, ``in theory''.")
    'It associates a G-invariant map, “in theory”.'
    >>> clean_text("50% of the e\ufb03cient   runs")
    '50% of the efficient runs'
    >>> clean_text("<jats:title>Abstract</jats:title><jats:p>Q&amp;A\u00a0&lt;2&gt;.</jats:p>")
    'Q&A <2>.'
    >>> clean_text(r"Code: \\href{https://x.org/a_b}{https://x.org/a_b}.")
    'Code: https://x.org/a_b.'
    """
    text = _CONTROL.sub("", text)
    if "<" in text:
        text = _ABSTRACT_HEADING.sub("", text)
        text = _TAG.sub("", _BLOCK_TAG.sub(" ", text))
    entities = "&" in text and _ENTITY.search(text) is not None
    if entities:
        # Unescaped after LaTeX so that "&lt;" never becomes a LaTeX special.
        text = _ENTITY.sub(lambda m: _entity_placeholder(m.group()), text)
    text = _ODD_SPACE.sub(" ", text)
    if _LATEX_HINT.search(text):
        text = _render_latex(_HREF.sub(lambda m: m.group(2).replace("\\", ""), text))
    if entities:
        text = _PLACEHOLDER.sub(lambda m: html.unescape(m.group(1).replace("\x01", "&")), text)
        text = _ODD_SPACE.sub(" ", text)
    text = unicodedata.normalize("NFC", text)
    text = _LIGATURES.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    return _SPACE.sub(" ", text).strip()


_PLACEHOLDER = re.compile("\x02([^\x03]*)\x03")
_ESCAPED_SPECIAL = re.compile(r"\\([%&#_$])")


def _entity_placeholder(entity: str) -> str:
    """Hide an entity from the LaTeX renderer (``&`` and ``#`` are LaTeX specials)."""
    return "\x02" + entity.replace("&", "\x01") + "\x03"


def _unrendered(island: str) -> str:
    """Markup pylatexenc cannot render (it raises on some odd macro arguments) as plain text."""
    text = _MACRO.sub(lambda m: "", _ESCAPED_SPECIAL.sub(r"\1", island))
    return text.replace("$", "").replace("{", "").replace("}", "")


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
            parts.append(_latex().latex_to_text(island, latex_context=_macros()))
        except Exception:  # any failure of the parser gets the plain fallback, never a crash
            logger.debug("pylatexenc failed on %.60r", island)
            parts.append(_unrendered(text[start:end]))
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
    if not text.rstrip().endswith(("...", "\u2026")):
        return text, False  # what the regular expression finds, without its slow search
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
