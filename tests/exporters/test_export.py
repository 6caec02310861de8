"""exporters.export: one call from a build directory to any target, as ``paperkg export`` does."""

from pathlib import Path

import pytest

import exporters
from exporters import files
from graph_builder.errors import ConfigError


def test_export_writes_the_target_beside_the_graph(tmp_path: Path, small_graph) -> None:
    files.write_json(small_graph(), tmp_path / "graph.json")
    assert exporters.export(tmp_path, "graphml") == tmp_path / "graph.graphml"
    assert files.read_graphml(tmp_path / "graph.graphml").counts() == small_graph().counts()
    elsewhere = tmp_path / "sub" / "map.html"
    elsewhere.parent.mkdir()
    assert exporters.export(tmp_path, "html", elsewhere, max_concepts=None) == elsewhere
    assert elsewhere.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_export_refuses_unknown_targets_and_limits_it_cannot_apply(
    tmp_path: Path, small_graph
) -> None:
    files.write_json(small_graph(), tmp_path / "graph.json")
    with pytest.raises(ConfigError, match="unknown export target 'dot'; choose one of: json, "):
        exporters.export(tmp_path, "dot")
    with pytest.raises(ConfigError, match="not to --to gexf"):
        exporters.export(tmp_path, "gexf", max_papers=3)
    assert not (tmp_path / "graph.gexf").exists()
