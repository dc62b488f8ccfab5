"""Deals by money, party, kind, status and date."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from enum import StrEnum
from typing import Any

from aiorg.claims import SourceLookup, described, dispute_note, disputes, shown_value, sources_of, statements
from aiorg.dates import NOT_STATED, FuzzyDate
from aiorg.errors import UsageError
from aiorg.kb import KnowledgeBase
from aiorg.model import (
    Deal,
    DealKind,
    DealStatus,
    StatusEntry,
)
from aiorg.money import Money, to_usd
from aiorg.queries import deal_match
from aiorg.queries.common import (
    ANY_TIME,
    INFERRED,
    Row,
    Window,
    first_quote,
    inferred_show,
    may_disagree,
    naming_deal,
    shown_version,
    source_lookup,
    varies,
)
from aiorg.queries.deal_match import Match
from aiorg.queries.inferred import deal_inferred, fields_of, infers, mark, mark_each, status_text

FIGURES = deal_match.FIGURES
#: which of a deal's fields each figure is made of
_MADE_OF = deal_match.MADE_OF


class Basis(StrEnum):
    """Which of a deal's numbers a money filter compares."""

    AMOUNT = "amount"
    VALUATION = "valuation"
    ANY = "any"


def deal_figures(deal: Deal, rates: dict[str, float] | None = None) -> list[tuple[str, float]]:
    """The deal's comparable numbers: (what it is, USD). The implied valuation is amount / stake.

    A figure in another currency is converted with `rates` (USD per unit), or left out without one.
    """
    return deal_match.figures(deal.amount, deal.valuation, deal.stake, rates or {})


def unconverted_currencies(kb: KnowledgeBase, rates: dict[str, float]) -> list[str]:
    """Every currency a deal's amount or valuation is stated in that `rates` cannot turn into US
    dollars: the figures a money filter could not compare."""
    found = kb.query(
        "SELECT amount_currency FROM deals WHERE amount_currency IS NOT NULL"
        " UNION SELECT valuation_currency FROM deals WHERE valuation_currency IS NOT NULL"
    )
    return sorted(code for (code,) in found if code != "USD" and code not in rates)


def _names(kb: KnowledgeBase, ids: list[str], names: Mapping[str, str] | None) -> list[str]:
    return [names[i] for i in ids] if names is not None else [kb.name_of(i) for i in ids]


def step_dates(entry: StatusEntry) -> list[FuzzyDate | None]:
    """Every date the sources of one step of a deal's history give it, its own first."""
    return [entry.date, *(item.date for item in entry.also if item.date is not None)]


def deal_disputes(deal: Deal) -> dict[str, list[Any]]:
    """The fields of a deal, and of its steps (`history.date`), whose sources disagree."""
    found: dict[str, list[Any]] = dict(disputes(deal)) if deal.also and may_disagree(deal) else {}
    for entry in deal.history:
        if not entry.also or not may_disagree(entry):
            continue
        for name, claims in disputes(entry).items():
            found.setdefault(f"history.{name}", []).extend(claims)
    return found


def deal_sources(deal: Deal) -> list[str]:
    """Every source a deal cites: its own, its other sources', its steps' and its conditions'."""
    parts = [deal, *deal.history, *deal.conditions]
    return list(dict.fromkeys(source for part in parts for source in sources_of(part)))


def deal_row(
    kb: KnowledgeBase,
    deal: Deal,
    matched: Match | None = None,
    source_of: SourceLookup | None = None,
    shown: Deal | None = None,
    names: Mapping[str, str] | None = None,
    version: deal_match.Figures | None = None,
) -> Row:
    """One deal as a row; `matched` is the number a money filter used (its row keys `matched_on`,
    `value_usd` and `value`, which keeps the figure's bound: 'up to $100M'). Where sources
    disagree the row shows the value shown first (aiorg.claims), `amount` and `valuation` list
    every claimed value ('$2.5B | ~$2B (disputed, 2 sources)'), `value` says when the number
    that matched is disputed, and `disputed` names the fields. `shown` is the deal with the
    values shown first (aiorg.queries.common.shown_version), when the caller has it already;
    `names` the display name of each party (KnowledgeBase.names_of), when it has them; `version`
    the figures (amount, valuation, stake) of the version whose figure matched. A value the deal
    (or the step dating it) marks inferred says so: 'est. $32B (inferred)' in `valuation` and in
    `value` when it matched, '2025-05-11 to 2025-06 (inferred)' in `when`, and so does its
    title, its latest step's status in `status_text`, each party's name, and each condition;
    `inferred` names every such field the row shows (aiorg.queries.inferred.deal_inferred), the
    ones it writes bare too (`stake`, `kind`, `people`, `history.certainty`).

    The row cites the first source (by the rule of the value shown first) giving the money it
    leads with (the figure that matched, else the amount shown, else the valuation) when that
    money is disputed or only another source states it; otherwise its latest step's source."""
    source_of = source_of or source_lookup(kb)
    disputed = deal_disputes(deal)
    own = deal
    deal = shown or shown_version(deal, FIGURES, source_of)
    latest = deal.history[-1]
    # A step's date is a disputed value too: the date shown is the one the rule shows first.
    dates = [
        shown_value(entry, "date", source_of) if varies(entry, ("date",)) else entry.date for entry in deal.history
    ]
    dated = [at for at, day in enumerate(dates) if day is not None]
    when: FuzzyDate | None = dates[dated[-1]] if dated else None
    # a disputed date is written as a listing writes one ('2025-03-10 | 2025-02 (disputed, 2 sources)'),
    # and an inferred one says so ('2025-05-11 to 2025-06 (inferred)')
    step = deal.history[dated[-1]] if dated else None
    when_show = inferred_show(step, "date") if step is not None else None
    step_dates = disputes(step).get("date") if step is not None else None
    when_text = dispute_note(step_dates, source_of, when_show) if step_dates and when_show else None
    if when_text is None and when is not None and when_show is not None:
        when_text = when_show(when)
    implied = next((v for k, v in deal_figures(deal) if k == "implied valuation"), None)
    money_show = {name: inferred_show(own, name, described) for name in ("amount", "valuation")}
    notes = {
        name: dispute_note(disputed[name], source_of, money_show[name])
        for name in ("amount", "valuation")
        if name in disputed
    }
    matched_on, value = (matched.on, matched.usd) if matched else (None, None)
    figures = version or (deal.amount, deal.valuation, deal.stake)
    value_text = matched_text(own, matched, figures, disputed) if matched else None
    source, quote = latest.source, tuple(latest.quote)
    cite = deal_match.money_cited(matched, version, (deal.amount, deal.valuation, deal.stake))
    first = deal_match.money_claim(cite, disputed, lambda name: statements(own, name), source_of)
    if first is not None:
        source, quote = first.source, first.quote
    every = infers(own, "conditions")  # each condition an inference
    shown_values = {"amount": deal.amount, "valuation": deal.valuation, "stake": deal.stake, "date": when}
    return {
        "deal": deal.id,
        "title": mark(deal.title, own, "title") if deal.title is not None else None,
        "kind": deal.kind.value,
        "status": deal.status.value,
        "status_text": status_text(deal.status.value, deal.superseded_by, latest.inferred, own.inferred),
        "buyers": deal.buyers,
        "buyer_names": mark_each(_names(kb, deal.buyers, names), own, "buyers"),
        "targets": deal.targets,
        "target_names": mark_each(_names(kb, deal.targets, names), own, "targets"),
        "people": deal.people,
        "amount_usd": to_usd(deal.amount, {}) if deal.amount else None,
        "amount": notes.get("amount") or (money_show["amount"](deal.amount) if deal.amount else None),
        "currency": deal.amount.currency if deal.amount else None,
        "valuation_usd": to_usd(deal.valuation, {}) if deal.valuation else None,
        "valuation": notes.get("valuation") or (money_show["valuation"](deal.valuation) if deal.valuation else None),
        "implied_valuation_usd": implied,
        "stake_percent": deal.stake,
        "date": when.text if when else None,
        "when": when_text or NOT_STATED,
        "conditions": [c.text + INFERRED if infers(c, "text") or every else c.text for c in deal.conditions],
        "superseded_by": deal.superseded_by,
        "matched_on": matched_on,
        "value_usd": value,
        "value": value_text,
        "certainty": shown_value(latest, "certainty", source_of).value,  # the one shown first, as timeline's
        "disputed": list(disputed),
        "inferred": deal_inferred(fields_of(own), fields_of(latest), fields_of(step) if step else None, shown_values),
        "source": source,
        "sources": deal_sources(own),
        "quote": first_quote(list(quote)),
    }


def matched_text(own: Deal, matched: Match, version: deal_match.Figures, disputed: dict[str, list[Any]]) -> str:
    """A row's `value`: the figure a money filter matched in `version` (amount, valuation, stake),
    marked when it is made of a value the deal marks inferred, and when a field it is made of is
    disputed (`disputed`: deal_disputes)."""
    text = matched.text + (INFERRED if _matched_inferred(own, matched.on, version) else "")
    behind = [claim for name in _MADE_OF.get(matched.on, ()) for claim in disputed.get(name, [])]
    return text + (f" (disputed, {len({claim.source for claim in behind})} sources)" if behind else "")


def _matched_inferred(own: Deal, matched_on: str | None, version: deal_match.Figures) -> bool:
    """Whether the figure that matched is made of a value the deal marks inferred (its own value,
    not another source's): an implied valuation is, when its amount or stake is."""
    made_of = _MADE_OF.get(matched_on or "", ())
    return any(
        name in own.inferred
        and getattr(own, name) is not None
        and value is not None
        and described(getattr(own, name)) == described(value)
        for name, value in zip(FIGURES, version, strict=True)
        if name in made_of
    )


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
    """Deals matching every filter, largest matched value first (`deals_page` for its first rows).

    With --min/--max a deal matches if one of its numbers on the chosen basis lies in
    range: basis 'amount' uses the amount, 'valuation' the stated or implied valuation,
    and 'any' (the default) either. The row reports the number that matched, preferring
    the amount, then the stated valuation, then the implied valuation (amount / stake).
    Rows are sorted by that number, largest first. Figures are compared in US dollars:
    a bound or a figure in another currency needs a rate (USD per unit) in `rates`, and a
    deal whose figures cannot be converted never matches a money filter.
    """
    from aiorg.queries.deals_page import deals_page

    return deals_page(
        kb,
        minimum=minimum,
        maximum=maximum,
        basis=basis,
        party=party,
        kind=kind,
        status=status,
        window=window,
        rates=rates,
    ).rows


def same_figures(one: Deal, other: Deal) -> bool:
    return all(getattr(one, name) == getattr(other, name) for name in FIGURES)


def narrowing(
    family: set[str] | None,
    kind: DealKind | None,
    status: DealStatus | None,
    low: float | None,
    high: float | None,
    basis: Basis,
    rates: dict[str, float],
) -> tuple[str, tuple[Any, ...]]:
    """SQL over the deals' typed columns keeping every deal the filters could match; the
    filters themselves then run on the decoded deals, as written above."""
    where: list[str] = []
    parameters: list[Any] = []
    if family is not None:
        parties, party_values = naming_deal(family)
        where.append(parties)
        parameters += party_values
    for column, value in (("kind", kind), ("status", status)):
        if value is not None:
            where.append(f'"{column}" = ?')
            parameters.append(value.value)
    if low is not None or high is not None:
        known = {"USD": 1.0, **rates}
        rate_values = [p for code, rate in known.items() for p in (code, rate)]

        def usd(value: str, currency: str) -> str:
            return "(CASE " + " ".join(f"WHEN {currency} = ? THEN {value} * ?" for _ in known) + " END)"

        # A bound on the raw number every matching figure must meet whatever its currency, so that
        # SQLite can range over the (kind, field, number) index before it converts (loosened a
        # little: the conversion rounds). Written as float literals (repr is exact).
        limits = _limits(low, high)
        prefilter = [(op, _raw_bound(op, bound, known.values())) for op, bound in limits]

        def claimed(field: str, condition: str) -> str:  # one more source's figure
            ranged = "".join(f" AND number {op} {raw!r}" for op, raw in prefilter if raw is not None)
            return (
                f"seq IN (SELECT seq FROM statements WHERE kind = 'deals' AND field = '{field}'{ranged}"
                f" AND {condition})"
            )

        amount = usd("amount_value", "amount_currency")
        tests: list[str] = []

        def test(expression: str, wrap: Callable[[str], str] = str) -> None:
            tests.append(wrap(" AND ".join(f"{expression} {op} ?" for op, _ in limits)))
            for op, bound in limits:  # loosened past the cent to_usd rounds a conversion to
                parameters.extend([*rate_values, _loosened(op, bound)])

        other = usd("number", "currency")
        if basis is not Basis.VALUATION:
            test(amount)
            test(other, lambda condition: claimed("amount", condition))
        if basis is not Basis.AMOUNT:
            test(usd("valuation_value", "valuation_currency"))
            test(other, lambda condition: claimed("valuation", condition))
            test(f"(CASE WHEN valuation_value IS NULL AND stake THEN {amount} * 100 / stake END)")
            # An implied valuation from another source's amount, stake or both (`versions`).
            other_amount = usd("s.number", "s.currency")
            # A deal's own few statements, found by its seq (the unary + keeps SQLite from scanning every
            # deal's statements of that field through the (kind, field, number) index instead).
            amounts = "SELECT 1 FROM statements s WHERE s.seq = deals.seq AND +s.kind = 'deals' AND +s.field = 'amount'"
            stakes = "SELECT 1 FROM statements t WHERE t.seq = deals.seq AND +t.kind = 'deals' AND +t.field = 'stake'"
            test(
                f"{other_amount} * 100 / stake",
                lambda condition: f"valuation_value IS NULL AND stake AND EXISTS ({amounts} AND {condition})",
            )
            test(
                f"{amount} * 100 / t.number",
                lambda condition: f"valuation_value IS NULL AND EXISTS ({stakes} AND t.number AND {condition})",
            )
            test(
                f"{other_amount} * 100 / t.number",
                lambda condition: (
                    f"valuation_value IS NULL AND EXISTS ({stakes} AND t.number AND EXISTS ({amounts} AND {condition}))"
                ),
            )
        where.append("(" + " OR ".join(f"({t})" for t in tests) + ")")
    return " AND ".join(where), tuple(parameters)


def _limits(low: float | None, high: float | None) -> list[tuple[str, float]]:
    return [(op, bound) for op, bound in ((">=", low), ("<=", high)) if bound is not None]


def _loosened(op: str, bound: float) -> float:
    """A bound in US dollars that SQLite's unrounded conversion of any figure `to_usd` puts
    within `op bound` also meets."""
    slack = 0.01 + abs(bound) * 1e-9
    return bound - slack if op == ">=" else bound + slack


def _raw_bound(op: str, bound: float, rates: Iterable[float]) -> float | None:
    """A bound on a figure's number, whatever currency of `rates` (USD per unit) it is in, that
    every figure within `op bound` in US dollars meets; None when there is none to give."""
    known = list(rates)
    if not known or min(known) <= 0 or not all(map(math.isfinite, known)):
        return None
    raw = bound / max(known) if op == ">=" else bound / min(known)
    slack = abs(raw) * 1e-9
    return raw - slack if op == ">=" else raw + slack


def usd_bound(bound: Money | None, option: str, rates: dict[str, float]) -> float | None:
    if bound is None:
        return None
    value = to_usd(bound, rates)
    if value is None:
        raise UsageError(
            f"{option} is in {bound.currency} and deals are compared in USD; "
            f"give its rate in US dollars per {bound.currency}, e.g. --rate {bound.currency}=RATE"
        )
    return value
