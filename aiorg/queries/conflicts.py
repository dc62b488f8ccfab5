"""Every disputed fact, every side of it: one row per claim, grouped by (record, field).

A fact is disputed when its sources give different values (aiorg.claims.disputes). Each claim
of a disputed field is one row, numbered in the order the documented rule shows them (README,
"When sources disagree"): claim 1 is the value shown first, marked `shown`; `checked` says
whether its quote is in its source's archived text (found, not found, or unchecked: the source
has no text to look in). Flat, so a CSV keeps both sides side by side; the rows of one fact
share `record` and `field`. The record's own claim on a field it marks inferred says so in its
`value` ('2024-09 (inferred)'), and so does a name built from an inferred person, firm or title.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from aiorg.claims import SourceLookup, Statement, disputes, ranked, value_text
from aiorg.errors import UsageError
from aiorg.kb import KnowledgeBase
from aiorg.model import RECORD_KINDS, Deal, Sourced, Tenure
from aiorg.queries.common import INFERRED, Row, first_quote, source_lookup
from aiorg.queries.inferred import infers, mark
from aiorg.queries.sources import SourceTexts

#: the kinds whose records can cite more than one source
DISPUTABLE_KINDS: tuple[str, ...] = tuple(kind for kind, cls in RECORD_KINDS.items() if issubclass(cls, Sourced))


def conflicts(kb: KnowledgeBase, kinds: list[str] | None = None) -> list[Row]:
    """Every claim of every disputed field, in file order of the records, then field order, then
    the order shown. `kinds` keeps only records of these kinds."""
    chosen = chosen_kinds(kinds)
    build = RowBuilder(kb)
    rows: list[Row] = []
    for kind in chosen:
        # only records another source speaks for can be disputed: the store lists them
        where = "seq IN (SELECT seq FROM statements WHERE kind = ?)"
        for record in kb.select(kind, where, (kind,)):
            rows.extend(build(kind, record))
    return rows


def chosen_kinds(kinds: list[str] | None) -> list[str]:
    """The kinds `--kind` names (every disputable kind when none), in DISPUTABLE_KINDS order."""
    chosen = kinds or list(DISPUTABLE_KINDS)
    unknown = [kind for kind in chosen if kind not in DISPUTABLE_KINDS]
    if unknown:
        raise UsageError(f"--kind: {unknown[0]!r} is not one of {', '.join(DISPUTABLE_KINDS)}")
    return [kind for kind in DISPUTABLE_KINDS if kind in chosen]


class RowBuilder:
    """The rows of one record's disputed facts (see `conflicts`)."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb, self.source_of, texts = kb, source_lookup(kb), SourceTexts(kb.source_texts)
        # whether a quote is in its source's archived text: found, not found, or unchecked (no text)
        self.checked = functools.cache(lambda source, quote: texts.check(source, quote)[1])

    def __call__(self, kind: str, record: Any) -> list[Row]:
        parts = _disputed_parts(record)
        if not parts:
            return []
        name, rows = _name(self.kb, record), []
        for field, claims, part in parts:
            rows += _claim_rows(kind, record.id, name, field, claims, part, self.source_of, self.checked)
        return rows


def row_count(record: Any) -> int:
    """How many rows `conflicts` gives a record: one per claim on each of its disputed fields."""
    return sum(len(claims) for _, claims, _ in _disputed_parts(record))


def _disputed_parts(record: Any) -> list[tuple[str, list[Statement], Any]]:
    """(field, claims, the record or step that holds it) of each disputed field of a record, then
    of each of its steps."""
    found = [(name, claims, record) for name, claims in disputes(record).items()]
    if isinstance(record, Deal):
        for number, entry in enumerate(record.history, start=1):
            found += [(f"history[{number}].{name}", claims, entry) for name, claims in disputes(entry).items()]
    return found


def _name(kb: KnowledgeBase, record: Any) -> str:
    if isinstance(record, Tenure):
        return f"{mark(kb.name_of(record.person), record, 'person')} at {mark(kb.name_of(record.firm), record, 'firm')}"
    if isinstance(record, Deal) and record.title:
        return mark(record.title, record, "title")
    for field in ("name", "text"):
        if getattr(record, field, None):
            return mark(getattr(record, field), record, field)
    return str(record.id)


def _claim_rows(
    kind: str,
    record_id: str,
    name: str,
    field: str,
    claims: list[Statement],
    part: Any,
    source_of: SourceLookup,
    checked: Callable[[str, str], str],
) -> list[Row]:
    """One row per claim on a disputed field of `part` (a record, or a deal's step); the part's own
    claim on a field it marks inferred says so in `value` (not `implied`: no source says it)."""
    rows = []
    for number, claim in enumerate(ranked(claims, source_of), start=1):
        source, quote = source_of(claim.source), first_quote(list(claim.quote))
        inferred = claim.own and not claim.implied and infers(part, claim.field)
        rows.append(
            {
                "kind": kind,
                "record": record_id,
                "name": name,
                "field": field,
                "claim": number,
                "shown": number == 1,
                "value": value_text(claim.value) + (INFERRED if inferred else ""),
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


__all__ = ["DISPUTABLE_KINDS", "RowBuilder", "chosen_kinds", "conflicts", "row_count"]
