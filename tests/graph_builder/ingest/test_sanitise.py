"""Hostile characters and sizes in records: sanitised in one place, reported per record."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph_builder.cli import app
from graph_builder.errors import InputError
from graph_builder.ingest import _common, read_papers

runner = CliRunner()
ABSTRACT = "We study graph neural networks for molecules and their properties in detail."


def _jsonl(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_lone_surrogates_control_and_bidi_characters_leave_every_field(tmp_path: Path) -> None:
    # JSON escapes are the only way a lone surrogate reaches a str: UTF-8 cannot hold one.
    record = {
        "id": "p\\udfff\u001b]0;owned\u0007",
        "title": "Evil \u202egnp.exe\u202c title \\ud800",
        "abstract": ABSTRACT + " \\udfff",
        "authors": ["Ada\u200f Lovelace\u0085"],
    }
    line = json.dumps(record).replace("\\\\u", "\\u")
    (paper,) = read_papers([_jsonl(tmp_path / "a.jsonl", line)]).papers
    assert paper.paper_id == "p\ufffd]0;owned"
    assert paper.title == "Evil gnp.exe title \ufffd"
    assert paper.abstract == ABSTRACT + " \ufffd"
    assert paper.authors == ("Ada Lovelace",)
    for value in (paper.paper_id, paper.title, paper.abstract, *paper.authors):
        value.encode("utf-8")  # no surrogate left


def test_an_integer_id_of_5000_digits_is_one_bad_record(tmp_path: Path) -> None:
    path = _jsonl(
        tmp_path / "big.jsonl",
        '{"id": ' + "9" * 5000 + f', "abstract": "{ABSTRACT}"}}',
        f'{{"id": 12, "abstract": "{ABSTRACT} Again."}}',
    )
    corpus = read_papers([path], skip_bad=True)
    assert [p.paper_id for p in corpus.papers] == ["12"]
    assert [(b.where, b.problem) for b in corpus.bad] == [
        (f"{path}: line 1", "field 'id' is 5,000 characters long; the limit is 1,000")
    ]
    with pytest.raises(InputError, match="line 1: field 'id' is 5,000 characters"):
        read_papers([path])
    array = tmp_path / "big.json"
    array.write_text('[{"id": ' + "9" * 5000 + f', "abstract": "{ABSTRACT}"}}]')
    with pytest.raises(InputError, match="record 1: field 'id' is 5,000"):
        read_papers([array])


def test_a_raw_line_separator_inside_a_jsonl_string_is_not_a_line_break(tmp_path: Path) -> None:
    path = tmp_path / "sep.jsonl"
    path.write_text(f'{{"id": "a", "abstract": "{ABSTRACT}\u2028More."}}\n', encoding="utf-8")
    (paper,) = read_papers([path]).papers
    assert paper.paper_id == "a" and paper.abstract.endswith("More.")


def test_streams_are_read_up_to_a_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_common, "MAX_STREAM_BYTES", 1 << 20)
    with pytest.raises(InputError, match="/dev/zero: more than 1 MiB from a stream"):
        read_papers(["/dev/zero"], format="jsonl")
    endless = io.TextIOWrapper(io.BytesIO(b"{}" * (1 << 20)))
    monkeypatch.setattr(sys, "stdin", endless)
    with pytest.raises(InputError, match="<stdin>: more than 1 MiB"):
        read_papers(["-"], format="jsonl")


def test_ids_are_printed_escaped(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "a.jsonl", json.dumps({"id": "x\u202ey", "abstract": ABSTRACT}))
    bad = tmp_path / "evil\x1b]0;owned\x07.jsonl"
    bad.write_text("not json\n")
    result = runner.invoke(app, ["concepts", str(path), "-q", "--top", "1", "--skip-bad", str(bad)])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\u202e" not in result.output
    assert "xy  " in result.stdout
    failed = runner.invoke(app, ["concepts", str(bad), "-q"])
    assert failed.exit_code == 2
    assert "evil\\x1b]0;owned\\x07.jsonl" in failed.output and "\x1b" not in failed.output
