"""A hostile corpus in all nine formats, generated here: no traceback, no silent loss.

Each file holds three records, the middle one carrying one hostile payload in its id, title
or abstract. Reading a file either refuses it whole (one :class:`InputError`, which
``--skip-bad`` lists) or accounts for every record: kept, merged, set aside as bad or as not
English.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from graph_builder.errors import InputError
from graph_builder.ingest import READERS, read_papers

BASE = [
    "We study graph neural networks for molecules and their chemical properties in detail.",
    "We study deep learning for protein folding with graph models and attention layers.",
    "We study transformers for the translation of scientific text between many languages.",
]
PAYLOADS = {
    "escape": "\x1b]0;owned\x07 title \x1b[2J",
    "bidi": "\u202eevil\u202c name \u2066x\u2069",
    "surrogate": "\udfff lone \ud800 surrogates",
    "separator": "line\u2028separator\u2029here",
    "html": "<script>alert(1)</script> &amp; <img src=x onerror=alert(1)>",
    "latex": r"{unbalanced \textbf{brace $x^",
    "quotes": '"quote", comma; semicolon\ttab | pipe',
    "huge": "word " * 25_000,
    "empty": "",
    "control": "nul\x00 bell\x07 del\x7f c1\x85",
}
Record = dict[str, str]


def _records(kind: str, where: str) -> list[Record]:
    payload = PAYLOADS[kind]
    records = [
        {"id": f"r{i}", "title": f"Title {i}", "abstract": text} for i, text in enumerate(BASE)
    ]
    records[1][where] = payload if where != "abstract" else f"{BASE[1]} {payload}"
    if kind == "empty" and where == "abstract":
        records[1]["abstract"] = ""
    return records


def _text(value: str) -> str:
    """Text formats are UTF-8 files: a lone surrogate cannot be written, U+FFFD stands in."""
    return value.encode("utf-8", "replace").decode("utf-8").replace("?", "\ufffd")


def _jsonl(records: list[Record]) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


def _json(records: list[Record]) -> str:
    return json.dumps(records)


def _openalex(records: list[Record]) -> str:
    works = [
        {
            "id": f"https://openalex.org/W{n}{r['id']}",
            "title": r["title"],
            "abstract_inverted_index": {w: [i] for i, w in enumerate(r["abstract"].split())},
        }
        for n, r in enumerate(records)
    ]
    return json.dumps({"results": works})


def _semantic_scholar(records: list[Record]) -> str:
    papers = [{"paperId": r["id"], "title": r["title"], "abstract": r["abstract"]} for r in records]
    return json.dumps({"data": papers})


def _csv(records: list[Record]) -> str:
    def cell(value: str) -> str:
        return '"' + _text(value).replace('"', '""') + '"'

    rows = ["id,title,abstract"]
    rows += [",".join(cell(r[k]) for k in ("id", "title", "abstract")) for r in records]
    return "\n".join(rows) + "\n"


def _bibtex(records: list[Record]) -> str:
    return "".join(
        f"@article{{{_text(r['id'])},\n  title = {{{_text(r['title'])}}},\n"
        f"  abstract = {{{_text(r['abstract'])}}}\n}}\n\n"
        for r in records
    )


def _ris(records: list[Record]) -> str:
    return "".join(
        f"TY  - JOUR\nID  - {_text(r['id'])}\nTI  - {_text(r['title'])}\n"
        f"AB  - {_text(r['abstract'])}\nER  - \n\n"
        for r in records
    )


def _arxiv(records: list[Record]) -> str:
    def xml(value: str) -> str:  # XML 1.0 cannot hold most control characters
        return escape("".join(c for c in _text(value) if c >= " " or c in "\t\n\r"))

    entries = "".join(
        f"<entry><id>http://arxiv.org/abs/2101.0000{n}v1</id><title>{xml(r['title'])}</title>"
        f"<summary>{xml(r['abstract'])}</summary><published>2021-01-0{n + 1}T00:00:00Z"
        f"</published></entry>"
        for n, r in enumerate(records)
    )
    return f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">{entries}</feed>'


def _similar_papers(records: list[Record]) -> str:
    return "".join(
        f"October {n + 1}, 2017\n{_text(r['abstract'])}\n" for n, r in enumerate(records)
    )


WRITERS: dict[str, tuple[str, Callable[[list[Record]], str]]] = {
    "jsonl": (".jsonl", _jsonl),
    "json": (".json", _json),
    "openalex": (".json", _openalex),
    "semantic-scholar": (".json", _semantic_scholar),
    "csv": (".csv", _csv),
    "bibtex": (".bib", _bibtex),
    "ris": (".ris", _ris),
    "arxiv": (".xml", _arxiv),
    "similar-papers": (".txt", _similar_papers),
}
CASES = [
    (fmt, kind, where)
    for fmt in WRITERS
    for kind in PAYLOADS
    for where in ("id", "title", "abstract")
    if fmt not in ("arxiv", "similar-papers", "openalex") or where != "id"
    if fmt != "similar-papers" or where == "abstract"
]


def test_the_corpus_covers_every_format_with_over_50_files() -> None:
    assert set(WRITERS) == set(READERS) and len(CASES) >= 50


@pytest.mark.parametrize(("fmt", "kind", "where"), CASES)
def test_no_traceback_and_no_silent_loss(tmp_path: Path, fmt: str, kind: str, where: str) -> None:
    suffix, write = WRITERS[fmt]
    path = tmp_path / f"{kind}-{where}{suffix}"
    path.write_text(write(_records(kind, where)), encoding="utf-8", errors="surrogatepass")
    try:
        corpus = read_papers([path], fmt, skip_bad=True)
    except InputError as exc:  # refused whole: one line naming the file
        assert str(exc).startswith(str(path)) or "no papers found" in str(exc)
        assert "\n" not in str(exc)
        return
    # A similar-papers date with no abstract under it is a note, not a paper.
    dates = sum(note.kind == "paper_without_abstract" for note in corpus.notes)
    accounted = (
        len(corpus.papers) + corpus.merged + len(corpus.bad) + len(corpus.not_english) + dates
    )
    assert accounted >= 3, (corpus.papers, corpus.bad)
    for paper in corpus.papers:
        for value in (paper.paper_id, paper.title, paper.abstract, *paper.authors):
            value.encode("utf-8")  # no lone surrogate
            assert not any(c in value for c in "\x00\x07\x1b\u202e\u2066")
