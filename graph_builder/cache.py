"""The extraction cache: each paper's candidates, kept in SQLite beside the outputs.

Parsing is the slow step of a build; the corpus-level steps (vocabulary,
scores, links) are fast and depend on the whole corpus, so only the
per-paper result of extraction is cached. An entry's key is a hash of the
paper's cleaned text and of everything that changes extraction (see
:func:`extraction_fingerprint`); its value is the paper's
:class:`~graph_builder.concepts.candidates.PaperCandidates` as JSON, written
field by field from the dataclasses, so a field added later is stored too.

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
>>> decode(PaperCandidates, {**json.loads(encode(pc)), "paper_id": "p1"}) == pc
True
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import sqlite3
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from contextlib import closing
from pathlib import Path
from typing import Any, TypeVar

from graph_builder.concepts.candidates import PaperCandidates

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
_LAYOUT = "1"
_LOOKUP_CHUNK = 500

T = TypeVar("T")


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
    """The JSON text of an entry: every field but the paper id."""
    data = _encoder(PaperCandidates)(candidates)
    data.pop("paper_id", None)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def decode(cls: type[T], data: Any) -> T:
    """Rebuild a value of type ``cls`` from JSON data, driven by its type hints.

    Dataclasses, lists, tuples, dicts, sets, optional values and plain types
    are understood; a field missing from ``data`` keeps its default.
    """
    return _decoder(cls)(data)


_PLAIN = (str, int, float, bool, type(None), Any)


def _identity(data: Any) -> Any:
    return data


@functools.cache
def _encoder(hint: Any) -> Callable[[Any], Any]:
    """A function that turns a value of type ``hint`` into JSON data, as
    ``dataclasses.asdict`` does but without copying (built once per type; the
    extraction cache writes tens of candidates per paper in the main process).
    """
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        hints = typing.get_type_hints(hint)
        fields = {f.name: _encoder(hints[f.name]) for f in dataclasses.fields(hint)}
        names = list(fields)
        if all(encoder is _identity for encoder in fields.values()):
            return lambda value: {name: getattr(value, name) for name in names}
        return lambda value: {
            name: encoder(getattr(value, name)) for name, encoder in fields.items()
        }
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in args if a is not type(None)]
        inner = _encoder(options[0]) if len(options) == 1 else _identity
        return inner if inner is _identity else lambda d: None if d is None else inner(d)
    if origin in (list, set, frozenset) or (origin is tuple and args[1:] == (Ellipsis,)):
        item = _encoder(args[0])
        return _identity if item is _identity and origin is list else lambda d: [item(x) for x in d]
    if origin is tuple:
        items = [_encoder(a) for a in args]
        if all(encoder is _identity for encoder in items):
            return _identity
        return lambda d: [f(x) for f, x in zip(items, d, strict=True)]
    if origin is dict:
        value = _encoder(args[1])
        return _identity if value is _identity else lambda d: {k: value(v) for k, v in d.items()}
    return _identity


@functools.cache
def _decoder(hint: Any) -> Callable[[Any], Any]:
    """A function that turns JSON data into a value of type ``hint`` (built once per type)."""
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        hints = typing.get_type_hints(hint)
        fields = {f.name: _decoder(hints[f.name]) for f in dataclasses.fields(hint) if f.init}
        plain = [name for name, decoder in fields.items() if decoder is _identity]
        nested = {name: decoder for name, decoder in fields.items() if decoder is not _identity}

        def build(data: Any) -> Any:
            values = {name: data[name] for name in plain if name in data}
            for name, decoder in nested.items():
                if name in data:
                    values[name] = decoder(data[name])
            return hint(**values)

        return build
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in args if a is not type(None)]
        if len(options) != 1:
            return _identity
        inner = _decoder(options[0])
        return inner if inner is _identity else lambda d: None if d is None else inner(d)
    if origin is list:
        item = _decoder(args[0])
        return lambda d: [item(x) for x in d]
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            item = _decoder(args[0])
            return lambda d: tuple(item(x) for x in d)
        items = [_decoder(a) for a in args]
        return lambda d: tuple(f(x) for f, x in zip(items, d, strict=True))
    if origin is dict:
        key, value = _decoder(args[0]), _decoder(args[1])
        return lambda d: {key(k): value(v) for k, v in d.items()}
    if origin in (set, frozenset):
        item = _decoder(args[0])
        return lambda d: origin(item(x) for x in d)
    return _identity


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
            data = json.loads(value)
            if not isinstance(data, dict) or not data.keys() >= _ENTRY_FIELDS:
                raise ValueError("not an entry")
            data["paper_id"] = paper_id
            candidates = decode(PaperCandidates, data)
            if not _well_formed(candidates):
                raise ValueError("not an entry")
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
            self._dropped += 1
            return None
        return candidates


#: The fields every entry holds (:func:`encode` writes them all).
_ENTRY_FIELDS = frozenset(f.name for f in dataclasses.fields(PaperCandidates)) - {"paper_id"}


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
    return all(
        isinstance(short, str)
        and isinstance(long, tuple)
        and len(long) == 2
        and all(isinstance(x, str) for x in long)
        for short, long in entry.abbreviations.items()
    )
