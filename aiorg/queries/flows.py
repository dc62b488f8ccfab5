"""Talent flows between firms, from role moves and deals."""

from __future__ import annotations

from aiorg.kb import KnowledgeBase
from aiorg.model import (
    Certainty,
    Firm,
    SpellState,
    Tenure,
)
from aiorg.queries.common import Row, firm_family


def _current_firm(kb: KnowledgeBase, person_id: str) -> str | None:
    spells = [t for t in kb.tenures_by_person.get(person_id, []) if t.state is not SpellState.ENDED]
    return spells[0].firm if len(spells) == 1 else None


def _moves(kb: KnowledgeBase) -> list[Row]:
    """Every single move of a person between firms, with its evidence."""
    moves: list[Row] = []
    for tenure in kb.tenures:
        previous = kb.by_id.get(tenure.after or "")
        if isinstance(previous, Tenure):
            moves.append(
                {
                    "person": tenure.person,
                    "origin": previous.firm,
                    "destination": tenure.firm,
                    "evidence": tenure.id,
                    "status": "moved" if tenure.certainty is Certainty.CONFIRMED else tenure.certainty.value,
                    "when": (tenure.start or previous.end or tenure.end),
                }
            )
    for deal in kb.deals:
        if deal.superseded_by:
            continue  # the deal that replaced it carries the move
        for person in deal.people:
            origins = [t for t in deal.targets if t != person and isinstance(kb.by_id.get(t), Firm)]
            origin = origins[0] if origins else _current_firm(kb, person)
            for buyer in deal.buyers:
                moves.append(
                    {
                        "person": person,
                        "origin": origin,
                        "destination": buyer,
                        "evidence": deal.id,
                        "status": f"deal {deal.status.value}",
                        "when": deal.date,
                    }
                )
    return moves


def flows(kb: KnowledgeBase, *, origin: str | None = None, destination: str | None = None) -> list[Row]:
    """Talent flow between firms: origin → destination with the people, from role moves and deals.

    A move is a role spell whose `after` names a spell at another firm, or a deal that
    moves people to its buyer (from the target firm, or the person's current firm).
    Origins and destinations match a firm or any of its units.
    """
    origin_family = firm_family(kb, origin) if origin else None
    destination_family = firm_family(kb, destination) if destination else None
    grouped: dict[tuple[str, str], dict[str, list[str]]] = {}
    for move in _moves(kb):
        source_firm, target_firm = move["origin"], move["destination"]
        if not isinstance(source_firm, str) or not isinstance(target_firm, str):
            continue  # the origin is not known
        if origin_family is not None and source_firm not in origin_family:
            continue
        if destination_family is not None and target_firm not in destination_family:
            continue
        entry = grouped.setdefault((source_firm, target_firm), {"people": [], "evidence": [], "status": []})
        for key in ("person", "evidence", "status"):
            bucket = entry["people" if key == "person" else key]
            if move[key] not in bucket:
                bucket.append(str(move[key]))
    rows: list[Row] = []
    for (source_firm, target_firm), entry in grouped.items():
        rows.append(
            {
                "origin": source_firm,
                "origin_name": kb.name_of(source_firm),
                "destination": target_firm,
                "destination_name": kb.name_of(target_firm),
                "count": len(entry["people"]),
                "people": entry["people"],
                "names": [kb.name_of(p) for p in entry["people"]],
                "status": entry["status"],
                "evidence": entry["evidence"],
            }
        )
    rows.sort(key=lambda row: (-int(row["count"]), str(row["origin_name"]), str(row["destination_name"])))
    return rows
