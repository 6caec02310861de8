"""What the side panel and the search need: each drawn node's facts, the concepts left off."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from exporters import term_map
from exporters._page_nodes import paper_label
from exporters._page_view import View
from graph_builder.model import KnowledgeGraph, concept_order
from graph_builder.schema import NODE_KEY, Label, Rel

__all__ = ["MAX_LISTED", "details", "left_off"]

#: Concepts left off the drawing that the page still lists for search, the most prominent.
MAX_LISTED = 20000


def details(
    kg: KnowledgeGraph,
    v: View,
    topics: dict[str, dict[str, Any]],
    index: dict[str, int],
) -> dict[str, dict[str, Any]]:
    """What the side panel and the filters need for each drawn node, computed once here.

    Lists of nodes are indices into the page's node list (the page turns them into ids).
    Fields without a value (no URL, no topic, no aliases) are left out: a smaller file.
    A paper's concepts come in the paper's own order (its ``MENTIONS`` edges' order),
    a concept's papers newest first.
    """
    graph = kg.graph
    kept = index.keys()
    topic_of = {c: t for t, topic in topics.items() for c in topic["concepts"]}
    years = term_map.mean_years(kg, v.concepts)
    dates = _dates(kg, index)
    per_year = term_map.year_counts(
        kg, [c for c in v.concepts if graph.nodes[c].get("counts") is None]
    )

    def by_type(neighbours: Mapping[str, Mapping[str, dict]]) -> dict[str, list[tuple[int, dict]]]:
        """Drawn neighbours by edge type, in edge order: one pass over a node's edges, read
        from networkx's adjacency dicts (``{neighbour: {edge key: data}}``)."""
        found: dict[str, list[tuple[int, dict]]] = defaultdict(list)
        for other, keyed in neighbours.items():
            if other in kept:
                position = index[other]
                for k, d in keyed.items():
                    found[k].append((position, d))
        return found

    details: dict[str, dict[str, Any]] = {}
    for node in v.papers:
        data = graph.nodes[node]
        out, into = by_type(graph._adj[node]), by_type(graph._pred[node])
        related = sorted(
            out[Rel.RELATED_TO] + into[Rel.RELATED_TO], key=lambda i: -i[1].get("weight", 0)
        )
        details[node] = _given(
            {
                "kind": Label.PAPER.value,
                "title": data.get("title") or paper_label(data),
                "date": data.get("date"),
                "year": data.get("year"),
                "url": _paper_url(data),
                "authors": list(data.get("authors") or []) or None,
                "id": data.get(NODE_KEY[Label.PAPER]),
                "abstract": data.get("abstract", ""),
                "concepts": [c for c, _ in out[Rel.MENTIONS]],
                "related": [
                    {"node": o, "weight": d.get("weight"), "shared": d.get("shared", [])}
                    for o, d in related
                ],
            }
        )
    for node in v.concepts:
        data = graph.nodes[node]
        out, into = by_type(graph._adj[node]), by_type(graph._pred[node])
        cooccurring = sorted(
            out[Rel.CO_OCCURS] + into[Rel.CO_OCCURS], key=lambda i: -i[1].get("strength", 0)
        )
        details[node] = _given(
            {
                "kind": Label.CONCEPT.value,
                "title": data["name"],
                "key": data[NODE_KEY[Label.CONCEPT]],
                "df": data.get("df", 1),
                "prominence": term_map.prominence(data),
                "rank": data.get("rank"),
                "year": years.get(node),
                "counts": data.get("counts"),
                "by_year": per_year.get(node),
                "aliases": data.get("aliases", []),
                "topic": topic_of.get(node)
                or (
                    f"community {data['community']}" if data.get("community") is not None else None
                ),
                "papers": _newest_first([u for u, _ in into[Rel.MENTIONS]], dates),
                "broader": [t for t, _ in out[Rel.BROADER]],
                "narrower": [u for u, _ in into[Rel.BROADER]],
                "cooccurring": [o for o, _ in cooccurring],
            }
        )
    return details


def _newest_first(papers: list[int], dates: list[str]) -> list[int]:
    """Papers (indices) newest first, by ``dates`` (see :func:`_dates`); ties keep their order."""
    return sorted(papers, key=dates.__getitem__, reverse=True) if papers else papers


def _dates(kg: KnowledgeGraph, index: dict[str, int]) -> list[str]:
    """Each drawn node's date (else year, else ""), by index: what "newest" sorts by."""
    graph = kg.graph
    return [str(graph.nodes[n].get("date") or graph.nodes[n].get("year") or "") for n in index]


def _paper_url(data: dict[str, Any]) -> str | None:
    """The paper's own URL, else one made from its DOI, else from its arXiv id."""
    url = data.get("url")
    if isinstance(url, str) and url.lower().startswith(("http://", "https://")):
        return url
    if doi := data.get("doi"):
        return "https://doi.org/" + str(doi)
    if arxiv := data.get("arxiv_id"):
        return "https://arxiv.org/abs/" + str(arxiv)
    return None


def left_off(kg: KnowledgeGraph, v: View, index: dict[str, int]) -> list[list[Any]]:
    """Concepts not drawn, for search: [name, papers, prominence, drawn papers newest first].

    The :data:`MAX_LISTED` most prominent; aliases are searched through the name only.
    """
    graph = kg.graph
    nodes, mentions = graph._node, Rel.MENTIONS.value
    drawn = set(v.concepts)
    rest = sorted(
        (n for n, _ in kg.nodes(Label.CONCEPT) if n not in drawn),
        key=lambda n: concept_order(nodes[n]),
    )[:MAX_LISTED]
    dates = _dates(kg, index)
    out = []
    for n in rest:
        data = nodes[n]
        # networkx's adjacency dicts: its edge views cost more than the rest of this loop
        papers = [
            index[u] for u, keyed in graph._pred[n].items() if mentions in keyed and u in index
        ]
        out.append(
            [
                data["name"],
                data.get("df", 1),
                term_map.prominence(data),
                _newest_first(papers, dates),
            ]
        )
    return out


def _given(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v is not None and (k != "aliases" or v)}
