"""Which Cypher ``paperkg query`` runs: one statement made only of read clauses.

LadybugDB opened read-only still runs ``COPY ... TO`` (writes any file),
``EXPORT DATABASE``, ``LOAD FROM`` (reads any file), ``ATTACH``, ``INSTALL`` and
``CHECKPOINT`` (which leaves recovery files that break every later query). So
a query is checked before it reaches the engine: its words outside string
literals, comments and back-quoted names are matched against an allow-list of
read clauses, and ``CALL`` may only name a function that reads the catalogue.
The lexing follows the engine's grammar (backslash escapes in strings,
doubled back-quotes in names, ``//`` and ``/* */`` comments), so a keyword
cannot hide from the check in something the engine reads as code.
"""

from __future__ import annotations

import re

from graph_builder.errors import QueryError

__all__ = ["READ_CALLS", "check_read_only"]

#: Clauses and words a read query may start with.
_FIRST = frozenset({"MATCH", "OPTIONAL", "RETURN", "WITH", "UNWIND", "CALL", "EXPLAIN", "PROFILE"})
#: Words that write, read files or change the session; refused anywhere in a query.
_REFUSED = frozenset(
    {
        "ALTER",
        "ATTACH",
        "BEGIN",
        "CHECKPOINT",
        "COMMIT",
        "COPY",
        "CREATE",
        "DELETE",
        "DETACH",
        "DROP",
        "EXPORT",
        "IMPORT",
        "INSTALL",
        "LOAD",
        "MERGE",
        "REMOVE",
        "ROLLBACK",
        "SET",
        "TRANSACTION",
        "UNINSTALL",
        "UPDATE",
        "USE",
    }
)
#: Table functions ``CALL`` may name: they read the catalogue and settings only.
READ_CALLS = frozenset(
    {
        "current_setting",
        "db_version",
        "show_connection",
        "show_functions",
        "show_indexes",
        "show_tables",
        "show_warnings",
        "table_info",
    }
)
_TOKEN = re.compile(
    r"""
      (?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
    | (?P<name>(?:`[^`]*`)+)
    | (?P<comment>//[^\n]*|/\*.*?\*/)
    | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<other>\s+|[^\sA-Za-z_'"`/]+|/)
    """,
    re.VERBOSE | re.DOTALL,
)


def check_read_only(cypher: str) -> None:
    """Raise :class:`QueryError` unless ``cypher`` is one statement of read clauses.

    Examples
    --------
    >>> check_read_only("MATCH (c:Concept {name: 'set theory'}) RETURN c.name")
    >>> check_read_only("COPY (MATCH (p:Paper) RETURN p) TO '/tmp/x.csv'")
    Traceback (most recent call last):
    ...
    graph_builder.errors.QueryError: the embedded store is read-only: COPY is refused ...
    """
    words, statements = _words(cypher)
    if statements > 1:
        raise QueryError("one query at a time: remove the ';' between statements")
    if not words:
        raise QueryError("the query is empty")
    for index, (before, word) in enumerate(words):
        if before in {".", ":", "$"}:  # a property, label or parameter name
            continue
        if word.upper() in _REFUSED:
            raise QueryError(
                f"the embedded store is read-only: {word.upper()} is refused (it writes, reads "
                "files or changes the store); rebuild the graph with 'paperkg build' to change it"
            )
        if word.upper() == "CALL":
            name = words[index + 1][1] if index + 1 < len(words) else ""
            if name.lower() not in READ_CALLS:
                raise QueryError(
                    f"the embedded store is read-only: CALL {name} is refused; CALL may name "
                    f"{', '.join(sorted(READ_CALLS))}"
                )
    if words[0][1].upper() not in _FIRST:
        raise QueryError(
            f"the embedded store is read-only: a query starts with {', '.join(sorted(_FIRST))}, "
            f"not {words[0][1]}"
        )


def _words(cypher: str) -> tuple[list[tuple[str, str]], int]:
    """The words outside strings, comments and quoted names (each with the non-space
    character before it), and the number of non-empty statements."""
    words: list[tuple[str, str]] = []
    statements, current, before = 0, False, ""
    position = 0
    while position < len(cypher):
        match = _TOKEN.match(cypher, position)
        if match is None:  # an unterminated string, name or comment: the engine refuses it
            raise QueryError("the query has an unterminated string, name or comment")
        position = match.end()
        kind, text = match.lastgroup, match.group()
        if kind == "comment" or text.isspace():
            continue
        if ";" in text and kind == "other":
            statements += current
            current = not text.rstrip().endswith(";")
            before = text.strip()[-1:]
            continue
        current = True
        if kind == "word":
            words.append((before, text))
        before = text.strip()[-1:]
    return words, statements + current
