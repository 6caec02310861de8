"""Worker processes, forked or started from the fork server, give the candidates of one process."""

from __future__ import annotations

import threading

import pytest

from graph_builder.concepts import ExtractionSpec, _pool_context, iter_extracted

ITEMS = [
    ("a", "Deep neural networks (DNNs) learn symmetry."),
    ("b", "We study spin glasses and random graphs."),
    ("c", "A mean-field theory of G-invariant maps."),
    ("d", "Reinforcement learning (RL) trains agents."),
    ("e", "Agents trained by RL explore mazes."),
]


def in_one_process() -> list[list[tuple[str, object]]]:
    return [
        [(p.paper_id, p.candidates, p.abbreviations) for p in chunk]
        for chunk in iter_extracted(ITEMS, ExtractionSpec(), workers=1, chunk_size=2)
    ]


def in_two_workers() -> list[list[tuple[str, object]]]:
    return [
        [(p.paper_id, p.candidates, p.abbreviations) for p in chunk]
        for chunk in iter_extracted(ITEMS, ExtractionSpec(), workers=2, chunk_size=2)
    ]


def test_forked_workers_give_the_same_candidates(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    assert _pool_context(None).get_start_method() == "fork"
    expected = in_one_process()
    (paper_id, candidates, abbreviations) = expected[0][0]
    assert paper_id == "a"
    assert "deep neural network" in {c.key for c in candidates}
    assert abbreviations == {"DNN": ("deep neural network", "deep neural network")}
    assert in_two_workers() == expected


def test_with_another_thread_workers_come_from_the_fork_server() -> None:
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert _pool_context(None).get_start_method() == "forkserver"
        assert in_two_workers() == in_one_process()
    finally:
        release.set()
        other.join()
