"""Questions users ask, as pure functions: knowledge base in, rows out.

Every row is a flat dict with stable keys (documented in the README); the CLI
renders them and never adds to them, so `--format json` equals these rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from aiorg.asof import Known, ended_by, started_by
from aiorg.dates import FuzzyDate
from aiorg.errors import UsageError
from aiorg.kb import KnowledgeBase
from aiorg.model import (
    DEPARTURE_CAUSES,
    FORMAL_DEPARTURE_CAUSES,
    Area,
    Certainty,
    Deal,
    DealKind,
    DealStatus,
    EndCause,
    Event,
    Firm,
    Person,
    Source,
    SpellState,
    Tenure,
)
from aiorg.money import Money, format_amount, to_usd
from aiorg.names import NameIndex, normalise_name

Row = dict[str, Any]  # a flat JSON-like row; keys are documented per query

CAUSE_TEXT: dict[EndCause | None, str] = {
    EndCause.LEFT: "left",
    EndCause.FOUNDED: "left to found a company",
    EndCause.ADVISOR: "moved to advisor role (has not formally left)",
    EndCause.DEMOTED: "demoted / sidelined (still at the firm)",
    EndCause.REPORTED: "reported to have left (unconfirmed)",
    None: "",
}


@dataclass(frozen=True, slots=True)
class Window:
    """An optional [since, until] window; a fuzzy date passes if it may fall inside."""

    since: date | None = None
    until: date | None = None

    @classmethod
    def parse(cls, since: str | None, until: str | None) -> Window:
        """Build from text such as '2024-09' (the whole month counts)."""
        return cls(FuzzyDate.parse(since).earliest if since else None, FuzzyDate.parse(until).latest if until else None)

    def refuse_empty(self) -> None:
        """A window that ends before it starts can match nothing: a usage error."""
        if self.since is not None and self.until is not None and self.since > self.until:
            raise UsageError(f"--since {self.since} is after --until {self.until}, so nothing can match")

    @property
    def open(self) -> bool:
        """True when no bound is set."""
        return self.since is None and self.until is None

    def admits(self, when: FuzzyDate | None) -> bool:
        """Could `when` fall inside? Undated facts only pass an open window."""
        if self.open:
            return True
        if when is None:
            return False
        return (self.since is None or when.may_be_on_or_after(self.since)) and (
            self.until is None or when.may_be_on_or_before(self.until)
        )


#: the open window: every fact, dated or not
ANY_TIME = Window()


def firm_family(kb: KnowledgeBase, firm_id: str) -> set[str]:
    """A firm and every unit below it (Google includes DeepMind)."""
    family = {firm_id}
    pending = [firm_id]
    while pending:
        for unit in kb.firms_by_parent.get(pending.pop(), []):
            if unit.id not in family:
                family.add(unit.id)
                pending.append(unit.id)
    return family


def first_quote(quote: list[str]) -> str:
    """The first passage of a quote list, for compact rows."""
    return quote[0] if quote else ""


@dataclass(frozen=True, slots=True)
class SpellView:
    """A role spell as it stood on a day: a later end does not exist yet."""

    tenure: Tenure
    state: SpellState
    end: FuzzyDate | None
    cause: EndCause | None

    @classmethod
    def now(cls, tenure: Tenure) -> SpellView:
        """The spell as its source describes it."""
        return cls(tenure, tenure.state, tenure.end, tenure.end_cause)


def spell_view(kb: KnowledgeBase, tenure: Tenure, day: date) -> SpellView | None:
    """The spell as it stood on `day`; None if it had not begun or the dates cannot tell."""
    if started_by(tenure, day) is not Known.YES:
        return None
    ended = ended_by(tenure, day, source_published(kb, tenure.source))
    if ended is Known.UNDECIDED:
        return None
    if ended is Known.YES:
        return SpellView.now(tenure)
    state = SpellState.UNKNOWN if tenure.state is SpellState.UNKNOWN else SpellState.CURRENT
    return SpellView(tenure, state, None, None)


def source_published(kb: KnowledgeBase, source_id: str) -> FuzzyDate | None:
    """When a source was published, if it says."""
    source = kb.by_id.get(source_id)
    return source.published if isinstance(source, Source) else None


def tenure_row(kb: KnowledgeBase, tenure: Tenure, view: SpellView | None = None) -> Row:
    """One role spell as a row (as it stood on a day, when `view` says so)."""
    view = view or SpellView.now(tenure)
    person = kb.by_id[tenure.person]
    firm = kb.by_id[tenure.firm]
    when = view.end if view.state is SpellState.ENDED else tenure.start
    return {
        "person": tenure.person,
        "name": person.name,  # type: ignore[union-attr]
        "name_zh": getattr(person, "name_zh", None),
        "firm": tenure.firm,
        "firm_name": kb.name_of(firm.id),
        "title": tenure.title,
        "title_zh": tenure.title_zh,
        "area": tenure.area.value if tenure.area else None,
        "kind": tenure.kind.value if tenure.kind else None,
        "state": view.state.value,
        "cause": view.cause.value if view.cause else None,
        "cause_text": CAUSE_TEXT[view.cause],
        "formal_departure": view.cause in FORMAL_DEPARTURE_CAUSES,
        "start": tenure.start.text if tenure.start else None,
        "end": view.end.text if view.end else None,
        "when": when.describe() if when else "date not stated",
        "certainty": tenure.certainty.value,
        "tenure": tenure.id,
        "source": tenure.source,
        "quote": first_quote(tenure.quote),
    }


def _refuse_contradictions(cause: EndCause | None, formal: bool, left: bool, window: Window) -> None:
    """Options that can never match together are a usage error, not an empty answer."""
    if formal and cause is not None and cause not in FORMAL_DEPARTURE_CAUSES:
        raise UsageError(f"--formal keeps only causes left and founded, so --cause {cause.value} can never match")
    if left and cause is not None and cause not in DEPARTURE_CAUSES:
        raise UsageError(f"--left lists departures, and --cause {cause.value} is not one (see --cause)")
    window.refuse_empty()


def people(
    kb: KnowledgeBase,
    *,
    left: str | None = None,
    joined: str | None = None,
    at: str | None = None,
    cause: EndCause | None = None,
    area: Area | None = None,
    formal: bool = False,
    window: Window = ANY_TIME,
    as_of: date | None = None,
) -> list[Row]:
    """Role spells matching every filter given, one row per spell, oldest first.

    left:   spells at the firm (or its units) that ended by departure: causes
            left, founded, advisor, reported. A demotion is not a departure.
            With formal=True only left and founded count.
    joined: spells at the firm that do not continue an earlier spell there.
    at:     spells current at the firm.
    as_of:  every filter sees the world as it stood on that day: a spell that ended by then
            is a departure, one still running is current, and one not yet begun does not
            exist. Spells whose dates cannot be placed before or after the day are left out;
            `people_undecided` lists them.
    """
    return _people(kb, left, joined, at, cause, area, formal, window, as_of)[0]


def people_undecided(kb: KnowledgeBase, **filters: Any) -> list[str]:
    """With as_of: the spells at the filtered firms left out because their dates cannot decide."""
    return _people(kb, **filters)[1]


def _people(
    kb: KnowledgeBase,
    left: str | None = None,
    joined: str | None = None,
    at: str | None = None,
    cause: EndCause | None = None,
    area: Area | None = None,
    formal: bool = False,
    window: Window = ANY_TIME,
    as_of: date | None = None,
) -> tuple[list[Row], list[str]]:
    _refuse_contradictions(cause, formal, left is not None, window)
    departure = FORMAL_DEPARTURE_CAUSES if formal else DEPARTURE_CAUSES
    firm_filters = [firm_family(kb, f) for f in (left, joined, at) if f is not None]
    if firm_filters:  # use the index: a large knowledge base never decodes every spell for one firm
        families = set.intersection(*firm_filters)
        if not families:
            raise UsageError(
                "--left, --joined and --at name different firms, and each row is one role spell at one firm; "
                "for people who moved between firms, use `aiorg flows --from FIRM --to FIRM`"
            )
        candidates = sorted(
            (t for f in families for t in kb.tenures_by_firm.get(f, [])), key=lambda t: kb.position(t.id)
        )
    else:
        candidates = kb.tenures

    def matches(tenure: Tenure, view: SpellView) -> bool:
        if (left is not None or formal) and view.cause not in departure:
            return False
        if at is not None and view.state is SpellState.ENDED:
            return False
        if cause is not None and view.cause is not cause:
            return False
        if window.open:
            return True
        if left is not None or cause is not None:
            return window.admits(view.end)
        return window.admits(tenure.start if joined else view.end or tenure.start)

    rows: list[tuple[tuple[tuple[date, date], str, str], Row]] = []
    undecided: list[str] = []
    for tenure in candidates:
        if area is not None and tenure.area is not area:
            continue
        if joined is not None and tenure.replaces is not None:
            continue
        view = SpellView.now(tenure) if as_of is None else spell_view(kb, tenure, as_of)
        if view is None:
            assert as_of is not None
            # Left out because the dates cannot place it; say so if either way it could match.
            running = SpellView(tenure, SpellState.CURRENT, None, None)
            if started_by(tenure, as_of) is not Known.NO and (
                matches(tenure, SpellView.now(tenure)) or matches(tenure, running)
            ):
                undecided.append(tenure.id)
        elif matches(tenure, view):
            row = tenure_row(kb, tenure, view)
            rows.append(((_sort_date(view.end or tenure.start), str(row["name"]), tenure.id), row))
    rows.sort(key=lambda pair: pair[0])
    return [row for _, row in rows], undecided


def _sort_date(when: FuzzyDate | None) -> tuple[date, date]:
    """Oldest first, by the date the row shows (as of a day, a later end does not count)."""
    return when.sort_key() if when else (date.max, date.max)


# --- deals -------------------------------------------------------------------------------


class Basis(StrEnum):
    """Which of a deal's numbers a money filter compares."""

    AMOUNT = "amount"
    VALUATION = "valuation"
    ANY = "any"


def deal_figures(deal: Deal, rates: dict[str, float] | None = None) -> list[tuple[str, float]]:
    """The deal's comparable numbers: (what it is, USD). The implied valuation is amount / stake.

    A figure in another currency is converted with `rates` (USD per unit), or left out without one.
    """
    rates = rates or {}
    figures: list[tuple[str, float]] = []
    amount = to_usd(deal.amount, rates) if deal.amount is not None else None
    if amount is not None:
        figures.append(("amount", amount))
    if deal.valuation is not None:
        valuation = to_usd(deal.valuation, rates)
        if valuation is not None:
            figures.append(("valuation", valuation))
    elif amount is not None and deal.stake:
        figures.append(("implied valuation", amount * 100 / deal.stake))
    return figures


def unconverted(deal: Deal, rates: dict[str, float]) -> list[str]:
    """Currencies of the deal's figures that `rates` cannot turn into US dollars."""
    return sorted({m.currency for m in (deal.amount, deal.valuation) if m is not None and to_usd(m, rates) is None})


def _names(kb: KnowledgeBase, ids: list[str]) -> list[str]:
    return [kb.name_of(i) for i in ids]


def deal_row(kb: KnowledgeBase, deal: Deal, matched_on: str | None = None, value: float | None = None) -> Row:
    """One deal as a row; `matched_on`/`value_usd` say which number the filter used."""
    latest = deal.history[-1]
    implied = next((v for k, v in deal_figures(deal) if k == "implied valuation"), None)
    return {
        "deal": deal.id,
        "title": deal.title,
        "kind": deal.kind.value,
        "status": deal.status.value,
        "status_text": deal.status.value + (f" (superseded by {deal.superseded_by})" if deal.superseded_by else ""),
        "buyers": deal.buyers,
        "buyer_names": _names(kb, deal.buyers),
        "targets": deal.targets,
        "target_names": _names(kb, deal.targets),
        "people": deal.people,
        "amount_usd": to_usd(deal.amount, {}) if deal.amount else None,
        "amount": deal.amount.describe() if deal.amount else None,
        "currency": deal.amount.currency if deal.amount else None,
        "valuation_usd": to_usd(deal.valuation, {}) if deal.valuation else None,
        "valuation": deal.valuation.describe() if deal.valuation else None,
        "implied_valuation_usd": implied,
        "stake_percent": deal.stake,
        "date": deal.date.text if deal.date else None,
        "when": deal.date.describe() if deal.date else "date not stated",
        "conditions": [c.text for c in deal.conditions],
        "superseded_by": deal.superseded_by,
        "matched_on": matched_on,
        "value_usd": value,
        "value": format_amount(value) if value is not None else None,
        "certainty": latest.certainty.value,
        "source": latest.source,
        "quote": first_quote(latest.quote),
    }


def deals(
    kb: KnowledgeBase,
    *,
    minimum: Money | None = None,
    maximum: Money | None = None,
    basis: Basis = Basis.ANY,
    party: str | None = None,
    kind: DealKind | None = None,
    status: DealStatus | None = None,
    window: Window = ANY_TIME,
    rates: dict[str, float] | None = None,
) -> list[Row]:
    """Deals matching every filter, largest matched value first.

    With --min/--max a deal matches if one of its numbers on the chosen basis lies in
    range: basis 'amount' uses the amount, 'valuation' the stated or implied valuation,
    and 'any' (the default) either. The row reports the number that matched, preferring
    the amount, then the stated valuation, then the implied valuation (amount / stake).
    Rows are sorted by that number, largest first. Figures are compared in US dollars:
    a bound or a figure in another currency needs a rate (USD per unit) in `rates`, and a
    deal whose figures cannot be converted never matches a money filter.
    """
    rates = rates or {}
    low = _usd_bound(minimum, "--min", rates)
    high = _usd_bound(maximum, "--max", rates)
    if low is not None and high is not None and low > high:
        raise UsageError(f"--min {format_amount(low)} is more than --max {format_amount(high)}, so nothing can match")
    window.refuse_empty()
    family = firm_family(kb, party) if party else None
    rows: list[tuple[float, str, Row]] = []
    for deal in kb.deals:
        if family is not None and not family & {*deal.buyers, *deal.targets, *deal.people}:
            continue
        if kind is not None and deal.kind is not kind:
            continue
        if status is not None and deal.status is not status:
            continue
        if not window.open and not any(window.admits(entry.date) for entry in deal.history):
            continue
        figures = [
            (label, value)
            for label, value in deal_figures(deal, rates)
            if basis is Basis.ANY or (basis is Basis.AMOUNT) == (label == "amount")
        ]
        in_range = [
            (value, label)
            for label, value in figures
            if (low is None or value >= low) and (high is None or value <= high)
        ]
        if (low is not None or high is not None) and not in_range:
            continue
        # deal_figures() orders amount, valuation, implied valuation: the first match is the preferred one.
        best = in_range[0] if in_range else None
        row = deal_row(kb, deal, best[1] if best else None, best[0] if best else None)
        rows.append((best[0] if best else -1.0, deal.id, row))
    rows.sort(key=lambda item: (-item[0], item[1]))
    return [row for _, _, row in rows]


def _usd_bound(bound: Money | None, option: str, rates: dict[str, float]) -> float | None:
    if bound is None:
        return None
    value = to_usd(bound, rates)
    if value is None:
        raise UsageError(
            f"{option} is in {bound.currency} and deals are compared in USD; "
            f"give its rate in US dollars per {bound.currency}, e.g. --rate {bound.currency}=RATE"
        )
    return value


# --- timeline ------------------------------------------------------------------------------


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


def _timeline_items(kb: KnowledgeBase) -> list[tuple[FuzzyDate, Row]]:
    items: list[tuple[FuzzyDate, Row]] = []
    for t in kb.tenures:
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
    for d in kb.deals:
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
    for e in kb.events:
        if e.date is not None:
            subjects = [*e.subjects, *([e.into] if e.into else [])]
            items.append(
                _timeline_item(
                    e.date, e.kind.value, subjects, e.text, e.id, e.certainty.value, e.source, first_quote(e.quote)
                )
            )
    for m in kb.metrics:
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
        firm_ids = family | {p.id for p in kb.products if p.maker in family}
    rows = []
    for when, row in sorted(_timeline_items(kb), key=_timeline_order):
        subjects = set(row["subjects"])
        if firm is not None and not subjects & firm_ids:
            continue
        if person is not None and person not in subjects:
            continue
        if window.admits(when):
            rows.append(row)
    return rows


# --- firms and profiles -------------------------------------------------------------------


def firm_row(kb: KnowledgeBase, firm: Firm) -> Row:
    """One firm as a row, with counts of its people, departures and deals."""
    family = firm_family(kb, firm.id)
    spells = [t for f in family for t in kb.tenures_by_firm.get(f, [])]
    return {
        "firm": firm.id,
        "name": firm.name,
        "name_zh": firm.name_zh,
        "aliases": [*firm.aliases, *firm.former_names],
        "country": firm.country,
        "category": firm.category.value if firm.category else None,
        "groups": firm.groups,
        "parent": firm.parent,
        "people": len({t.person for t in spells}),
        "departures": len([t for t in spells if t.end_cause in DEPARTURE_CAUSES]),
        "deals": len({d.id for f in family for d in kb.deals_by_party.get(f, [])}),
    }


def firms(
    kb: KnowledgeBase, *, group: str | None = None, country: str | None = None, only: set[str] | None = None
) -> list[Row]:
    """Firms in a group and/or country (or among `only`), by name."""
    selected = [
        f
        for f in kb.firms
        if (group is None or group in f.groups)
        and (country is None or (f.country or "").casefold() == country.casefold())
        and (only is None or f.id in only)
    ]
    return [firm_row(kb, f) for f in sorted(selected, key=lambda f: f.name.casefold())]


def _citations(kb: KnowledgeBase, record_ids: list[str]) -> list[Row]:
    out: list[Row] = []
    for record_id in dict.fromkeys(record_ids):
        record = kb.by_id[record_id]
        for quote in getattr(record, "quote", []):
            out.append({"record": record_id, "source": getattr(record, "source", None), "quote": quote})
    return out


def person_profile(kb: KnowledgeBase, person_id: str) -> dict[str, Any]:
    """Everything about one person: names, career in order, deals and offers, events, quotes."""
    person = kb.by_id[person_id]
    assert isinstance(person, Person)
    spells = sorted(kb.tenures_by_person.get(person_id, []), key=_spell_order)
    person_deals = kb.deals_by_party.get(person_id, [])
    person_events = [e for e in kb.events if person_id in e.subjects]
    return {
        "person": person_id,
        "name": person.name,
        "name_zh": person.name_zh,
        "aliases": [*person.aliases, *person.former_names],
        "career": [tenure_row(kb, t) for t in spells],
        "deals": [deal_row(kb, d) for d in person_deals],
        "events": [_event_row(kb, e) for e in person_events],
        "quotes": _citations(
            kb, [person_id, *(t.id for t in spells), *(d.id for d in person_deals), *(e.id for e in person_events)]
        ),
    }


def firm_profile(kb: KnowledgeBase, firm_id: str) -> dict[str, Any]:
    """Everything about one firm: people in and out, deals on each side, products, metrics, claims."""
    firm = kb.by_id[firm_id]
    assert isinstance(firm, Firm)
    family = firm_family(kb, firm_id)
    spells = sorted((t for f in family for t in kb.tenures_by_firm.get(f, [])), key=_spell_order)
    firm_deals = list({d.id: d for f in family for d in kb.deals_by_party.get(f, [])}.values())
    products = [p for p in kb.products if p.maker in family]
    product_ids = {p.id for p in products}
    groups = set(firm.groups)
    return {
        **firm_row(kb, firm),
        "units": sorted(family - {firm_id}),
        "people_joined": [tenure_row(kb, t) for t in spells if t.replaces is None],
        "people_left": [tenure_row(kb, t) for t in spells if t.end_cause in DEPARTURE_CAUSES],
        "people_demoted": [tenure_row(kb, t) for t in spells if t.end_cause is EndCause.DEMOTED],
        "deals_as_buyer": [deal_row(kb, d) for d in firm_deals if family & set(d.buyers)],
        "deals_as_target": [deal_row(kb, d) for d in firm_deals if family & {*d.targets, *d.people}],
        "products": [
            {
                "product": p.id,
                "name": kb.name_of(p.id),
                "kind": p.kind.value,
                "category": p.category,
                "former_names": p.former_names,
            }
            for p in products
        ],
        "metrics": [
            {
                "metric": m.metric,
                "subject": m.subject,
                "value": m.value,
                "unit": m.unit,
                "bound": m.bound,
                "as_of": m.as_of.text if m.as_of else None,
                "certainty": m.certainty.value,
                "source": m.source,
                "quote": first_quote(m.quote),
            }
            for m in kb.metrics
            if m.subject in family | product_ids
        ],
        "claims": [
            {
                "claim": c.id,
                "strategy": c.strategy.value,
                "text": c.text,
                "via": [s for s in c.subjects if s in groups],
                "certainty": c.certainty.value,
                "source": c.source,
                "quote": first_quote(c.quote),
            }
            for c in kb.claims
            if set(c.subjects) & (family | groups)
        ],
        "events": [_event_row(kb, e) for e in kb.events if set(e.subjects) & (family | product_ids | groups)],
    }


def _event_row(kb: KnowledgeBase, event: Event) -> Row:
    return {
        "event": event.id,
        "kind": event.kind.value,
        "date": event.date.text if event.date else None,
        "when": event.date.describe() if event.date else "date not stated",
        "text": event.text,
        "certainty": event.certainty.value,
        "source": event.source,
        "quote": first_quote(event.quote),
    }


def _spell_order(tenure: Tenure) -> tuple[date, date]:
    when = tenure.start or tenure.end
    return when.sort_key() if when else (date.min, date.min)


# --- search --------------------------------------------------------------------------------


def search(kb: KnowledgeBase, names: NameIndex, text: str) -> list[Row]:
    """People, firms, groups and products whose names, aliases, titles or products contain `text`."""
    rows: list[Row] = []
    seen: set[tuple[str, str]] = set()

    def add(kind: str, record_id: str, field: str, matched: str) -> None:
        if (record_id, field) not in seen:  # one row per record and field: the best-ranked match
            seen.add((record_id, field))
            rows.append(
                {"kind": kind, "id": record_id, "name": kb.name_of(record_id), "field": field, "matched": matched}
            )

    for entry in names.search(text):
        add(entry.kind.rstrip("s") if entry.kind != "people" else "person", entry.record_id, "name", entry.name)
    needle = normalise_name(text)
    for tenure in kb.tenures:
        for title in (tenure.title, tenure.title_zh):
            if title and needle and needle in normalise_name(title):
                add("person", tenure.person, f"title at {kb.name_of(tenure.firm)}", title)
    for product in kb.products:
        if needle and product.category and needle in normalise_name(product.category):
            add("product", product.id, "category", product.category)
    return rows


# --- talent flows ----------------------------------------------------------------------------


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
