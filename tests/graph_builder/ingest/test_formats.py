"""Each reader on a realistic sample written for the test: several records, odd cases."""

from pathlib import Path

import pytest

from graph_builder import InputError, read_papers
from graph_builder.ingest import detect_format

DOI = "10.1103/physrevb.103.014101"
ABSTRACT = "We train deep neural networks to detect symmetry in crystals."


def test_bibtex(data_dir: Path) -> None:
    corpus = read_papers([data_dir / "bibtex" / "library.bib"], skip_bad=True)
    first, second, book = corpus.papers
    assert first.paper_id == "lovelace2021"
    assert first.title == "Deep Neural Networks for Symmetry Detection in Crystals"
    # {\it deep}, $95\%$, the ffi ligature and ``hard'' rendered as text
    assert first.abstract == (
        ABSTRACT + " The networks reach 95% accuracy on the efficient “hard” cases."
    )
    assert first.authors == ("Lovelace, Ada", "Turing, Alan")
    assert (first.date, first.year) == (None, 2021)  # year + month is not a day
    assert (first.doi, first.arxiv_id) == (DOI, "2101.00001")
    assert first.source.endswith("library.bib:6")
    assert second.date == "2022-02-02" and second.url == "https://example.org/noether2022"
    assert second.abstract.endswith("learn invariant maps & equivariant ones.")
    assert second.arxiv_id is None  # a URL that is not arXiv's gives no arXiv id
    assert book.title_only and book.abstract == "" and book.year == 1987
    assert book.authors[0] == "Mézard, Marc"
    assert [str(b) for b in corpus.bad] == [
        f"{data_dir / 'bibtex' / 'library.bib'}: line 33: malformed BibTeX entry: "
        "Unexpected block start: `@article`. Was still looking for field-value closing `}`",
        f"{data_dir / 'bibtex' / 'library.bib'}: line 37: entry key 'lovelace2021' repeats an "
        "earlier entry's key",
    ]


def test_bibtex_stops_at_the_first_bad_entry_without_skip_bad(data_dir: Path) -> None:
    with pytest.raises(InputError, match=r"library\.bib: line 33: malformed BibTeX entry"):
        read_papers([data_dir / "bibtex" / "library.bib"])


def test_ris(data_dir: Path) -> None:
    path = data_dir / "ris" / "library.ris"
    corpus = read_papers([path], skip_bad=True)
    first, second, book, untitled = corpus.papers
    assert first.title == "Deep neural networks for symmetry detection in crystals"
    assert first.date == "2021-01-04"  # DA 2021/01/04/ wins over PY 2021///
    assert first.doi == DOI  # written as https://doi.org/10.1103/PhysRevB...
    assert first.arxiv_id == "2101.00001" and first.url == "https://arxiv.org/abs/2101.00001v1"
    assert first.authors == ("Lovelace, Ada", "Turing, Alan")
    assert second.title == "Graph neural networks on G-invariant domains"  # T1
    assert second.date == "2022-02-02" and second.authors == ("Noether, Emmy",)  # Y1, A1
    assert second.abstract.endswith("invariant maps & equivariant ones.")  # N2, &amp;
    assert book.title_only and book.year == 1987
    assert untitled.title == "" and untitled.abstract.startswith("Spin glasses and the replica")
    assert [(b.where, b.problem) for b in corpus.bad] == [
        (f"{path}: line 26", "record not closed by an 'ER  -' line"),
        (f"{path}: line 30", "record has neither an abstract nor a title"),
    ]


def test_arxiv_atom(data_dir: Path) -> None:
    path = data_dir / "arxiv" / "query.atom"
    corpus = read_papers([path], skip_bad=True)
    first, second = corpus.papers
    assert first.paper_id == "2101.00001" and first.arxiv_id == "2101.00001v2"
    assert first.title == "Deep Neural Networks for Symmetry Detection in Crystals"
    assert first.abstract == (
        ABSTRACT + ' The networks reach 95% accuracy on the efficient "hard" cases.'
    )
    assert first.date == "2021-01-04" and first.doi == DOI
    assert first.authors == ("Ada Lovelace", "Alan Turing")
    assert first.url == "http://arxiv.org/abs/2101.00001v2"
    assert first.source == f"{path}#1"
    assert second.title == "Graph Neural Networks on G-Invariant Domains"
    assert [(b.where, b.problem) for b in corpus.not_english] == [
        (f"{path}#3", "abstract not in English (looks like 'fr')")
    ]
    assert [str(b) for b in corpus.bad] == [
        f"{path}: entry 4: record has neither an abstract nor a title"
    ]


def test_openalex(data_dir: Path) -> None:
    path = data_dir / "openalex" / "works.json"
    assert detect_format(path) == "openalex"
    corpus = read_papers([path], skip_bad=True)
    first, second, book = corpus.papers
    assert first.paper_id == "W3119876543"
    assert first.abstract == ABSTRACT + " The networks reach high accuracy."
    assert first.doi == DOI and first.arxiv_id == "2101.00001"
    assert first.authors == ("Ada Lovelace", "Alan Turing") and first.date == "2021-01-04"
    # <jats:title>Abstract</jats:title><jats:p>...&amp;...</jats:p>, <i>Graph</i>
    assert second.abstract == (
        "Graph neural networks on a G-invariant domain learn invariant maps & equivariant ones."
    )
    assert second.title == "Graph neural networks on G-invariant domains"
    assert second.arxiv_id == "2202.01234v2"
    assert book.title_only
    assert [str(b) for b in corpus.bad] == [
        f"{path}: record 4: field 'abstract_inverted_index': positions of 'broken' must be "
        "a list of integers"
    ]


def test_semantic_scholar(data_dir: Path) -> None:
    path = data_dir / "semantic_scholar" / "papers.json"
    assert detect_format(path) == "semantic-scholar"
    corpus = read_papers([path], skip_bad=True)
    first, second = corpus.papers
    assert first.paper_id == "649def34f8be52c8b66281af98ae884c09aef38b"
    assert first.abstract == ABSTRACT and first.doi == DOI and first.arxiv_id == "2101.00001"
    assert first.authors == ("Ada Lovelace", "Alan Turing")
    assert second.title_only and second.year == 2022 and second.date is None
    assert [str(b) for b in corpus.bad] == [
        f"{path}: record 3: field 'title' must be a string, found list"
    ]


def test_json_array_merges_its_own_duplicates(data_dir: Path) -> None:
    path = data_dir / "json" / "papers.json"
    assert detect_format(path) == "json"
    corpus = read_papers([path], skip_bad=True)
    first, second = corpus.papers
    assert corpus.merged == 1
    assert first.paper_id == "sym-2021" and first.abstract == ABSTRACT
    assert first.source == f"{path}#1; {path}#4"
    assert second.paper_id == "7" and second.authors == ("Parisi, Giorgio",)
    assert [b.where for b in corpus.bad] == [f"{path}: record 3"]


def test_scopus_csv(data_dir: Path) -> None:
    path = data_dir / "csv" / "scopus.csv"
    corpus = read_papers([path], skip_bad=True)
    first, second, third = corpus.papers
    assert first.paper_id == "2-s2.0-85099000001"  # EID
    assert first.abstract.endswith('"hard" cases.')  # the © notice is dropped
    assert first.authors == ("Lovelace A.", "Turing A.") and first.year == 2021
    assert first.doi == DOI
    assert second.abstract.endswith("the order parameter becomes a function.")  # two lines
    assert third.title_only  # [No abstract available]
    assert [str(b) for b in corpus.bad] == [f"{path}: line 6: 2 fields, but the header has 14"]


def test_zotero_csv(data_dir: Path) -> None:
    corpus = read_papers([data_dir / "csv" / "zotero.csv"])
    first, book = corpus.papers
    assert first.paper_id == "ABCD1234" and first.abstract == ABSTRACT  # <p> removed
    assert first.date == "2021-01-04" and first.arxiv_id == "2101.00001"  # from the Url
    assert book.authors == ("Mézard, Marc", "Parisi, Giorgio") and book.title_only
    assert [b.problem for b in corpus.not_english] == ["abstract not in English (looks like 'fr')"]


def test_web_of_science_tab_delimited_txt(data_dir: Path) -> None:
    path = data_dir / "csv" / "savedrecs.txt"
    assert detect_format(path) == "csv"
    first, second = read_papers([path]).papers
    assert first.paper_id == "WOS:000600000000001" and first.year == 2021
    assert first.authors == ("Lovelace, A", "Turing, A") and first.doi == DOI
    assert second.title == "Order parameter for spin glasses"


def test_columns_override(data_dir: Path) -> None:
    path = data_dir / "csv" / "custom.tsv"
    with pytest.raises(InputError, match=r"no abstract column .*--columns abstract=HEADER"):
        read_papers([path])
    (paper,) = read_papers(
        [path], columns={"abstract": "Text", "title": "Name", "date": "When"}
    ).papers
    assert paper.title == "Graph neural networks on G-invariant domains"
    assert paper.date == "2022-02-02"


def test_missing_abstract_column(data_dir: Path) -> None:
    path = data_dir / "csv" / "no_abstract_column.csv"
    with pytest.raises(
        InputError, match=r"line 1: no abstract column \(columns: id, title, year\)"
    ):
        read_papers([path])
