"""Exporters read a finished :class:`graph_builder.KnowledgeGraph` and write it somewhere.

They never extract or link: they import only the model, the schema and the errors.
:data:`TARGETS` lists what :func:`export` (``paperkg export DIR --to NAME``) can write.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from exporters import cypher_script, files, html, neo4j_csv, picture, trends_picture, vosviewer
from graph_builder.errors import ConfigError
from graph_builder.model import KnowledgeGraph

__all__ = [
    "GRAPH_FILE",
    "TARGETS",
    "Target",
    "cypher_script",
    "export",
    "files",
    "html",
    "load_graph",
    "neo4j_csv",
    "picture",
    "trends_picture",
    "vosviewer",
]

#: The file in a ``paperkg build`` output directory that every later command reads.
GRAPH_FILE = "graph.json"


@dataclass(frozen=True)
class Target:
    """An export target: the default output name in the graph directory, and its writer.

    The output is a file, or a directory when the target writes several files.
    ``prunable`` targets draw the graph and take ``max_concepts`` and ``max_edges``.
    """

    default_name: str
    write: Callable[..., None]
    description: str
    prunable: bool = False


TARGETS: dict[str, Target] = {
    "json": Target("graph.json", files.write_json, "node-link JSON (networkx)"),
    "graphml": Target("graph.graphml", files.write_graphml, "GraphML (Gephi, Cytoscape, yEd)"),
    "gexf": Target("graph.gexf", files.write_gexf, "GEXF 1.2 (Gephi)"),
    "html": Target("graph.html", html.write, "interactive offline page", prunable=True),
    "png": Target("graph.png", picture.write_png, "static picture (matplotlib)", prunable=True),
    "svg": Target(
        "graph.svg", picture.write_svg, "static vector picture (matplotlib)", prunable=True
    ),
    "trends.png": Target(
        "trends.png", trends_picture.write_png, "the top rising concepts' curves (matplotlib)"
    ),
    "trends.svg": Target(
        "trends.svg", trends_picture.write_svg, "the same as vector graphics (matplotlib)"
    ),
    "cypher": Target("graph.cypher", cypher_script.write, "Cypher script for cypher-shell -f"),
    "neo4j-csv": Target(
        "neo4j-import", neo4j_csv.write, "directory of CSV files for neo4j-admin database import"
    ),
    "vosviewer": Target(
        "vosviewer",
        vosviewer.write_files,
        "directory with VOSviewer's map and network files (concept co-occurrence map)",
        prunable=True,
    ),
    "vosviewer-json": Target(
        "vosviewer.json", vosviewer.write_json, "VOSviewer Online JSON", prunable=True
    ),
}


def load_graph(directory: str | Path) -> KnowledgeGraph:
    """Read the graph that ``paperkg build`` wrote into ``directory``."""
    return files.read_json(Path(directory) / GRAPH_FILE)


def export(
    directory: str | Path, to: str, output: str | Path | None = None, **limits: int | None
) -> Path:
    """Write the graph built in ``directory`` as target ``to`` of :data:`TARGETS`; the path.

    ``output`` defaults to the target's default name in ``directory``. ``limits``
    (``max_concepts``, ``max_edges``, ``max_papers``; None keeps all) apply only to the
    targets that draw the graph; a limit not given keeps the target's default.

    Raises
    ------
    ConfigError
        For an unknown target, or limits given to a target that does not draw the graph.
    """
    if to not in TARGETS:
        raise ConfigError(f"unknown export target {to!r}; choose one of: {', '.join(TARGETS)}")
    target = TARGETS[to]
    if limits and not target.prunable:
        prunable = ", ".join(name for name, t in TARGETS.items() if t.prunable)
        raise ConfigError(
            f"--max-concepts, --max-edges and --max-papers apply to {prunable}, not to --to {to}"
        )
    path = Path(output) if output is not None else Path(directory) / target.default_name
    target.write(load_graph(directory), path, **limits)
    return path
