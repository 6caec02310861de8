"""The docs stay true: the CLI reference is generated from --help and every command is in it."""

import subprocess
import sys
from pathlib import Path

from graph_builder.cli import COMMANDS

ROOT = Path(__file__).resolve().parent.parent


def test_cli_reference_is_up_to_date(tmp_path: Path) -> None:
    generated = tmp_path / "cli.md"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "typer",
            "graph_builder.cli",
            "utils",
            "docs",
            "--name",
            "paperkg",
            "--title",
            "paperkg command line",
            "--output",
            str(generated),
        ],
        check=True,
        capture_output=True,
    )
    assert (ROOT / "docs" / "cli.md").read_text() == generated.read_text(), (
        "docs/cli.md is stale: run `python -m typer graph_builder.cli utils docs --name paperkg "
        "--title 'paperkg command line' --output docs/cli.md`"
    )


def test_every_command_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    for command in COMMANDS:
        assert f"paperkg {command}" in readme
