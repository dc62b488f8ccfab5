"""Deals bought jointly: buyers of more than one family, each family a firm with every unit below
it (its top firm: the one above all the others). A buyer that is a person, or names no firm
record, is a party of its own.

The sources state the deal's amount, not each buyer's share, so no buyer is credited with it as
money committed (aiorg.strategy_signals); the evidence lists it as left out, naming the other
buyers. A firm buying with its own unit is one buyer: its amount counts once, for the family.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from aiorg.kb import KnowledgeBase


def _top(party: str, parent_of: Callable[[str], str | None]) -> str:
    """The firm at the top of a party's family (the party itself when it has no parent)."""
    seen = {party}
    while (parent := parent_of(party)) is not None and parent not in seen:
        seen.add(parent)
        party = parent
    return party


def _joint(buyers: Iterable[str], parent_of: Callable[[str], str | None]) -> bool:
    """Whether these buyers are of more than one family."""
    return len({_top(buyer, parent_of) for buyer in buyers}) > 1


def joint_deals(kb: KnowledgeBase) -> str:
    """The deals bought jointly (a JSON list of their seqs, for the SQL's :joint), found once per
    knowledge base: only deals with two buyers or more are read."""
    return kb.remembered("strategy joint deals", lambda: _find_joint(kb))


def _find_joint(kb: KnowledgeBase) -> str:
    buyers: dict[int, list[str]] = defaultdict(list)
    for seq, buyer in kb.query(
        "SELECT seq, value FROM deals_buyers WHERE seq IN"
        " (SELECT seq FROM deals_buyers GROUP BY seq HAVING COUNT(*) > 1)"
    ):
        buyers[seq].append(buyer)
    parents: dict[str, str | None] = {}
    if buyers:
        parents = dict(kb.query("SELECT id, parent FROM firms WHERE parent IS NOT NULL"))
    parent_of = parents.get
    return json.dumps(sorted(seq for seq, named in buyers.items() if _joint(named, parent_of)))


def partners(kb: KnowledgeBase, deal: Any, root: str) -> list[str]:
    """The deal's buyers outside the family of the listed firm `root`, in the deal's order: none
    when the deal is not bought jointly."""

    if len(deal.buyers) < 2:
        return []

    def parent_of(party: str) -> str | None:  # from the firms' typed rows: no record decoded
        found = kb.query("SELECT parent FROM firms WHERE id = ?", (party,))
        return str(found[0][0]) if found and found[0][0] is not None else None

    return [buyer for buyer in deal.buyers if _top(buyer, parent_of) != root]
