"""The graph in an embedded Cypher store: LadybugDB (PyPI ``ladybug``, the maintained Kuzu fork).

No server: the store is one file (``graph.lbug`` beside ``graph.json``) that
:func:`query` opens read-only. Node tables and relationship tables carry the
labels, relationship types and property names of :mod:`graph_builder.schema`,
so a query such as ``MATCH (p:Paper)-[:MENTIONS]->(c:Concept {key: 'mean field'})
RETURN p.paper_id`` reads the same here and in Neo4j.

LadybugDB needs a declared schema: each label is a node table keyed by its
schema key, each relationship type a table between its two labels. Column
types come from the values (``STRING``, ``INT64``, ``DOUBLE``, ``BOOLEAN``,
``STRING[]``, ``DATE``; a concept's and a topic's ``counts`` are ``INT64[]``); a property
a node lacks is ``NULL``. Dates and bursts are stored as
:func:`exporters._values.store_values` makes them. Nodes are loaded before
edges, each table with one ``COPY ... FROM`` an Arrow table (much faster than
``UNWIND``). The store is built in a temporary directory and renamed into
place, so a failed write leaves the old store untouched.

Differences from Neo4j that matter to queries: no ``shortestPath()`` (write
``MATCH p = (a)-[* SHORTEST 1..10]-(b)``), variable-length patterns need an
upper bound, and a pattern may use the same edge twice, so two-hop queries
return the start node unless filtered (``WHERE a <> c``).

The module is longer than most (about 500 lines) because writing and querying share what
makes them safe: the declared column types, the connection opened with a bounded buffer
pool, the engine's messages turned into one-line errors, and the recovery files a crash
leaves.
"""

from __future__ import annotations

import datetime
import decimal
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ladybug
import pyarrow as pa

from exporters._values import STORED, store_values
from exporters.cypher_guard import check_read_only
from graph_builder.errors import ExportError, QueryError
from graph_builder.model import KnowledgeGraph
from graph_builder.schema import (
    EDGE_ENDPOINTS,
    LABEL,
    NODE_KEY,
    TYPE,
    EdgeKind,
    Label,
    Rel,
    edge_kind,
    edge_kinds,
)

__all__ = [
    "QUERY_TIMEOUT",
    "STORE_FILE",
    "QueryResult",
    "format_table",
    "query",
    "recovery_files",
    "write",
]

#: The store's file name in a ``paperkg build`` output directory.
STORE_FILE = "graph.lbug"
#: Seconds ``paperkg query`` lets a query run before it is stopped.
QUERY_TIMEOUT = 30.0
#: Suffixes of the files the engine leaves beside a store whose last write did not finish.
_RECOVERY_SUFFIXES = (".wal", ".shadow")
_INTERRUPTED = "Interrupted."

_READ_ONLY = "Cannot execute write operations in a read-only database"
_POOL_FULL = "The buffer pool is full"
#: ``buffer_pool_size`` that asks LadybugDB for its default.
_ENGINE_DEFAULT_POOL = 0

#: The documented properties (docs/schema.md) and their column types. Each table has these
#: columns even when no node or edge has the property, so a query naming one gets NULL, as in
#: Neo4j, rather than "Cannot find property". Other properties found in the graph are added.
_DECLARED: dict[str, dict[str, str]] = {
    Label.PAPER: {
        "title": "STRING",
        "abstract": "STRING",
        "date": "DATE",
        "year": "INT64",
        "authors": "STRING[]",
        "doi": "STRING",
        "arxiv_id": "STRING",
        "url": "STRING",
        "source": "STRING",
        "truncated": "BOOLEAN",
        "categories": "STRING[]",
        "venue": "STRING",
        "keywords": "STRING[]",
        "topic": "INT64",
    },
    Label.CONCEPT: {
        "name": "STRING",
        "aliases": "STRING[]",
        "df": "INT64",
        "score": "DOUBLE",
        "prominence": "DOUBLE",
        "rank": "INT64",
        "degree": "INT64",
        "centrality": "DOUBLE",
        "community": "INT64",
        "first_date": "DATE",
        "last_date": "DATE",
        "mean_year": "DOUBLE",
        "counts": "INT64[]",
        "growth": "DOUBLE",
        "burst_starts": "STRING[]",
        "burst_ends": "STRING[]",
        "burst_strengths": "DOUBLE[]",
    },
    Label.TOPIC: {
        "name": "STRING",
        "size": "INT64",
        "papers": "INT64",
        "counts": "INT64[]",
        "evolution": "STRING[]",
    },
    Label.PERIOD: {"position": "INT64", "start": "DATE", "papers": "INT64"},
    Label.AUTHOR: {"name": "STRING"},
    Label.CATEGORY: {"name": "STRING"},
    Label.WORK: {"work_id": "STRING"},
    Rel.MENTIONS: {"count": "INT64", "weight": "DOUBLE", "spans": "STRING[]"},
    Rel.RELATED_TO: {"weight": "DOUBLE", "shared": "STRING[]"},
    Rel.CO_OCCURS: {"papers": "INT64", "strength": "DOUBLE"},
    Rel.IN_TOPIC: {"weight": "DOUBLE"},
    Rel.COUPLED_WITH: {"shared": "STRING[]", "count": "INT64", "weight": "DOUBLE"},
}


@dataclass(frozen=True, slots=True)
class QueryResult:
    """Column names and rows (lists of plain Python values) of a query."""

    columns: list[str]
    rows: list[list[Any]]

    def records(self) -> list[dict[str, Any]]:
        """The rows as dicts keyed by column name."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def write(kg: KnowledgeGraph, path: str | Path) -> None:
    """Write ``kg`` into a new LadybugDB store at ``path``, replacing any store there.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from graph_builder.model import KnowledgeGraph
    >>> kg = KnowledgeGraph()
    >>> _ = kg.add_node(Label.CONCEPT, "mean field", name="mean-field", df=1)
    >>> store = pathlib.Path(tempfile.mkdtemp()) / "graph.lbug"
    >>> write(kg, store)
    >>> query(store, "MATCH (c:Concept) RETURN c.name, c.df").rows
    [['mean-field', 1]]
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{path.name}.", dir=path.parent))
    except OSError as exc:
        raise ExportError(f"{path}: cannot write: {exc.strerror}") from None
    try:
        built = staging / path.name
        database = ladybug.Database(str(built))
        try:
            with ladybug.Connection(database) as connection:
                _load(kg, connection)
        finally:
            database.close()
        for leftover in recovery_files(path):
            leftover.unlink(missing_ok=True)
        os.replace(built, path)
    except RuntimeError as exc:  # the engine's errors: a full disk, a file it cannot write
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ExportError(f"{path}: the embedded store could not be written: {first}") from None
    except OSError as exc:
        raise ExportError(f"{path}: cannot write: {exc.strerror or exc}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def recovery_files(path: str | Path) -> list[Path]:
    """The write-ahead log and shadow file beside the store at ``path``, those that exist.

    A store is written whole and renamed into place, so these only appear when something
    wrote to it afterwards and did not finish; the engine then refuses to open it read-only.
    """
    return [p for s in _RECOVERY_SUFFIXES if (p := Path(f"{path}{s}")).exists()]


def query(
    path: str | Path,
    cypher: str,
    parameters: dict[str, Any] | None = None,
    *,
    timeout: float | None = None,
) -> QueryResult:
    """Run one read-only Cypher query on the store at ``path``, for at most ``timeout`` s.

    The query must be made of read clauses (:func:`exporters.cypher_guard.check_read_only`);
    anything else, a query the engine rejects (the first line of its message) and a query
    still running after ``timeout`` seconds (None: no limit) raise
    :class:`~graph_builder.errors.QueryError`. A query that fills the buffer pool paperkg
    opens the store with runs again with LadybugDB's own (most of the machine's memory).
    """
    check_read_only(cypher)
    try:
        return _query(path, cypher, parameters, timeout)
    except _PoolFull:
        return _query(path, cypher, parameters, timeout, engine_pool=True)


class _PoolFull(Exception):
    pass


def _query(
    path: str | Path,
    cypher: str,
    parameters: dict[str, Any] | None,
    timeout: float | None,
    *,
    engine_pool: bool = False,
) -> QueryResult:
    try:
        with _open(path, engine_pool=engine_pool) as connection:
            if timeout:
                connection.set_query_timeout(max(1, round(timeout * 1000)))
            result = connection.execute(cypher, parameters or {})
            if isinstance(result, list):
                raise QueryError("one query at a time: remove the ';' between statements")
            columns = list(result.get_column_names())
            rows = [[_plain(value) for value in row] for row in result.get_all()]
    except RuntimeError as exc:
        if _POOL_FULL in str(exc) and not engine_pool:
            raise _PoolFull from None
        if str(exc).strip() == _INTERRUPTED and timeout:
            raise QueryError(
                f"the query ran longer than {timeout:g} s and was stopped; bound its "
                "variable-length patterns (e.g. [*1..3]) or raise --timeout"
            ) from None
        raise QueryError(_message(exc)) from None
    return QueryResult(columns, rows)


def format_table(result: QueryResult, *, width: int = 60) -> str:
    """The result as an aligned text table, cells cut to ``width`` characters.

    Examples
    --------
    >>> print(format_table(QueryResult(["c.name", "c.df"], [["mean-field", 1]])))
    c.name     | c.df
    -----------+-----
    mean-field | 1
    (1 row)
    """
    cells = [[_cell(v, width) for v in row] for row in result.rows]
    widths = [
        max([len(name), *(len(row[i]) for row in cells)]) for i, name in enumerate(result.columns)
    ]
    lines = [" | ".join(n.ljust(w) for n, w in zip(result.columns, widths, strict=True))]
    lines.append("-+-".join("-" * w for w in widths))
    lines.extend(" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells)
    count = len(result.rows)
    lines.append(f"({count} row{'s' if count != 1 else ''})")
    return "\n".join(line.rstrip() for line in lines)


def _cell(value: Any, width: int) -> str:
    if value is None:
        text = ""
    elif isinstance(value, str):
        text = value
    else:
        text = json.dumps(value, ensure_ascii=False)
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


@contextmanager
def _open(path: str | Path, *, engine_pool: bool = False) -> Iterator[ladybug.Connection]:
    """The store, read-only, with paperkg's buffer pool or (``engine_pool``) LadybugDB's."""
    path = Path(path)
    if not path.is_file():
        raise ExportError(f"{path}: no embedded store here; run 'paperkg build' first")
    if leftovers := recovery_files(path):
        names = ", ".join(p.name for p in leftovers)
        raise ExportError(
            f"{path}: a write to the store did not finish ({names} left beside it); "
            "run 'paperkg build' again to rewrite it"
        )
    pool = _ENGINE_DEFAULT_POOL if engine_pool else _buffer_pool(path)
    database = ladybug.Database(str(path), read_only=True, buffer_pool_size=pool)
    try:
        with ladybug.Connection(database) as connection:
            yield connection
    finally:
        database.close()


def _buffer_pool(path: Path) -> int:
    """Bytes of memory for a query: 1 GiB, or twice the store when bigger.

    LadybugDB's default (most of the machine's memory) makes opening a store about twice as
    slow, which is most of the time of a small query (benchmarks/embedded_query.py).
    """
    return max(1 << 30, 2 * path.stat().st_size)


def _message(exc: RuntimeError) -> str:
    text = str(exc).strip()
    if _READ_ONLY in text:
        return (
            "the embedded store is read-only: CREATE, MERGE, SET, DELETE and other writes are "
            "refused; rebuild the graph with 'paperkg build' to change it"
        )
    return text.splitlines()[0] if text else "the query failed"


def _plain(value: Any) -> Any:
    """A query value as plain JSON-able Python: nodes and edges as dicts of their properties."""
    if isinstance(value, dict):
        if "_LABEL" in value:
            plain = {("_type" if "_src" in value else "_label"): value["_LABEL"]}
            plain.update(
                (k, _plain(v)) for k, v in value.items() if not k.startswith("_") and v is not None
            )
            return plain
        if "_nodes" in value and "_rels" in value:
            return {
                "nodes": [_plain(n) for n in value["_nodes"]],
                "rels": [_plain(r) for r in value["_rels"]],
            }
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):  # sum() of integers is a DECIMAL
        return int(value) if value == value.to_integral_value() else float(value)
    return value


# Loading ------------------------------------------------------------------------------------


def _load(kg: KnowledgeGraph, connection: ladybug.Connection) -> None:
    """Create every table of the schema, then COPY the nodes, then the edges, in batches."""
    graph = kg.view
    stored = {n: store_values(d) for n, d in graph.nodes(data=True) if not STORED.isdisjoint(d)}
    nodes = [(n, stored.get(n, d)) for n, d in graph.nodes(data=True)]
    node_kinds = _kinds(((d[LABEL], d) for _, d in nodes), Label, LABEL)
    edge_props = _kinds(((k, d) for *_, k, d in graph.edges(keys=True, data=True)), Rel, TYPE)
    for label in Label:
        key = NODE_KEY[label]
        columns = _columns(node_kinds.get(label, {}), first=key, declared=_DECLARED.get(label, {}))
        columns.setdefault(key, _key_type(label))
        columns = {key: columns.pop(key), **columns}
        definition = ", ".join(f"`{name}` {kind}" for name, kind in columns.items())
        connection.execute(f"CREATE NODE TABLE `{label}`({definition}, PRIMARY KEY(`{key}`))")
        rows = (d for _, d in nodes if d[LABEL] == label)
        for batch in _batches(rows):
            values = {name: [row.get(name) for row in batch] for name in columns}
            _copy(connection, label, _arrow(values, columns))
    edge_columns = {}
    for rel, pairs in EDGE_ENDPOINTS.items():
        columns = _columns(edge_props.get(rel, {}), declared=_DECLARED.get(rel, {}))
        definition = "".join(f", `{name}` {kind}" for name, kind in columns.items())
        ends = ", ".join(f"FROM `{source}` TO `{target}`" for source, target in pairs)
        connection.execute(f"CREATE REL TABLE `{rel}`({ends}{definition})")
        for kind in edge_kinds(rel):
            ends_types = {"from": _key_type(kind.source), "to": _key_type(kind.target)}
            edge_columns[kind] = {**ends_types, **columns}
    _copy_edges(kg, connection, edge_columns)


def _copy_edges(
    kg: KnowledgeGraph,
    connection: ladybug.Connection,
    edge_columns: dict[EdgeKind, dict[str, str]],
) -> None:
    """One pass over the edges, each kind COPYed when it has a batch, in edge order."""
    graph = kg.view
    key_of = {node: data[NODE_KEY[Label(data[LABEL])]] for node, data in graph.nodes(data=True)}
    label_of = {node: data[LABEL] for node, data in graph.nodes(data=True)}
    # Each edge is kept as the tuple of its column values, not as its property dict: a
    # MENTIONS dict is made anew for every edge read (graph_builder.mentions).
    properties = {kind: list(columns)[2:] for kind, columns in edge_columns.items()}
    pending: dict[EdgeKind, list[tuple[Any, ...]]] = {kind: [] for kind in edge_columns}

    def flush(kind: EdgeKind) -> None:
        rows, columns = pending[kind], edge_columns[kind]
        values = dict(zip(columns, map(list, zip(*rows, strict=True)), strict=True))
        # A table of several pairs is told which pair the rows are.
        ends = "" if len(EDGE_ENDPOINTS[kind.rel]) == 1 else kind
        _copy(connection, kind.rel, _arrow(values, columns), ends)
        rows.clear()

    for u, v, rel, data in graph.edges(keys=True, data=True):
        kind = edge_kind(rel, label_of[u], label_of[v])
        batch = pending[kind]
        batch.append((key_of[u], key_of[v], *[data.get(name) for name in properties[kind]]))
        if len(batch) == _BATCH:
            flush(kind)
    for kind, batch in pending.items():
        if batch:
            flush(kind)


#: Rows per COPY at most. LadybugDB's COPY into a table that already has rows is slow: the
#: store of 33,649 abstracts took 1,175 s in COPYs of 50,000 rows and a 1 GiB buffer pool
#: (benchmarks/write_outputs.py), so a table is one COPY unless it is bigger than this.
_BATCH = 5_000_000


def _batches(rows: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == _BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _key_type(label: Label) -> str:
    return "INT64" if label == Label.TOPIC else "STRING"


def _copy(
    connection: ladybug.Connection,
    table_name: str,
    arrow_rows: pa.Table,
    ends: EdgeKind | str = "",
) -> None:
    """COPY an Arrow table into a table: LadybugDB finds ``arrow_rows`` by its variable name.
    ``ends``: the pair of labels of the rows, for a relationship table of several pairs."""
    pair = f" (from='{ends.source}', to='{ends.target}')" if isinstance(ends, EdgeKind) else ""
    connection.execute(f"COPY `{table_name}` FROM arrow_rows{pair}")


def _kinds(
    items: Iterable[tuple[str, dict[str, Any]]], known: type[Label] | type[Rel], tag: str
) -> dict[str, dict[str, set[str]]]:
    """For each label (or type): property name -> the value types found, ``tag`` left out."""
    found: dict[str, set[tuple[str, type]]] = {}
    for name, data in items:
        if (pairs := found.get(name)) is None:
            if name not in known.__members__.values():
                raise ExportError(
                    f"{tag} {name!r} is not in the schema; the embedded store knows "
                    f"{', '.join(known)}"
                )
            pairs = found[name] = set()
        pairs.update(zip(data.keys(), map(type, data.values()), strict=True))
    kinds: dict[str, dict[str, set[str]]] = {}
    for name, pairs in found.items():
        kinds[name] = {}
        for prop, kind in pairs:
            if prop != tag and kind is not type(None):
                kinds[name].setdefault(prop, set()).add(_kind(kind))
    return kinds


def _columns(
    found: dict[str, set[str]], *, declared: dict[str, str], first: str = ""
) -> dict[str, str]:
    """Property name -> LadybugDB type, ``first`` first, then sorted names.

    A declared property keeps its declared type when its values fit it.
    """
    kinds: dict[str, set[str]] = {name: {kind} for name, kind in declared.items()}
    for name, types in found.items():
        kinds.setdefault(name, set()).update(types)
    columns = {}
    for name in sorted(kinds, key=lambda n: (n != first, n)):
        found_types = kinds[name]
        if declared.get(name, "").endswith("[]") and found_types <= {declared[name], "STRING[]"}:
            columns[name] = declared[name]  # a list's type says nothing of its items
        elif found_types <= {"INT64", "DOUBLE"}:
            columns[name] = "DOUBLE" if "DOUBLE" in found_types else "INT64"
        elif len(found_types) == 1:
            columns[name] = next(iter(found_types))
        else:
            raise ExportError(
                f"property {name!r} mixes value types {sorted(found_types)}; "
                "the embedded store needs one type per property"
            )
    return columns


def _kind(kind: type) -> str:
    """The column type for values of Python type ``kind``."""
    if issubclass(kind, bool):
        return "BOOLEAN"
    if issubclass(kind, int):
        return "INT64"
    if issubclass(kind, float):
        return "DOUBLE"
    if issubclass(kind, list | tuple):
        return "STRING[]"
    if issubclass(kind, datetime.date):
        return "DATE"
    return "STRING"


_ARROW_TYPES = {
    "STRING": pa.string(),
    "INT64": pa.int64(),
    "DOUBLE": pa.float64(),
    "BOOLEAN": pa.bool_(),
    "STRING[]": pa.list_(pa.string()),
    "INT64[]": pa.list_(pa.int64()),
    "DOUBLE[]": pa.list_(pa.float64()),
    "DATE": pa.date32(),
}


def _arrow(values: dict[str, list[Any]], kinds: dict[str, str]) -> pa.Table:
    return pa.table({name: _array(column, kinds[name]) for name, column in values.items()})


def _array(column: list[Any], kind: str) -> pa.Array:
    """An Arrow column; values Arrow does not take as they are (an integer too big for a
    double, a list of numbers for a list of strings) are converted first."""
    try:
        return pa.array(column, type=_ARROW_TYPES[kind])
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        if kind == "DOUBLE":
            column = [v if v is None else float(v) for v in column]
        elif kind == "STRING[]":
            column = [v if v is None else [str(x) for x in v] for v in column]
        return pa.array(column, type=_ARROW_TYPES[kind])
