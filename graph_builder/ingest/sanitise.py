"""Hostile characters out of every record, and out of what is printed to a terminal.

Every reader builds its papers with :func:`graph_builder.ingest._common.make_paper`,
whose arguments pass through :func:`sanitise_value` first, so no field of a
paper holds a lone surrogate (which UTF-8 cannot encode: every writer and the
language check would fail on it), a control character (an escape sequence
would retitle or rewrite a terminal) or a bidirectional override (which makes
a name read differently from what it is). Lone surrogates become U+FFFD; the
others are dropped. JSON integers too long for Python's ``int`` (over 4,300
digits) are kept as their digits by :func:`json_int`, so that the record, not
the file, is reported.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

__all__ = ["MAX_ID_CHARS", "json_int", "sanitise_text", "sanitise_value", "terminal_safe"]

#: The longest record id accepted, in characters.
MAX_ID_CHARS = 1_000
#: Digits above which a JSON integer stays text (Python refuses ints of over 4,300 digits).
_MAX_INT_DIGITS = 100

_SURROGATE = re.compile("[\ud800-\udfff]")
# C0 controls but tab, line feed and carriage return; DEL; C1 controls.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Bidirectional embeddings, overrides, isolates and marks.
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_UNPRINTABLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)

F = TypeVar("F", bound=Callable[..., Any])


def sanitise_text(text: str) -> str:
    r"""``text`` with lone surrogates replaced and control and bidi characters removed.

    Examples
    --------
    >>> sanitise_text("a\udfffb \x1b]0;owned\x07 \u202eevil")
    'a\ufffdb ]0;owned evil'
    >>> sanitise_text("tab\tand\nnewline")
    'tab\tand\nnewline'
    """
    if text.isascii():
        return _CONTROL.sub("", text) if not text.isprintable() else text
    text = _SURROGATE.sub("\ufffd", text)
    return _BIDI.sub("", _CONTROL.sub("", text))


def sanitise_value(value: Any) -> Any:
    """A value with every string in it sanitised (strings, lists, tuples, dict values)."""
    if isinstance(value, str):
        return sanitise_text(value)
    if isinstance(value, list | tuple):
        return type(value)(sanitise_value(v) for v in value)
    if isinstance(value, dict):
        return {sanitise_value(k): sanitise_value(v) for k, v in value.items()}
    return value


def sanitised_arguments(function: F) -> F:
    """Decorate ``function`` so that every argument it gets is sanitised first."""

    @wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return function(
            *(sanitise_value(a) for a in args),
            **{k: sanitise_value(v) for k, v in kwargs.items()},
        )

    return wrapper  # type: ignore[return-value]


def json_int(digits: str) -> int | str:
    """``parse_int`` for :func:`json.loads`: an int, or the digits when there are too many.

    Examples
    --------
    >>> json_int("2024"), len(json_int("9" * 5000))
    (2024, 5000)
    """
    return int(digits) if len(digits) <= _MAX_INT_DIGITS else digits


def terminal_safe(text: str) -> str:
    r"""``text`` with control, bidi and surrogate characters shown as escapes, for a terminal.

    Examples
    --------
    >>> terminal_safe("id\x1b]0;owned\x07 \u202e")
    'id\\x1b]0;owned\\x07 \\u202e'
    """
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)
