"""Standard graph files: node-link JSON, GraphML and GEXF, each with a reader for round trips.

Node-link JSON is what :func:`networkx.node_link_graph` reads; GraphML is what
Gephi, Cytoscape and yEd read; GEXF is Gephi's own. GraphML and GEXF have no
lists or nested values, so list properties
(:data:`graph_builder.schema.LIST_PROPERTIES`) and the graph metadata are
stored as JSON text and decoded again by the readers.

GraphML is written by a streaming writer of this module: networkx's builds
the whole XML tree in memory and is about 3 times slower on the graph of 1,000
arXiv abstracts (``benchmarks/graph_files.py``). networkx reads the file back
(and so do Gephi, Cytoscape and yEd) with the same keys and types networkx's
own writer gives.

GraphML and GEXF are XML: only read files you trust, or that paperkg wrote.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

import networkx as nx

from exporters._atomic import atomic_path
from graph_builder.errors import ExportError
from graph_builder.gcpause import gc_paused
from graph_builder.model import GraphView, KnowledgeGraph
from graph_builder.schema import LIST_PROPERTIES, NAME, TYPE, Rel

__all__ = [
    "read_gexf",
    "read_graphml",
    "read_json",
    "write_gexf",
    "write_graphml",
    "write_json",
]

_METADATA = "metadata"
_GEXF_TYPE = "relationship"


def write_json(kg: KnowledgeGraph, path: str | Path) -> None:
    """Write node-link JSON (``nodes``, ``edges``, ``graph``), atomically.

    The file is what ``json.dumps(networkx.node_link_data(graph), indent=1,
    ensure_ascii=False)`` gives, byte for byte, but written one node or edge at
    a time: the whole document never exists in memory.
    """
    with atomic_path(path) as tmp, tmp.open("w", encoding="utf-8", newline="\n") as stream:
        _write_node_link(kg.view, stream)


#: Items formatted between two writes to the file.
_JSON_BATCH = 2000


def _write_node_link(graph: GraphView, stream: TextIO) -> None:
    """The node-link document of :func:`networkx.node_link_data`, streamed to ``stream``."""
    head = {"directed": graph.is_directed(), "multigraph": graph.is_multigraph()}
    stream.write("{\n")
    for name, value in head.items():
        stream.write(f" {json.dumps(name)}: {json.dumps(value)},\n")
    stream.write(f' "graph": {_indented(graph.graph, " ")},\n')
    nodes = ({**data, "id": node} for node, data in graph.nodes(data=True))
    _write_array(stream, "nodes", nodes)
    stream.write(",\n")
    edges = (
        {**data, "source": u, "target": v, "key": k}
        for u, v, k, data in graph.edges(keys=True, data=True)
    )
    _write_array(stream, "edges", edges)
    stream.write("\n}\n")


def _write_array(stream: TextIO, name: str, items: Iterable[dict[str, Any]]) -> None:
    """``"name": [...]`` at depth 1 of an ``indent=1`` document, in batches of items."""
    stream.write(f" {json.dumps(name)}: [")
    separator = "\n  "
    batch: list[str] = []
    for item in items:
        text = _flat_object(item, "  ") if type(item) is dict else None
        batch.append(separator + (text if text is not None else _indented(item, "  ")))
        separator = ",\n  "
        if len(batch) == _JSON_BATCH:
            stream.write("".join(batch))
            batch.clear()
    stream.write("".join(batch))
    stream.write("]" if separator == "\n  " else "\n ]")


def _indented(value: Any, margin: str) -> str:
    """``value`` as ``json.dumps(indent=1)`` writes it at the depth whose indentation is
    ``margin`` (JSON strings hold no raw line break, so every line break is indentation)."""
    if type(value) is dict and (flat := _flat_object(value, margin)) is not None:
        return flat
    return json.dumps(value, ensure_ascii=False, indent=1).replace("\n", "\n" + margin)


#: What ``json.dumps(ensure_ascii=False)`` writes a string with (the C encoder when present).
_string = json.encoder.encode_basestring
#: ``\n <margin>"key": `` per margin and key: the start of a member of an object at that depth.
_MEMBER_STARTS: dict[str, dict[str, str]] = {}
#: Float texts already written: ``float.__repr__`` costs ten dictionary look-ups, and
#: weights and scores repeat. Emptied when full, to bound its memory.
_FLOAT_TEXTS: dict[float, str] = {}
_FLOAT_TEXTS_MAX = 100_000
_SPECIAL_FLOATS = {math.inf: "Infinity", -math.inf: "-Infinity"}


def _float_text(value: float) -> str:
    """What ``json.dumps`` writes a float as (its ``repr``, or ``NaN``, ``Infinity``...)."""
    if value != value:
        return "NaN"
    if value in _SPECIAL_FLOATS:
        return _SPECIAL_FLOATS[value]
    return _float_repr(value)


def _float_repr(value: float) -> str:
    """``float.__repr__(value)``, kept in :data:`_FLOAT_TEXTS` when finite and not zero."""
    text = float.__repr__(value)
    # 0.0 and -0.0 are equal keys of a dict, NaN no key at all: neither is kept
    if value and value - value == 0:
        if len(_FLOAT_TEXTS) >= _FLOAT_TEXTS_MAX:
            _FLOAT_TEXTS.clear()
        _FLOAT_TEXTS[value] = text
    return text


def _flat_object(item: dict[Any, Any], margin: str) -> str | None:
    """What :func:`_indented` gives for a node or edge of plain values, several times as fast.

    None unless every key is a string and every value a string, a number, a boolean,
    None or a list of strings or of integers: the rest goes through ``json.dumps``.
    """
    inner = "\n " + margin
    if (starts := _MEMBER_STARTS.get(margin)) is None:
        starts = _MEMBER_STARTS[margin] = {}
    parts = []
    append = parts.append
    for key, value in item.items():
        if (start := starts.get(key)) is None:
            if type(key) is not str:
                return None
            start = starts[key] = inner + _string(key) + ": "
        kind = type(value)
        if kind is str:
            append(start + _string(value))
        elif kind is float:
            append(start + (_FLOAT_TEXTS.get(value) or _float_text(value)))
        elif kind is int:
            append(start + int.__repr__(value))
        elif kind is list:
            if not value:
                append(start + "[]")
                continue
            kinds = set(map(type, value))
            if kinds == {str}:
                texts = map(_string, value)
            elif kinds == {int}:
                texts = map(int.__repr__, value)
            else:
                return None
            deeper = inner + " "
            append(start + "[" + deeper + ("," + deeper).join(texts) + inner + "]")
        elif kind is bool:
            append(start + ("true" if value else "false"))
        elif value is None:
            append(start + "null")
        else:
            return None
    return "{" + ",".join(parts) + "\n" + margin + "}" if parts else "{}"


def read_json(path: str | Path) -> KnowledgeGraph:
    """Read a graph written by :func:`write_json`.

    What :func:`networkx.node_link_graph` gives for a directed multigraph, built from
    the parsed objects themselves rather than copies of them: half the time, and
    no second copy of every node and edge in memory.
    """
    try:
        with Path(path).open("rb") as stream, gc_paused():
            return _node_link_graph(json.load(stream))
    except FileNotFoundError:
        raise ExportError(f"{path}: no such file; run 'paperkg build' first") from None
    except (json.JSONDecodeError, UnicodeDecodeError, AttributeError, KeyError, TypeError) as exc:
        raise ExportError(f"{path}: not a paperkg graph file ({exc})") from None


def _node_link_graph(data: dict[str, Any]) -> KnowledgeGraph:
    graph = nx.MultiDiGraph()
    graph.graph.update(data.get("graph", {}))
    nodes, edges = data.pop("nodes"), data.pop("edges")
    graph.add_nodes_from((node.pop("id"), node) for node in nodes)
    del nodes
    kg = KnowledgeGraph(graph)
    mentions = NAME[Rel.MENTIONS]
    for edge in edges:  # MENTIONS into the columns, never as networkx edges
        source, target, key = edge.pop("source"), edge.pop("target"), edge.pop("key", None)
        if key == mentions:
            kg.add_mention(source, target, edge)
        else:
            graph.add_edge(source, target, key, **edge)
    return kg


def write_graphml(kg: KnowledgeGraph, path: str | Path) -> None:
    """Write GraphML, lists and metadata as JSON text, atomically.

    Characters XML 1.0 forbids (control characters other than tab and line
    breaks) are written as U+FFFD. Two passes over the graph (the keys, then
    the elements), each node or edge formatted only while it is written.
    """
    graph = kg.view
    metadata = {_METADATA: json.dumps(kg.metadata, ensure_ascii=False, sort_keys=True)}
    keys = _graphml_keys(
        ("graph", [metadata]),
        ("node", kg.graph._node.values()),
        ("edge", (data for *_, data in graph.edges(keys=True, data=True))),
    )
    with atomic_path(path) as tmp, tmp.open("w", encoding="utf-8", newline="\n") as stream:
        stream.writelines(_graphml_lines(keys, metadata, graph))


_XML_TYPES: dict[type, str] = {bool: "boolean", int: "long", float: "double", str: "string"}
_NOT_XML = {c: "\ufffd" for c in [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF]}
_TEXT = str.maketrans({**_NOT_XML, "&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ATTRIBUTE = str.maketrans(
    {**_NOT_XML, "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
    | {"\t": "&#9;", "\n": "&#10;", "\r": "&#13;"}
)
#: A string holding none of these is written as it is (str.translate is slow on long text).
_TEXT_SPECIAL = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_GRAPHML_HEADER = (
    "<?xml version='1.0' encoding='utf-8'?>\n"
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
    'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
)

_KeyTable = dict[tuple[str, str, str], str]
_INNER = "      "  # the indentation of a node's or edge's <data> lines


def _graphml_keys(*elements: tuple[str, Iterable[dict[str, Any]]]) -> _KeyTable:
    """A key id per (element, attribute name, XML type), numbered in sorted order.

    ``elements``: each kind of element (``graph``, ``node``, ``edge``) with their
    attributes. List properties count as strings: they are written as JSON text.
    """
    found: dict[str, set[tuple[str, type]]] = {}
    for scope, group in elements:
        update = found.setdefault(scope, set()).update
        for data in group:
            update(zip(data, map(type, data.values()), strict=True))
    typed = {
        (scope, name, "string" if name in LIST_PROPERTIES else _XML_TYPES[kind])
        for scope, pairs in found.items()
        for name, kind in pairs
        if kind is not type(None) or name in LIST_PROPERTIES
    }
    return {key: f"d{number}" for number, key in enumerate(sorted(typed))}


def _graphml_lines(
    keys: _KeyTable, metadata: dict[str, Any], graph: nx.MultiDiGraph
) -> Iterator[str]:
    """The file's text, in pieces of many elements each."""
    yield _GRAPHML_HEADER
    for (scope, name, xml_type), key_id in keys.items():
        yield (
            f'  <key id="{key_id}" for="{scope}" attr.name="{name.translate(_ATTRIBUTE)}" '
            f'attr.type="{xml_type}" />\n'
        )
    graph_starts, node_starts, edge_starts = (
        _data_starts(keys, scope, indent)
        for scope, indent in (("graph", "    "), ("node", _INNER), ("edge", _INNER))
    )
    yield '  <graph edgedefault="directed">\n'
    yield _graphml_data(graph_starts, metadata)
    ids = {node: node.translate(_ATTRIBUTE) for node in graph}
    batch: list[str] = []
    for node, data in graph.nodes(data=True):
        batch.append(
            f'    <node id="{ids[node]}">\n{_graphml_data(node_starts, data)}    </node>\n'
        )
        if len(batch) == _XML_BATCH:
            yield "".join(batch)
            batch.clear()
    edge_ids: dict[str, str] = {}
    for u, v, k, data in graph.edges(keys=True, data=True):
        if (edge_id := edge_ids.get(k)) is None:
            edge_id = edge_ids[k] = k.translate(_ATTRIBUTE)
        batch.append(
            f'    <edge source="{ids[u]}" target="{ids[v]}" id="{edge_id}">\n'
            f"{_graphml_data(edge_starts, data)}    </edge>\n"
        )
        if len(batch) == _XML_BATCH:
            yield "".join(batch)
            batch.clear()
    yield "".join(batch)
    yield "  </graph>\n</graphml>\n"


#: Elements formatted between two writes to the file.
_XML_BATCH = 2000
_PYTHON_TYPES = {xml_type: kind for kind, xml_type in _XML_TYPES.items()}
#: ``(attribute name, Python type of the value written)`` -> the ``<data ...>`` start tag.
_DataStarts = dict[tuple[str, type], str]


def _data_starts(keys: _KeyTable, scope: str, indent: str) -> _DataStarts:
    """The start tag of each attribute of ``scope`` by the type of the value written."""
    return {
        (name, _PYTHON_TYPES[xml_type]): f'{indent}<data key="{key_id}">'
        for (key_scope, name, xml_type), key_id in keys.items()
        if key_scope == scope
    }


def _graphml_data(starts: _DataStarts, data: dict[str, Any]) -> str:
    """The ``<data>`` lines of one element, list properties as JSON text.

    A value of a type :data:`_XML_TYPES` lacks has no key: :func:`_graphml_keys` refused it.
    """
    lines = []
    append = lines.append
    for name, value in data.items():
        kind = type(value)
        if name in LIST_PROPERTIES:
            value, kind = _json_text(value), str
        elif value is None:
            continue
        start = starts[name, kind]
        if kind is str:
            text = value.translate(_TEXT) if _TEXT_SPECIAL.search(value) else value
        elif kind is float:
            text = _FLOAT_TEXTS.get(value) or _float_repr(value)
        elif kind is int:
            text = int.__repr__(value)
        else:
            text = "true" if value else "false"
        append(f"{start}{text}</data>\n")
    return "".join(lines)


_json_encoder = json.JSONEncoder(ensure_ascii=False)  # json.dumps makes one per call


def _json_text(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False)``, quicker for a list of strings."""
    if type(value) is list:
        kinds = set(map(type, value))
        if kinds == {str}:
            return "[" + ", ".join(map(_string, value)) + "]"
        if kinds == {int}:
            return "[" + ", ".join(map(int.__repr__, value)) + "]"
    return _json_encoder.encode(value)


def read_graphml(path: str | Path) -> KnowledgeGraph:
    """Read a graph written by :func:`write_graphml`."""
    return _unflat(nx.read_graphml(path, force_multigraph=True))


def write_gexf(kg: KnowledgeGraph, path: str | Path) -> None:
    """Write GEXF 1.2, lists and metadata as JSON text, atomically.

    GEXF reserves the edge attribute ``type`` (directed or not), so the
    relationship type is stored as ``relationship``; networkx stores a node's
    ``key`` as ``networkx_key``. GEXF has no place for the graph metadata.
    """
    graph = _flat(kg)
    for *_, data in graph.edges(keys=True, data=True):
        data[_GEXF_TYPE] = data.pop(TYPE)
    with atomic_path(path) as tmp:
        nx.write_gexf(graph, tmp, encoding="utf-8")


def read_gexf(path: str | Path) -> KnowledgeGraph:
    """Read a graph written by :func:`write_gexf`."""
    graph = nx.read_gexf(path)
    multigraph = nx.MultiDiGraph()
    for node, data in graph.nodes(data=True):
        if "networkx_key" in data:
            data["key"] = data.pop("networkx_key")
        multigraph.add_node(node, **data)
    for u, v, data in graph.edges(data=True):
        data = {k: val for k, val in data.items() if k not in ("id", "networkx_key")}
        data[TYPE] = data.pop(_GEXF_TYPE)
        multigraph.add_edge(u, v, key=data[TYPE], **data)
    return _unflat(multigraph)


def _flat(kg: KnowledgeGraph) -> nx.MultiDiGraph:
    """A copy with lists and metadata as JSON text, for formats without them."""
    graph = nx.MultiDiGraph()
    graph.graph[_METADATA] = json.dumps(kg.metadata, ensure_ascii=False, sort_keys=True)
    graph.add_nodes_from((n, _flatten(d)) for n, d in kg.graph.nodes(data=True))
    graph.add_edges_from(
        (u, v, k, _flatten(d)) for u, v, k, d in kg.view.edges(keys=True, data=True)
    )
    return graph


def _unflat(graph: nx.MultiDiGraph) -> KnowledgeGraph:
    metadata = json.loads(graph.graph.pop(_METADATA, "{}"))
    whole = nx.MultiDiGraph(**metadata)
    whole.add_nodes_from((n, _unflatten(d)) for n, d in graph.nodes(data=True) if n)
    whole.add_edges_from(
        (u, v, k, _unflatten(d)) for u, v, k, d in graph.edges(keys=True, data=True)
    )
    return KnowledgeGraph(whole)


def _flatten(properties: dict[str, Any]) -> dict[str, Any]:
    return {
        k: json.dumps(v, ensure_ascii=False) if k in LIST_PROPERTIES else v
        for k, v in properties.items()
    }


def _unflatten(properties: dict[str, Any]) -> dict[str, Any]:
    return {k: json.loads(v) if k in LIST_PROPERTIES else v for k, v in properties.items()}
