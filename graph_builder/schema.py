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
    "Label",
    "Rel",
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

#: (source label, target label) of each relationship type.
EDGE_ENDPOINTS: dict[Rel, tuple[Label, Label]] = {
    Rel.MENTIONS: (Label.PAPER, Label.CONCEPT),
    Rel.RELATED_TO: (Label.PAPER, Label.PAPER),
    Rel.CO_OCCURS: (Label.CONCEPT, Label.CONCEPT),
    Rel.BROADER: (Label.CONCEPT, Label.CONCEPT),
    Rel.IN_TOPIC: (Label.CONCEPT, Label.TOPIC),
    Rel.WROTE: (Label.AUTHOR, Label.PAPER),
    Rel.IN_CATEGORY: (Label.PAPER, Label.CATEGORY),
    Rel.CITES: (Label.PAPER, Label.PAPER),
    Rel.CITES_WORK: (Label.PAPER, Label.WORK),
    Rel.COUPLED_WITH: (Label.PAPER, Label.PAPER),
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
