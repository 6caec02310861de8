import io
import json
from pathlib import Path

import networkx as nx
import pytest

from exporters import files
from graph_builder import ExportError, KnowledgeGraph
from graph_builder.schema import Label, Rel


def test_json_is_node_link_that_networkx_reads(
    example_graph: KnowledgeGraph, tmp_path: Path
) -> None:
    files.write_json(example_graph, tmp_path / "g.json")
    graph = nx.node_link_graph(json.loads((tmp_path / "g.json").read_text()))
    assert graph.number_of_nodes() == example_graph.graph.number_of_nodes()
    assert graph.number_of_edges() == example_graph.number_of_edges()
    assert all("label" in d for _, d in graph.nodes(data=True))
    assert all("type" in d for *_, d in graph.edges(data=True))
    assert {d["paper_id"] for _, d in graph.nodes(data=True) if d["label"] == "Paper"} == {
        d["paper_id"] for _, d in example_graph.nodes(Label.PAPER)
    }


@pytest.mark.parametrize(
    ("write", "read"),
    [
        (files.write_json, files.read_json),
        (files.write_graphml, files.read_graphml),
        (files.write_gexf, files.read_gexf),
    ],
)
def test_round_trip(example_graph: KnowledgeGraph, tmp_path: Path, write, read) -> None:
    write(example_graph, tmp_path / "g")
    back = read(tmp_path / "g")
    edges = back.view.edges(keys=True, data=True)
    papers_in_topics = [d for u, _, k, d in edges if k == "IN_TOPIC" and u.startswith("paper:")]
    assert len(papers_in_topics) == 10 and all(type(d["weight"]) is float for d in papers_in_topics)
    assert dict(back.graph.nodes(data=True)) == dict(example_graph.graph.nodes(data=True))
    assert sorted(back.view.edges(keys=True, data=True), key=str) == sorted(
        example_graph.view.edges(keys=True, data=True), key=str
    )
    assert len(back.mentions) == len(example_graph.mentions) > 0
    if read is not files.read_gexf:  # GEXF has no place for graph metadata
        assert back.metadata == example_graph.metadata


def test_graphml_is_plain_graphml(example_graph: KnowledgeGraph, tmp_path: Path) -> None:
    files.write_graphml(example_graph, tmp_path / "g.graphml")
    graph = nx.read_graphml(io.BytesIO((tmp_path / "g.graphml").read_bytes()))
    node = graph.nodes["concept:deep neural network"]
    assert node["label"] == "Concept"
    assert "DNN" in json.loads(node["aliases"])
    assert sum(
        1 for *_, d in graph.edges(data=True) if d["type"] == Rel.RELATED_TO
    ) == example_graph.count(Rel.RELATED_TO)


def test_writes_are_atomic(example_graph: KnowledgeGraph, tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "g.json"
    target.write_text("previous")

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(files.json, "dumps", explode)
    with pytest.raises(RuntimeError):
        files.write_json(example_graph, target)
    assert target.read_text() == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["g.json"]


def test_reading_a_missing_graph_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="run 'paperkg build' first"):
        files.read_json(tmp_path / "graph.json")


def _read_back(path: Path) -> tuple[dict, list, dict]:
    graph = nx.read_graphml(path, force_multigraph=True)
    return (
        dict(graph.nodes(data=True)),
        sorted(graph.edges(keys=True, data=True), key=str),
        graph.graph,
    )


def test_graphml_reads_back_as_networkx_own_writer_would(
    example_graph: KnowledgeGraph, tmp_path: Path
) -> None:
    files.write_graphml(example_graph, tmp_path / "ours.graphml")
    nx.write_graphml(files._flat(example_graph), tmp_path / "networkx.graphml")
    ours, theirs = _read_back(tmp_path / "ours.graphml"), _read_back(tmp_path / "networkx.graphml")
    assert ours == theirs
    assert len(ours[0]) == example_graph.graph.number_of_nodes()


def test_graphml_keeps_hostile_text_and_replaces_what_xml_forbids(tmp_path: Path) -> None:
    kg = KnowledgeGraph()
    hostile = "a \"quoted\" <b>&amp;</b> ]]> 'x' é\tline\nnext"
    kg.add_node(Label.PAPER, 'p"<1>', title=hostile, abstract="bell\x07 here", year=2020)
    files.write_graphml(kg, tmp_path / "g.graphml")
    back = files.read_graphml(tmp_path / "g.graphml")
    (data,) = [d for _, d in back.graph.nodes(data=True)]
    assert data["title"] == hostile
    assert data["paper_id"] == 'p"<1>'
    assert data["abstract"] == "bell\ufffd here"
    assert data["year"] == 2020


def _tricky_graph() -> KnowledgeGraph:
    """Text JSON escapes, an empty list, nested metadata, node/edge properties named like
    the fields node-link JSON adds (``id``, ``source``), which those fields overwrite, and
    floats JSON writes by name or whose text a cache could mix up (0.0 and -0.0)."""
    kg = KnowledgeGraph()
    kg.metadata.update({"inputs": ["a.txt"], "options": {"k": [1, {"deep": []}], "e": {}}})
    paper = kg.add_node(
        Label.PAPER, 'p"1', title="tab\there\nline é 😀 \u2028 </script>", authors=[], year=2020
    )
    concept = kg.add_node(Label.CONCEPT, "c", name="c", aliases=["C"], score=1.5e-07, id="x")
    kg.add_mention(
        paper, concept, {"type": "MENTIONS", "weight": 1.0, "spans": ["c"], "source": "y"}
    )
    # values outside the fast path: not finite, nested, not strings, a str subclass, a tuple
    kg.add_node(Label.TOPIC, "t", size=float("nan"), score=float("-inf"), top={"a": [1, 2.5]})
    kg.add_node(Label.AUTHOR, "a", name=Label.AUTHOR, positions=[1, None], pair=("x", "y"))
    kg.graph.add_node("empty")
    # plain values of the fast path: floats JSON spells out, both zeros, lists of integers
    kg.add_node(Label.CONCEPT, "z", zero=0.0, minus=-0.0, big=float("inf"), nan=float("nan"))
    kg.add_node(Label.CONCEPT, "y", zero=-0.0, minus=0.0, counts=[3, 0, -1], flags=[True, 1])
    return kg


def test_json_is_written_as_networkx_and_json_dumps_would(
    example_graph: KnowledgeGraph, tmp_path: Path
) -> None:
    for kg in (example_graph, _tricky_graph(), KnowledgeGraph()):
        files.write_json(kg, tmp_path / "g.json")
        whole = json.dumps(nx.node_link_data(kg.to_networkx()), ensure_ascii=False, indent=1) + "\n"
        assert (tmp_path / "g.json").read_text(encoding="utf-8") == whole


def test_json_layout_of_a_tiny_graph(tmp_path: Path) -> None:
    kg = KnowledgeGraph()
    kg.metadata["inputs"] = ["a.txt"]
    paper = kg.add_node(Label.PAPER, "p1", authors=["Ada", "Bo"])
    concept = kg.add_node(Label.CONCEPT, "c", name="é")
    kg.add_edge(Rel.MENTIONS, paper, concept, weight=0.5)
    files.write_json(kg, tmp_path / "g.json")
    assert (tmp_path / "g.json").read_text(encoding="utf-8") == (
        '{\n "directed": true,\n "multigraph": true,\n "graph": {\n  "inputs": [\n   "a.txt"\n'
        '  ]\n },\n "nodes": [\n  {\n   "label": "Paper",\n   "paper_id": "p1",\n'
        '   "authors": [\n    "Ada",\n    "Bo"\n   ],\n   "id": "paper:p1"\n  },\n  {\n'
        '   "label": "Concept",\n   "key": "c",\n   "name": "é",\n   "id": "concept:c"\n  }\n'
        ' ],\n "edges": [\n  {\n   "type": "MENTIONS",\n   "weight": 0.5,\n'
        '   "source": "paper:p1",\n   "target": "concept:c",\n   "key": "MENTIONS"\n  }\n ]\n}\n'
    )


def test_graphml_writes_a_missing_list_as_json_null(tmp_path: Path) -> None:
    kg = KnowledgeGraph()
    kg.add_node(Label.CONCEPT, "a", name="a", aliases=None)
    kg.add_node(Label.CONCEPT, "b", name="b", aliases=["B"])
    files.write_graphml(kg, tmp_path / "g.graphml")
    back = files.read_graphml(tmp_path / "g.graphml")
    assert [d["aliases"] for _, d in back.graph.nodes(data=True)] == [None, ["B"]]


@pytest.mark.parametrize(
    "text", ["[1, 2]", '{"nodes": []}', '{"nodes": [{"label": "Paper"}], "edges": []}', "{", "\xff"]
)
def test_reading_what_is_not_a_graph_file_says_so(tmp_path: Path, text: str) -> None:
    (tmp_path / "graph.json").write_text(text, encoding="latin-1")
    with pytest.raises(ExportError, match=r"graph\.json: not a paperkg graph file"):
        files.read_json(tmp_path / "graph.json")
