"""Deal rows straight from the store's checksummed record tuples (aiorg.codec's layout), without
decoding them into model objects: most of a large listing's cost.

A deal whose steps' other sources repeat the steps' values, and whose own other sources give
no value to its derived date, is read here (`readable`): which of its fields are disputed and
by whom, the figures shown first (aiorg.claims' rule) and every version of its figures that a
money filter tries (aiorg.queries.common.versions) come from its tuple, and so does its row.
Any other deal goes through aiorg.queries.deals' decoded path; tests/test_deals_tuples.py
checks on random knowledge bases that both paths give the same rows. The figures a money filter
matches are aiorg.queries.deal_match's.
"""

from __future__ import annotations

import itertools
import marshal
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple, cast

from aiorg import codec
from aiorg.claims import SourceLookup, Statement, dispute_note, ranked, value_text
from aiorg.dates import NOT_STATED, FuzzyDate
from aiorg.model import DISPUTABLE, Attestation, Condition, Deal, StatusEntry
from aiorg.money import Bound, Money, to_usd
from aiorg.queries.common import INFERRED, Row, Window
from aiorg.queries.deal_match import FIGURES, MADE_OF, Figures, Match, money_claim
from aiorg.queries.deal_match import every_match as every_match  # aiorg.serve.tables still imports it from here
from aiorg.queries.inferred import Fields, deal_inferred, status_text

Plain = tuple[Any, ...]  # a record's codec tuple


def _at(cls: type, name: str) -> int:
    return codec.field_index(cls, name)


# where the codec tuples keep what a row reads
_SOURCE, _ALSO, _ID, _KIND, _TITLE = (_at(Deal, n) for n in ("source", "also", "id", "kind", "title"))
_BUYERS, _TARGETS, _PEOPLE = (_at(Deal, n) for n in ("buyers", "targets", "people"))
_AMOUNT, _VALUATION, _STAKE = (_at(Deal, n) for n in ("amount", "valuation", "stake"))
_HISTORY, _CONDITIONS, _SUPERSEDED = (_at(Deal, n) for n in ("history", "conditions", "superseded_by"))
_STEP_SOURCE, _STEP_QUOTE, _STEP_ALSO = (_at(StatusEntry, n) for n in ("source", "quote", "also"))
_STEP_DATE, _STEP_STATUS, _STEP_CERTAINTY = (_at(StatusEntry, n) for n in ("date", "status", "certainty"))
_INFERRED, _STEP_INFERRED = _at(Deal, "inferred"), _at(StatusEntry, "inferred")
_CONDITION_SOURCE, _CONDITION_ALSO, _CONDITION_TEXT = (_at(Condition, n) for n in ("source", "also", "text"))
_CONDITION_INFERRED = _at(Condition, "inferred")
#: where a deal's and a step's tuple keep each field, by name (for aiorg.queries.inferred)
_DEAL_AT = {name: at for at, name in enumerate(codec.field_names(Deal))}
_STEP_AT = {name: at for at, name in enumerate(codec.field_names(StatusEntry))}
_ITEM_SOURCE = _at(Attestation, "source")


def _checks(cls: type) -> tuple[tuple[str, int, int | None], ...]:
    """(name, position in an `also` item, position in the record's tuple) of each field a source
    of a record of this type may state differently (aiorg.claims.statements); None where the
    record's value is not in its tuple (a deal's derived date)."""
    fields = codec.field_names(cls)
    return tuple(
        (name, _at(Attestation, name), fields.index(name) if name in fields else None)
        for name in DISPUTABLE
        if hasattr(cls, name)
    )


_DEAL_CHECKS = _checks(Deal)
_STEP_CHECKS = _checks(StatusEntry)
#: the disputable fields a deal's tuple holds (not its derived date), in aiorg.claims' order
_DEAL_FIELDS = tuple((name, there, here) for name, there, here in _DEAL_CHECKS if here is not None)
#: where an `also` item keeps the values it gives a deal's derived fields (its date)
_DERIVED = tuple(there for _, there, here in _DEAL_CHECKS if here is None)
_ITEM_QUOTE, _ITEM_PREFERRED = _at(Attestation, "quote"), _at(Attestation, "preferred")
_ITEM_AMOUNT, _ITEM_VALUATION = _at(Attestation, "amount"), _at(Attestation, "valuation")
_QUOTE = _at(Deal, "quote")


def _repeats(items: list[Plain], own: Plain, checks: tuple[tuple[str, int, int | None], ...]) -> bool:
    """Whether every value these `also` items state is the record's own value, exactly."""
    for item in items:
        for _, there, here in checks:
            value = item[there]
            if value is not None and (here is None or value != own[here]):
                return False
    return True


def _steps_agree(row: Plain) -> bool:
    return all(not step[_STEP_ALSO] or _repeats(step[_STEP_ALSO], step, _STEP_CHECKS) for step in row[_HISTORY])


def readable(row: Plain) -> bool:
    """Whether `told` can read this deal's tuple: its steps' other sources repeat the steps' values,
    its own other sources state none of its derived fields (its date), and it has no other source
    when a figure of it (amount, valuation, stake) is inferred: its row marks the deal's own value."""
    if row[_ALSO] and any(name in FIGURES for name in row[_INFERRED]):
        return False
    return _steps_agree(row) and all(item[there] is None for item in row[_ALSO] for there in _DERIVED)


_MONEY = ("amount", "valuation")


@dataclass(frozen=True, slots=True)
class Told:
    """What a deal's sources tell, read from its tuple: the disputed fields with the source of
    each claim on them (aiorg.queries.deals.deal_disputes), the figures shown (amount, valuation,
    stake: aiorg.queries.common.shown_version), every version of them, the shown one first, and
    the dispute notes of a disputed amount and valuation (aiorg.claims.dispute_note)."""

    disputed: dict[str, list[str]]
    shown: Figures
    versions: list[Figures]
    notes: dict[str, str]


#: a claim as `_field` reads it: (its value's tuple, source, preferred, own)
_Claim = tuple[Any, str, str | None, bool]


class _Field(NamedTuple):
    """What the sources of a deal tell about one of its fields (see Told)."""

    sources: list[str] | None  # each claim's source, when their values disagree
    note: str | None  # the dispute note, of a disputed amount or valuation
    options: tuple[Any, list[Any]] | None  # the value shown first and every value, when there are two


class Ranks:
    """What the claims on a field tell (`_field`), for one listing on the word of `source_of`: worked
    out once for each set of claims (their values, of the same types, sources and order), since
    most deals' disagreements repeat ('$2B' in one article, '$3B' in a filing)."""

    def __init__(self, source_of: SourceLookup) -> None:
        self.source_of = source_of
        self._known: dict[bytes, _Field] = {}

    def field(self, name: str, raw: Any, claims: list[_Claim]) -> _Field:
        """`_field` of a deal's own value of a field (its tuple) and the claims on it."""
        # marshal's version 2 writes a value's type and every bit (0.0 is not -0.0, 1 is not 1.0) and no
        # back-references: equal bytes, equal claims.
        key = marshal.dumps((name, raw, claims), 2)
        found = self._known.get(key)
        if found is None:
            found = self._known[key] = _field(name, raw, claims, self.source_of)
        return found


def _field(name: str, raw: Any, said: list[_Claim], source_of: SourceLookup) -> _Field:
    """What the claims on a field tell: `said` holds each claim's (value's tuple, source, preferred,
    own), the deal's own first; `raw` is the deal's own value (None too). Quotes are left out of
    the claims: neither the ranking nor a dispute note reads them."""
    money = name in _MONEY
    decode, text = (_value, _money_text) if money else (_plain, value_text)
    claims = [Statement(name, decode(value), source, (), preferred, own) for value, source, preferred, own in said]
    values = [raw]  # as tuples: two equal tuples are equal values
    for value, _, _, own in said:
        if not own and all(value != old for old in values):  # aiorg.queries.common._options
            value_shown = text(value)
            if all(old is None or text(old) != value_shown for old in values):
                values.append(value)
    disputed = len({text(value) for value, *_ in said}) > 1
    return _Field(
        [claim.source for claim in claims] if disputed else None,
        dispute_note(claims, source_of) if disputed and money else None,
        (_shown(claims, source_of), [decode(value) for value in values]) if len(values) > 1 else None,
    )


def told(row: Plain, ranks: Ranks) -> Told:
    """What a `readable` deal's sources tell (see Told)."""
    also = row[_ALSO]
    own: Figures = (_value(row[_AMOUNT]), _value(row[_VALUATION]), row[_STAKE])
    if not also or _repeats(also, row, _DEAL_CHECKS):
        return Told({}, own, [own], _NO_NOTES)
    disputed: dict[str, list[str]] = {}
    options: dict[str, tuple[Any, list[Any]]] = {}
    notes: dict[str, str] = {}
    for name, there, here in _DEAL_FIELDS:
        raw = row[here]
        for item in also:
            value = item[there]
            if value is not None and value != raw:
                break
        else:
            continue  # every other source repeats the deal's value: one value, one claim text
        said: list[_Claim] = [(raw, row[_SOURCE], None, True)] if raw is not None else []
        said += [
            (item[there], item[_ITEM_SOURCE], item[_ITEM_PREFERRED], False) for item in also if item[there] is not None
        ]
        field = ranks.field(name, raw, said)
        if field.sources is not None:
            disputed[name] = field.sources
        if field.note is not None:
            notes[name] = field.note
        if field.options is not None:
            options[name] = field.options
    if not options:
        return Told(disputed, own, [own], notes)
    pairs = list(zip(FIGURES, own, strict=True))
    shown = cast(Figures, tuple(options[name][0] if name in options else mine for name, mine in pairs))
    choices = [options[name][1] if name in options else [mine] for name, mine in pairs]
    versions = [cast(Figures, combo) for combo in itertools.product(*choices)]
    return Told(disputed, shown, [shown, *(version for version in versions if version != shown)], notes)


_NO_NOTES: dict[str, str] = {}


def _shown(claims: list[Statement], source_of: SourceLookup) -> Any:
    """aiorg.claims.shown_value of a field with claims whose values differ (at least one)."""
    if len({value_text(claim.value) for claim in claims}) == 1:
        return claims[0].value
    return ranked(claims, source_of)[0].value


def _plain(value: Any) -> Any:
    return value


def _value(value: Plain | None) -> Money | None:
    return money_of(value) if value is not None else None


@cache
def money_of(value: Plain) -> Money:
    """A Money from its tuple (as the codec and aiorg.queries.deal_versions keep it)."""
    return Money(value[0], value[1], Bound(value[2]), value[3])


@cache
def _money_text(value: Plain) -> str:
    """value_text of an amount's tuple."""
    return value_text(money_of(value))


@cache
def _date(text: str) -> FuzzyDate:
    return FuzzyDate.parse(text)


@cache
def _when(text: str) -> tuple[str, str]:
    day = _date(text)
    return day.text, day.describe()


def deal_id(row: Plain) -> str:
    """A deal's id, read from its tuple."""
    return cast(str, row[_ID])


def parties(row: Plain) -> list[str]:
    """A deal's buyers and targets, whose names its row shows."""
    return [*row[_BUYERS], *row[_TARGETS]]


def _money_claims(row: Plain, name: str) -> list[Statement]:
    """aiorg.claims.statements of a deal's amount or valuation, read from its tuple."""
    here, there = (_AMOUNT, _ITEM_AMOUNT) if name == "amount" else (_VALUATION, _ITEM_VALUATION)
    found = []
    if row[here] is not None:
        found.append(Statement(name, _value(row[here]), row[_SOURCE], tuple(row[_QUOTE]), None, True))
    for item in row[_ALSO]:
        if item[there] is not None:
            value = _value(item[there])
            found.append(
                Statement(name, value, item[_ITEM_SOURCE], tuple(item[_ITEM_QUOTE]), item[_ITEM_PREFERRED], False)
            )
    return found


def citation(row: Plain, told: Told, cite: tuple[str, Money] | None, source_of: SourceLookup) -> tuple[str, Any]:
    """(source, quote) a deal row cites: the first source giving the money it leads with
    (`money_cited`) when that money is disputed or only another source states it; else its
    latest step's."""
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
    return _money_text(raw) if raw is not None and money_of(raw) is money else value_text(money)


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
        return _value(value) if name in _MONEY else value

    return row[_INFERRED], value_of


def _step_fields(step: Plain) -> Fields:
    return step[_STEP_INFERRED], lambda name: step[_STEP_AT[name]]
