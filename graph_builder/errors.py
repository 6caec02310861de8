"""The exceptions paperkg raises for user mistakes.

Every message says what went wrong, where (file and line or record) and,
when there is a fixed set of choices, which ones are valid. The command line
turns a :class:`PaperkgError` into one line on stderr and exit status 2;
any other exception is a bug and keeps its traceback.
"""

from __future__ import annotations

__all__ = ["ConfigError", "ExportError", "InputError", "PaperkgError", "QueryError"]


class PaperkgError(Exception):
    """Root of every error paperkg raises on purpose."""


class InputError(PaperkgError):
    """An input file is missing, empty, unreadable or not in the expected format."""


class ConfigError(PaperkgError):
    """An option or setting is invalid (unknown format, missing spaCy pipeline, ...)."""


class ExportError(PaperkgError):
    """An output could not be written or a graph directory could not be read."""


class QueryError(PaperkgError):
    """A query on a built graph failed: bad Cypher, a write on a read-only store, no such name."""
