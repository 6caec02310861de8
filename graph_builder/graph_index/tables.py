"""The index's tables, and :func:`write`, which fills them from a graph."""

from __future__ import annotations

import json
import math
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

from graph_builder import navigation
from graph_builder.errors import ExportError
from graph_builder.model import KnowledgeGraph, concept_order
from graph_builder.schema import LABEL, NAME, NODE_KEY, TYPE, Label, Rel

#: The index's file name in a ``paperkg build`` output directory.
INDEX_FILE = "graph-index.sqlite"
#: Changes when the tables change: an index of another version is refused.
VERSION = 2
_LABELS = (Label.PAPER, Label.CONCEPT, Label.TOPIC, Label.PERIOD)
_RELS = (Rel.MENTIONS, Rel.RELATED_TO, Rel.CO_OCCURS, Rel.BROADER, Rel.IN_TOPIC)
_ROWS = 50_000  # rows handed to SQLite at a time
IN_CHUNK = 500  # ids per "IN (...)" of the path search
#: ``(source id, target id, properties)`` of an edge read from the index.
Edge = tuple[int, int, dict[str, Any]]


def _compact_encoder() -> Callable[[Any], str]:
    """``json.dumps(value, ensure_ascii=False, separators=(",", ":"))`` as one function.

    The standard library's C encoder, made once: ``JSONEncoder.encode`` makes a new one on
    every call, half the time of encoding a node's or an edge's few properties.
    """
    encoder = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
    make = json.encoder.c_make_encoder  # None where the C accelerator is missing
    if make is None:
        return encoder.encode
    encode = make(
        None, encoder.default, json.encoder.encode_basestring, None, ":", ",", False, False, True
    )
    return lambda value: "".join(encode(value, 0))


_encode = _compact_encoder()

_SCHEMA = [
    "CREATE TABLE meta(name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE nodes(id INTEGER PRIMARY KEY, node TEXT NOT NULL, label TEXT NOT NULL, "
    "key TEXT NOT NULL, name TEXT, rank INTEGER, date TEXT, data TEXT NOT NULL)",
    "CREATE TABLE names(label TEXT NOT NULL, name TEXT NOT NULL, id INTEGER NOT NULL, "
    "PRIMARY KEY(label, name)) WITHOUT ROWID",
    "CREATE TABLE paper_topics(paper TEXT NOT NULL, topic INTEGER NOT NULL)",
    "CREATE TABLE trends(id INTEGER PRIMARY KEY, df INTEGER NOT NULL, first_date TEXT)",
    f'CREATE TABLE "{Rel.MENTIONS}"(source INTEGER NOT NULL, target INTEGER NOT NULL, '
    "count INTEGER, weight REAL, spans TEXT, data TEXT)",
    *(
        f'CREATE TABLE "{rel}"(source INTEGER NOT NULL, target INTEGER NOT NULL, '
        "rank INTEGER, data TEXT)"
        for rel in _RELS[1:]
    ),
]
_INDEXES = [
    "CREATE UNIQUE INDEX nodes_node ON nodes(node)",
    "CREATE INDEX nodes_rank ON nodes(rank)",
    "CREATE INDEX nodes_label ON nodes(label, id)",
    f'CREATE INDEX "{Rel.MENTIONS}_source" ON "{Rel.MENTIONS}"(source)',
    # A concept's papers by weight: its best ones without sorting every one of its mentions.
    f'CREATE INDEX "{Rel.MENTIONS}_target" ON "{Rel.MENTIONS}"(target, weight)',
    *(f'CREATE INDEX "{rel}_source" ON "{rel}"(source)' for rel in _RELS[1:]),
    # A concept's narrower concepts and a topic's concepts, best first.
    *(f'CREATE INDEX "{rel}_target" ON "{rel}"(target, rank)' for rel in _RELS[1:]),
]


# Writing -------------------------------------------------------------------------------------


def write(kg: KnowledgeGraph, path: str | Path) -> None:
    """Write the index of ``kg`` to ``path`` (a new file, renamed into place)."""
    path = Path(path)
    # Beside the file, named for this process; SQLite creates it with the usual mode.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        with closing(sqlite3.connect(tmp, isolation_level=None)) as db:
            db.execute("PRAGMA journal_mode=OFF")
            db.execute("PRAGMA synchronous=OFF")
            db.execute("BEGIN")
            for statement in _SCHEMA:
                db.execute(statement)
            _write_rows(kg, db)
            for statement in _INDEXES:
                db.execute(statement)
            db.execute("COMMIT")
        os.replace(tmp, path)
    except (OSError, sqlite3.Error) as exc:
        raise ExportError(f"{path}: cannot write: {exc}") from None
    finally:
        tmp.unlink(missing_ok=True)


def _write_rows(kg: KnowledgeGraph, db: sqlite3.Connection) -> None:
    db.executemany(
        "INSERT INTO meta VALUES (?, ?)",
        [("version", str(VERSION)), ("metadata", _encode(kg.metadata))],
    )
    kept = {NAME[label] for label in _LABELS}
    nodes = [(node, data) for node, data in kg.graph.nodes(data=True) if data.get(LABEL) in kept]
    ids = {node: i for i, (node, _) in enumerate(nodes)}
    concepts = [(node, data) for node, data in nodes if data[LABEL] == NAME[Label.CONCEPT]]
    concepts.sort(key=lambda item: concept_order(item[1]))
    rank = {node: r for r, (node, _) in enumerate(concepts)}
    db.executemany(
        "INSERT INTO nodes VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (
                ids[node],
                node,
                data[LABEL],
                str(data[NODE_KEY[Label(data[LABEL])]]),
                data.get("name"),
                rank.get(node),
                data.get("date"),
                _encode(data),
            )
            for node, data in nodes
        ),
    )
    db.executemany("INSERT OR IGNORE INTO names VALUES (?, ?, ?)", _names(nodes, ids))
    db.executemany("INSERT INTO trends VALUES (?, ?, ?)", _trend_rows(nodes, ids))
    paper = NAME[Label.PAPER]
    db.executemany(
        "INSERT INTO paper_topics VALUES (?, ?)",
        (
            (str(data[NODE_KEY[Label.PAPER]]), data["topic"])
            for _, data in nodes
            if data[LABEL] == paper and isinstance(data.get("topic"), int)
        ),
    )
    _write_edges(kg, db, ids, rank)


def _names(
    nodes: list[tuple[str, dict[str, Any]]], ids: dict[str, int]
) -> Iterator[tuple[str, str, int]]:
    """(label, name, id) in graph order: a concept's names and aliases (normalised), a
    paper's arXiv id and DOI."""
    concept, paper = NAME[Label.CONCEPT], NAME[Label.PAPER]
    for node, data in nodes:
        if data[LABEL] == concept:
            for written in (data.get("name", ""), *data.get("aliases", ())):
                yield concept, navigation.normalise(written), ids[node]
        elif data[LABEL] == paper:
            for field in ("arxiv_id", "doi"):
                if isinstance(data.get(field), str):
                    yield paper, data[field], ids[node]


def _trend_rows(
    nodes: list[tuple[str, dict[str, Any]]], ids: dict[str, int]
) -> Iterator[tuple[Any, ...]]:
    """What the index's ``trends`` question picks concepts by (papers, first date), per
    concept with time properties; :func:`graph_builder.trends.ranked` orders them."""
    concept = NAME[Label.CONCEPT]
    for node, data in nodes:
        if data[LABEL] == concept and "counts" in data:
            yield ids[node], data.get("df", 0), data.get("first_date")


def _write_edges(
    kg: KnowledgeGraph, db: sqlite3.Connection, ids: dict[str, int], rank: dict[str, int]
) -> None:
    """One pass over the edges, each kept type into its table in batches, in graph order;
    but ``MENTIONS``, each edge with the rank of its source when that is a concept."""
    pending: dict[str, list[tuple[Any, ...]]] = {NAME[rel]: [] for rel in _RELS}
    mentions = NAME[Rel.MENTIONS]
    # networkx's own adjacency dicts: its edge views cost as much as the writing. A node's
    # MENTIONS (held apart, see KnowledgeGraph) come first among its edges.
    for u, neighbours in kg.graph._adj.items():
        if (source := ids.get(u)) is None:
            continue  # an author, category or cited work: none of the kept edges leave it
        source_rank = rank.get(u)
        batch = pending[mentions]
        for v, data in kg.mentions.of_source(u):
            batch.append((source, ids[v], *_mention(data)))
            if len(batch) == _ROWS:
                _insert(db, mentions, batch)
        for v, keyed in neighbours.items():
            for rel, data in keyed.items():
                if (batch := pending.get(rel)) is None:
                    continue
                rest = {k: value for k, value in data.items() if k != TYPE}
                batch.append((source, ids[v], source_rank, _encode(rest) if rest else None))
                if len(batch) == _ROWS:
                    _insert(db, rel, batch)
    for rel, batch in pending.items():
        _insert(db, rel, batch)


def _insert(db: sqlite3.Connection, rel: str, rows: list[tuple[Any, ...]]) -> None:
    if rows:
        marks = ", ".join("?" * len(rows[0]))
        db.executemany(f'INSERT INTO "{rel}" VALUES ({marks})', rows)
        rows.clear()


_MENTION_KEYS = frozenset({TYPE, "count", "weight", "spans"})
_STRINGS = {str}
_SEPARATOR = "\x1f"  # between the spans of a mention: the ASCII unit separator


def _mention(data: dict[str, Any]) -> tuple[Any, ...]:
    """``(count, weight, spans, data)`` of a ``MENTIONS`` edge.

    Its usual properties (an integer count, a finite weight, a few spans) go into their
    own columns, the spans joined by :data:`_SEPARATOR` (a tenth of the time JSON takes
    for 2 million edges); anything else is kept whole as JSON in ``data``, the other
    columns NULL (so a NULL ``weight`` marks such an edge).
    """
    count, weight, spans = data.get("count"), data.get("weight"), data.get("spans")
    if (
        data.keys() == _MENTION_KEYS
        and type(count) is int
        and type(weight) is float
        and math.isfinite(weight)
        and type(spans) is list
        and spans
        and set(map(type, spans)) == _STRINGS
        and "" not in spans
        and (joined := _SEPARATOR.join(spans)).count(_SEPARATOR) == len(spans) - 1
    ):
        return count, weight, joined, None
    return None, None, None, _encode({k: v for k, v in data.items() if k != TYPE})


def mention_properties(count: Any, weight: Any, spans: Any, data: str | None) -> dict[str, Any]:
    if data is not None:
        return json.loads(data)
    return {"count": count, "weight": weight, "spans": spans.split(_SEPARATOR)}


# Reading -------------------------------------------------------------------------------------
