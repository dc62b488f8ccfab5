"""How big is the knowledge base: records per kind, and the graph's nodes and edges, in SQL.

The graph counts equal `aiorg.graph.build_graph(kb)`'s (facts=False) without building it, from
the store's `edges` table, which holds one row per edge the graph builder adds:

- nodes: every record of a kind with a NODE name, plus any edge endpoint that is not one
  (validation makes that impossible, but networkx would add it, so it is counted);
- edges: distinct (from, to, key) triples, since adding an edge again under the same key to a
  MultiDiGraph changes nothing. A row repeats only when a list field repeats a value (every key
  holds its record's id, and ids hold no ':'), so the rows are counted as they are when the
  rows each record should give, computed from the kind and link tables (which keep each value
  once), add up to the table's row count; otherwise the distinct triples are counted.
"""

from __future__ import annotations

import dataclasses
import typing
from functools import cache
from typing import Any

from aiorg import codec
from aiorg.kb import KnowledgeBase
from aiorg.model import RECORD_KINDS
from aiorg.queries.common import Row

#: the kinds whose records are graph nodes (without facts)
NODE_KINDS: tuple[str, ...] = tuple(kind for kind, cls in RECORD_KINDS.items() if cls.NODE)


def stats(kb: KnowledgeBase) -> list[Row]:
    """One row per record kind with its count, then the graph's node and edge counts."""
    counts = kb.counts()
    rows: list[Row] = [{"kind": kind, "count": count} for kind, count in counts.items()]
    rows.append({"kind": "graph nodes", "count": graph_nodes(kb, counts)})
    rows.append({"kind": "graph edges", "count": graph_edges(kb)})
    return rows


def graph_nodes(kb: KnowledgeBase, counts: dict[str, int] | None = None) -> int:
    """The node records, plus the distinct edge endpoints that are not node records: none when
    the knowledge base's references resolve and every edge ends at a field referring only to
    node kinds (the graph's nodes are then its node records, and no edge needs to be read)."""
    counts = counts if counts is not None else kb.counts()
    if kb.references_resolve and edges_end_at_nodes():
        return sum(counts[kind] for kind in NODE_KINDS)
    marks = ", ".join("?" * len(NODE_KINDS))
    # Both sides come sorted from covering indexes, so SQLite merges them in one pass; `+kind`
    # keeps it from reading records by kind, which would need a sort.
    ((strays,),) = kb.query(
        "SELECT COUNT(*) FROM (SELECT src FROM edges UNION SELECT dst FROM edges"
        f" EXCEPT SELECT id FROM records WHERE +kind IN ({marks}) ORDER BY 1)",
        NODE_KINDS,
    )
    return sum(counts[kind] for kind in NODE_KINDS) + int(strays)


@cache
def edges_end_at_nodes() -> bool:
    """Whether every end of every edge the model declares (and every citation) is a record of
    a node kind, the field behind it referring to node kinds only."""
    node_kinds = set(NODE_KINDS)
    for cls in RECORD_KINDS.values():
        fields = {f.name: f for f in dataclasses.fields(cls)}
        ends = [side for spec in cls.EDGES for side in (spec.source, spec.target) if side != "self"]
        if cls.NODE and cls.NODE != "source" and "source" in fields:
            ends.append("source")  # the citation edge
        for end in ends:
            refs = fields[end].metadata.get("ref", ())
            if not refs or not node_kinds.issuperset(refs):
                return False
    return True


def graph_edges(kb: KnowledgeBase) -> int:
    """The distinct (from, to, key) triples of the edges table."""
    ((rows,),) = kb.query("SELECT COUNT(*) FROM edges")
    plan = _expected_rows_sql()
    if plan is not None and sum(int(kb.query(sql)[0][0] or 0) for sql in plan) == rows:
        return int(rows)
    ((distinct,),) = kb.query("SELECT COUNT(*) FROM (SELECT DISTINCT src, dst, key FROM edges)")
    return int(distinct)


@cache
def _expected_rows_sql() -> tuple[str, ...] | None:
    """Queries whose results add up to the number of distinct edges, if no list field repeats a
    value: per declared edge, |distinct sources| x |distinct targets| per record; plus one
    citation per node record that cites. None when the model allows another kind of repeat."""
    queries = []
    for kind, cls in RECORD_KINDS.items():
        labels = [spec.label for spec in cls.EDGES]
        if len(set(labels)) != len(labels) or (not cls.NODE and len(labels) > 1):
            return None  # two declarations of one record could then give the same triple
        for spec in cls.EDGES:
            queries.append(_pairs_sql(kind, spec.source, spec.target))
        if cls.NODE and cls.NODE != "source":
            queries.append(f'SELECT COUNT("source") FROM {kind}')
    return tuple(queries)


def _pairs_sql(kind: str, source: str, target: str) -> str:
    """SUM over the records of a kind of (number of distinct sources) x (number of distinct targets)."""
    shapes = {side: _shape(kind, side) for side in (source, target)}
    lists = [side for side in (source, target) if shapes[side] == "list"]
    conditions = [f't."{side}" IS NOT NULL' for side in (source, target) if shapes[side] == "optional"]
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    if not lists:
        return f"SELECT COUNT(*) FROM {kind} t{where}"
    if len(lists) == 1 or lists[0] == lists[1]:
        join = f"{kind}_{lists[0]} l"
        if len(lists) == 2:  # the same list on both sides: n x n pairs
            return f"SELECT SUM(n * n) FROM (SELECT COUNT(*) AS n FROM {join} GROUP BY l.seq)"
        if not conditions:
            return f"SELECT COUNT(*) FROM {join}"
        return f"SELECT COUNT(*) FROM {join} JOIN {kind} t ON t.seq = l.seq{where}"
    first, second = (f"(SELECT seq, COUNT(*) AS n FROM {kind}_{side} GROUP BY seq)" for side in lists)
    return f"SELECT SUM(a.n * b.n) FROM {first} a JOIN {second} b ON a.seq = b.seq"


def _shape(kind: str, side: str) -> str:
    """'self', 'list', 'required' or 'optional': how many values one side of an edge has."""
    if side == "self":
        return "self"
    cls: Any = RECORD_KINDS[kind]
    hint = typing.get_type_hints(cls)[side]
    if typing.get_origin(codec.unwrap_optional(hint)) is list:
        return "list"
    field = next(f for f in dataclasses.fields(cls) if f.name == side)
    required = field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING
    return "required" if required and codec.unwrap_optional(hint) is hint else "optional"
