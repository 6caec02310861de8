"""The Cypher of the load's batches and of the Cypher script: labels, types and property names
quoted into the text (only the schema's), every value a query parameter.

Examples
--------
>>> from graph_builder.schema import Label, Rel, edge_kinds
>>> mentions = edge_kinds(Rel.MENTIONS)[0]
>>> node_statement(Label.CONCEPT)  # doctest: +NORMALIZE_WHITESPACE
'UNWIND $rows AS row MERGE (n:`Concept` {`key`: row.key})
 SET n = row.props, n.`paperkg_load` = $stamp'
>>> relationship_statement(mentions, create=True)  # doctest: +NORMALIZE_WHITESPACE
'UNWIND $rows AS row MATCH (a:`Paper` {`paper_id`: row.source})
 MATCH (b:`Concept` {`key`: row.target}) CREATE (a)-[r:`MENTIONS`]->(b)
 SET r = row.props, r.`paperkg_load` = $stamp RETURN count(r) AS merged'
>>> relationship_write_statement(mentions, create=True)  # doctest: +NORMALIZE_WHITESPACE
'UNWIND $rows AS row MATCH (a:`Paper`) WHERE elementId(a) = row.source
 MATCH (b:`Concept`) WHERE elementId(b) = row.target CREATE (a)-[r:`MENTIONS`]->(b)
 SET r = row.props, r.`paperkg_load` = $stamp RETURN count(r) AS merged'
"""

from __future__ import annotations

from graph_builder.schema import LOAD_STAMP, NODE_KEY, EdgeKind, Label

__all__ = [
    "node_statement",
    "node_write_statement",
    "quote_name",
    "relationship_statement",
    "relationship_write_statement",
    "stale_node_statement",
    "stale_relationship_statement",
]


def quote_name(name: str) -> str:
    """Quote a label, type or property name as a Cypher identifier.

    >>> quote_name("Paper"), quote_name("we`ird")
    ('`Paper`', '`we``ird`')
    """
    return "`" + name.replace("`", "``") + "`"


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


def relationship_statement(kind: EdgeKind, *, create: bool = False, stamp: str = "$stamp") -> str:
    """The Cypher script's statement for ``kind``; rows are ``{source, target, props}`` (keys).

    ``create``: one end is a node this load created, so the relationship is not
    there yet. It returns how many rows found both endpoints, so a missing node
    is noticed.
    """
    rel, source, target = kind
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


def relationship_write_statement(kind: EdgeKind, *, create: bool = False) -> str:
    """The loader's batch statement for ``kind``; rows are ``{source, target, props}``, the ends
    given by element id (no index look-up) and matched with their labels. It returns how many
    rows found both ends.
    """
    rel, source, target = kind
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


def stale_relationship_statement(kind: EdgeKind) -> str:
    """Delete up to ``$limit`` relationships of ``kind`` (between paperkg's nodes) not of
    ``$stamp``."""
    rel, source, target = kind
    return (
        f"MATCH (:{quote_name(source.value)})-[r:{quote_name(rel.value)}]->"
        f"(:{quote_name(target.value)}) WHERE coalesce(r.{_STAMP}, '') <> $stamp "
        "WITH r LIMIT $limit DELETE r RETURN count(*) AS deleted"
    )
