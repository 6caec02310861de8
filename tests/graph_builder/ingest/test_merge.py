"""Duplicates merged by DOI, then arXiv id (any version), then title; the richest fields win."""

import json
from pathlib import Path

from typer.testing import CliRunner

from graph_builder import Paper, build_graph, read_papers
from graph_builder.cli import app
from graph_builder.ingest.merge import merge_duplicates, title_key
from graph_builder.schema import Label, Rel, node_id


def test_doi_then_arxiv_then_title_transitively() -> None:
    papers = [
        Paper("a", "Short.", title="One", doi="10.1/x", year=2020),
        Paper("b", "", title="Other title entirely", arxiv_id="2101.00001v1", doi="10.1/x"),
        Paper("c", "A longer abstract.", arxiv_id="2101.00001v3", date="2021-01-04", year=2021),
        Paper("d", "Unrelated.", title="Other title entirely, isn't it"),
        Paper("e", "Cut abstract that is the longest of all", truncated=True, doi="10.1/x"),
        Paper("f", "Alone.", title="Introduction"),
        Paper("g", "Also alone.", title="Introduction"),  # too short a title to merge on
    ]
    merged, count = merge_duplicates(papers)
    assert count == 3
    assert [p.paper_id for p in merged] == ["a", "d", "f", "g"]
    first = merged[0]
    assert first.abstract == "A longer abstract." and not first.truncated  # not the cut one
    assert first.title == "Other title entirely"
    assert (first.date, first.year) == ("2021-01-04", 2021)  # a full date beats a year
    assert first.arxiv_id == "2101.00001v1" and first.doi == "10.1/x"


def test_three_formats_of_the_same_papers_make_one_graph(data_dir: Path) -> None:
    sources = [
        data_dir / "bibtex" / "library.bib",
        data_dir / "ris" / "library.ris",
        data_dir / "arxiv" / "query.atom",
    ]
    corpus = read_papers(sources, skip_bad=True)
    # lovelace2021: BibTeX (DOI + eprint), RIS (DOI URL + arXiv v1 URL), Atom (v2 + DOI);
    # noether2022: BibTeX, RIS and Atom by title; the book: BibTeX and RIS by title.
    assert [p.paper_id for p in corpus.papers] == [
        "lovelace2021",
        "noether2022",
        "mezard1987",
        corpus.papers[3].paper_id,
    ]
    assert corpus.merged == 5
    first = corpus.papers[0]
    assert first.source.count(";") == 2 and first.date == "2021-01-04"
    assert first.arxiv_id == "2101.00001" and first.url == "https://arxiv.org/abs/2101.00001v1"
    kg = build_graph(corpus)
    assert kg.count(Label.PAPER) == 4
    titles = [d.get("title", "").casefold().rstrip(".") for _, d in kg.nodes(Label.PAPER)]
    assert len(titles) == len(set(titles))
    # "Lovelace, Ada" (BibTeX, RIS) and "Ada Lovelace" (Atom) are one author
    authors = {d["key"]: d["name"] for _, d in kg.nodes(Label.AUTHOR)}
    assert authors["ada lovelace"] == "Lovelace, Ada"
    assert set(authors) == {
        "ada lovelace",
        "alan turing",
        "emmy noether",
        "marc mezard",
        "giorgio parisi",
        "miguel angel virasoro",
    }
    wrote = {(u, v): d["position"] for u, v, d in kg.edges(Rel.WROTE)}
    assert wrote[node_id(Label.AUTHOR, "alan turing"), node_id(Label.PAPER, "lovelace2021")] == 2
    assert len(wrote) == 6  # 2 + 1 + 3 authors; the untitled RIS record has none


def test_summary_says_how_many_were_merged(data_dir: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "build",
            str(data_dir / "bibtex" / "library.bib"),
            str(data_dir / "ris" / "library.ris"),
            str(data_dir / "arxiv" / "query.atom"),
            "--skip-bad",
            "--out",
            str(tmp_path / "out"),
            "-q",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Built a graph of 4 papers" in result.stdout
    assert "5 duplicate records merged" in result.stdout
    assert "1 papers kept with a title only (no abstract)" in result.stdout
    assert "5 bad records skipped" in result.stdout
    assert "  skipped: " in result.stdout and "#3: abstract not in English (looks like 'fr')" in (
        result.stdout
    )
    graph = json.loads((tmp_path / "out" / "graph.json").read_text())
    labels = [node["label"] for node in graph["nodes"]]
    assert labels.count("Paper") == 4 and labels.count("Author") == 6
    report = (tmp_path / "out" / "bad-records.tsv").read_text().splitlines()
    assert report[0] == "where\tproblem" and len(report) == 6
    assert report[1].endswith(
        "library.bib: line 33\tmalformed BibTeX entry: Unexpected block "
        "start: `@article`. Was still looking for field-value closing `}`"
    )


def test_title_keys_of_plain_and_accented_titles() -> None:
    assert title_key("Mean-Field Theory of Spin_Glasses!") == "meanfieldtheoryofspinglasses"
    assert title_key("Théorie du Champ Moyen des Verres") == "theorieduchampmoyendesverres"
    assert title_key("STRASSE im Straßenverkehr") == "strasseimstrassenverkehr"
