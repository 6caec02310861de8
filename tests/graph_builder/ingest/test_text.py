import pytest

from graph_builder.ingest.dates import parse_date
from graph_builder.ingest.text import clean_text, strip_truncation


@pytest.mark.parametrize(
    ("latex", "plain"),
    [
        (r"It {\it associates} complex patterns", "It associates complex patterns"),
        (r"a $G$-invariant target", "a G-invariant target"),
        (
            r"``$G$-invariant neural architecture design'': What",
            "“G-invariant neural architecture design”: What",
        ),
        (r"\emph{Mean-field} theory", "Mean-field theory"),
        (r"$\alpha$-helix", "\N{GREEK SMALL LETTER ALPHA}-helix"),
        ("50% of runs & more", "50% of runs & more"),
        ("plain  text\n with\tspaces", "plain text with spaces"),
        ("the \ufb01eld", "the field"),
    ],
)
def test_clean_text(latex: str, plain: str) -> None:
    assert clean_text(latex) == plain


def test_clean_text_leaves_no_latex_markup() -> None:
    cleaned = clean_text(r"The {\bf bold} and $x^2$ and \textit{italic} words")
    assert not set(cleaned) & set("\\{}$")


def test_strip_truncation() -> None:
    assert strip_truncation("regulate learning,...") == ("regulate learning", True)
    assert strip_truncation("ends with an ellipsis \u2026") == ("ends with an ellipsis", True)
    assert strip_truncation("no ellipsis") == ("no ellipsis", False)
    assert strip_truncation("cut off i... \n") == ("cut off", True)
    assert strip_truncation("an ellipsis... inside") == ("an ellipsis... inside", False)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("April 8, 2015", ("2015-04-08", 2015)),
        ("Sept 8, 2015", (None, None)),
        ("Sep 8, 2015", ("2015-09-08", 2015)),
        ("8 April 2015", ("2015-04-08", 2015)),
        ("2015-04", (None, 2015)),
        ("February 30, 2020", (None, None)),
        ("2020-02-29", ("2020-02-29", 2020)),
        ("2021-02-29", (None, None)),
        ("2021-13-01", (None, None)),
        ("2021-3-1", ("2021-03-01", 2021)),
        ("2025-03-14T12:00:00Z", ("2025-03-14", 2025)),
    ],
)
def test_parse_date(text: str, expected: tuple) -> None:
    assert parse_date(text) == expected


def test_links_keep_their_text() -> None:
    assert clean_text(r"Code: \href{https://x.org/a%20b}{our repo}.") == "Code: our repo."


def test_latex_the_parser_cannot_read_falls_back_to_plain_text() -> None:
    # An arXiv abstract cut inside a link: pylatexenc raises IndexError on it.
    cleaned = clean_text(r"For videos, see \href{https://example.org/gasp/. And $G$ {\it too}")
    assert cleaned == "For videos, see https://example.org/gasp/. And G too"
