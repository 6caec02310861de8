"""Noun-chunk bounds read from token lists agree with spaCy's own ``Doc.noun_chunks``."""

from __future__ import annotations

import pytest
import spacy

from graph_builder.concepts import load_pipeline
from graph_builder.concepts.chunks import noun_chunk_bounds
from graph_builder.concepts.words import Words

TEXTS = [
    # Coordinated objects ("conj" chunks), a hyphenated compound, an appositive abbreviation.
    "We train deep neural networks (DNNs), random forests and support vector machines.",
    "The state-of-the-art relies on well-known heuristics, which we improve.",
    "Spin glasses and their replica symmetry breaking were studied by Parisi.",
    "",
]


def test_bounds_are_spacy_noun_chunks() -> None:
    nlp = load_pipeline()
    for doc in nlp.pipe(TEXTS):
        expected = [(chunk.start, chunk.end) for chunk in doc.noun_chunks]
        assert list(noun_chunk_bounds(doc, Words.of(doc))) == expected


def test_hand_checked_chunks_of_a_coordination() -> None:
    doc = load_pipeline()("We study spin glasses and random graphs.")
    chunks = [doc[s:e].text for s, e in noun_chunk_bounds(doc, Words.of(doc))]
    assert chunks == ["We", "spin glasses", "random graphs"]


def test_language_without_noun_chunks_raises_spacys_error() -> None:
    doc = spacy.blank("xx")("some text")
    with pytest.raises(NotImplementedError):
        list(noun_chunk_bounds(doc, Words.of(doc)))


def test_text_without_a_parse_raises_spacys_error() -> None:
    doc = spacy.blank("en")("some text")
    with pytest.raises(ValueError, match="E029"):
        list(noun_chunk_bounds(doc, Words.of(doc)))
