"""Neo4j exports: a Cypher script (MERGE by id, typed properties) and neo4j-admin import CSVs.

The script is plain Neo4j Cypher, one statement per line. The one dialect note: it starts
with `CREATE INDEX FOR (n:Label) ON (n.id)`, which Neo4j 5 and FalkorDB both accept but
neither lets you repeat (and FalkorDB has no IF NOT EXISTS). Loading the script again into
the same database duplicates nothing (every node and edge is MERGEd); skip or ignore the
CREATE INDEX lines the second time.
"""

from __future__ import annotations

import csv
import dataclasses
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiorg.errors import OutputError
from aiorg.export.files import atomic_directory, atomic_text
from aiorg.export.naming import edge_attributes, relation_of
from aiorg.graph import SOURCES_SEPARATOR
from aiorg.model import RECORD_TYPES

if TYPE_CHECKING:
    from aiorg.export.whole import ExportGraph
    from aiorg.kb import KnowledgeBase


def label_of(node_type: str) -> str:
    """'person' -> 'Person'."""
    return node_type.capitalize()


def relationship_of(edge_type: str) -> str:
    """'held_role_at' -> 'HELD_ROLE_AT', 'target_of' -> 'TARGETS': each reads forwards, (a)-[r]->(b)."""
    return relation_of(edge_type).upper()


#: characters str.splitlines() and editors break a line at, besides \n and \r
_OTHER_BREAKS = re.compile("[\x85\u2028\u2029\x1c-\x1e\x0b\x0c]")


def cypher_literal(value: Any) -> str:
    """A Cypher literal: strings escaped, numbers finite, booleans lower-case."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"cannot export non-finite number {value!r}")
        return repr(value)
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    broken = _OTHER_BREAKS.search(text)
    if broken is not None:  # FalkorDB reads no \u escape, so it could only be written raw
        raise OutputError(
            f"cypher: the value {str(value)!r} holds U+{ord(broken.group()):04X}, a line break to a line-by-line"
            " loader, which would cut its statement in two; remove it from the data"
        )
    return f'"{text}"'


def _property(name: str, value: Any) -> str:
    """A property's Cypher value: `sources` is a list of strings (n.sources holds every source id,
    so `'some-source' IN n.sources` finds what a source supports); the rest are scalars."""
    if name == "sources":
        return "[" + ", ".join(cypher_literal(item) for item in str(value).split(SOURCES_SEPARATOR)) + "]"
    return cypher_literal(value)


def _assignments(variable: str, data: dict[str, Any], skip: tuple[str, ...]) -> str:
    parts = [
        f"{variable}.`{name}` = {_property(name, value)}" for name, value in sorted(data.items()) if name not in skip
    ]
    return " SET " + ", ".join(parts) if parts else ""


def write_cypher(kb: KnowledgeBase, graph: ExportGraph, out: Path | None) -> None:
    """One MERGE per node and per edge; properties set explicitly so types survive."""
    types = sorted({str(data.get("type")) for _, data in graph.nodes})
    with atomic_text(out) as stream:
        stream.write("// aiorg export: load with `cypher-shell -f FILE` (Neo4j) or line by line (FalkorDB).\n")
        stream.writelines(f"CREATE INDEX FOR (n:{label_of(t)}) ON (n.id);\n" for t in types)
        for node, data in graph.nodes:
            label = label_of(str(data["type"]))
            stream.write(f"MERGE (n:{label} {{id: {cypher_literal(node)}}}){_assignments('n', data, ('type',))};\n")
        for u, v, key, data in graph.edges:
            a, b = label_of(graph.node_type(u)), label_of(graph.node_type(v))
            rel = relationship_of(str(data["type"]))
            properties = edge_attributes(data)
            stream.write(
                f"MATCH (a:{a} {{id: {cypher_literal(u)}}}), (b:{b} {{id: {cypher_literal(v)}}}) "
                f"MERGE (a)-[r:{rel} {{key: {cypher_literal(key)}}}]->(b)"
                f"{_assignments('r', properties, ('relation', 'edge_key'))};\n"
            )


#: record fields that are lists of ids or names, written as neo4j `string[]` (quotes stay one text),
#: and the `sources` every node and edge carries
LIST_FIELDS = frozenset(
    f.name
    for cls in RECORD_TYPES
    for f in dataclasses.fields(cls)
    if str(f.type).startswith("list[str]") and f.name != "quote"
) | {"sources"}
ARRAY_DELIMITER = ";"
#: list attributes whose items hold no ';' (source ids; field names, where a deal's `inferred` adds
#: its steps' to the record's own list: aiorg.step_marks), so their text is split, not re-read
_JOINED_NAMES = frozenset({"sources", "inferred"})
NEO4J_FILES = "nodes_*.csv and relationships.csv"


def _owned(name: str) -> bool:
    return name == "relationships.csv" or (name.startswith("nodes_") and name.endswith(".csv"))


def _neo4j_type(name: str, values: set[type]) -> str:
    if name in LIST_FIELDS:
        return ":string[]"
    if name.endswith(("_earliest", "_latest")):
        return ":date"  # always an ISO day; the date as stated stays text in the column without the suffix
    if values <= {bool}:
        return ":boolean"
    if values <= {int}:
        return ":long"
    if values <= {int, float}:
        return ":double"
    return ""


class _Cells:
    """Cell values for neo4j-admin: booleans lower-case, lists from the records joined by ';'."""

    def __init__(self, kb: KnowledgeBase, out: Path) -> None:
        self.kb = kb
        self.out = out

    def row(self, record_id: str, data: dict[str, Any], names: list[str]) -> list[Any]:
        return [
            self.cell(record_id, name, value)
            if name in LIST_FIELDS or type(value) is bool
            else ("" if value is None else value)
            for name, value in zip(names, map(data.get, names), strict=True)
        ]

    def cell(self, record_id: str, name: str, value: Any) -> Any:
        if name in LIST_FIELDS and value is not None:
            text = str(value)
            items = [text]
            if name in _JOINED_NAMES:  # ids and field names hold no ';': the joined text says it all
                items = text.split(SOURCES_SEPARATOR)
            elif ARRAY_DELIMITER in text:
                # The attribute joined the list with "; ", so it cannot tell ["a", "b"] from ["a; b"]:
                # the record says. A value without ';' is one item, the record need not be read.
                record = self.kb.by_id.get(record_id)
                items = [str(item) for item in getattr(record, name, None) or text.split("; ")]
            clash = next((item for item in items if ARRAY_DELIMITER in item), None)
            if clash is not None:
                raise OutputError(
                    f"{self.out}: {record_id}.{name} value {clash!r} holds the array delimiter {ARRAY_DELIMITER!r}"
                )
            return ARRAY_DELIMITER.join(items)
        if isinstance(value, bool):
            return "true" if value else "false"
        return "" if value is None else value


def _types_by_name(rows: Iterator[dict[str, Any]], skip: set[str]) -> dict[str, set[type]]:
    """name -> the types its values take, over all rows, for names not in `skip`."""
    pairs: set[tuple[str, type]] = set()
    for data in rows:
        pairs.update(zip(data, map(type, data.values()), strict=True))
    kinds: dict[str, set[type]] = {}
    for name, kind in pairs:
        if name not in skip:
            kinds.setdefault(name, set()).add(kind)
    return kinds


def write_neo4j_csv(kb: KnowledgeBase, graph: ExportGraph, out: Path | None) -> None:
    """nodes_<Label>.csv and relationships.csv for `neo4j-admin database import full`.

    Header types: :long, :double, :boolean; :date for the *_earliest/*_latest ISO days;
    string[] (delimiter ';', neo4j-admin's default) for lists of ids and names.
    """
    if out is None:
        from aiorg.errors import UsageError

        raise UsageError("neo4j-csv writes several files; give a directory, not '-'")
    cells = _Cells(kb, out)
    by_type: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for node, data in graph.nodes:
        by_type.setdefault(str(data["type"]), []).append((node, data))
    with atomic_directory(out, _owned) as folder:
        for node_type, nodes in sorted(by_type.items()):
            kinds = _types_by_name((data for _, data in nodes), {"type", "id"})
            names = sorted(kinds)
            header = ["id:ID", *(f"{name}{_neo4j_type(name, kinds[name])}" for name in names), ":LABEL"]
            with atomic_text(folder / f"nodes_{label_of(node_type)}.csv") as stream:
                writer = csv.writer(stream, lineterminator="\n")
                writer.writerow(header)
                for node, data in nodes:
                    writer.writerow([node, *cells.row(node, data, names), label_of(node_type)])
        edges = [(u, v, key, edge_attributes(data)) for u, v, key, data in graph.edges]
        kinds = _types_by_name((data for *_, data in edges), {"relation", "edge_key"})
        names = sorted(kinds)
        with atomic_text(folder / "relationships.csv") as stream:
            writer = csv.writer(stream, lineterminator="\n")
            writer.writerow(
                [":START_ID", ":END_ID", ":TYPE", "key", *(f"{n}{_neo4j_type(n, kinds[n])}" for n in names)]
            )
            for u, v, key, data in edges:
                writer.writerow([u, v, str(data["relation"]).upper(), key, *cells.row(key, data, names)])
