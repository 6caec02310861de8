"""Real components for the integration tests: a headless Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

CHROMIUM = os.environ.get("PAPERKG_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# Without these, Chromium tries to reach Google's services at start.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _missing(what: str) -> None:
    message = f"{what}; install it (see docs/development.md, 'Tests')"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not os.path.exists(CHROMIUM):
        _missing(f"no Chromium at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright package is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# --- Neo4j: the server scripts/test starts (scripts/neo4j-server), or the user's NEO4J_URI ---


@pytest.fixture(scope="session")
def neo4j_settings() -> dict[str, str]:
    """URI, user and password of the server the tests may use."""
    uri = os.environ.get("NEO4J_URI")
    if not uri:
        _missing("NEO4J_URI is not set: `bash scripts/test` starts a server (scripts/neo4j-server)")
    return {
        "uri": uri,
        "user": os.environ.get("NEO4J_USER", "neo4j"),
        "password": os.environ.get("NEO4J_PASSWORD", ""),
    }


def _test_database(driver: object) -> str | None:
    """NEO4J_DATABASE, else a dedicated database where the server has several, else the default.

    Community Edition has one user database; there the tests only ever delete
    nodes with paperkg's labels, and check that other nodes are left alone.
    """
    from neo4j.exceptions import ClientError, DatabaseError

    if os.environ.get("NEO4J_DATABASE"):
        return os.environ["NEO4J_DATABASE"]
    try:
        with driver.session(database="system") as session:
            session.run("CREATE DATABASE paperkgtest IF NOT EXISTS WAIT").consume()
    except (ClientError, DatabaseError):
        return None
    return "paperkgtest"


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_settings: dict[str, str]) -> Iterator[object]:
    from exporters.neo4j import connect

    driver = connect(neo4j_settings["uri"], neo4j_settings["user"], neo4j_settings["password"])
    yield driver
    driver.close()


@pytest.fixture(scope="session")
def neo4j_database(neo4j_driver: object) -> str | None:
    return _test_database(neo4j_driver)


@pytest.fixture
def neo4j_session(neo4j_driver: object, neo4j_database: str | None) -> Iterator[object]:
    """A session on an empty paperkg graph: paperkg's nodes are deleted before the test."""
    from exporters.neo4j import delete_paperkg_nodes

    with neo4j_driver.session(database=neo4j_database) as session:
        delete_paperkg_nodes(session)
        yield session
