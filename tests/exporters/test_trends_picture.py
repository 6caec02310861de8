"""``paperkg export DIR --to trends.png|svg``: the top rising concepts' curves."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exporters import trends_picture
from graph_builder import KnowledgeGraph, build_graph, read_papers
from graph_builder.cli import app
from graph_builder.errors import ExportError

runner = CliRunner()


@pytest.fixture(scope="module")
def trends_graph(data_dir: Path) -> KnowledgeGraph:
    return build_graph(read_papers([data_dir / "neo4j" / "trends.jsonl"]))


def test_only_rising_concepts_are_drawn(trends_graph: KnowledgeGraph) -> None:
    # diffusion model (0, 0, 1, 3, 4 of each year's 4 papers) is the one rising concept;
    # spin glass (4, 3, 1, 0, 0) falls.
    assert [d["key"] for d in trends_picture.rising(trends_graph)] == ["diffusion model"]


def test_svg_names_the_rising_concept_and_is_deterministic(
    trends_graph: KnowledgeGraph, tmp_path: Path
) -> None:
    trends_picture.write_svg(trends_graph, tmp_path / "a.svg")
    trends_picture.write_svg(trends_graph, tmp_path / "b.svg")
    text = (tmp_path / "a.svg").read_text(encoding="utf-8")
    ET.fromstring(text)
    # The fitted share grows e^b - 1 a year, where b makes the fitted mean year of its 8 papers
    # equal theirs, (2 + 3 * 3 + 4 * 4) / 8 = 3.375 (years 0..4): with weights e^(b * year),
    # b = 0.9 gives 205.6 / 61.0 = 3.371, b = 1 gives 3.452, so b = 0.905: +147 %.
    assert "diffusion model (+147%)" in text
    assert "spin glass" not in text
    assert "2021" in text and "2025" in text
    assert (tmp_path / "a.svg").read_bytes() == (tmp_path / "b.svg").read_bytes()


def test_export_writes_a_png(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    built = runner.invoke(
        app, ["build", str(data_dir / "neo4j" / "trends.jsonl"), "-o", str(out), "-q"]
    )
    assert built.exit_code == 0, built.output
    result = runner.invoke(app, ["export", str(out), "--to", "trends.png"])
    assert result.exit_code == 0, result.output
    assert (out / "trends.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_graph_without_dates_says_so(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="no dated papers"):
        trends_picture.write_png(KnowledgeGraph(), tmp_path / "t.png")
    assert not (tmp_path / "t.png").exists()
