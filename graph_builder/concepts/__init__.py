"""Concept extraction: candidate terms per paper from a spaCy parse.

One module per method, registered in :data:`EXTRACTORS` under a versioned
name; the spaCy pipeline is loaded once and fed with ``nlp.pipe``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from spacy.language import Language

from graph_builder.concepts import noun_phrases
from graph_builder.concepts.candidates import Candidate, PaperCandidates
from graph_builder.concepts.nlp import load_pipeline, resolve_model
from graph_builder.errors import ConfigError
from graph_builder.model import Paper

__all__ = [
    "EXTRACTORS",
    "Candidate",
    "PaperCandidates",
    "extract_candidates",
    "load_pipeline",
    "resolve_model",
]

#: Extraction methods by versioned name.
EXTRACTORS = {noun_phrases.NAME: noun_phrases.extract}
DEFAULT_METHOD = noun_phrases.NAME


def extract_candidates(
    papers: Sequence[Paper],
    nlp: Language,
    *,
    method: str = DEFAULT_METHOD,
    max_words: int = 4,
    batch_size: int = 64,
    progress: Callable[[int], None] | None = None,
) -> list[PaperCandidates]:
    """Parse every paper's title and abstract and return its candidate terms, in order."""
    if method not in EXTRACTORS:
        raise ConfigError(
            f"unknown extraction method {method!r}; choose one of: {', '.join(EXTRACTORS)}"
        )
    extract = EXTRACTORS[method]
    options = noun_phrases.NounPhraseOptions(max_words=max_words)
    texts = (paper.text for paper in papers)
    results = []
    for paper, doc in zip(papers, nlp.pipe(texts, batch_size=batch_size), strict=True):
        results.append(extract(doc, paper.paper_id, options))
        if progress:
            progress(1)
    return results
