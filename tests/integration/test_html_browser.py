"""The page, opened from disk in a real headless Chromium with no network."""

from __future__ import annotations

from pathlib import Path

import pytest

from exporters import html
from graph_builder import Corpus, KnowledgeGraph, Paper, build_graph
from graph_builder.schema import Label, Rel

pytestmark = pytest.mark.integration


@pytest.fixture
def open_page(browser, tmp_path: Path):
    pages = []

    def _open(kg: KnowledgeGraph):
        path = tmp_path / "graph.html"
        html.write(kg, path)
        page = browser.new_page()
        page.problems = []
        page.requests = []
        page.on(
            "console", lambda m: m.type in ("error", "warning") and page.problems.append(m.text)
        )
        page.on("pageerror", lambda e: page.problems.append(str(e)))
        page.on("request", lambda r: page.requests.append(r.url))
        page.goto(path.as_uri())
        page.wait_for_function("window.network !== undefined")
        pages.append(page)
        return page

    yield _open
    for page in pages:
        page.close()


def test_example_page_shows_the_graph(open_page, example_graph: KnowledgeGraph) -> None:
    page = open_page(example_graph)
    nodes, edges = page.evaluate("[network.body.data.nodes.length, network.body.data.edges.length]")
    assert nodes == example_graph.count(Label.PAPER) + example_graph.count(Label.CONCEPT)
    assert edges == example_graph.count(Rel.MENTIONS) + example_graph.count(Rel.RELATED_TO)
    assert "10 papers" in page.inner_text("#stats")
    assert page.problems == []
    assert [url for url in page.requests if not url.startswith("file://")] == []


def test_search_then_click_lists_exactly_the_concepts_papers(open_page, example_graph) -> None:
    page = open_page(example_graph)
    page.fill("#search", "representation")
    page.click("#matches li[data-node='concept:representation']")
    assert page.inner_text("#panel h2") == "representation"
    listed = page.eval_on_selector_all(
        "#panel ul:first-of-type .link", "els => els.map(e => e.dataset.node)"
    )
    expected = [u for u, v, _ in example_graph.edges(Rel.MENTIONS) if v == "concept:representation"]
    assert sorted(listed) == sorted(expected) and len(listed) == 4


def test_clicking_a_paper_shows_its_abstract_and_concepts(open_page, example_graph) -> None:
    page = open_page(example_graph)
    paper = next(n for n, _ in example_graph.nodes(Label.PAPER))
    page.evaluate("id => paperkg.show(id)", paper)
    assert "mean-field framework" in page.inner_text("#panel .abstract")
    assert "mean-field" in page.inner_text("#panel")
    page.click("#panel .link[data-node='concept:mean field']")
    assert page.inner_text("#panel h2") == "mean-field"


def test_hostile_abstract_runs_no_script(open_page, data_dir: Path) -> None:
    # Built from the raw lines, not through read_papers, which removes HTML tags such as <img>:
    # the page itself must show whatever text a graph holds as text.
    lines = (data_dir / "similar_papers" / "hostile.txt").read_text().splitlines()
    papers = [Paper(f"p{i}", line) for i, line in enumerate(lines[1::2])]
    kg = build_graph(Corpus(papers))
    page = open_page(kg)
    paper = next(n for n, _ in kg.nodes(Label.PAPER))
    page.evaluate("id => paperkg.show(id)", paper)
    page.fill("#search", "hostile")
    page.wait_for_timeout(300)
    assert page.evaluate("window.pwned") is None
    assert "<img src=x onerror" in page.inner_text("#panel .abstract")
    assert page.query_selector("#panel img") is None
    assert page.problems == []
