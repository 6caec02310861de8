"""Exporters only read a finished graph: they never import extraction or linking."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = (
    "graph_builder.concepts",
    "graph_builder.vocabulary",
    "graph_builder.linking",
    "graph_builder.pipeline",
    "spacy",
)


@pytest.mark.parametrize("module", sorted((ROOT / "exporters").glob("*.py")), ids=lambda p: p.name)
def test_exporter_imports(module: Path) -> None:
    tree = ast.parse(module.read_text())
    imported = [
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    ]
    assert not [name for name in imported if name and name.startswith(FORBIDDEN)]


def _strings_outside_all(tree: ast.AST) -> set[str]:
    exported = {
        id(element)
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and any(getattr(t, "id", "") == "__all__" for t in node.targets)
        for element in ast.walk(node.value)
    }
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in exported
    }


def test_only_the_schema_spells_labels_and_types() -> None:
    from graph_builder.schema import Label, Rel

    names = {*Label, *Rel}
    offenders = {}
    code = [*(ROOT / "graph_builder").rglob("*.py"), *(ROOT / "exporters").rglob("*.py")]
    for path in code:
        if path.name != "schema.py":
            found = _strings_outside_all(ast.parse(path.read_text())) & names
            if found:
                offenders[path.name] = found
    for path in (ROOT / "exporters" / "templates").iterdir():
        found = {name for name in names if f'"{name}"' in path.read_text()}
        if found:
            offenders[path.name] = found
    assert offenders == {}
