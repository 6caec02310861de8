from pathlib import Path

import pytest

from graph_builder import InputError, read_papers
from graph_builder.ingest import similar_papers


def test_example_page_has_ten_papers_with_iso_dates(example_path: Path) -> None:
    corpus = read_papers([example_path])
    assert len(corpus.papers) == 10
    assert [p.date for p in corpus.papers][:3] == ["2017-10-04", "2024-02-14", "2016-12-30"]
    assert corpus.papers[-1].date == "2023-09-14"
    assert all(p.year == int(p.date[:4]) for p in corpus.papers)
    assert all(p.abstract and not p.title for p in corpus.papers)


def test_reference_date_and_heading_become_notes_not_papers(example_path: Path) -> None:
    corpus = read_papers([example_path])
    kinds = [(n.kind, n.text, n.date) for n in corpus.notes]
    assert kinds == [
        ("reference_paper", "April 8, 2015", "2015-04-08"),
        ("heading", "Similar papers 3", None),
    ]
    assert not any(p.date == "2015-04-08" for p in corpus.papers)
    assert not any("Similar papers" in p.abstract for p in corpus.papers)


def test_truncated_abstracts_lose_the_cut_word(example_path: Path) -> None:
    first = read_papers([example_path]).papers[0]
    assert first.truncated
    assert first.abstract.endswith("where an unsupervised learning")


def test_odd_page(data_dir: Path) -> None:
    corpus = read_papers([data_dir / "similar_papers" / "odd.txt"])
    first, second = corpus.papers
    assert first.abstract == (
        "We study graph neural networks on a G-invariant domain, “a hard case” for 50% of"
    )
    assert first.source.endswith("odd.txt:5")
    assert second.date == "2021-02-02" and not second.truncated
    assert [n.kind for n in corpus.notes] == [
        "reference_paper",
        "heading",
        "paper_without_abstract",
    ]
    assert corpus.notes[-1].date == "2022-03-09"


def test_ids_are_stable_hashes(data_dir: Path) -> None:
    once = [p.paper_id for p in read_papers([data_dir / "similar_papers" / "odd.txt"]).papers]
    again = [p.paper_id for p in read_papers([data_dir / "similar_papers" / "odd.txt"]).papers]
    assert once == again
    assert all(i.startswith("paper-") and len(i) == 18 for i in once)


def test_sniff() -> None:
    assert similar_papers.sniff("\n  October 4, 2017\nSome abstract.")
    assert not similar_papers.sniff('{"id": 1}')


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("no_date.txt", "line 1: expected a date line such as 'October 4, 2017'"),
        ("not_a_page.txt", "expected a date line"),
        ("latin1.txt", "line 2: not UTF-8 text (byte 0xe9)"),
    ],
)
def test_bad_pages_name_file_and_line(data_dir: Path, name: str, message: str) -> None:
    path = data_dir / "similar_papers" / name
    with pytest.raises(InputError, match="^" + str(path).replace(".", r"\.")) as info:
        read_papers([path], format="similar-papers")
    assert message in str(info.value)
