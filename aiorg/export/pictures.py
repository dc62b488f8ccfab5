"""Pictures of the graph as text: Mermaid (for a README or a story) and Graphviz DOT."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiorg.export.files import atomic_text
from aiorg.export.naming import relation_of
from aiorg.graph import SOURCED_FROM

if TYPE_CHECKING:
    from aiorg.export.whole import ExportGraph
    from aiorg.kb import KnowledgeBase


def _edge_label(data: dict[str, Any]) -> str:
    if data.get("type") == "held_role_at":
        title = str(data.get("title") or "role")
        cause = data.get("end_cause")
        return f"{title} ({cause})" if cause else title
    return relation_of(str(data.get("type", ""))).replace("_", " ")


def _mermaid_text(text: str) -> str:
    return text.replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


def write_mermaid(kb: KnowledgeBase, graph: ExportGraph, out: Path | None) -> None:
    """A Mermaid flowchart; node ids are made Mermaid-safe, labels keep both scripts."""
    ids = {node: f"n{index}" for index, (node, _) in enumerate(graph.nodes)}
    shapes = {"person": ('(["', '"])'), "deal": ('{{"', '"}}'), "source": ('[/"', '"/]')}
    lines = ["flowchart LR"]
    for node, data in graph.nodes:
        left, right = shapes.get(str(data.get("type")), ('["', '"]'))
        lines.append(f"    {ids[node]}{left}{_mermaid_text(str(data.get('label', node)))}{right}")
    for u, v, _, data in graph.edges:
        if data.get("type") == SOURCED_FROM:
            continue
        lines.append(f'    {ids[u]} -->|"{_mermaid_text(_edge_label(data))}"| {ids[v]}')
    with atomic_text(out) as stream:
        stream.write("\n".join(lines) + "\n")


def _dot_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def write_dot(kb: KnowledgeBase, graph: ExportGraph, out: Path | None) -> None:
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
    for node, data in graph.nodes:
        shape = shapes.get(str(data.get("type")), "box")
        lines.append(f"    {_dot_text(node)} [label={_dot_text(str(data.get('label', node)))}, shape={shape}];")
    for u, v, _, data in graph.edges:
        style = ", style=dotted" if data.get("type") == SOURCED_FROM else ""
        lines.append(f"    {_dot_text(u)} -> {_dot_text(v)} [label={_dot_text(_edge_label(data))}{style}];")
    lines.append("}")
    with atomic_text(out) as stream:
        stream.write("\n".join(lines) + "\n")
