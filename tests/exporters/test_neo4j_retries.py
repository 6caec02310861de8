"""The Neo4j load counts the driver's retry warnings instead of printing them (no server needed)."""

from __future__ import annotations

import logging

import pytest

from exporters.neo4j import _RetryCounter


def test_retry_warnings_are_counted_not_printed(caplog: pytest.LogCaptureFixture) -> None:
    session_log = logging.getLogger("neo4j.session")
    counter = _RetryCounter()
    with caplog.at_level(logging.DEBUG), counter.counting():
        session_log.warning("Transaction failed and will be retried in %ss (%s)", 1.1, "deadlock")
        session_log.warning("Transaction failed and will be retried in %ss (%s)", 2.0, "deadlock")
        session_log.warning("Connection pool is full")
    assert counter.count == 2
    assert [r.getMessage() for r in caplog.records] == ["Connection pool is full"]


def test_the_counter_leaves_the_driver_logger_as_it_found_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with _RetryCounter().counting():
        pass
    with caplog.at_level(logging.WARNING):
        logging.getLogger("neo4j.session").warning("Transaction failed and will be retried")
    assert len(caplog.records) == 1
