"""The one place that spells the graph schema.

Labels, relationship types, node keys and property names used by the
networkx graph, every exporter and every documented query come from here.

Examples
--------
>>> node_id(Label.CONCEPT, "mean field")
'concept:mean field'
>>> NODE_KEY[Label.PAPER]
'paper_id'
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

__all__ = [
    "BURST_LISTS",
    "DATE_PROPERTIES",
    "EDGE_ENDPOINTS",
    "LABEL",
    "LIST_PROPERTIES",
    "LOAD_STAMP",
    "NAME",
    "NODE_KEY",
    "PROMINENCE",
    "RANK",
    "TYPE",
    "EdgeKind",
    "Label",
    "Rel",
    "edge_kind",
    "edge_kinds",
    "node_id",
]

#: Node attribute that holds a node's label, edge attribute that holds its type.
LABEL = "label"
TYPE = "type"


class Label(StrEnum):
    """Node labels."""

    PAPER = "Paper"
    CONCEPT = "Concept"
    AUTHOR = "Author"
    TOPIC = "Topic"
    CATEGORY = "Category"
    WORK = "Work"
    PERIOD = "Period"


class Rel(StrEnum):
    """Relationship types."""

    MENTIONS = "MENTIONS"
    RELATED_TO = "RELATED_TO"
    CO_OCCURS = "CO_OCCURS"
    BROADER = "BROADER"
    IN_TOPIC = "IN_TOPIC"
    WROTE = "WROTE"
    IN_CATEGORY = "IN_CATEGORY"
    CITES = "CITES"
    CITES_WORK = "CITES_WORK"
    COUPLED_WITH = "COUPLED_WITH"


#: Property of every node and relationship a Neo4j load writes: the load's id
#: (a hash of the graph's rows), so the load can remove what the graph no longer has.
LOAD_STAMP = "paperkg_load"

#: The property that identifies a node of each label (unique per label).
NODE_KEY: dict[Label, str] = {
    Label.PAPER: "paper_id",
    Label.CONCEPT: "key",
    Label.AUTHOR: "key",
    Label.TOPIC: "topic_id",
    Label.CATEGORY: "name",
    Label.WORK: "work_id",
    Label.PERIOD: "name",
}

#: The (source label, target label) pairs each relationship type joins, its main pair first.
EDGE_ENDPOINTS: dict[Rel, tuple[tuple[Label, Label], ...]] = {
    Rel.MENTIONS: ((Label.PAPER, Label.CONCEPT),),
    Rel.RELATED_TO: ((Label.PAPER, Label.PAPER),),
    Rel.CO_OCCURS: ((Label.CONCEPT, Label.CONCEPT),),
    Rel.BROADER: ((Label.CONCEPT, Label.CONCEPT),),
    Rel.IN_TOPIC: ((Label.CONCEPT, Label.TOPIC), (Label.PAPER, Label.TOPIC)),
    Rel.WROTE: ((Label.AUTHOR, Label.PAPER),),
    Rel.IN_CATEGORY: ((Label.PAPER, Label.CATEGORY),),
    Rel.CITES: ((Label.PAPER, Label.PAPER),),
    Rel.CITES_WORK: ((Label.PAPER, Label.WORK),),
    Rel.COUPLED_WITH: ((Label.PAPER, Label.PAPER),),
}


class EdgeKind(NamedTuple):
    """A relationship type between nodes of two labels: what a store keeps apart
    (a Neo4j statement, a neo4j-admin file) when the type joins several pairs."""

    rel: Rel
    source: Label
    target: Label

    @property
    def name(self) -> str:
        """The type's name for its main pair, else ``TYPE-Source-Target``.

        >>> [kind.name for kind in edge_kinds(Rel.IN_TOPIC)]
        ['IN_TOPIC', 'IN_TOPIC-Paper-Topic']
        """
        if (self.source, self.target) == EDGE_ENDPOINTS[self.rel][0]:
            return self.rel.value
        return f"{self.rel.value}-{self.source.value}-{self.target.value}"

    def __str__(self) -> str:
        return self.name


def edge_kinds(rel: Rel | None = None) -> tuple[EdgeKind, ...]:
    """Every (type, source label, target label) of the schema, or of ``rel``, in schema order.

    >>> [(k.source.value, k.target.value) for k in edge_kinds(Rel.IN_TOPIC)]
    [('Concept', 'Topic'), ('Paper', 'Topic')]
    """
    return _KINDS if rel is None else _KINDS_OF[rel]


def edge_kind(rel: str, source: str | None, target: str | None) -> EdgeKind:
    """The kind of a ``rel`` edge from a node labelled ``source`` to one labelled ``target``
    (the type's main pair when the schema has no such pair: such an edge matches no node).

    >>> edge_kind("IN_TOPIC", "Paper", "Topic").name
    'IN_TOPIC-Paper-Topic'
    """
    return _KIND_BY_LABELS.get((rel, source, target)) or _KINDS_OF[Rel(rel)][0]


_KINDS_OF = {r: tuple(EdgeKind(r, *pair) for pair in EDGE_ENDPOINTS[r]) for r in Rel}
_KINDS = tuple(kind for r in Rel for kind in _KINDS_OF[r])
_KIND_BY_LABELS: dict[tuple[str, str | None, str | None], EdgeKind] = {
    (k.rel.value, k.source.value, k.target.value): k for k in _KINDS
}


#: Concept properties that order "the top concepts" (see graph_builder.prominence):
#: how central the concept is to the corpus, and its place in that order (1 first).
PROMINENCE = "prominence"
RANK = "rank"

#: Properties whose values are lists (of strings, numbers or, for ``bursts``, maps).
#: Formats without lists (GraphML, GEXF, CSV) store them as JSON text and read them back
#: by this table.
LIST_PROPERTIES: frozenset[str] = frozenset(
    {
        "authors",
        "aliases",
        "spans",
        "shared",
        "categories",
        "keywords",
        "counts",
        "bursts",
        "evolution",
    }
)

#: Properties holding an ISO date: a Neo4j or LadybugDB ``DATE``.
DATE_PROPERTIES: frozenset[str] = frozenset({"date", "first_date", "last_date", "start"})
#: Neo4j and LadybugDB hold no maps: a concept's ``bursts`` are stored there as three
#: aligned lists, the first and last period and the strength of each burst.
BURST_LISTS = {"start": "burst_starts", "end": "burst_ends", "strength": "burst_strengths"}


#: Each label and type as a plain string (an enum's ``.value`` is slow on hot paths).
NAME: dict[Label | Rel, str] = {member: member.value for member in (*Label, *Rel)}
_PREFIX = {label: f"{label.value.lower()}:" for label in Label}


def node_id(label: Label, key: str) -> str:
    """Return the networkx node id of the node with this label and key.

    Ids are prefixed with the lowercased label so that a paper and a concept
    with the same key never collide.
    """
    return _PREFIX[label] + str(key)
