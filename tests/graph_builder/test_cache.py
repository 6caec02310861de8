"""The extraction cache: re-runs parse nothing, grown corpora parse only new papers."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from exporters import files
from graph_builder import Corpus, KnowledgeGraph, Paper, build_graph, read_papers
from graph_builder.cache import CACHE_FILE, ExtractionCache, decode, encode
from graph_builder.concepts.candidates import Candidate, PaperCandidates
from graph_builder.pipeline import BuildOptions, BuildReport, RunOptions
from graph_builder.schema import Label


def graph_bytes(kg: KnowledgeGraph, tmp_path: Path, name: str) -> bytes:
    path = tmp_path / f"{name}.json"
    files.write_json(kg, path)
    return path.read_bytes()


@pytest.fixture(scope="module")
def example(example_path: Path) -> Corpus:
    return read_papers([example_path])


def part(corpus: Corpus, count: int) -> Corpus:
    return Corpus(corpus.papers[:count], corpus.notes, corpus.inputs)


def build(corpus: Corpus, cache: Path | None, **run: object) -> tuple[KnowledgeGraph, BuildReport]:
    report = BuildReport()
    options = RunOptions(workers=1, cache=cache, **run)  # type: ignore[arg-type]
    return build_graph(corpus, run=options, report=report), report


def test_a_rerun_parses_nothing_and_gives_the_same_graph(example: Corpus, tmp_path: Path) -> None:
    cache = tmp_path / CACHE_FILE
    plain, report = build(example, None)
    assert (report.parsed, report.cached) == (10, 0)
    first, report = build(example, cache)
    assert (report.parsed, report.cached) == (10, 0)
    second, report = build(example, cache)
    assert (report.parsed, report.cached) == (0, 10)
    expected = graph_bytes(plain, tmp_path, "plain")
    assert graph_bytes(first, tmp_path, "first") == expected
    assert graph_bytes(second, tmp_path, "second") == expected
    with ExtractionCache(cache) as stored:
        assert len(stored) == 10


def test_a_grown_corpus_parses_only_the_new_papers(example: Corpus, tmp_path: Path) -> None:
    cache = tmp_path / CACHE_FILE
    _, report = build(part(example, 6), cache)
    assert report.parsed == 6
    grown, report = build(example, cache)
    assert (report.parsed, report.cached) == (4, 6)
    # Corpus-level steps are redone: the same graph as a build from scratch.
    fresh, _ = build(example, None)
    assert graph_bytes(grown, tmp_path, "grown") == graph_bytes(fresh, tmp_path, "fresh")


class Interrupted(Exception):
    pass


def test_an_interrupted_build_keeps_what_it_committed(example: Corpus, tmp_path: Path) -> None:
    cache = tmp_path / CACHE_FILE
    seen: list[int] = []

    def stop_after_first_chunk(n: int) -> None:
        seen.append(n)
        raise Interrupted

    with pytest.raises(Interrupted):
        build_graph(
            example,
            progress=stop_after_first_chunk,
            run=RunOptions(workers=1, cache=cache, chunk_size=3),
        )
    assert seen == [3]
    with ExtractionCache(cache) as stored:
        assert len(stored) == 3
    resumed, report = build(example, cache, chunk_size=3)
    assert (report.parsed, report.cached) == (7, 3)
    with ExtractionCache(cache) as stored:
        assert len(stored) == 10  # no duplicates
    fresh, _ = build(example, None)
    assert graph_bytes(resumed, tmp_path, "resumed") == graph_bytes(fresh, tmp_path, "fresh")


def test_an_option_that_changes_extraction_misses_the_cache(
    example: Corpus, tmp_path: Path
) -> None:
    cache = tmp_path / CACHE_FILE
    build(example, cache)
    report = BuildReport()
    build_graph(
        example, BuildOptions(max_words=2), run=RunOptions(workers=1, cache=cache), report=report
    )
    assert (report.parsed, report.cached) == (10, 0)
    with ExtractionCache(cache) as stored:
        assert len(stored) == 20


def test_papers_with_the_same_text_are_parsed_once(tmp_path: Path) -> None:
    text = "Graph neural networks learn molecular representations."
    corpus = Corpus([Paper("a", text), Paper("b", text), Paper("c", "Sparse attention.")])
    kg, report = build(corpus, tmp_path / CACHE_FILE)
    assert report.parsed == 2
    for paper in ("paper:a", "paper:b"):
        assert "concept:graph neural network" in kg.mentions.targets(paper)


def test_entries_round_trip_every_field() -> None:
    paper = PaperCandidates(
        "p1",
        [
            Candidate("mean field", "mean-field", "mean-field", 0.0),
            Candidate("field", "field", "field", 0.1, parent="mean field"),
        ],
        {"dnn": ("deep neural network", "deep neural network")},
    )
    assert decode(encode(paper), "p1") == paper
    assert decode(encode(paper), "p2").paper_id == "p2"  # the id is not stored


def test_an_entry_holds_every_field_of_a_candidate() -> None:
    # The cache writes pack's rows: a field added to Candidate but not to pack fails here.
    stored = json.loads(encode(PaperCandidates("p", [Candidate("a", "A", "As", 0.25, "b a")])))
    assert stored == [[["a", "A", "As", 0.25, "b a"]], {}]
    assert len(stored[0][0]) == len(dataclasses.fields(Candidate))


def _corrupt_file(cache: Path) -> None:
    cache.write_bytes(b"not a database, " * 100)


def _overwritten_pages(cache: Path) -> None:
    data = bytearray(cache.read_bytes())
    data[100:] = b"\xff" * (len(data) - 100)
    cache.write_bytes(bytes(data))


def _foreign_table(cache: Path) -> None:
    with sqlite3.connect(cache) as db:
        db.execute("DROP TABLE candidates")
        db.execute("CREATE TABLE candidates (name TEXT)")


def _entries(value: str) -> Callable[[Path], None]:
    def corrupt(cache: Path) -> None:
        with sqlite3.connect(cache) as db:
            db.execute("UPDATE candidates SET value = ?", (value,))

    return corrupt


@pytest.mark.parametrize(
    ("corrupt", "problem"),
    [
        (_corrupt_file, "could not be read"),
        (_overwritten_pages, "could not be read"),
        (_foreign_table, "could not be read"),
        (_entries("garbage"), "10 unreadable entries"),
        (_entries("{}"), "10 unreadable entries"),
        (_entries('{"candidates": [{"key": 1}], "abbreviations": {}}'), "10 unreadable entries"),
        (_entries('[[[1, "a", "a", 0.5, null]], {}]'), "10 unreadable entries"),
        (_entries('[[["a", "a", "a", "0.5", null]], {}]'), "10 unreadable entries"),
        (_entries('[[], {"a": 5}]'), "10 unreadable entries"),
        (_entries('[[], {"a": ["b"]}]'), "10 unreadable entries"),
    ],
)
def test_a_damaged_cache_is_dropped_and_the_papers_parsed_again(
    example: Corpus, tmp_path: Path, corrupt: Callable[[Path], None], problem: str
) -> None:
    cache = tmp_path / CACHE_FILE
    expected = graph_bytes(build(example, cache)[0], tmp_path, "first")
    corrupt(cache)
    kg, report = build(example, cache)
    assert (report.parsed, report.cached) == (10, 0)
    assert graph_bytes(kg, tmp_path, "again") == expected
    (note,) = report.notes
    assert note.startswith(f"the extraction cache {cache}") and problem in note, note
    _, report = build(example, cache)  # repaired: read back whole
    assert (report.parsed, report.cached, report.notes) == (0, 10, [])


def test_an_unusable_cache_is_left_aside(example: Corpus, tmp_path: Path) -> None:
    cache = tmp_path / "not-a-dir"
    cache.write_text("a file where the cache's directory should be")
    kg, report = build(example, cache / CACHE_FILE)
    assert report.parsed == 10 and kg.count(Label.PAPER) == 10
    (note,) = report.notes
    assert "cannot be used" in note and "goes on without it" in note


def test_the_cache_is_one_row_per_text_and_pipeline(example: Corpus, tmp_path: Path) -> None:
    cache = tmp_path / CACHE_FILE
    build(example, cache)
    build(example, cache)
    with sqlite3.connect(cache) as db:
        (rows,) = db.execute("SELECT COUNT(*) FROM candidates").fetchone()
        (keys,) = db.execute("SELECT COUNT(DISTINCT key) FROM candidates").fetchone()
    assert rows == keys == 10


@pytest.mark.parametrize(
    "value",
    [
        '[[["a", "a", "a", true, null]], {}]',  # a position that is a bool
        '[[["a", 1, "a", 0.5, null]], {}]',  # a name that is not text
        '[[["a", "a", null, 0.5, null]], {}]',  # a surface that is not text
        '[[["a", "a", "a", 0.5, 7]], {}]',  # a parent that is not text
        '[[["a", "a", "a", 0.5, null], ["b", "b", "b", 0.5, ["x"]]], {}]',  # the second row
        '[[["a", "a", "a", 0.5, null, "x"]], {}]',  # a sixth field
        '[[["a", "a", "a", 0.5, null]], {"x": ["y"]}]',  # an abbreviation without its key
        '[[["a", "a", "a", "0.5"]], {}]',  # a row without its parent, position text
        '[[["a", "a", "a", 0.5], ["b", "b", "b", 0.5, 2]], {}]',  # rows of both lengths
    ],
)
def test_an_entry_of_other_types_is_refused(value: str) -> None:
    with pytest.raises((ValueError, TypeError)):
        decode(value, "p")


def test_rows_with_and_without_a_parent_decode() -> None:
    value = '[[["a", "a", "as", 0.5], ["b", "b", "b", 1, "a"]], {"x": ["y z", "Y z"]}]'
    assert decode(value, "p") == PaperCandidates(
        "p",
        [Candidate("a", "a", "as", 0.5), Candidate("b", "b", "b", 1, parent="a")],
        {"x": ("y z", "Y z")},
    )
