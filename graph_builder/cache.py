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
from graph_builder.errors import ConfigError

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

    Raises
    ------
    ConfigError
        The file exists but is not an SQLite database, or cannot be opened.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._setup()
        except (OSError, sqlite3.DatabaseError) as exc:
            raise ConfigError(
                f"{self.path}: cannot use the extraction cache ({exc}); "
                f"delete the file or build with --no-cache"
            ) from None

    def _setup(self) -> None:
        with self._db:
            self._db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT)")
            row = self._db.execute("SELECT value FROM meta WHERE name = 'layout'").fetchone()
            if row is not None and row[0] != _LAYOUT:
                self._db.execute("DROP TABLE IF EXISTS candidates")
            self._db.execute(
                "INSERT OR REPLACE INTO meta (name, value) VALUES ('layout', ?)", (_LAYOUT,)
            )
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS candidates (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
            )

    def __enter__(self) -> ExtractionCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    def __len__(self) -> int:
        with closing(self._db.execute("SELECT COUNT(*) FROM candidates")) as cursor:
            return int(cursor.fetchone()[0])

    def get_many(self, keys: Iterable[str]) -> dict[str, str]:
        """The stored JSON text of each of ``keys`` that has an entry."""
        found: dict[str, str] = {}
        unique = list(dict.fromkeys(keys))
        for start in range(0, len(unique), _LOOKUP_CHUNK):
            chunk = unique[start : start + _LOOKUP_CHUNK]
            marks = ",".join("?" * len(chunk))
            query = f"SELECT key, value FROM candidates WHERE key IN ({marks})"
            with closing(self._db.execute(query, chunk)) as cursor:
                found.update(cursor.fetchall())
        return found

    def put_many(self, entries: Iterable[tuple[str, PaperCandidates]]) -> None:
        """Store entries and commit them at once (a key stored twice keeps one entry)."""
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO candidates (key, value) VALUES (?, ?)",
                ((key, encode(value)) for key, value in entries),
            )

    def load(self, value: str, paper_id: str) -> PaperCandidates:
        """An entry's candidates, for the paper ``paper_id``."""
        data = json.loads(value)
        data["paper_id"] = paper_id
        return decode(PaperCandidates, data)
