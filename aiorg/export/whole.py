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

from aiorg.graph import Edge, Scalar, node_attributes, node_type, record_edges
from aiorg.model import RECORD_KINDS
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


def _whole_graph(kb: KnowledgeBase) -> tuple[list[Node], list[Edge]]:
    nodes: dict[str, dict[str, Scalar]] = {}
    edges: dict[tuple[str, str, str], dict[str, Scalar]] = {}
    for kind, cls in RECORD_KINDS.items():
        type_name = node_type(cls, True)
        for record in kb.stream(kind, _CHUNK):
            if type_name:
                nodes[record.id] = node_attributes(kb, record, type_name)
            for source, target, key, attributes in record_edges(record, True, keyed=True):
                found = edges.get((source, target, key))
                if found is None:
                    edges[(source, target, key)] = attributes
                else:  # networkx merges an edge added twice
                    found.update(attributes)
    for source, target, _ in edges:  # networkx adds an edge's missing ends as bare nodes
        nodes.setdefault(source, {})
        nodes.setdefault(target, {})
    return sorted(nodes.items()), [(u, v, k, edges[u, v, k]) for u, v, k in sorted(edges)]
