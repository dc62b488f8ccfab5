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

import dataclasses
from collections.abc import Callable, Iterable
from functools import cached_property
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, Any, cast

from aiorg import codec
from aiorg.datafiles import gc_paused
from aiorg.export.flat_rows import row_flattener
from aiorg.graph import (
    FACT_NODES,
    SOURCED_FROM,
    SOURCES_SEPARATOR,
    Edge,
    Scalar,
    _label,
    flattener,
    node_type,
    provenance,
)
from aiorg.model import RECORD_KINDS, Condition, Deal, Metric, Record, Source, StatusEntry

if TYPE_CHECKING:
    import networkx as nx

    from aiorg.kb import KnowledgeBase

Node = tuple[str, dict[str, Scalar]]
Plain = tuple[Any, ...]  # a record's codec tuple
#: (getter of an edge's source end, of its target end, its label) of each edge a record declares
Ends = tuple[tuple[Callable[[Any], Any] | None, Callable[[Any], Any] | None, str], ...]
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
    def built(self) -> bool:
        """Whether the nodes and edges were built already (a writer read them)."""
        return "_parts" in self.__dict__

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
    again for every record): its node type, the edges its fields declare, whether it cites, how
    its fields are flattened, labelled and sourced."""

    def __init__(self, kb: KnowledgeBase, cls: type[Record]) -> None:
        self.node = node_type(cls, True)
        self.specs = cls.EDGES + (FACT_NODES[cls][1] if self.node and cls in FACT_NODES else ())
        self.cites = bool(self.node) and cls.NODE != "source"
        #: (getter of the source end, of the target end, label) of each spec; None reads the id
        self.ends: Ends = tuple(
            (
                None if spec.source == "self" else attrgetter(spec.source),
                None if spec.target == "self" else attrgetter(spec.target),
                spec.label,
            )
            for spec in self.specs
        )
        self.flatten = flattener(cls)
        self.label = _labeller(kb, cls)
        self.provenance = _provenance_of(cls)


def _labeller(kb: KnowledgeBase, cls: type[Record]) -> Callable[[Record], str]:
    """graph._label for the records of one class; a name's label without a call per step."""
    if "name" not in {f.name for f in dataclasses.fields(cls)}:
        return lambda record: _label(kb, record)
    has_zh = "name_zh" in {f.name for f in dataclasses.fields(cls)}

    def named(record: Any) -> str:  # display_name
        name = record.name
        if name is None:
            return str(record.id)
        chinese = record.name_zh if has_zh else None
        return f"{name} ({chinese})" if chinese else str(name)

    return named


def _provenance_of(cls: type[Record]) -> Callable[[Record], tuple[str, bool]]:
    """graph.provenance for the records of one class: a record with one source and no `also`
    (nearly all) is its source, undisputed, without building the list of its parts."""
    if issubclass(cls, (Source, Deal)):
        return provenance

    def single(record: Any) -> tuple[str, bool]:
        source = record.source
        if record.also or type(source) is not str:
            return provenance(record)
        return source, False

    return single


def _whole_graph(kb: KnowledgeBase) -> tuple[list[Node], list[Edge]]:
    """The nodes and edges of node_attributes and record_edges(record, True, keyed=True) for every
    record, each record's provenance worked out once (both of those work it out for a node record)."""
    nodes, edges = build_part(kb, tuple(RECORD_KINDS))
    add_bare_ends(nodes, edges.values())
    return [(n, nodes[n]) for n in sorted(nodes)], [edges[k] for k in sorted(edges)]


def build_part(kb: KnowledgeBase, kinds: tuple[str, ...]) -> tuple[dict[str, dict[str, Scalar]], dict[str, Edge]]:
    """The nodes and edges the records of these kinds make, unsorted: nodes by id, edges by
    "source\0target\0key" (ids hold no NUL, so these keys sort as the (source, target, key)
    tuples do). The ends of edges that no record of these kinds makes a node are not added.

    A record with one source per part (nearly all) is read from its tuple (`_Rows`); any other
    is decoded, its provenance needing the model's dispute rules."""
    nodes: dict[str, dict[str, Scalar]] = {}
    edges: dict[str, Edge] = {}
    for kind in kinds:
        build_kind(kb, kind, kb.stream_tuples(kind, _CHUNK), nodes, edges)
    return nodes, edges


def build_kind(
    kb: KnowledgeBase,
    kind: str,
    records: Iterable[tuple[int, Plain]],
    nodes: dict[str, dict[str, Scalar]],
    edges: dict[str, Edge],
) -> None:
    """Add the nodes and edges of these (seq, codec tuple) records of one kind to `nodes` and
    `edges` (see build_part): some of a kind's records, as aiorg.export.split shares them out."""
    cls = RECORD_KINDS[kind]
    plan = _Plan(kb, cls)
    node, flatten, label, sources_of = plan.node, plan.flatten, plan.label, plan.provenance
    rows = _Rows.of(cls, plan)
    decode = codec.decoder(cast(type, cls))
    flat: dict[str, Scalar] = {}
    fresh = False  # whether `flat` is the edge's own attributes already, edge_key and type first
    cited: Any = None
    # a kind with no parts (all but the deals) is plain when its record has no `also`
    also_at, source_at, no_parts = (rows.also_at, rows.source_at, not rows.parts) if rows is not None else (0, 0, False)
    for _, row in records:
        if rows is not None and (not row[also_at] if no_parts else rows.plain(row)):
            item: Any = row
            ends = rows.ends
            record_id = row[rows.id_at]
            sources, disputed = str(row[source_at]) if no_parts else rows.sources(row), False
            if node:
                attributes: dict[str, Scalar] = {}
                rows.flatten(row, attributes)
                attributes["type"] = node
                attributes["label"] = rows.label(row)
                attributes["sources"] = sources
                attributes["disputed"] = False
                nodes[record_id] = attributes
            elif ends:  # the record is the edge: with one spec, its attributes are made in place
                fresh = len(ends) == 1
                flat = {"edge_key": record_id, "type": ends[0][2]} if fresh else {}
                rows.flatten(row, flat)
            if plan.cites:
                cited = row[rows.source_at]
        else:
            item = record = decode(row)
            ends = plan.ends
            record_id = record.id
            if node:
                attributes = {}
                flatten(record, attributes)
                attributes["type"] = node
                attributes["label"] = label(record)
                attributes["sources"], attributes["disputed"] = sources, disputed = sources_of(record)
                nodes[record_id] = attributes
            elif ends:
                sources, disputed = sources_of(record)
                flat, fresh = {}, False
                flatten(record, flat)
            if plan.cites:
                cited = getattr(record, "source", None)
        for source_end, target_end, relation in ends:
            if source_end is None:
                source_ids: Any = (record_id,)
            else:
                source_ids = source_end(item)
                if source_ids is None:
                    continue
                if type(source_ids) is not list:
                    source_ids = (source_ids,)
            if target_end is None:
                target_ids: Any = (record_id,)
            else:
                target_ids = target_end(item)
                if target_ids is None:
                    continue
                if type(target_ids) is not list:
                    target_ids = (target_ids,)
            for source in source_ids:
                for target in target_ids:
                    if node:
                        key = f"{record_id}:{relation}:{source}:{target}"
                        data: dict[str, Scalar] = {
                            "edge_key": key,
                            "type": relation,
                            "record": record_id,
                            "sources": sources,
                            "disputed": disputed,
                        }
                    else:  # the record is the edge: its fields are the edge's attributes
                        key = record_id
                        if fresh:  # made above, in this order (a second edge of the record copies it)
                            data, fresh = flat, False
                        else:
                            data = {"edge_key": key, "type": relation, **flat}
                        data["sources"] = sources
                        data["disputed"] = disputed
                    edge = (source, target, key, data)
                    found = edges.setdefault(f"{source}\0{target}\0{key}", edge)
                    if found is not edge:  # networkx merges an edge added twice
                        found[3].update(data)
        if cited:
            key = f"{record_id}:{SOURCED_FROM}"
            edge = (record_id, cited, key, {"edge_key": key, "type": SOURCED_FROM})
            edge[3]["sources"] = sources
            edge[3]["disputed"] = disputed
            found = edges.setdefault(f"{record_id}\0{cited}\0{key}", edge)
            if found is not edge:
                found[3].update(edge[3])


class _Rows:
    """How a record of one class is read from its codec tuple (aiorg.codec's layout) when each of
    its parts has one source (`plain`): what `_Plan` gives a decoded record, from the tuple."""

    def __init__(self, cls: type[Record], plan: _Plan, flatten: Callable[[Plain, dict[str, Scalar]], None]) -> None:
        fields = codec.field_names(cast(type, cls))
        self.flatten = flatten
        self.id_at = fields.index("id")
        self.source_at, self.also_at = fields.index("source"), fields.index("also")  # every kind read here is sourced
        #: (getter of the source end, of the target end, label) of each spec; None reads the id
        self.ends: Ends = tuple(
            (
                None if spec.source == "self" else itemgetter(fields.index(spec.source)),
                None if spec.target == "self" else itemgetter(fields.index(spec.target)),
                spec.label,
            )
            for spec in plan.specs
        )
        self.label: Callable[[Plain], str]
        if "name" in fields:
            name_at, chinese_at = fields.index("name"), fields.index("name_zh") if "name_zh" in fields else None
            self.label = lambda row: _named_label(row, name_at, chinese_at, self.id_at)
        else:  # graph._label of a record that is not a metric: its title, else its text, else its id
            texts = tuple(fields.index(name) for name in ("title", "text") if name in fields)
            self.label = lambda row: str(next((row[i] for i in texts if row[i]), row[self.id_at]))
        #: where a deal keeps its parts (history steps, conditions), and where a part keeps its source and `also`
        self.parts: tuple[int, ...] = ()
        self.part_source: tuple[int, ...] = ()
        self.part_also: tuple[int, ...] = ()
        if issubclass(cls, Deal):
            self.parts = (fields.index("history"), fields.index("conditions"))
            self.part_source = codec.field_index(StatusEntry, "source"), codec.field_index(Condition, "source")
            self.part_also = codec.field_index(StatusEntry, "also"), codec.field_index(Condition, "also")

    @classmethod
    def of(cls, record_class: type[Record], plan: _Plan) -> _Rows | None:
        """How this class's records are read from their tuples; None when they are all decoded:
        sources and metrics, few, whose provenance (a source is its own) and label (a metric's
        names its subject) have rules of their own, or a class with a field type row_flattener
        does not read."""
        flatten = row_flattener(record_class)
        if flatten is None or issubclass(record_class, (Source, Metric)):
            return None
        return cls(record_class, plan, flatten)

    def plain(self, row: Plain) -> bool:
        """Whether each part of this record has its one source (no `also`): no dispute to work out."""
        if row[self.also_at]:
            return False
        steps_and_conditions = zip(self.parts, self.part_also, strict=True)
        return not any(part[also] for at, also in steps_and_conditions for part in row[at])

    def sources(self, row: Plain) -> str:
        """graph.provenance's sources of a `plain` record: its source, a deal's steps' and
        conditions' too, each once."""
        if not self.parts:
            return str(row[self.source_at])
        found = {row[self.source_at]: None}
        for at, source in zip(self.parts, self.part_source, strict=True):
            for part in row[at]:
                found[part[source]] = None
        return SOURCES_SEPARATOR.join(found)


def _named_label(row: Plain, name_at: int, chinese_at: int | None, id_at: int) -> str:
    """graph.display_name of a named record's tuple."""
    name = row[name_at]
    if name is None:
        return str(row[id_at])
    chinese = row[chinese_at] if chinese_at is not None else None
    return f"{name} ({chinese})" if chinese else str(name)


def add_bare_ends(nodes: dict[str, dict[str, Scalar]], edges: Iterable[Edge], more: Iterable[str] = ()) -> None:
    """Add the ends of these edges (and `more` ids) that are not nodes as bare nodes, as networkx
    adds an edge's missing ends."""
    ends = set(more)
    for source, target, _, _ in edges:
        ends.add(source)
        ends.add(target)
    for bare in ends.difference(nodes):
        nodes[bare] = {}
