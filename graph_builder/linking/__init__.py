"""Linking papers and concepts into the knowledge graph (schema in :mod:`graph_builder.schema`).

* ``Concept`` nodes: a concept of the vocabulary is a node when at least
  ``concept_min_papers`` papers mention it, or when it is among the
  ``keyphrases_per_paper`` best concepts of a paper. Most terms of a large
  corpus are written in one paper only (on 1,000 arXiv abstracts, 19,900 of
  25,100); they link nothing, so only a paper's own key phrases among them
  are kept.
* ``MENTIONS`` (paper -> concept): ``count``, ``weight``, ``spans``.
* ``RELATED_TO`` (paper -> paper): cosine similarity of the papers' concept
  vectors, each entry the mention weight times the concept's idf, so a rare
  shared concept counts more than a common one, and the words of the
  concepts as entries of their own at half weight (``_WORD_SHARE``); only
  papers that share a concept are linked; ``shared`` lists the concepts
  that contribute most. Similarities come from sparse products of the
  paper-concept matrix, a block of papers at a time; each paper keeps its ``related_top_k``
  strongest links, and a concept found in more than ``max_concept_papers``
  papers does not link papers by itself.
* ``CO_OCCURS`` (concept -> concept): ``papers`` that mention both among
  their ``cooccur_concepts_per_paper`` best concepts (at least
  ``cooccur_min_papers``), and ``strength``, the association strength of van
  Eck and Waltman (2009): observed / expected co-occurrence,
  ``papers * N / (df_a * df_b)``; each concept keeps its ``cooccur_top_k``
  strongest partners. A pair seen in one paper has the highest strength of
  all, by chance: in a large corpus it is not a link.
* ``WROTE`` (author -> paper): ``position`` (1 for the first author). Authors
  are keyed by :func:`author_key`, so "Turing, Alan" and "Alan Turing" are one
  ``Author`` node.

The similarity maths is in :mod:`graph_builder.linking.similarity`, the
co-occurrences in :mod:`graph_builder.linking.cooccurrence`, the authors in
:mod:`graph_builder.linking.authors`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from graph_builder import citations
from graph_builder.linking.authors import add_authors, author_key
from graph_builder.linking.cooccurrence import cooccurrences
from graph_builder.linking.similarity import related_papers
from graph_builder.model import KnowledgeGraph, Paper
from graph_builder.schema import Label, Rel
from graph_builder.vocabulary import Vocabulary

__all__ = ["LinkOptions", "author_key", "link"]

_SHARED_LISTED = 10


#: From this many papers up, a concept or a co-occurrence needs two papers by default.
LARGE_CORPUS = 100


@dataclass(frozen=True, slots=True)
class LinkOptions:
    """Which concepts become nodes and how many edges to keep; see the module docstring.

    The ``None`` defaults depend on the number of papers N: ``max_concept_papers``
    is max(50, N / 10); ``concept_min_papers`` and ``cooccur_min_papers`` are 1
    below :data:`LARGE_CORPUS` papers (a small corpus keeps every term) and 2 from it.
    """

    related_top_k: int = 10
    related_min_weight: float = 0.01
    max_concept_papers: int | None = None
    concept_min_papers: int | None = None
    keyphrases_per_paper: int = 5
    cooccur_concepts_per_paper: int = 25
    cooccur_min_papers: int | None = None
    cooccur_top_k: int = 10

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def min_papers(self, n: int) -> tuple[int, int]:
        """``concept_min_papers`` and ``cooccur_min_papers`` for a corpus of ``n`` papers.

        Examples
        --------
        >>> LinkOptions().min_papers(10), LinkOptions().min_papers(1000)
        ((1, 1), (2, 2))
        """
        default = 1 if n < LARGE_CORPUS else 2
        concept = self.concept_min_papers if self.concept_min_papers is not None else default
        cooccur = self.cooccur_min_papers if self.cooccur_min_papers is not None else default
        return concept, cooccur


def link(
    papers: Sequence[Paper], vocabulary: Vocabulary, options: LinkOptions = LinkOptions()
) -> KnowledgeGraph:
    """Build the graph of papers, concepts and their relationships.

    Nodes and edges are inserted in a fixed order (papers in input order,
    concepts by key, edges sorted), so the same input gives the same graph.
    """
    kept = _kept_concepts(vocabulary, options)
    listed = kept.concepts
    related = related_papers(vocabulary, len(papers), options)
    kg = KnowledgeGraph()
    paper_nodes = [kg.add_node(Label.PAPER, p.paper_id, **_paper_properties(p)) for p in papers]
    add_authors(kg, papers, paper_nodes)
    concept_nodes = {
        info.key: kg.add_node(
            Label.CONCEPT,
            info.key,
            name=info.name,
            aliases=list(info.aliases),
            df=info.df,
            score=info.score,
        )
        for info in kept.concepts.values()
    }
    kg.add_edges(
        Rel.MENTIONS,
        (
            (
                paper,
                concept_nodes[m.key],
                {"count": m.count, "weight": m.weight, "spans": list(m.spans)},
            )
            for paper, mentions in zip(paper_nodes, kept.mentions, strict=True)
            for m in mentions
        ),
    )
    kg.add_edges(
        Rel.RELATED_TO,
        (
            (
                paper_nodes[i],
                paper_nodes[j],
                {"weight": weight, "shared": [k for k in shared if k in listed][:_SHARED_LISTED]},
            )
            for (i, j), (weight, shared) in sorted(related.items())
        ),
    )
    kg.add_edges(
        Rel.CO_OCCURS,
        (
            (concept_nodes[a], concept_nodes[b], {"papers": count, "strength": strength})
            for a, b, count, strength in cooccurrences(kept, options)
        ),
    )
    citations.add_categories(kg, papers)
    citations.add_citations(kg, papers)
    return kg


def _paper_properties(paper: Paper) -> dict[str, Any]:
    properties = {
        "title": paper.title,
        "abstract": paper.abstract,
        "date": paper.date,
        "year": paper.year,
        "authors": list(paper.authors),
        "doi": paper.doi,
        "arxiv_id": paper.arxiv_id,
        "url": paper.url,
        "source": paper.source,
        "truncated": paper.truncated,
        "categories": list(paper.categories),
        "venue": paper.venue,
        "keywords": list(paper.keywords),
    }
    if paper.title_only:
        properties["title_only"] = True
    return {k: v for k, v in properties.items() if v is not None and v != []}


def _kept_concepts(vocabulary: Vocabulary, options: LinkOptions) -> Vocabulary:
    """The vocabulary of the concepts that become nodes (see the module docstring)."""
    min_papers, _ = options.min_papers(len(vocabulary.mentions))
    kept = {key for key, info in vocabulary.concepts.items() if info.df >= min_papers}
    for mentions in vocabulary.mentions:
        kept.update(m.key for m in mentions[: options.keyphrases_per_paper])
    if len(kept) == len(vocabulary.concepts):
        return vocabulary
    return Vocabulary(
        {key: info for key, info in vocabulary.concepts.items() if key in kept},
        [[m for m in mentions if m.key in kept] for mentions in vocabulary.mentions],
    )
