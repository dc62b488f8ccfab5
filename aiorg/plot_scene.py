"""What `aiorg plot` draws, decided from the records alone (no matplotlib here).

A scene is the list of nodes (with a colour category, a marker size and a label
wrapped at word boundaries) and directed edges (with a style category), plus the
title and the source credit. The drawing code (aiorg.plot) only turns it into ink.

Rules a journalist can rely on:
- arrows point the way people and money move: a person who left a firm has an arrow
  from the firm to the person; a role points from the person to the firm; a deal points
  from the buyer to the deal and from the deal to what or whom it targets;
- a deal's bubble area is the money agreed (its amount, in US dollars, when its status is
  agreed or completed), never its valuation; other deals are a small fixed diamond;
- a person is drawn as having left, advised, joined or been sought only because of a firm
  or deal that is in the picture.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiorg.claims import shown_value
from aiorg.graph import SOURCES_SEPARATOR
from aiorg.model import DEPARTURE_CAUSES, Deal, DealStatus, EndCause, Source, Tenure
from aiorg.money import format_amount, to_usd
from aiorg.queries.common import source_lookup

if TYPE_CHECKING:
    import networkx as nx

    from aiorg.kb import KnowledgeBase

AGREED = frozenset({DealStatus.AGREED, DealStatus.COMPLETED})
FAILED = frozenset({DealStatus.REJECTED, DealStatus.ABANDONED})
LEFT_CAUSES = DEPARTURE_CAUSES - {EndCause.ADVISOR}
#: the biggest agreed deal in a picture gets this bubble area (points²); others scale with money
BIGGEST_BUBBLE = 2600.0
SMALLEST_BUBBLE = 40.0  # a tiny agreed amount stays visible
UNSIZED_DEAL = 70.0
PLAIN_NODE = 150.0

#: node categories: (legend text, colour, marker), in legend order
NODE_STYLES: dict[str, tuple[str, str, str]] = {
    "firm": ("Firm", "#1f5fa8", "s"),
    "group": ("Group of firms", "#8e5fb5", "h"),
    "product": ("Product", "#17a2b8", "^"),
    "left": ("Person who left a firm shown", "#d62728", "o"),
    "advisor": ("Person moved to an advisor role", "#ff8c1a", "o"),
    "joined": ("Person who joined by a move or deal shown", "#2ca02c", "o"),
    "sought": ("Person sought in a deal not agreed", "#9bd88f", "o"),
    "person": ("Other person", "#8c8c8c", "o"),
    "deal_agreed": ("Deal agreed or completed", "#e0b000", "o"),
    "deal_agreed_unsized": ("Deal agreed, amount not stated in US$", "#e0b000", "D"),
    "deal_pending": ("Offer, ask, talks or rumour", "#f3dc7a", "D"),
    "deal_failed": ("Deal rejected or abandoned", "#bdbdbd", "D"),
}
#: edge categories: (legend text, colour, line style, width), in legend order
EDGE_STYLES: dict[str, tuple[str, str, str, float]] = {
    "role": ("Role at a firm (person → firm)", "#7a7a7a", "solid", 1.0),
    "left": ("Left the firm (firm → person)", "#d62728", "solid", 1.6),
    "advisor": ("Moved to an advisor role (person → firm)", "#ff8c1a", "dashed", 1.4),
    "deal_agreed": ("Agreed deal (buyer → deal → target)", "#b38a00", "solid", 1.8),
    "deal_pending": ("Courting: offer, ask or talks", "#c9a92a", "dashed", 1.3),
    "deal_failed": ("Rejected or abandoned deal", "#9e9e9e", "dotted", 1.2),
    "superseded": ("Replaced by a later deal", "#9e9e9e", "dotted", 0.9),
    "member": ("Member, part or maker of", "#b0b0b0", "solid", 0.8),
}
#: when several edges link two nodes (two spells, target_of and moves_person), the first of these is drawn
EDGE_PRIORITY = ("left", "advisor", "deal_agreed", "deal_pending", "deal_failed", "superseded", "role", "member")
_MEMBER_EDGES = frozenset({"member_of", "part_of", "makes", "became"})


@dataclass(slots=True)
class SceneNode:
    """One node as drawn."""

    id: str
    type: str
    category: str  # a NODE_STYLES key
    label: str  # the full name or title, on one line
    lines: list[str]  # the label wrapped at spaces; " ".join(lines) == label
    size: float  # marker area in points²
    importance: float = 0.0  # labels of more important nodes are placed first


@dataclass(slots=True)
class SceneEdge:
    """One directed edge as drawn."""

    source: str
    target: str
    category: str  # an EDGE_STYLES key


@dataclass(slots=True)
class Scene:
    """Everything the picture shows."""

    nodes: list[SceneNode]
    edges: list[SceneEdge]
    title: str
    subtitle: str
    credit: str
    biggest_agreed_usd: float | None = None  # sets the bubble scale; None when no bubble is sized
    notes: list[str] = field(default_factory=list)

    def bubble_area(self, usd: float) -> float:
        """The area (points²) of an agreed deal worth `usd`, on this picture's scale."""
        if not self.biggest_agreed_usd:
            return SMALLEST_BUBBLE
        return max(SMALLEST_BUBBLE, BIGGEST_BUBBLE * usd / self.biggest_agreed_usd)


def cells(text: str) -> int:
    """Display width: wide (CJK) characters count as two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap_words(text: str, width: int) -> list[str]:
    """Wrap at spaces only, so no word (or Chinese name) is ever cut; lines join back with spaces."""
    lines: list[str] = []
    for word in text.split():
        if lines and cells(lines[-1]) + 1 + cells(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [text]


def agreed_usd(deal: Deal) -> float | None:
    """The money agreed, in US dollars: the amount of an agreed or completed deal that no later
    deal replaced (the replacing deal's money is drawn instead: never twice), else None."""
    if deal.status not in AGREED or deal.amount is None or deal.superseded_by is not None:
        return None
    return to_usd(deal.amount, {})


def _deal_category(deal: Deal) -> str:
    if deal.status in AGREED:
        return "deal_agreed" if agreed_usd(deal) is not None else "deal_agreed_unsized"
    return "deal_failed" if deal.status in FAILED else "deal_pending"


def person_category(kb: KnowledgeBase, person_id: str, shown: set[str] | frozenset[str]) -> str:
    """left / advisor / joined / sought / person, judged only by firms and deals in `shown`."""
    spells = [t for t in kb.tenures_by_person.get(person_id, []) if t.firm in shown]
    source_of = source_lookup(kb)
    causes = {shown_value(t, "end_cause", source_of) for t in spells}  # the value shown first
    if causes & LEFT_CAUSES:
        return "left"
    if EndCause.ADVISOR in causes:
        return "advisor"
    deals = [
        d
        for d in kb.deals_by_party.get(person_id, [])
        if d.id in shown and person_id in d.people and d.superseded_by is None
    ]
    if any(t.after for t in spells) or any(d.status in AGREED for d in deals):
        return "joined"
    return "sought" if any(d.status not in FAILED for d in deals) else "person"


def _edge_category(kb: KnowledgeBase, u: str, v: str, key: Any, data: dict[str, Any]) -> tuple[str, str, str] | None:
    """(source, target, category) as drawn, or None for an edge the picture leaves out. A role
    spell's end is drawn by the cause shown first when sources disagree (aiorg.claims)."""
    kind = data.get("type")
    if kind == "held_role_at":
        cause = data.get("end_cause")
        if data.get("disputed") and isinstance(spell := kb.by_id.get(str(key)), Tenure):
            shown = shown_value(spell, "end_cause", source_lookup(kb))
            cause = shown.value if shown is not None else None
        if cause in LEFT_CAUSES:
            return v, u, "left"
        if cause == EndCause.ADVISOR:
            return u, v, "advisor"
        return u, v, "role"
    if kind in ("buyer_in", "target_of", "moves_person"):
        deal = kb.by_id[v if kind == "buyer_in" else u]
        assert isinstance(deal, Deal)
        category = _deal_category(deal)
        return u, v, "deal_agreed" if category.startswith("deal_agreed") else category
    if kind == "superseded_by":
        return u, v, "superseded"
    if kind in _MEMBER_EDGES:
        return u, v, "member"
    return None  # citations and anything new


def _sources(joined: list[Any]) -> set[str]:
    """The source ids of some `sources` attributes (aiorg.graph.SOURCES_SEPARATOR)."""
    return {source for text in joined if text for source in str(text).split(SOURCES_SEPARATOR)}


def _credit(kb: KnowledgeBase, cited: set[str]) -> str:
    sources = [s for s in kb.sources if s.id in cited]
    if not sources:
        return "Chart: aiorg"

    def one(source: Source) -> str:
        who = ", ".join(p for p in (source.author, source.publisher) if p)
        when = f", {source.published.text}" if source.published else ""
        return f"{who}{': ' if who else ''}“{source.title}”{when}"

    shown = "; ".join(one(s) for s in sources[:2])
    more = f"; and {len(sources) - 2} more" if len(sources) > 2 else ""
    return f"Source{'s' if len(sources) > 1 else ''}: {shown}{more}. Chart: aiorg"


def build_scene(kb: KnowledgeBase, graph: nx.MultiDiGraph, focus: str | None = None, depth: int = 0) -> Scene:
    """The scene for a selected graph; nodes without any drawn edge are left out."""
    chosen: dict[frozenset[str], tuple[str, str, str]] = {}
    resting: dict[frozenset[str], str] = {}  # the sources of the edge drawn for each pair
    for u, v, key, data in graph.edges(keys=True, data=True):
        drawn = _edge_category(kb, u, v, key, data)
        if drawn is None:
            continue
        pair = frozenset(drawn[:2])  # one arrow per pair: the most telling of what links them
        if pair not in chosen or EDGE_PRIORITY.index(drawn[2]) < EDGE_PRIORITY.index(chosen[pair][2]):
            chosen[pair], resting[pair] = drawn, str(data.get("sources", ""))
    edges = {(s, t): c for s, t, c in chosen.values()}
    linked = {n for pair in edges for n in pair}
    if focus is not None and focus in graph:
        linked.add(focus)  # the focus is drawn even when nothing links to it
    shown = frozenset(linked)
    degree: dict[str, int] = dict.fromkeys(linked, 0)
    for source, target in edges:
        degree[source] += 1
        degree[target] += 1
    amounts = {
        n: agreed_usd(record)
        for n in linked
        if isinstance(record := kb.by_id[n], Deal) and agreed_usd(record) is not None
    }
    biggest = max((a for a in amounts.values() if a is not None), default=None)
    scene = Scene(
        nodes=[],
        edges=[SceneEdge(s, t, c) for (s, t), c in sorted(edges.items())],
        title="",
        subtitle="",
        # every source a drawn node or arrow rests on: its own, its `also` items', a deal's steps'
        credit=_credit(kb, _sources([*(graph.nodes[n].get("sources", "") for n in linked), *resting.values()])),
        biggest_agreed_usd=biggest,
    )
    for node in sorted(linked):
        data = graph.nodes[node]
        node_kind = str(data.get("type"))
        record = kb.by_id[node]
        label = " ".join(str(data.get("label", node)).split())
        size = PLAIN_NODE
        if isinstance(record, Deal):
            category = _deal_category(record)
            amount = amounts.get(node)
            size = scene.bubble_area(amount) if amount is not None else UNSIZED_DEAL
        elif node_kind == "person":
            category = person_category(kb, node, shown)
        else:
            category = node_kind if node_kind in NODE_STYLES else "firm"
            size = PLAIN_NODE * 1.3 if node_kind in ("firm", "group") else PLAIN_NODE
        importance = degree[node] + (100 if node == focus else 0) + (5 if node_kind in ("firm", "group") else 0)
        width = 26 if node_kind == "deal" else 18
        scene.nodes.append(SceneNode(node, node_kind, category, label, wrap_words(label, width), size, importance))
    scene.title, scene.subtitle = _titles(kb, scene, focus, depth)
    return scene


def _kinds(nodes: list[SceneNode]) -> str:
    drawn = {n.type for n in nodes}
    names = [plural for kind, plural in _PLURALS if kind in drawn] or ["records"]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


_PLURALS = (("person", "people"), ("firm", "firms"), ("group", "groups"), ("product", "products"), ("deal", "deals"))


#: what the subtitle says the arrows show, only for the kinds of arrow drawn
_READINGS = (("role", "who works where"), ("left", "who left"), ("advisor", "who became an advisor"))


def _titles(kb: KnowledgeBase, scene: Scene, focus: str | None, depth: int) -> tuple[str, str]:
    """The title names what is drawn; the subtitle says how to read the arrows and what was selected."""
    kinds = _kinds(scene.nodes)
    drawn = {e.category for e in scene.edges}
    reading = [text for category, text in _READINGS if category in drawn]
    if any(c.startswith("deal") for c in drawn):
        reading.append("who bought or courted whom")
    if len(reading) > 1:
        reading = [", ".join(reading[:-1]), reading[-1]]
    how = f"Arrows show {' and '.join(reading)}. " if reading else ""
    if focus is None:
        return (
            f"The AI industry's {kinds}",
            how + "Everything in the aiorg knowledge base that links to something else.",
        )
    steps = "step" if depth == 1 else "steps"
    name = kb.name_of(focus)
    return f"{kinds[0].upper()}{kinds[1:]} around {name}", how + f"Everything within {depth} {steps} of {name}."


def legend_entries(scene: Scene) -> tuple[list[str], list[str]]:
    """The node and edge categories that are drawn, in legend order: the legend lists nothing else."""
    nodes = {n.category for n in scene.nodes}
    edges = {e.category for e in scene.edges}
    return [c for c in NODE_STYLES if c in nodes], [c for c in EDGE_STYLES if c in edges]


def reference_amounts(scene: Scene) -> list[float]:
    """Round amounts for the bubble-size key: at most three, none above the biggest agreed deal."""
    if not scene.biggest_agreed_usd:
        return []
    steps = [v * scale for scale in (1e6, 1e9, 1e12) for v in (1, 2, 5, 10, 20, 50, 100, 200, 500)]
    fitting = sorted({v for v in steps if v <= scene.biggest_agreed_usd})
    picks = [fitting[-1]] if fitting else [scene.biggest_agreed_usd]
    for value in reversed(fitting):
        if value <= picks[-1] / 4:
            picks.append(value)
        if len(picks) == 3:
            break
    return sorted(picks)


def money_text(usd: float) -> str:
    """$14.3B, as everywhere else in aiorg."""
    return format_amount(usd)
