"""VOSviewer's files: the map and network files, and VOSviewer Online's JSON.

The items are the concepts, the links their ``CO_OCCURS`` edges, as in a
VOSviewer term co-occurrence map:

* ``cluster``: the concept's topic (its ``IN_TOPIC`` edge, else its ``community``
  property), numbered 1, 2, ... in the order of the graph's topics; concepts with
  no topic share the cluster after the last one. VOSviewer takes clusters 1 to
  1000, so topics past the 999th share cluster 1000 with them.
* weights: ``Links`` and ``Total link strength`` (number and summed strength of
  the item's links in the map), ``Occurrences`` (papers mentioning the concept,
  ``df``) and, when the graph has it, ``Prominence``.
* score ``Avg. pub. year``: the concept's ``mean_year`` when the graph has it,
  else the mean ``year`` of the papers that mention it (left empty when none has a
  year), for VOSviewer's overlay view.
* link strength: the ``papers`` of the ``CO_OCCURS`` edge (papers with both
  concepts), the raw count VOSviewer normalises itself.
* ``x``/``y``: :func:`networkx.spring_layout` of the map's links, seeded, so the
  same graph gives the same file.

The formats follow VOSviewer's documentation
(https://app.vosviewer.com/docs/file-types/map-and-network-file-type/ and
https://app.vosviewer.com/docs/file-types/json-file-type/): tab-separated map file
with a header line (``id``, ``label``, ``description``, ``x``, ``y``,
``cluster``, ``weight<...>``, ``score<...>``), a labelled field in double quotes
when it holds a comma, a semicolon or a quote; network file without header,
``id1<TAB>id2<TAB>strength``, one line per pair.

The map holds the :data:`MAX_CONCEPTS` first concepts in the order of "the top
concepts" everywhere (:func:`graph_builder.model.concept_order`: prominence, else
papers) and the :data:`MAX_LINKS` strongest links among them: the
layout costs about the square of the items, and VOSviewer's own maps are of
this size.
"""

from __future__ import annotations

import html
import json
import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from exporters._atomic import atomic_path, staged_directory
from graph_builder.errors import ExportError
from graph_builder.model import KnowledgeGraph, concept_order
from graph_builder.schema import NODE_KEY, Label, Rel, node_id

__all__ = [
    "MAP_FILE",
    "MAX_CONCEPTS",
    "MAX_LINKS",
    "NETWORK_FILE",
    "VosMap",
    "vos_map",
    "write_files",
    "write_json",
]

MAP_FILE = "vosviewer-map.txt"
NETWORK_FILE = "vosviewer-network.txt"
MAX_CONCEPTS = 1000
MAX_LINKS = 10000
#: VOSviewer's highest cluster number.
MAX_CLUSTER = 1000
_SEED = 42
_DIGITS = 4
_YEAR = "Avg. pub. year"


@dataclass(frozen=True)
class VosMap:
    """The items and links of a VOSviewer map, and its cluster labels.

    Each item has ``id``, ``label``, ``description``, ``x``, ``y``, ``cluster``,
    ``weights`` and ``scores`` (dicts, in column order); each link is
    ``(id1, id2, strength)`` with ``id1 < id2``.
    """

    items: list[dict[str, Any]]
    links: list[tuple[int, int, int]]
    clusters: dict[int, str]
    weight_names: tuple[str, ...]
    score_names: tuple[str, ...]


def write_files(
    kg: KnowledgeGraph,
    directory: str | Path,
    *,
    max_concepts: int | None = MAX_CONCEPTS,
    max_edges: int | None = MAX_LINKS,
    max_papers: int | None = None,
) -> None:
    """Write :data:`MAP_FILE` and :data:`NETWORK_FILE` into ``directory``, both or neither."""
    vos = vos_map(kg, max_concepts=max_concepts, max_links=max_edges, max_papers=max_papers)
    with staged_directory(directory) as staging:
        (staging / MAP_FILE).write_text(_map_text(vos), encoding="utf-8", newline="\n")
        (staging / NETWORK_FILE).write_text(_network_text(vos), encoding="utf-8", newline="\n")


def write_json(
    kg: KnowledgeGraph,
    path: str | Path,
    *,
    max_concepts: int | None = MAX_CONCEPTS,
    max_edges: int | None = MAX_LINKS,
    max_papers: int | None = None,
) -> None:
    """Write VOSviewer Online's JSON (``config`` and ``network``), atomically."""
    vos = vos_map(kg, max_concepts=max_concepts, max_links=max_edges, max_papers=max_papers)
    document = {"config": _config(), "network": _network_json(vos)}
    text = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")


def vos_map(
    kg: KnowledgeGraph,
    *,
    max_concepts: int | None = MAX_CONCEPTS,
    max_links: int | None = MAX_LINKS,
    max_papers: int | None = None,
) -> VosMap:
    """The map of the most prominent concepts and their strongest co-occurrence links."""
    if max_papers is not None:
        raise ExportError("a VOSviewer map has concepts only: --max-papers does not apply")
    graph = kg.graph
    concepts = sorted(
        (n for n, _ in kg.nodes(Label.CONCEPT)), key=lambda n: concept_order(graph.nodes[n])
    )
    if max_concepts is not None:
        concepts = concepts[: max(0, max_concepts)]
    ids = {node: i for i, node in enumerate(concepts, start=1)}
    links = _links(kg, ids, max_links)
    positions = _layout(len(concepts), links)
    clusters, labels = _clusters(kg, concepts)
    years = _mean_years(kg, concepts)
    degree: Counter[int] = Counter()
    strength: Counter[int] = Counter()
    for a, b, s in links:
        degree.update((a, b))
        strength[a] += s
        strength[b] += s
    prominence = any("prominence" in graph.nodes[n] for n in concepts)
    weight_names = ("Links", "Total link strength", "Occurrences") + (
        ("Prominence",) if prominence else ()
    )
    items = []
    for node, i in ids.items():
        data = graph.nodes[node]
        weights = {
            "Links": degree[i],
            "Total link strength": strength[i],
            "Occurrences": int(data.get("df", 0)),
        }
        if prominence:
            weights["Prominence"] = _number(max(0.0, float(data.get("prominence", 0.0))))
        x, y = positions[i]
        items.append(
            {
                "id": i,
                "label": _clean(str(data.get("name") or data[NODE_KEY[Label.CONCEPT]])),
                "description": _description(data, labels.get(clusters[node], "")),
                "x": x,
                "y": y,
                "cluster": clusters[node],
                "weights": weights,
                "scores": {} if years[node] is None else {_YEAR: years[node]},
            }
        )
    score_names = (_YEAR,) if any(item["scores"] for item in items) else ()
    return VosMap(items, links, labels, weight_names, score_names)


def _links(
    kg: KnowledgeGraph, ids: dict[str, int], max_links: int | None
) -> list[tuple[int, int, int]]:
    """``CO_OCCURS`` between mapped concepts as ``(id1, id2, papers)``, strongest kept."""
    found: dict[tuple[int, int], int] = {}
    for u, v, data in kg.edges(Rel.CO_OCCURS):
        if u in ids and v in ids and u != v:
            a, b = sorted((ids[u], ids[v]))
            found[a, b] = max(found.get((a, b), 0), int(data.get("papers", 1)))
    links = [(a, b, s) for (a, b), s in found.items()]
    if max_links is not None and len(links) > max_links:
        links.sort(key=lambda link: (-link[2], link[0], link[1]))
        links = links[: max(0, max_links)]
    links.sort()
    return links


def _layout(n: int, links: list[tuple[int, int, int]]) -> dict[int, tuple[float, float]]:
    """Seeded spring layout of items ``1..n``, rounded to :data:`_DIGITS` digits."""
    graph = nx.Graph()
    graph.add_nodes_from(range(1, n + 1))
    graph.add_weighted_edges_from(links)
    if n == 0:
        return {}
    raw = nx.spring_layout(graph, seed=_SEED, weight="weight")
    return {
        i: (round(float(xy[0]), _DIGITS) + 0.0, round(float(xy[1]), _DIGITS) + 0.0)
        for i, xy in raw.items()
    }


def _clusters(kg: KnowledgeGraph, concepts: list[str]) -> tuple[dict[str, int], dict[int, str]]:
    """Each concept's cluster number (see the module docstring) and each cluster's label."""
    graph = kg.graph
    group: dict[str, object] = {}
    for node in concepts:
        topics = [t for _, t, k in graph.out_edges(node, keys=True) if k == Rel.IN_TOPIC]
        if topics:
            group[node] = topics[0]
        elif (community := graph.nodes[node].get("community")) is not None:
            topic = node_id(Label.TOPIC, str(community))
            group[node] = topic if topic in graph else ("community", community)
        else:
            group[node] = None
    present = set(group.values())
    order = [t for t, _ in kg.nodes(Label.TOPIC) if t in present]
    for node in concepts:
        if group[node] is not None and group[node] not in order:
            order.append(group[node])
    number = {g: min(i, MAX_CLUSTER) for i, g in enumerate(order, start=1)}
    other = min(len(order) + 1, MAX_CLUSTER)
    clusters = {node: number.get(group[node], other) for node in concepts}
    labels: dict[int, str] = {}
    for g, i in number.items():
        name = graph.nodes[g].get("name") if isinstance(g, str) else None
        labels.setdefault(i, _clean(str(name)) if name else f"community {g[1]}")  # type: ignore[index]
    if other in clusters.values() and (other not in labels or len(order) >= MAX_CLUSTER):
        labels[other] = "other" if len(order) >= MAX_CLUSTER else "no topic"
    return clusters, labels


def _mean_years(kg: KnowledgeGraph, concepts: list[str]) -> dict[str, float | None]:
    """``mean_year`` of each concept, else the mean year of the papers mentioning it."""
    graph = kg.graph
    years: dict[str, float | None] = {}
    for node in concepts:
        data = graph.nodes[node]
        if isinstance(data.get("mean_year"), int | float):
            years[node] = _number(float(data["mean_year"]))
            continue
        found = [graph.nodes[u].get("year") for u in kg.mentions.sources(node)]
        found = [y for y in found if isinstance(y, int)]
        years[node] = _number(sum(found) / len(found)) if found else None
    return years


def _number(value: float) -> float | int:
    """``value`` rounded to :data:`_DIGITS` digits, an int when whole (``2012``, not ``2012.0``)."""
    rounded = round(value, _DIGITS)
    return int(rounded) if rounded == math.floor(rounded) else rounded


def _clean(text: str) -> str:
    """One line of text: tabs and line breaks would end a field or a record."""
    return " ".join(text.split())


def _description(data: dict[str, Any], topic: str) -> str:
    """The item's description, HTML escaped (VOSviewer renders descriptions as HTML)."""
    parts = [f"<b>{html.escape(_clean(str(data[NODE_KEY[Label.CONCEPT]])))}</b>"]
    aliases = [a for a in data.get("aliases") or [] if isinstance(a, str)]
    if aliases:
        parts.append("also written: " + html.escape(_clean(", ".join(aliases[:5]))))
    if topic:
        parts.append("topic: " + html.escape(topic))
    return "<br>".join(parts)


def _field(text: str) -> str:
    """A map file field: in double quotes (quotes doubled) when it holds ``,``, ``;`` or ``"``."""
    if any(c in text for c in ',;"'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _map_text(vos: VosMap) -> str:
    header = ["id", "label", "description", "x", "y", "cluster"]
    header += [f"weight<{name}>" for name in vos.weight_names]
    header += [f"score<{name}>" for name in vos.score_names]
    lines = ["\t".join(header)]
    for item in vos.items:
        row = [
            str(item["id"]),
            _field(item["label"]),
            _field(item["description"]),
            repr(item["x"]),
            repr(item["y"]),
            str(item["cluster"]),
        ]
        row += [str(item["weights"][name]) for name in vos.weight_names]
        row += [str(item["scores"].get(name, "")) for name in vos.score_names]
        lines.append("\t".join(row))
    return "\n".join(lines) + "\n"


def _network_text(vos: VosMap) -> str:
    return "".join(f"{a}\t{b}\t{s}\n" for a, b, s in vos.links)


def _network_json(vos: VosMap) -> dict[str, Any]:
    items = []
    for item in vos.items:
        entry = {k: v for k, v in item.items() if k != "scores" or v}
        items.append(entry)
    links = [{"source_id": a, "target_id": b, "strength": s} for a, b, s in vos.links]
    clusters = [{"cluster": c, "label": label} for c, label in sorted(vos.clusters.items())]
    return {"items": items, "links": links, "clusters": clusters}


def _config() -> dict[str, Any]:
    """VOSviewer Online's terminology for a concept co-occurrence map."""
    return {
        "terminology": {
            "item": Label.CONCEPT.value,
            "items": f"{Label.CONCEPT.value}s",
            "link": "Co-occurrence link",
            "links": "Co-occurrence links",
            "link_strength": "Papers with both",
            "total_link_strength": "Total papers with both",
            "cluster": Label.TOPIC.value,
            "clusters": f"{Label.TOPIC.value}s",
        }
    }
