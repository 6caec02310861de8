"""A small index of a built graph, so that ``show``, ``path``, ``topics`` and ``trends`` answer
without loading ``graph.json``.

``graph.json`` of 33,649 abstracts takes most of a minute and gigabytes to read back; each of
these commands needs a few dozen nodes of it. ``paperkg build`` therefore also writes
``DIR/graph-index.sqlite`` (SQLite, Python's :mod:`sqlite3`), with the outputs and as
atomically:

* each paper, concept, topic and period node, its properties as ``graph.json`` holds them
  (JSON text), numbered in graph order; a concept also has its place in
  :func:`graph_builder.model.concept_order` (``rank``);
* the ``MENTIONS``, ``RELATED_TO``, ``CO_OCCURS``, ``BROADER`` and ``IN_TOPIC`` edges, a table
  each, in graph order, indexed by both ends;
* the names a concept is found by (every name and alias, normalised as
  :func:`graph_builder.navigation.normalise` does; the first concept in graph order
  holding a name has it) and the arXiv ids and DOIs of the papers;
* per concept with time properties, what ``paperkg trends`` sorts and filters by;
* each paper's topic, which the next build into the directory keeps the topic ids by
  (:func:`paper_topics`);
* the graph metadata.

A question reads the few rows it needs into a small :class:`KnowledgeGraph` and runs the
functions of :mod:`graph_builder.navigation` and :mod:`graph_builder.trends` on it, so the
answer is the one the whole graph gives. Where a list is cut (a concept's narrower concepts
and partners, a topic's concepts, the trends), only the rows that can be in the cut list are
read, chosen by the same order. ``path`` walks the ``MENTIONS`` edges breadth-first from both
ends as :func:`networkx.bidirectional_shortest_path` does, neighbours in the same order, so it
finds the same chain.
"""

from __future__ import annotations

import json
import math
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from graph_builder import navigation
from graph_builder import trends as time_trends
from graph_builder.errors import ExportError
from graph_builder.model import KnowledgeGraph, concept_order
from graph_builder.schema import LABEL, NAME, NODE_KEY, TYPE, Label, Rel, node_id

__all__ = [
    "INDEX_FILE",
    "GraphIndex",
    "concept",
    "none_ranked",
    "open_index",
    "paper",
    "paper_topics",
    "path",
    "ranked",
    "topics",
    "write",
]

#: The index's file name in a ``paperkg build`` output directory.
INDEX_FILE = "graph-index.sqlite"
#: Changes when the tables change: an index of another version is refused.
_VERSION = 1
_LABELS = (Label.PAPER, Label.CONCEPT, Label.TOPIC, Label.PERIOD)
_RELS = (Rel.MENTIONS, Rel.RELATED_TO, Rel.CO_OCCURS, Rel.BROADER, Rel.IN_TOPIC)
_ROWS = 50_000  # rows handed to SQLite at a time
_IN_CHUNK = 500  # ids per "IN (...)" of the path search
#: ``(source id, target id, properties)`` of an edge read from the index.
Edge = tuple[int, int, dict[str, Any]]
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

_SCHEMA = [
    "CREATE TABLE meta(name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE nodes(id INTEGER PRIMARY KEY, node TEXT NOT NULL, label TEXT NOT NULL, "
    "key TEXT NOT NULL, name TEXT, rank INTEGER, date TEXT, data TEXT NOT NULL)",
    "CREATE TABLE names(label TEXT NOT NULL, name TEXT NOT NULL, id INTEGER NOT NULL, "
    "PRIMARY KEY(label, name)) WITHOUT ROWID",
    "CREATE TABLE paper_topics(paper TEXT NOT NULL, topic INTEGER NOT NULL)",
    "CREATE TABLE trends(id INTEGER PRIMARY KEY, key TEXT NOT NULL, df INTEGER NOT NULL, "
    "growth REAL, first_date TEXT, burst REAL)",
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
    f'CREATE INDEX "{Rel.MENTIONS}_target" ON "{Rel.MENTIONS}"(target)',
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
        [("version", str(_VERSION)), ("metadata", _encode(kg.metadata))],
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
    db.executemany("INSERT INTO trends VALUES (?, ?, ?, ?, ?, ?)", _trend_rows(nodes, ids))
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
    """What :func:`graph_builder.trends.ranked` filters and sorts by, per concept with
    time properties (``burst``: its strongest burst's strength, None without a burst)."""
    concept = NAME[Label.CONCEPT]
    for node, data in nodes:
        if data[LABEL] == concept and "counts" in data:
            bursts = data.get("bursts") or []
            yield (
                ids[node],
                data["key"],
                data.get("df", 0),
                data.get("growth"),
                data.get("first_date"),
                max(b["strength"] for b in bursts) if bursts else None,
            )


def _write_edges(
    kg: KnowledgeGraph, db: sqlite3.Connection, ids: dict[str, int], rank: dict[str, int]
) -> None:
    """One pass over the edges, each kept type into its table in batches, in graph order;
    but ``MENTIONS``, each edge with the rank of its source when that is a concept."""
    pending: dict[str, list[tuple[Any, ...]]] = {NAME[rel]: [] for rel in _RELS}
    mentions = NAME[Rel.MENTIONS]
    # networkx's own adjacency dicts: its edge views cost as much as the writing.
    for u, neighbours in kg.graph._adj.items():
        if (source := ids.get(u)) is None:
            continue  # an author, category or cited work: none of the kept edges leave it
        source_rank = rank.get(u)
        for v, keyed in neighbours.items():
            for rel, data in keyed.items():
                if (batch := pending.get(rel)) is None:
                    continue
                if rel == mentions:
                    batch.append((source, ids[v], *_mention(data)))
                else:
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
_SEPARATOR = "\x1f"  # between the spans of a mention: the ASCII unit separator


def _mention(data: dict[str, Any]) -> tuple[Any, ...]:
    """``(count, weight, spans, data)`` of a ``MENTIONS`` edge.

    Its usual properties (an integer count, a finite weight, a few spans) go into their
    own columns, the spans joined by :data:`_SEPARATOR` (a tenth of the time JSON takes
    for 2 million edges); anything else is kept whole as JSON in ``data``.
    """
    count, weight, spans = data.get("count"), data.get("weight"), data.get("spans")
    if (
        data.keys() == _MENTION_KEYS
        and type(count) is int
        and type(weight) is float
        and math.isfinite(weight)
        and type(spans) is list
        and spans
        and all(type(span) is str and span and _SEPARATOR not in span for span in spans)
    ):
        return count, weight, _SEPARATOR.join(spans), None
    return None, None, None, _encode({k: v for k, v in data.items() if k != TYPE})


def _mention_properties(count: Any, weight: Any, spans: Any, data: str | None) -> dict[str, Any]:
    if data is not None:
        return json.loads(data)
    return {"count": count, "weight": weight, "spans": spans.split(_SEPARATOR)}


# Reading -------------------------------------------------------------------------------------


class GraphIndex:
    """An open index (read-only): rows by id, and the small graphs the questions run on."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.metadata: dict[str, Any] = json.loads(self._meta("metadata"))

    def _meta(self, name: str) -> str:
        row = self.db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return row[0]

    def node_ids(self, label: Label) -> list[int]:
        """The ids of every node with this label, in graph order."""
        rows = self.db.execute("SELECT id FROM nodes WHERE label = ? ORDER BY id", (label,))
        return [i for (i,) in rows]

    def find(self, label: Label, key: str) -> int | None:
        """The id of the node with this label and key, None if there is none."""
        row = self.db.execute(
            "SELECT id FROM nodes WHERE node = ?", (node_id(label, key),)
        ).fetchone()
        return row[0] if row else None

    def find_concept(self, name: str) -> int:
        """As :func:`graph_builder.navigation.find_concept` finds it, by key, name or alias."""
        candidates = navigation.name_candidates(name)
        for candidate in candidates:
            if (found := self.find(Label.CONCEPT, candidate)) is not None:
                return found
        for candidate in candidates:
            if (found := self._named(Label.CONCEPT, candidate)) is not None:
                return found
        raise navigation.NotFound("concept", name, self._nearest(Label.CONCEPT, candidates[0]))

    def find_paper(self, paper_id: str) -> int:
        """As :func:`graph_builder.navigation.find_paper` finds it, by id, arXiv id or DOI."""
        found = self.find(Label.PAPER, paper_id)
        if found is None:
            found = self._named(Label.PAPER, paper_id)
        if found is None:
            raise navigation.NotFound("paper", paper_id, self._nearest(Label.PAPER, paper_id))
        return found

    def _named(self, label: Label, name: str) -> int | None:
        row = self.db.execute(
            "SELECT id FROM names WHERE label = ? AND name = ?", (label, name)
        ).fetchone()
        return row[0] if row else None

    def _nearest(self, label: Label, wanted: str) -> list[str]:
        rows = self.db.execute(
            "SELECT key, coalesce(name, key) FROM nodes WHERE label = ? ORDER BY id", (label,)
        )
        shown = {key: (name if label == Label.CONCEPT else key) for key, name in rows}
        return navigation.nearest(shown, wanted)

    def edges(
        self, rel: Rel, end: str, ids: Iterable[int], *, order: str = "rowid", limit: int = -1
    ) -> list[Edge]:
        """``(source, target, properties)`` of the ``rel`` edges whose ``end`` (``source``,
        ``target`` or ``rowid``) is one of ``ids``, in graph order unless ``order`` says
        otherwise."""
        ids = list(ids)
        if not ids:
            return []
        marks = ", ".join("?" * len(ids))
        columns = "count, weight, spans, data" if rel == Rel.MENTIONS else "data"
        rows = self.db.execute(
            f'SELECT source, target, {columns} FROM "{rel}" WHERE {end} IN ({marks}) '
            f"ORDER BY {order} LIMIT ?",
            (*ids, limit),
        )
        if rel == Rel.MENTIONS:
            return [(s, t, _mention_properties(*rest)) for s, t, *rest in rows]
        return [(s, t, json.loads(data) if data else {}) for s, t, data in rows]

    def graph(
        self, ids: Iterable[int], edges: Iterable[tuple[Rel, Edge]]
    ) -> tuple[KnowledgeGraph, dict[int, str]]:
        """A graph of the nodes ``ids`` (in graph order) and ``edges``, with the metadata;
        and the node id of each id."""
        kg = KnowledgeGraph()
        kg.metadata.update(self.metadata)
        wanted = sorted(set(ids))
        names: dict[int, str] = {}
        for start in range(0, len(wanted), _IN_CHUNK):
            chunk = wanted[start : start + _IN_CHUNK]
            marks = ", ".join("?" * len(chunk))
            for i, node, data in self.db.execute(
                f"SELECT id, node, data FROM nodes WHERE id IN ({marks}) ORDER BY id", chunk
            ):
                kg.graph.add_node(node, **json.loads(data))
                names[i] = node
        for rel, (source, target, properties) in edges:
            name = NAME[rel]
            kg.graph.add_edge(names[source], names[target], key=name, **{TYPE: name, **properties})
        return kg, names


@contextmanager
def open_index(directory: str | Path) -> Iterator[GraphIndex]:
    """The index that ``paperkg build`` wrote into ``directory``, open read-only."""
    path = Path(directory) / INDEX_FILE
    if not path.is_file():
        raise ExportError(f"{path}: no such file; run 'paperkg build' first")
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise ExportError(f"{path}: cannot read: {exc}") from None
    try:
        try:
            index = GraphIndex(db)
            version = index._meta("version")
        except (sqlite3.Error, TypeError, ValueError):
            raise ExportError(f"{path}: not a paperkg index; run 'paperkg build' again") from None
        if version != str(_VERSION):
            raise ExportError(
                f"{path}: written by another version of paperkg; run 'paperkg build' again"
            )
        try:
            yield index
        except sqlite3.Error as exc:
            raise ExportError(f"{path}: cannot read ({exc}); run 'paperkg build' again") from None
    finally:
        db.close()


def paper_topics(directory: str | Path) -> dict[int, set[str]] | None:
    """Each topic id of the index in ``directory`` and its papers' ``paper_id``; None when
    there is no index of this version there, or it cannot be read."""
    try:
        with open_index(directory) as index:
            found: dict[int, set[str]] = {}
            for paper_id, topic in index.db.execute("SELECT paper, topic FROM paper_topics"):
                found.setdefault(topic, set()).add(paper_id)
            return found
    except (ExportError, sqlite3.Error):
        return None


# Questions -----------------------------------------------------------------------------------


def concept(index: GraphIndex, name: str, *, limit: int = 20) -> dict[str, Any]:
    """:func:`graph_builder.navigation.concept`, answered from the index."""
    found = index.find_concept(name)
    edges: list[tuple[Rel, Edge]] = []
    edges += [(Rel.MENTIONS, e) for e in _best_papers(index, found, limit)]
    edges += [(Rel.BROADER, e) for e in _ancestry(index, found)]
    narrower = index.edges(
        Rel.BROADER,
        "target",
        [found],
        order="rank",
        limit=limit,
    )
    edges += [(Rel.BROADER, e) for e in narrower]
    edges += [(Rel.CO_OCCURS, e) for e in _strongest_partners(index, found, limit)]
    edges += [(Rel.IN_TOPIC, e) for e in index.edges(Rel.IN_TOPIC, "source", [found])]
    ids = {found, *(i for _, (s, t, _) in edges for i in (s, t))}
    ids.update(index.node_ids(Label.PERIOD))
    kg, names = index.graph(ids, edges)
    return navigation.concept_view(kg, names[found], limit=limit)


def _best_papers(index: GraphIndex, found: int, limit: int) -> list[Edge]:
    """The ``MENTIONS`` edges of the ``limit`` papers :func:`graph_builder.navigation.concept`
    lists for the concept ``found``: greatest weight, then earliest date, then paper id
    (all of them when one of its mentions has its properties in JSON)."""
    mentions = f'"{Rel.MENTIONS}"'
    unusual = index.db.execute(
        f"SELECT 1 FROM {mentions} WHERE target = ? AND data IS NOT NULL LIMIT 1", (found,)
    ).fetchone()
    if unusual:
        return index.edges(Rel.MENTIONS, "target", [found])
    rows = index.db.execute(
        f"SELECT m.rowid FROM {mentions} m JOIN nodes n ON n.id = m.source WHERE m.target = ? "
        "ORDER BY m.weight DESC, coalesce(n.date, ''), n.key LIMIT ?",
        (found, limit),
    )
    return index.edges(Rel.MENTIONS, "rowid", [rowid for (rowid,) in rows])


def _ancestry(index: GraphIndex, start: int) -> list[Edge]:
    """The ``BROADER`` edges out of ``start``, out of their targets, and so on up."""
    found, seen, frontier = [], {start}, [start]
    while frontier:
        edges = index.edges(Rel.BROADER, "source", frontier)
        found += edges
        frontier = [t for _, t, _ in edges if t not in seen]
        seen.update(frontier)
    return found


def _strongest_partners(index: GraphIndex, found: int, limit: int) -> list[Edge]:
    """The ``limit`` ``CO_OCCURS`` edges of ``found`` (either way) that
    :func:`graph_builder.navigation.concept` lists: most papers, strength, partner key."""
    edges = [
        *index.edges(Rel.CO_OCCURS, "source", [found]),
        *index.edges(Rel.CO_OCCURS, "target", [found]),
    ]
    keys = _keys(index, {t if s == found else s for s, t, _ in edges})

    def order(edge: Edge) -> tuple[float, float, str]:
        source, target, properties = edge
        other = target if source == found else source
        return (-properties["papers"], -properties["strength"], keys[other])

    return sorted(edges, key=order)[:limit]


def _keys(index: GraphIndex, ids: Iterable[int]) -> dict[int, str]:
    wanted, keys = list(ids), {}
    for start in range(0, len(wanted), _IN_CHUNK):
        chunk = wanted[start : start + _IN_CHUNK]
        marks = ", ".join("?" * len(chunk))
        keys.update(index.db.execute(f"SELECT id, key FROM nodes WHERE id IN ({marks})", chunk))
    return keys


def paper(index: GraphIndex, paper_id: str, *, limit: int = 10) -> dict[str, Any]:
    """:func:`graph_builder.navigation.paper`, answered from the index."""
    found = index.find_paper(paper_id)
    edges = [(Rel.MENTIONS, e) for e in index.edges(Rel.MENTIONS, "source", [found])]
    for end in ("source", "target"):
        edges += [(Rel.RELATED_TO, e) for e in index.edges(Rel.RELATED_TO, end, [found])]
    ids = {found, *(i for _, (s, t, _) in edges for i in (s, t))}
    for rel, (_, _, properties) in edges:
        if rel == Rel.RELATED_TO:
            for key in properties.get("shared", []):
                if (shared := index.find(Label.CONCEPT, str(key))) is not None:
                    ids.add(shared)
    kg, names = index.graph(ids, edges)
    return navigation.paper_view(kg, names[found], limit=limit)


def topics(index: GraphIndex, *, concepts: int = 10) -> list[dict[str, Any]]:
    """:func:`graph_builder.navigation.topics`, answered from the index."""
    topic_ids = index.node_ids(Label.TOPIC)
    edges = []
    for topic in topic_ids:
        best = index.edges(
            Rel.IN_TOPIC,
            "target",
            [topic],
            order="rank",
            limit=concepts,
        )
        edges += [(Rel.IN_TOPIC, e) for e in best]
    kg, _ = index.graph([*topic_ids, *(s for _, (s, _, _) in edges)], edges)
    return navigation.topics(kg, concepts=concepts)


def ranked(
    index: GraphIndex,
    *,
    falling: bool = False,
    bursts: bool = False,
    since: str | None = None,
    top: int | None = 20,
) -> list[dict[str, Any]]:
    """:func:`graph_builder.trends.ranked`, answered from the index: the concepts in enough
    papers to be ranked are read with the periods, and ranked as the whole graph ranks them."""
    periods = index.node_ids(Label.PERIOD)
    dated = sum(d["papers"] for _, d in index.graph(periods, [])[0].nodes(Label.PERIOD))
    where = "df >= :least" + (" AND first_date >= :since" if since is not None else "")
    rows = index.db.execute(
        f"SELECT id FROM trends WHERE {where}",
        {"least": time_trends.least_papers(dated), "since": since},
    )
    kg, _ = index.graph([*(i for (i,) in rows), *periods], [])
    return time_trends.ranked(kg, falling=falling, bursts=bursts, since=since, top=top)


def none_ranked(index: GraphIndex, *, falling: bool = False, bursts: bool = False) -> str:
    """:func:`graph_builder.trends.none_ranked`, answered from the index."""
    kg, _ = index.graph(index.node_ids(Label.PERIOD), [])
    return time_trends.none_ranked(kg, falling=falling, bursts=bursts)


def path(index: GraphIndex, a: str, b: str) -> list[dict[str, Any]]:
    """:func:`graph_builder.navigation.path`, answered from the index."""
    start, end = index.find_concept(a), index.find_concept(b)
    nodes = _shortest_chain(index, start, end)
    if nodes is None:
        raise navigation.no_chain(a, b)
    kg, names = index.graph(nodes, [])
    return navigation.chain(kg, [names[i] for i in nodes])


def _shortest_chain(index: GraphIndex, source: int, target: int) -> list[int] | None:
    """The nodes of the chain :func:`networkx.bidirectional_shortest_path` finds between
    ``source`` and ``target`` in the undirected graph of the ``MENTIONS`` edges, None when
    there is none (or one of them has no such edge)."""
    neighbours = _Neighbours(index)
    if not neighbours.get([source])[source] or not neighbours.get([target])[target]:
        return None
    if source == target:
        return [source]
    pred: dict[int, int | None] = {source: None}
    succ: dict[int, int | None] = {target: None}
    forward, reverse = [source], [target]
    meeting = None
    while forward and reverse and meeting is None:
        if len(forward) <= len(reverse):
            forward, meeting = _expand(neighbours, forward, pred, succ)
        else:
            reverse, meeting = _expand(neighbours, reverse, succ, pred)
    if meeting is None:
        return None
    chain: list[int] = []
    node: int | None = meeting
    while node is not None:
        chain.append(node)
        node = pred[node]
    chain.reverse()
    node = succ[chain[-1]]
    while node is not None:
        chain.append(node)
        node = succ[node]
    return chain


def _expand(
    neighbours: _Neighbours,
    level: list[int],
    mine: dict[int, int | None],
    theirs: dict[int, int | None],
) -> tuple[list[int], int | None]:
    """One level of the search from one side: the next fringe and the node where it met the
    other side (None if it did not), visiting nodes as networkx does."""
    fringe: list[int] = []
    for start in range(0, len(level), _IN_CHUNK):
        chunk = level[start : start + _IN_CHUNK]
        found = neighbours.get(chunk)
        for v in chunk:
            for w in found[v]:
                if w not in mine:
                    fringe.append(w)
                    mine[w] = v
                if w in theirs:
                    return fringe, w
    return fringe, None


class _Neighbours:
    """Each node's neighbours through ``MENTIONS`` in the order of networkx's undirected
    graph of those edges: a paper's concepts in edge order, a concept's papers in graph
    order (the order of its edges, which are grouped by paper)."""

    def __init__(self, index: GraphIndex) -> None:
        self.index = index

    def get(self, ids: list[int]) -> dict[int, list[int]]:
        found: dict[int, list[int]] = {i: [] for i in ids}
        marks = ", ".join("?" * len(ids))
        rows = self.index.db.execute(
            f'SELECT source, target FROM "{Rel.MENTIONS}" WHERE source IN ({marks}) '
            f"OR target IN ({marks}) ORDER BY rowid",
            (*ids, *ids),
        )
        for source, target in rows:
            if source in found:
                found[source].append(target)
            if target in found:
                found[target].append(source)
        return found
