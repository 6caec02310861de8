"""The questions of ``show``, ``path``, ``topics`` and ``trends``, answered from the index."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from graph_builder import navigation
from graph_builder import trends as time_trends
from graph_builder.graph_index.store import GraphIndex
from graph_builder.graph_index.tables import IN_CHUNK, Edge
from graph_builder.model import KnowledgeGraph
from graph_builder.schema import Label, Rel


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
    (all of them when one of its mentions has its properties in JSON, and so no weight)."""
    mentions = f'"{Rel.MENTIONS}"'
    unusual = index.db.execute(
        f"SELECT 1 FROM {mentions} WHERE target = ? AND weight IS NULL LIMIT 1", (found,)
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
    :func:`graph_builder.navigation.concept` lists: most papers, strength, partner key.
    Only the edges with as many papers as the ``limit``-th most or more (picked by SQLite's
    JSON functions) are read and ordered here, not every partner of a frequent concept."""
    table, papers = f'"{Rel.CO_OCCURS}"', "json_extract(data, '$.papers')"
    either = "(source = :id OR target = :id)"
    least = index.db.execute(
        f"SELECT {papers} FROM {table} WHERE {either} ORDER BY 1 DESC LIMIT 1 OFFSET :skip",
        {"id": found, "skip": limit - 1},
    ).fetchone()
    where = either + (f" AND {papers} >= :least" if least else "")
    rows = index.db.execute(
        f"SELECT source, target, data FROM {table} WHERE {where} ORDER BY rowid",
        {"id": found, "least": least and least[0]},
    )
    edges: list[Edge] = [(u, v, json.loads(data)) for u, v, data in rows]
    edges.sort(key=lambda edge: edge[0] != found)  # its own edges first, as networkx lists them
    keys = _keys(index, {t if s == found else s for s, t, _ in edges})

    def order(edge: Edge) -> tuple[float, float, str]:
        source, target, properties = edge
        other = target if source == found else source
        return (-properties["papers"], -properties["strength"], keys[other])

    return sorted(edges, key=order)[:limit]


def _keys(index: GraphIndex, ids: Iterable[int]) -> dict[int, str]:
    wanted, keys = list(ids), {}
    for start in range(0, len(wanted), IN_CHUNK):
        chunk = wanted[start : start + IN_CHUNK]
        marks = ", ".join("?" * len(chunk))
        keys.update(index.db.execute(f"SELECT id, key FROM nodes WHERE id IN ({marks})", chunk))
    return keys


def paper(index: GraphIndex, paper_id: str, *, limit: int = 10) -> dict[str, Any]:
    """:func:`graph_builder.navigation.paper`, answered from the index."""
    found = index.find_paper(paper_id)
    edges = [(Rel.MENTIONS, e) for e in index.edges(Rel.MENTIONS, "source", [found])]
    edges += [(Rel.IN_TOPIC, e) for e in index.edges(Rel.IN_TOPIC, "source", [found])]
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
            order="rank NULLS LAST",  # a paper's edge has no rank: after the concepts'
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
    """:func:`graph_builder.trends.ranked`, answered from the index."""
    kg = ranking_graph(index, since=since)
    return time_trends.ranked(kg, falling=falling, bursts=bursts, since=since, top=top)


def none_ranked(index: GraphIndex, *, falling: bool = False, bursts: bool = False) -> str:
    """:func:`graph_builder.trends.none_ranked`, answered from the index."""
    kg, _ = index.graph(index.node_ids(Label.PERIOD), [])
    return time_trends.none_ranked(kg, falling=falling, bursts=bursts)


def ranking_graph(index: GraphIndex, *, since: str | None = None) -> KnowledgeGraph:
    """The periods and the concepts in enough papers to be ranked (first seen on or after
    ``since``), the period rows read once: :func:`graph_builder.trends.ranked` and
    :func:`graph_builder.trends.none_ranked` answer on it as on the whole graph."""
    periods = index.nodes(index.node_ids(Label.PERIOD))
    dated = sum(properties["papers"] for _, _, properties in periods)
    where = "df >= :least" + (" AND first_date >= :since" if since is not None else "")
    rows = index.db.execute(
        f"SELECT id FROM trends WHERE {where}",
        {"least": time_trends.least_papers(dated), "since": since},
    )
    return index.graph([i for (i,) in rows], [], read=periods)[0]


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
    for start in range(0, len(level), IN_CHUNK):
        chunk = level[start : start + IN_CHUNK]
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
