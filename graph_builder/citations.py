"""What the inputs say beyond the text: categories, references and bibliographic coupling.

* ``Category`` nodes, one per category written in the inputs (arXiv categories,
  fields of study), keyed by the category as written; ``IN_CATEGORY`` from each
  paper to its categories.
* ``CITES`` from a paper to a paper of the corpus it cites; ``CITES_WORK`` to a
  ``Work`` node, keyed by the reference's id, for a cited work outside the corpus.
  A reference is a paper of the corpus when it is that paper's id, its DOI or its
  arXiv id.
* ``COUPLED_WITH`` between two papers that cite the same works (bibliographic
  coupling, Kessler 1963): ``shared`` (the shared references, sorted, at most
  :data:`SHARED_LISTED`), ``count`` (how many) and ``weight``, the cosine
  ``count / sqrt(refs_a * refs_b)`` (Salton), so two papers with short reference
  lists that share one work are closer than two long lists sharing one. Stored
  once per pair, from the earlier paper in input order.

A work cited by more than :data:`MAX_CITING` papers adds no coupling: it says
little, and would cost a pass over all pairs of its papers.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence

from graph_builder.ingest._common import normalise_arxiv_id, normalise_doi
from graph_builder.model import KnowledgeGraph, Paper
from graph_builder.schema import Label, Rel, node_id

__all__ = ["MAX_CITING", "SHARED_LISTED", "add_categories", "add_citations"]

SHARED_LISTED = 10
MAX_CITING = 1000


def add_categories(kg: KnowledgeGraph, papers: Sequence[Paper]) -> None:
    """A ``Category`` node per category and ``IN_CATEGORY`` edges, in input order."""
    graph = kg.graph
    edges = []
    for paper in papers:
        source = node_id(Label.PAPER, paper.paper_id)
        for category in paper.categories:
            target = node_id(Label.CATEGORY, category)
            if target not in graph:
                kg.add_node(Label.CATEGORY, category)
            edges.append((source, target, {}))
    kg.add_edges(Rel.IN_CATEGORY, edges)


def add_citations(kg: KnowledgeGraph, papers: Sequence[Paper]) -> None:
    """``CITES``, ``CITES_WORK`` (with ``Work`` nodes) and ``COUPLED_WITH`` edges."""
    known = _known_ids(papers)
    graph = kg.graph
    cites, cites_work = [], []
    cited_by: dict[str, list[int]] = defaultdict(list)
    sizes = []
    for index, paper in enumerate(papers):
        source = node_id(Label.PAPER, paper.paper_id)
        keys = set()
        for reference in paper.references:
            target_id = _resolve(reference, known)
            if target_id == paper.paper_id:
                continue
            if target_id is not None:
                cites.append((source, node_id(Label.PAPER, target_id), {}))
                key = "paper:" + target_id
            else:
                target = node_id(Label.WORK, reference)
                if target not in graph:
                    kg.add_node(Label.WORK, reference)
                cites_work.append((source, target, {}))
                key = "work:" + reference
            if key not in keys:
                keys.add(key)
                cited_by[key].append(index)
        sizes.append(len(keys))
    kg.add_edges(Rel.CITES, cites)
    kg.add_edges(Rel.CITES_WORK, cites_work)
    kg.add_edges(Rel.COUPLED_WITH, _coupling(papers, cited_by, sizes))


def _known_ids(papers: Sequence[Paper]) -> dict[str, str]:
    """Each id, DOI and arXiv id of the corpus's papers -> the paper's id (first one wins)."""
    known: dict[str, str] = {}
    for paper in papers:
        for key in (
            paper.paper_id,
            paper.doi,
            normalise_arxiv_id(paper.arxiv_id),
            *paper.merged_ids,
        ):
            if key:
                known.setdefault(key, paper.paper_id)
    return known


def _resolve(reference: str, known: dict[str, str]) -> str | None:
    """The id of the corpus paper ``reference`` names, or None."""
    if reference in known:
        return known[reference]
    for key in (normalise_doi(reference), normalise_arxiv_id(reference)):
        if key and key in known:
            return known[key]
    return None


def _coupling(
    papers: Sequence[Paper], cited_by: dict[str, list[int]], sizes: list[int]
) -> list[tuple[str, str, dict[str, object]]]:
    """``COUPLED_WITH`` edges; ``sizes``: each paper's distinct references."""
    shared: dict[tuple[int, int], list[str]] = defaultdict(list)
    for key, citing in cited_by.items():
        if len(citing) > MAX_CITING:
            continue
        for i, a in enumerate(citing):
            for b in citing[i + 1 :]:
                shared[a, b].append(key.split(":", 1)[1])
    edges = []
    for (a, b), works in sorted(shared.items()):
        count = len(works)
        edges.append(
            (
                node_id(Label.PAPER, papers[a].paper_id),
                node_id(Label.PAPER, papers[b].paper_id),
                {
                    "shared": sorted(works)[:SHARED_LISTED],
                    "count": count,
                    "weight": round(count / math.sqrt(sizes[a] * sizes[b]), 6),
                },
            )
        )
    return edges
