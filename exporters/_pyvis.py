"""The page's view as a ``pyvis.network.Network`` (:func:`to_pyvis`), to restyle and save."""

from __future__ import annotations

from typing import Any

from exporters import term_map
from exporters._page_colors import find_topics, topic_colors
from exporters._page_layout import term_map_of, top_prominence
from exporters._page_nodes import EDGE_STYLE, concept_node, paper_node
from exporters._page_view import MAX_CONCEPTS, MAX_EDGES, MAX_PAPERS, view
from graph_builder.model import KnowledgeGraph
from graph_builder.schema import Rel

__all__ = ["to_pyvis"]


def to_pyvis(
    kg: KnowledgeGraph,
    *,
    max_concepts: int | None = MAX_CONCEPTS,
    max_edges: int | None = MAX_EDGES,
    max_papers: int | None = MAX_PAPERS,
    papers: bool = False,
    height: str = "800px",
    width: str = "100%",
    notebook: bool = False,
) -> Any:
    """The page's view as a ``pyvis.network.Network``, to restyle and save with pyvis.

    The same pruning, positions, sizes and colours as :func:`exporters.html.render`; physics is
    off (the positions are the term map's). The concepts and the links between
    them, as the page's first view; ``papers=True`` adds the papers and their
    ``MENTIONS`` and ``RELATED_TO`` edges. pyvis's own page links its scripts
    from a CDN unless told otherwise (``cdn_resources``), unlike :func:`exporters.html.write`'s.

    Examples
    --------
    >>> from exporters import html
    >>> net = html.to_pyvis(kg)  # doctest: +SKIP
    >>> net.save_graph("map.html")  # doctest: +SKIP
    """
    from pyvis.network import Network

    v = view(kg, max_concepts=max_concepts, max_edges=max_edges, max_papers=max_papers)
    colors, _ = topic_colors(kg, v.concepts, find_topics(kg))
    positions, fonts = term_map_of(kg, v)
    top = top_prominence(kg, v.concepts)
    net = Network(height=height, width=width, directed=True, notebook=notebook)
    net.toggle_physics(False)
    graph = kg.graph
    drawn = set(v.concepts)
    for n in sorted(v.concepts, key=lambda n: term_map.prominence(graph.nodes[n])):
        item = concept_node(kg, n, colors[n], top, positions, fonts[n])
        data = graph.nodes[n]
        item["title"] = f"{data['name']}: {data.get('df', 1)} paper(s)"
        net.add_node(n, **{k: w for k, w in item.items() if k != "id"})
    if papers:
        for n in v.papers:
            item = paper_node(kg, n, positions)
            net.add_node(n, **{k: w for k, w in item.items() if k != "id"})
            drawn.add(n)
    kinds = (Rel.CO_OCCURS, Rel.BROADER, *((Rel.MENTIONS, Rel.RELATED_TO) if papers else ()))
    for u, t, rel, _ in v.edges:
        if rel in kinds and u in drawn and t in drawn:
            net.add_edge(u, t, title=rel.value, **EDGE_STYLE[rel])
    return net
