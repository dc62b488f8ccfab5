"""Every disputed fact, every side of it: one row per claim, grouped by (record, field).

A fact is disputed when its sources give different values (aiorg.claims.disputes). Each claim
of a disputed field is one row, numbered in the order the documented rule shows them (README,
"When sources disagree"): claim 1 is the value shown first, marked `shown`; `checked` says
whether its quote is in its source's archived text (found, not found, or unchecked: the source
has no text to look in). Flat, so a CSV keeps both sides side by side; the rows of one fact
share `record` and `field`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from aiorg.claims import SourceLookup, Statement, disputes, ranked, value_text
from aiorg.errors import UsageError
from aiorg.kb import KnowledgeBase
from aiorg.model import RECORD_KINDS, Deal, Sourced, Tenure
from aiorg.queries.common import Row, first_quote, source_lookup
from aiorg.queries.sources import SourceTexts

#: the kinds whose records can cite more than one source
DISPUTABLE_KINDS: tuple[str, ...] = tuple(kind for kind, cls in RECORD_KINDS.items() if issubclass(cls, Sourced))


def conflicts(kb: KnowledgeBase, kinds: list[str] | None = None) -> list[Row]:
    """Every claim of every disputed field, in file order of the records, then field order, then
    the order shown. `kinds` keeps only records of these kinds."""
    chosen = kinds or list(DISPUTABLE_KINDS)
    unknown = [kind for kind in chosen if kind not in DISPUTABLE_KINDS]
    if unknown:
        raise UsageError(f"--kind: {unknown[0]!r} is not one of {', '.join(DISPUTABLE_KINDS)}")
    source_of, texts = source_lookup(kb), SourceTexts(kb.source_texts)
    # whether a quote is in its source's archived text: found, not found, or unchecked (no text)
    checked = functools.cache(lambda source, quote: texts.check(source, quote)[1])
    rows: list[Row] = []
    for kind in DISPUTABLE_KINDS:
        if kind not in chosen:
            continue
        # only records another source speaks for can be disputed: the store lists them
        where = "seq IN (SELECT seq FROM statements WHERE kind = ?)"
        for record in kb.select(kind, where, (kind,)):
            name = _name(kb, record)
            for field, claims in _disputed_parts(record):
                rows.extend(_claim_rows(kind, record.id, name, field, claims, source_of, checked))
    return rows


def _disputed_parts(record: Any) -> list[tuple[str, list[Statement]]]:
    """(field, claims) of each disputed field of a record, then of each of its steps."""
    found = list(disputes(record).items())
    if isinstance(record, Deal):
        for number, entry in enumerate(record.history, start=1):
            found += [(f"history[{number}].{name}", claims) for name, claims in disputes(entry).items()]
    return found


def _name(kb: KnowledgeBase, record: Any) -> str:
    if isinstance(record, Tenure):
        return f"{kb.name_of(record.person)} at {kb.name_of(record.firm)}"
    if isinstance(record, Deal) and record.title:
        return record.title
    return str(getattr(record, "name", None) or getattr(record, "text", None) or record.id)


def _claim_rows(
    kind: str,
    record_id: str,
    name: str,
    field: str,
    claims: list[Statement],
    source_of: SourceLookup,
    checked: Callable[[str, str], str],
) -> list[Row]:
    rows = []
    for number, claim in enumerate(ranked(claims, source_of), start=1):
        source, quote = source_of(claim.source), first_quote(list(claim.quote))
        rows.append(
            {
                "kind": kind,
                "record": record_id,
                "name": name,
                "field": field,
                "claim": number,
                "shown": number == 1,
                "value": value_text(claim.value),
                "source": claim.source,
                "source_kind": source.kind.value if source is not None and source.kind else None,
                "published": source.published.text if source is not None and source.published else None,
                "preferred": claim.preferred,
                "quote": quote,
                "sources": len({c.source for c in claims}),
                "checked": checked(claim.source, quote),
            }
        )
    return rows


__all__ = ["DISPUTABLE_KINDS", "conflicts"]
