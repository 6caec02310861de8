from pathlib import Path

import pytest

from graph_builder import ConfigError, InputError, read_papers
from graph_builder.ingest import detect_format


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope\.txt: no such file"):
        read_papers([tmp_path / "nope.txt"])


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_text("\n  \n")
    with pytest.raises(InputError, match=r"empty\.jsonl: the file is empty"):
        read_papers([path])


def test_binary_file(data_dir: Path) -> None:
    with pytest.raises(InputError, match="cannot tell the format; use --format"):
        read_papers([data_dir / "binary.png"])
    with pytest.raises(InputError, match="binary file"):
        read_papers([data_dir / "binary.png"], format="jsonl")


def test_format_by_suffix_then_content(tmp_path: Path, data_dir: Path) -> None:
    assert detect_format(Path("a.JSONL")) == "jsonl"
    assert detect_format(Path("a.txt")) == "similar-papers"
    unnamed = tmp_path / "records"
    unnamed.write_text('{"id": "x", "abstract": "y"}\n')
    assert detect_format(unnamed) == "jsonl"


def test_unknown_format_lists_choices(example_path: Path) -> None:
    with pytest.raises(
        ConfigError,
        match="choose one of: auto, arxiv, bibtex, csv, json, jsonl, openalex, ris, "
        "semantic-scholar, similar-papers",
    ):
        read_papers([example_path], format="endnote")


def test_page_with_no_abstract_has_no_papers(tmp_path: Path) -> None:
    path = tmp_path / "header-only.txt"
    path.write_text("April 8, 2015\nSimilar papers 3\n")
    with pytest.raises(InputError, match=r"header-only\.txt: no papers found"):
        read_papers([path])


def test_several_inputs_keep_order(example_path: Path, data_dir: Path) -> None:
    corpus = read_papers([data_dir / "jsonl" / "records.jsonl", example_path])
    assert len(corpus.papers) == 13
    assert corpus.papers[0].paper_id == "2101.00001"
    assert corpus.inputs == [str(data_dir / "jsonl" / "records.jsonl"), str(example_path)]


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".txt", ".bib", ".ris"])
def test_a_byte_order_mark_alone_is_an_empty_file(tmp_path: Path, suffix: str) -> None:
    # Found by the property tests: a CSV holding only a BOM crashed the reader.
    path = tmp_path / f"bom{suffix}"
    path.write_bytes(b"\xef\xbb\xbf\n")
    with pytest.raises(InputError, match="the file is empty"):
        read_papers([path])
