"""What a deal's sources tell, read straight from the store's checksummed record tuple (aiorg.codec's
layout) without decoding it into model objects: most of a large listing's cost.

A deal whose steps' other sources repeat the steps' values, and whose own other sources give
no value to its derived date, is read here (`readable`): which of its fields are disputed and
by whom, the figures shown first (aiorg.claims' rule) and every version of its figures that a
money filter tries (aiorg.queries.common.versions) come from its tuple (`told`), and so does its
row (aiorg.queries.deal_tuple_rows). Any other deal goes through aiorg.queries.deals' decoded
path; tests/test_deals_tuples.py checks on random knowledge bases that both paths give the same
rows. The figures a money filter matches are aiorg.queries.deal_match's.
"""

from __future__ import annotations

import itertools
import marshal
from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple, cast

from aiorg import codec
from aiorg.claims import SourceLookup, Statement, dispute_note, ranked, value_text
from aiorg.model import DISPUTABLE, Attestation, Deal, StatusEntry
from aiorg.money import Bound, Money
from aiorg.queries.deal_match import FIGURES, Figures

Plain = tuple[Any, ...]  # a record's codec tuple


def _at(cls: type, name: str) -> int:
    return codec.field_index(cls, name)


# where the codec tuples keep what a deal's sources tell
_SOURCE, _ALSO, _ID = (_at(Deal, n) for n in ("source", "also", "id"))
_AMOUNT, _VALUATION, _STAKE = (_at(Deal, n) for n in ("amount", "valuation", "stake"))
_HISTORY, _INFERRED, _STEP_ALSO = _at(Deal, "history"), _at(Deal, "inferred"), _at(StatusEntry, "also")
_ITEM_SOURCE, _ITEM_PREFERRED = _at(Attestation, "source"), _at(Attestation, "preferred")


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


#: the figures that are money (not a percentage)
MONEY = ("amount", "valuation")


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
    money = name in MONEY
    decode, text = (money_or_none, money_text) if money else (_plain, value_text)
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
    own: Figures = (money_or_none(row[_AMOUNT]), money_or_none(row[_VALUATION]), row[_STAKE])
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


def money_or_none(value: Plain | None) -> Money | None:
    """A Money from its tuple, or None where there is none."""
    return money_of(value) if value is not None else None


@cache
def money_of(value: Plain) -> Money:
    """A Money from its tuple (as the codec and aiorg.queries.deal_versions keep it)."""
    return Money(value[0], value[1], Bound(value[2]), value[3])


@cache
def money_text(value: Plain) -> str:
    """value_text of an amount's tuple."""
    return value_text(money_of(value))


def deal_id(row: Plain) -> str:
    """A deal's id, read from its tuple."""
    return cast(str, row[_ID])
