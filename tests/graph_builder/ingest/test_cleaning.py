"""Cleaning the text of records: tags, entities, unicode, placeholders; ids and names."""

import pytest

from graph_builder.ingest._common import make_paper, normalise_arxiv_id, normalise_doi
from graph_builder.ingest.language import detect_language
from graph_builder.ingest.text import clean_text
from graph_builder.linking import author_key


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        (
            "<jats:p>Spin <jats:italic>glasses</jats:italic> at low T.</jats:p>",
            "Spin glasses at low T.",
        ),
        ("<p>First.</p><p>Second.</p>", "First. Second."),
        ("a<sup>2</sup> + b<sub>i</sub>", "a2 + bi"),
        ("x<y and y>z hold", "x<y and y>z hold"),  # not tags
        ("Q&amp;A, &lt;k&gt; &#945; &#x3B2; &eacute;t&eacute;", "Q&A, <k> \u03b1 \u03b2 été"),
        ("non\u00a0breaking\u2009thin\u200bzero", "non breaking thin zero"),
        ("e\ufb03cient \ufb01eld", "efficient field"),
        ("Cafe\u0301", "Café"),  # NFC: e + combining acute is one character
        ("tab\tand\nnewline  and\r\nmore", "tab and newline and more"),
        ("bell\x07 and escape\x1b", "bell and escape"),
    ],
)
def test_clean_text(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


def test_placeholder_abstracts_and_copyright_notices() -> None:
    assert make_paper(source="s", abstract="[No abstract available]", title="T").title_only
    paper = make_paper(source="s", abstract="We find X. © 2021 Elsevier B.V. All rights reserved.")
    assert paper.abstract == "We find X."
    for notice in ("(C) 2019 IEEE.", "Copyright 2020 the authors", "COPYRIGHT 2018 ACM"):
        assert make_paper(source="s", abstract=f"We find Y. {notice}").abstract == "We find Y."
    kept = "We find Z in 2021 with copyrighted data and (c)ode."
    assert make_paper(source="s", abstract=kept).abstract == kept  # no year after the mark
    assert make_paper(source="s", abstract="Zürich tests. (c) 2020 ETH").abstract == "Zürich tests."


def test_ids() -> None:
    assert normalise_doi("doi:10.1000/ABC.") == "10.1000/abc"
    assert normalise_doi("https://dx.doi.org/10.1000/xyz") == "10.1000/xyz"
    assert normalise_arxiv_id("arXiv:2101.00001v3") == "2101.00001"
    assert normalise_arxiv_id("https://arxiv.org/pdf/2101.00001v3.pdf") == "2101.00001"
    assert normalise_arxiv_id("cond-mat/0102536v1", keep_version=True) == "cond-mat/0102536v1"
    assert normalise_arxiv_id("not an id") is None


def test_author_keys() -> None:
    assert author_key("Lovelace, Ada") == author_key("Ada Lovelace") == "ada lovelace"
    assert author_key("Mézard, Marc") == "marc mezard"
    assert author_key("J.-P. Bouchaud") == "j p bouchaud"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("We train deep neural networks to detect symmetry in crystals.", "en"),
        ("Wir untersuchen tiefe neuronale Netze und ihre Fähigkeit, Symmetrie zu erkennen.", "de"),
        ("Estudiamos las redes neuronales profundas y su capacidad para detectar simetría.", "es"),
        ("Мы изучаем глубокие нейронные сети и их способность обнаруживать симметрию.", "ru"),
        ("我们研究深度神经网络在晶体中检测对称性的能力以及它们的泛化。", "zh"),
        ("Too short to tell", "en"),
    ],
)
def test_language(text: str, language: str) -> None:
    assert detect_language(text) == language
