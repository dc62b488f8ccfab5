"""Strategy classification (stub until the strategy issue lands): stated labels only."""

from __future__ import annotations

from aiorg.kb import KnowledgeBase
from aiorg.model import Strategy


def firms_with_label(kb: KnowledgeBase, label: Strategy) -> set[str]:
    """Firms a source labels with `label`, directly or through a group."""
    out: set[str] = set()
    for claim in kb.claims:
        if claim.strategy is label:
            for subject in claim.subjects:
                out |= {f.id for f in kb.firms if f.id == subject or subject in f.groups}
    return out
