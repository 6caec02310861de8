import importlib
import inspect
import json
import subprocess
import sys
from pathlib import Path

import networkx as nx
from typer.testing import CliRunner

from graph_builder.cli import COMMANDS, app

runner = CliRunner()


def test_build_writes_the_three_files_and_a_summary(example_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["build", str(example_path), "--out", str(out)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    outputs = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    assert outputs == [
        "graph-index.sqlite",
        "graph.graphml",
        "graph.html",
        "graph.json",
        "graph.lbug",
    ]
    assert (out / ".paperkg-cache.sqlite").is_file()  # the extraction cache
    assert "10 papers" in result.output
    assert "deep neural network (5)" in result.output
    graph = nx.node_link_graph(json.loads((out / "graph.json").read_text()))
    assert sum(1 for _, d in graph.nodes(data=True) if d["label"] == "Paper") == 10
    assert nx.read_graphml(out / "graph.graphml").number_of_nodes() == graph.number_of_nodes()


def test_build_is_deterministic(example_path: Path, tmp_path: Path) -> None:
    for name in ("a", "b"):
        result = runner.invoke(app, ["build", str(example_path), "-o", str(tmp_path / name), "-q"])
        assert result.exit_code == 0
    for file in ("graph.json", "graph.graphml", "graph.html", "graph-index.sqlite"):
        assert (tmp_path / "a" / file).read_bytes() == (tmp_path / "b" / file).read_bytes()


def test_concepts_json_one_line_per_paper_best_first(example_path: Path) -> None:
    result = runner.invoke(
        app, ["concepts", str(example_path), "--top", "5", "--json"], catch_exceptions=False
    )
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 10
    for record in records:
        assert set(record) == {"id", "concepts"}
        weights = [c["weight"] for c in record["concepts"]]
        assert 0 < len(weights) <= 5 and weights == sorted(weights, reverse=True)
        assert weights[0] == 1.0
        assert all(set(c) == {"key", "name", "weight"} for c in record["concepts"])
    # Paper 10 by hand: "symmetry transformations", "symmetries" (see test_example.py).
    assert records[-1]["concepts"][0]["key"] in ("symmetry transformation", "symmetry")


def test_concepts_keep_record_ids(data_dir: Path) -> None:
    result = runner.invoke(app, ["concepts", str(data_dir / "jsonl" / "records.jsonl"), "--json"])
    ids = [json.loads(line)["id"] for line in result.stdout.splitlines()]
    assert ids[:2] == ["2101.00001", "42"]


def test_concepts_text_output(example_path: Path) -> None:
    result = runner.invoke(app, ["concepts", str(example_path), "--top", "2"])
    assert result.exit_code == 0
    assert "symmetry" in result.stdout


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "graph_builder", *args], capture_output=True, text=True, cwd=cwd
    )


def test_bad_input_is_one_line_exit_2_and_no_output(tmp_path: Path, data_dir: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    cases = {
        "missing.txt": "missing.txt: no such file",
        "empty.txt": "empty.txt: the file is empty",
        str(data_dir / "binary.png"): "binary.png: cannot tell the format",
        str(data_dir / "jsonl" / "truncated.jsonl"): "truncated.jsonl: line 2: invalid JSON",
    }
    for source, message in cases.items():
        result = run_cli("build", source, "--out", "out", cwd=tmp_path)
        assert result.returncode == 2, result.stderr
        assert result.stderr.count("\n") == 1 and message in result.stderr
        assert "Traceback" not in result.stderr
        assert result.stdout == ""
        assert not (tmp_path / "out").exists()


def test_missing_model_is_a_clear_error(example_path: Path) -> None:
    result = runner.invoke(app, ["concepts", str(example_path), "--model", "en_core_sci_lg"])
    assert result.exit_code == 2
    assert "pip install en-core-sci-lg" in result.output


def test_failed_export_leaves_no_directory(example_path: Path, tmp_path: Path, monkeypatch) -> None:
    from exporters import html

    def explode(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(html, "write", explode)
    result = runner.invoke(app, ["build", str(example_path), "--out", str(tmp_path / "out")])
    assert result.exit_code != 0
    # No output is left; only the extraction cache, which the next build resumes from.
    assert [p.name for p in (tmp_path / "out").iterdir()] == [".paperkg-cache.sqlite"]
    result = runner.invoke(
        app, ["build", str(example_path), "--out", str(tmp_path / "plain"), "--no-cache"]
    )
    assert result.exit_code != 0
    assert not (tmp_path / "plain").exists()


def test_failed_store_in_its_thread_leaves_no_output(
    example_path: Path, tmp_path: Path, monkeypatch
) -> None:
    from exporters import embedded

    def explode(kg, path):
        path.write_text("half a store")
        raise OSError("disk full")

    monkeypatch.setattr(embedded, "write", explode)
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(example_path), "--out", str(out)])
    assert result.exit_code == 2
    assert result.output == f"paperkg: error: {out}: cannot write: disk full\n"
    assert [p.name for p in out.iterdir()] == [".paperkg-cache.sqlite"]


def test_failed_export_keeps_the_previous_outputs(
    example_path: Path, tmp_path: Path, monkeypatch
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.json").write_text("previous")
    from exporters import html

    monkeypatch.setattr(html, "write", lambda *a, **k: (_ for _ in ()).throw(OSError("disk full")))
    runner.invoke(app, ["build", str(example_path), "--out", str(out)])
    # The old graph.json became the current generation, as it was; nothing of the failed build.
    visible = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    assert visible == ["graph.json"]
    assert (out / "graph.json").read_text() == "previous"
    assert [p.name for p in (out / ".paperkg-current").iterdir()] == ["graph.json"]
    assert len(list((out / ".paperkg-generations").iterdir())) == 1


def test_help_explains_every_command() -> None:
    result = runner.invoke(app, ["--help"])
    assert "build" in result.output and "concepts" in result.output
    build_help = runner.invoke(app, ["build", "--help"]).output
    assert "--out" in build_help and "--model" in build_help and "--format" in build_help


def test_the_command_list_shows_each_command_s_own_help() -> None:
    """``paperkg --help`` lists the commands from a table, without importing their modules:
    the table holds each command's help as its function's docstring begins."""
    for name, (module, text) in COMMANDS.items():
        function = getattr(importlib.import_module(f"graph_builder.cli.{module}"), name)
        assert text == " ".join(inspect.getdoc(function).split("\n\n")[0].split()), name
    listed = runner.invoke(app, ["--help"]).output.split("Commands:\n")[1].splitlines()
    assert [line.split()[0] for line in listed] == list(COMMANDS)
    trends = listed[list(COMMANDS).index("trends")]
    assert trends.startswith("  trends    The map's concepts by emergence: rising first")


def test_export_writes_each_target(example_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    runner.invoke(app, ["build", str(example_path), "-o", str(out), "-q"], catch_exceptions=False)
    result = runner.invoke(app, ["export", str(out), "--to", "gexf"], catch_exceptions=False)
    assert result.exit_code == 0 and (out / "graph.gexf").exists()
    graph = nx.read_gexf(out / "graph.gexf")
    assert graph.number_of_nodes() == nx.read_graphml(out / "graph.graphml").number_of_nodes()
    target = tmp_path / "copy.graphml"
    result = runner.invoke(app, ["export", str(out), "--to", "graphml", "-o", str(target)])
    assert result.exit_code == 0 and target.read_bytes() == (out / "graph.graphml").read_bytes()


def test_export_errors_are_one_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["export", str(tmp_path), "--to", "json"])
    assert result.exit_code == 2
    assert "graph.json: no such file; run 'paperkg build' first" in result.output
    result = runner.invoke(app, ["export", str(tmp_path), "--to", "pdf"])
    assert result.exit_code == 2 and "choose one of: json, graphml, gexf, html" in result.output


def test_build_rerun_reads_the_cache_and_verbose_prints_the_stages(
    example_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    args = ["build", str(example_path), "--out", str(out), "--workers", "1", "--verbose", "-q"]
    first = runner.invoke(app, args, catch_exceptions=False)
    again = runner.invoke(app, [*args, "--force"], catch_exceptions=False)
    assert first.exit_code == again.exit_code == 0
    assert "parsed 10 papers, 0 from the cache" in first.stderr
    assert "parsed 0 papers, 10 from the cache" in again.stderr
    stages = [line.split()[0] for line in again.stderr.splitlines()[1:-2]]
    assert stages == [
        "read",
        "cache",
        "extract",
        "vocabulary",
        "link",
        "analyse",
        "trends",
        "write",
    ]


def test_a_rerun_on_unchanged_input_does_nothing_until_something_changes(
    example_path: Path, tmp_path: Path
) -> None:
    papers = tmp_path / "papers.txt"
    papers.write_bytes(example_path.read_bytes())
    out = tmp_path / "out"
    args = ["build", str(papers), "-o", str(out), "-q"]

    def build(*extra: str) -> str:
        result = runner.invoke(app, [*args, *extra], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.stdout

    def rebuilt(*extra: str) -> bool:
        before = (out / "graph.json").stat().st_mtime_ns
        output = build(*extra)
        assert ("is up to date" in output) != ("Built a graph" in output)
        return (out / "graph.json").stat().st_mtime_ns != before

    build()
    assert not rebuilt()
    assert rebuilt("--max-words", "3")  # an option changed
    assert not rebuilt("--max-words", "3")
    assert rebuilt("--force")
    (out / "graph.html").write_text("edited")  # an output changed
    assert rebuilt()
    assert (out / "graph.html").read_text() != "edited"
    papers.write_text(example_path.read_text() + "\n")  # an input changed
    assert rebuilt()
    (out / "graph.lbug").unlink()  # an output is gone
    assert rebuilt()
    assert not rebuilt()


def test_a_build_from_stdin_always_runs(example_path: Path, tmp_path: Path) -> None:
    args = ["build", "-", "-o", str(tmp_path / "out"), "-q", "--format", "similar-papers"]
    for _ in range(2):
        result = runner.invoke(app, args, input=example_path.read_text(), catch_exceptions=False)
        assert result.exit_code == 0 and "Built a graph of 10 papers" in result.stdout


def test_build_with_an_unreachable_dask_scheduler_is_one_error_line(
    example_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    args = ["build", str(example_path), "-o", str(out), "--dask", "tcp://127.0.0.1:9", "-q"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.stderr.startswith("paperkg: error: cannot reach the Dask scheduler")
    assert len(result.stderr.splitlines()) == 1


def page_data(path: Path) -> dict:
    """The data block of a page written by the html exporter."""
    page = path.read_text()
    start = page.index(">", page.index('<script id="paperkg-data"')) + 1
    return json.loads(page[start : page.index("</script>", start)])


def test_export_html_prunes_as_asked(small_graph, tmp_path: Path) -> None:
    from exporters import files

    files.write_json(small_graph(), tmp_path / "graph.json")
    args = ["export", str(tmp_path), "--to", "html", "--max-concepts", "2", "--max-edges", "3"]
    result = runner.invoke(app, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data = page_data(tmp_path / "graph.html")
    # df 3 (graph), then df 2: gnn (score 0.9) before neural network (0.5); papers all kept
    assert {n["id"] for n in data["nodes"]} == {
        "paper:p1", "paper:p2", "paper:p3", "concept:graph", "concept:gnn",
    }  # fmt: skip
    summary = data["summary"]
    assert (summary["concepts"], summary["concepts_total"]) == (2, 5)
    assert (summary["edges"], summary["edges_total"]) == (3, 8)  # 5 MENTIONS, 2 RELATED, 1 CO
    result = runner.invoke(app, ["export", str(tmp_path), "--to", "html", "--max-concepts", "0"])
    assert result.exit_code == 0
    assert page_data(tmp_path / "graph.html")["summary"]["concepts"] == 5  # 0: keep all
    result = runner.invoke(app, ["export", str(tmp_path), "--to", "html", "--max-papers", "2"])
    assert result.exit_code == 0
    summary = page_data(tmp_path / "graph.html")["summary"]
    assert (summary["papers"], summary["papers_total"]) == (2, 3)


def test_export_refuses_limits_for_targets_that_do_not_draw(tmp_path: Path, small_graph) -> None:
    from exporters import files

    files.write_json(small_graph(), tmp_path / "graph.json")
    result = runner.invoke(app, ["export", str(tmp_path), "--to", "json", "--max-edges", "3"])
    assert result.exit_code == 2
    assert (
        "--max-concepts, --max-edges and --max-papers apply to html, png, svg, vosviewer, "
        "vosviewer-json, not to --to json" in " ".join(result.output.split())
    )
    result = runner.invoke(app, ["export", str(tmp_path), "--to", "gexf", "--max-papers", "3"])
    assert result.exit_code == 2 and "not to --to gexf" in result.output
    result = runner.invoke(app, ["export", str(tmp_path), "--to", "html", "--max-edges", "-1"])
    assert result.exit_code == 2 and "greater than or equal to 0" in result.output


def test_build_prunes_the_page_only(example_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["build", str(example_path), "-o", str(out), "-q", "--max-concepts", "4"]
    result = runner.invoke(app, [*args, "--max-edges", "20"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    graph = nx.node_link_graph(json.loads((out / "graph.json").read_text()))
    concepts = {n: d["rank"] for n, d in graph.nodes(data=True) if d["label"] == "Concept"}
    data = page_data(out / "graph.html")
    kept = {n["id"] for n in data["nodes"] if n["id"] in concepts}
    assert len(kept) == 4 and len(concepts) > 4  # graph.json keeps every concept
    assert sorted(concepts[n] for n in kept) == [1, 2, 3, 4]  # the four first of the map
    assert len(data["edges"]) == 20 == data["summary"]["edges"]
    assert data["summary"]["concepts_total"] == len(concepts)
    # other limits are another build, not "up to date"; by default this graph is not pruned
    result = runner.invoke(app, ["build", str(example_path), "-o", str(out), "-q"])
    assert result.exit_code == 0 and "up to date" not in result.output
    summary = page_data(out / "graph.html")["summary"]
    assert summary["concepts"] == summary["concepts_total"] == len(concepts)
    assert summary["edges"] == summary["edges_total"]
