"""Label placement for `aiorg plot`: greedy, on measured boxes, with no overlaps allowed.

Each label's rendered size is measured first (by the caller, with matplotlib's renderer).
Labels are then placed one by one, most important first, at the cheapest free spot
around their node: near positions before far ones, right before left before above or
below, and spots that edges cross cost more. A spot is free when the label's box stays
inside the drawing area and touches no other label and no node marker. A label that
ends up away from its node gets a thin leader line. When no spot near the node is free,
the whole area is searched; if even that fails, the caller tries a smaller font.

Everything here is in display pixels (y up), with no matplotlib, so it can be tested alone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Box = tuple[float, float, float, float]  # x0, y0, x1, y1
Segment = tuple[float, float, float, float]

GAP = 4.0  # pixels kept clear around every label (its white backing reaches 1.5 px out)
RINGS = 14  # how far out (in steps) to look around a node before searching the whole area


@dataclass(frozen=True, slots=True)
class Anchor:
    """A node to label: its centre and marker radius, and the label's measured size (pixels)."""

    id: str
    x: float
    y: float
    radius: float
    width: float
    height: float


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a label goes: the centre of its box, the box, and whether it needs a leader line."""

    x: float
    y: float
    box: Box
    leader: bool
    direction: float  # radians from the node, for text alignment


def overlaps(a: Box, b: Box, gap: float = 0.0) -> bool:
    """Do two boxes intersect (closer than `gap`)?"""
    return a[0] < b[2] + gap and b[0] < a[2] + gap and a[1] < b[3] + gap and b[1] < a[3] + gap


def _crosses(box: Box, segment: Segment) -> bool:
    """Does a line segment pass through a box (Liang–Barsky clipping)?"""
    x0, y0, x1, y1 = segment
    dx, dy = x1 - x0, y1 - y0
    low, high = 0.0, 1.0
    for p, q in ((-dx, x0 - box[0]), (dx, box[2] - x0), (-dy, y0 - box[1]), (dy, box[3] - y0)):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high:
            return False
    return True


def _directions(count: int) -> list[tuple[float, float]]:
    """(angle, preference cost) of `count` directions: right, left, up, down, then between."""
    first = [(0.0, 0.0), (math.pi, 0.5), (math.pi / 2, 1.0), (-math.pi / 2, 1.0)]
    rest = [(2 * math.pi * i / count, 2.0) for i in range(count) if (4 * i) % count != 0]
    return first + rest


def _box_at(anchor: Anchor, angle: float, distance: float) -> tuple[float, float, Box]:
    cx = anchor.x + math.cos(angle) * (distance + anchor.width / 2)
    cy = anchor.y + math.sin(angle) * (distance + anchor.height / 2)
    half_w, half_h = anchor.width / 2, anchor.height / 2
    return cx, cy, (cx - half_w, cy - half_h, cx + half_w, cy + half_h)


def place_labels(
    anchors: list[Anchor], markers: list[Box], segments: list[Segment], area: Box
) -> dict[str, Placement] | None:
    """A placement for every anchor (in the order given), or None if one cannot be placed."""
    placed: list[Box] = []
    result: dict[str, Placement] = {}

    def free(box: Box) -> bool:
        if box[0] < area[0] or box[1] < area[1] or box[2] > area[2] or box[3] > area[3]:
            return False
        return not any(overlaps(box, other, GAP) for other in placed) and not any(
            overlaps(box, marker, 1.0) for marker in markers
        )

    for anchor in anchors:
        step = max(6.0, anchor.height * 0.8)
        best: tuple[float, float, float, Box, float, int] | None = None
        for ring in range(RINGS):
            distance = anchor.radius + 2.0 + ring * step
            for angle, preference in _directions(8 if ring == 0 else 16):
                cx, cy, box = _box_at(anchor, angle, distance)
                if not free(box):
                    continue
                crossings = sum(1 for s in segments if _crosses(box, s))
                cost = ring * 3.0 + preference + crossings * 4.0
                if best is None or cost < best[0]:
                    best = (cost, cx, cy, box, angle, ring)
            if best is not None and ring >= best[5] + 2:
                break  # farther rings cost more than what was found
        if best is None:
            best = _anywhere(anchor, area, free)
        if best is None:
            return None
        _, cx, cy, box, angle, ring = best
        placed.append(box)
        result[anchor.id] = Placement(cx, cy, box, leader=ring > 0, direction=angle)
    return result


def _anywhere(anchor: Anchor, area: Box, free: object) -> tuple[float, float, float, Box, float, int] | None:
    """The free spot nearest the node anywhere in the area (a grid search), with a leader line."""
    assert callable(free)
    best: tuple[float, float, float, Box, float, int] | None = None
    half_w, half_h = anchor.width / 2, anchor.height / 2
    step = 8.0
    y = area[1] + half_h
    while y <= area[3] - half_h:
        x = area[0] + half_w
        while x <= area[2] - half_w:
            box = (x - half_w, y - half_h, x + half_w, y + half_h)
            distance = math.hypot(x - anchor.x, y - anchor.y)
            if (best is None or distance < best[0]) and free(box):
                best = (distance, x, y, box, math.atan2(y - anchor.y, x - anchor.x), RINGS)
            x += step
        y += step
    return best


def leader_end(anchor_x: float, anchor_y: float, box: Box) -> tuple[float, float]:
    """The point of a label's box nearest its node, where the leader line ends."""
    return min(max(anchor_x, box[0]), box[2]), min(max(anchor_y, box[1]), box[3])
