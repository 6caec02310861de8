"""Layering: exporters only read a finished graph; the domain never imports the exporters."""

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


# The application layer: the only modules of graph_builder that may use the exporters
# (paths inside graph_builder; a folder ends with "/").
APPLICATION = ("cli/", "build_dir.py")


def _in_application(module: Path) -> bool:
    inside = module.relative_to(ROOT / "graph_builder").as_posix()
    return any(
        inside.startswith(part) if part.endswith("/") else inside == part for part in APPLICATION
    )


def _imports(module: Path) -> list[str]:
    tree = ast.parse(module.read_text())
    return [
        name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for name in (
            [node.module or ""]
            if isinstance(node, ast.ImportFrom)
            else [alias.name for alias in node.names]
        )
    ]


@pytest.mark.parametrize("module", sorted((ROOT / "exporters").rglob("*.py")), ids=lambda p: p.name)
def test_exporter_imports(module: Path) -> None:
    assert not [name for name in _imports(module) if name.startswith(FORBIDDEN)]


@pytest.mark.parametrize(
    "module",
    sorted(p for p in (ROOT / "graph_builder").rglob("*.py") if not _in_application(p)),
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_domain_never_imports_exporters(module: Path) -> None:
    assert not [
        name for name in _imports(module) if name == "exporters" or name.startswith("exporters.")
    ]


def test_the_application_layer_is_the_cli_package_and_build_dir() -> None:
    package = ROOT / "graph_builder"
    inside = ["cli/__init__.py", "cli/neo4j.py", "build_dir.py"]
    outside = ["cli.py", "clinic.py", "concepts/cli/x.py", "ingest/build_dir.py", "linking.py"]
    assert [_in_application(package / p) for p in inside] == [True] * 3
    assert [_in_application(package / p) for p in outside] == [False] * 5


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


def test_up_to_date_check_imports_no_spacy_or_scipy(tmp_path: Path) -> None:
    """Finding a build directory up to date must not pay for importing spaCy or scipy (seconds)."""
    import subprocess
    import sys

    code = f"""
import sys
from pathlib import Path
from graph_builder.build_dir import PageOptions, ReadOptions, _settings, fingerprint, up_to_date
from graph_builder.pipeline import BuildOptions
import graph_builder.cli
stamp = fingerprint([Path({str(ROOT / "examples" / "similar-papers.txt")!r})],
                    _settings(BuildOptions(), ReadOptions(), PageOptions()))
assert stamp and not up_to_date(Path({str(tmp_path)!r}), stamp)
print(sorted(name for name in ("spacy", "scipy", "thinc", "neo4j") if name in sys.modules))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_pipeline_meta_is_what_spacy_reads() -> None:
    import spacy

    from graph_builder.concepts.nlp import pipeline_meta, resolve_model

    name = resolve_model()
    ours = pipeline_meta(name)
    theirs = spacy.util.get_model_meta(spacy.util.get_package_path(name))
    assert [ours[k] for k in ("lang", "name", "version")] == [
        theirs[k] for k in ("lang", "name", "version")
    ]


def test_the_package_imports_its_api_on_first_use() -> None:
    """``import graph_builder`` is cheap (a command that reads a built graph imports it); each
    name of its ``__all__`` is still there, the object of the module that defines it."""
    import subprocess
    import sys

    code = """
import sys
import graph_builder
print(sorted(m for m in ("networkx", "numpy", "graph_builder.pipeline") if m in sys.modules))
from graph_builder import *
from graph_builder import ingest, linking, model, pipeline
assert build_graph is pipeline.build_graph and READERS is ingest.READERS
assert LinkOptions is linking.LinkOptions and Paper is model.Paper
here = dir()
print(sorted(n for n in graph_builder.__all__ if n not in here))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["[]", "[]"]
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        import graph_builder

        graph_builder.nothing  # noqa: B018
