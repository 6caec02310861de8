"""The schema's uniqueness constraints, range indexes and full-text indexes in Neo4j."""

from __future__ import annotations

from exporters.neo4j.statements import quote_name
from graph_builder.schema import NODE_KEY, Label

__all__ = ["FULLTEXT_INDEXES", "INDEXES", "schema_statements"]

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
