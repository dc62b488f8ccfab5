"""Graph-shaped exports: selection (focus, depth, node types) and the file formats.

Every writer is deterministic: nodes and edges are emitted in sorted order and no
timestamp is written, so the same data gives byte-identical files.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape, quoteattr

from aiorg.export.files import atomic_text, ensure_directory
from aiorg.graph import SOURCED_FROM

if TYPE_CHECKING:
    import networkx as nx

    from aiorg.kb import KnowledgeBase

NODE_TYPES = ("person", "firm", "group", "product", "deal", "source")


def select(
    graph: nx.MultiDiGraph, focus: str | None = None, depth: int = 1, types: frozenset[str] | None = None
) -> nx.MultiDiGraph:
    """The part of the graph to export, as a new graph with nodes and edges in sorted order.

    focus: keep nodes within `depth` hops of this node; citations are not hops, but the
           sources the kept nodes cite come along.
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


def attribute_types(graph: nx.MultiDiGraph) -> dict[tuple[str, str], set[type]]:
    """(scope, attribute) -> the Python types it takes; exports need exactly one each."""
    seen: dict[tuple[str, str], set[type]] = {}
    for _, data in graph.nodes(data=True):
        for name, value in data.items():
            seen.setdefault(("node", name), set()).add(type(value))
    for _, _, data in graph.edges(data=True):
        for name, value in data.items():
            seen.setdefault(("edge", name), set()).add(type(value))
    return seen


_GRAPHML_TYPES: dict[type, str] = {bool: "boolean", int: "long", float: "double", str: "string"}


def _graphml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return escape(repr(value) if isinstance(value, float) else str(value))


def write_graphml(kb: KnowledgeBase, graph: nx.MultiDiGraph, out: Path | None) -> None:
    """GraphML 1.0, streamed: typed keys (one type per name), then one line per node and edge.

    Written directly rather than through networkx, whose writer builds the whole XML tree in
    memory first (gigabytes at 100k people). Edge keys are the edge ids and the `edge_key` attribute.
    """
    kinds = attribute_types(graph)
    keys = {(scope, name): f"d{index}" for index, (scope, name) in enumerate(sorted(kinds))}
    with atomic_text(out) as stream:
        stream.write(
            '<?xml version="1.0" encoding="utf-8"?>\n'
            '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
            'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
        )
        for (scope, name), key in keys.items():
            (kind,) = kinds[(scope, name)]  # select() and scalar_attributes() guarantee one type per name
            stream.write(
                f'  <key id="{key}" for="{scope}" attr.name={quoteattr(name)} attr.type="{_GRAPHML_TYPES[kind]}" />\n'
            )
        stream.write('  <graph edgedefault="directed">\n')
        for node, data in graph.nodes(data=True):
            cells = "".join(f'<data key="{keys[("node", k)]}">{_graphml_value(v)}</data>' for k, v in data.items())
            stream.write(f"    <node id={quoteattr(str(node))}>{cells}</node>\n")
        for u, v, key, data in graph.edges(keys=True, data=True):
            cells = "".join(f'<data key="{keys[("edge", k)]}">{_graphml_value(x)}</data>' for k, x in data.items())
            stream.write(
                f"    <edge id={quoteattr(str(key))} source={quoteattr(str(u))} "
                f"target={quoteattr(str(v))}>{cells}</edge>\n"
            )
        stream.write("  </graph>\n</graphml>\n")


def _timed(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy for GEXF: `start`/`end` become ISO days (what Gephi's timeline reads), the text kept as
    `start_text`/`end_text`; deals start on their latest status date."""
    timed = graph.copy()
    for _, _, data in timed.edges(data=True):
        data["relation"] = data.pop("type")  # GEXF reserves an edge's "type" for directed/undirected
    for _, data in [*timed.nodes(data=True), *((None, d) for _, _, d in timed.edges(data=True))]:
        for bound, edge in (("start", "earliest"), ("end", "latest")):
            text = data.pop(bound, None)
            if text is not None:
                data[f"{bound}_text"] = text
            day = data.get(f"{bound}_{edge}")
            if data.get("type") == "deal" and bound == "start":
                day = data.get("date_earliest")
            if day is not None:
                data[bound] = day
    return timed


def write_gexf(kb: KnowledgeBase, graph: nx.MultiDiGraph, out: Path | None) -> None:
    """GEXF 1.2 in dynamic mode: role spells and deals carry start/end days."""
    import networkx as nx

    text = "\n".join(nx.generate_gexf(_timed(graph), encoding="utf-8", prettyprint=True, version="1.2draft"))
    text = re.sub(r' lastmodifieddate="[^"]*"', "", text, count=1)  # keep the file byte-identical across days
    with atomic_text(out) as stream:
        stream.write(text + "\n")


def write_json(kb: KnowledgeBase, graph: nx.MultiDiGraph, out: Path | None) -> None:
    """networkx node-link JSON."""
    import networkx as nx

    data = nx.node_link_data(graph, edges="links")
    with atomic_text(out) as stream:
        json.dump(data, stream, ensure_ascii=False, indent=1, sort_keys=True)
        stream.write("\n")


def _columns(rows: list[dict[str, Any]], first: list[str]) -> list[str]:
    names = sorted({name for row in rows for name in row} - set(first))
    return first + names


def _csv_value(value: Any) -> Any:
    return "true" if value is True else "false" if value is False else value


def write_csv(kb: KnowledgeBase, graph: nx.MultiDiGraph, out: Path | None) -> None:
    """nodes.csv and edges.csv in the directory `out`."""
    if out is None:
        from aiorg.errors import UsageError

        raise UsageError("csv writes two files; give a directory, not '-'")
    ensure_directory(out)
    nodes = [{"id": node, **data} for node, data in graph.nodes(data=True)]
    edges = [{"source": u, "target": v, "key": k, **d} for u, v, k, d in graph.edges(keys=True, data=True)]
    for name, rows, first in (
        ("nodes.csv", nodes, ["id", "type", "label"]),
        ("edges.csv", edges, ["source", "target", "key", "type"]),
    ):
        columns = _columns(rows, first)
        with atomic_text(out / name) as stream:
            writer = csv.DictWriter(stream, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            for row in rows:
                writer.writerow({k: _csv_value(v) for k, v in row.items()})


def _edge_label(data: dict[str, Any]) -> str:
    if data.get("type") == "held_role_at":
        title = str(data.get("title") or "role")
        cause = data.get("end_cause")
        return f"{title} ({cause})" if cause else title
    return str(data.get("type", "")).replace("_", " ")


def _mermaid_text(text: str) -> str:
    return text.replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


def write_mermaid(kb: KnowledgeBase, graph: nx.MultiDiGraph, out: Path | None) -> None:
    """A Mermaid flowchart; node ids are made Mermaid-safe, labels keep both scripts."""
    ids = {node: f"n{index}" for index, node in enumerate(graph.nodes)}
    shapes = {"person": ('(["', '"])'), "deal": ('{{"', '"}}'), "source": ('[/"', '"/]')}
    lines = ["flowchart LR"]
    for node, data in graph.nodes(data=True):
        left, right = shapes.get(str(data.get("type")), ('["', '"]'))
        lines.append(f"    {ids[node]}{left}{_mermaid_text(str(data.get('label', node)))}{right}")
    for u, v, data in graph.edges(data=True):
        if data.get("type") == SOURCED_FROM:
            continue
        lines.append(f'    {ids[u]} -->|"{_mermaid_text(_edge_label(data))}"| {ids[v]}')
    with atomic_text(out) as stream:
        stream.write("\n".join(lines) + "\n")


def _dot_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def write_dot(kb: KnowledgeBase, graph: nx.MultiDiGraph, out: Path | None) -> None:
    """Graphviz DOT, written directly so no pydot or pygraphviz is needed."""
    shapes = {
        "person": "ellipse",
        "firm": "box",
        "deal": "diamond",
        "product": "component",
        "group": "folder",
        "source": "note",
    }
    lines = ["digraph aiorg {", "    rankdir=LR;", '    node [fontname="Noto Sans CJK SC"];']
    for node, data in graph.nodes(data=True):
        shape = shapes.get(str(data.get("type")), "box")
        lines.append(f"    {_dot_text(node)} [label={_dot_text(str(data.get('label', node)))}, shape={shape}];")
    for u, v, data in graph.edges(data=True):
        style = ", style=dotted" if data.get("type") == SOURCED_FROM else ""
        lines.append(f"    {_dot_text(u)} -> {_dot_text(v)} [label={_dot_text(_edge_label(data))}{style}];")
    lines.append("}")
    with atomic_text(out) as stream:
        stream.write("\n".join(lines) + "\n")
