import itertools

import numpy as np

from exporters import term_map
from graph_builder import KnowledgeGraph
from graph_builder.schema import Label, Rel


def _ring_of_groups(groups: int = 6, size: int = 30) -> tuple[KnowledgeGraph, list[str]]:
    """``groups`` cliques of co-occurring concepts with long names, one chain between cliques."""
    kg = KnowledgeGraph()
    concepts = [
        kg.add_node(Label.CONCEPT, f"c{i}", name=f"a rather long concept name {i}", df=50 - i % 40)
        for i in range(groups * size)
    ]
    for g in range(groups):
        members = concepts[g * size : (g + 1) * size]
        for a, b in itertools.pairwise(members):
            kg.add_edge(Rel.CO_OCCURS, a, b, papers=3, strength=1.0)
        kg.add_edge(Rel.CO_OCCURS, members[0], concepts[(g + 1) % groups * size], papers=1)
    return kg, concepts


def test_labelled_fonts_are_readable_at_the_zoom_that_fits_the_map() -> None:
    kg, concepts = _ring_of_groups()
    radii = {c: 6.0 for c in concepts}
    labels = {c: (kg.graph.nodes[c]["name"], 11.0) for c in concepts[:60]}
    first = term_map.concept_layout(kg, concepts, radii, labels)
    assert first == term_map.concept_layout(kg, concepts, radii, labels)  # deterministic
    assert set(first.fonts) == set(labels)
    pos = np.array([first.positions[c] for c in concepts])
    scale = term_map.fit_scale(pos, np.full(len(concepts), 6.0))
    # 60 labels of 11 canvas units do not fit at zoom 1: they grow to LABEL_PX on screen
    assert min(first.fonts.values()) > 11.0
    assert min(first.fonts.values()) * scale >= term_map.LABEL_PX - 0.1
    # the map fills the screen's shape: neither side much shorter than the screen's
    span = np.ptp(pos, axis=0)
    assert abs(span[0] / span[1] - term_map.WIDTH / term_map.HEIGHT) < 0.1


def test_fit_scale_is_the_tighter_side_with_a_margin() -> None:
    pos = np.array([[0.0, 0.0], [1000.0, 100.0]])
    r = np.array([10.0, 10.0])
    # 1020 wide, 120 high: the width decides, 4 % margin
    assert term_map.fit_scale(pos, r) == term_map.WIDTH / (1020 * 1.04)
