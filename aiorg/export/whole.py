"""The graph every writer reads: sorted nodes and edges, built straight from the store for a
whole-knowledge-base export, or taken from a (small) selected networkx graph.

A whole export does not build a networkx graph: at 100k people that graph (160k nodes, 590k
edges), the sorted copy `select` makes of it and the decoded records held by the knowledge
base took 2 GB and most of the time. Here records are decoded a chunk at a time and dropped;
only each node's and edge's attributes are kept, in plain lists. The nodes and edges are
exactly those of `select(build_graph(kb, facts=True))`, attribute order included (writers
emit attributes in that order), which tests/test_export_stream.py checks.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Any

from aiorg.graph import (
    FACT_NODES,
    SOURCED_FROM,
    Edge,
    Scalar,
    add_scalar_attributes,
    node_attributes,
    node_type,
    provenance,
)
from aiorg.model import RECORD_KINDS, Record
from aiorg.parse import gc_paused

if TYPE_CHECKING:
    import networkx as nx

    from aiorg.kb import KnowledgeBase

Node = tuple[str, dict[str, Scalar]]
_CHUNK = 4096  # records decoded at a time


class ExportGraph:
    """Nodes sorted by id and edges sorted by (source, target, key), each with its attributes.

    Edge attributes start with `edge_key` (the key again) and `type`, as `select` gives them.
    whole: every record is in it (no --focus or --types), so the sqlite export need not look.
    """

    def __init__(self, build: Callable[[], tuple[list[Node], list[Edge]]], whole: bool = False) -> None:
        self._build = build
        self.whole = whole
        self.graph: dict[str, Any] = {}  # graph-level attributes (none), written by the JSON export

    @classmethod
    def of(cls, graph: nx.MultiDiGraph) -> ExportGraph:
        """The nodes and edges of an already selected (sorted) networkx graph, in its order."""
        nodes = [(str(n), d) for n, d in graph.nodes(data=True)]
        edges = [(str(u), str(v), str(k), d) for u, v, k, d in graph.edges(keys=True, data=True)]
        view = cls(lambda: (nodes, edges))
        view.graph = dict(graph.graph)
        return view

    @classmethod
    def whole_of(cls, kb: KnowledgeBase) -> ExportGraph:
        """Every record of the knowledge base, built when a writer first reads it."""
        return cls(lambda: whole_graph(kb), whole=True)

    @cached_property
    def _parts(self) -> tuple[list[Node], list[Edge]]:
        return self._build()

    @property
    def nodes(self) -> list[Node]:
        """(id, attributes) of every node, sorted by id."""
        return self._parts[0]

    @property
    def edges(self) -> list[Edge]:
        """(source, target, key, attributes) of every edge, sorted."""
        return self._parts[1]

    @cached_property
    def _types(self) -> dict[str, Any]:
        return {node: data.get("type") for node, data in self.nodes}

    def node_type(self, node: str) -> str:
        """A node's type ('person', 'firm', ...)."""
        return str(self._types[node])

    def number_of_nodes(self) -> int:
        """How many nodes."""
        return len(self.nodes)

    def number_of_edges(self) -> int:
        """How many edges."""
        return len(self.edges)


def whole_graph(kb: KnowledgeBase) -> tuple[list[Node], list[Edge]]:
    """The nodes and edges of `select(build_graph(kb, facts=True))`, without networkx."""
    with gc_paused():  # what is built here holds no cycles: reference counting frees it
        return _whole_graph(kb)


class _Plan:
    """What the records of one class give, worked out once per class (record_edges works it out
    again for every record): its node type, the edges its fields declare, whether it cites."""

    def __init__(self, cls: type[Record]) -> None:
        self.node = node_type(cls, True)
        self.specs = cls.EDGES + (FACT_NODES[cls][1] if self.node and cls in FACT_NODES else ())
        self.cites = bool(self.node) and cls.NODE != "source"
        #: (field read for the source end, for the target end, label) of each spec; None reads the id
        self.ends = tuple(
            (None if spec.source == "self" else spec.source, None if spec.target == "self" else spec.target, spec.label)
            for spec in self.specs
        )


def _ends(record: Record, field: str | None) -> list[str]:
    """The ids one end of an edge takes: the record's own id, or a field's value(s) (graph._values)."""
    if field is None:
        return [record.id]
    value = getattr(record, field)
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _whole_graph(kb: KnowledgeBase) -> tuple[list[Node], list[Edge]]:
    """The nodes and edges of node_attributes and record_edges(record, True, keyed=True) for every
    record, each record's provenance worked out once (both of those work it out for a node record)."""
    nodes: dict[str, dict[str, Scalar]] = {}
    edges: dict[tuple[str, str, str], dict[str, Scalar]] = {}
    for kind, cls in RECORD_KINDS.items():
        plan = _Plan(cls)
        for record in kb.stream(kind, _CHUNK):
            record_id = record.id
            if plan.node:
                attributes = nodes[record_id] = node_attributes(kb, record, plan.node)
                sources, disputed = attributes["sources"], attributes["disputed"]  # its provenance
            elif plan.specs:
                sources, disputed = provenance(record)
            for source_field, target_field, label in plan.ends:
                for source in _ends(record, source_field):
                    for target in _ends(record, target_field):
                        key = f"{record_id}:{label}:{source}:{target}" if plan.node else record_id
                        data: dict[str, Scalar] = {"edge_key": key, "type": label}
                        if plan.node:
                            data["record"] = record_id
                        else:  # the record is the edge: its fields are the edge's attributes
                            add_scalar_attributes(record, data)
                        data["sources"] = sources
                        data["disputed"] = disputed
                        _add_edge(edges, (source, target, key), data)
            if plan.cites:
                source_id = getattr(record, "source", None)
                if source_id:
                    key = f"{record_id}:{SOURCED_FROM}"
                    cites: dict[str, Scalar] = {"edge_key": key, "type": SOURCED_FROM}
                    cites["sources"] = sources
                    cites["disputed"] = disputed
                    _add_edge(edges, (record_id, source_id, key), cites)
    # networkx adds an edge's missing ends as bare nodes
    ends = {source for source, _, _ in edges}
    ends.update(target for _, target, _ in edges)
    for node in ends.difference(nodes):
        nodes[node] = {}
    return [(node, nodes[node]) for node in sorted(nodes)], [(u, v, k, edges[u, v, k]) for u, v, k in sorted(edges)]


def _add_edge(
    edges: dict[tuple[str, str, str], dict[str, Scalar]], key: tuple[str, str, str], data: dict[str, Scalar]
) -> None:
    found = edges.get(key)
    if found is None:
        edges[key] = data
    else:  # networkx merges an edge added twice
        found.update(data)
