"""Every dated fact in order: role starts and ends, deal steps, events, metrics.

Where sources disagree (README, "When sources disagree") a fact is dated and told by the value
shown first (aiorg.claims), as `people` shows it; its row says what is disputed: `when` lists
every claimed date ('2024-09 | by 2024-10 (disputed, 2 sources)'), `text` every claimed cause,
title or number, `disputed` names the disputed fields the row states, and a date window keeps
a fact when any date a source gives it may fall inside. A value its record marks inferred says so
(aiorg.queries.inferred): a date in `when` ('2024-07 to 2025-06 (inferred)'; `date` stays bare),
a name, title, cause, status or number where `text` writes it ('at Acme (inferred)'), and the
fields `text` rests on without writing them after it ('... (subjects inferred)'); `inferred` names
every field of its record the row shows or rests on that is an inference (aiorg.queries.inferred).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from aiorg.claims import (
    SourceLookup,
    Statement,
    cited,
    described,
    dispute_note,
    disputes,
    ranked,
    shown_value,
    sources_of,
    statements,
    told_by,
    value_text,
)
from aiorg.dates import FuzzyDate
from aiorg.graph import metric_figure
from aiorg.kb import KnowledgeBase
from aiorg.model import Deal, Event, Metric, StatusEntry, Tenure
from aiorg.queries.common import (
    ANY_TIME,
    CAUSE_TEXT,
    INFERRED,
    Row,
    Window,
    deals_naming,
    events_naming,
    firm_family,
    first_quote,
    inferred_show,
    may_disagree,
    metrics_of,
    products_of,
    shown_version,
    source_lookup,
    spells_naming,
    state_note,
    with_checked,
)
from aiorg.queries.firm_reach import Reach, reached
from aiorg.queries.inferred import (
    EVENT_FIELDS,
    METRIC_FIELDS,
    ROLE_END_FIELDS,
    ROLE_START_FIELDS,
    STEP,
    STEP_DEAL_FIELDS,
    STEP_FIELDS,
    fields_of,
    infers,
    mark,
    named,
    unshown,
)
from aiorg.queries.people import SHOWN

#: a dated fact: the date it is placed by, every date its sources give it, and its row
Item = tuple[FuzzyDate, tuple[FuzzyDate, ...], Row]
#: the fields each kind of row states, beside its date: those named in `disputed` when sources disagree
START_STATES = ("start", "title", "certainty")
END_STATES = ("end", "end_cause", "current", "title", "certainty")
STEP_STATES = ("date", "certainty")
EVENT_STATES = ("date", "certainty")
METRIC_STATES = ("as_of", "value", "certainty")
#: a deal's parties: a step's text rests on them without naming them
DEAL_PARTIES = ("buyers", "targets", "people")


class _Told:
    """One record (or deal step) as the timeline tells it: its values shown first, and its disputes."""

    def __init__(self, record: Any, source_of: SourceLookup, shown: tuple[str, ...]) -> None:
        self.record = record
        self.source_of = source_of
        contested = bool(record.also) and may_disagree(record)
        self.disputed: dict[str, list[Statement]] = disputes(record) if contested else {}
        self.shown = shown_version(record, shown, source_of) if record.also else record

    def note(self, name: str, plain: str, show: Callable[[Any], str] = described) -> str:
        """`plain`, or every claimed value of a disputed field, in the order shown."""
        return dispute_note(self.disputed[name], self.source_of, show) if name in self.disputed else plain

    def claimed(self, name: str, shown: FuzzyDate) -> tuple[FuzzyDate, ...]:
        """Every date the sources give field `name`, the one shown first first."""
        if not self.record.also:
            return (shown,)
        others = [getattr(self.record, name), *(getattr(item, name) for item in self.record.also)]
        return (shown, *(d for d in others if d is not None and d != shown))

    def item(
        self,
        when: FuzzyDate,
        name: str,
        states: tuple[str, ...],
        fact: str,
        about: tuple[str, Any] | None = None,
        **told: Any,
    ) -> Item:
        """The timeline item of fact `fact` dated `when` (field `name`); `told` gives its kind,
        subjects, text, certainty and `inferred`. It cites the first source giving the value it is about (its
        date, or `about`: a field and the value shown, such as a role end's cause), where that is
        another source than the record's own (aiorg.claims.cited)."""
        field, value = about if about is not None else (name, when)
        source = cited(self.record, field, self.source_of, value) or self.record
        show = inferred_show(self.record, name)  # an inferred date says so: '2024-07 to 2025-06 (inferred)'
        row = {
            "date": when.text,
            "when": self.note(name, show(when), show),
            **{key: told[key] for key in ("kind", "subjects", "text", "certainty")},
            "disputed": [field for field in states if field in self.disputed],
            "inferred": told["inferred"],
            "record": fact,
            "source": source.source,
            "sources": sources_of(self.record),
            "quote": first_quote(list(source.quote)),
        }
        return when, self.claimed(name, when), row


def _spell_items(kb: KnowledgeBase, tenure: Tenure, source_of: SourceLookup) -> Iterable[Item]:
    told = _Told(tenure, source_of, SHOWN)
    shown: Tenure = told.shown
    who, where = mark(kb.name_of(tenure.person), tenure, "person"), mark(kb.name_of(tenure.firm), tenure, "firm")
    title_show = inferred_show(tenure, "title")
    role = told.note("title", title_show(shown.title) if shown.title else "a role", title_show)
    facts: dict[str, Any] = {"subjects": [tenure.person, tenure.firm], "certainty": shown.certainty.value}
    values: dict[str, Any] = {"start": shown.start, "title": shown.title, "certainty": shown.certainty}
    if shown.start is not None:
        text = f"{who} starts as {role} at {where}"
        inferred = named(fields_of(tenure), ROLE_START_FIELDS, values)
        yield told.item(shown.start, "start", START_STATES, tenure.id, kind="role_start", text=text,
                        inferred=inferred, **facts)  # fmt: skip
    end, cause = shown.end, shown.end_cause
    if end is None and "current" in told.disputed and (ends := statements(tenure, "end")):
        # Shown as ongoing; a source that ends it dates the end, marked disputed.
        first = ranked(ends, source_of)[0]
        end, cause = first.value, told_by(tenure, first).end_cause
    if end is not None:
        cause_show = inferred_show(tenure, "end_cause", value_text)
        said = CAUSE_TEXT[cause] + (INFERRED if cause is not None and cause_show(cause).endswith(INFERRED) else "")
        text = f"{who}: {role} at {where} ends — {told.note('end_cause', said, cause_show)}"
        if "current" in told.disputed:
            text = f"{who}: {role} at {where} ends — {state_note(tenure, told.disputed['current'], source_of)}"
        kind = f"role_end:{cause.value if cause else 'ended'}"
        about = ("end_cause", cause) if cause is not None else None
        # whether it is ongoing, as the value shown first says (a source that ends it says it is not)
        current = shown_value(tenure, "current", source_of) if tenure.inferred else None
        ending = {"end": end, "end_cause": cause, "current": current}
        inferred = named(fields_of(tenure), ROLE_END_FIELDS, values | ending)
        yield told.item(end, "end", END_STATES, tenure.id, about, kind=kind, text=text, inferred=inferred, **facts)


def _step_items(deal: Deal, source_of: SourceLookup) -> Iterable[Item]:
    subjects = [*deal.buyers, *deal.targets, *deal.people]
    for entry in deal.history:
        told = _Told(entry, source_of, STEP_STATES)
        step: StatusEntry = told.shown
        if step.date is None:
            continue
        status = entry.status.value
        title = mark(deal.title, deal, "title") if deal.title else deal.id
        text = f"{title} — {mark(status, entry, 'status')}{unshown(deal, DEAL_PARTIES)}"
        certainty = step.certainty.value
        inferred = named(fields_of(deal), STEP_DEAL_FIELDS)
        inferred += named(fields_of(entry), STEP_FIELDS, {"date": step.date, "certainty": step.certainty}, STEP)
        item = told.item(step.date, "date", STEP_STATES, deal.id, kind=f"deal:{status}", subjects=subjects, text=text,
                         certainty=certainty, inferred=inferred)  # fmt: skip
        item[2]["disputed"] = [f"history.{field}" for field in item[2]["disputed"]]  # as `deals` names a step's
        yield item


def _event_item(event: Event, source_of: SourceLookup) -> Iterable[Item]:
    told = _Told(event, source_of, EVENT_STATES)
    shown: Event = told.shown
    if shown.date is not None:
        subjects = [*event.subjects, *([event.into] if event.into else [])]
        inferred = named(fields_of(event), EVENT_FIELDS, {"date": shown.date, "certainty": shown.certainty})
        yield told.item(shown.date, "date", EVENT_STATES, event.id, kind=event.kind.value, subjects=subjects,
                        text=event_text(event), certainty=shown.certainty.value, inferred=inferred)  # fmt: skip


def event_text(event: Event) -> str:
    """What an event's row says happened: its text, marked when inferred, then the inferred
    fields the text rests on ('... (subjects inferred)')."""
    return mark(event.text, event, "text") + unshown(event, ("kind", "subjects", "into"))


def _metric_item(kb: KnowledgeBase, metric: Metric, source_of: SourceLookup) -> Iterable[Item]:
    told = _Told(metric, source_of, METRIC_STATES)
    shown: Metric = told.shown
    if shown.as_of is not None:
        number = inferred_show(metric, "value", _number)
        value = told.note("value", number(shown.value), number)
        subject, measured = mark(kb.name_of(metric.subject), metric, "subject"), mark(metric.metric, metric, "metric")
        unit = mark(metric.unit, metric, "unit") if metric.unit else ""
        # the bound is the record's own: written only when the figure shown is its own, undisputed
        bound = metric.bound if "value" not in told.disputed and shown.value == metric.value else "exact"
        figure = metric_figure(value, unit, bound)
        if bound != "exact" and infers(metric, "bound"):
            figure += " (bound inferred)"
        text = f"{subject} {measured} = {figure}"
        values = {"as_of": shown.as_of, "value": shown.value, "bound": bound, "certainty": shown.certainty}
        inferred = named(fields_of(metric), METRIC_FIELDS, values)
        yield told.item(shown.as_of, "as_of", METRIC_STATES, metric.id, kind=f"metric:{metric.metric}",
                        subjects=[metric.subject], text=text, certainty=shown.certainty.value,
                        inferred=inferred)  # fmt: skip


def _number(value: Any) -> str:
    return f"{value:,.10g}"


def _timeline_items(kb: KnowledgeBase, about: set[str] | None) -> list[Item]:
    """The dated facts naming any of `about` (all facts when None), in file order per kind."""
    if about is None:
        tenures, deals, events, metrics = kb.tenures, kb.deals, kb.events, kb.metrics
    else:
        tenures, deals = spells_naming(kb, about), deals_naming(kb, about)
        events, metrics = events_naming(kb, about), metrics_of(kb, about)
    kb.prefetch([*(i for t in tenures for i in (t.person, t.firm)), *(m.subject for m in metrics)])
    source_of = source_lookup(kb)
    items: list[Item] = []
    for t in tenures:
        items.extend(_spell_items(kb, t, source_of))
    for d in deals:
        items.extend(_step_items(d, source_of))
    for e in events:
        items.extend(_event_item(e, source_of))
    for m in metrics:
        items.extend(_metric_item(kb, m, source_of))
    return items


def record_items(kb: KnowledgeBase, kind: str, record: Any, source_of: SourceLookup) -> Iterable[Item]:
    """The timeline items of one record of `kind` ('tenures', 'deals', 'events', 'metrics'), in
    the order `timeline` lists a record's facts that share a date."""
    if kind == "tenures":
        return _spell_items(kb, record, source_of)
    if kind == "deals":
        return _step_items(record, source_of)
    if kind == "events":
        return _event_item(record, source_of)
    return _metric_item(kb, record, source_of)


def timeline_order(item: Item) -> tuple[tuple[date, date], int, str]:
    """The order of `timeline` (a stable sort: facts of one record keep their order)."""
    return _timeline_order(item)


def _timeline_order(item: Item) -> tuple[tuple[date, date], int, str]:
    """By date; on the same date a role ends before the next one starts."""
    when, _, row = item
    return (when.sort_key(), 0 if str(row["kind"]).startswith("role_end") else 1, str(row["record"]))


def timeline(
    kb: KnowledgeBase, *, firm: str | None = None, person: str | None = None, window: Window = ANY_TIME
) -> list[Row]:
    """Every dated fact in chronological order: role starts and ends, deal steps, events, metrics.

    firm:   facts about the firm, its units or its products.
    person: facts naming the person. Undated facts are left out.
    window: facts any of whose claimed dates may fall inside it (README, "When sources disagree").
    """
    firm_ids: set[str] = set()
    reach = None  # a fact there only through a unit or product linked by an inference says so
    if firm is not None:
        family = firm_family(kb, firm)
        products = products_of(kb, family)
        firm_ids = family | {p.id for p in products}
        reach = Reach.listing(kb, firm, family, products)
    about = {person} if person is not None else firm_ids if firm is not None else None
    rows = []
    for _, claimed, row in sorted(_timeline_items(kb, about), key=_timeline_order):
        subjects = set(row["subjects"])
        if firm is not None and not subjects & firm_ids:
            continue
        if person is not None and person not in subjects:
            continue
        if any(window.admits(when) for when in claimed):
            rows.append(reached(row, row["subjects"], [reach], "text"))
    return with_checked(kb, rows)
