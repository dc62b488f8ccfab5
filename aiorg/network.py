"""Questions that need the whole graph: how are two people or firms connected?"""

from __future__ import annotations

from itertools import pairwise
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


def connections(kb: KnowledgeBase, start: str, end: str, limit: int = 10, max_hops: int = 4) -> list[Row]:
    """Every connection of up to `max_hops` hops between two records, shortest first, one row per
    hop, each hop explained and cited; at most `limit` paths.

    Citations (source nodes) are not hops. Paths never visit a node twice.
    """
    return [row for path in paths_between(kb, start, end, limit, max_hops) for row in path]


def paths_between(kb: KnowledgeBase, start: str, end: str, limit: int, max_hops: int) -> list[list[Row]]:
    """The connections as lists of hop rows, shortest first (ties in a stable order)."""
    import networkx as nx

    graph = build_graph(kb)
    simple = nx.Graph()
    for u, v, data in graph.edges(data=True):
        if data.get("type") != SOURCED_FROM and not simple.has_edge(u, v):
            simple.add_edge(u, v)
    simple.add_nodes_from([start, end])
    found: list[list[str]] = []
    try:
        # Yen's algorithm yields simple paths in order of length, so the first `limit` are the shortest.
        for path in nx.shortest_simple_paths(simple, start, end):
            if len(path) - 1 > max_hops or len(found) == limit:
                break
            found.append(path)
    except nx.NetworkXNoPath:
        return []
    found.sort(key=lambda path: (len(path), path))
    return [_hops(kb, graph, number, path) for number, path in enumerate(found, start=1)]


def _hops(kb: KnowledgeBase, graph: nx.MultiDiGraph, number: int, path: list[str]) -> list[Row]:
    rows: list[Row] = []
    for step, (u, v) in enumerate(pairwise(path), start=1):
        forward = graph.has_edge(u, v)
        edges = graph.get_edge_data(u, v) if forward else graph.get_edge_data(v, u)
        key, data = sorted(edges.items())[0]
        via = str(data.get("record", key))
        rows.append(
            {
                "path": number,
                "hops": len(path) - 1,
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
