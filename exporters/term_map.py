"""The overview of the page as a term map: where each concept goes, how big it is, its year.

Concepts are laid out by co-occurrence, as VOSviewer lays out a term map: a
force layout (ForceAtlas2's LinLog forces: attraction by ``CO_OCCURS`` strength,
repulsion by degree) groups concepts that appear together, so clusters lie
together in space; then an overlap-removal pass pushes apart the discs and, for
the most prominent concepts, the boxes of their labels, so that no disc hides
another and the labels of the first view do not collide. The labels of those
concepts grow until they are readable (:data:`LABEL_PX`) at the zoom that fits the
whole map to the screen, and the map is stretched to the screen's shape, so that
it fills the first view. Distances are in
canvas units meant for a map about :data:`WIDTH` by :data:`HEIGHT` pixels at
zoom 1, the size of the page's map at a common screen size.

networkx's own ``forceatlas2_layout`` is exact and O(n^2) in pure numpy per
step with much bookkeeping (a 600-node graph took 13 s here), so the forces are
computed here on the :data:`CORE` most prominent concepts only, with dense numpy
arrays; the other concepts are placed beside their strongest co-occurring
neighbours (or, with none drawn, inside their topic's part of the map), and the
overlap removal uses scipy's k-d tree.
"""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from collections.abc import Iterable
from typing import NamedTuple

import numpy as np

from graph_builder.model import KnowledgeGraph
from graph_builder.schema import Rel

__all__ = [
    "CORE",
    "HEIGHT",
    "LABEL_PX",
    "WIDTH",
    "TermMap",
    "concept_layout",
    "fit_scale",
    "font_size",
    "label_box",
    "mean_years",
    "prominence",
    "radius",
    "spread",
    "year_counts",
]

#: The map's size (canvas units) the layout aims at: the page's map at 1600x1000 pixels.
WIDTH, HEIGHT = 1150.0, 820.0
#: Concepts laid out by forces; the others are placed beside their neighbours.
CORE = 300
#: Concepts whose label boxes the overlap removal keeps apart.
LABELLED = 160
#: The smallest label (screen pixels) of those concepts in the first view (the whole map
#: fitted into :data:`WIDTH` by :data:`HEIGHT` pixels): their fonts grow to it.
LABEL_PX = 10.0
_R_MIN, _R_MAX = 4.0, 18.0
_FONT_MIN, _FONT_MAX = 11.0, 20.0
_FONT_AHEAD = 1.05
_LABEL_GAP_PX = 3.0  # between label boxes on screen: the page hides labels closer than 2 px
_CHAR_WIDTH = 0.58  # Arial's mean character width, in font sizes (a little generous)


def prominence(data: dict) -> float:
    """A concept's prominence: its ``prominence`` property when set, else its paper count."""
    value = data.get("prominence")
    return float(value) if value is not None else float(data.get("df", 1))


def radius(p: float, top: float) -> float:
    """A disc's radius (canvas units) from the concept's prominence, by area."""
    return round(_R_MIN + (_R_MAX - _R_MIN) * math.sqrt(max(p, 0.0) / (top or 1.0)), 1)


def font_size(p: float, top: float) -> float:
    """A label's font size (canvas units) from the concept's prominence."""
    return round(_FONT_MIN + (_FONT_MAX - _FONT_MIN) * math.sqrt(max(p, 0.0) / (top or 1.0)), 1)


class TermMap(NamedTuple):
    """Where each concept goes, and its label's font size (canvas units)."""

    positions: dict[str, tuple[float, float]]
    fonts: dict[str, float]


def label_box(name: str, r: float, font: float) -> tuple[float, float, float, float]:
    """A node's disc and the label drawn below it: (left, top, right, bottom) from the centre."""
    half = max(r, _CHAR_WIDTH * font * len(name) / 2 + 2)
    return (-half, -r, half, r + 6 + 1.3 * font)


def mean_years(kg: KnowledgeGraph, concepts: Iterable[str]) -> dict[str, float]:
    """Each concept's mean publication year: ``mean_year`` when set, else from its papers'
    dates (fractional years, so that a corpus of one year still spreads), else years."""
    graph = kg.graph
    out: dict[str, float] = {}
    for c in concepts:
        data = graph.nodes[c]
        if data.get("mean_year") is not None:
            out[c] = round(float(data["mean_year"]), 2)
            continue
        years = [y for u in kg.mentions.sources(c) if (y := _when(graph.nodes[u])) is not None]
        if years:
            out[c] = round(sum(years) / len(years), 2)
    return out


def _when(paper: dict) -> float | None:
    """A paper's date as a fractional year (2025-07-02 -> 2025.5), else its year."""
    date = paper.get("date")
    if isinstance(date, str) and len(date) >= 10 and date[4] == "-" and date[7] == "-":
        try:
            day = datetime.date.fromisoformat(date[:10]).timetuple().tm_yday
        except ValueError:
            day = None
        if day is not None:
            return int(date[:4]) + (day - 1) / 365.25
    year = paper.get("year")
    return float(year) if year is not None else None


def year_counts(kg: KnowledgeGraph, concepts: Iterable[str]) -> dict[str, list[list[int]]]:
    """Each concept's papers per year, ``[[year, papers], ...]`` from its first year to its last."""
    graph = kg.graph
    out: dict[str, list[list[int]]] = {}
    for c in concepts:
        per: dict[int, int] = defaultdict(int)
        for u in kg.mentions.sources(c):
            if (y := graph.nodes[u].get("year")) is not None:
                per[int(y)] += 1
        if per:
            out[c] = [[y, per.get(y, 0)] for y in range(min(per), max(per) + 1)]
    return out


def concept_layout(
    kg: KnowledgeGraph,
    concepts: list[str],
    radii: dict[str, float],
    labels: dict[str, tuple[str, float]],
    groups: dict[str, str] | None = None,
) -> TermMap:
    """Positions of ``concepts`` (most prominent first) and their fonts, deterministic.

    ``radii`` are the discs kept apart; ``labels`` (name and font size) the
    labelled concepts (the most prominent), whose disc-and-label boxes (see
    :func:`label_box`) are kept apart among themselves. Their fonts grow until
    each label is :data:`LABEL_PX` pixels in the first view, which fits the
    whole map to the screen: the map's spread sets that zoom, the labels' boxes
    the spread, so both are settled in turn. ``groups`` (a concept's topic) adds
    a pull between a group's members, so that a topic's concepts lie together as
    its colour says.
    """
    if not concepts:
        return TermMap({}, {})
    index = {c: i for i, c in enumerate(concepts)}
    pairs = _cooccurrences(kg, index)
    core = min(len(concepts), CORE)
    pos = np.zeros((len(concepts), 2))
    core_edges = [(i, j, w) for i, j, w in pairs if i < core and j < core]
    core_edges += _group_pulls(concepts[:core], groups or {}, core_edges)
    pos[:core] = _forces(core, core_edges)
    _place_rest(pos, core, pairs, [(groups or {}).get(c) for c in concepts])
    pos = _fit(pos)
    r = np.array([radii[c] for c in concepts])
    labelled = np.array([i for i, c in enumerate(concepts) if c in labels], dtype=int)
    names = [labels[concepts[i]][0] for i in labelled]
    base = np.array([labels[concepts[i]][1] for i in labelled])
    fonts = base
    for _ in range(6):
        pos = _stretch(pos)
        scale = fit_scale(pos, r)
        # a little over the font wanted: the separation spreads the map, and the zoom falls
        fonts = np.maximum(base, LABEL_PX * _FONT_AHEAD / scale)
        box = _boxes(names, r[labelled], fonts)
        pos = _separate(pos, r, labelled, box, _LABEL_GAP_PX / scale)
        if (fonts >= LABEL_PX / fit_scale(pos, r)).all():
            break
    # the fonts wanted at the final zoom, no bigger than the boxes kept apart once converged
    fonts = np.maximum(base, np.ceil(LABEL_PX / fit_scale(pos, r) * 10) / 10)
    positions = {
        c: (round(float(pos[i, 0]), 1), round(float(pos[i, 1]), 1)) for c, i in index.items()
    }
    return TermMap(positions, {concepts[i]: float(f) for i, f in zip(labelled, fonts, strict=True)})


def _boxes(names: list[str], r: np.ndarray, fonts: np.ndarray) -> np.ndarray:
    """The :func:`label_box` of each name, one row each."""
    return np.array(
        [label_box(n, float(ri), float(f)) for n, ri, f in zip(names, r, fonts, strict=True)]
    ).reshape(-1, 4)


def _stretch(pos: np.ndarray) -> np.ndarray:
    """The map stretched along its shorter side (relative to the screen's) to the screen's
    shape: it then fills the first view both ways; stretching never makes discs overlap."""
    span = np.ptp(pos, axis=0)
    if span.min() <= 0:
        return pos
    aspect = (span[0] / span[1]) / (WIDTH / HEIGHT)
    return pos * (np.array([1 / aspect, 1.0]) if aspect < 1 else np.array([1.0, aspect]))


def fit_scale(pos: np.ndarray, r: np.ndarray) -> float:
    """The zoom of the first view, which shows every disc in :data:`WIDTH` by :data:`HEIGHT`
    pixels (as the page's own fit does: a margin of 4 %, never past 2)."""
    span = (pos + r[:, None]).max(0) - (pos - r[:, None]).min(0)
    return float(min(WIDTH / (span[0] * 1.04 or 1), HEIGHT / (span[1] * 1.04 or 1), 2.0))


def _cooccurrences(kg: KnowledgeGraph, index: dict[str, int]) -> list[tuple[int, int, float]]:
    """``CO_OCCURS`` edges between the concepts, as (i, j, strength), i < j, in a fixed order."""
    graph = kg.graph
    found: dict[tuple[int, int], float] = defaultdict(float)
    for c, i in index.items():
        for _, t, k, d in graph.out_edges(c, keys=True, data=True):
            if k == Rel.CO_OCCURS and (j := index.get(t)) is not None and j != i:
                found[(min(i, j), max(i, j))] += float(d.get("papers", 1) or 1) / math.sqrt(
                    float(graph.nodes[c].get("df", 1) or 1)
                    * float(graph.nodes[t].get("df", 1) or 1)
                )
    return sorted((i, j, w) for (i, j), w in found.items())


def _group_pulls(
    concepts: list[str], groups: dict[str, str], edges: list[tuple[int, int, float]]
) -> list[tuple[int, int, float]]:
    """An edge from each group member to the group's first (most prominent) member."""
    strength = 2 * float(np.median([w for _, _, w in edges])) if edges else 1.0
    first: dict[str, int] = {}
    pulls = []
    for i, c in enumerate(concepts):
        if (g := groups.get(c)) is None:
            continue
        if g in first:
            pulls.append((first[g], i, strength))
        else:
            first[g] = i
    return pulls


def _forces(n: int, edges: list[tuple[int, int, float]], steps: int = 150) -> np.ndarray:
    """ForceAtlas2 with LinLog attraction, dense, with a fixed start (a circle by index)."""
    angle = np.arange(n) * 2.399963  # the golden angle: an even, deterministic start
    pos = np.stack([np.cos(angle), np.sin(angle)], axis=1) * np.sqrt(np.arange(n) + 1)[:, None]
    if n < 2:
        return pos
    deg = np.ones(n)
    if edges:
        e = np.array(edges)
        a, b, w = e[:, 0].astype(int), e[:, 1].astype(int), e[:, 2]
        w = w / w.mean()
        np.add.at(deg, a, 1)
        np.add.at(deg, b, 1)
    mass = deg[:, None] * deg[None, :]
    # the spread a layout of n nodes settles to, and a temperature that cools towards it
    heat = float(np.sqrt(n)) * 2.0
    for step in range(steps):
        delta = pos[:, None, :] - pos[None, :, :]
        dist2 = (delta**2).sum(-1) + 1e-9
        force = (delta * (mass / dist2)[:, :, None]).sum(1)  # repulsion ~ mass / d
        if edges:
            d = pos[a] - pos[b]
            dist = np.sqrt((d**2).sum(-1)) + 1e-9
            pull = d * (w * np.log1p(dist) / dist)[:, None] * 10.0  # LinLog attraction
            np.add.at(force, a, -pull)
            np.add.at(force, b, pull)
        force -= pos * deg[:, None] * 0.5  # gravity towards the centre
        norm = np.sqrt((force**2).sum(-1, keepdims=True)) + 1e-9
        pos += force / norm * np.minimum(norm / deg[:, None], heat * (1 - step / steps) + 0.01)
    return pos


def _place_rest(
    pos: np.ndarray, core: int, pairs: list[tuple[int, int, float]], group_of: list[str | None]
) -> None:
    """Each concept after the core beside its strongest already placed neighbours; one with
    none among them inside its group's part of the map (a sunflower around the centre of the
    group's core members), else on a ring around the map."""
    n = len(pos)
    neighbours: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for i, j, w in pairs:
        neighbours[i].append((w, j))
        neighbours[j].append((w, i))
    spread = float(np.ptp(pos[:core], axis=0).max()) if core > 1 else 1.0
    members: dict[str, list[int]] = defaultdict(list)
    for i in range(core):
        if group_of[i] is not None:
            members[group_of[i]].append(i)
    placed_in: dict[str, int] = defaultdict(int)
    for k in range(core, n):
        placed = sorted(((w, j) for w, j in neighbours[k] if j < k), reverse=True)[:5]
        angle = k * 2.399963
        group = group_of[k]
        if placed:
            weights = np.array([w for w, _ in placed])
            centre = (pos[[j for _, j in placed]] * weights[:, None]).sum(0) / weights.sum()
            step = 0.03 * spread
        elif group is not None and members[group]:
            placed_in[group] += 1
            m = placed_in[group]
            centre = pos[members[group]].mean(0)
            step, angle = 0.006 * spread * math.sqrt(m), m * 2.399963
        else:  # no link to the drawn map: a ring around it
            centre, step = np.zeros(2), 0.55 * spread
        pos[k] = centre + step * np.array([math.cos(angle), math.sin(angle)])


def _fit(pos: np.ndarray) -> np.ndarray:
    """Scaled (one factor for both axes, then a stretch towards the map's shape) into the map."""
    pos = pos - pos.mean(0)
    span = np.ptp(pos, axis=0)
    span[span == 0] = 1.0
    return pos * np.array([WIDTH, HEIGHT]) / span * 0.9


def _separate(
    pos: np.ndarray,
    r: np.ndarray,
    labelled: np.ndarray,
    box: np.ndarray,
    label_gap: float,
    rounds: int = 120,
) -> np.ndarray:
    """Pushes apart overlapping discs (all) and overlapping label boxes (``labelled``), these
    ``label_gap`` apart."""
    pos = pos.copy()
    gap = 1.5
    for _ in range(rounds):
        moved = _push_discs(pos, r, gap)
        # label boxes of the most prominent concepts: push along the axis of least overlap
        if len(labelled) > 1:
            p = pos[labelled]
            left, top = p[:, 0] + box[:, 0], p[:, 1] + box[:, 1]
            right, bottom = p[:, 0] + box[:, 2], p[:, 1] + box[:, 3]
            ox = np.minimum(right[:, None], right[None, :]) - np.maximum(
                left[:, None], left[None, :]
            )
            oy = np.minimum(bottom[:, None], bottom[None, :]) - np.maximum(
                top[:, None], top[None, :]
            )
            over = (ox > -label_gap) & (oy > -label_gap)
            np.fill_diagonal(over, False)
            a, b = np.nonzero(np.triu(over))
            if len(a):
                moved = True
                ox, oy = ox[a, b] + label_gap, oy[a, b] + label_gap
                cx = (left[b] + right[b] - left[a] - right[a]) / 2
                cy = (top[b] + bottom[b] - top[a] - bottom[a]) / 2
                sx = np.where(cx >= 0, 1.0, -1.0)
                sy = np.where(cy >= 0, 1.0, -1.0)
                along_x = ox < oy
                push = np.zeros((len(a), 2))
                push[along_x, 0] = sx[along_x] * ox[along_x] / 2
                push[~along_x, 1] = sy[~along_x] * oy[~along_x] / 2
                np.add.at(pos, labelled[a], -push)
                np.add.at(pos, labelled[b], push)
        if not moved:
            break
    return _apart(pos, r, gap)


def spread(points: list[tuple[float, float]], r: float) -> list[tuple[float, float]]:
    """Points (say, papers) pushed apart until discs of radius ``r`` around them do not overlap."""
    if len(points) < 2:
        return points
    pos = _apart(np.array(points, dtype=float), np.full(len(points), r), 1.0)
    return [(round(float(x), 1), round(float(y), 1)) for x, y in pos]


def _apart(pos: np.ndarray, r: np.ndarray, gap: float, rounds: int = 200) -> np.ndarray:
    """The discs alone pushed apart, last: the label boxes' pushes may leave a few touching."""
    for _ in range(rounds):
        if not _push_discs(pos, r, gap):
            break
    return pos


def _push_discs(pos: np.ndarray, r: np.ndarray, gap: float) -> bool:
    """One round, in place: every pair of discs closer than their radii and ``gap`` pushed
    apart along the line between their centres; whether any was."""
    from scipy.spatial import cKDTree  # here: the CLI imports this module, scipy takes seconds

    pairs = cKDTree(pos).query_pairs(2 * float(r.max()) + gap, output_type="ndarray")
    if not len(pairs):
        return False
    i, j = pairs[:, 0], pairs[:, 1]
    d = pos[j] - pos[i]
    dist = np.sqrt((d**2).sum(-1))
    depth = r[i] + r[j] + gap - dist
    hit = depth > 0
    if not hit.any():
        return False
    i, j, d, dist, depth = i[hit], j[hit], d[hit], dist[hit], depth[hit]
    zero = dist < 1e-6
    d[zero] = np.stack([np.cos(i[zero]), np.sin(i[zero])], axis=1)
    dist[zero] = 1.0
    push = d / dist[:, None] * (depth / 2)[:, None]
    np.add.at(pos, i, -push)
    np.add.at(pos, j, push)
    return True
