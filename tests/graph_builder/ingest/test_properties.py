"""Property-based: any input, random or a mutated real sample, reads or fails with InputError.

Nothing else may escape a reader: no parser exception, no recursion error, no
hang on an entity bomb.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph_builder import PaperkgError, read_papers

DATA = Path(__file__).resolve().parents[2] / "data"
SAMPLES = {
    "similar-papers": DATA / "similar_papers" / "odd.txt",
    "jsonl": DATA / "jsonl" / "records.jsonl",
    "json": DATA / "json" / "papers.json",
    "openalex": DATA / "openalex" / "works.json",
    "semantic-scholar": DATA / "semantic_scholar" / "papers.json",
    "csv": DATA / "csv" / "scopus.csv",
    "bibtex": DATA / "bibtex" / "library.bib",
    "ris": DATA / "ris" / "library.ris",
    "arxiv": DATA / "arxiv" / "query.atom",
}
PROPERTY = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def mutated(draw: st.DrawFn, sample: bytes) -> bytes:
    """The sample with a few slices cut, repeated or replaced by random bytes or text."""
    data = bytearray(sample)
    for _ in range(draw(st.integers(1, 4))):
        start = draw(st.integers(0, len(data)))
        end = draw(st.integers(start, min(len(data), start + 200)))
        kind = draw(st.sampled_from(["cut", "repeat", "bytes", "text", "truncate"]))
        if kind == "cut":
            del data[start:end]
        elif kind == "repeat":
            data[start:start] = data[start:end]
        elif kind == "bytes":
            data[start:end] = draw(st.binary(max_size=20))
        elif kind == "text":
            data[start:end] = draw(st.text(max_size=20)).encode("utf-8")
        else:
            del data[start:]
    return bytes(data)


def _read(fmt: str, data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"input{suffix}"
        path.write_bytes(data)
        for skip_bad in (False, True):
            try:
                corpus = read_papers([path], format=fmt, skip_bad=skip_bad)
            except PaperkgError:
                continue
            assert corpus.papers
            assert all(p.abstract or p.title for p in corpus.papers)


@pytest.mark.parametrize("fmt", list(SAMPLES))
@PROPERTY
@given(data=st.data())
def test_mutated_samples_read_or_fail_cleanly(fmt: str, data: st.DataObject) -> None:
    sample = SAMPLES[fmt].read_bytes()
    _read(fmt, data.draw(mutated(sample)), SAMPLES[fmt].suffix)


@pytest.mark.parametrize("fmt", list(SAMPLES))
@PROPERTY
@given(data=st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode)))
def test_random_input_reads_or_fails_cleanly(fmt: str, data: bytes) -> None:
    _read(fmt, data, SAMPLES[fmt].suffix)


@PROPERTY
@given(data=st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode)))
def test_auto_detection_reads_or_fails_cleanly(data: bytes) -> None:
    _read("auto", data, "")


def test_a_carriage_return_does_not_upset_sniffing() -> None:
    # found by hypothesis: csv.reader raised on a lone "\r" while sniffing
    _read("auto", b"\r\x00", "")
    _read("auto", b"title,abstract\rT,An abstract\r", "")
