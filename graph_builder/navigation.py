"""Navigating a built graph: a concept, a paper, the chain between two concepts, the topics.

These are the functions behind ``paperkg show``, ``paperkg path`` and
``paperkg topics``. Each returns plain data (dicts and lists, ready for JSON);
the ``format_*`` functions turn it into the text the command line prints.

A concept is found by its key or any name written for it, case, hyphens and
a plural ``s`` aside (``mean-field``, ``Mean field``, ``deep neural
networks``); a name that matches nothing raises :class:`NotFound` with the
nearest names (:mod:`difflib`, then names containing the words asked for).

Examples
--------
>>> from graph_builder.model import KnowledgeGraph, concept_order
>>> kg = KnowledgeGraph()
>>> _ = kg.add_node(Label.CONCEPT, "mean field", name="mean-field", df=1)
>>> concept(kg, "Mean-Field")["key"]
'mean field'
>>> concept(kg, "mean fiel")
Traceback (most recent call last):
...
graph_builder.navigation.NotFound: no concept 'mean fiel'; nearest: mean-field
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from graph_builder.errors import QueryError
from graph_builder.model import KnowledgeGraph, concept_order
from graph_builder.schema import LABEL, Label, Rel, node_id
from graph_builder.trends import sparkline

__all__ = [
    "NotFound",
    "chain",
    "concept",
    "concept_view",
    "find_concept",
    "find_paper",
    "format_concept",
    "format_paper",
    "format_path",
    "format_topics",
    "name_candidates",
    "nearest",
    "no_chain",
    "normalise",
    "paper",
    "paper_view",
    "path",
    "topics",
]

_SUGGESTIONS = 5
_SNIPPET = 90


class NotFound(QueryError):
    """No concept or paper by that name; ``suggestions`` holds the nearest names."""

    def __init__(self, kind: str, name: str, suggestions: list[str]) -> None:
        nearest = f"; nearest: {', '.join(suggestions)}" if suggestions else ""
        super().__init__(f"no {kind} {name!r}{nearest}")
        self.kind = kind
        self.name = name
        self.suggestions = suggestions


def normalise(text: str) -> str:
    """A name as concepts are looked up by: lower case, hyphens and underscores as spaces."""
    return " ".join(re.sub(r"[-_]+", " ", text.lower()).split())


def name_candidates(name: str) -> list[str]:
    """The normalised forms a concept called ``name`` is looked for by, in turn: the name,
    then with its last word in the singular."""
    # Imported here: the extraction package it is in costs the other questions a tenth of a
    # second.
    from graph_builder.concepts.terms import singular

    wanted = normalise(name)
    *front, last = wanted.split() or [""]
    return list(dict.fromkeys([wanted, " ".join([*front, singular(last)])]))


def find_concept(kg: KnowledgeGraph, name: str) -> str:
    """The node id of the concept called ``name``; :class:`NotFound` if there is none."""
    candidates = name_candidates(name)
    for candidate in candidates:
        node = node_id(Label.CONCEPT, candidate)
        if kg.graph.nodes.get(node, {}).get(LABEL) == Label.CONCEPT:
            return node
    names: dict[str, str] = {}
    for node, data in kg.nodes(Label.CONCEPT):
        for written in (data.get("name", ""), *data.get("aliases", ())):
            names.setdefault(normalise(written), node)
    for candidate in candidates:
        if candidate in names:
            return names[candidate]
    raise NotFound("concept", name, _nearest(kg, candidates[0], Label.CONCEPT))


def find_paper(kg: KnowledgeGraph, paper_id: str) -> str:
    """The node id of the paper with this id (or arXiv id, or DOI); :class:`NotFound` if none."""
    node = node_id(Label.PAPER, paper_id)
    if kg.graph.nodes.get(node, {}).get(LABEL) == Label.PAPER:
        return node
    for node, data in kg.nodes(Label.PAPER):
        if paper_id in (data.get("arxiv_id"), data.get("doi")):
            return node
    raise NotFound("paper", paper_id, _nearest(kg, paper_id, Label.PAPER))


def _nearest(kg: KnowledgeGraph, wanted: str, label: Label) -> list[str]:
    if label == Label.CONCEPT:
        shown = {data["key"]: data.get("name", data["key"]) for _, data in kg.nodes(label)}
    else:
        shown = {data["paper_id"]: data["paper_id"] for _, data in kg.nodes(label)}
    return nearest(shown, wanted)


def nearest(shown: dict[str, str], wanted: str) -> list[str]:
    """The names (values of ``shown``) of the keys of ``shown`` nearest to ``wanted``: close
    matches (:mod:`difflib`), then the keys holding every word of ``wanted``."""
    close = difflib.get_close_matches(wanted, list(shown), n=_SUGGESTIONS, cutoff=0.6)
    words = set(wanted.split())
    containing = sorted(k for k in shown if words and words <= set(k.split()) and k not in close)
    return [shown[k] for k in [*close, *containing][:_SUGGESTIONS]]


def _concept_ref(kg: KnowledgeGraph, node: str) -> dict[str, Any]:
    data = kg.graph.nodes[node]
    return {"key": data["key"], "name": data.get("name", data["key"]), "df": data.get("df", 0)}


def _paper_ref(kg: KnowledgeGraph, node: str) -> dict[str, Any]:
    data = kg.graph.nodes[node]
    abstract = data.get("abstract", "")
    snippet = abstract if len(abstract) <= _SNIPPET else abstract[:_SNIPPET].rsplit(" ", 1)[0]
    return {
        "paper_id": data["paper_id"],
        "title": data.get("title", ""),
        "date": data.get("date"),
        "snippet": snippet,
    }


def _topic_ref(kg: KnowledgeGraph, node: str) -> dict[str, Any]:
    data = kg.graph.nodes[node]
    return {"topic_id": data["topic_id"], "name": data["name"], "size": data["size"]}


def _typed(kg: KnowledgeGraph, node: str, rel: Rel, *, incoming: bool) -> list[tuple[str, dict]]:
    if rel == Rel.MENTIONS:
        return list(kg.mentions.of_target(node) if incoming else kg.mentions.of_source(node))
    edges = kg.graph.in_edges if incoming else kg.graph.out_edges
    return [
        (u if incoming else v, data)
        for u, v, key, data in edges(node, keys=True, data=True)
        if key == rel
    ]


def concept(kg: KnowledgeGraph, name: str, *, limit: int = 20) -> dict[str, Any]:
    """A concept, its papers (best first), broader and narrower concepts, partners and topic.

    ``broader`` is the chain up to the most general concept; ``narrower`` the
    concepts directly below; ``co_occurring`` the strongest ``limit`` partners
    by association strength; ``papers`` by the concept's weight in them.
    """
    return concept_view(kg, find_concept(kg, name), limit=limit)


def concept_view(kg: KnowledgeGraph, node: str, *, limit: int = 20) -> dict[str, Any]:
    """:func:`concept` of the concept node ``node``."""
    data = kg.graph.nodes[node]
    papers = [
        {**_paper_ref(kg, p), "weight": e["weight"], "spans": e.get("spans", [])}
        for p, e in _typed(kg, node, Rel.MENTIONS, incoming=True)
    ]
    papers.sort(key=lambda p: (-p["weight"], p["date"] or "", p["paper_id"]))
    broader, current, seen = [], node, {node}
    while parents := [v for v, _ in _typed(kg, current, Rel.BROADER, incoming=False)]:
        current = parents[0]
        if current in seen:
            break
        seen.add(current)
        broader.append(_concept_ref(kg, current))
    narrower_nodes = [c for c, _ in _typed(kg, node, Rel.BROADER, incoming=True)]
    narrower_nodes.sort(key=lambda c: concept_order(kg.graph.nodes[c]))
    narrower = [_concept_ref(kg, c) for c in narrower_nodes]
    partners = [
        {**_concept_ref(kg, other), "papers": e["papers"], "strength": e["strength"]}
        for incoming in (False, True)
        for other, e in _typed(kg, node, Rel.CO_OCCURS, incoming=incoming)
    ]
    partners.sort(key=lambda c: (-c["papers"], -c["strength"], c["key"]))
    topic = [t for t, _ in _typed(kg, node, Rel.IN_TOPIC, incoming=False)]
    return {
        "key": data["key"],
        "name": data.get("name", data["key"]),
        "aliases": data.get("aliases", []),
        "df": data.get("df", 0),
        "score": data.get("score"),
        "centrality": data.get("centrality"),
        "topic": _topic_ref(kg, topic[0]) if topic else None,
        "papers": papers[:limit],
        "broader": broader,
        "narrower": narrower[:limit],
        "co_occurring": partners[:limit],
        **_timeline(kg, data),
    }


def _timeline(kg: KnowledgeGraph, data: dict[str, Any]) -> dict[str, Any]:
    """A concept's time properties, ``counts`` as period -> papers (none without dates)."""
    if "counts" not in data:
        return {}
    periods = kg.metadata.get("periods", [])
    return {
        "first_date": data["first_date"],
        "last_date": data["last_date"],
        "mean_year": data["mean_year"],
        "growth": data["growth"],
        "counts": dict(zip(periods, data["counts"], strict=False)),
        "bursts": data["bursts"],
    }


def paper(kg: KnowledgeGraph, paper_id: str, *, limit: int = 10) -> dict[str, Any]:
    """A paper, its topic (with the ``weight`` of its membership), its concepts (best first)
    and its related papers with the concepts shared."""
    return paper_view(kg, find_paper(kg, paper_id), limit=limit)


def paper_view(kg: KnowledgeGraph, node: str, *, limit: int = 10) -> dict[str, Any]:
    """:func:`paper` of the paper node ``node``."""
    data = kg.graph.nodes[node]
    concepts = [
        {**_concept_ref(kg, c), "weight": e["weight"], "count": e["count"]}
        for c, e in _typed(kg, node, Rel.MENTIONS, incoming=False)
    ]
    concepts.sort(key=lambda c: (-c["weight"], c["key"]))
    related = []
    for incoming in (False, True):
        for other, e in _typed(kg, node, Rel.RELATED_TO, incoming=incoming):
            shared = [
                kg.graph.nodes.get(node_id(Label.CONCEPT, k), {}).get("name", k)
                for k in e.get("shared", [])
            ]
            related.append({**_paper_ref(kg, other), "weight": e["weight"], "shared": shared})
    related.sort(key=lambda r: (-r["weight"], r["paper_id"]))
    fields = ("title", "date", "year", "authors", "doi", "arxiv_id", "url", "abstract")
    topic = [
        {**_topic_ref(kg, t), "weight": e.get("weight")}
        for t, e in _typed(kg, node, Rel.IN_TOPIC, incoming=False)
    ]
    return {
        "paper_id": data["paper_id"],
        **{f: data[f] for f in fields if f in data},
        "topic": topic[0] if topic else None,
        "concepts": concepts,
        "related": related[:limit],
    }


def path(kg: KnowledgeGraph, a: str, b: str) -> list[dict[str, Any]]:
    """The shortest chain concept, paper, concept, ... from concept ``a`` to concept ``b``.

    Steps go through ``MENTIONS`` only, so each paper in the chain mentions
    the concepts on both sides of it. :class:`~graph_builder.errors.QueryError`
    when no chain exists.
    """
    import networkx as nx

    start, end = find_concept(kg, a), find_concept(kg, b)
    graph = nx.Graph()
    graph.add_edges_from((u, v) for u, v, _ in kg.edges(Rel.MENTIONS))
    try:
        nodes = nx.shortest_path(graph, start, end)
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        raise no_chain(a, b) from None
    return chain(kg, nodes)


def no_chain(a: str, b: str) -> QueryError:
    """The error of :func:`path` when no chain of papers links ``a`` and ``b``."""
    return QueryError(f"no chain of papers links {a!r} and {b!r}")


def chain(kg: KnowledgeGraph, nodes: list[str]) -> list[dict[str, Any]]:
    """The steps of :func:`path` along ``nodes`` (concept and paper node ids)."""
    steps = []
    for node in nodes:
        label = kg.graph.nodes[node][LABEL]
        ref = _concept_ref(kg, node) if label == Label.CONCEPT else _paper_ref(kg, node)
        steps.append({"label": label, **ref})
    return steps


def topics(kg: KnowledgeGraph, *, concepts: int = 10) -> list[dict[str, Any]]:
    """Every topic, by id, with its ``concepts`` best concepts (in :func:`concept_order`)."""
    result = []
    for node, _ in kg.nodes(Label.TOPIC):
        edges = _typed(kg, node, Rel.IN_TOPIC, incoming=True)
        nodes = [c for c, _ in edges if kg.graph.nodes[c].get(LABEL) == Label.CONCEPT]
        nodes.sort(key=lambda c: concept_order(kg.graph.nodes[c]))
        members = [_concept_ref(kg, c) for c in nodes]
        result.append({**_topic_ref(kg, node), "concepts": members[:concepts]})
    result.sort(key=lambda t: t["topic_id"])
    return result


# Text ----------------------------------------------------------------------------------------


def _paper_line(p: dict[str, Any]) -> str:
    return f"{p['paper_id']}  {p['date'] or '':10}  {p['title'] or p['snippet']}"


def format_concept(view: dict[str, Any]) -> str:
    """The text ``paperkg show DIR concept NAME`` prints."""
    lines = [f"{view['name']}  (key: {view['key']}, {view['df']} paper(s))"]
    if view["aliases"]:
        lines.append(f"  also written: {', '.join(view['aliases'])}")
    if view["topic"]:
        lines.append(f"  topic {view['topic']['topic_id']}: {view['topic']['name']}")
    lines.append(f"  broader: {' > '.join(c['name'] for c in view['broader']) or '-'}")
    lines.append(f"  narrower: {', '.join(c['name'] for c in view['narrower']) or '-'}")
    partners = ", ".join(f"{c['name']} ({c['papers']})" for c in view["co_occurring"])
    lines.append(f"  co-occurring (papers): {partners or '-'}")
    if "counts" in view:
        lines.extend(_format_timeline(view))
    lines.append("  papers:")
    lines.extend(f"    {_paper_line(p)}" for p in view["papers"])
    return "\n".join(lines)


def _format_timeline(view: dict[str, Any]) -> list[str]:
    counts = view["counts"]
    bursts = ", ".join(f"{b['start']}..{b['end']} ({b['strength']:.1f})" for b in view["bursts"])
    periods = list(counts)
    return [
        f"  timeline: {view['first_date']} to {view['last_date']}, mean year "
        f"{view['mean_year']:.2f}, growth {view['growth']:+.3f} points of share per period",
        f"    {periods[0]} {sparkline(list(counts.values()))} {periods[-1]}  "
        + " ".join(str(c) for c in counts.values()),
        f"    bursts: {bursts or '-'}",
    ]


def format_paper(view: dict[str, Any]) -> str:
    """The text ``paperkg show DIR paper ID`` prints."""
    lines = [f"{view['paper_id']}  {view.get('date', '')}  {view.get('title', '')}".rstrip()]
    if "abstract" in view:
        lines.append(f"  {view['abstract']}")
    if topic := view.get("topic"):
        weight = f" (membership {topic['weight']:.2f})" if topic["weight"] is not None else ""
        lines.append(f"  topic {topic['topic_id']}: {topic['name']}{weight}")
    concepts = ", ".join(f"{c['name']} ({c['weight']:.2f})" for c in view["concepts"])
    lines.append(f"  concepts: {concepts or '-'}")
    lines.append("  related papers (weight; shared concepts):")
    for r in view["related"]:
        lines.append(f"    {_paper_line(r)}")
        lines.append(f"      {r['weight']:.3f}; {', '.join(r['shared'])}")
    return "\n".join(lines)


def format_path(steps: list[dict[str, Any]]) -> str:
    """The text ``paperkg path DIR A B`` prints: one step per line."""
    return "\n".join(
        f"{'  ' if s['label'] == Label.PAPER else ''}{s['label']}: "
        + (_paper_line(s) if s["label"] == Label.PAPER else s["name"])
        for s in steps
    )


def format_topics(items: list[dict[str, Any]]) -> str:
    """The text ``paperkg topics DIR`` prints: one topic per line."""
    return "\n".join(
        f"{t['topic_id']:>4}  {t['size']:>5} concepts  "
        + ", ".join(c["name"] for c in t["concepts"])
        for t in items
    )
