import html as std_html
import json
from collections import Counter
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

from exporters import html
from graph_builder import KnowledgeGraph, build_graph, read_papers
from graph_builder.schema import Label, Rel


class Resources(HTMLParser):
    """Collects every URL the page would load."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href") and value:
                self.urls.append(value)


def test_page_loads_nothing_from_the_network(example_graph) -> None:
    parser = Resources()
    parser.feed(html.render(example_graph))
    assert parser.urls == []


def test_page_is_deterministic(example_graph) -> None:
    assert html.render(example_graph) == html.render(example_graph)


def test_hostile_text_cannot_break_out_of_the_data_block(data_dir: Path, tmp_path: Path) -> None:
    kg = build_graph(read_papers([data_dir / "similar_papers" / "hostile.txt"]))
    html.write(kg, tmp_path / "g.html")
    page = (tmp_path / "g.html").read_text()
    assert "<img src=x" not in page
    assert "</script><script>window.pwned" not in page
    assert page.count("</script>") == 3  # the data block, vis-network, the page script
    assert "onerror" in page  # the text itself is kept, as escaped JSON


def payload(page: str) -> dict:
    """The data block of a page, parsed."""
    start = page.index('<script id="paperkg-data" type="application/json">')
    start = page.index(">", start) + 1
    data = json.loads(page[start : page.index("</script>", start)])
    # node lists and edges come as indices into the node list; decode them as the page does
    ids = [n["id"] for n in data["nodes"]]
    for d in data["details"].values():
        for field in ("concepts", "papers", "broader", "narrower", "cooccurring"):
            if field in d:
                d[field] = [ids[i] for i in d[field]]
        for r in d.get("related", []):
            r["node"] = ids[r["node"]]
    data["edges"] = [
        {"from": ids[a], "to": ids[b], "kind": data["kinds"][k], "width": w, "rest": rest}
        for a, b, k, w, *rest in data["edges"]
    ]
    return data


def test_hand_graph_nodes_edges_and_encoding(small_graph) -> None:
    data = payload(html.render(small_graph()))
    nodes = {n["id"]: n for n in data["nodes"]}
    assert len(nodes) == 8  # 3 papers + 5 concepts; topics are a legend, not nodes
    assert {n["shape"] for n in nodes.values() if n["id"].startswith("paper:")} == {"square"}
    assert {n["shape"] for n in nodes.values() if n["id"].startswith("concept:")} == {"dot"}
    # disc area by prominence (here paper count): radius 4 + 14 * sqrt(df / 3)
    assert nodes["concept:graph"]["size"] == 18.0
    assert nodes["concept:gnn"]["size"] == 15.4  # 4 + 14 * 0.8165
    assert nodes["concept:molecule"]["size"] == 12.1  # 4 + 14 * 0.5774
    assert nodes["concept:graph"]["font"] == {"size": 20.0}  # the most prominent: 20
    assert nodes["concept:molecule"]["font"] == {"size": 16.2}  # 11 + 9 * 0.5774
    assert nodes["paper:p1"]["label"] == "Graph neural networks for molecules (2019)"
    # no title: the first six words of the abstract, then the year
    assert (
        nodes["paper:p3"]["label"]
        == "Transformers read text <img src=x onerror=alert(1)> ... (2023)"
    )
    kinds = Counter(e["kind"] for e in data["edges"])
    assert kinds == {"MENTIONS": 9, "RELATED_TO": 2, "CO_OCCURS": 2, "BROADER": 2}
    width = {(e["from"], e["to"]): e["width"] for e in data["edges"]}
    assert width[("paper:p1", "concept:gnn")] == 3.0  # the strongest MENTIONS
    assert width[("paper:p1", "concept:graph")] == 1.75  # half as strong: 0.5 + 2.5 / 2
    assert data["years"] == [2019, 2023]
    # drawn smallest first (vis-network draws later nodes on top): papers, then by prominence
    order = [n["id"] for n in data["nodes"]]
    assert order[:3] == ["paper:p1", "paper:p2", "paper:p3"] and order[-1] == "concept:graph"


def test_topics_colour_concepts_and_make_the_legend(small_graph) -> None:
    data = payload(html.render(small_graph()))
    assert [(t["name"], t["size"], t["color"]) for t in data["legend"]] == [
        ("graph, graph neural network", 3, "#4e79a7"),
        ("molecule, transformer", 2, "#f28e2b"),
    ]
    colours = {n["id"]: n["color"] for n in data["nodes"]}
    assert colours["concept:gnn"] == colours["concept:graph"] == "#4e79a7"
    assert colours["concept:molecule"] == "#f28e2b"
    details = data["details"]
    assert details["concept:neural network"]["narrower"] == ["concept:gnn", "concept:transformer"]
    assert details["concept:gnn"]["broader"] == ["concept:neural network"]
    assert details["concept:gnn"]["cooccurring"] == ["concept:graph", "concept:molecule"]
    assert sorted(details["concept:graph"]["papers"]) == ["paper:p1", "paper:p2", "paper:p3"]
    assert details["paper:p1"]["related"][0]["node"] == "paper:p2"  # strongest first


def test_papers_in_topics_are_not_drawn_and_leave_the_legend_alone(small_graph) -> None:
    kg = small_graph()
    for paper, topic in (("p1", "0"), ("p2", "0"), ("p3", "1")):
        kg.add_edge(Rel.IN_TOPIC, f"paper:{paper}", f"topic:{topic}", weight=0.5)
    assert payload(html.render(kg)) == payload(html.render(small_graph()))


def test_communities_without_topic_nodes(small_graph) -> None:
    data = payload(html.render(small_graph(topics=False)))
    assert [(t["name"], t["size"]) for t in data["legend"]] == [
        ("graph, graph neural network, neural network", 3),  # its top 3 by paper count
        ("molecule, transformer", 2),
    ]
    assert {n["id"]: n["color"] for n in data["nodes"]}["concept:molecule"] == "#f28e2b"


def test_no_topics_no_communities_falls_back_to_shades(small_graph) -> None:
    data = payload(html.render(small_graph(topics=False, communities=False)))
    assert data["legend"] == []
    colours = {n["id"]: n["color"] for n in data["nodes"]}
    assert colours["concept:molecule"] == "#f4c542"  # df 1 of 3: the lightest
    assert colours["concept:graph"] == "#e8684a"  # df 3: 4 * 2 // 3 = 2
    assert data["details"]["concept:gnn"]["broader"] == ["concept:neural network"]


def test_pruning_keeps_top_concepts_and_strongest_edges(small_graph) -> None:
    data = payload(html.render(small_graph(), max_concepts=2, max_edges=3))
    ids = {n["id"] for n in data["nodes"]}
    # df 3 (graph), then df 2: gnn (score 0.9) before neural network (0.5)
    assert ids == {"paper:p1", "paper:p2", "paper:p3", "concept:graph", "concept:gnn"}
    s = data["summary"]
    assert (s["concepts"], s["concepts_total"]) == (2, 5)
    # between kept nodes: 5 MENTIONS, 2 RELATED_TO, 1 CO_OCCURS
    assert (s["edges"], s["edges_total"]) == (3, 8)
    assert {(e["from"], e["to"]) for e in data["edges"]} == {
        ("paper:p1", "concept:gnn"),  # 1.0 of 1.0
        ("paper:p1", "paper:p2"),  # 0.8 of 0.8
        ("concept:gnn", "concept:graph"),  # 1.5 of 1.5
    }
    assert "paper:p3" not in data["details"]["paper:p1"]["concepts"]
    assert "concept:molecule" not in data["details"]["paper:p1"]["concepts"]


def test_every_page_has_positions_and_no_physics(small_graph) -> None:
    data = payload(html.render(small_graph()))
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in data["nodes"])
    assert len({(n["x"], n["y"]) for n in data["nodes"]}) == 8  # no two on one spot
    assert data["options"]["physics"] == {"enabled": False}
    assert data["options"]["layout"] == {"improvedLayout": False}
    assert data["options"]["interaction"]["dragNodes"] is False  # a click never moves a node
    assert data["options"]["interaction"]["hover"] is True  # off from LARGE_NODES nodes


def test_concept_discs_do_not_overlap(small_graph) -> None:
    data = payload(html.render(small_graph()))
    dots = [n for n in data["nodes"] if n["kind"] == "Concept"]
    for i, a in enumerate(dots):
        for b in dots[i + 1 :]:
            gap = ((a["x"] - b["x"]) ** 2 + (a["y"] - b["y"]) ** 2) ** 0.5 - a["size"] - b["size"]
            assert gap > 0, (a["id"], b["id"], gap)


def test_each_kind_of_edge_gets_its_share_of_the_budget(small_graph) -> None:
    # 9 MENTIONS, 2 RELATED_TO, 2 CO_OCCURS, 2 BROADER; 4 edges: one of each kind, the strongest
    data = payload(html.render(small_graph(), max_edges=4))
    assert Counter(e["kind"] for e in data["edges"]) == {
        "MENTIONS": 1,
        "RELATED_TO": 1,
        "CO_OCCURS": 1,
        "BROADER": 1,
    }
    assert ("paper:p1", "concept:gnn") in {(e["from"], e["to"]) for e in data["edges"]}
    # what a kind cannot use goes to the others: 2 + 2 + 2 leave 8 of 14 to MENTIONS
    data = payload(html.render(small_graph(), max_edges=14))
    assert Counter(e["kind"] for e in data["edges"])["MENTIONS"] == 8


def test_prominence_orders_and_sizes_concepts_when_present(small_graph) -> None:
    kg = small_graph()
    kg.graph.nodes["concept:molecule"]["prominence"] = 9.0
    data = payload(html.render(kg, max_concepts=2))
    assert {i for i, d in data["details"].items() if d["kind"] == "Concept"} == {
        "concept:molecule",
        "concept:graph",
    }
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes["concept:molecule"]["size"] == 18.0  # the most prominent
    assert data["details"]["concept:molecule"]["prominence"] == 9.0
    assert data["details"]["concept:graph"]["prominence"] == 3.0  # none set: its paper count


def test_left_off_concepts_are_listed_for_search(small_graph) -> None:
    data = payload(html.render(small_graph(), max_concepts=2))
    ids = [n["id"] for n in data["nodes"]]
    more = [[name, df, p, [ids[i] for i in papers]] for name, df, p, papers in data["more"]]
    assert more == [
        ["neural network", 2, 2.0, ["paper:p3", "paper:p1"]],  # newest first
        ["molecule", 1, 1.0, ["paper:p1"]],
        ["transformer", 1, 1.0, ["paper:p3"]],
    ]


def test_panel_facts_years_links_and_orders(small_graph) -> None:
    kg = small_graph()
    kg.graph.nodes["paper:p3"]["arxiv_id"] = "2301.00001"
    kg.graph.nodes["paper:p2"]["doi"] = "10.1000/xyz"
    kg.graph.nodes["paper:p1"]["authors"] = ["Ada Lovelace", "Alan Turing"]
    kg.graph.nodes["concept:gnn"]["mean_year"] = 2020.5
    d = payload(html.render(kg))["details"]
    assert d["paper:p1"]["url"] == "https://example.org/p1"  # its own URL first
    assert d["paper:p2"]["url"] == "https://doi.org/10.1000/xyz"  # a javascript: URL is not used
    assert d["paper:p3"]["url"] == "https://arxiv.org/abs/2301.00001"
    assert d["paper:p1"]["authors"] == ["Ada Lovelace", "Alan Turing"]
    # the paper's own order of mentions, not by weight
    assert d["paper:p1"]["concepts"] == [
        "concept:gnn",
        "concept:graph",
        "concept:molecule",
        "concept:neural network",
    ]
    assert d["concept:graph"]["papers"] == ["paper:p3", "paper:p2", "paper:p1"]  # newest first
    # mean of the dates as fractional years: 2019-05-01 2019.33, 2021-02-03 2021.09,
    # 2023-07-08 2023.51 -> 2021.31
    assert d["concept:graph"]["year"] == 2021.31
    assert d["concept:gnn"]["year"] == 2020.5  # mean_year when the graph has it
    assert d["concept:graph"]["by_year"] == [[2019, 1], [2020, 0], [2021, 1], [2022, 0], [2023, 1]]


def test_only_the_biggest_topics_get_colours() -> None:
    kg = KnowledgeGraph()
    paper = kg.add_node(Label.PAPER, "p", title="t", abstract="a", year=2020)
    for t in range(html.TOPIC_COLORS + 2):
        topic = kg.add_node(Label.TOPIC, str(t), name=f"topic {t}", size=1)
        concept = kg.add_node(Label.CONCEPT, f"c{t}", name=f"c{t}", df=1)
        kg.add_edge(Rel.MENTIONS, paper, concept, weight=1.0)
        kg.add_edge(Rel.IN_TOPIC, concept, topic)
    legend = payload(html.render(kg))["legend"]
    colours = [t["color"] for t in legend]
    assert len(set(colours[: html.TOPIC_COLORS])) == html.TOPIC_COLORS
    assert colours[html.TOPIC_COLORS :] == ["#b4b4b4", "#b4b4b4"]
    assert [t.get("other", False) for t in legend].count(True) == 2


def test_to_pyvis_is_the_pages_view(small_graph) -> None:
    net = html.to_pyvis(small_graph(), max_concepts=4)
    assert sorted(n["id"] for n in net.nodes) == [
        "concept:gnn",
        "concept:graph",
        "concept:molecule",
        "concept:neural network",
    ]
    page = payload(html.render(small_graph(), max_concepts=4))
    xy = {n["id"]: (n["x"], n["y"]) for n in page["nodes"]}
    assert all((n["x"], n["y"]) == xy[n["id"]] for n in net.nodes)  # the same map
    assert {(e["from"], e["to"]) for e in net.edges} == {
        ("concept:gnn", "concept:graph"),
        ("concept:gnn", "concept:molecule"),
        ("concept:gnn", "concept:neural network"),
    }
    assert net.options.physics.enabled is False
    with_papers = html.to_pyvis(small_graph(), papers=True)
    assert len(with_papers.nodes) == 8


def test_hostile_hand_graph_is_only_escaped_json(small_graph) -> None:
    page = html.render(small_graph())
    assert "<img" not in page and "window.pwned=1</script>" not in page
    assert page.count("</script>") == 3
    assert (
        payload(page)["details"]["paper:p3"]["abstract"]
        == small_graph().graph.nodes["paper:p3"]["abstract"]
    )


def test_show_is_a_sandboxed_srcdoc_iframe(small_graph) -> None:
    shown = html.show(small_graph(), height=400)._repr_html_()
    assert shown.startswith('<iframe srcdoc="') and 'sandbox="allow-scripts"' in shown
    assert "height:400px" in shown
    srcdoc = shown[len('<iframe srcdoc="') : shown.index('" sandbox=')]
    assert '"' not in srcdoc and "<" not in srcdoc  # all escaped as entities
    assert std_html.unescape(srcdoc) == html.render(small_graph())


def test_topic_named_in_the_label_attribute_still_makes_the_legend(small_graph) -> None:
    kg = small_graph(topic_name="label")  # the topic's label attribute written over
    data = payload(html.render(kg))
    assert [t["name"] for t in data["legend"]] == [
        "graph, graph neural network",
        "molecule, transformer",
    ]
    assert len(data["nodes"]) == 8


def test_papers_are_taken_in_turns_from_the_kept_concepts(small_graph) -> None:
    # Concepts by rank: graph, gnn, neural network, molecule, transformer. Each one's papers by
    # MENTIONS weight, ties by id: graph p1 p2 p3; gnn p1 (1.0) p2; neural network p1 p3;
    # molecule p1; transformer p3. First turn: p1, p1, p1, p1, p3 -> two papers are p1 and p3.
    data = payload(html.render(small_graph(), max_papers=2))
    assert [n["id"] for n in data["nodes"] if n["kind"] == "Paper"] == ["paper:p1", "paper:p3"]
    s = data["summary"]
    assert (s["papers"], s["papers_total"], s["max_papers"]) == (2, 3, 2)
    assert sorted(data["details"]["concept:graph"]["papers"]) == ["paper:p1", "paper:p3"]
    assert data["details"]["concept:transformer"]["papers"] == ["paper:p3"]
    assert "paper:p2" not in data["details"]
    # p1-p3 is the only RELATED_TO edge left; nothing points at p2
    assert [r["node"] for r in data["details"]["paper:p1"]["related"]] == ["paper:p3"]
    assert all("paper:p2" not in (e["from"], e["to"]) for e in data["edges"])


def test_pruned_concepts_choose_the_papers(small_graph) -> None:
    # Kept: graph, gnn. First turn: p1 (graph), p1 (gnn); second: p2 (graph) -> p1, p2.
    data = payload(html.render(small_graph(), max_concepts=2, max_papers=2))
    assert [n["id"] for n in data["nodes"] if n["kind"] == "Paper"] == ["paper:p1", "paper:p2"]
    one = payload(html.render(small_graph(), max_papers=1))
    assert [n["id"] for n in one["nodes"] if n["kind"] == "Paper"] == ["paper:p1"]


def test_every_paper_is_kept_up_to_the_limit(small_graph) -> None:
    for limit in (3, None):
        s = payload(html.render(small_graph(), max_papers=limit))["summary"]
        assert (s["papers"], s["papers_total"]) == (3, 3)
    assert html.MAX_PAPERS == 2000


_LARGE_PAGE = """
import hashlib
from exporters import html
from graph_builder import KnowledgeGraph
from graph_builder.schema import Label, Rel
kg = KnowledgeGraph()
concepts = [kg.add_node(Label.CONCEPT, f"c{i}", name=f"c{i}", df=90) for i in range(20)]
for i in range(900):
    paper = kg.add_node(Label.PAPER, f"p{i}", title=f"paper {i}")
    for c in (concepts[i % 20], concepts[(i + 1) % 20]):
        kg.add_edge(Rel.MENTIONS, paper, c, weight=1.0)
print(hashlib.sha256(html.render(kg, max_papers=None).encode()).hexdigest())
"""


def test_large_page_is_the_same_in_every_process(
    outputs_by_hash_seed: Callable[[str], set[str]],
) -> None:
    # 920 nodes: the layout must not depend on set or dict order of the process
    assert len(outputs_by_hash_seed(_LARGE_PAGE)) == 1


def test_dot_size_follows_prominence_not_paper_count(small_graph) -> None:
    kg = small_graph()
    prominence = {"graph": 0.5, "gnn": 2.5, "molecule": 1.5, "neural network": 0.5}
    for key, value in prominence.items():
        kg.graph.nodes[f"concept:{key}"]["prominence"] = value
    kg.graph.nodes["concept:transformer"]["prominence"] = 0.5
    nodes = {n["id"]: n for n in payload(html.render(kg))["nodes"]}
    size = {key: nodes[f"concept:{key}"]["size"] for key in prominence}
    # gnn, the most prominent, is the biggest disc though graph has more papers; by area.
    assert size["gnn"] == max(n["size"] for n in nodes.values() if n["id"].startswith("concept:"))
    assert size["gnn"] > size["molecule"] > size["graph"] == size["neural network"]
