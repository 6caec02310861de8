"""The whole build, stage by stage: papers -> candidates -> vocabulary -> graph."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from importlib.metadata import version
from typing import Any

from graph_builder.concepts import DEFAULT_METHOD, extract_candidates, load_pipeline
from graph_builder.linking import LinkOptions, link
from graph_builder.model import Corpus, KnowledgeGraph, Paper
from graph_builder.thesaurus import Thesaurus
from graph_builder.vocabulary import ConceptInfo, Mention, Vocabulary, build_vocabulary

__all__ = ["BuildOptions", "PaperConcepts", "build_graph", "rank_concepts"]

Progress = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """Everything that changes the graph built from a corpus.

    ``model`` is a spaCy pipeline name (None: the first installed default);
    ``max_words`` the longest concept, in words; ``link`` the edge limits;
    ``thesaurus`` merges and drops terms, ``seeds`` are terms that are always
    concepts (see :mod:`graph_builder.thesaurus`).
    """

    model: str | None = None
    method: str = DEFAULT_METHOD
    max_words: int = 4
    link: LinkOptions = field(default_factory=LinkOptions)
    thesaurus: Thesaurus | None = None
    seeds: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PaperConcepts:
    """A paper and its concepts, best first."""

    paper: Paper
    concepts: list[tuple[Mention, ConceptInfo]]


def _analyse(
    corpus: Corpus, options: BuildOptions, progress: Progress | None
) -> tuple[list[Paper], Vocabulary, dict[str, Any]]:
    papers = _unique(corpus.papers)
    nlp = load_pipeline(options.model)
    extracted = extract_candidates(
        papers, nlp, method=options.method, max_words=options.max_words, progress=progress
    )
    pipeline = {
        "spacy_model": f"{nlp.meta['lang']}_{nlp.meta['name']}",
        "spacy_model_version": nlp.meta["version"],
        "method": options.method,
    }
    vocabulary = build_vocabulary(extracted, thesaurus=options.thesaurus, seeds=options.seeds)
    return papers, vocabulary, pipeline


def _unique(papers: list[Paper]) -> list[Paper]:
    """The first paper of each id, in input order."""
    seen: dict[str, Paper] = {}
    for paper in papers:
        seen.setdefault(paper.paper_id, paper)
    return list(seen.values())


def rank_concepts(
    corpus: Corpus,
    options: BuildOptions = BuildOptions(),
    *,
    top: int | None = None,
    progress: Progress | None = None,
) -> list[PaperConcepts]:
    """Each paper's concepts, best first (at most ``top``), papers in input order."""
    papers, vocabulary, _ = _analyse(corpus, options, progress)
    return [
        PaperConcepts(paper, [(m, vocabulary.concepts[m.key]) for m in mentions[:top]])
        for paper, mentions in zip(papers, vocabulary.mentions, strict=True)
    ]


def build_graph(
    corpus: Corpus, options: BuildOptions = BuildOptions(), *, progress: Progress | None = None
) -> KnowledgeGraph:
    """Build the knowledge graph of a corpus.

    Examples
    --------
    >>> from graph_builder import Corpus, Paper
    >>> corpus = Corpus([Paper("p1", "Mean-field theory of deep neural networks."),
    ...                  Paper("p2", "Deep neural networks learn symmetry.")])
    >>> kg = build_graph(corpus)
    >>> kg.graph.has_edge("paper:p1", "concept:deep neural network")
    True
    """
    papers, vocabulary, pipeline = _analyse(corpus, options, progress)
    kg = link(papers, vocabulary, options.link)
    kg.metadata.update(
        paperkg_version=version("paperkg"),
        inputs=list(corpus.inputs),
        notes=[asdict(note) for note in corpus.notes],
        duplicates_skipped=len(corpus.papers) - len(papers),
        pipeline=pipeline,
        options={"max_words": options.max_words, **options.link.as_dict()},
    )
    return kg
