"""Pictures of the graph as text: Mermaid (for a README or a story) and Graphviz DOT.

Every node cites its source, so a full graph has one "sourced from" edge per record
(64 in the bundled knowledge base) all pointing at one source node: drawn, they bury
the picture. They and the source nodes are left out unless asked for (`--with-sources`).
Both files say, in a comment, that Chinese names need a CJK font to render.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiorg.export.files import atomic_text
from aiorg.export.naming import relation_of
from aiorg.graph import SOURCED_FROM

if TYPE_CHECKING:
    from aiorg.export.whole import ExportGraph, Node
    from aiorg.graph import Edge as ExportEdge
    from aiorg.kb import KnowledgeBase

CJK_FONT_NOTE = (
    "Labels include Chinese names: render with a CJK font such as Noto Sans CJK SC "
    "(apt-get install fonts-noto-cjk, or the font bundled by pip install 'aiorg[plot]')."
)
#: the writers that keep citations, for `aiorg export dot|mermaid --with-sources`
WITH_SOURCES = {
    "dot": "aiorg.export.pictures:write_dot_with_sources",
    "mermaid": "aiorg.export.pictures:write_mermaid_with_sources",
}


def _edge_label(data: dict[str, Any]) -> str:
    if data.get("type") == "held_role_at":
        title = str(data.get("title") or "role")
        cause = data.get("end_cause")
        return f"{title} ({cause})" if cause else title
    return relation_of(str(data.get("type", ""))).replace("_", " ")


def _drawn(graph: ExportGraph, with_sources: bool) -> tuple[list[Node], list[ExportEdge], int]:
    """The nodes and edges to draw, and how many citation edges were left out."""
    if with_sources:
        return graph.nodes, graph.edges, 0
    nodes = [(n, d) for n, d in graph.nodes if d.get("type") != "source"]
    edges = [e for e in graph.edges if e[3].get("type") != SOURCED_FROM]
    return nodes, edges, len(graph.edges) - len(edges)


def _notes(left_out: int) -> Iterator[str]:
    yield CJK_FONT_NOTE
    if left_out:
        yield f'{left_out} "sourced from" edges (record -> the source it cites) are left out; --with-sources adds them.'


def _summary(nodes: int, edges: int, left_out: int) -> str:
    extra = f"; {left_out} sourced-from edges left out (--with-sources adds them)" if left_out else ""
    return f"{nodes} nodes, {edges} edges{extra}; Chinese labels need a CJK font (e.g. Noto Sans CJK SC)"


def _mermaid_text(text: str) -> str:
    return text.replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


def write_mermaid(kb: KnowledgeBase, graph: ExportGraph, out: Path | None, with_sources: bool = False) -> str:
    """A Mermaid flowchart; node ids are made Mermaid-safe, labels keep both scripts."""
    nodes, edges, left_out = _drawn(graph, with_sources)
    ids = {node: f"n{index}" for index, (node, _) in enumerate(nodes)}
    shapes = {"person": ('(["', '"])'), "deal": ('{{"', '"}}'), "source": ('[/"', '"/]')}
    lines = ["flowchart LR", *(f"    %% {note}" for note in _notes(left_out))]
    for node, data in nodes:
        left, right = shapes.get(str(data.get("type")), ('["', '"]'))
        lines.append(f"    {ids[node]}{left}{_mermaid_text(str(data.get('label', node)))}{right}")
    for u, v, _, data in edges:
        arrow = "-.->" if data.get("type") == SOURCED_FROM else "-->"
        lines.append(f'    {ids[u]} {arrow}|"{_mermaid_text(_edge_label(data))}"| {ids[v]}')
    with atomic_text(out) as stream:
        stream.write("\n".join(lines) + "\n")
    return _summary(len(nodes), len(edges), left_out)


def write_mermaid_with_sources(kb: KnowledgeBase, graph: ExportGraph, out: Path | None) -> str:
    """write_mermaid with the "sourced from" edges and source nodes kept."""
    return write_mermaid(kb, graph, out, with_sources=True)


def _dot_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def write_dot(kb: KnowledgeBase, graph: ExportGraph, out: Path | None, with_sources: bool = False) -> str:
    """Graphviz DOT, written directly so no pydot or pygraphviz is needed."""
    nodes, edges, left_out = _drawn(graph, with_sources)
    shapes = {
        "person": "ellipse",
        "firm": "box",
        "deal": "diamond",
        "product": "component",
        "group": "folder",
        "source": "note",
    }
    lines = [
        "digraph aiorg {",
        *(f"    // {note}" for note in _notes(left_out)),
        "    rankdir=LR;",
        '    node [fontname="Noto Sans CJK SC"];',
        '    edge [fontname="Noto Sans CJK SC"];',
    ]
    for node, data in nodes:
        shape = shapes.get(str(data.get("type")), "box")
        lines.append(f"    {_dot_text(node)} [label={_dot_text(str(data.get('label', node)))}, shape={shape}];")
    for u, v, _, data in edges:
        style = ", style=dotted" if data.get("type") == SOURCED_FROM else ""
        lines.append(f"    {_dot_text(u)} -> {_dot_text(v)} [label={_dot_text(_edge_label(data))}{style}];")
    lines.append("}")
    with atomic_text(out) as stream:
        stream.write("\n".join(lines) + "\n")
    return _summary(len(nodes), len(edges), left_out)


def write_dot_with_sources(kb: KnowledgeBase, graph: ExportGraph, out: Path | None) -> str:
    """write_dot with the "sourced from" edges and source nodes kept."""
    return write_dot(kb, graph, out, with_sources=True)
