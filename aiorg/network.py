"""How are two people or firms connected? Every short path between them, read from the store.

A path search never builds the whole graph. It reads the store's `edges` table (the graph of
`aiorg.graph.build_graph`, without facts) around the two ends only: every node within
max_hops - 1 hops of either end, and the edges among them, in a small networkx graph whose
neighbours are in the same order as in the whole graph. Yen's algorithm then runs on it
exactly as it would on the whole graph: every path it can return lies within those balls, and
so does everything its breadth-first searches compare (the fringes of a search that finds a
path of at most max_hops hops), so even which of many equally short paths it picks first is
the same. Only the records on the paths found are decoded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from aiorg.claims import SourceLookup, shown_value
from aiorg.graph import SOURCED_FROM, _label, scalar_attributes
from aiorg.kb import KnowledgeBase
from aiorg.model import RECORD_KINDS, Certainty, Deal, Tenure
from aiorg.queries import Row
from aiorg.queries.common import source_lookup
from aiorg.queries.inferred import group_inferred, infers, mark, name_text, resting_on, status_text

if TYPE_CHECKING:
    import networkx as nx

# How to read each edge type forwards (source → target) and backwards.
_PHRASES: dict[str, tuple[str, str]] = {
    "held_role_at": ("{title} at", "has/had {title}"),
    "buyer_in": ("buyer in", "by"),
    "target_of": ("targets", "target of"),
    "moves_person": ("would bring", "sought by"),
    "member_of": ("member of", "has member"),
    "part_of": ("part of", "includes"),
    "makes": ("makes", "made by"),
    "superseded_by": ("superseded by", "supersedes"),
    "became": ("became", "came from"),
}


#: each edge type's fields on the record that declares it (model EdgeSpecs, "self" aside)
_EDGE_FIELDS: dict[str, tuple[str, ...]] = {
    spec.label: tuple(field for field in (spec.source, spec.target) if field != "self")
    for cls in RECORD_KINDS.values()
    for spec in getattr(cls, "EDGES", ())
}


#: the edge of a firm's membership of a group, whose record may say its membership is an inference
_MEMBER_OF = "member_of"


def _phrase(data: dict[str, Any], forward: bool) -> str:
    forwards, backwards = _PHRASES.get(str(data.get("type")), (str(data.get("type")), f"← {data.get('type')}"))
    title = str(data.get("title") or "role")
    if data.get("state") == "ended":
        title = f"former {title}"
    return (forwards if forward else backwards).format(title=title)


def _node_label(kb: KnowledgeBase, graph: nx.MultiDiGraph, node: str, source_of: SourceLookup) -> str:
    """How a hop names a node, with every mark its record gives: a deal's title and its latest
    step's status, that status marked when the step infers it, and the step's certainty when it
    is not confirmed ('... [rejected (inferred)]', '... [offered, reported]'); a name its record
    infers ('Acme (inferred)')."""
    record = kb.by_id.get(node)
    if isinstance(record, Deal):
        latest = record.history[-1]
        title = mark(record.title, record, "title") if record.title else node
        status = status_text(record.status.value, None, latest.inferred, ())
        certainty = shown_value(latest, "certainty", source_of)  # shown first, as `deals` shows it
        if certainty is not Certainty.CONFIRMED and certainty.value != record.status.value:
            status += f", {certainty.value}"  # a rumoured status says so once
        return f"{title} [{status}]"
    if getattr(record, "name", None) is not None:
        return name_text(kb, node)
    return str(graph.nodes[node].get("label", node))


def _sureness(record: Any, source_of: SourceLookup) -> str:
    """' [planned]': the certainty a role spell a hop rests on is shown with (its value shown first,
    as `people` shows it), when it is not confirmed; '' for any other hop (a deal's step says its
    own in the deal's label)."""
    if not isinstance(record, Tenure):
        return ""
    certainty = shown_value(record, "certainty", source_of)
    return "" if certainty in (None, Certainty.CONFIRMED) else f" [{certainty.value}]"


def connections(kb: KnowledgeBase, start: str, end: str, limit: int | None = 10, max_hops: int = 4) -> list[Row]:
    """Every connection of up to `max_hops` hops between two records, shortest first, one row per
    hop, each hop explained and cited; at most `limit` paths (None: every one).

    Citations (source nodes) are not hops. Paths never visit a node twice.
    """
    return [row for path in paths_between(kb, start, end, limit, max_hops) for row in path]


def paths_between(kb: KnowledgeBase, start: str, end: str, limit: int | None, max_hops: int) -> list[list[Row]]:
    """The connections as lists of hop rows, shortest first (ties in a stable order); at most
    `limit` of them (None: every one of up to `max_hops` hops)."""
    edges = _Edges(kb)
    simple = _neighbourhood(kb, edges, start, end, max_hops)
    found = shortest_paths(simple, start, end, limit, max_hops)
    graph = _hop_graph(kb, edges, found)
    return [_hops(kb, graph, number, path) for number, path in enumerate(found, start=1)]


def shortest_paths(simple: nx.Graph, start: str, end: str, limit: int | None, max_hops: int) -> list[list[str]]:
    """Up to `limit` (None: every one) simple paths of up to `max_hops` hops in an undirected
    graph, shortest first, then in node order."""
    import networkx as nx

    simple.add_nodes_from([start, end])
    found: list[list[str]] = []
    cut = max_hops  # the longest path still taken
    try:
        # Yen's algorithm yields simple paths in order of length, so the first `limit` are the
        # shortest; those as long as the last of them are taken too, so that the ties among them
        # are put in node order before any is cut: the first `limit` of every path, always.
        for path in nx.shortest_simple_paths(simple, start, end):
            if len(path) - 1 > cut:
                break
            found.append(path)
            if len(found) == limit:
                cut = len(path) - 1
    except nx.NetworkXNoPath:
        return []
    found.sort(key=lambda path: (len(path), path))
    return found[:limit]


# --- the neighbourhood of two records, read from the store's edges table --------------------

#: (rowid, seq, from, to, label, key) of one row of the edges table
Edge = tuple[int, int, str, str, str, str]
_COLUMNS = "SELECT rowid, seq, src, dst, label, key FROM edges"
_BATCH = 500  # ids per IN (...): well under SQLite's limit on parameters
_KIND_ORDER = {kind: number for number, kind in enumerate(RECORD_KINDS)}
_NODE_KINDS = frozenset(kind for kind, cls in RECORD_KINDS.items() if cls.NODE)
#: node records that nothing cites (a citation ends at a source, or at an id that is no record)
_NEVER_CITED = _NODE_KINDS - {"sources"}


def _declaring_kinds() -> dict[str, str]:
    """The kind of record that declares each edge label (the citation edge is declared by any)."""
    kinds: dict[str, str] = {}
    for kind, cls in RECORD_KINDS.items():
        for spec in cls.EDGES:
            if kinds.setdefault(spec.label, kind) != kind:  # pragma: no cover - a model change
                raise TypeError(f"edge label {spec.label!r} is declared by {kinds[spec.label]} and {kind}")
    return kinds


_DECLARED_BY = _declaring_kinds()


class _Edges:
    """The edge rows at each node, read in batches as a search reaches it and kept."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self._kb = kb
        self.out: dict[str, list[Edge]] = {}  # every edge from a node, citations included
        self.into: dict[str, list[Edge]] = {}  # every edge to a node, but citations

    @property
    def read(self) -> set[str]:
        """The nodes whose edges have been read."""
        return set(self.out)

    def fetch(self, nodes: Iterable[str]) -> None:
        """Read the edges at these nodes, unless read already."""
        todo = [node for node in dict.fromkeys(nodes) if node not in self.out]
        for at in range(0, len(todo), _BATCH):
            batch = todo[at : at + _BATCH]
            marks = ", ".join("?" * len(batch))
            for node in batch:
                self.out[node], self.into[node] = [], []
            for row in self._kb.query(f"{_COLUMNS} WHERE src IN ({marks})", tuple(batch)):
                self.out[row[2]].append(row)
            # A source is cited by every record: its citations are never hops, so never read them.
            for row in self._kb.query(f"{_COLUMNS} WHERE dst IN ({marks}) AND label != ?", (*batch, SOURCED_FROM)):
                self.into[row[3]].append(row)

    def neighbours(self, node: str) -> Iterator[str]:
        """The nodes one hop away (the path graph is undirected and leaves citations out)."""
        for edge in self.out[node]:
            if edge[4] != SOURCED_FROM:
                yield edge[3]
        for edge in self.into[node]:
            yield edge[2]


def _ball(edges: _Edges, centre: str, radius: int) -> set[str]:
    """Every node within `radius` hops of `centre`."""
    seen, level = {centre}, [centre]
    for _ in range(radius):
        edges.fetch(level)
        level = [other for node in level for other in edges.neighbours(node) if other not in seen]
        level = list(dict.fromkeys(level))
        seen.update(level)
    return seen


def _neighbourhood(kb: KnowledgeBase, edges: _Edges, start: str, end: str, max_hops: int) -> nx.Graph:
    """The path graph of every node within max_hops - 1 hops of either end, neighbours in the
    order the whole graph has them (empty when the ends are more than max_hops apart)."""
    import networkx as nx

    # A path of up to max_hops hops has a node within ceil(max_hops / 2) of start and
    # floor(max_hops / 2) of end: if the balls do not meet, there is none.
    near_start, near_end = _ball(edges, start, (max_hops + 1) // 2), _ball(edges, end, max_hops // 2)
    simple = nx.Graph()
    if near_start.isdisjoint(near_end):
        return simple
    nodes = _ball(edges, start, max_hops - 1) | _ball(edges, end, max_hops - 1) | near_start | near_end
    # The edges at the nodes max_hops - 1 hops away are not read (the outer shell is the largest
    # part): an edge between two of them is only ever followed by a search that finds more
    # than max_hops hops, or, at the last level, ends at start or end, whose edges are read.
    records = _records(kb, nodes)
    order = _node_order(kb, records, nodes)
    first: dict[tuple[str, str], tuple[int, ...]] = {}  # the first edge u -> v that build_graph adds
    hops: set[tuple[str, str]] = set()  # u -> v that have an edge other than a citation

    def kind_of(node: str) -> str:
        return records.get(node, ("",))[0]

    def meet(edge: Edge) -> None:
        pair = (edge[2], edge[3])
        added = _added(edge, kind_of)
        if pair not in first or added < first[pair]:
            first[pair] = added
        if edge[4] != SOURCED_FROM:
            hops.add(pair)

    read = edges.read
    for node in read & nodes:
        for edge in edges.out[node]:
            if edge[3] in nodes:
                meet(edge)
        for edge in edges.into[node]:  # citations left out: see below
            if edge[2] in nodes and edge[2] not in read:
                meet(edge)
                if kind_of(node) not in _NEVER_CITED:  # a source, or not a record
                    for citation in kb.query(
                        f"{_COLUMNS} WHERE src = ? AND dst = ? AND label = ?", (*edge[2:4], SOURCED_FROM)
                    ):
                        meet(citation)
    # The whole path graph adds an undirected edge when it first meets u -> v or v -> u, walking
    # the graph's nodes in order and each node's successors in the order they were added.
    met: dict[tuple[str, str], tuple[tuple[tuple[int, ...], tuple[int, ...]], str, str]] = {}
    for u, v in hops:
        when = (order[u], first[(u, v)])
        key = (u, v) if u <= v else (v, u)
        if key not in met or when < met[key][0]:
            met[key] = (when, u, v)
    simple.add_edges_from((u, v) for _, u, v in sorted(met.values()))
    return simple


def _records(kb: KnowledgeBase, nodes: set[str]) -> dict[str, tuple[str, int]]:
    """(kind, sequence number) of each node that is a record."""
    records: dict[str, tuple[str, int]] = {}
    ids = list(nodes)
    for at in range(0, len(ids), _BATCH):
        batch = tuple(ids[at : at + _BATCH])
        sql = f"SELECT id, kind, seq FROM records WHERE id IN ({', '.join('?' * len(batch))})"
        records.update((record_id, (kind, seq)) for record_id, kind, seq in kb.query(sql, batch))
    return records


def _added(edge: Edge, kind_of: Callable[[str], str | None]) -> tuple[int, ...]:
    """When build_graph adds an edge: kinds in model order, records in file order, then as declared
    (a citation is declared by the record it starts from)."""
    rowid, seq, src, _, label, _ = edge
    kind = _DECLARED_BY[label] if label != SOURCED_FROM else kind_of(src)
    return (_KIND_ORDER.get(kind or "", len(_KIND_ORDER)), seq, rowid)


def _node_order(kb: KnowledgeBase, records: dict[str, tuple[str, int]], nodes: set[str]) -> dict[str, tuple[int, ...]]:
    """Where each node comes in build_graph's graph: node records by kind then file order, then
    any other endpoint when its first edge is added."""
    order: dict[str, tuple[int, ...]] = {}
    for node in nodes:
        kind, seq = records.get(node, ("", 0))
        if kind in _NODE_KINDS:
            order[node] = (0, _KIND_ORDER[kind], seq)
        else:  # only invalid data (or a search from a record that is not a node) has these
            touching = kb.query(f"{_COLUMNS} WHERE src = ? OR dst = ?", (node, node))
            firsts = ((*_added(edge, kb.kind_of), edge[2] != node) for edge in touching)
            order[node] = (1, *min(firsts, default=()))
    return order


def _hop_graph(kb: KnowledgeBase, edges: _Edges, paths: list[list[str]]) -> nx.MultiDiGraph:
    """The nodes on the paths and every edge between two nodes next to each other on one, with
    the attributes build_graph gives them."""
    import networkx as nx

    graph = nx.MultiDiGraph()
    on_paths = list(dict.fromkeys(node for path in paths for node in path))
    edges.fetch(on_paths)
    for node in on_paths:
        kind = kb.kind_of(node)
        if kind in _NODE_KINDS:
            record = kb.by_id[node]
            node_data = scalar_attributes(record)
            node_data["type"] = RECORD_KINDS[kind].NODE
            node_data["label"] = _label(kb, record)
            graph.add_node(node, **node_data)
        else:
            graph.add_node(node)
    pairs = {(u, v) for path in paths for a, b in pairwise(path) for u, v in ((a, b), (b, a))}
    for u, v in sorted(pairs):
        for _, seq, src, dst, label, key in edges.out[u]:
            if dst != v:
                continue
            attributes: dict[str, Any] = {}
            if label != SOURCED_FROM:
                kind = _DECLARED_BY[label]
                if kind in _NODE_KINDS:
                    ((record_id,),) = kb.query("SELECT id FROM records WHERE kind = ? AND seq = ?", (kind, seq))
                    attributes = {"record": record_id}
                else:
                    attributes = scalar_attributes(kb.by_id[key])
            graph.add_edge(src, dst, key=key, type=label, **attributes)
    return graph


def _hops(kb: KnowledgeBase, graph: nx.MultiDiGraph, number: int, path: list[str]) -> list[Row]:
    rows: list[Row] = []
    source_of = source_lookup(kb)
    for step, (u, v) in enumerate(pairwise(path), start=1):
        forward = graph.has_edge(u, v)
        edges = graph.get_edge_data(u, v) if forward else graph.get_edge_data(v, u)
        key, data = sorted(edges.items())[0]
        via = str(data.get("record", key))
        record = kb.by_id.get(via)
        # a hop that rests on a field its record marks inferred says so: 'part of (parent inferred)'
        fields = _EDGE_FIELDS.get(str(data.get("type")), ()) if record is not None else ()
        inferred = [name for name in fields if infers(record, name)]
        if data.get("type") == _MEMBER_OF and group_inferred(kb, v if forward else u):
            inferred.append("membership")  # the group's record: its members are read, not stated
        rows.append(
            {
                "path": number,
                "hops": len(path) - 1,
                "step": step,
                "from": u,
                "from_name": _node_label(kb, graph, u, source_of),
                "relation": _phrase(data, forward) + _sureness(record, source_of) + resting_on(inferred),
                "to": v,
                "to_name": _node_label(kb, graph, v, source_of),
                "via": via,
                "source": getattr(record, "source", None),
            }
        )
    return rows


def describe_path(rows: list[Row], number: int) -> str:
    """One path as a sentence: 'Daniel Gross — CEO at → SSI — target of → ...'."""
    hops = [row for row in rows if row["path"] == number]
    if not hops:
        return ""
    parts = [str(hops[0]["from_name"])]
    for hop in hops:
        parts.append(f" — {hop['relation']} → {hop['to_name']}")
    return "".join(parts)
