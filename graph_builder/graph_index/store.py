"""An open index (:class:`GraphIndex`): nodes found by name, edges read by their ends."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from graph_builder import navigation
from graph_builder.errors import ExportError
from graph_builder.graph_index.subgraph import Subgraph
from graph_builder.graph_index.tables import IN_CHUNK, INDEX_FILE, VERSION, Edge, mention_properties
from graph_builder.model import KnowledgeGraph
from graph_builder.schema import Label, Rel, node_id

#: ``(id, node id, properties)`` of a node read from the index.
Node = tuple[int, str, dict[str, Any]]


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
            return [(s, t, mention_properties(*rest)) for s, t, *rest in rows]
        return [(s, t, json.loads(data) if data else {}) for s, t, data in rows]

    def nodes(self, ids: Iterable[int]) -> list[Node]:
        """``(id, node id, properties)`` of the nodes ``ids``, in graph order."""
        wanted = sorted(set(ids))
        found = []
        for start in range(0, len(wanted), IN_CHUNK):
            chunk = wanted[start : start + IN_CHUNK]
            marks = ", ".join("?" * len(chunk))
            rows = self.db.execute(
                f"SELECT id, node, data FROM nodes WHERE id IN ({marks}) ORDER BY id", chunk
            )
            found += [(i, node, json.loads(data)) for i, node, data in rows]
        return found

    def graph(
        self, ids: Iterable[int], edges: Iterable[tuple[Rel, Edge]], *, read: Iterable[Node] = ()
    ) -> tuple[KnowledgeGraph, dict[int, str]]:
        """A graph of the nodes ``ids`` and those ``read`` before by :meth:`nodes` (in
        graph order) and ``edges``, with the metadata; and the node id of each id. It is held
        in a :class:`Subgraph`, not networkx."""
        kg = KnowledgeGraph(Subgraph())  # type: ignore[arg-type]
        kg.metadata.update(self.metadata)
        read = list(read)
        known = {i for i, _, _ in read}
        names: dict[int, str] = {}
        every = [*read, *self.nodes(i for i in ids if i not in known)]
        for i, node, properties in sorted(every, key=lambda row: row[0]):
            kg.graph.add_node(node, **properties)
            names[i] = node
        for rel, (source, target, properties) in edges:
            kg.add_edge(rel, names[source], names[target], **properties)
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
        if version != str(VERSION):
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
