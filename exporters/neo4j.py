"""Load a finished graph into a Neo4j server with the official driver.

The load is idempotent and incremental: it creates the uniqueness constraints
and indexes of the schema, then ``MERGE``\\ s nodes by their key and
relationships by their endpoints and type, in batches of ``UNWIND $rows``,
each in a managed write transaction (the driver retries transient errors).
A node's or relationship's properties are set to exactly those of the graph,
so loading a graph built from more papers updates ``df``, weights, ``shared``
lists of what was loaded before, and loading the same graph twice changes
nothing. A load interrupted halfway completes on the next run.

Only paperkg's labels and relationship types (:mod:`graph_builder.schema`) are
ever written or deleted; they are the only names spliced into query text, and
every value is a query parameter. ``replace=True`` first deletes the nodes
with paperkg's labels (and so their relationships), in batches.

Examples
--------
>>> node_statement(Label.CONCEPT)
'UNWIND $rows AS row MERGE (n:`Concept` {`key`: row.key}) SET n = row.props'
>>> relationship_statement(Rel.MENTIONS)  # doctest: +NORMALIZE_WHITESPACE
'UNWIND $rows AS row MATCH (a:`Paper` {`paper_id`: row.source})
 MATCH (b:`Concept` {`key`: row.target}) MERGE (a)-[r:`MENTIONS`]->(b) SET r = row.props
 RETURN count(r) AS merged'
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from graph_builder.errors import ConfigError, ExportError
from graph_builder.model import KnowledgeGraph
from graph_builder.schema import EDGE_ENDPOINTS, LABEL, NODE_KEY, TYPE, Label, Rel

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "INDEXES",
    "SCHEMES",
    "LoadReport",
    "Progress",
    "connect",
    "delete_paperkg_nodes",
    "load",
    "node_rows",
    "node_statement",
    "quote_name",
    "relationship_rows",
    "relationship_statement",
    "schema_statements",
]

#: Rows per transaction. Big enough that round trips do not dominate, small
#: enough that a transaction stays a few megabytes.
DEFAULT_BATCH_SIZE = 2000

#: URI schemes the official driver accepts (``+s``: TLS with a verified
#: certificate, ``+ssc``: TLS accepting a self-signed one).
SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")

#: Range indexes beyond the key constraints: properties the cookbook filters on.
INDEXES: dict[Label, tuple[str, ...]] = {
    Label.PAPER: ("year",),
    Label.CONCEPT: ("name", "df"),
}

#: ``progress(stage, done, total)``: stage is a label or relationship type.
Progress = Callable[[str, int, int], None]


@dataclass
class LoadReport:
    """What a load did: rows sent, and nodes/relationships of each kind now in the database."""

    rows: int = 0
    deleted: int = 0
    seconds: float = 0.0
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
    return statements


def node_statement(label: Label) -> str:
    """The batch statement for nodes of ``label``; rows are ``{key, props}``."""
    key = quote_name(NODE_KEY[label])
    pattern = f"(n:{quote_name(label.value)} {{{key}: row.key}})"
    return f"UNWIND $rows AS row MERGE {pattern} SET n = row.props"


def relationship_statement(rel: Rel) -> str:
    """The batch statement for relationships of ``rel``; rows are ``{source, target, props}``.

    It returns how many rows found both endpoints, so a missing node is noticed.
    """
    source, target = EDGE_ENDPOINTS[rel]
    return (
        f"UNWIND $rows AS row "
        f"MATCH (a:{quote_name(source.value)} {{{quote_name(NODE_KEY[source])}: row.source}}) "
        f"MATCH (b:{quote_name(target.value)} {{{quote_name(NODE_KEY[target])}: row.target}}) "
        f"MERGE (a)-[r:{quote_name(rel.value)}]->(b) SET r = row.props RETURN count(r) AS merged"
    )


def _properties(data: dict[str, Any], drop: str) -> dict[str, Any]:
    """Neo4j property values: no ``None`` (absent), lists as lists, no nested maps."""
    props = {}
    for name, value in data.items():
        if name == drop or value is None:
            continue
        if isinstance(value, tuple):
            value = list(value)
        if isinstance(value, dict):
            raise ExportError(f"property {name!r} is a map; Neo4j properties cannot hold maps")
        props[name] = value
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


def _write(session: Any, statement: str, rows: list[dict[str, Any]]) -> int:
    def work(tx: Any) -> int:
        result = tx.run(statement, rows=rows)
        record = result.single()
        result.consume()
        # Node statements return nothing; relationship ones how many found their endpoints.
        return record["merged"] if record is not None else len(rows)

    return session.execute_write(work)


def delete_paperkg_nodes(session: Any, batch_size: int = DEFAULT_BATCH_SIZE) -> int:
    """Delete every node with one of paperkg's labels, ``batch_size`` per transaction.

    ``DETACH DELETE`` also removes relationships that touch those nodes; no
    node of another label is deleted.
    """
    deleted = 0
    for label in Label:
        statement = (
            f"MATCH (n:{quote_name(label.value)}) WITH n LIMIT $limit "
            "DETACH DELETE n RETURN count(*) AS deleted"
        )

        def work(tx: Any, statement: str = statement) -> int:
            result = tx.run(statement, limit=batch_size)
            count = result.single()["deleted"]
            result.consume()
            return count

        while True:
            count = session.execute_write(work)
            deleted += count
            if count == 0:
                break
    return deleted


def load(
    kg: KnowledgeGraph,
    driver: Any,
    database: str | None = None,
    *,
    replace: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress | None = None,
) -> LoadReport:
    """Write ``kg`` into the database: schema, then nodes, then relationships.

    Parameters
    ----------
    kg
        The graph to load.
    driver
        A driver from :func:`connect`.
    database
        The database name, or ``None`` for the server's default database.
    replace
        Delete paperkg's nodes (only those labels) before loading.
    batch_size
        Rows per write transaction.
    progress
        Called as ``progress(stage, done, total)`` after every batch.

    Returns
    -------
    LoadReport
        Rows sent and the counts found in the database afterwards.

    Raises
    ------
    ExportError
        When the database does not hold every node and relationship of ``kg``
        afterwards (the final count check).
    """
    started = time.perf_counter()
    report = LoadReport()
    with driver.session(database=database) as session:
        if replace:
            report.deleted = delete_paperkg_nodes(session, batch_size)
        for statement in schema_statements():
            session.run(statement).consume()
        for label in Label:
            rows = node_rows(kg, label)
            statement = node_statement(label)
            done = 0
            for batch in _batches(rows, batch_size):
                _write(session, statement, batch)
                done += len(batch)
                if progress:
                    progress(label.value, done, len(rows))
            report.rows += len(rows)
        for rel in Rel:
            rows = relationship_rows(kg, rel)
            statement = relationship_statement(rel)
            done = merged = 0
            for batch in _batches(rows, batch_size):
                merged += _write(session, statement, batch)
                done += len(batch)
                if progress:
                    progress(rel.value, done, len(rows))
            if merged != len(rows):
                raise ExportError(
                    f"{rel.value}: {len(rows) - merged} of {len(rows)} relationships found no "
                    "endpoint in the database; was a node deleted during the load?"
                )
            report.rows += len(rows)
        _check_counts(session, kg, report)
    report.seconds = time.perf_counter() - started
    return report


def _check_counts(session: Any, kg: KnowledgeGraph, report: LoadReport) -> None:
    """Every node of ``kg`` is in the database, and as many relationships of each type."""
    for label in Label:
        keys = [d[NODE_KEY[label]] for _, d in kg.nodes(label)]
        statement = (
            f"MATCH (n:{quote_name(label.value)}) "
            f"RETURN count(n) AS total, count(CASE WHEN n.{quote_name(NODE_KEY[label])} IN $keys "
            "THEN 1 END) AS loaded"
        )
        record = session.run(statement, keys=keys).single()
        report.nodes[label.value] = record["total"]
        if record["loaded"] != len(keys):
            raise ExportError(
                f"count check failed: {record['loaded']} of {len(keys)} {label.value} nodes "
                "are in the database"
            )
    for rel in Rel:
        source, target = EDGE_ENDPOINTS[rel]
        statement = (
            f"MATCH (:{quote_name(source.value)})-[r:{quote_name(rel.value)}]->"
            f"(:{quote_name(target.value)}) RETURN count(r) AS total"
        )
        total = session.run(statement).single()["total"]
        report.relationships[rel.value] = total
        if total < kg.count(rel):
            raise ExportError(
                f"count check failed: {total} {rel.value} relationships in the database, "
                f"{kg.count(rel)} in the graph"
            )
