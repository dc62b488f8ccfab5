"""Every dated fact in order: role starts and ends, deal steps, events, metrics."""

from __future__ import annotations

from datetime import date

from aiorg.dates import FuzzyDate
from aiorg.kb import KnowledgeBase
from aiorg.queries.common import (
    ANY_TIME,
    CAUSE_TEXT,
    Row,
    Window,
    deals_naming,
    events_naming,
    firm_family,
    first_quote,
    metrics_of,
    products_of,
    spells_naming,
)


def _timeline_item(
    when: FuzzyDate, kind: str, subjects: list[str], text: str, record: str, certainty: str, source: str, quote: str
) -> tuple[FuzzyDate, Row]:
    return (
        when,
        {
            "date": when.text,
            "when": when.describe(),
            "kind": kind,
            "subjects": subjects,
            "text": text,
            "certainty": certainty,
            "record": record,
            "source": source,
            "quote": quote,
        },
    )


def _timeline_items(kb: KnowledgeBase, about: set[str] | None) -> list[tuple[FuzzyDate, Row]]:
    """The dated facts naming any of `about` (all facts when None), in file order per kind."""
    if about is None:
        tenures, deals, events, metrics = kb.tenures, kb.deals, kb.events, kb.metrics
    else:
        tenures, deals = spells_naming(kb, about), deals_naming(kb, about)
        events, metrics = events_naming(kb, about), metrics_of(kb, about)
    kb.prefetch([*(i for t in tenures for i in (t.person, t.firm)), *(m.subject for m in metrics)])
    items: list[tuple[FuzzyDate, Row]] = []
    for t in tenures:
        who, where, role = kb.name_of(t.person), kb.name_of(t.firm), t.title or "a role"
        quote = first_quote(t.quote)
        if t.start is not None:
            text = f"{who} starts as {role} at {where}"
            items.append(
                _timeline_item(
                    t.start, "role_start", [t.person, t.firm], text, t.id, t.certainty.value, t.source, quote
                )
            )
        if t.end is not None:
            kind = f"role_end:{t.end_cause.value if t.end_cause else 'ended'}"
            text = f"{who}: {role} at {where} ends — {CAUSE_TEXT[t.end_cause]}"
            items.append(
                _timeline_item(t.end, kind, [t.person, t.firm], text, t.id, t.certainty.value, t.source, quote)
            )
    for d in deals:
        for entry in d.history:
            if entry.date is not None:
                text = f"{d.title or d.id} — {entry.status.value}"
                items.append(
                    _timeline_item(
                        entry.date,
                        f"deal:{entry.status.value}",
                        [*d.buyers, *d.targets, *d.people],
                        text,
                        d.id,
                        entry.certainty.value,
                        entry.source,
                        first_quote(entry.quote),
                    )
                )
    for e in events:
        if e.date is not None:
            subjects = [*e.subjects, *([e.into] if e.into else [])]
            items.append(
                _timeline_item(
                    e.date, e.kind.value, subjects, e.text, e.id, e.certainty.value, e.source, first_quote(e.quote)
                )
            )
    for m in metrics:
        if m.as_of is not None:
            text = f"{kb.name_of(m.subject)} {m.metric} = {m.value:,.10g} {m.unit or ''}".rstrip()
            items.append(
                _timeline_item(
                    m.as_of,
                    f"metric:{m.metric}",
                    [m.subject],
                    text,
                    m.id,
                    m.certainty.value,
                    m.source,
                    first_quote(m.quote),
                )
            )
    return items


def _timeline_order(item: tuple[FuzzyDate, Row]) -> tuple[tuple[date, date], int, str]:
    """By date; on the same date a role ends before the next one starts."""
    when, row = item
    return (when.sort_key(), 0 if str(row["kind"]).startswith("role_end") else 1, str(row["record"]))


def timeline(
    kb: KnowledgeBase, *, firm: str | None = None, person: str | None = None, window: Window = ANY_TIME
) -> list[Row]:
    """Every dated fact in chronological order: role starts and ends, deal steps, events, metrics.

    firm:   facts about the firm, its units or its products.
    person: facts naming the person. Undated facts are left out.
    """
    firm_ids: set[str] = set()
    if firm is not None:
        family = firm_family(kb, firm)
        firm_ids = family | {p.id for p in products_of(kb, family)}
    about = {person} if person is not None else firm_ids if firm is not None else None
    rows = []
    for when, row in sorted(_timeline_items(kb, about), key=_timeline_order):
        subjects = set(row["subjects"])
        if firm is not None and not subjects & firm_ids:
            continue
        if person is not None and person not in subjects:
            continue
        if window.admits(when):
            rows.append(row)
    return rows
