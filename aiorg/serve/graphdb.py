"""Outgrowing one machine: what a shared graph database needs beyond `aiorg export cypher`.

The script MERGEs every node and edge by id, so loading it again adds nothing. A shared
database also wants a uniqueness constraint on each label's id, a full-text index on names,
and dates as dates. This module writes those statements from the model, for Neo4j 5 (each IF
NOT EXISTS, so a second run changes nothing) and for FalkorDB (which has no IF NOT EXISTS: a
second run answers 'already indexed' / 'already exists', which a loader ignores).
docs/graph-database.md gives the whole sequence; tests/test_serve_graph.py runs it against
FalkorDB twice.
"""

from __future__ import annotations

import dataclasses
import typing

from aiorg.dates import FuzzyDate
from aiorg.export.cypher import label_of
from aiorg.model import NAMED_KINDS, RECORD_KINDS, RECORD_TYPES
from aiorg.names import NAME_FIELDS

#: what a FalkorDB answers when an index or constraint the schema asks for exists already
ALREADY_THERE = ("already indexed", "already exists")


def _date_fields() -> tuple[str, ...]:
    """Every field (or derived property, such as a deal's date) of a record that holds a fuzzy date."""
    names: dict[str, None] = {}
    for cls in RECORD_TYPES:
        hints = typing.get_type_hints(cls)
        for item in dataclasses.fields(cls):
            if FuzzyDate in (hints[item.name], *typing.get_args(hints[item.name])):
                names[item.name] = None
        for derived in getattr(cls, "DERIVED", ()):
            prop = getattr(cls, derived, None)
            fget = prop.fget if isinstance(prop, property) else None
            if fget is not None and "FuzzyDate" in str(typing.get_type_hints(fget).get("return")):
                names[derived] = None
    return tuple(names)


#: the properties that hold an ISO day (the bounds of a fuzzy date); the date as stated stays text
DATE_PROPERTIES: tuple[str, ...] = tuple(f"{name}_{end}" for name in _date_fields() for end in ("earliest", "latest"))
#: the labels found by name, and the properties that hold their names
NAMED_LABELS: tuple[str, ...] = tuple(label_of(RECORD_KINDS[kind].NODE) for kind in NAMED_KINDS)
NAME_PROPERTIES: tuple[str, ...] = tuple(name for name in NAME_FIELDS if name != "id")


def node_labels() -> list[str]:
    """Every node label an export can hold."""
    from aiorg.export.graphs import NODE_TYPES

    return sorted(label_of(node_type) for node_type in NODE_TYPES)


def date_statements() -> list[str]:
    """Cypher turning every ISO-day property, on nodes and relationships, into a date. Run after
    each load (a load writes them as text again); running it twice changes nothing."""
    statements = []
    for name in DATE_PROPERTIES:
        statements.append(f"MATCH (n) WHERE n.`{name}` IS NOT NULL SET n.`{name}` = date(toString(n.`{name}`))")
        statements.append(f"MATCH ()-[r]->() WHERE r.`{name}` IS NOT NULL SET r.`{name}` = date(toString(r.`{name}`))")
    return statements


def neo4j_schema() -> list[str]:
    """Neo4j 5: a uniqueness constraint on each label's id (it indexes the id too) and one full-text
    index over every named label's names, each IF NOT EXISTS. Run before loading the script, and
    load it without its CREATE INDEX lines: the constraints' indexes take their place."""
    statements = [
        f"CREATE CONSTRAINT aiorg_{label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
        for label in node_labels()
    ]
    on_each = ", ".join(f"n.{name}" for name in NAME_PROPERTIES)
    statements.append(
        f"CREATE FULLTEXT INDEX aiorg_names IF NOT EXISTS FOR (n:{'|'.join(NAMED_LABELS)}) ON EACH [{on_each}]"
    )
    return statements


def falkordb_fulltext() -> list[str]:
    """FalkorDB: a full-text index on the names of each named label (query it with
    CALL db.idx.fulltext.queryNodes('Person', 'Wei'))."""
    fields = ", ".join(f"n.{name}" for name in NAME_PROPERTIES)
    return [f"CREATE FULLTEXT INDEX FOR (n:{label}) ON ({fields})" for label in NAMED_LABELS]


def falkordb_constraints(graph: str) -> list[list[str]]:
    """FalkorDB: the GRAPH.CONSTRAINT commands (not Cypher) for a unique id on each label. Each
    needs the id index the script's CREATE INDEX line makes, so run them after the first load."""
    return [
        ["GRAPH.CONSTRAINT", "CREATE", graph, "UNIQUE", "NODE", label, "PROPERTIES", "1", "id"]
        for label in node_labels()
    ]
