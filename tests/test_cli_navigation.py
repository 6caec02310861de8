"""paperkg show / path / topics / query on the bundled example (dates from test_example)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from graph_builder.cli import app

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "graph_builder", *args], capture_output=True, text=True
    )


def test_show_concept_mean_field(example_dir: Path) -> None:
    code, out = invoke("show", str(example_dir), "concept", "mean-field")
    assert code == 0
    assert out.startswith("mean-field  (key: mean field, 1 paper(s))")
    paper_lines = out.split("  papers:\n")[1].splitlines()
    assert len(paper_lines) == 1 and "2017-10-04" in paper_lines[0]
    assert "narrower: mean-field framework" in out
    assert "compact representation (1)" in out


def test_show_concept_json(example_dir: Path) -> None:
    code, out = invoke("show", str(example_dir), "concept", "deep neural networks", "--json")
    assert code == 0
    view = json.loads(out)
    assert view["key"] == "deep neural network"
    assert [b["name"] for b in view["broader"]] == ["neural network", "network"]
    assert len(view["papers"]) == 5


def test_show_paper(example_dir: Path) -> None:
    code, out = invoke("show", str(example_dir), "concept", "symmetry", "--json")
    paper_id = json.loads(out)["papers"][0]["paper_id"]
    code, out = invoke("show", str(example_dir), "paper", paper_id, "--json")
    assert code == 0
    view = json.loads(out)
    assert view["date"] == "2023-09-14"
    assert "symmetry transformation" in [c["key"] for c in view["concepts"]]
    code, out = invoke("show", str(example_dir), "paper", paper_id)
    assert out.startswith(f"{paper_id}  2023-09-14")


def test_show_unknown_names_exit_2_with_suggestions(example_dir: Path) -> None:
    result = run_cli("show", str(example_dir), "concept", "meanfield")
    assert result.returncode == 2
    assert result.stderr == (
        "paperkg: error: no concept 'meanfield'; nearest: mean-field, mean-field framework\n"
    )
    result = run_cli("show", str(example_dir), "author", "x")
    assert result.returncode == 2
    assert "choose one of: concept, paper" in result.stderr


def test_path(example_dir: Path) -> None:
    code, out = invoke("path", str(example_dir), "mean-field", "symmetry")
    lines = out.splitlines()
    assert code == 0 and lines[0] == "Concept: mean-field" and lines[-1] == "Concept: symmetry"
    assert "2017-10-04" in lines[1] and "2023-09-14" in lines[-2]
    code, out = invoke("path", str(example_dir), "mean-field", "symmetry", "--json")
    assert [s["label"] for s in json.loads(out)][:2] == ["Concept", "Paper"]


def test_topics(example_dir: Path) -> None:
    code, out = invoke("topics", str(example_dir), "--json")
    items = json.loads(out)
    assert code == 0 and [t["topic_id"] for t in items] == list(range(1, len(items) + 1))
    code, out = invoke("topics", str(example_dir))
    assert len(out.splitlines()) == len(items)


def test_query_table_and_json(example_dir: Path) -> None:
    cypher = "MATCH (p:Paper)-[:MENTIONS]->(c:Concept {key: 'mean field'}) RETURN p.date, c.name"
    code, out = invoke("query", str(example_dir), cypher)
    assert code == 0
    assert out.splitlines() == [
        "p.date     | c.name",
        "-----------+-----------",
        "2017-10-04 | mean-field",
        "(1 row)",
    ]
    code, out = invoke("query", str(example_dir), cypher, "--json")
    assert [json.loads(line) for line in out.splitlines()] == [
        {"p.date": "2017-10-04", "c.name": "mean-field"}
    ]


def test_query_refuses_writes_and_reports_bad_cypher(example_dir: Path) -> None:
    result = run_cli("query", str(example_dir), "CREATE (:Concept {key: 'x'})")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("paperkg: error: the embedded store is read-only")
    assert result.stderr.count("\n") == 1
    result = run_cli("query", str(example_dir), "MATCH (n RETURN n")
    assert result.returncode == 2
    assert result.stderr.startswith("paperkg: error: Parser exception: Invalid input")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_query_without_a_store(tmp_path: Path) -> None:
    result = run_cli("query", str(tmp_path), "RETURN 1")
    assert result.returncode == 2
    assert "graph.lbug: no embedded store here; run 'paperkg build' first" in result.stderr


#: What answering from the index does without: the extraction, the whole-graph libraries,
#: the exporters and the build's commands.
HEAVY = (
    "spacy",
    "networkx",
    "numpy",
    "scipy",
    "py3langid",
    "exporters",
    "ladybug",
    "pyarrow",
    "jinja2",
    "graph_builder.pipeline",
    "graph_builder.cli.build",
)
_IMPORTED = f"""
import sys
from graph_builder.cli import main
try:
    main()
finally:
    print(",".join(name for name in {HEAVY!r} if name in sys.modules))
"""


def imported(*args: str) -> tuple[int, list[str]]:
    """Run ``paperkg ARGS`` in a fresh process: its exit status and the :data:`HEAVY`
    modules it imported."""
    done = subprocess.run([sys.executable, "-c", _IMPORTED, *args], capture_output=True, text=True)
    return done.returncode, [name for name in done.stdout.splitlines()[-1].split(",") if name]


def test_the_questions_import_nothing_heavy(example_dir: Path) -> None:
    out = str(example_dir)
    paper_id = json.loads(invoke("show", out, "concept", "mean-field", "--json")[1])["papers"][0]
    for args, status in (
        (("show", out, "concept", "mean-field"), 0),
        (("show", out, "paper", paper_id["paper_id"]), 0),
        (("show", out, "concept", "meanfield"), 2),  # not found: an error line
        (("path", out, "mean-field", "symmetry"), 0),
        (("topics", out), 0),
        (("--help",), 0),
        (("show", "--help"), 0),
    ):
        assert imported(*args) == (status, []), args
    # The ranking fits each concept's trend with numpy, and needs nothing else heavy.
    assert imported("trends", out) == (0, ["numpy"])


def test_the_import_check_sees_a_heavy_import(example_dir: Path, tmp_path: Path) -> None:
    code, heavy = imported("export", str(example_dir), "--to", "gexf", "-o", str(tmp_path / "g"))
    assert code == 0 and {"networkx", "exporters", "graph_builder.cli.build"} <= set(heavy)
