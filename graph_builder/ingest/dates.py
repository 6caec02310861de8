"""Dates as researchers' inputs write them, turned into ISO dates."""

from __future__ import annotations

import re
from datetime import date, datetime

__all__ = ["parse_date"]

_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%Y-%m-%d", "%Y/%m/%d")
_YEAR = re.compile(r"^(\d{4})(?:-(\d{2}))?$")
_ISO_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ]")
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def parse_date(text: str) -> tuple[str | None, int | None]:
    """Return ``(iso_date, year)`` for a date string, or ``(None, None)``.

    A bare year or year-month gives no ISO date but still a year.

    Examples
    --------
    >>> parse_date("October 4, 2017")
    ('2017-10-04', 2017)
    >>> parse_date("2025-03-14T12:00:00Z")
    ('2025-03-14', 2025)
    >>> parse_date("2017")
    (None, 2017)
    >>> parse_date("soon")
    (None, None)
    """
    text = text.strip()
    if match := _ISO_PREFIX.match(text):
        text = match.group(1)
    if _ISO_DATE.match(text):  # the common case, without trying every format in turn
        try:
            parsed = date.fromisoformat(text)
            return parsed.isoformat(), parsed.year
        except ValueError:
            return None, None
    for fmt in _FORMATS:
        try:
            parsed: date = datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        return parsed.isoformat(), parsed.year
    if match := _YEAR.match(text):
        return None, int(match.group(1))
    return None, None
