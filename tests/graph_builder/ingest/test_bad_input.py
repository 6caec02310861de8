"""Every reader against hostile input: one clear line, exit status 2, nothing written.

Each case is run through the command line (``paperkg build --format FMT``), as a
user would meet it, and must end with one ``paperkg: error:`` line naming the
file, no traceback, and no output directory.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph_builder import InputError, read_papers
from graph_builder.cli import app

runner = CliRunner()

ABSTRACT = "We train deep neural networks to detect symmetry in crystals."
BIG = ("x" * 999 + " ") * 50_000  # one field of 50 MB
ATOM = '<feed xmlns="http://www.w3.org/2005/Atom">{}</feed>'
ENTRY = (
    "<entry><id>http://arxiv.org/abs/2101.00001v1</id><title>T</title><summary>{}</summary></entry>"
)

#: format -> (suffix, a file holding one good record with {} where the abstract goes)
GOOD = {
    "similar-papers": (".txt", "October 4, 2017\n{}\n"),
    "jsonl": (".jsonl", '{{"id": "a", "title": "T", "abstract": "{}"}}\n'),
    "json": (".json", '[{{"id": "a", "title": "T", "abstract": "{}"}}]\n'),
    "openalex": (".json", '{{"results": [{{"id": "https://openalex.org/W1", "abstract": "{}"}}]}}'),
    "semantic-scholar": (".json", '{{"data": [{{"paperId": "p1", "abstract": "{}"}}]}}'),
    "csv": (".csv", 'id,title,abstract\na,T,"{}"\n'),
    "bibtex": (".bib", "@article{{a,\n  title = {{T}},\n  abstract = {{{}}}\n}}\n"),
    "ris": (".ris", "TY  - JOUR\nTI  - T\nAB  - {}\nER  - \n"),
    "arxiv": (".atom", ATOM.format(ENTRY)),
}

#: format -> a file with one malformed record after a good one
MALFORMED = {
    "similar-papers": "Some text before any date line.\nOctober 4, 2017\nAn abstract.\n",
    "jsonl": '{"abstract": "fine"}\n{"id": 1, abstract: "no quotes"}\n',
    "json": '[{"abstract": "fine"}, {"abstract": 5}]',
    "openalex": '[{"id": "https://openalex.org/W1", "abstract_inverted_index": {"a": "b"}}]',
    "semantic-scholar": '[{"paperId": "p", "abstract": "fine"}, {"paperId": "q", "title": [1]}]',
    "csv": 'id,title,abstract\na,T,"fine"\nb,"unclosed,\n',
    "bibtex": "@article{a, title={Fine}}\n@article{b, title = {never closed,\n",
    "ris": "TY  - JOUR\nAB  - fine\nER  - \nTY  - JOUR\nAB  - never closed\n",
    "arxiv": ATOM.format("<entry><id>x</id><title></title><summary></summary></entry>"),
}

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>x</id><title>T</title>
<summary>&lol9;</summary></entry></feed>
"""

SECRET = "paperkg-secret-4f1c"


def _external_entity(tmp_path: Path) -> str:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    return (
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE feed [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>x</id><title>T</title>'
        "<summary>&xxe; and more words to make an abstract</summary></entry></feed>\n"
    )


def _case(case: str, fmt: str, tmp_path: Path) -> bytes:
    good = GOOD[fmt][1]
    text = good.format(ABSTRACT)
    if case == "empty":
        return b""
    if case == "binary":
        return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    if case == "latin-1":
        return good.format("Des réseaux de neurones profonds détectent la symétrie.").encode(
            "latin-1"
        )
    if case == "truncated":
        return text.encode()[: len(text.encode()) * 2 // 3]
    if case == "malformed":
        return MALFORMED[fmt].encode()
    if case == "50 MB field":
        return good.format(BIG).encode()
    if case == "billion laughs":
        return BILLION_LAUGHS.encode()
    if case == "external entity":
        return _external_entity(tmp_path).encode()
    raise AssertionError(case)


CASES = [
    "empty",
    "binary",
    "latin-1",
    "truncated",
    "malformed",
    "50 MB field",
    "billion laughs",
    "external entity",
]
# A similar-papers page has no end marker: cut anywhere, it is still a page.
PAIRS = [
    (case, fmt)
    for case in CASES
    for fmt in GOOD
    if not (case == "truncated" and fmt == "similar-papers")
]


@pytest.mark.parametrize(("case", "fmt"), PAIRS, ids=[f"{c}-{f}" for c, f in PAIRS])
def test_bad_input_is_one_clear_line(case: str, fmt: str, tmp_path: Path) -> None:
    path = tmp_path / f"input{GOOD[fmt][0]}"
    path.write_bytes(_case(case, fmt, tmp_path))
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(path), "--format", fmt, "--out", str(out), "-q"])
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"paperkg: error: {path}"), lines[0]
    assert "Traceback" not in result.output and SECRET not in result.output
    assert result.stdout == ""
    assert not out.exists()


@pytest.mark.parametrize("fmt", list(GOOD))
def test_the_good_record_reads(fmt: str, tmp_path: Path) -> None:
    suffix, good = GOOD[fmt]
    path = tmp_path / f"input{suffix}"
    path.write_text(good.format(ABSTRACT))
    (paper,) = read_papers([path], format=fmt).papers
    assert paper.abstract == ABSTRACT


def test_a_cut_similar_papers_page_still_reads(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    cut = "We train deep neural networks to detect symmetry in crystals, and they de"
    path.write_text(f"October 4, 2017\n{cut}")
    assert read_papers([path]).papers[0].abstract == cut


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("billion laughs", "declares a DTD or entities, which paperkg refuses to expand"),
        ("external entity", "declares a DTD or entities, which paperkg refuses to expand"),
        ("latin-1", "line 1: not UTF-8 text (byte 0xe9); save the file as UTF-8"),
        ("50 MB field", "entry 1: field 'abstract' is 50,000,000 characters long"),
        ("truncated", "line 1: malformed XML"),
    ],
)
def test_xml_messages(case: str, message: str, tmp_path: Path) -> None:
    path = tmp_path / "feed.atom"
    path.write_bytes(_case(case, "arxiv", tmp_path))
    with pytest.raises(InputError, match=re.escape(message)):
        read_papers([path])


@pytest.mark.parametrize(
    ("fmt", "message"),
    [
        ("similar-papers", "line 1: expected a date line"),
        ("jsonl", "line 2: invalid JSON: Expecting property name enclosed in double quotes"),
        ("json", "record 2: field 'abstract' must be a string, found int"),
        ("openalex", "record 1: field 'abstract_inverted_index': positions of 'a'"),
        ("semantic-scholar", "record 2: field 'title' must be a string, found list"),
        ("csv", "line 3: malformed CSV: unexpected end of data"),
        ("bibtex", "line 2: malformed BibTeX entry"),
        ("ris", "line 4: record not closed by an 'ER  -' line"),
        ("arxiv", "entry 1: record has neither an abstract nor a title"),
    ],
)
def test_malformed_record_is_named(fmt: str, message: str, tmp_path: Path) -> None:
    path = tmp_path / f"input{GOOD[fmt][0]}"
    path.write_text(MALFORMED[fmt])
    with pytest.raises(InputError, match=message):
        read_papers([path], format=fmt)
