"""Questions that need the whole graph: how are two people or firms connected?"""

from __future__ import annotations

from itertools import islice, pairwise
from typing import TYPE_CHECKING, Any

from aiorg.graph import SOURCED_FROM, build_graph
from aiorg.kb import KnowledgeBase
from aiorg.queries import Row

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


def _phrase(data: dict[str, Any], forward: bool) -> str:
    forwards, backwards = _PHRASES.get(str(data.get("type")), (str(data.get("type")), f"← {data.get('type')}"))
    title = str(data.get("title") or "role")
    if data.get("state") == "ended":
        title = f"former {title}"
    return (forwards if forward else backwards).format(title=title)


def _node_label(graph: nx.MultiDiGraph, node: str) -> str:
    data = graph.nodes[node]
    if data.get("type") == "deal":
        return f"{data.get('title') or node} [{data.get('status')}]"
    return str(data.get("label", node))


def connections(kb: KnowledgeBase, start: str, end: str, limit: int = 5) -> list[Row]:
    """Shortest paths between two records, one row per hop, each hop explained and cited.

    Citations (source nodes) are not hops. Up to `limit` paths of equal, shortest length.
    """
    import networkx as nx

    graph = build_graph(kb)
    simple = nx.Graph()
    for u, v, data in graph.edges(data=True):
        if data.get("type") != SOURCED_FROM and not simple.has_edge(u, v):
            simple.add_edge(u, v)
    simple.add_nodes_from([start, end])
    try:
        paths = list(islice(nx.all_shortest_paths(simple, start, end), limit))
    except nx.NetworkXNoPath:
        return []
    rows: list[Row] = []
    for number, path in enumerate(paths, start=1):
        for step, (u, v) in enumerate(pairwise(path), start=1):
            forward = graph.has_edge(u, v)
            edges = graph.get_edge_data(u, v) if forward else graph.get_edge_data(v, u)
            key, data = sorted(edges.items())[0]
            via = str(data.get("record", key))
            rows.append(
                {
                    "path": number,
                    "step": step,
                    "from": u,
                    "from_name": _node_label(graph, u),
                    "relation": _phrase(data, forward),
                    "to": v,
                    "to_name": _node_label(graph, v),
                    "via": via,
                    "source": getattr(kb.by_id.get(via), "source", None),
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
