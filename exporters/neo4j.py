r"""Load a finished graph into a Neo4j server with the official driver.

A load makes paperkg's part of the database equal to the graph: it creates the
uniqueness constraints and indexes of the schema, writes the nodes, then the
relationships, in batches of ``UNWIND $rows``, each in a managed write
transaction (the driver retries transient errors), and finally removes what
the graph no longer has.

* Every node and relationship written carries the load's stamp
  (:data:`~graph_builder.schema.LOAD_STAMP`): a hash of the graph, of its rows
  (:func:`load_stamp`) or of its file (:func:`file_stamp`, what ``paperkg
  neo4j`` uses), so the same graph gets the same stamp and another graph
  another one. A node's or relationship's properties are set to exactly those
  of the graph plus the stamp.
* A node whose key is not in the database yet is ``CREATE``\ d, and so is a
  relationship with such a node at one end (it cannot exist yet); everything
  else is ``MERGE``\ d. An empty database gets ``CREATE`` only, which is several
  times faster; loading the same graph twice changes nothing.
* Nodes and relationships are found by element id, not by key: the load reads
  the ids of the nodes already there at its start, and each node batch returns
  the ids of the nodes it wrote; a relationship's row names its two ends by id
  (and the statement checks their labels). A look-up in a key's index for each
  end of each relationship was most of the server's work (a JFR profile of a
  ``MENTIONS`` batch). A node deleted by someone else during the load fails it
  with a one-line error; the next run completes it.
* The statements of the load (:func:`node_write_statement`,
  :func:`relationship_write_statement`) thus differ from those of the Cypher
  script (:func:`node_statement`, :func:`relationship_statement`), which find
  nodes by key.
* Up to ``workers`` sessions write side by side (:func:`_plan`): a label's
  rows split by key; ``MENTIONS`` split by concept, each writer taking papers
  in one order; the other types in lanes that share no label (``RELATED_TO``
  and ``WROTE``; ``CO_OCCURS``, ``BROADER`` and ``IN_TOPIC``), one writer
  each. The server still reports a deadlock now and then (about twice in a
  load of 10,000 papers); the driver retries the batch, and the load counts
  the retries (``LoadReport.retries``) rather than print the driver's warnings.
* A server that stops answering (or keeps failing a batch) stops the load
  with one :class:`~graph_builder.errors.ExportError` saying it is incomplete;
  the next run completes it, creating nothing twice.
* Only after every batch succeeded, relationships of paperkg's types between
  nodes with paperkg's labels, then such nodes, that carry another stamp (or
  none) are deleted in batches: stale ``RELATED_TO``/``CO_OCCURS`` links, topics
  that were renumbered away, papers that are not in the new graph. A load
  interrupted halfway deleted nothing; the next run completes it.

Only paperkg's labels and relationship types (:mod:`graph_builder.schema`) are
ever written or deleted; they are the only names spliced into query text, and
every value is a query parameter. Deleting a paperkg node (a stale one, or all
of them with ``replace=True``) also deletes the relationships attached to it,
a user's own included: Neo4j cannot keep a relationship without its node.

Examples
--------
>>> node_statement(Label.CONCEPT)  # doctest: +NORMALIZE_WHITESPACE
'UNWIND $rows AS row MERGE (n:`Concept` {`key`: row.key})
 SET n = row.props, n.`paperkg_load` = $stamp'
>>> relationship_statement(Rel.MENTIONS, create=True)  # doctest: +NORMALIZE_WHITESPACE
'UNWIND $rows AS row MATCH (a:`Paper` {`paper_id`: row.source})
 MATCH (b:`Concept` {`key`: row.target}) CREATE (a)-[r:`MENTIONS`]->(b)
 SET r = row.props, r.`paperkg_load` = $stamp RETURN count(r) AS merged'
>>> relationship_write_statement(Rel.MENTIONS, create=True)  # doctest: +NORMALIZE_WHITESPACE
'UNWIND $rows AS row MATCH (a:`Paper`) WHERE elementId(a) = row.source
 MATCH (b:`Concept`) WHERE elementId(b) = row.target CREATE (a)-[r:`MENTIONS`]->(b)
 SET r = row.props, r.`paperkg_load` = $stamp RETURN count(r) AS merged'
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import queue
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from exporters._values import STORED, store_values
from graph_builder.errors import ConfigError, ExportError
from graph_builder.gcpause import gc_paused
from graph_builder.model import KnowledgeGraph
from graph_builder.schema import EDGE_ENDPOINTS, LABEL, LOAD_STAMP, NODE_KEY, TYPE, Label, Rel

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_WORKERS",
    "FULLTEXT_INDEXES",
    "INDEXES",
    "SCHEMES",
    "LoadReport",
    "Progress",
    "connect",
    "delete_paperkg_nodes",
    "file_stamp",
    "graph_rows",
    "load",
    "load_stamp",
    "node_rows",
    "node_statement",
    "node_write_statement",
    "quote_name",
    "relationship_rows",
    "relationship_statement",
    "relationship_write_statement",
    "schema_statements",
    "stale_node_statement",
    "stale_relationship_statement",
]

#: Rows per transaction. Big enough that round trips do not dominate, small
#: enough that a transaction stays a few megabytes.
DEFAULT_BATCH_SIZE = 5000

#: Sessions writing at once: the server commits one batch while it runs another's query.
DEFAULT_WORKERS = 2

#: URI schemes the official driver accepts (``+s``: TLS with a verified
#: certificate, ``+ssc``: TLS accepting a self-signed one).
SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")

#: Range indexes beyond the key constraints: properties the cookbook filters on.
INDEXES: dict[Label, tuple[str, ...]] = {
    Label.PAPER: ("year",),
    Label.CONCEPT: ("name", "df"),
}

#: Full-text indexes (Neo4j's Lucene indexes, for ``db.index.fulltext.queryNodes``): words
#: of a paper's title and abstract, and of a concept's name and other spellings.
FULLTEXT_INDEXES: dict[str, tuple[Label, tuple[str, ...]]] = {
    "paperkg_paper_text": (Label.PAPER, ("title", "abstract")),
    "paperkg_concept_names": (Label.CONCEPT, ("name", "aliases")),
}

#: ``progress(stage, done, total)``: stage is a label or relationship type.
Progress = Callable[[str, int, int], None]


@dataclass
class LoadReport:
    """What a load did: rows sent, nodes deleted first (``replace``), stale nodes and
    relationships removed at the end, nodes/relationships of each kind now there, and
    ``retries``: transactions the driver ran again after a transient error (a lock
    conflict between the two writers, which the server can report as a deadlock)."""

    rows: int = 0
    deleted: int = 0
    stale_nodes: int = 0
    stale_relationships: int = 0
    stamp: str = ""
    seconds: float = 0.0
    retries: int = 0
    nodes: dict[str, int] = field(default_factory=dict)
    relationships: dict[str, int] = field(default_factory=dict)


def quote_name(name: str) -> str:
    """Quote a label, type or property name as a Cypher identifier.

    >>> quote_name("Paper"), quote_name("we`ird")
    ('`Paper`', '`we``ird`')
    """
    return "`" + name.replace("`", "``") + "`"


def schema_statements() -> list[str]:
    """The constraints and indexes, ``IF NOT EXISTS`` so they can run on every load.

    >>> print(schema_statements()[0])  # doctest: +NORMALIZE_WHITESPACE
    CREATE CONSTRAINT paperkg_paper_paper_id IF NOT EXISTS
    FOR (n:`Paper`) REQUIRE n.`paper_id` IS UNIQUE
    """
    statements = []
    for label in Label:
        key = NODE_KEY[label]
        statements.append(
            f"CREATE CONSTRAINT paperkg_{label.value.lower()}_{key} IF NOT EXISTS "
            f"FOR (n:{quote_name(label.value)}) REQUIRE n.{quote_name(key)} IS UNIQUE"
        )
    for label, properties in INDEXES.items():
        for prop in properties:
            statements.append(
                f"CREATE INDEX paperkg_{label.value.lower()}_{prop} IF NOT EXISTS "
                f"FOR (n:{quote_name(label.value)}) ON (n.{quote_name(prop)})"
            )
    for name, (label, properties) in FULLTEXT_INDEXES.items():
        fields = ", ".join(f"n.{quote_name(prop)}" for prop in properties)
        statements.append(
            f"CREATE FULLTEXT INDEX {name} IF NOT EXISTS "
            f"FOR (n:{quote_name(label.value)}) ON EACH [{fields}]"
        )
    return statements


_STAMP = quote_name(LOAD_STAMP)


def node_statement(label: Label, *, create: bool = False, stamp: str = "$stamp") -> str:
    """The Cypher script's batch statement for nodes of ``label``; rows are ``{key, props}``.

    ``create``: the rows' keys are not in the database yet. ``stamp`` is the
    Cypher expression of the load's stamp (a literal in a script).
    """
    if create:
        pattern = f"CREATE (n:{quote_name(label.value)})"
    else:
        key = quote_name(NODE_KEY[label])
        pattern = f"MERGE (n:{quote_name(label.value)} {{{key}: row.key}})"
    return f"UNWIND $rows AS row {pattern} SET n = row.props, n.{_STAMP} = {stamp}"


def relationship_statement(rel: Rel, *, create: bool = False, stamp: str = "$stamp") -> str:
    """The Cypher script's statement for ``rel``; rows are ``{source, target, props}`` (keys).

    ``create``: one end is a node this load created, so the relationship is not
    there yet. It returns how many rows found both endpoints, so a missing node
    is noticed.
    """
    source, target = EDGE_ENDPOINTS[rel]
    verb = "CREATE" if create else "MERGE"
    return (
        f"UNWIND $rows AS row "
        f"MATCH (a:{quote_name(source.value)} {{{quote_name(NODE_KEY[source])}: row.source}}) "
        f"MATCH (b:{quote_name(target.value)} {{{quote_name(NODE_KEY[target])}: row.target}}) "
        f"{verb} (a)-[r:{quote_name(rel.value)}]->(b) SET r = row.props, r.{_STAMP} = {stamp} "
        "RETURN count(r) AS merged"
    )


def node_write_statement(label: Label, *, create: bool = False) -> str:
    """The loader's batch statement for nodes of ``label``; returns each row's key and element id.

    Rows are ``{key, props}``, and ``id`` (the node's element id) for a node already
    in the database, which is found by that id rather than looked up in the key's index.
    """
    name = quote_name(label.value)
    if create:
        pattern = f"CREATE (n:{name})"
    else:
        key = quote_name(NODE_KEY[label])
        pattern = f"MATCH (n:{name}) WHERE elementId(n) = row.id AND n.{key} = row.key"
    return (
        f"UNWIND $rows AS row {pattern} SET n = row.props, n.{_STAMP} = $stamp "
        "RETURN row.key AS key, elementId(n) AS id"
    )


def relationship_write_statement(rel: Rel, *, create: bool = False) -> str:
    """The loader's batch statement for ``rel``; rows are ``{source, target, props}``, the ends
    given by element id (no index look-up) and matched with their labels. It returns how many
    rows found both ends.
    """
    source, target = EDGE_ENDPOINTS[rel]
    verb = "CREATE" if create else "MERGE"
    return (
        f"UNWIND $rows AS row "
        f"MATCH (a:{quote_name(source.value)}) WHERE elementId(a) = row.source "
        f"MATCH (b:{quote_name(target.value)}) WHERE elementId(b) = row.target "
        f"{verb} (a)-[r:{quote_name(rel.value)}]->(b) SET r = row.props, r.{_STAMP} = $stamp "
        "RETURN count(r) AS merged"
    )


def stale_node_statement(label: Label) -> str:
    """Delete up to ``$limit`` nodes of ``label`` not written by the load ``$stamp``."""
    return (
        f"MATCH (n:{quote_name(label.value)}) WHERE coalesce(n.{_STAMP}, '') <> $stamp "
        "WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS deleted"
    )


def stale_relationship_statement(rel: Rel) -> str:
    """Delete up to ``$limit`` ``rel`` relationships between paperkg's nodes not of ``$stamp``."""
    source, target = EDGE_ENDPOINTS[rel]
    return (
        f"MATCH (:{quote_name(source.value)})-[r:{quote_name(rel.value)}]->"
        f"(:{quote_name(target.value)}) WHERE coalesce(r.{_STAMP}, '') <> $stamp "
        "WITH r LIMIT $limit DELETE r RETURN count(*) AS deleted"
    )


#: Value types stored as they are: the common case, checked in one pass in C.
_PLAIN = frozenset({str, int, float, bool, list, datetime.date})


def _properties(data: dict[str, Any], drop: str) -> dict[str, Any]:
    """Neo4j property values: no ``None`` (absent), lists as lists, no nested maps; dates
    and bursts as :func:`exporters._values.store_values` makes them."""
    props = dict(data)
    props.pop(drop, None)
    if not STORED.isdisjoint(props):
        props = store_values(props)
    if _PLAIN.issuperset(map(type, props.values())):
        return props
    props = {name: value for name, value in props.items() if value is not None}
    for name, value in props.items():
        if isinstance(value, tuple):
            props[name] = list(value)
        elif isinstance(value, dict):
            raise ExportError(f"property {name!r} is a map; Neo4j properties cannot hold maps")
    return props


def node_rows(kg: KnowledgeGraph, label: Label) -> list[dict[str, Any]]:
    """One ``{key, props}`` row per node of ``label``, in graph order."""
    key = NODE_KEY[label]
    return [{"key": d[key], "props": _properties(d, LABEL)} for _, d in kg.nodes(label)]


def relationship_rows(kg: KnowledgeGraph, rel: Rel) -> list[dict[str, Any]]:
    """One ``{source, target, props}`` row per edge of ``rel``, endpoints by key."""
    source_label, target_label = EDGE_ENDPOINTS[rel]
    nodes = kg.graph.nodes
    return [
        {
            "source": nodes[u][NODE_KEY[source_label]],
            "target": nodes[v][NODE_KEY[target_label]],
            "props": _properties(d, TYPE),
        }
        for u, v, d in kg.edges(rel)
    ]


def graph_rows(
    kg: KnowledgeGraph,
) -> tuple[dict[Label, list[dict[str, Any]]], dict[Rel, list[dict[str, Any]]]]:
    """:func:`node_rows` of every label and :func:`relationship_rows` of every type, in one
    pass over the graph (a big graph has a million edges)."""
    labels = {label.value: label for label in Label}
    types = {rel.value: rel for rel in Rel}
    nodes: dict[Label, list[dict[str, Any]]] = {label: [] for label in Label}
    keys: dict[Any, Any] = {}  # node id -> key, for the nodes with one of paperkg's labels
    for node, data in kg.graph.nodes(data=True):
        label = labels.get(data.get(LABEL))
        if label is not None:
            keys[node] = key = data[NODE_KEY[label]]
            nodes[label].append({"key": key, "props": _properties(data, LABEL)})
    relationships: dict[Rel, list[dict[str, Any]]] = {rel: [] for rel in Rel}
    for u, v, kind, data in kg.graph.edges(keys=True, data=True):
        rel = types.get(kind)
        if rel is not None:
            # An end without a label of paperkg's has no key here: the row matches no node.
            row = {"source": keys.get(u), "target": keys.get(v), "props": _properties(data, TYPE)}
            relationships[rel].append(row)
    return nodes, relationships


def _batches(rows: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def connect(uri: str, user: str, password: str, database: str | None = None) -> Any:
    """Open a driver and check the server, the credentials and the database answer.

    Every failure a user can fix becomes a one-line :class:`ExportError`:
    server down, wrong password, unknown database, TLS on one side only.
    """
    import neo4j
    from neo4j import exceptions as nx_exc

    scheme = urlsplit(uri).scheme
    if scheme not in SCHEMES:
        raise ConfigError(
            f"unsupported Neo4j URI {uri!r}; the scheme must be one of: {', '.join(SCHEMES)}"
        )
    tls = "+s" in scheme
    try:
        driver = neo4j.GraphDatabase.driver(
            uri,
            auth=(user, password),
            connection_timeout=10,
            max_transaction_retry_time=30,
            notifications_min_severity="OFF",
        )
    except (ValueError, nx_exc.ConfigurationError) as exc:
        raise ConfigError(f"invalid Neo4j URI {uri!r}: {exc}") from None
    try:
        driver.verify_connectivity()
        with driver.session(database=database) as session:
            session.run("RETURN 1").consume()
    except nx_exc.AuthError:
        driver.close()
        raise ExportError(
            f"Neo4j at {uri} refused user {user!r}: wrong user name or password"
        ) from None
    except nx_exc.ClientError as exc:
        driver.close()
        if exc.code and "DatabaseNotFound" in exc.code:
            raise ExportError(
                f"Neo4j at {uri} has no database {database!r}; "
                "leave out --database to use the server's default one"
            ) from None
        raise ExportError(f"Neo4j at {uri}: {exc.message}") from None
    except (nx_exc.ServiceUnavailable, nx_exc.SessionExpired, OSError) as exc:
        driver.close()
        text = str(exc)
        if tls or "SSL" in text or "TLS" in text:
            hint = (
                "TLS handshake failed: does the server accept TLS on this port? "
                "use bolt:// or neo4j:// for a server without TLS"
                if tls
                else "the server may require TLS: try bolt+s:// or neo4j+s://"
            )
            raise ExportError(f"cannot connect to Neo4j at {uri}: {hint}") from None
        raise ExportError(
            f"cannot connect to Neo4j at {uri}: no server answers there (is it running?)"
        ) from None
    return driver


def load_stamp(
    nodes: dict[Label, list[dict[str, Any]]], relationships: dict[Rel, list[dict[str, Any]]]
) -> str:
    """The load's id: 16 hex digits of the SHA-256 of every row, so the same graph gets the same."""
    digest = hashlib.sha256()
    for name, rows in [*nodes.items(), *relationships.items()]:
        digest.update(name.value.encode())
        digest.update(json.dumps(rows, ensure_ascii=False, sort_keys=True, default=str).encode())
    return digest.hexdigest()[:16]


def file_stamp(path: str | Path) -> str:
    """A load's id for the graph in a file: 16 hex digits of the SHA-256 of its bytes.

    Cheaper than :func:`load_stamp` for a big graph, and as good: a different
    graph is a different file. (The same graph written differently gets another
    stamp, which only re-stamps everything.)
    """
    digest = hashlib.sha256()
    with Path(path).open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()[:16]


def _execute_write(session: Any, work: Callable[[Any], Any]) -> tuple[Any, int]:
    """Run ``work`` in a managed write transaction: its result, and how many times the
    driver ran it again after a transient error (a lock conflict between two writers)."""
    attempts = 0

    def counted(tx: Any) -> Any:
        nonlocal attempts
        attempts += 1
        return work(tx)

    return session.execute_write(counted), attempts - 1


def _write(
    session: Any, statement: str, rows: list[dict[str, Any]], stamp: str
) -> tuple[list[list[Any]], int]:
    """Run one batch in a managed write transaction: the statement's records as lists, and
    the number of retries."""

    def work(tx: Any) -> list[list[Any]]:
        result = tx.run(statement, rows=rows, stamp=stamp)
        values = result.values()
        result.consume()
        return values

    return _execute_write(session, work)


def _delete_in_batches(session: Any, statement: str, batch_size: int, **params: Any) -> int:
    """Run a ``... LIMIT $limit ... RETURN count(*) AS deleted`` statement until it deletes none."""

    def work(tx: Any) -> int:
        result = tx.run(statement, limit=batch_size, **params)
        count = result.single()["deleted"]
        result.consume()
        return count

    deleted = 0
    while count := _execute_write(session, work)[0]:
        deleted += count
    return deleted


def delete_paperkg_nodes(session: Any, batch_size: int = DEFAULT_BATCH_SIZE) -> int:
    """Delete every node with one of paperkg's labels, ``batch_size`` per transaction.

    ``DETACH DELETE`` also removes every relationship that touches those nodes,
    a user's own included; a node without one of paperkg's labels is never deleted.
    """
    for rel in Rel:  # first, so that a batch of nodes takes few relationships with it
        source, target = EDGE_ENDPOINTS[rel]
        statement = (
            f"MATCH (:{quote_name(source.value)})-[r:{quote_name(rel.value)}]->"
            f"(:{quote_name(target.value)}) WITH r LIMIT $limit DELETE r RETURN count(*) AS deleted"
        )
        _delete_in_batches(session, statement, batch_size)
    deleted = 0
    for label in Label:
        statement = (
            f"MATCH (n:{quote_name(label.value)}) WITH n LIMIT $limit "
            "DETACH DELETE n RETURN count(*) AS deleted"
        )
        deleted += _delete_in_batches(session, statement, batch_size)
    return deleted


def _existing_ids(session: Any, label: Label) -> dict[Any, str]:
    """The element id of every node of ``label`` in the database, by key."""
    key = quote_name(NODE_KEY[label])
    result = session.run(f"MATCH (n:{quote_name(label.value)}) RETURN n.{key}, elementId(n)")
    return dict(result.values())


#: Element ids by key, for every label: the nodes already there, then those the load wrote.
_Ids = dict[Label, dict[Any, str]]


@dataclass
class _Stage:
    """The rows of one label or type, split into those to create and those to merge."""

    item: Label | Rel
    total: int
    parts: list[tuple[str, list[dict[str, Any]]]]


def _node_stages(existing: _Ids, nodes: dict[Label, list[dict[str, Any]]]) -> list[_Stage]:
    """Per label: rows whose key is new to the database, to create; the others, with their
    element ids, to update."""
    stages = []
    for label, rows in nodes.items():
        ids = existing[label]
        created = [row for row in rows if row["key"] not in ids]
        merged = [{**row, "id": ids[row["key"]]} for row in rows if row["key"] in ids]
        parts = [
            (node_write_statement(label, create=True), created),
            (node_write_statement(label), merged),
        ]
        stages.append(_Stage(label, len(rows), parts))
    return stages


def _relationship_stages(
    existing: _Ids, ids: _Ids, relationships: dict[Rel, list[dict[str, Any]]]
) -> list[_Stage]:
    """Per type: the rows with their ends as element ids (``None`` for an end the graph does
    not have as a node, which then matches nothing), split into those with a node new to the
    database at one end, to create, and the others, to merge. The rows are changed in place."""
    stages = []
    for rel, rows in relationships.items():
        source, target = EDGE_ENDPOINTS[rel]
        old_sources, old_targets = existing[source], existing[target]
        source_ids, target_ids = ids[source], ids[target]
        created, merged = [], []
        for row in rows:
            old = row["source"] in old_sources and row["target"] in old_targets
            (merged if old else created).append(row)
            row["source"] = source_ids.get(row["source"])
            row["target"] = target_ids.get(row["target"])
        parts = [
            (relationship_write_statement(rel, create=True), created),
            (relationship_write_statement(rel), merged),
        ]
        stages.append(_Stage(rel, len(rows), parts))
    return stages


def load(
    kg: KnowledgeGraph,
    driver: Any,
    database: str | None = None,
    *,
    replace: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    workers: int = DEFAULT_WORKERS,
    progress: Progress | None = None,
    stamp: str | None = None,
) -> LoadReport:
    """Make paperkg's nodes and relationships in the database those of ``kg``.

    Parameters
    ----------
    kg
        The graph to load.
    driver
        A driver from :func:`connect`.
    database
        The database name, or ``None`` for the server's default database.
    replace
        First delete every node with one of paperkg's labels (and so every
        relationship attached to one, a user's own included).
    batch_size
        Rows per write transaction.
    workers
        Sessions writing side by side (each stage's rows split between them).
    progress
        Called as ``progress(stage, done, total)`` after every batch.
    stamp
        The load's id (:func:`file_stamp` of the graph's file), different for
        every different graph; default :func:`load_stamp` of its rows.

    Returns
    -------
    LoadReport
        Rows sent, what was deleted, and the counts found in the database afterwards.

    Raises
    ------
    ExportError
        When the database does not hold exactly the nodes and relationships of
        ``kg`` afterwards (the final count check).
    """
    started = time.perf_counter()
    with gc_paused(), _driver_failures():
        report = _load(kg, driver, database, replace, batch_size, workers, progress, stamp)
    report.seconds = time.perf_counter() - started
    return report


#: Said of every load a failure stopped: a rerun writes what is missing, nothing twice.
INCOMPLETE = "the load is incomplete; rerunning completes it"


@contextmanager
def _driver_failures() -> Iterator[None]:
    """A server that stops answering, or keeps failing a batch, becomes one :class:`ExportError`.

    The driver's own log lines (a lost connection, each retried transaction) are kept
    from stderr: with no logging set up, Python would print them. A retried batch is
    counted where it runs (:func:`_execute_write`).
    """
    from neo4j import exceptions as nx_exc

    logger = logging.getLogger(_DRIVER_LOGGER)
    silent = logging.NullHandler()
    logger.addHandler(silent)
    try:
        yield
    except (nx_exc.ServiceUnavailable, nx_exc.SessionExpired) as exc:
        raise ExportError(f"Neo4j stopped answering ({type(exc).__name__}); {INCOMPLETE}") from None
    except nx_exc.TransientError as exc:
        raise ExportError(f"Neo4j failed a batch ({exc.code}); {INCOMPLETE}") from None
    finally:
        logger.removeHandler(silent)


#: The driver's loggers (connections, sessions, retries).
_DRIVER_LOGGER = "neo4j"


def _load(
    kg: KnowledgeGraph,
    driver: Any,
    database: str | None,
    replace: bool,
    batch_size: int,
    workers: int,
    progress: Progress | None,
    stamp: str | None,
) -> LoadReport:
    nodes, relationships = graph_rows(kg)
    report = LoadReport(stamp=stamp or load_stamp(nodes, relationships))
    with driver.session(database=database) as session:
        if replace:
            report.deleted = delete_paperkg_nodes(session, batch_size)
        for statement in schema_statements():
            session.run(statement).consume()
        writer = _Writer(driver, database, report.stamp, batch_size, progress)
        existing = {label: _existing_ids(session, label) for label in Label}
        node_stages = _node_stages(existing, nodes)
        ids = writer.write(_plan(node_stages, workers, batch_size), node_stages)
        rel_stages = _relationship_stages(existing, ids, relationships)
        writer.write(_plan(rel_stages, workers, batch_size), rel_stages)
        report.rows = sum(stage.total for stage in [*node_stages, *rel_stages])
        report.retries = writer.retries
        if any(existing.values()):  # else every paperkg node and relationship is this load's
            _remove_stale(session, report, batch_size)
        _check_counts(session, nodes, relationships, report)
    return report


def _remove_stale(session: Any, report: LoadReport, batch_size: int) -> None:
    """Delete paperkg's relationships, then nodes, without this load's stamp.

    Relationships first, so that a batch of nodes takes few relationships with it.
    """
    for rel in Rel:
        report.stale_relationships += _delete_in_batches(
            session, stale_relationship_statement(rel), batch_size, stamp=report.stamp
        )
    for label in Label:
        report.stale_nodes += _delete_in_batches(
            session, stale_node_statement(label), batch_size, stamp=report.stamp
        )


#: One writer's work: (label or type, statement, rows), written in this order.
_Job = list[tuple[Label | Rel, str, list[dict[str, Any]]]]

#: The type between papers and concepts, split between writers by its target; every other
#: type goes to a lane of types whose nodes no other lane touches (:func:`_plan`).
_SPLIT_TYPES = (Rel.MENTIONS,)


def _split(
    rows: list[dict[str, Any]], field: str, order: str | None, parts: int
) -> list[list[dict[str, Any]]]:
    """Rows in up to ``parts`` groups by a stable hash of ``row[field]``, each sorted by ``order``.

    Grouped by their target node and sorted by their source node, relationships
    of two writers never lock the same target, and lock shared sources in the
    same order, so the writers mostly wait for each other rather than deadlock
    (the server's own locks still make it report one now and then).
    """
    groups: list[list[dict[str, Any]]] = [[] for _ in range(parts)]
    for row in rows:
        groups[zlib.crc32(str(row[field]).encode()) % parts].append(row)
    if order is not None:
        for group in groups:
            group.sort(key=lambda row: str(row[order]))
    return [group for group in groups if group]


def _lanes(rels: list[Rel]) -> list[list[Rel]]:
    """``rels`` grouped so that no two groups have a node label in common."""
    lanes: list[tuple[set[Label], list[Rel]]] = []
    for rel in rels:
        labels = set(EDGE_ENDPOINTS[rel])
        joined = [lane for lane in lanes if lane[0] & labels]
        for lane in joined:
            lanes.remove(lane)
            labels |= lane[0]
        lanes.append((labels, [r for lane in joined for r in lane[1]] + [rel]))
    return [sorted(group, key=list(Rel).index) for _, group in lanes]


def _plan(stages: list[_Stage], workers: int, batch_size: int) -> list[list[_Job]]:
    """Phases, one after the other, each of jobs that run side by side on separate nodes.

    Nodes of a label, split by key (no two writers create the same node); the
    split types, by target; then the other types, one writer per lane (lanes
    share no node).
    """
    phases: list[list[_Job]] = []
    for stage in stages:
        if isinstance(stage.item, Label) or stage.item in _SPLIT_TYPES:
            field, order = ("key", None) if isinstance(stage.item, Label) else ("target", "source")
            for statement, rows in stage.parts:
                parts = workers if len(rows) > batch_size else 1
                groups = _split(rows, field, order, parts) if parts > 1 else [rows]
                phases.append([[(stage.item, statement, group)] for group in groups])
    by_type = {stage.item: stage for stage in stages if isinstance(stage.item, Rel)}
    others = [rel for rel in by_type if rel not in _SPLIT_TYPES]
    lanes = _lanes(others) if workers > 1 else [others]
    phases.append(
        [
            [(rel, statement, rows) for rel in lane for statement, rows in by_type[rel].parts]
            for lane in lanes
        ]
    )
    return [[job for job in phase if any(rows for _, _, rows in job)] for phase in phases]


#: What a writer reports after each batch: the label or type, rows sent, the statement's
#: records (``[key, element id]`` per node written, or ``[[rows merged]]``) and its retries.
_Batch = tuple[Label | Rel, int, list[list[Any]], int]


@dataclass
class _Writer:
    """Where rows go: the driver, the database, the load's stamp, its batch size and progress."""

    driver: Any
    database: str | None
    stamp: str
    batch_size: int
    progress: Progress | None = None
    retries: int = 0

    def inline(self, job: _Job) -> Iterator[_Batch]:
        """Write a job batch by batch in this thread; yield each batch's results."""
        with self.driver.session(database=self.database) as session:
            for item, statement, rows in job:
                for batch in _batches(rows, self.batch_size):
                    records, retries = _write(session, statement, batch, self.stamp)
                    yield item, len(batch), records, retries

    def side_by_side(self, jobs: list[_Job]) -> Iterator[_Batch]:
        """Write each job on a session and thread of its own; yield each batch's results.

        An error in one writer, or the caller stopping early, stops the others
        after their current batch; the error is raised once all have finished.
        """
        results: queue.SimpleQueue = queue.SimpleQueue()
        stop = threading.Event()

        def run(job: _Job) -> None:
            try:
                for batch in self.inline(job):
                    results.put(batch)
                    if stop.is_set():
                        break
            except BaseException as exc:  # handed to the main thread, which raises it
                results.put(exc)
            finally:
                results.put(None)

        threads = [threading.Thread(target=run, args=(job,), daemon=True) for job in jobs]
        for thread in threads:
            thread.start()
        error: BaseException | None = None
        try:
            running = len(threads)
            while running:
                item = results.get()
                if item is None:
                    running -= 1
                elif isinstance(item, BaseException):
                    error = error or item
                    stop.set()
                elif error is None:
                    yield item
        finally:
            stop.set()
            for thread in threads:
                thread.join()
        if error is not None:
            raise error

    def write(self, phases: list[list[_Job]], stages: list[_Stage]) -> _Ids:
        """Write the phases one after the other; check every row was written.

        Returns the element ids of the nodes written, by label and key; adds the
        batches retried to :attr:`retries`.
        """
        totals = {stage.item: stage.total for stage in stages}
        done = dict.fromkeys(totals, 0)
        written = dict.fromkeys(totals, 0)
        ids: _Ids = {label: {} for label in Label}
        for jobs in filter(None, phases):
            # One writer runs in this thread, so that progress can stop it after any batch.
            batches = self.side_by_side(jobs) if len(jobs) > 1 else self.inline(jobs[0])
            with closing(batches):  # stops and joins the writers if progress raises
                for item, sent, records, retries in batches:
                    self.retries += retries
                    done[item] += sent
                    if isinstance(item, Label):
                        ids[item].update(records)
                        written[item] += len(records)
                    else:
                        written[item] += records[0][0]
                    if self.progress:
                        self.progress(item.value, done[item], totals[item])
        for item, total in totals.items():
            if written[item] != total:
                what = (
                    "nodes were not found"
                    if isinstance(item, Label)
                    else ("relationships found no endpoint")
                )
                raise ExportError(
                    f"{item.value}: {total - written[item]} of {total} {what} in the database; "
                    "was a node deleted during the load?"
                )
        return ids


def _check_counts(
    session: Any,
    nodes: dict[Label, list[dict[str, Any]]],
    relationships: dict[Rel, list[dict[str, Any]]],
    report: LoadReport,
) -> None:
    """The database holds exactly the graph's nodes, and as many relationships of each type."""
    for label, rows in nodes.items():
        keys = [row["key"] for row in rows]
        statement = (
            f"MATCH (n:{quote_name(label.value)}) "
            f"RETURN count(n) AS total, count(CASE WHEN n.{quote_name(NODE_KEY[label])} IN $keys "
            "THEN 1 END) AS loaded"
        )
        record = session.run(statement, keys=keys).single()
        report.nodes[label.value] = record["total"]
        if record["loaded"] != len(keys) or record["total"] != len(keys):
            raise ExportError(
                f"count check failed: {record['total']} {label.value} nodes in the database, "
                f"{record['loaded']} of the graph's {len(keys)}; did another load run meanwhile?"
            )
    for rel, rows in relationships.items():
        source, target = EDGE_ENDPOINTS[rel]
        statement = (
            f"MATCH (:{quote_name(source.value)})-[r:{quote_name(rel.value)}]->"
            f"(:{quote_name(target.value)}) RETURN count(r) AS total"
        )
        total = session.run(statement).single()["total"]
        report.relationships[rel.value] = total
        if total != len(rows):
            raise ExportError(
                f"count check failed: {total} {rel.value} relationships in the database, "
                f"{len(rows)} in the graph; did another load run meanwhile?"
            )
