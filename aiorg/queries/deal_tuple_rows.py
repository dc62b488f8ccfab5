"""The row of a deal read from its tuple (aiorg.queries.deal_tuples.readable): the filters it
passes, the source it cites and the row itself, the same row aiorg.queries.deals.deal_row makes of
the decoded deal (tests/test_deals_tuples.py checks both paths on random knowledge bases).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any, cast

from aiorg import codec
from aiorg.claims import SourceLookup, Statement, value_text
from aiorg.dates import NOT_STATED, FuzzyDate
from aiorg.model import Attestation, Condition, Deal, StatusEntry
from aiorg.money import Money, to_usd
from aiorg.queries.common import INFERRED, Row, Window
from aiorg.queries.deal_match import MADE_OF, Figures, Match, money_claim
from aiorg.queries.deal_tuples import MONEY, Plain, Told, money_of, money_or_none, money_text
from aiorg.queries.inferred import Fields, deal_inferred, status_text


def _at(cls: type, name: str) -> int:
    return codec.field_index(cls, name)


# where the codec tuples keep what a row reads
_SOURCE, _ALSO, _ID, _KIND, _TITLE = (_at(Deal, n) for n in ("source", "also", "id", "kind", "title"))
_BUYERS, _TARGETS, _PEOPLE = (_at(Deal, n) for n in ("buyers", "targets", "people"))
_AMOUNT, _VALUATION, _QUOTE = (_at(Deal, n) for n in ("amount", "valuation", "quote"))
_HISTORY, _CONDITIONS, _SUPERSEDED = (_at(Deal, n) for n in ("history", "conditions", "superseded_by"))
_STEP_SOURCE, _STEP_QUOTE, _STEP_ALSO = (_at(StatusEntry, n) for n in ("source", "quote", "also"))
_STEP_DATE, _STEP_STATUS, _STEP_CERTAINTY = (_at(StatusEntry, n) for n in ("date", "status", "certainty"))
_INFERRED, _STEP_INFERRED = _at(Deal, "inferred"), _at(StatusEntry, "inferred")
_CONDITION_SOURCE, _CONDITION_ALSO, _CONDITION_TEXT = (_at(Condition, n) for n in ("source", "also", "text"))
_CONDITION_INFERRED = _at(Condition, "inferred")
_ITEM_SOURCE, _ITEM_QUOTE, _ITEM_PREFERRED = (_at(Attestation, n) for n in ("source", "quote", "preferred"))
_ITEM_AMOUNT, _ITEM_VALUATION = _at(Attestation, "amount"), _at(Attestation, "valuation")
#: where a deal's and a step's tuple keep each field, by name (for aiorg.queries.inferred)
_DEAL_AT = {name: at for at, name in enumerate(codec.field_names(Deal))}
_STEP_AT = {name: at for at, name in enumerate(codec.field_names(StatusEntry))}


@cache
def _date(text: str) -> FuzzyDate:
    return FuzzyDate.parse(text)


@cache
def _when(text: str) -> tuple[str, str]:
    day = _date(text)
    return day.text, day.describe()


def parties(row: Plain) -> list[str]:
    """A deal's buyers and targets, whose names its row shows."""
    return [*row[_BUYERS], *row[_TARGETS]]


def _money_claims(row: Plain, name: str) -> list[Statement]:
    """aiorg.claims.statements of a deal's amount or valuation, read from its tuple."""
    here, there = (_AMOUNT, _ITEM_AMOUNT) if name == "amount" else (_VALUATION, _ITEM_VALUATION)
    found = []
    if row[here] is not None:
        found.append(Statement(name, money_or_none(row[here]), row[_SOURCE], tuple(row[_QUOTE]), None, True))
    for item in row[_ALSO]:
        if item[there] is not None:
            value = money_or_none(item[there])
            found.append(
                Statement(name, value, item[_ITEM_SOURCE], tuple(item[_ITEM_QUOTE]), item[_ITEM_PREFERRED], False)
            )
    return found


def citation(row: Plain, told: Told, cite: tuple[str, Money] | None, source_of: SourceLookup) -> tuple[str, Any]:
    """(source, quote) a deal row cites: the first source giving the money it leads with
    (aiorg.queries.deal_match.money_cited) when that money is disputed or only another source
    states it; else its latest step's."""
    first = money_claim(cite, told.disputed, lambda name: _money_claims(row, name), source_of)
    if first is not None:
        return first.source, first.quote
    latest = row[_HISTORY][-1]
    return latest[_STEP_SOURCE], latest[_STEP_QUOTE]


def passes(
    row: Plain,
    family: set[str] | None,
    kind: str | None,
    status: str | None,
    window: Window,
) -> bool:
    """The party, kind, status and date filters of aiorg.queries.deals.deals, on a deal that is its
    only version (so its steps' other sources give no other date)."""
    if family is not None and all(family.isdisjoint(row[side]) for side in (_BUYERS, _TARGETS, _PEOPLE)):
        return False
    if kind is not None and row[_KIND] != kind:
        return False
    if status is not None and row[_HISTORY][-1][_STEP_STATUS] != status:
        return False
    if window.open:
        return True
    days = (step[_STEP_DATE] for step in row[_HISTORY])
    return any(window.admits(_date(day) if day is not None else None) for day in days)


def _sources(row: Plain) -> list[str]:
    """aiorg.queries.deals.deal_sources of a deal's tuple."""
    found = {row[_SOURCE]: None}
    for item in row[_ALSO]:
        found[item[_ITEM_SOURCE]] = None
    for step in row[_HISTORY]:
        found[step[_STEP_SOURCE]] = None
        for item in step[_STEP_ALSO]:
            found[item[_ITEM_SOURCE]] = None
    for condition in row[_CONDITIONS]:
        found[condition[_CONDITION_SOURCE]] = None
        for item in condition[_CONDITION_ALSO]:
            found[item[_ITEM_SOURCE]] = None
    return list(found)


_NO_RATES: dict[str, float] = {}


def _text(money: Money | None, raw: Plain | None) -> str | None:
    """value_text of an amount shown, read from the deal's own tuple `raw` when it is the deal's own."""
    if money is None:
        return None
    return money_text(raw) if raw is not None and money_of(raw) is money else value_text(money)


def _marked(row: Plain, name: str, text: str | None) -> str | None:
    """The text of a `readable` deal's amount or valuation, marked when the deal marks it inferred:
    with no other source (`readable`) the value shown is the deal's own."""
    return text + INFERRED if text is not None and name in row[_INFERRED] else text


def _each(row: Plain, name: str, texts: list[str]) -> list[str]:
    """The names of a deal's parties on one side, each marked when the deal marks the side inferred."""
    return [text + INFERRED for text in texts] if name in row[_INFERRED] and texts else texts


def row_of(row: Plain, told: Told, names: Mapping[str, str], matched: Match | None, cited: tuple[str, Any]) -> Row:
    """aiorg.queries.deals.deal_row of a `readable` deal, from its tuple and what its sources
    tell; `names` holds the display name of each of its parties, `cited` the source and quote it
    cites (`citation`)."""
    history = row[_HISTORY]
    latest = history[-1]
    date_text, when_text, dating = None, NOT_STATED, None
    for step in reversed(history):
        if step[_STEP_DATE] is not None:
            date_text, when_text, dating = *_when(step[_STEP_DATE]), step
            if "date" in step[_STEP_INFERRED]:
                when_text += INFERRED  # its steps' other sources repeat its date: no dispute note
            break
    amount, valuation, stake = told.shown
    superseded = row[_SUPERSEDED]
    amount_usd = to_usd(amount, _NO_RATES) if amount is not None else None
    implied = amount_usd * 100 / stake if valuation is None and amount_usd is not None and stake else None
    disputed = told.disputed
    matched_on, value, matched_text = (matched.on, matched.usd, matched.text) if matched else (None, None, None)
    notes = told.notes
    if matched_text is not None and any(name in row[_INFERRED] for name in MADE_OF[cast(str, matched_on)]):
        matched_text += INFERRED  # an inferred figure has no other source here (`readable`): the one matched
    if disputed:
        behind = [source for name in MADE_OF.get(matched_on or "", ()) for source in disputed.get(name, [])]
        if matched_text is not None and behind:
            matched_text += f" (disputed, {len(set(behind))} sources)"
    status = latest[_STEP_STATUS]
    source, quote = cited
    buyers, targets = row[_BUYERS], row[_TARGETS]
    every = "conditions" in row[_INFERRED]  # each condition an inference
    return {
        "deal": row[_ID],
        "title": row[_TITLE] + INFERRED if row[_TITLE] and "title" in row[_INFERRED] else row[_TITLE],
        "kind": row[_KIND],
        "status": status,
        "status_text": status_text(status, superseded, latest[_STEP_INFERRED], row[_INFERRED]),
        "buyers": buyers,
        "buyer_names": _each(row, "buyers", list(map(names.__getitem__, buyers))),
        "targets": targets,
        "target_names": _each(row, "targets", list(map(names.__getitem__, targets))),
        "people": row[_PEOPLE],
        "amount_usd": amount_usd,
        "amount": notes.get("amount") or _marked(row, "amount", _text(amount, row[_AMOUNT])),
        "currency": amount.currency if amount is not None else None,
        "valuation_usd": to_usd(valuation, _NO_RATES) if valuation is not None else None,
        "valuation": notes.get("valuation") or _marked(row, "valuation", _text(valuation, row[_VALUATION])),
        "implied_valuation_usd": implied,
        "stake_percent": stake,
        "date": date_text,
        "when": when_text,
        "conditions": [
            condition[_CONDITION_TEXT] + (INFERRED if every or "text" in condition[_CONDITION_INFERRED] else "")
            for condition in row[_CONDITIONS]
        ],
        "superseded_by": superseded,
        "matched_on": matched_on,
        "value_usd": value,
        "value": matched_text,
        "certainty": latest[_STEP_CERTAINTY],
        "disputed": list(disputed),
        "inferred": _inferred(row, told.shown, dating),
        "source": source,
        "sources": _sources(row),
        "quote": quote[0] if quote else "",
    }


def _inferred(row: Plain, shown: Figures, dating: Plain | None) -> list[str]:
    """aiorg.queries.deals.deal_row's `inferred` of a `readable` deal: the figures `shown` (its own,
    when one is inferred: `readable`), and the date of the step `dating` it."""
    latest = row[_HISTORY][-1]
    if not row[_INFERRED] and not latest[_STEP_INFERRED] and (dating is None or not dating[_STEP_INFERRED]):
        return []
    amount, valuation, stake = shown
    values = {"amount": amount, "valuation": valuation, "stake": stake, "date": dating and dating[_STEP_DATE]}
    return deal_inferred(_fields(row), _step_fields(latest), _step_fields(dating) if dating else None, values)


def _fields(row: Plain) -> Fields:
    """A deal's tuple as aiorg.queries.inferred reads a record: its amount and valuation as Money."""

    def value_of(name: str) -> Any:
        value = row[_DEAL_AT[name]]
        return money_or_none(value) if name in MONEY else value

    return row[_INFERRED], value_of


def _step_fields(step: Plain) -> Fields:
    return step[_STEP_INFERRED], lambda name: step[_STEP_AT[name]]
