"""The walkthrough notebook runs from top to bottom on the bundled example, and is kept clean."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "walkthrough.ipynb"


def test_notebook_is_committed_without_outputs() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


def test_notebook_runs(tmp_path: Path) -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": tmp_path}}
    )
    client.execute(cwd=str(NOTEBOOK.parent))
    text = "\n".join(
        output.get("text", "") + str(output.get("data", {}).get("text/plain", ""))
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
    )
    # mean-field: one paper, 2017-10-04; its query lists the five deep-neural-network papers.
    assert "mean-field  (key: mean field, 1 paper(s))" in text
    assert "2017-10-04" in text and "(5 rows)" in text
    assert "['neural network', 'network']" in text
    html_outputs = [
        output["data"]["text/html"]
        for output in notebook.cells[-1].outputs
        if "text/html" in output.get("data", {})
    ]
    assert html_outputs and html_outputs[0].startswith("<iframe srcdoc=")
