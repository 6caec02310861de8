"""Parsing in worker processes or on a Dask cluster gives the graph of a one-process build."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from distributed import LocalCluster

from exporters import files
from graph_builder import ConfigError, Corpus, build_graph, read_papers
from graph_builder.cache import CACHE_FILE
from graph_builder.concepts import ExtractionSpec, iter_extracted
from graph_builder.pipeline import BuildReport, RunOptions


@pytest.fixture(scope="module")
def example(example_path: Path) -> Corpus:
    return read_papers([example_path])


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    with LocalCluster(
        n_workers=1, threads_per_worker=2, processes=True, dashboard_address=None
    ) as local:
        yield local


def graph_bytes(corpus: Corpus, run: RunOptions, tmp_path: Path, name: str) -> bytes:
    report = BuildReport()
    kg = build_graph(corpus, run=run, report=report)
    assert report.parsed == len(corpus.papers)
    files.write_json(kg, tmp_path / name)
    return (tmp_path / name).read_bytes()


def test_two_workers_and_dask_give_the_same_bytes_as_one(
    example: Corpus, cluster: LocalCluster, tmp_path: Path
) -> None:
    # Chunks of 3 papers: the ten papers are split over several tasks and processes.
    one = graph_bytes(example, RunOptions(workers=1), tmp_path, "one.json")
    two = graph_bytes(example, RunOptions(workers=2, chunk_size=3), tmp_path, "two.json")
    on_dask = graph_bytes(
        example, RunOptions(dask=cluster.scheduler_address, chunk_size=3), tmp_path, "dask.json"
    )
    assert b'"concept:deep neural network"' in one
    assert two == one
    assert on_dask == one


def test_dask_chunks_come_back_in_input_order(cluster: LocalCluster) -> None:
    items = [(f"p{i}", f"Paper {i} studies {word} models.") for i, word in enumerate("abcdefg")]
    chunks = iter_extracted(items, ExtractionSpec(), dask=cluster.scheduler_address, chunk_size=2)
    assert [c.paper_id for chunk in chunks for c in chunk] == [f"p{i}" for i in range(7)]


def test_a_dask_build_fills_the_cache_for_a_local_rerun(
    example: Corpus, cluster: LocalCluster, tmp_path: Path
) -> None:
    cache = tmp_path / CACHE_FILE
    build_graph(example, run=RunOptions(dask=cluster.scheduler_address, cache=cache))
    report = BuildReport()
    build_graph(example, run=RunOptions(workers=1, cache=cache), report=report)
    assert (report.parsed, report.cached) == (0, 10)


def test_an_unreachable_scheduler_is_a_config_error(example: Corpus) -> None:
    with pytest.raises(
        ConfigError, match=r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9"
    ):
        build_graph(example, run=RunOptions(dask="tcp://127.0.0.1:9"))


def test_unknown_method_names_the_choices() -> None:
    with pytest.raises(ConfigError, match=r"noun_phrases\.v1"):
        list(iter_extracted([("p", "text")], ExtractionSpec(method="nope")))
