"""VOSviewer's map, network and JSON files, read back by VOSviewer's documented formats.

The formats, as https://app.vosviewer.com/docs/file-types/map-and-network-file-type/
and https://app.vosviewer.com/docs/file-types/json-file-type/ document them:

* map file: tab-separated, a header line, then one item per line; columns ``id``,
  ``label``, ``description``, ``url``, ``x``, ``y``, ``cluster`` (an integer from 1 to
  1000), ``weight<NAME>`` (non-negative numbers) and ``score<NAME>`` (numbers); a
  label or description holding a comma or semicolon is enclosed in double quotes.
* network file: one link per line, ``id1<TAB>id2<TAB>strength``, no header.
* JSON: ``network`` (``items``, ``links``, ``clusters``), ``config``, ``info``; item
  ``id`` string or integer, ``label``/``description``/``url`` strings, ``x``/``y``
  floats, ``cluster`` integer 1..1000, ``weights``/``scores`` objects of numbers
  (weights non-negative); link ``source_id``, ``target_id``, ``strength`` (non-negative);
  cluster ``cluster`` and ``label``.

No VOSviewer example file is copied here: the checks below encode the documented tables.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from exporters import files, vosviewer
from graph_builder import ExportError, KnowledgeGraph
from graph_builder.cli import app
from graph_builder.schema import Label

_COLUMN = re.compile(r"^(id|label|description|url|x|y|cluster|weight<[^<>]+>|score<[^<>]+>)$")


def read_map(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """The map file's header and rows, parsed as VOSviewer documents it."""
    with path.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream, delimiter="\t", quotechar='"'))
    header, body = rows[0], rows[1:]
    assert all(_COLUMN.match(column) for column in header), header
    assert len(set(header)) == len(header)
    assert all(len(row) == len(header) for row in body)
    items = [dict(zip(header, row, strict=True)) for row in body]
    for item in items:
        assert 1 <= int(item["cluster"]) <= 1000
        float(item["x"]), float(item["y"])
        for column, value in item.items():
            if column.startswith("weight<"):
                assert float(value) >= 0
            elif column.startswith("score<") and value:
                float(value)
    assert len({item["id"] for item in items}) == len(items)
    return header, items


def read_network(path: Path, ids: set[str]) -> list[tuple[str, str, float]]:
    """The network file's links; each names two items of the map, each pair once."""
    links = []
    for line in path.read_text(encoding="utf-8").splitlines():
        first, second, strength = line.split("\t")
        assert first in ids and second in ids and first != second
        assert float(strength) >= 0
        links.append((first, second, float(strength)))
    pairs = [frozenset(link[:2]) for link in links]
    assert len(set(pairs)) == len(pairs)
    return links


def check_json(document: dict[str, Any]) -> None:
    """Assert ``document`` has the attributes and types VOSviewer's JSON format documents."""
    assert set(document) <= {"network", "config", "info"}
    network = document["network"]
    assert set(network) <= {"items", "links", "clusters"}
    types = {
        "id": (str, int),
        "label": str,
        "description": str,
        "url": str,
        "x": (float, int),
        "y": (float, int),
        "cluster": int,
        "weights": dict,
        "scores": dict,
    }
    for item in network["items"]:
        assert set(item) <= set(types), item
        assert all(isinstance(item[key], kind) for key, kind in types.items() if key in item)
        assert 1 <= item.get("cluster", 1) <= 1000
        assert all(isinstance(v, int | float) and v >= 0 for v in item.get("weights", {}).values())
        assert all(isinstance(v, int | float) for v in item.get("scores", {}).values())
    ids = {item["id"] for item in network["items"]}
    for link in network.get("links", []):
        assert set(link) == {"source_id", "target_id", "strength"}
        assert link["source_id"] in ids and link["target_id"] in ids
        assert link["strength"] >= 0
    for cluster in network.get("clusters", []):
        assert isinstance(cluster["cluster"], int) and isinstance(cluster["label"], str)
    assert all(isinstance(v, str) for v in document["config"].get("terminology", {}).values())


def test_map_and_network_files_read_back(small_graph, tmp_path: Path) -> None:
    vosviewer.write_files(small_graph(), tmp_path / "vos")
    header, items = read_map(tmp_path / "vos" / vosviewer.MAP_FILE)
    assert header == [
        "id", "label", "description", "x", "y", "cluster", "weight<Links>",
        "weight<Total link strength>", "weight<Occurrences>", "score<Avg. pub. year>",
    ]  # fmt: skip
    by_label = {item["label"]: item for item in items}
    # No prominence here, so ids by papers (df), then score:
    # graph 3; gnn 2 (0.9) before neural network 2 (0.5); ...
    assert [item["label"] for item in items] == [
        "graph", "graph neural network", "neural network", "molecule", "transformer",
    ]  # fmt: skip
    assert {label: int(item["weight<Occurrences>"]) for label, item in by_label.items()} == {
        "graph": 3, "graph neural network": 2, "neural network": 2, "molecule": 1,
        "transformer": 1,
    }  # fmt: skip
    # CO_OCCURS gnn-graph (2 papers) and gnn-molecule (1 paper)
    gnn = by_label["graph neural network"]
    assert (gnn["weight<Links>"], gnn["weight<Total link strength>"]) == ("2", "3")
    assert by_label["neural network"]["weight<Links>"] == "0"
    # mean paper year: graph p1-p3 (2019, 2021, 2023), gnn p1-p2, molecule p1, transformer p3
    assert {label: item["score<Avg. pub. year>"] for label, item in by_label.items()} == {
        "graph": "2021", "graph neural network": "2020", "neural network": "2021",
        "molecule": "2019", "transformer": "2023",
    }  # fmt: skip
    # topic "0" is the first topic node, so cluster 1; topic "1" cluster 2
    assert {label: item["cluster"] for label, item in by_label.items()} == {
        "graph": "1", "graph neural network": "1", "neural network": "1",
        "molecule": "2", "transformer": "2",
    }  # fmt: skip
    ids = {item["id"] for item in items}
    links = read_network(tmp_path / "vos" / vosviewer.NETWORK_FILE, ids)
    assert sorted(links) == [("1", "2", 2.0), ("2", "4", 1.0)]


def test_json_follows_the_documented_format_and_matches_the_map(
    small_graph, tmp_path: Path
) -> None:
    kg = small_graph()
    vosviewer.write_json(kg, tmp_path / "vos.json")
    vosviewer.write_files(kg, tmp_path / "vos")
    document = json.loads((tmp_path / "vos.json").read_text(encoding="utf-8"))
    check_json(document)
    _, rows = read_map(tmp_path / "vos" / vosviewer.MAP_FILE)
    items = document["network"]["items"]
    assert [(str(i["id"]), i["label"], str(i["cluster"])) for i in items] == [
        (r["id"], r["label"], r["cluster"]) for r in rows
    ]
    assert [(i["x"], i["y"]) for i in items] == [(float(r["x"]), float(r["y"])) for r in rows]
    assert [i["weights"]["Occurrences"] for i in items] == [3, 2, 2, 1, 1]
    assert [
        (k["source_id"], k["target_id"], k["strength"]) for k in document["network"]["links"]
    ] == [
        (1, 2, 2),
        (2, 4, 1),
    ]
    assert document["network"]["clusters"] == [
        {"cluster": 1, "label": "graph, graph neural network"},
        {"cluster": 2, "label": "molecule, transformer"},
    ]


def test_the_checks_fail_on_files_that_break_the_format(tmp_path: Path) -> None:
    (tmp_path / "map.txt").write_text("id\tlabel\tcolour\n1\ta\tred\n")
    with pytest.raises(AssertionError):
        read_map(tmp_path / "map.txt")
    (tmp_path / "map.txt").write_text("id\tlabel\tcluster\n1\ta\t1001\n")
    with pytest.raises(AssertionError):
        read_map(tmp_path / "map.txt")
    with pytest.raises(AssertionError):
        check_json({"network": {"items": [{"id": 1, "x": "0"}]}, "config": {}})
    with pytest.raises(AssertionError):
        check_json({"network": {"items": [{"id": 1, "weights": {"Links": -1}}]}, "config": {}})


def test_labels_with_separators_are_quoted_and_read_back(tmp_path: Path) -> None:
    kg = KnowledgeGraph()
    names = ["a, b; c", 'say "hi"', "tab\there\nand line"]
    for i, name in enumerate(names):
        kg.add_node(Label.CONCEPT, f"k{i}", name=name, df=3 - i, score=1.0)
    vosviewer.write_files(kg, tmp_path / "vos")
    text = (tmp_path / "vos" / vosviewer.MAP_FILE).read_text(encoding="utf-8")
    assert '\t"a, b; c"\t' in text
    _, items = read_map(tmp_path / "vos" / vosviewer.MAP_FILE)
    assert [item["label"] for item in items] == ["a, b; c", 'say "hi"', "tab here and line"]
    # no topic, no year: one "no topic" cluster, no score column
    assert {item["cluster"] for item in items} == {"1"}
    assert "score<Avg. pub. year>" not in items[0]
    assert (tmp_path / "vos" / vosviewer.NETWORK_FILE).read_text() == ""


def test_prominence_and_mean_year_are_used_when_the_graph_has_them(
    small_graph, tmp_path: Path
) -> None:
    kg = small_graph()
    kg.graph.nodes["concept:graph"]["prominence"] = 0.75
    kg.graph.nodes["concept:graph"]["mean_year"] = 2020.123456
    vosviewer.write_files(kg, tmp_path / "vos")
    header, items = read_map(tmp_path / "vos" / vosviewer.MAP_FILE)
    assert "weight<Prominence>" in header
    by_label = {item["label"]: item for item in items}
    assert by_label["graph"]["weight<Prominence>"] == "0.75"
    assert by_label["molecule"]["weight<Prominence>"] == "0"
    assert by_label["graph"]["score<Avg. pub. year>"] == "2020.1235"
    assert by_label["molecule"]["score<Avg. pub. year>"] == "2019"


def test_limits_keep_the_biggest_concepts_and_strongest_links(small_graph, tmp_path: Path) -> None:
    kg = small_graph()
    vosviewer.write_files(kg, tmp_path / "vos", max_concepts=2, max_edges=None)
    _, items = read_map(tmp_path / "vos" / vosviewer.MAP_FILE)
    assert [item["label"] for item in items] == ["graph", "graph neural network"]
    assert read_network(tmp_path / "vos" / vosviewer.NETWORK_FILE, {"1", "2"}) == [("1", "2", 2.0)]
    vosviewer.write_files(kg, tmp_path / "vos", max_concepts=None, max_edges=1)
    ids = {str(i) for i in range(1, 6)}
    assert read_network(tmp_path / "vos" / vosviewer.NETWORK_FILE, ids) == [("1", "2", 2.0)]
    with pytest.raises(ExportError, match="--max-papers does not apply"):
        vosviewer.write_files(kg, tmp_path / "vos", max_papers=2)


def test_same_graph_same_bytes_whatever_the_hash_seed(outputs_by_hash_seed, example_path) -> None:
    script = (
        "import hashlib, tempfile, pathlib\n"
        "from graph_builder import build_graph, read_papers\n"
        "from exporters import vosviewer\n"
        f"kg = build_graph(read_papers([{str(example_path)!r}]))\n"
        "d = pathlib.Path(tempfile.mkdtemp())\n"
        "vosviewer.write_files(kg, d / 'v'); vosviewer.write_json(kg, d / 'v.json')\n"
        "for p in (d / 'v' / vosviewer.MAP_FILE, d / 'v' / vosviewer.NETWORK_FILE, d / 'v.json'):\n"
        "    print(hashlib.sha256(p.read_bytes()).hexdigest())\n"
    )
    assert len(outputs_by_hash_seed(script)) == 1


def test_export_command_writes_both_targets(small_graph, tmp_path: Path) -> None:
    files.write_json(small_graph(), tmp_path / "graph.json")
    runner = CliRunner()
    result = runner.invoke(app, ["export", str(tmp_path), "--to", "vosviewer"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "vosviewer").iterdir()) == [
        vosviewer.MAP_FILE,
        vosviewer.NETWORK_FILE,
    ]
    out = tmp_path / "elsewhere"
    args = ["export", str(tmp_path), "--to", "vosviewer-json", "-o", str(out / "m.json")]
    result = runner.invoke(app, [*args, "--max-concepts", "3"])
    assert result.exit_code == 0, result.output
    assert len(json.loads((out / "m.json").read_text())["network"]["items"]) == 3
    result = runner.invoke(app, ["export", str(tmp_path), "--to", "vosviewer", "--max-papers", "1"])
    assert result.exit_code == 2 and "--max-papers does not apply" in result.output
