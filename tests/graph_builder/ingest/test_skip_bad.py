"""--skip-bad goes on after a structural error and lists every record it leaves out."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_builder.errors import InputError
from graph_builder.ingest import read_papers

ONE = "We study graph neural networks for molecules and their properties."
TWO = "We study deep learning for protein folding with graph models."
THREE = "We study transformers for the translation of scientific text."


def test_a_bad_quote_in_a_csv_loses_only_its_line(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(f'title,abstract\nA,"{ONE}"\nB,"bad "quote" here",x\nC,"{TWO}"\n')
    corpus = read_papers([path], skip_bad=True)
    assert [p.title for p in corpus.papers] == ["A", "C"]
    assert [(b.where, b.problem) for b in corpus.bad] == [
        (f"{path}: line 3", "malformed CSV: ',' expected after '\"'")
    ]
    with pytest.raises(InputError, match=r"t\.csv: line 3: malformed CSV"):
        read_papers([path])


def test_a_stray_line_in_a_similar_papers_page_loses_only_that_line(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text(f"October 4, 2017\n{ONE}\n{THREE}\nMay 5, 2020\n{TWO}\n")
    corpus = read_papers([path], format="similar-papers", skip_bad=True)
    assert [p.abstract for p in corpus.papers] == [ONE, TWO]
    ((where, problem),) = [(b.where, b.problem) for b in corpus.bad]
    assert where == f"{path}: line 3" and THREE[:60] in problem


def test_papers_with_the_same_id_are_listed_with_the_id_they_collided_on(tmp_path: Path) -> None:
    first = tmp_path / "a.jsonl"
    first.write_text(
        f'{{"id": 1, "abstract": "{ONE}"}}\n{{"id": "1", "abstract": "{TWO}"}}\n'
        f'{{"id": NaN, "abstract": "{THREE}"}}\n{{"id": NaN, "abstract": "{ONE} Again."}}\n'
    )
    second = tmp_path / "b.jsonl"
    second.write_text(f'{{"id": "1", "abstract": "{THREE} Other."}}\n')
    corpus = read_papers([first, second])
    assert [p.paper_id for p in corpus.papers] == ["1", "nan"]
    assert [(b.where, b.problem) for b in corpus.bad] == [
        (f"{first}:2", f"duplicate id '1': the record at {first}:1 has it; this one is left out"),
        (f"{first}:4", f"duplicate id 'nan': the record at {first}:3 has it; this one is left out"),
        (f"{second}:1", f"duplicate id '1': the record at {first}:1 has it; this one is left out"),
    ]


def test_a_bibtex_entry_with_unbalanced_braces_is_a_bad_record_not_a_lost_abstract(
    tmp_path: Path,
) -> None:
    # The stray "}" in a1's title ends the entry: the parser would keep a1 with its title
    # only and read its abstract and year as a comment between entries.
    path = tmp_path / "refs.bib"
    path.write_text(
        "@article{a0,\n  title = {First},\n  abstract = {" + ONE + "}\n}\n\n"
        "@article{a1,\n  title = {Graph} networks},\n  abstract = {" + TWO + "},\n"
        "  year = {2020}\n}\n\n"
        "@article{a2,\n  title = {Third},\n  abstract = {" + THREE + "}\n}\n"
    )
    corpus = read_papers([path], skip_bad=True)
    assert [p.paper_id for p in corpus.papers] == ["a0", "a2"]
    assert [(b.where, b.problem) for b in corpus.bad] == [
        (
            f"{path}: line 6",
            "entry 'a1' ends early: its braces do not balance, and the text from line 7 "
            "is outside it",
        )
    ]
    with pytest.raises(InputError, match=r"refs\.bib: line 6: entry 'a1' ends early"):
        read_papers([path])
