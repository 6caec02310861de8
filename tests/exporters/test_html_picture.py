"""The static picture (``paperkg export DIR --to png|svg``), drawn by matplotlib."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from typer.testing import CliRunner

from exporters import TARGETS, files, picture
from graph_builder.cli import app

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_png_is_a_png_of_the_expected_size(small_graph, tmp_path: Path) -> None:
    picture.write_png(small_graph(), tmp_path / "g.png")
    data = (tmp_path / "g.png").read_bytes()
    assert data.startswith(PNG_MAGIC)
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1800, 1350)  # 12 x 9 inches at 150 dpi


def test_svg_names_the_biggest_concepts_and_the_topics(small_graph, tmp_path: Path) -> None:
    picture.write_svg(small_graph(), tmp_path / "g.svg")
    root = ET.parse(tmp_path / "g.svg").getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    for name in ("graph", "graph neural network", "neural network", "molecule", "transformer"):
        assert name in texts
    assert "graph, graph neural network" in texts and "molecule, transformer" in texts  # legend
    assert "3 papers, 5 concepts, 15 edges" in texts  # caption: nothing pruned
    assert "<script" not in (tmp_path / "g.svg").read_text()


def test_picture_says_what_was_pruned(small_graph, tmp_path: Path) -> None:
    picture.write_svg(small_graph(), tmp_path / "g.svg", max_concepts=2, max_edges=3)
    root = ET.parse(tmp_path / "g.svg").getroot()
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    caption = "3 papers, 2 concepts (of 5: the most prominent), 3 edges (of 8: the strongest)"
    assert caption in texts
    assert "molecule" not in texts


def test_picture_is_deterministic(small_graph, tmp_path: Path) -> None:
    for name in ("a", "b"):
        picture.write_svg(small_graph(), tmp_path / f"{name}.svg")
        picture.write_png(small_graph(), tmp_path / f"{name}.png")
    assert (tmp_path / "a.svg").read_bytes() == (tmp_path / "b.svg").read_bytes()
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()


def test_export_to_png_and_svg_from_the_cli(small_graph, tmp_path: Path) -> None:
    files.write_json(small_graph(), tmp_path / "graph.json")
    runner = CliRunner()
    for target in ("png", "svg"):
        result = runner.invoke(app, ["export", str(tmp_path), "--to", target])
        assert result.exit_code == 0, result.output
        assert (tmp_path / TARGETS[target].default_name).stat().st_size > 1000
    assert (tmp_path / "graph.png").read_bytes().startswith(PNG_MAGIC)
    assert (tmp_path / "graph.svg").read_text().lstrip().startswith("<?xml")
