"""The extraction cache: each paper's candidates, kept in SQLite beside the outputs.

Parsing is the slow step of a build; the corpus-level steps (vocabulary,
scores, links) are fast and depend on the whole corpus, so only the
per-paper result of extraction is cached. An entry's key is a hash of the
paper's cleaned text and of everything that changes extraction (see
:func:`extraction_fingerprint`); its value is the paper's
:class:`~graph_builder.concepts.candidates.PaperCandidates` as JSON, in the rows of
:func:`~graph_builder.concepts.candidates.pack` (one serialisation of candidates, for
worker processes and for the cache alike).

Entries are committed in batches while extraction runs: a build that is
interrupted keeps what it committed, and the next one parses the rest.

The cache is disposable: an entry that does not decode to well-formed
candidates is dropped and its paper parsed again; a file SQLite cannot read
(not a database, corrupt pages, a foreign table) is deleted and started
afresh; a cache that cannot be written at all (a full disk) is left aside for
the rest of the build. Each of these adds one line to :attr:`ExtractionCache.problems`.
The paper id is not part of the value (two papers with the same text share
an entry); it is set again when the entry is read.

Examples
--------
>>> from graph_builder.concepts.candidates import Candidate, PaperCandidates
>>> pc = PaperCandidates("p1", [Candidate("deep model", "deep model", "deep models", 0.5)],
...                      {"dm": ("deep model", "deep model")})
>>> encode(pc)
'[[["deep model","deep model","deep models",0.5,null]],{"dm":["deep model","deep model"]}]'
>>> decode(encode(pc), "p1") == pc
True
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Mapping
from contextlib import closing
from pathlib import Path
from typing import Any

from graph_builder.concepts.candidates import PaperCandidates, pack, unpack

__all__ = [
    "CACHE_FILE",
    "ExtractionCache",
    "cache_key",
    "decode",
    "encode",
    "extraction_fingerprint",
]

#: The cache's file name inside the output directory.
CACHE_FILE = ".paperkg-cache.sqlite"
#: Version of the cache's own layout; a different one is ignored and rebuilt.
_LAYOUT = "2"
_LOOKUP_CHUNK = 500


def extraction_fingerprint(settings: Mapping[str, Any]) -> str:
    """A short hash of every setting that changes what extraction returns.

    ``settings`` holds the spaCy pipeline (name, version, spaCy version,
    components), the method and its options, and the version and source digest
    of the extraction code (see :func:`graph_builder.concepts.extraction_settings`).
    """
    text = json.dumps(dict(settings), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def cache_key(text: str, fingerprint: str) -> str:
    """The key of one paper's entry: its cleaned text and the extraction fingerprint.

    Examples
    --------
    >>> cache_key("Deep models.", "f1") == cache_key("Deep models.", "f1")
    True
    >>> cache_key("Deep models.", "f1") == cache_key("Deep models.", "f2")
    False
    """
    digest = hashlib.sha256()
    digest.update(fingerprint.encode("utf-8"))
    digest.update(b"\0")
    digest.update(text.encode("utf-8"))
    return digest.hexdigest()


def encode(candidates: PaperCandidates) -> str:
    """The JSON text of an entry: the paper's rows as :func:`pack` gives them, without its id.

    A list ``[candidates, abbreviations]``, each candidate a row ``[key, name, surface,
    position, parent]``: the same rows that carry candidates back from a worker process.
    """
    ((_, rows, abbreviations),) = pack([candidates])
    return json.dumps([rows, abbreviations], ensure_ascii=False, separators=(",", ":"))


def decode(value: str, paper_id: str) -> PaperCandidates:
    """An entry's candidates (:func:`encode`), for the paper ``paper_id``.

    Raises
    ------
    ValueError, TypeError
        When ``value`` is not an entry with the types extraction gives.
    """
    rows, abbreviations = json.loads(value)
    if not isinstance(rows, list) or not isinstance(abbreviations, dict):
        raise ValueError("not an entry")
    pairs = {k: tuple(v) if isinstance(v, list) else v for k, v in abbreviations.items()}
    (entry,) = unpack([(paper_id, rows, pairs)])
    if set(map(len, rows)) <= {5}:  # the rows encode() writes: checked column by column
        well_formed = _rows_well_formed(rows) and _abbreviations_well_formed(entry)
    else:
        well_formed = _well_formed(entry)
    if not well_formed:
        raise ValueError("not an entry")
    return entry


class ExtractionCache:
    """Cached candidates by key, in one SQLite file.

    Parameters
    ----------
    path : the SQLite file; created with its directory when missing.

    Never raises for a bad or unwritable file: see the module's notes and :attr:`problems`.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        #: What went wrong with the cache, one line each, for the user.
        self.problems: list[str] = []
        self._dropped = 0
        self._db: sqlite3.Connection | None = None
        try:
            self._db = self._connect()
        except sqlite3.DatabaseError as exc:
            self._reset(f"could not be read ({exc})")
        except OSError as exc:
            self._give_up(exc)

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            with db:
                db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT)")
                row = db.execute("SELECT value FROM meta WHERE name = 'layout'").fetchone()
                if row is not None and row[0] != _LAYOUT:
                    db.execute("DROP TABLE IF EXISTS candidates")
                db.execute(
                    "INSERT OR REPLACE INTO meta (name, value) VALUES ('layout', ?)", (_LAYOUT,)
                )
                db.execute(
                    "CREATE TABLE IF NOT EXISTS candidates "
                    "(key TEXT PRIMARY KEY, value TEXT NOT NULL)"
                )
                db.execute("SELECT key, value FROM candidates LIMIT 1").fetchall()
        except BaseException:
            db.close()
            raise
        return db

    def _reset(self, why: str) -> None:
        """Delete the file (and SQLite's side files) and start an empty cache."""
        self.close()
        try:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            self._db = self._connect()
        except (OSError, sqlite3.DatabaseError) as exc:
            self._give_up(exc)
            return
        self.problems.append(
            f"the extraction cache {self.path} {why}; it was deleted and its papers parsed again"
        )

    def _give_up(self, exc: Exception) -> None:
        self.close()
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        self.problems.append(
            f"the extraction cache {self.path} cannot be used ({reason}); "
            "this build goes on without it"
        )

    def __enter__(self) -> ExtractionCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
        if self._dropped:
            self.problems.append(
                f"the extraction cache {self.path} had {self._dropped} unreadable "
                f"entr{'y' if self._dropped == 1 else 'ies'}; dropped, the papers parsed again"
            )
            self._dropped = 0

    def __len__(self) -> int:
        if self._db is None:
            return 0
        with closing(self._db.execute("SELECT COUNT(*) FROM candidates")) as cursor:
            return int(cursor.fetchone()[0])

    def get_many(self, keys: Iterable[str]) -> dict[str, str]:
        """The stored JSON text of each of ``keys`` that has an entry."""
        found: dict[str, str] = {}
        unique = list(dict.fromkeys(keys))
        try:
            for start in range(0, len(unique), _LOOKUP_CHUNK):
                if self._db is None:
                    return {}
                chunk = unique[start : start + _LOOKUP_CHUNK]
                marks = ",".join("?" * len(chunk))
                query = f"SELECT key, value FROM candidates WHERE key IN ({marks})"
                with closing(self._db.execute(query, chunk)) as cursor:
                    found.update(cursor.fetchall())
        except sqlite3.DatabaseError as exc:
            self._reset(f"could not be read ({exc})")
            return {}
        return found

    def put_many(self, entries: Iterable[tuple[str, PaperCandidates]]) -> None:
        """Store entries and commit them at once (a key stored twice keeps one entry)."""
        if self._db is None:
            return
        try:
            with self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO candidates (key, value) VALUES (?, ?)",
                    ((key, encode(value)) for key, value in entries),
                )
        except sqlite3.DatabaseError as exc:
            self._give_up(exc)

    def load(self, value: str, paper_id: str) -> PaperCandidates | None:
        """An entry's candidates, for the paper ``paper_id``; None (and counted) when the
        entry does not decode to well-formed candidates."""
        try:
            return decode(value, paper_id)
        except (ValueError, TypeError, RecursionError):
            self._dropped += 1
            return None


def _well_formed(entry: PaperCandidates) -> bool:
    """Whether a decoded entry has the types extraction gives (decoding does not check)."""
    if not isinstance(entry.candidates, list) or not isinstance(entry.abbreviations, dict):
        return False
    for c in entry.candidates:
        texts = (c.key, c.name, c.surface) + (() if c.parent is None else (c.parent,))
        if not all(isinstance(t, str) for t in texts):
            return False
        if isinstance(c.position, bool) or not isinstance(c.position, int | float):
            return False
    return _abbreviations_well_formed(entry)


def _rows_well_formed(rows: list[Any]) -> bool:
    """:func:`_well_formed`'s verdict on the candidates of rows of five values from JSON,
    reached a column at a time: the values JSON gives are of exact types (a bool is not an
    int), so each column's set of types says it, without a test per value."""
    if not rows:
        return True
    keys, names, surfaces, positions, parents = zip(*rows, strict=False)  # all of five
    texts = set(map(type, keys))
    texts.update(map(type, names), map(type, surfaces))
    return (
        texts <= {str}
        and set(map(type, positions)) <= {int, float}
        and set(map(type, parents)) <= {str, type(None)}
    )


def _abbreviations_well_formed(entry: PaperCandidates) -> bool:
    return all(
        isinstance(short, str)
        and isinstance(long, tuple)
        and len(long) == 2
        and all(isinstance(x, str) for x in long)
        for short, long in entry.abbreviations.items()
    )
