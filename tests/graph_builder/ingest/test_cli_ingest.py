"""Reading through the command line: stdin, --format, --columns, --skip-bad and its report."""

from pathlib import Path

from typer.testing import CliRunner

from graph_builder import read_papers
from graph_builder.cli import app

runner = CliRunner()


def test_stdin_is_read_and_sniffed(data_dir: Path) -> None:
    ris = (data_dir / "ris" / "library.ris").read_text()
    result = runner.invoke(app, ["concepts", "-", "--skip-bad", "--top", "1", "-q"], input=ris)
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 4 * 2  # 4 papers, a heading and 1 concept each
    assert "2 bad records skipped" in result.stderr
    assert "<stdin>: line 26" not in result.stdout


def test_stdin_error_names_stdin() -> None:
    result = runner.invoke(app, ["concepts", "-", "--format", "jsonl"], input='{"id": 1,\n')
    assert result.exit_code == 2
    assert (
        result.stderr == "paperkg: error: <stdin>: line 1: invalid JSON: Expecting property "
        "name enclosed in double quotes (column 10)\n"
    )


def test_columns_option(data_dir: Path) -> None:
    path = data_dir / "csv" / "custom.tsv"
    result = runner.invoke(app, ["concepts", str(path), "--columns", "abstract=Text,title=Name"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("paper-")
    bad = runner.invoke(app, ["concepts", str(path), "--columns", "summary=Text"])
    assert bad.exit_code == 2
    assert bad.stderr == (
        "paperkg: error: --columns: unknown field 'summary'; choose from: id, title, abstract, "
        "date, year, doi, authors, arxiv_id, url\n"
    )


def test_skip_bad_report_for_concepts(data_dir: Path, tmp_path: Path) -> None:
    report = tmp_path / "bad.tsv"
    path = data_dir / "json" / "papers.json"
    result = runner.invoke(
        app, ["concepts", str(path), "--skip-bad", "--report", str(report), "-q"]
    )
    assert result.exit_code == 0, result.output
    assert report.read_text() == (
        f"where\tproblem\n{path}: record 3\texpected a JSON object, found str\n"
    )
    assert "1 duplicate records merged; 1 bad records skipped" in result.stderr


def test_skip_bad_skips_an_unreadable_file_too(data_dir: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.bib"
    empty.write_text("")
    corpus = read_papers([empty, data_dir / "jsonl" / "records.jsonl"], skip_bad=True)
    assert len(corpus.papers) == 3
    assert [str(b) for b in corpus.bad] == [f"{empty}: the file is empty"]
    assert corpus.inputs == [str(data_dir / "jsonl" / "records.jsonl")]
