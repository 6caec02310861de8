"""The ``MENTIONS`` columns: the graph they give back is the networkx graph built the old way
(every edge a networkx edge), and every writer writes the same files whichever way the
columns were filled."""

from __future__ import annotations

import filecmp
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from exporters import cypher_script, embedded, files, html, neo4j_csv, vosviewer
from graph_builder import KnowledgeGraph, build_graph, read_papers
from graph_builder import mentions as mentions_module
from graph_builder.graph_index import tables
from graph_builder.mentions import Mentions
from graph_builder.schema import NAME, TYPE, Label, Rel


@pytest.fixture(scope="module")
def built(example_path: Path) -> tuple[KnowledgeGraph, Callable[[], nx.MultiDiGraph]]:
    """The example's graph, and the same graph as networkx held it before the columns (every
    edge added to one :class:`networkx.MultiDiGraph` in the order the build added it), made
    anew by each call."""
    added: list[tuple[Rel, str, str]] = []
    mentions: dict[tuple[str, str], dict[str, Any]] = {}
    add_edge = KnowledgeGraph.add_edge

    def recording(self: KnowledgeGraph, rel: Rel, source: str, target: str, **props: Any) -> None:
        added.append((rel, source, target))
        if rel == Rel.MENTIONS:
            mentions[source, target] = {TYPE: NAME[rel], **props}
        add_edge(self, rel, source, target, **props)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(KnowledgeGraph, "add_edge", recording)
        kg = build_graph(read_papers([example_path]))
    final = {(u, v, k): d for u, v, k, d in kg.graph.edges(keys=True, data=True)}

    def old_graph() -> nx.MultiDiGraph:
        old = nx.MultiDiGraph()
        old.graph.update(kg.graph.graph)
        old.add_nodes_from(kg.graph.nodes(data=True))
        for rel, u, v in added:
            name = NAME[rel]
            data = mentions[u, v] if rel == Rel.MENTIONS else final[u, v, name]
            old.add_edge(u, v, key=name, **data)
        return old

    return kg, old_graph


def test_the_graph_holds_no_mentions_and_the_columns_all(built) -> None:
    kg, old = built[0], built[1]()
    assert len(kg.mentions) == kg.count(Rel.MENTIONS) == 121
    assert not any(k == NAME[Rel.MENTIONS] for _, _, k in kg.graph.edges(keys=True))
    assert kg.number_of_edges() == old.number_of_edges()


def test_to_networkx_is_the_graph_built_the_old_way(built) -> None:
    kg, old = built[0], built[1]()
    whole = kg.to_networkx()
    assert list(whole.nodes(data=True)) == list(old.nodes(data=True))
    assert list(whole.edges(keys=True, data=True)) == list(old.edges(keys=True, data=True))
    for node in old:
        assert list(whole.out_edges(node, keys=True, data=True)) == list(
            old.out_edges(node, keys=True, data=True)
        )
    assert whole.graph == old.graph


def test_the_view_reads_edges_in_networkxs_orders(built) -> None:
    kg, old = built[0], built[1]()
    view = kg.view
    assert list(view) == list(old)
    assert list(view.edges()) == list(old.edges())
    assert list(view.edges(data=True)) == list(old.edges(data=True))
    assert list(view.edges(keys=True, data=True)) == list(old.edges(keys=True, data=True))
    for node in old:
        for keys in (False, True):
            assert list(view.in_edges(node, keys=keys, data=True)) == list(
                old.in_edges(node, keys=keys, data=True)
            )
            assert list(view.out_edges(node, keys=keys)) == list(old.out_edges(node, keys=keys))
    some = [n for n, _ in kg.nodes(Label.CONCEPT)][:5] + [n for n, _ in kg.nodes(Label.PAPER)]
    assert list(view.out_edges(some, keys=True)) == list(old.out_edges(some, keys=True))


@pytest.mark.parametrize("numpy_from", [0, mentions_module._NUMPY_FROM])
def test_mentions_come_back_by_paper_and_by_concept(
    built, numpy_from: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Indexed with numpy (big stores) and without (small ones)."""
    monkeypatch.setattr(mentions_module, "_NUMPY_FROM", numpy_from)
    old = built[1]()
    kg = KnowledgeGraph(built[1]())
    paper, concept, _ = next(kg.mentions.edges())
    kg.add_edge(Rel.MENTIONS, paper, concept, count=9)  # added again: updates the first
    old.edges[paper, concept, "MENTIONS"]["count"] = 9
    name = NAME[Rel.MENTIONS]
    assert list(kg.edges(Rel.MENTIONS)) == [
        (u, v, d) for u, v, k, d in old.edges(keys=True, data=True) if k == name
    ]
    for node in old:
        out = [(v, d) for _, v, k, d in old.out_edges(node, keys=True, data=True) if k == name]
        into = [(u, d) for u, _, k, d in old.in_edges(node, keys=True, data=True) if k == name]
        assert list(kg.mentions.of_source(node)) == out
        assert list(kg.mentions.of_target(node)) == into
        assert kg.mentions.targets(node) == [v for v, _ in out]
        assert kg.mentions.has_source(node) == bool(out)


def test_any_properties_come_back_as_added() -> None:
    store = Mentions()
    odd = [
        ("p", "a", {TYPE: "MENTIONS", "weight": 1, "spans": []}),  # an int weight
        ("p", "b", {TYPE: "MENTIONS", "count": 2, "note": {"x": [1.5]}}),  # another property
        ("q", "a", {"spans": ["x", "y"], TYPE: "MENTIONS", "count": 1, "weight": 0.5}),
        ("q", "b", {TYPE: "MENTIONS", "count": 2**70, "weight": 0.5}),  # too big for int64
        ("r", "a", {TYPE: "MENTIONS", "count": True, "weight": 0.5}),  # bool, not int
    ]
    store.add_many(odd)
    back = list(store.edges())
    assert back == odd
    assert [list(d) for _, _, d in back] == [list(d) for _, _, d in odd]  # key order too
    assert [type(d.get("weight")) for _, _, d in back] == [int, type(None), float, float, float]
    assert store.targets("q") == ["a", "b"] and store.sources("a") == ["p", "q", "r"]


def test_a_pair_added_again_updates_the_first_edge_as_networkx_does() -> None:
    kg, old = KnowledgeGraph(), nx.MultiDiGraph()
    steps = [("p", "a", {"weight": 0.5}), ("p", "b", {}), ("p", "a", {"count": 3, "weight": 0.2})]
    for u, v, props in steps:
        kg.add_edge(Rel.MENTIONS, u, v, **props)
        old.add_edge(u, v, key="MENTIONS", **{TYPE: "MENTIONS", **props})
    assert list(kg.view.edges(keys=True, data=True)) == list(old.edges(keys=True, data=True))
    assert len(kg.mentions) == 2


def test_removing_nodes_removes_their_mentions(built) -> None:
    kg = KnowledgeGraph(built[0].to_networkx())
    paper = next(n for n, _ in kg.nodes(Label.PAPER))
    gone = kg.mentions.targets(paper)[0]
    kg.remove_nodes([paper, gone])
    assert all(paper != u and gone not in (u, v) for u, v, _ in kg.edges(Rel.MENTIONS))
    assert paper not in kg.graph and len(kg.mentions) < 121


def test_reading_graph_json_fills_the_columns(built, tmp_path: Path) -> None:
    kg = built[0]
    files.write_json(kg, tmp_path / "graph.json")
    back = files.read_json(tmp_path / "graph.json")
    assert not any(k == NAME[Rel.MENTIONS] for _, _, k in back.graph.edges(keys=True))
    assert list(back.edges(Rel.MENTIONS)) == list(kg.edges(Rel.MENTIONS))
    assert list(back.view.edges(keys=True, data=True)) == list(kg.view.edges(keys=True, data=True))


def test_files_are_networkxs_own_of_the_whole_graph(built, tmp_path: Path) -> None:
    kg, old = built[0], built[1]()
    files.write_json(kg, tmp_path / "graph.json")
    whole = json.dumps(nx.node_link_data(old), ensure_ascii=False, indent=1) + "\n"
    assert (tmp_path / "graph.json").read_text(encoding="utf-8") == whole
    files.write_graphml(kg, tmp_path / "graph.graphml")
    back = nx.read_graphml(tmp_path / "graph.graphml", force_multigraph=True)
    assert [(u, v, d[TYPE]) for u, v, d in back.edges(data=True)] == [
        (u, v, k) for u, v, k in old.edges(keys=True)
    ]


def _write_all(kg: KnowledgeGraph, out: Path) -> None:
    out.mkdir()
    files.write_json(kg, out / "graph.json")
    files.write_graphml(kg, out / "graph.graphml")
    files.write_gexf(kg, out / "graph.gexf")
    cypher_script.write(kg, out / "graph.cypher")
    neo4j_csv.write(kg, out / "neo4j")
    html.write(kg, out / "graph.html")
    vosviewer.write_json(kg, out / "vos.json")
    tables.write(kg, out / "graph-index.sqlite")
    embedded.write(kg, out / "graph.lbug")


def _index_rows(path: Path) -> list[str]:
    with sqlite3.connect(path) as db:
        return list(db.iterdump())


def _store_rows(path: Path) -> list[Any]:
    rows = embedded.query(path, "MATCH (a)-[r]->(b) RETURN a, r, b").records()
    rows += embedded.query(path, "MATCH (n) RETURN n").records()
    return sorted(rows, key=repr)  # the engine scans in parallel: rows in no fixed order


def _same_files(a: Path, b: Path, names: list[str]) -> None:
    _match, mismatch, errors = filecmp.cmpfiles(a, b, names, shallow=False)
    assert (mismatch, errors) == ([], [])
    csvs = sorted(p.name for p in (a / "neo4j").iterdir())
    assert any("MENTIONS" in name for name in csvs)
    _match, mismatch, errors = filecmp.cmpfiles(a / "neo4j", b / "neo4j", csvs, shallow=False)
    assert (mismatch, errors) == ([], [])
    assert _index_rows(a / "graph-index.sqlite") == _index_rows(b / "graph-index.sqlite")
    assert _store_rows(a / "graph.lbug") == _store_rows(b / "graph.lbug")


_FILES = ["graph.json", "graph.graphml", "graph.gexf", "graph.cypher", "vos.json"]


def test_every_writer_writes_the_same_however_the_columns_were_filled(
    built, tmp_path: Path
) -> None:
    """Filled by the build; from the graph networkx held before the columns; from
    graph.json read back; from :meth:`KnowledgeGraph.to_networkx`."""
    kg, old_graph = built
    _write_all(kg, tmp_path / "built")
    _write_all(KnowledgeGraph(old_graph()), tmp_path / "old")
    _write_all(files.read_json(tmp_path / "built" / "graph.json"), tmp_path / "read")
    _write_all(KnowledgeGraph(kg.to_networkx()), tmp_path / "networkx")
    _same_files(tmp_path / "built", tmp_path / "old", [*_FILES, "graph.html"])
    _same_files(tmp_path / "read", tmp_path / "networkx", [*_FILES, "graph.html"])
    # A graph read back lists a node's in-edges by source, not as they were added (networkx
    # reads edges in file order), and the page lists narrower concepts in that order.
    _same_files(tmp_path / "built", tmp_path / "read", _FILES)
    assert "MENTIONS" in (tmp_path / "built" / "graph.cypher").read_text(encoding="utf-8")
