"""Graph-shaped exports: selection (focus, depth, node types) and the file formats.

Every writer is deterministic: nodes and edges are emitted in sorted order and no
timestamp is written, so the same data gives byte-identical files.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape, quoteattr

from aiorg.export.files import atomic_directory, atomic_text
from aiorg.export.gexf import write_gexf as write_gexf  # its old home
from aiorg.export.naming import edge_attributes, relation_of
from aiorg.export.nodelink import write_json as write_json  # its old home: tests and callers import it here
from aiorg.graph import SOURCED_FROM, SOURCES_SEPARATOR

if TYPE_CHECKING:
    import networkx as nx

    from aiorg.export.whole import ExportGraph, Node
    from aiorg.graph import Edge
    from aiorg.kb import KnowledgeBase

NODE_TYPES = ("person", "firm", "group", "product", "deal", "event", "metric", "claim", "source")


def select(
    graph: nx.MultiDiGraph, focus: str | None = None, depth: int = 1, types: frozenset[str] | None = None
) -> nx.MultiDiGraph:
    """The part of the graph to export, as a new graph with nodes and edges in sorted order.

    focus: keep nodes within `depth` hops of this node; citations are not hops, but the
           sources the kept nodes and the edges between them cite (every one of their
           `sources`) come along.
    types: keep only nodes of these types.
    """
    import networkx as nx

    keep = set(graph.nodes)
    if focus is not None:
        hops = nx.Graph()
        hops.add_node(focus)
        hops.add_edges_from((u, v) for u, v, t in graph.edges(data="type") if t != SOURCED_FROM)
        keep = set(nx.single_source_shortest_path_length(hops, focus, cutoff=depth))
        keep |= {v for u, v, t in graph.edges(data="type") if t == SOURCED_FROM and u in keep}
        cited = [data.get("sources", "") for n, data in graph.nodes(data=True) if n in keep]
        cited += [d.get("sources", "") for u, v, d in graph.edges(data=True) if u in keep and v in keep]
        keep |= {source for ids in cited for source in str(ids).split(SOURCES_SEPARATOR) if source in graph}
    if types is not None:
        keep = {n for n in keep if graph.nodes[n].get("type") in types}
    ordered = nx.MultiDiGraph()
    ordered.graph.update(graph.graph)
    for node in sorted(keep):
        ordered.add_node(node, **graph.nodes[node])
    edges = sorted(
        ((u, v, k, d) for u, v, k, d in graph.edges(keys=True, data=True) if u in keep and v in keep),
        key=lambda edge: edge[:3],
    )
    for u, v, key, data in edges:
        ordered.add_edge(u, v, key=key, edge_key=key, **data)
    return ordered


def attribute_types(
    graph: ExportGraph | nx.MultiDiGraph, edges: Callable[[dict[str, Any]], dict[str, Any]] = dict
) -> dict[tuple[str, str], set[type]]:
    """(scope, attribute) -> the Python types it takes; exports need exactly one each.

    edges: how edge attributes are named in the export (see aiorg.export.naming).
    """
    from aiorg.export.whole import ExportGraph

    view = graph if isinstance(graph, ExportGraph) else ExportGraph.of(graph)
    # each distinct (names, types) of a row once: at 100k people 750k rows share a few dozen
    node_signatures = {(tuple(data), tuple(map(type, data.values()))) for _, data in view.nodes}
    signatures = {(tuple(data), tuple(map(type, data.values()))) for *_, data in view.edges}
    if edges is dict or edges is edge_attributes:
        found = signature_types(node_signatures, signatures, edges is edge_attributes)
        if found is not None:
            return found
    edge_pairs: set[tuple[str, type]] = set()
    for *_, data in view.edges:
        renamed = edges(data)
        edge_pairs.update(zip(renamed, map(type, renamed.values()), strict=True))
    return _seen(_pairs(node_signatures), edge_pairs)


def signature_types(
    nodes: set[tuple[tuple[str, ...], tuple[type, ...]]],
    edges: set[tuple[tuple[str, ...], tuple[type, ...]]],
    rename: bool,
) -> dict[tuple[str, str], set[type]] | None:
    """attribute_types from the distinct (names, types) of the nodes' and edges' attributes;
    rename: edge attributes as edge_attributes names them. None when the rows must be read
    (an attribute named `relation`: edge_attributes decides row by row)."""
    raw = _pairs(edges)
    names = {name for name, _ in raw}
    if rename and "relation" in names:
        return None
    if rename:  # it only makes `type` the text `relation`
        raw = {pair for pair in raw if pair[0] != "type"} | ({("relation", str)} if "type" in names else set())
    return _seen(_pairs(nodes), raw)


def _seen(node_pairs: set[tuple[str, type]], edge_pairs: set[tuple[str, type]]) -> dict[tuple[str, str], set[type]]:
    seen: dict[tuple[str, str], set[type]] = {}
    for scope, pairs in (("node", node_pairs), ("edge", edge_pairs)):
        for name, kind in pairs:
            seen.setdefault((scope, name), set()).add(kind)
    return seen


def _pairs(signatures: set[tuple[tuple[str, ...], tuple[type, ...]]]) -> set[tuple[str, type]]:
    """Every (name, type) pair of these row signatures."""
    pairs: set[tuple[str, type]] = set()
    for names, kinds in signatures:
        pairs.update(zip(names, kinds, strict=True))
    return pairs


_GRAPHML_TYPES: dict[type, str] = {bool: "boolean", int: "long", float: "double", str: "string"}


def _graphml_value(value: Any) -> str:
    if type(value) is str:  # most values: escaped only when they hold a character XML reserves
        if "&" in value or "<" in value or ">" in value or "\r" in value:
            return escape(value, _CARRIAGE_RETURN)  # an XML reader turns a raw CR (LF) into LF
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return escape(repr(value) if isinstance(value, float) else str(value))


_XML_SPECIAL = re.compile("[&<>\"'\n\r\t]")
_CARRIAGE_RETURN = {"\r": "&#13;"}


def _quoteattr(text: str) -> str:
    """saxutils.quoteattr, without its three replace calls for the ids that need none."""
    return quoteattr(text) if _XML_SPECIAL.search(text) else f'"{text}"'


def _cells_template(cells: dict[str, str], names: tuple[str, ...]) -> str:
    """The <data> cells of one set of attribute names, with %s for each value."""
    return "".join(cells[name].replace("%", "%%") + "%s</data>" for name in names)


_BATCH = 4096  # lines written at a time


class _GraphmlCells:
    """The <data> cells of a node's or edge's attributes, with a template made once for each
    distinct set of names: at 100k people 750k rows share a few dozen.

    kinds: the one type each attribute name takes (attribute_types), so a layout knows which
    of its values are not text (`disputed`, numbers) and converts just those; None: each layout
    takes them from the first row it meets (a row whose values differ from that is still written
    right: see `text`), so the rows' types need not be worked out before their lines.
    """

    def __init__(self, scope: str, kinds: dict[str, type] | None, head: str = "", tail: str = "") -> None:
        self.scope = scope
        self.kinds = kinds
        self.layouts: dict[tuple[str, ...], tuple[str, int, tuple[int, ...]] | None] = {}
        #: a whole line's template: `head` (%s for each id), the cells, `tail`
        self.head, self.tail = head, tail
        self.lines: dict[tuple[str, ...], tuple[str, int, tuple[int, ...]] | None] = {}

    def _layout(
        self, names: tuple[str, ...], rename: bool, values: list[Any]
    ) -> tuple[str, int, tuple[int, ...]] | None:
        """(template, position of `type` or -1, positions of the values that are not text once
        `type` is moved); None when edge_attributes must decide (both `type` and `relation`
        there). Edges: `type` leaves its place and `relation` comes last."""
        type_at = -1
        if rename and "type" in names:
            if "relation" in names:
                return None
            type_at = names.index("type")
            names = (*(n for n in names if n != "type"), "relation")
            values = [*(v for i, v in enumerate(values) if i != type_at), ""]
        if self.kinds is not None:
            kinds = self.kinds
            others = tuple(i for i, name in enumerate(names) if kinds.get(name, str) is not str)
        else:
            others = tuple(i for i, value in enumerate(values) if type(value) is not str)
        return _cells_template(self.cells(names), names), type_at, others

    def cells(self, names: tuple[str, ...]) -> dict[str, str]:
        """The opening tag of each of these names' cells (its key id is its scope and name)."""
        return {name: f'<data key="{self.scope[0]}_{name}">' for name in names}

    def text(self, data: dict[str, Any], rename: bool) -> str:
        """The cells of one row; rename: an edge (`type` is written as `relation`)."""
        names = tuple(data)
        layout = self.layouts.get(names, ...)
        if layout is ...:
            layout = self.layouts[names] = self._layout(names, rename, list(data.values()))
        if layout is None:
            renamed = edge_attributes(data)
            return _cells_template(self.cells(tuple(renamed)), tuple(renamed)) % tuple(
                map(_graphml_value, renamed.values())
            )
        template, type_at, others = layout
        raw = list(data.values())
        if type_at >= 0:
            raw.append(relation_of(str(raw.pop(type_at))))
        values = raw.copy() if others else raw
        for at in others:  # true/false and numbers: never a character XML reserves
            values[at] = _graphml_value(values[at])
        try:
            joined = "\0".join(values)  # a TypeError when a value is still not a str
        except TypeError:
            joined = "&"
        if "&" in joined or "<" in joined or ">" in joined or "\r" in joined:
            return template % tuple(map(_graphml_value, raw))
        return template % tuple(values)  # most rows: text with nothing to escape

    def line(self, ids: tuple[Any, ...], data: dict[str, Any], rename: bool) -> str | None:
        """A row's whole line (`head` with its ids, its cells, `tail`) in one `%` when neither its
        ids nor its values hold a character to escape (most rows); None: make it the slow way."""
        names = tuple(data)
        layout = self.lines.get(names, ...)
        if layout is ...:
            cells = self._layout(names, rename, list(data.values()))
            layout = self.lines[names] = (
                None
                if cells is None
                else (
                    self.head + cells[0] + self.tail.replace("%", "%%"),
                    cells[1] + len(ids) if cells[1] >= 0 else -1,
                    tuple(at + len(ids) for at in cells[2]),
                )
            )
        if layout is None:
            return None
        template, type_at, others = layout
        values = [*ids, *data.values()]
        if type_at >= 0:
            values.append(relation_of(str(values.pop(type_at))))
        for at in others:  # true/false and numbers: never a character XML reserves
            values[at] = _graphml_value(values[at])
        try:
            joined = "\0".join(values)  # a TypeError when a value is still not a str
        except TypeError:
            return None
        if "&" in joined or "<" in joined or ">" in joined or "\r" in joined or _XML_SPECIAL.search("".join(ids)):
            return None
        return template % tuple(values)


def _graphml_lines(
    kinds: dict[tuple[str, str], set[type]] | None,
) -> tuple[Callable[..., str], Callable[..., str]]:
    """The functions that write a node's line (node, data) and an edge's (u, v, key, data).

    kinds: attribute_types of the rows, or None (each layout's first row tells); a line depends
    only on its own row (each cell's key id is made from its scope and name, and `kinds` only
    tells which values to check for non-text).
    """
    node_cells, edge_cells = (
        _GraphmlCells(
            wanted,
            None
            if kinds is None
            else {name: next(iter(types)) for (scope, name), types in kinds.items() if scope == wanted},
            head,
            tail,
        )
        for wanted, head, tail in (
            ("node", '    <node id="%s">', "</node>\n"),
            ("edge", '    <edge id="%s" source="%s" target="%s">', "</edge>\n"),
        )
    )

    def node_line(node: str, data: dict[str, Any]) -> str:
        line = node_cells.line((node,), data, False)
        if line is not None:
            return line
        return f"    <node id={_quoteattr(str(node))}>{node_cells.text(data, False)}</node>\n"

    def edge_line(u: str, v: str, key: str, data: dict[str, Any]) -> str:
        line = edge_cells.line((key, u, v), data, True)
        if line is not None:
            return line
        ends = f"{key}{u}{v}"
        if _XML_SPECIAL.search(ends):
            ends = f"id={_quoteattr(str(key))} source={_quoteattr(str(u))} target={_quoteattr(str(v))}"
        else:
            ends = f'id="{key}" source="{u}" target="{v}"'
        return f"    <edge {ends}>{edge_cells.text(data, True)}</edge>\n"

    return node_line, edge_line


def _graphml_node_lines(nodes: list[Node]) -> list[str]:
    """The lines of these nodes (aiorg.export.split), without working out their types first."""
    node_line, _ = _graphml_lines(None)
    return [node_line(*node) for node in nodes]


def _graphml_edge_lines(edges: list[Edge]) -> list[str]:
    """The lines of these edges (aiorg.export.split, in either process)."""
    _, edge_line = _graphml_lines(None)
    return [edge_line(*edge) for edge in edges]


def write_graphml(kb: KnowledgeBase, graph: ExportGraph, out: Path | None) -> str | None:
    """GraphML 1.0, streamed: typed keys (one type per name), then one line per node and edge.

    Written directly rather than through networkx, whose writer builds the whole XML tree in
    memory first (gigabytes at 100k people). Edge keys are the edge ids and the `edge_key` attribute.
    A whole export is built and written on two cores (aiorg.export.split); a line depends only
    on its node or edge, and the keys on the types of all of them.
    """
    from aiorg.export.split import split_whole, write_lines

    split = split_whole(kb, _graphml_node_lines, _graphml_edge_lines) if graph.whole and not graph.built else None
    kinds = None if split is None else signature_types(split.node_signatures, split.edge_signatures, True)
    if split is None or kinds is None:
        split = None
        kinds = attribute_types(graph, edges=edge_attributes)
    node_line, edge_line = _graphml_lines(kinds)
    with atomic_text(out) as stream:
        stream.write(
            '<?xml version="1.0" encoding="utf-8"?>\n'
            '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
            'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
        )
        # Named key ids (n_label, e_relation): Gephi reads the ids d3 and d7 as labels, for yEd.
        for scope, name in sorted(kinds):
            (kind,) = kinds[(scope, name)]  # select() and scalar_attributes() guarantee one type per name
            stream.write(
                f'  <key id="{scope[0]}_{name}" for="{scope}" attr.name={quoteattr(name)} '
                f'attr.type="{_GRAPHML_TYPES[kind]}" />\n'
            )
        stream.write('  <graph edgedefault="directed">\n')
        if split is not None:
            write_lines(stream, split.nodes)
            write_lines(stream, split.edges)
        else:
            lines: list[str] = []
            nodes = (node_line(*node) for node in graph.nodes)
            for line in chain(nodes, (edge_line(*edge) for edge in graph.edges)):
                lines.append(line)
                if len(lines) >= _BATCH:
                    stream.write("".join(lines))
                    lines.clear()
            stream.write("".join(lines))
        stream.write("  </graph>\n</graphml>\n")
    # what was written, without the graph: the whole graph was never built here
    return None if split is None else f"{len(split.nodes)} nodes, {len(split.edges)} edges"


def _csv_value(value: Any) -> Any:
    return "true" if value is True else "false" if value is False else value


CSV_FILES = frozenset({"nodes.csv", "edges.csv"})


def write_csv(kb: KnowledgeBase, graph: ExportGraph, out: Path | None) -> None:
    """nodes.csv and edges.csv in the directory `out`, replaced as a whole.

    Edge columns: source, target, key, relation, then the attributes (no `type` column:
    Gephi would read it as the edge direction; every edge is directed).
    """
    if out is None:
        from aiorg.errors import UsageError

        raise UsageError("csv writes two files; give a directory, not '-'")

    node_names: set[str] = {"id"}
    for _, data in graph.nodes:
        node_names.update(data)
    edge_names: set[str] = set()
    for *_, data in graph.edges:
        edge_names.update(data)
    # the names edge_attributes gives: `type` leaves, `relation` comes when `type` was there
    relation = {"relation"} if "type" in edge_names else set()
    edge_names = {"source", "target", "key"} | (edge_names - {"type"}) | relation
    nodes = ({"id": node, **data} for node, data in graph.nodes)
    edges = ({"source": u, "target": v, "key": k, **edge_attributes(d)} for u, v, k, d in graph.edges)
    with atomic_directory(out, CSV_FILES.__contains__) as folder:
        for name, rows, names, first in (
            ("nodes.csv", nodes, node_names, ["id", "type", "label"]),
            ("edges.csv", edges, edge_names, ["source", "target", "key", "relation"]),
        ):
            columns = first + sorted(names - set(first))
            with atomic_text(folder / name) as stream:
                csv.DictWriter(stream, fieldnames=columns, lineterminator="\n").writeheader()
                writer = csv.writer(stream, lineterminator="\n")  # what DictWriter writes rows with
                for row in rows:
                    writer.writerow([_csv_value(row[k]) if k in row else "" for k in columns])
