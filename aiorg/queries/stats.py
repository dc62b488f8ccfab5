"""How big is the knowledge base: records per kind, and the graph's nodes and edges, in SQL.

The graph counted is the one every whole export writes (`aiorg export json` says "112 nodes, 263
edges"): `aiorg.graph.build_graph(kb, facts=True)`, whose nodes are the records of a kind with a
NODE name and the events, metrics and claims (aiorg.graph.FACT_NODES). It is counted without
being built, from the store's `edges` table, which holds one row per edge build_graph adds
without facts, and from the fact kinds' own tables for the edges facts add (each fact to what it
is about, and to the source it cites):

- nodes: every record of a node or fact kind, plus any edge endpoint that is not one
  (validation makes that impossible, but networkx would add it, so it is counted);
- edges: distinct (from, to, key) triples, since adding an edge again under the same key to a
  MultiDiGraph changes nothing. A row repeats only when a list field repeats a value (every key
  holds its record's id, and ids hold no ':'), so the rows are counted as they are when the
  rows each record should give, computed from the kind and link tables (which keep each value
  once), add up to the table's row count; otherwise the distinct triples are counted. A fact's
  edges are counted from its tables alone: their keys name the fact, the label and both ends,
  so no other edge has them.
"""

from __future__ import annotations

import dataclasses
import typing
from functools import cache
from typing import Any

from aiorg import codec
from aiorg.graph import FACT_NODES
from aiorg.kb import KnowledgeBase
from aiorg.model import RECORD_KINDS, EdgeSpec
from aiorg.queries.common import Row

#: the kinds whose records are nodes of an export's graph: NODE kinds, then the facts
NODE_KINDS: tuple[str, ...] = tuple(kind for kind, cls in RECORD_KINDS.items() if cls.NODE or cls in FACT_NODES)
#: the fact kinds (events, metrics, claims) and the edges each adds to what it is about
FACT_EDGES: dict[str, tuple[EdgeSpec, ...]] = {
    kind: FACT_NODES[cls][1] for kind, cls in RECORD_KINDS.items() if not cls.NODE and cls in FACT_NODES
}
#: the rows' names: the graph every whole export writes (build_graph with facts)
NODES_ROW, EDGES_ROW = "graph nodes", "graph edges"


def stats(kb: KnowledgeBase) -> list[Row]:
    """One row per record kind with its count, then the node and edge counts of the graph every
    whole export writes (see the module docstring)."""
    counts = kb.counts()
    rows: list[Row] = [{"kind": kind, "count": count} for kind, count in counts.items()]
    rows.append({"kind": NODES_ROW, "count": graph_nodes(kb, counts)})
    rows.append({"kind": EDGES_ROW, "count": graph_edges(kb)})
    return rows


def graph_nodes(kb: KnowledgeBase, counts: dict[str, int] | None = None) -> int:
    """The node and fact records, plus the distinct edge endpoints that are not among them: none
    when the knowledge base's references resolve and every edge ends at a field referring only to
    node or fact kinds (the graph's nodes are then those records, and no edge needs to be read)."""
    counts = counts if counts is not None else kb.counts()
    if kb.references_resolve and edges_end_at_nodes():
        return sum(counts[kind] for kind in NODE_KINDS)
    marks = ", ".join("?" * len(NODE_KINDS))
    # Both sides come sorted from covering indexes, so SQLite merges them in one pass; `+kind`
    # keeps it from reading records by kind, which would need a sort.
    ((strays,),) = kb.query(
        f"SELECT COUNT(*) FROM (SELECT src FROM edges UNION SELECT dst FROM edges{_fact_ends_sql()}"
        f" EXCEPT SELECT id FROM records WHERE +kind IN ({marks}) ORDER BY 1)",
        NODE_KINDS,
    )
    return sum(counts[kind] for kind in NODE_KINDS) + int(strays)


@cache
def _fact_ends_sql() -> str:
    """`UNION SELECT ...` of every id a fact's edges end at, other than the fact itself: what it is
    about, and the source it cites."""
    parts = []
    for kind, specs in FACT_EDGES.items():
        for side in {side for spec in specs for side in (spec.source, spec.target) if side != "self"} | {"source"}:
            if _shape(kind, side) == "list":
                parts.append(f" UNION SELECT value FROM {kind}_{side}")
            else:
                parts.append(f' UNION SELECT "{side}" FROM {kind} WHERE "{side}" IS NOT NULL')
    return "".join(sorted(parts))


@cache
def edges_end_at_nodes() -> bool:
    """Whether every end of every edge the model declares (facts' included) and every citation
    is a record of a node or fact kind, the field behind it referring to those kinds only."""
    node_kinds = set(NODE_KINDS)
    for kind, cls in RECORD_KINDS.items():
        fields = {f.name: f for f in dataclasses.fields(cls)}
        specs = cls.EDGES + FACT_EDGES.get(kind, ())
        ends = [side for spec in specs for side in (spec.source, spec.target) if side != "self"]
        if (cls.NODE or kind in FACT_EDGES) and cls.NODE != "source" and "source" in fields:
            ends.append("source")  # the citation edge
        for end in ends:
            refs = fields[end].metadata.get("ref", ())
            if not refs or not node_kinds.issuperset(refs):
                return False
    return True


def graph_edges(kb: KnowledgeBase) -> int:
    """The distinct (from, to, key) triples of the edges table, plus the facts' edges."""
    facts = sum(int(kb.query(sql)[0][0] or 0) for sql in _fact_rows_sql())
    ((rows,),) = kb.query("SELECT COUNT(*) FROM edges")
    plan = _expected_rows_sql()
    if plan is not None and sum(int(kb.query(sql)[0][0] or 0) for sql in plan) == rows:
        return int(rows) + facts
    ((distinct,),) = kb.query("SELECT COUNT(*) FROM (SELECT DISTINCT src, dst, key FROM edges)")
    return int(distinct) + facts


@cache
def _fact_rows_sql() -> tuple[str, ...]:
    """Queries whose results add up to the edges facts add: per fact, one per distinct (about,
    what) pair of each edge it declares (link tables keep each value once), and its citation."""
    queries = []
    for kind, specs in FACT_EDGES.items():
        queries += [_pairs_sql(kind, spec.source, spec.target) for spec in specs]
        queries.append(f'SELECT COUNT("source") FROM {kind}')
    return tuple(queries)


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
