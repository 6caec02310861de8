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

    def _open(kg: KnowledgeGraph, **options):
        path = tmp_path / f"graph{len(pages)}.html"
        html.write(kg, path, **options)
        page = browser.new_page()
        page.problems = []
        page.requests = []
        page.on(
            "console", lambda m: m.type in ("error", "warning") and page.problems.append(m.text)
        )
        page.on("pageerror", lambda e: page.problems.append(str(e)))
        page.on("request", lambda r: page.requests.append(r.url))
        page.goto(path.as_uri())
        page.wait_for_selector("body[data-ready]", state="attached")  # drawn once
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


def counts(page) -> list[int]:
    return page.evaluate("[network.body.data.nodes.length, network.body.data.edges.length]")


def test_hand_graph_views_and_filters(open_page, small_graph) -> None:
    page = open_page(small_graph())
    assert counts(page) == [8, 11]  # 3 papers + 5 concepts; 9 MENTIONS + 2 RELATED_TO
    page.check("input[name=view][value=concepts]")
    assert counts(page) == [5, 4]  # 2 CO_OCCURS + 2 BROADER
    page.check("input[name=view][value=papers]")
    assert counts(page) == [3, 2]
    page.check("input[name=view][value=all]")
    page.fill("#min-papers", "2")
    page.dispatch_event("#min-papers", "change")
    assert counts(page) == [6, 9]  # graph, gnn, neural network; their 7 MENTIONS
    page.fill("#min-papers", "1")
    page.select_option("#topic", label="molecule, transformer")
    assert counts(page) == [4, 3]  # p1, p3, molecule, transformer
    assert page.inner_text("#stats").endswith("showing 4 nodes, 3 edges")
    page.select_option("#topic", "")
    page.fill("#year-from", "2020")
    page.dispatch_event("#year-from", "change")
    assert counts(page) == [6, 5]  # p2, p3 and the 4 concepts they mention
    assert page.problems == []


def test_legend_lists_topics_and_filters_by_a_click(open_page, small_graph) -> None:
    page = open_page(small_graph())
    legend = page.eval_on_selector_all("#legend li", "els => els.map(e => e.innerText)")
    assert legend == ["graph, graph neural network · 3", "molecule, transformer · 2"]
    page.click("#legend [data-topic] >> text=molecule, transformer")
    assert counts(page) == [4, 3]
    colour = page.evaluate("paperkg.nodes.get('concept:gnn').color")
    assert colour == "#4e79a7"


def test_clicking_a_concept_on_the_canvas(open_page, small_graph) -> None:
    page = open_page(small_graph())
    page.evaluate("network.stopSimulation(); network.fit({animation: false})")
    x, y = page.evaluate(
        """() => { const p = network.canvasToDOM(network.getPositions(['concept:neural network'])
             ['concept:neural network']);
           const r = document.querySelector('#network').getBoundingClientRect();
           return [r.left + p.x, r.top + p.y]; }"""
    )
    page.mouse.click(x, y)
    assert page.inner_text("#panel h2") == "neural network"
    papers = page.eval_on_selector_all(
        "#panel h3:text-matches('^Papers') + ul .link", "els => els.map(e => e.dataset.node)"
    )
    assert sorted(papers) == ["paper:p1", "paper:p3"]
    narrower = page.eval_on_selector_all(
        "#panel h3:text-matches('^Narrower') + ul .link", "els => els.map(e => e.innerText)"
    )
    assert narrower == ["graph neural network", "transformer"]
    selected = page.evaluate("network.getSelectedNodes()")
    assert sorted(selected) == ["concept:neural network", "paper:p1", "paper:p3"]
    page.click("#panel .link[data-node='concept:gnn']")
    assert page.inner_text("#panel h2") == "graph neural network"
    assert "Broader concepts (1)" in page.inner_text("#panel")


def test_paper_links_only_from_http_urls(open_page, small_graph) -> None:
    page = open_page(small_graph())
    page.evaluate("paperkg.show('concept:gnn')")
    hrefs = page.eval_on_selector_all("#panel a", "els => els.map(e => e.href)")
    assert hrefs == ["https://example.org/p1"]  # p2's javascript: URL is not a link
    page.evaluate("paperkg.show('paper:p1')")
    related = page.inner_text("#panel h3:text-matches('^Related') + ul")
    assert "Message passing on graphs · shared: graph neural network, graph" in related
    assert [url for url in page.requests if not url.startswith("file://")] == []


def test_hostile_hand_graph_runs_nothing(open_page, small_graph) -> None:
    page = open_page(small_graph())
    page.fill("#search", "transformers read")
    page.click("#matches li[data-node='paper:p3']")
    assert page.inner_text("#panel .abstract") == small_graph().graph.nodes["paper:p3"]["abstract"]
    assert page.query_selector("img") is None
    assert page.evaluate("window.pwned") is None
    assert page.problems == []


def test_large_page_is_drawn_without_physics(open_page, small_graph) -> None:
    page = open_page(small_graph(), large=True, max_concepts=4)
    assert page.evaluate("network.physics.options.enabled") is False
    # kept: graph, gnn, neural network, then molecule (df 1, score 0.7 over 0.6)
    assert counts(page) == [7, 10]  # p3-transformer is gone: 8 MENTIONS + 2 RELATED_TO
    assert "Pruned: this page keeps 4 of 5 concepts" in page.inner_text("#pruned")
    drawn = page.evaluate("network.getPositions(['paper:p1'])['paper:p1']")
    given = page.evaluate("paperkg.data.nodes.find(n => n.id === 'paper:p1')")
    assert (drawn["x"], drawn["y"]) == (given["x"], given["y"])
    assert page.problems == []


def test_show_works_inside_a_notebook_iframe(browser, small_graph) -> None:
    page = browser.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.set_content(html.show(small_graph())._repr_html_())
    frame = page.frames[1]
    frame.wait_for_selector("body[data-ready]", state="attached")
    assert frame.evaluate("network.body.data.nodes.length") == 8
    # sandboxed: the page cannot reach the notebook around it
    reach = (
        "(() => { try { return Boolean(window.parent.document); } catch (e) { return false; } })()"
    )
    assert frame.evaluate(reach) is False
    assert problems == []
    page.close()


def test_concept_panel_names_other_spellings_only_when_there_are(
    open_page, example_graph, small_graph
) -> None:
    page = open_page(example_graph)
    # the abstract writes "compact representations"; the concept is the singular
    page.evaluate("paperkg.show('concept:compact representation')")
    assert "also written: compact representations" in page.inner_text("#panel")
    page = open_page(small_graph())
    page.evaluate("paperkg.show('concept:gnn')")  # no aliases in the hand graph
    assert "also written" not in page.inner_text("#panel")
    assert page.problems == []


def test_pruned_papers_keep_concepts_navigable(open_page, small_graph) -> None:
    # max_papers=2 keeps p1 and p3 (tests/exporters/test_html.py says why); graph is in 3 papers
    page = open_page(small_graph(), max_papers=2)
    assert "this page keeps 2 of 3 papers" in page.inner_text("#pruned")
    assert "2 papers" in page.inner_text("#stats")
    page.evaluate("paperkg.show('concept:graph')")
    assert "Papers (2 drawn of 3)" in page.inner_text("#panel")
    page.click("#panel .link[data-node='paper:p1']")
    assert page.inner_text("#panel h2") == "Graph neural networks for molecules"
    related = page.eval_on_selector_all(
        "#panel h3:text-matches('^Related') + ul .link", "els => els.map(e => e.dataset.node)"
    )
    assert related == ["paper:p3"]
    page.click("#panel .link[data-node='concept:molecule']")
    assert "Papers (1)" in page.inner_text("#panel")
    assert page.problems == []
