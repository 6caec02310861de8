from pathlib import Path

import pytest

from graph_builder import InputError, read_papers


def test_records(data_dir: Path) -> None:
    corpus = read_papers([data_dir / "jsonl" / "records.jsonl"])
    first, title_only, no_id = corpus.papers
    assert first.paper_id == "2101.00001"
    assert first.date == "2021-01-04" and first.year == 2021
    assert first.authors == ("Ada Lovelace", "Alan Turing")
    assert first.text.startswith("Deep Neural Networks (DNNs) for Symmetry Detection. We train")
    assert first.source.endswith("records.jsonl:1")
    assert title_only.paper_id == "42" and title_only.abstract == "" and title_only.year == 2019
    assert title_only.date is None
    assert no_id.paper_id.startswith("paper-") and no_id.date == "2018-06-01"
    assert no_id.doi == "10.1000/xyz"
    assert no_id.source.endswith("records.jsonl:4")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("truncated.jsonl", "line 2: invalid JSON"),
        ("wrong_type.jsonl", "line 1: field 'abstract' must be a string, found list"),
    ],
)
def test_bad_records(data_dir: Path, name: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read_papers([data_dir / "jsonl" / name])


def test_record_without_text(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text('{"id": "a", "abstract": "ok"}\n{"id": "b"}\n')
    with pytest.raises(InputError, match=r"x\.jsonl: line 2: record has neither"):
        read_papers([path])


def test_array_line_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text("[1, 2]\n")
    with pytest.raises(InputError, match="line 1: expected a JSON object, found list"):
        read_papers([path])
