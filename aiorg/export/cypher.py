"""Neo4j exports: a Cypher script (MERGE by id, typed properties) and neo4j-admin import CSVs.

The script is plain Neo4j Cypher, one statement per line. The one dialect note: it starts
with `CREATE INDEX FOR (n:Label) ON (n.id)`, which Neo4j 5 and FalkorDB both accept but
neither lets you repeat (and FalkorDB has no IF NOT EXISTS). Loading the script again into
the same database duplicates nothing (every node and edge is MERGEd); skip or ignore the
CREATE INDEX lines the second time.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiorg.export.files import atomic_text, ensure_directory

if TYPE_CHECKING:
    import networkx as nx

    from aiorg.kb import KnowledgeBase


def label_of(node_type: str) -> str:
    """'person' -> 'Person'."""
    return node_type.capitalize()


def relationship_of(edge_type: str) -> str:
    """'held_role_at' -> 'HELD_ROLE_AT'."""
    return edge_type.upper()


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
    return f'"{text}"'


def _assignments(variable: str, data: dict[str, Any], skip: tuple[str, ...]) -> str:
    parts = [
        f"{variable}.`{name}` = {cypher_literal(value)}" for name, value in sorted(data.items()) if name not in skip
    ]
    return " SET " + ", ".join(parts) if parts else ""


def write_cypher(kb: KnowledgeBase, graph: nx.MultiDiGraph, out: Path | None) -> None:
    """One MERGE per node and per edge; properties set explicitly so types survive."""
    lines = ["// aiorg export: load with `cypher-shell -f FILE` (Neo4j) or line by line (FalkorDB)."]
    types = sorted({str(t) for _, t in graph.nodes(data="type")})
    lines += [f"CREATE INDEX FOR (n:{label_of(t)}) ON (n.id);" for t in types]
    for node, data in graph.nodes(data=True):
        label = label_of(str(data["type"]))
        lines.append(f"MERGE (n:{label} {{id: {cypher_literal(node)}}}){_assignments('n', data, ('type',))};")
    for u, v, key, data in graph.edges(keys=True, data=True):
        a, b = label_of(str(graph.nodes[u]["type"])), label_of(str(graph.nodes[v]["type"]))
        rel = relationship_of(str(data["type"]))
        lines.append(
            f"MATCH (a:{a} {{id: {cypher_literal(u)}}}), (b:{b} {{id: {cypher_literal(v)}}}) "
            f"MERGE (a)-[r:{rel} {{key: {cypher_literal(key)}}}]->(b){_assignments('r', data, ('type', 'edge_key'))};"
        )
    with atomic_text(out) as stream:
        stream.write("\n".join(lines) + "\n")


def _neo4j_type(values: set[type]) -> str:
    if values <= {bool}:
        return ":boolean"
    if values <= {int}:
        return ":long"
    if values <= {int, float}:
        return ":double"
    return ""


def write_neo4j_csv(kb: KnowledgeBase, graph: nx.MultiDiGraph, out: Path | None) -> None:
    """nodes_<Label>.csv and relationships.csv for `neo4j-admin database import full`."""
    if out is None:
        from aiorg.errors import UsageError

        raise UsageError("neo4j-csv writes several files; give a directory, not '-'")
    ensure_directory(out)
    by_type: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for node, data in graph.nodes(data=True):
        by_type.setdefault(str(data["type"]), []).append((node, data))
    for node_type, nodes in sorted(by_type.items()):
        names = sorted({name for _, data in nodes for name in data} - {"type", "id"})
        kinds = {name: {type(data[name]) for _, data in nodes if name in data} for name in names}
        header = ["id:ID", *(f"{name}{_neo4j_type(kinds[name])}" for name in names), ":LABEL"]
        with atomic_text(out / f"nodes_{label_of(node_type)}.csv") as stream:
            writer = csv.writer(stream, lineterminator="\n")
            writer.writerow(header)
            for node, data in nodes:
                writer.writerow([node, *(_plain(data.get(name)) for name in names), label_of(node_type)])
    edges = list(graph.edges(keys=True, data=True))
    names = sorted({name for *_, data in edges for name in data} - {"type", "edge_key"})
    kinds = {name: {type(data[name]) for *_, data in edges if name in data} for name in names}
    with atomic_text(out / "relationships.csv") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow([":START_ID", ":END_ID", ":TYPE", "key", *(f"{n}{_neo4j_type(kinds[n])}" for n in names)])
        for u, v, key, data in edges:
            writer.writerow([u, v, relationship_of(str(data["type"])), key, *(_plain(data.get(n)) for n in names)])


def _plain(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value
