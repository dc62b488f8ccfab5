"""Exports for the tools users already use. `FORMATS` is the one registry of formats."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, cast

if TYPE_CHECKING:
    from pathlib import Path

    import networkx as nx

    from aiorg.export.whole import ExportGraph
    from aiorg.kb import KnowledgeBase


class Writer(Protocol):
    """Writes one export of `graph` (already focused and filtered) to `out` (None is stdout).

    Returns what it wrote, for the CLI's note, when that is not the graph's nodes and edges.
    """

    def __call__(self, kb: KnowledgeBase, graph: ExportGraph, out: Path | None) -> str | None: ...


@dataclass(frozen=True, slots=True)
class Format:
    """An export format: its writer ('module:function', imported only when used) and what OUT is."""

    name: str
    description: str
    writer: str
    directory: bool = False  # OUT is a directory of files, replaced as a whole

    def write(self, kb: KnowledgeBase, graph: ExportGraph | nx.MultiDiGraph, out: Path | None) -> str:
        """Import the writer lazily and run it; returns what was written, for the CLI's note.

        graph: a selected networkx graph (see aiorg.export.graphs.select), or an ExportGraph
        (ExportGraph.whole_of(kb) for the whole knowledge base, built without networkx).
        """
        from aiorg.export.whole import ExportGraph

        if not isinstance(graph, ExportGraph):
            graph = ExportGraph.of(graph)
        module, function = self.writer.split(":")
        summary = cast(Writer, getattr(importlib.import_module(module), function))(kb, graph, out)
        return summary or f"{graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges"


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format(
            "graphml",
            "GraphML with typed attributes (Gephi, Cytoscape, yEd, igraph)",
            "aiorg.export.graphs:write_graphml",
        ),
        Format("gexf", "GEXF 1.2 with time intervals for Gephi's timeline", "aiorg.export.gexf:write_gexf"),
        Format("json", "node-link JSON (networkx, D3)", "aiorg.export.nodelink:write_json"),
        Format("csv", "nodes.csv and edges.csv in a directory", "aiorg.export.graphs:write_csv", directory=True),
        Format(
            "sqlite",
            "normalised SQLite database with full-text search, for Datasette",
            "aiorg.export.sqlite:write_sqlite",
        ),
        Format(
            "cypher", "Cypher script that MERGEs the graph into Neo4j (or FalkorDB)", "aiorg.export.cypher:write_cypher"
        ),
        Format(
            "neo4j-csv",
            "CSV files laid out for neo4j-admin database import",
            "aiorg.export.cypher:write_neo4j_csv",
            directory=True,
        ),
        Format("mermaid", "Mermaid flowchart, for a README or a story", "aiorg.export.pictures:write_mermaid"),
        Format("dot", "Graphviz DOT", "aiorg.export.pictures:write_dot"),
    )
}
