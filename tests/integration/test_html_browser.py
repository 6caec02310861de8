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


def counts(page) -> list[int]:
    """Nodes and edges drawn now."""
    return page.evaluate("[network.body.data.nodes.length, network.body.data.edges.length]")


def centre(page, node: str) -> tuple[float, float]:
    """Where a node's centre is on the screen."""
    return tuple(
        page.evaluate(
            """id => { const p = network.canvasToDOM(network.getPositions([id])[id]);
                 const r = document.querySelector('#network').getBoundingClientRect();
                 return [r.left + p.x, r.top + p.y]; }""",
            node,
        )
    )


def test_example_page_shows_the_concept_map(open_page, example_graph: KnowledgeGraph) -> None:
    page = open_page(example_graph)
    # the first view: the concepts and their co-occurrences; papers on demand
    co_occurs = example_graph.count(Rel.CO_OCCURS)
    assert counts(page) == [example_graph.count(Label.CONCEPT), co_occurs]
    assert "10 papers" in page.inner_text("#stats")
    assert page.problems == []
    assert [url for url in page.requests if not url.startswith("file://")] == []


def test_search_then_click_lists_exactly_the_concepts_papers(open_page, example_graph) -> None:
    page = open_page(example_graph)
    page.fill("#search", "representation")
    page.click("#matches li[data-node='concept:representation']")
    assert page.inner_text("#panel h2") == "representation"
    assert page.get_attribute("#panel", "aria-live") == "polite"
    listed = page.eval_on_selector_all(
        "#panel ul:first-of-type .link", "els => els.map(e => e.dataset.node)"
    )
    expected = [u for u, v, _ in example_graph.edges(Rel.MENTIONS) if v == "concept:representation"]
    assert sorted(listed) == sorted(expected) and len(listed) == 4
    assert page.is_hidden("#matches")  # the list closes once a result is chosen


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


def test_hand_graph_views_and_filters(open_page, small_graph) -> None:
    page = open_page(small_graph())
    assert counts(page) == [5, 2]  # the concept map: 5 concepts, 2 CO_OCCURS
    page.check("input[name=view][value=papers]")
    assert counts(page) == [3, 2]  # 3 papers, 2 RELATED_TO
    page.check("input[name=view][value=all]")
    assert counts(page) == [8, 11]  # 9 MENTIONS + 2 RELATED_TO
    page.fill("#min-papers", "2")
    page.dispatch_event("#min-papers", "change")
    assert counts(page) == [6, 9]  # graph, gnn, neural network; their 7 MENTIONS
    page.fill("#min-papers", "1")
    page.select_option("#topic", label="molecule, transformer")
    assert counts(page) == [4, 3]  # p1, p3, molecule, transformer
    assert page.inner_text("#stats").endswith("shown: 4 nodes, 3 edges")
    page.select_option("#topic", "")
    page.fill("#year-from", "2020")
    page.dispatch_event("#year-from", "change")
    assert counts(page) == [6, 5]  # p2, p3 and the 4 concepts they mention
    page.check("input[name=view][value=map]")
    assert counts(page) == [4, 1]  # the year filter keeps working on the map: not molecule
    assert page.problems == []


def test_legend_lists_topics_filters_by_a_click_and_collapses(open_page, small_graph) -> None:
    page = open_page(small_graph())
    legend = page.eval_on_selector_all(
        "#legend li:has([data-topic])", "els => els.map(e => e.textContent)"
    )
    assert legend == ["graph, graph neural network · 3", "molecule, transformer · 2"]
    assert "disc and label size by prominence" in page.inner_text("#legend")
    # beside the map, never over it
    box = page.evaluate(
        "JSON.parse(JSON.stringify(document.querySelector('#legend').getBoundingClientRect()))"
    )
    net = page.evaluate(
        "JSON.parse(JSON.stringify(document.querySelector('#network').getBoundingClientRect()))"
    )
    assert box["left"] >= net["right"]
    page.click("#legend [data-topic] >> text=molecule, transformer")
    assert counts(page) == [2, 0]
    colour = page.evaluate("paperkg.data.nodes.find(n => n.id === 'concept:gnn').color")
    assert colour == "#4e79a7"
    page.click("#legend summary")
    assert page.is_hidden("#legend-body")
    page.click("#legend summary")
    assert page.is_visible("#legend-body")


def test_clicking_a_concept_focuses_it(open_page, small_graph) -> None:
    page = open_page(small_graph())
    page.mouse.click(*centre(page, "concept:neural network"))
    assert page.inner_text("#panel h2") == "neural network"
    assert page.get_attribute("#panel", "data-node") == "concept:neural network"
    papers = page.eval_on_selector_all(
        "#panel h3:text-matches('^Papers') + ul .link", "els => els.map(e => e.dataset.node)"
    )
    assert papers == ["paper:p3", "paper:p1"]  # newest first
    narrower = page.eval_on_selector_all(
        "#panel h3:text-matches('^Narrower') + ul .link", "els => els.map(e => e.innerText)"
    )
    assert narrower == ["graph neural network", "transformer"]
    # the node and its neighbours selected (drawn on top); the rest dimmed
    assert sorted(page.evaluate("network.getSelectedNodes()")) == [
        "concept:gnn",
        "concept:neural network",
        "concept:transformer",
    ]
    colour = "id => paperkg.nodes.get(id).color.background"
    assert page.evaluate(colour, "concept:molecule") == "rgba(200,200,200,0.35)"
    assert page.evaluate("paperkg.nodes.get('concept:neural network').label") == "neural network"
    assert page.evaluate(colour, "concept:gnn") == "#4e79a7"
    page.keyboard.press("Escape")
    assert page.evaluate("network.getSelectedNodes()") == []
    assert page.evaluate(colour, "concept:molecule") == "#f28e2b"
    page.evaluate("paperkg.show('concept:neural network')")
    page.click("#panel .link[data-node='concept:gnn']")
    assert page.inner_text("#panel h2") == "graph neural network"
    assert "Broader concepts (1)" in page.inner_text("#panel")


def test_a_click_opens_the_node_under_the_pointer_biggest_on_top(open_page, small_graph) -> None:
    page = open_page(small_graph())
    order = page.evaluate("network.body.nodeIndices")
    assert order.index("concept:graph") > order.index("concept:molecule")  # biggest drawn last
    # molecule (radius 12.1) moved under graph (radius 18), its centre 14 units from graph's
    page.evaluate(
        """() => { const g = network.getPosition('concept:graph');
                   paperkg.nodes.update({id: 'concept:molecule', x: g.x + 14, y: g.y}); }"""
    )
    page.wait_for_timeout(100)
    x, y = centre(page, "concept:molecule")
    page.mouse.click(x, y)  # inside both discs: graph is drawn on top there
    assert page.get_attribute("#panel", "data-node") == "concept:graph"
    scale = page.evaluate("network.getScale()")
    page.wait_for_timeout(600)
    page.mouse.click(x + 10 * scale, y)  # 24 units from graph's centre: molecule only
    assert page.get_attribute("#panel", "data-node") == "concept:molecule"


def test_keyboard_search_ranks_and_opens(open_page, small_graph) -> None:
    page = open_page(small_graph())
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "search"
    page.keyboard.type("graph")
    options = page.eval_on_selector_all("#matches li", "els => els.map(e => e.dataset.node)")
    # exact, then prefix, then papers whose title has the word
    assert options[:2] == ["concept:graph", "concept:gnn"]
    assert "paper:p2" in options
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.get_attribute("#search", "aria-activedescendant") == "match-1"
    page.keyboard.press("Enter")
    assert page.get_attribute("#panel", "data-node") == "concept:gnn"
    assert page.is_hidden("#matches")
    # Tab reaches the panel's links; Enter follows one
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('#panel .link')"):
            break
    target = page.evaluate("document.activeElement.dataset.node")
    assert target
    page.keyboard.press("Enter")
    assert page.get_attribute("#panel", "data-node") == target
    # short queries match whole words and prefixes only: "ra" is not in "graph"
    page.fill("#search", "ra")
    assert page.eval_on_selector_all("#matches li", "els => els.length") == 0
    page.fill("#search", "")
    page.keyboard.type("molecule")
    page.keyboard.press("Escape")  # the first Esc closes the list, the focus stays
    assert page.is_hidden("#matches")
    assert page.evaluate("network.getSelectedNodes().length") > 0
    page.keyboard.press("Escape")  # the second clears the focus
    assert page.evaluate("network.getSelectedNodes()") == []


def test_search_finds_concepts_left_off_the_map(open_page, small_graph) -> None:
    page = open_page(small_graph(), max_concepts=2)
    assert counts(page)[0] == 2
    page.fill("#search", "transformer")
    item = page.inner_text("#matches li[data-node='more:2']")
    assert "transformer" in item and "1 paper(s) · not drawn" in item
    page.keyboard.press("Enter")
    assert page.inner_text("#panel h2") == "transformer"
    assert "not drawn" in page.inner_text("#panel")
    page.click("#panel .link[data-node='paper:p3']")
    assert page.get_attribute("#panel", "data-node") == "paper:p3"
    assert page.evaluate("network.body.data.nodes.get('paper:p3') !== null")  # drawn on demand


def test_time_overlay_colours_by_mean_year(open_page, small_graph) -> None:
    page = open_page(small_graph())
    page.select_option("#colour-by", "year")
    colour = "id => paperkg.nodes.get(id).color.background"
    # mean dates: molecule 2019.33 (the first), transformer 2023.51 (the last) on viridis;
    # graph 2021.31: 0.474 of the way, 0.895 from the 2nd stop (59,82,139) to the 3rd (33,145,140)
    assert page.evaluate(colour, "concept:molecule") == "rgb(68,1,84)"
    assert page.evaluate(colour, "concept:transformer") == "rgb(253,231,37)"
    assert page.evaluate(colour, "concept:graph") == "rgb(36,138,140)"
    scale = page.inner_text("#legend-body")
    assert scale.startswith("Colour: mean publication year")
    assert "2019-05" in scale and "2021-06" in scale and "2023-07" in scale
    page.evaluate("paperkg.show('concept:graph')")
    assert "mean date 2021-04" in page.inner_text("#panel")
    assert page.query_selector("#panel svg.chart") is not None  # papers per year
    page.keyboard.press("Escape")  # the focus dimmed the others
    page.select_option("#colour-by", "topic")
    assert page.evaluate(colour, "concept:molecule") == "#f28e2b"


def test_a_concepts_papers_on_demand(open_page, small_graph) -> None:
    page = open_page(small_graph())
    page.evaluate("paperkg.show('concept:graph')")
    page.click("#panel button:text('Show its papers on the map')")
    assert counts(page) == [8, 11]  # + 3 papers and their 9 MENTIONS
    page.keyboard.press("Escape")
    assert counts(page) == [5, 2]


def test_paper_panel_authors_and_links(open_page, small_graph) -> None:
    kg = small_graph()
    kg.graph.nodes["paper:p3"]["arxiv_id"] = "2301.00001"
    kg.graph.nodes["paper:p1"]["authors"] = ["Ada Lovelace", "Alan Turing"]
    page = open_page(kg)
    page.evaluate("paperkg.show('paper:p1')")
    assert "Ada Lovelace, Alan Turing" in page.inner_text("#panel")
    assert page.eval_on_selector_all("#panel a:not(.link)", "els => els.map(e => e.href)") == [
        "https://example.org/p1"
    ]
    related = page.inner_text("#panel h3:text-matches('^Related') + ul")
    assert "Message passing on graphs · shared: graph neural network, graph" in related
    page.evaluate("paperkg.show('paper:p3')")
    assert page.eval_on_selector_all("#panel a:not(.link)", "els => els.map(e => e.href)") == [
        "https://arxiv.org/abs/2301.00001"
    ]
    page.evaluate("paperkg.show('paper:p2')")
    assert page.query_selector("#panel a:not(.link)") is None  # a javascript: URL is not a link
    assert [url for url in page.requests if not url.startswith("file://")] == []


def test_hostile_hand_graph_runs_nothing(open_page, small_graph) -> None:
    page = open_page(small_graph())
    page.fill("#search", "transformers read")
    page.click("#matches li[data-node='paper:p3']")
    assert page.inner_text("#panel .abstract") == small_graph().graph.nodes["paper:p3"]["abstract"]
    assert page.query_selector("img") is None
    assert page.evaluate("window.pwned") is None
    assert page.problems == []


def test_nothing_moves_after_the_first_frame(open_page, small_graph) -> None:
    page = open_page(small_graph(), max_concepts=4)
    assert page.evaluate("network.physics.options.enabled") is False
    assert "4 of 5 concepts" in page.inner_text("#pruned")
    first = page.evaluate("network.getPositions()")
    page.wait_for_timeout(1000)
    assert page.evaluate("network.getPositions()") == first
    given = page.evaluate("paperkg.data.nodes.find(n => n.id === 'concept:graph')")
    assert abs(first["concept:graph"]["x"] - given["x"]) < 1  # vis-network rounds positions
    assert abs(first["concept:graph"]["y"] - given["y"]) < 1
    assert page.problems == []


def test_show_works_inside_a_notebook_iframe(browser, small_graph) -> None:
    page = browser.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.set_content(html.show(small_graph())._repr_html_())
    frame = page.frames[1]
    frame.wait_for_selector("body[data-ready]", state="attached")
    assert frame.evaluate("network.body.data.nodes.length") == 5
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
    assert "2 of 3 papers" in page.inner_text("#pruned")
    assert "2 papers" in page.inner_text("#stats")
    page.evaluate("paperkg.show('concept:graph')")
    assert "Papers, newest first (2 on this page of 3)" in page.inner_text("#panel")
    page.click("#panel .link[data-node='paper:p1']")
    assert page.inner_text("#panel h2") == "Graph neural networks for molecules"
    related = page.eval_on_selector_all(
        "#panel h3:text-matches('^Related') + ul .link", "els => els.map(e => e.dataset.node)"
    )
    assert related == ["paper:p3"]
    page.click("#panel .link[data-node='concept:molecule']")
    assert "Papers, newest first (1)" in page.inner_text("#panel")
    assert page.problems == []


def _crowded_map() -> KnowledgeGraph:
    """400 concepts with long names in 8 groups of co-occurring concepts, 1,200 papers."""
    kg = KnowledgeGraph()
    concepts = [
        kg.add_node(Label.CONCEPT, f"c{i}", name=f"concept number {i} of group {i % 8}", df=1)
        for i in range(400)
    ]
    for i in range(1200):
        paper = kg.add_node(Label.PAPER, f"p{i}", title=f"paper {i}", year=2025)
        group = [c for k, c in enumerate(concepts) if k % 8 == i % 8]
        mentioned = {group[(i * 7 + j * j) % len(group)] for j in range(4)} | {group[i % 5]}
        for c in sorted(mentioned):
            kg.add_edge(Rel.MENTIONS, paper, c, weight=1.0)
            kg.graph.nodes[c]["df"] += 1
        for a in sorted(mentioned):
            for b in sorted(mentioned):
                if a < b:
                    if kg.graph.has_edge(a, b, Rel.CO_OCCURS):
                        kg.graph.edges[a, b, Rel.CO_OCCURS]["papers"] += 1
                    else:
                        kg.add_edge(Rel.CO_OCCURS, a, b, papers=1, strength=1.0)
    return kg


def test_first_view_of_a_crowded_map_labels_its_top_concepts(browser, tmp_path: Path) -> None:
    path = tmp_path / "crowded.html"
    html.write(_crowded_map(), path)
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-ready]", state="attached")
    # per concept, most prominent first: its label's font on screen and its box on the canvas
    rows = page.evaluate(
        """() => {
          const s = network.getScale(), c = network.canvas.frame.canvas;
          const w = c.clientWidth, h = c.clientHeight;
          const ranked = paperkg.data.nodes.filter(n => n.kind === paperkg.data.labels.concept)
            .sort((a, b) => paperkg.data.details[b.id].prominence
                             - paperkg.data.details[a.id].prominence).slice(0, 50);
          return ranked.map(n => {
            const node = network.body.nodes[n.id], z = node.labelModule.size;
            const p = network.canvasToDOM({x: z.left, y: z.top});
            return {id: n.id, label: node.options.label, px: node.options.font.size * s,
                    left: p.x, top: p.y, right: p.x + z.width * s, bottom: p.y + z.height * s,
                    w, h};
          });
        }"""
    )
    assert len(rows) == 50
    shown = [r for r in rows if r["label"]]
    assert len(shown) >= 45, [r["id"] for r in rows if not r["label"]]
    for r in shown:
        assert r["px"] >= 9, r
        assert (
            r["left"] >= 0 and r["top"] >= 0 and r["right"] <= r["w"] and r["bottom"] <= r["h"]
        ), r
    boxes = [(r["left"], r["top"], r["right"], r["bottom"]) for r in shown]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert min(a[2], b[2]) <= max(a[0], b[0]) or min(a[3], b[3]) <= max(a[1], b[1])
    page.close()
