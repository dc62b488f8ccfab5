"""Where the nodes of a plot go: each connected part laid out on its own, then packed in rows.

A spring layout of a disconnected graph pushes the parts to the corners and leaves the
middle empty; packing the parts like boxes on shelves uses the page instead.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

Point = tuple[float, float]


def _component_layout(nodes: list[str], edges: list[tuple[str, str]], seed: int, weight: float) -> dict[str, Point]:
    """Positions inside a box of side about sqrt(weight), centred on the origin."""
    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}
    if len(nodes) == 2:
        return {nodes[0]: (-0.5, 0.0), nodes[1]: (0.5, 0.0)}
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from(edges)
    side = math.sqrt(weight)
    raw = nx.spring_layout(graph, seed=seed, k=1.6 / side, iterations=300)
    xs = [float(p[0]) for p in raw.values()]
    ys = [float(p[1]) for p in raw.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    return {str(n): ((float(p[0]) - cx) / span * side, (float(p[1]) - cy) / span * side) for n, p in raw.items()}


def components(nodes: Iterable[str], edges: list[tuple[str, str]]) -> list[list[str]]:
    """Connected parts, biggest first, each sorted; ties broken by their first id."""
    parent = {n: n for n in nodes}

    def root(n: str) -> str:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    for u, v in edges:
        parent[root(u)] = root(v)
    parts: dict[str, list[str]] = {}
    for n in sorted(parent):
        parts.setdefault(root(n), []).append(n)
    return sorted(parts.values(), key=lambda part: (-len(part), part[0]))


def layout(
    nodes: Iterable[str],
    edges: list[tuple[str, str]],
    aspect: float = 1.6,
    seed: int = 7,
    weights: dict[str, float] | None = None,
) -> dict[str, Point]:
    """Positions in [0, 1] × [0, 1] (y up), deterministic for the same nodes and edges.

    aspect: width / height of the area they will be drawn in.
    weights: how much room each node needs (1 by default; more for long labels).
    """
    weights = weights or {}
    parts = components(nodes, edges)
    boxes: list[tuple[dict[str, Point], float, float]] = []
    for part in parts:
        members = set(part)
        weight = sum(weights.get(n, 1.0) for n in part)
        local = _component_layout(part, [(u, v) for u, v in edges if u in members], seed, weight)
        xs = [p[0] for p in local.values()]
        ys = [p[1] for p in local.values()]
        pad = 0.9  # room for labels around each part
        boxes.append((local, max(xs) - min(xs) + 2 * pad, max(ys) - min(ys) + 2 * pad))
    total = sum(w * h for _, w, h in boxes)
    row_width = max(max((w for _, w, _ in boxes), default=1.0), math.sqrt(total * aspect) * 1.05)
    placed: dict[str, Point] = {}
    x = y = row_height = 0.0
    for local, width, height in boxes:
        if x > 0 and x + width > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        xs = [p[0] for p in local.values()]
        ys = [p[1] for p in local.values()]
        ox = x + width / 2 - (max(xs) + min(xs)) / 2
        oy = y + height / 2 - (max(ys) + min(ys)) / 2
        for node, (px, py) in local.items():
            placed[node] = (px + ox, -(py + oy))  # rows go down the page
        x += width
        row_height = max(row_height, height)
    if not placed:
        return {}
    xs = [p[0] for p in placed.values()]
    ys = [p[1] for p in placed.values()]
    # stretch to fill the page both ways: a network has no true aspect, and empty margins waste it
    x_span, y_span = max(max(xs) - min(xs), 1e-9), max(max(ys) - min(ys), 1e-9)
    return {
        n: (
            (px - min(xs)) / x_span if len(set(xs)) > 1 else 0.5,
            (py - min(ys)) / y_span if len(set(ys)) > 1 else 0.5,
        )
        for n, (px, py) in placed.items()
    }


def separate(
    positions: dict[str, Point], radii: dict[str, float], size: tuple[float, float], margin: float = 16.0
) -> dict[str, Point]:
    """Push apart markers closer than their radii plus `margin` (pixels), keeping them on the page.

    positions are in [0, 1] × [0, 1]; radii in pixels; size is the page in pixels (width, height).
    Deterministic: pairs are visited in sorted order and moved by half the overlap each.
    """
    width, height = size
    points = {n: [x * width, y * height] for n, (x, y) in positions.items()}
    order = sorted(points)
    for _ in range(120):
        moved = False
        for i, a in enumerate(order):
            for b in order[i + 1 :]:
                (ax, ay), (bx, by) = points[a], points[b]
                dx, dy = bx - ax, by - ay
                distance = math.hypot(dx, dy)
                need = radii[a] + radii[b] + margin
                if distance >= need:
                    continue
                if distance < 1e-6:
                    dx, dy, distance = 1.0, 0.0, 1.0
                push = (need - distance) / 2 + 0.5
                ux, uy = dx / distance * push, dy / distance * push
                points[a] = [ax - ux, ay - uy]
                points[b] = [bx + ux, by + uy]
                moved = True
        for point in points.values():
            point[0] = min(max(point[0], 0.0), width)
            point[1] = min(max(point[1], 0.0), height)
        if not moved:
            break
    return {n: (x / width, y / height) for n, (x, y) in points.items()}
