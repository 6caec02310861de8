"""Categories, venue, keywords and references from the inputs, in the graph and every output.

Hand-checked facts of the fixtures (tests/data/openalex/works.json and
tests/data/semantic_scholar/papers.json read together):

* OpenAlex W3119876543 and Semantic Scholar 649def34... are the same paper (same DOI):
  merged into W3119876543, categories "Machine Learning in Materials Science",
  "Crystallography" (OpenAlex topics), "Physics", "Computer Science" (fieldsOfStudy);
  venue "Physical Review B"; keyword "Symmetry"; references W1500000003, W2000000001
  (OpenAlex) and ffff... (Semantic Scholar).
* W4200000002 and Semantic Scholar 000...02 are one paper (same arXiv id): categories
  "Crystallography" (legacy OpenAlex concept), "Mathematics" (s2FieldsOfStudy); venue
  "Journal of Invariants"; references W3119876543, W1500000003, W2000000001 (OpenAlex),
  649def34... (the merged-away id of W3119876543) and ffff...
* So: CITES W3119876543 -> W1500000003, W4200000002 -> W3119876543 and -> W1500000003;
  Work nodes W2000000001 and ffff...; the two papers share 3 references out of 3 and 4:
  COUPLED_WITH weight 3 / sqrt(12) = 0.866025.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from exporters import cypher_script, embedded, files, neo4j_csv
from graph_builder import KnowledgeGraph, build_graph, read_papers
from graph_builder.citations import add_citations
from graph_builder.model import Paper
from graph_builder.schema import Label, Rel

FFF = "f" * 40
_LINKS = json.loads(
    (Path(__file__).resolve().parents[1] / "data" / "openalex" / "expected_links.json").read_text()
)
EXPECTED_CITES = {tuple(pair) for pair in _LINKS["cites"]}
EXPECTED_WORKS = {tuple(pair) for pair in _LINKS["works"]}
EXPECTED_CATEGORIES = {tuple(pair) for pair in _LINKS["categories"]}


@pytest.fixture(scope="module")
def cited_graph(data_dir: Path) -> KnowledgeGraph:
    corpus = read_papers(
        [data_dir / "openalex" / "works.json", data_dir / "semantic_scholar" / "papers.json"],
        skip_bad=True,
    )
    return build_graph(corpus)


def _pairs(kg: KnowledgeGraph, rel: Rel) -> set[tuple[str, str]]:
    return {(u.split(":", 1)[1], v.split(":", 1)[1]) for u, v, _ in kg.edges(rel)}


def test_the_graph_holds_categories_venue_keywords_and_references(
    cited_graph: KnowledgeGraph,
) -> None:
    paper = cited_graph.graph.nodes["paper:W3119876543"]
    assert paper["categories"] == [
        "Machine Learning in Materials Science", "Crystallography", "Physics", "Computer Science",
    ]  # fmt: skip
    assert (paper["venue"], paper["keywords"]) == ("Physical Review B", ["Symmetry"])
    other = cited_graph.graph.nodes["paper:W4200000002"]
    assert (other["categories"], other["venue"]) == (
        ["Crystallography", "Mathematics"],
        "Journal of Invariants",
    )
    assert (
        "keywords" not in other and "categories" not in cited_graph.graph.nodes["paper:W1500000003"]
    )
    assert _pairs(cited_graph, Rel.IN_CATEGORY) == EXPECTED_CATEGORIES
    assert cited_graph.count(Label.CATEGORY) == 5
    assert _pairs(cited_graph, Rel.CITES) == EXPECTED_CITES
    assert _pairs(cited_graph, Rel.CITES_WORK) == EXPECTED_WORKS
    assert {d["work_id"] for _, d in cited_graph.nodes(Label.WORK)} == {"W2000000001", FFF}
    [(u, v, coupled)] = list(cited_graph.edges(Rel.COUPLED_WITH))
    assert (u, v) == ("paper:W3119876543", "paper:W4200000002")
    assert coupled["shared"] == ["W1500000003", "W2000000001", FFF]
    assert (coupled["count"], coupled["weight"]) == (3, 0.866025)


def test_coupling_needs_a_shared_reference_and_skips_self_citations() -> None:
    papers = [
        Paper("a", "x", references=("a", "w1", "w2")),
        Paper("b", "y", references=("w2",)),
        Paper("c", "z", references=("w3",)),
    ]
    kg = KnowledgeGraph()
    for p in papers:
        kg.add_node(Label.PAPER, p.paper_id)
    add_citations(kg, papers)
    assert _pairs(kg, Rel.CITES) == set()  # "a" citing itself is dropped
    [(u, v, data)] = list(kg.edges(Rel.COUPLED_WITH))
    assert (u, v, data["shared"], data["count"]) == ("paper:a", "paper:b", ["w2"], 1)
    assert data["weight"] == round(1 / 2**0.5, 6)  # a has 2 references, b has 1


def test_every_file_output_holds_them(cited_graph: KnowledgeGraph, tmp_path: Path) -> None:
    for write, read in (
        (files.write_json, files.read_json),
        (files.write_graphml, files.read_graphml),
        (files.write_gexf, files.read_gexf),
    ):
        write(cited_graph, tmp_path / "g")
        back = read(tmp_path / "g")
        assert _pairs(back, Rel.CITES) == EXPECTED_CITES, write
        assert _pairs(back, Rel.CITES_WORK) == EXPECTED_WORKS, write
        assert _pairs(back, Rel.IN_CATEGORY) == EXPECTED_CATEGORIES, write
        assert back.graph.nodes["paper:W4200000002"]["categories"] == [
            "Crystallography",
            "Mathematics",
        ]
        [(*_, coupled)] = list(back.edges(Rel.COUPLED_WITH))
        assert coupled["shared"] == ["W1500000003", "W2000000001", FFF]


def test_the_cypher_script_and_the_import_csv_hold_them(
    cited_graph: KnowledgeGraph, tmp_path: Path
) -> None:
    cypher_script.write(cited_graph, tmp_path / "g.cypher")
    text = (tmp_path / "g.cypher").read_text(encoding="utf-8")
    assert "MERGE (a)-[r:`CITES`]->(b)" in text and "MERGE (a)-[r:`COUPLED_WITH`]->(b)" in text
    assert "(b:`Work` {`work_id`: row.target})" in text
    assert "'Journal of Invariants'" in text and "'Machine Learning in Materials Science'" in text
    neo4j_csv.write(cited_graph, tmp_path / "csv")
    with (tmp_path / "csv" / "relationships-CITES.csv").open(encoding="utf-8") as stream:
        rows = list(csv.reader(stream))
    assert {(r[0], r[1]) for r in rows[1:]} == EXPECTED_CITES
    with (tmp_path / "csv" / "nodes-Category.csv").open(encoding="utf-8") as stream:
        assert len(list(csv.reader(stream))) == 1 + 5
    with (tmp_path / "csv" / "relationships-COUPLED_WITH.csv").open(encoding="utf-8") as stream:
        header, row = list(csv.reader(stream))
    assert dict(zip(header, row, strict=True))["count:long"] == "3"


def test_the_embedded_store_holds_them(cited_graph: KnowledgeGraph, tmp_path: Path) -> None:
    embedded.write(cited_graph, tmp_path / "g.lbug")
    cites = embedded.query(
        tmp_path / "g.lbug",
        "MATCH (a:Paper)-[:CITES]->(b:Paper) RETURN a.paper_id, b.paper_id",
    ).rows
    assert {tuple(r) for r in cites} == EXPECTED_CITES
    works = embedded.query(
        tmp_path / "g.lbug",
        "MATCH (a:Paper)-[:CITES_WORK]->(w:Work) RETURN a.paper_id, w.work_id",
    ).rows
    assert {tuple(r) for r in works} == EXPECTED_WORKS
    rows = embedded.query(
        tmp_path / "g.lbug",
        "MATCH (p:Paper)-[:IN_CATEGORY]->(c:Category) RETURN p.paper_id, c.name",
    ).rows
    assert {tuple(r) for r in rows} == EXPECTED_CATEGORIES
    [[venue, categories]] = embedded.query(
        tmp_path / "g.lbug",
        "MATCH (p:Paper {paper_id: 'W4200000002'}) RETURN p.venue, p.categories",
    ).rows
    assert (venue, categories) == ("Journal of Invariants", ["Crystallography", "Mathematics"])
    [[shared, weight]] = embedded.query(
        tmp_path / "g.lbug", "MATCH ()-[c:COUPLED_WITH]->() RETURN c.shared, c.weight"
    ).rows
    assert (shared, weight) == (["W1500000003", "W2000000001", FFF], 0.866025)


def test_readers_keep_the_fields(data_dir: Path, tmp_path: Path) -> None:
    [first, *_] = [
        p for p in read_papers([data_dir / "arxiv" / "query.atom"], skip_bad=True).papers
    ]
    assert first.categories == ("cond-mat.dis-nn", "cs.LG")
    assert first.venue == "Phys. Rev. B 103, 014101 (2021)"
    records = [
        {"id": "1", "abstract": "a", "categories": "cs.LG stat.ML", "journal": "JMLR",
         "keywords": "graphs; spin glass", "references": ["10.1/x", {"id": "W9"}]},
        {"id": "2", "abstract": "b", "categories": "Physics; Soft matter",
         "keywords": ["one", "one", " "], "venue": "NeurIPS", "references": "10.1/x, W9"},
        {"id": "3", "abstract": "c", "categories": ["cs.AI"]},
    ]  # fmt: skip
    path = tmp_path / "records.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    papers = read_papers([path]).papers
    assert [p.categories for p in papers] == [
        ("cs.LG", "stat.ML"), ("Physics", "Soft matter"), ("cs.AI",),
    ]  # fmt: skip
    assert [p.venue for p in papers] == ["JMLR", "NeurIPS", None]
    assert [p.keywords for p in papers] == [("graphs", "spin glass"), ("one",), ()]
    assert [p.references for p in papers] == [("10.1/x", "W9"), ("10.1/x", "W9"), ()]
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        json.dumps({"id": "4", "abstract": "d", "categories": 7}) + "\n" + json.dumps(records[2])
    )
    corpus = read_papers([bad], skip_bad=True)
    assert [str(b) for b in corpus.bad] == [
        f"{bad}: line 1: field 'categories' must be a list or a string, found int"
    ]


def test_bibtex_and_ris_keep_venue_and_keywords(tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@inproceedings{noether2022,\n"
        "  title = {Graph neural networks on invariant domains},\n"
        "  booktitle = {ICML},\n"
        "  keywords = {invariance, graph neural networks},\n"
        "  abstract = {Graph neural networks on an invariant domain learn invariant maps.}\n"
        "}\n",
        encoding="utf-8",
    )
    [paper] = read_papers([bib]).papers
    assert (paper.venue, paper.keywords) == ("ICML", ("invariance", "graph neural networks"))
    ris = tmp_path / "refs.ris"
    ris.write_text(
        "TY  - JOUR\nTI  - Deep neural networks for symmetry detection in crystals\n"
        "T2  - Physical Review B\nKW  - symmetry\nKW  - crystals\n"
        "AB  - We train deep neural networks to detect symmetry in crystals.\nER  - \n",
        encoding="utf-8",
    )
    [paper] = read_papers([ris]).papers
    assert (paper.venue, paper.keywords) == ("Physical Review B", ("symmetry", "crystals"))


def test_author_keywords_can_seed_concepts(tmp_path: Path) -> None:
    from graph_builder.pipeline import BuildOptions

    records = [
        {"id": "1", "keywords": ["neural memory"],
         "abstract": "We simulate the Edwards-Anderson spin glass model at low temperature."},
        {"id": "2", "abstract": "A spin glass model of neural memory stores many patterns."},
    ]  # fmt: skip
    path = tmp_path / "records.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    corpus = read_papers([path])

    def concepts(options: BuildOptions) -> set[str]:
        return {d["key"] for _, d in build_graph(corpus, options).nodes(Label.CONCEPT)}

    # "neural memory" is written inside "neural memory store" (paper 2) only
    assert "neural memory" not in concepts(BuildOptions())
    seeded = build_graph(corpus, BuildOptions(author_keywords=True))
    # a seed is a concept wherever its words are written: here in paper 2, not in paper 1
    assert seeded.graph.nodes["concept:neural memory"]["df"] == 1
    assert ("paper:2", "concept:neural memory") in {
        (u, v) for u, v, _ in seeded.edges(Rel.MENTIONS)
    }
    assert seeded.graph.nodes["paper:1"]["keywords"] == ["neural memory"]


def test_author_keywords_option_is_checked(tmp_path: Path, example_path: Path) -> None:
    from typer.testing import CliRunner

    from graph_builder.cli import app

    args = ["build", str(example_path), "-o", str(tmp_path / "out"), "-q"]
    result = CliRunner().invoke(app, [*args, "--author-keywords", "maybe"])
    assert result.exit_code == 2
    assert "--author-keywords must be seed or ignore, not 'maybe'" in result.output
