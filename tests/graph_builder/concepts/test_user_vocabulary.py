"""The user's thesaurus and seed files, read and applied (files under tests/data/vocabulary)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph_builder.cli import app
from graph_builder.errors import ConfigError
from graph_builder.thesaurus import Thesaurus, loose_key, read_seeds, read_thesaurus

runner = CliRunner()


@pytest.fixture
def vocabulary_dir(data_dir: Path) -> Path:
    return data_dir / "vocabulary"


def test_thesaurus_file_merges_and_drops(vocabulary_dir: Path) -> None:
    thesaurus = read_thesaurus(vocabulary_dir / "thesaurus.txt")
    assert thesaurus.lookup("neural net") == ("neural network", "neural network")
    assert thesaurus.lookup("deep neural network") == ("neural network", "neural network")
    assert thesaurus.lookup("this paper") is None
    assert thesaurus.lookup("lattice") == ("lattice", "lattice")
    assert "label" not in thesaurus  # the header line is not a term


def test_thesaurus_line_with_three_columns_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "thesaurus.txt"
    path.write_text("label\treplace by\nok\tfine\na\tb\tc\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"thesaurus\.txt:3: .*label<TAB>replace by"):
        read_thesaurus(path)


def test_seed_file_skips_comments_and_blank_lines(vocabulary_dir: Path) -> None:
    assert read_seeds(vocabulary_dir / "seeds.txt") == ("mean-field", "symmetries")


def test_plural_s_is_ignored_when_matching_user_terms() -> None:
    assert loose_key("lattice symmetries") == "lattice symmetry"
    assert loose_key("spin glasses") == "spin glass"
    assert loose_key("analysis of physics") == "analysis of physics"
    assert Thesaurus.from_pairs([("Spin-Glasses", "")]).lookup("spin glass") is None


def concepts_by_paper(*options: str, papers: Path) -> dict[str, list[str]]:
    result = runner.invoke(app, ["concepts", str(papers), "--top", "50", "--json", "-q", *options])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.output.splitlines()]
    return {r["id"]: [c["key"] for c in r["concepts"]] for r in records}


def test_concepts_command_applies_thesaurus_and_seeds(vocabulary_dir: Path) -> None:
    papers = vocabulary_dir / "papers.jsonl"
    plain = concepts_by_paper(papers=papers)
    # Without the user's files: "neural net" and "deep neural network" are concepts of
    # paper a, "mean field" only lives inside "mean-field theory"... (a hyphenated
    # modifier is kept anyway), and "symmetry" is never a term on its own.
    assert {"neural net", "deep neural network"} <= set(plain["a"])
    assert "symmetry" not in plain["a"] + plain["b"]
    custom = concepts_by_paper(
        "--thesaurus",
        str(vocabulary_dir / "thesaurus.txt"),
        "--seeds",
        str(vocabulary_dir / "seeds.txt"),
        papers=papers,
    )
    assert "neural net" not in custom["a"]
    assert "deep neural network" not in custom["a"]
    assert "neural network" in custom["a"]
    assert "neural network" in custom["b"]
    assert "symmetry" in custom["a"]
    assert "symmetry" in custom["b"]
    assert "mean field" in custom["a"]


def test_missing_thesaurus_is_one_error_line(vocabulary_dir: Path, tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    result = runner.invoke(
        app, ["concepts", str(vocabulary_dir / "papers.jsonl"), "--thesaurus", str(missing)]
    )
    assert result.exit_code == 2
    assert "nope.txt" in result.output


def test_one_singular_rule_for_user_terms_and_looked_up_names() -> None:
    from graph_builder.concepts.terms import singular
    from graph_builder.model import KnowledgeGraph
    from graph_builder.navigation import find_concept
    from graph_builder.schema import Label

    assert [singular(w) for w in ("symmetries", "glasses", "physics", "corpus")] == [
        "symmetry",
        "glass",
        "physics",
        "corpus",
    ]
    kg = KnowledgeGraph()
    node = kg.add_node(Label.CONCEPT, "lattice symmetry", name="lattice symmetry")
    # A plural "ies" was cut to "ie" by the lookup's own rule ("lattice symmetrie").
    assert find_concept(kg, "Lattice symmetries") == node
