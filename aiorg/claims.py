"""Every claim a record carries, which sources disagree, and which value is shown first.

A record states its fields on the word of its own `source`; each item of its `also` list is
one more source, with its own quote, that may state some fields differently (model.Attestation).
Nothing is overwritten: `statements` lists every (field, value, source) there is.

The value shown first for a disputed field follows one documented rule (README, "When sources
disagree"):
1. a source marked `preferred:` (an explicit choice in the data, with its reason) wins;
2. else the source of the weightiest kind: filing > official statement > interview > article >
   social post (a source with no kind counts as an article);
3. else the most recently published source (an undated one counts as the oldest);
4. else the record's own source.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from typing import Any

from aiorg.dates import FuzzyDate
from aiorg.model import DISPUTABLE, Source, SourceKind
from aiorg.money import Money

#: how much a kind of source weighs when sources disagree: a lower number wins
KIND_RANK: dict[SourceKind | None, int] = {
    SourceKind.FILING: 0,
    SourceKind.OFFICIAL_STATEMENT: 1,
    SourceKind.INTERVIEW: 2,
    SourceKind.ARTICLE: 3,
    None: 3,
    SourceKind.SOCIAL_POST: 4,
}


@dataclass(frozen=True, slots=True)
class Statement:
    """One source's word on one field of a record."""

    field: str
    value: Any
    source: str
    quote: tuple[str, ...]
    preferred: str | None  # the reason, when the data makes this the value shown first
    own: bool  # the record's own source (not an `also` item)
    implied: bool = False  # `current: false` read from a source that ends the spell (see `statements`)


def value_text(value: Any) -> str:
    """A claimed value as people read it, and as two claims are compared: '$14.3B', '2024-09', 'left'."""
    if isinstance(value, Money):
        return _describe(value)
    if isinstance(value, FuzzyDate):
        return value.text
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


@lru_cache(maxsize=1 << 14)  # amounts repeat across a listing's claims: "$14.3B"
def _describe(money: Money) -> str:
    return money.describe()


def statements(record: Any, only: str | None = None) -> list[Statement]:
    """Every claim on a record's disputable fields (on field `only`, when given): its own value
    first, then each `also` item's. When one source says a role spell is ongoing and another
    ends it (`state_disputed`), a source that ends it without saying so is counted as saying
    `current: false`, so that the disagreement is a disputed field like any other."""
    found: list[Statement] = []
    fields = [name for name in DISPUTABLE if hasattr(record, name) and (only is None or name == only)]
    implied = "current" in fields and state_disputed(record)
    for name in fields:
        for item, own in ((record, True), *((item, False) for item in getattr(record, "also", ()))):
            value = getattr(item, name)
            inferred = value is None and implied and name == "current" and _ends(item)
            if inferred:
                value = False
            if value is not None:
                preferred = None if own else item.preferred
                found.append(Statement(name, value, item.source, tuple(item.quote), preferred, own, inferred))
    return found


def _ends(told: Any) -> bool:
    """Whether a record or `also` item says its role spell ended (a date, a cause, or not current)."""
    return told.end is not None or told.end_cause is not None or told.current is False


def state_disputed(record: Any) -> bool:
    """Whether one source says a role spell is ongoing (`current: true`) and another ends it."""
    if not hasattr(record, "current") or not getattr(record, "also", None):
        return False
    told = [record, *record.also]
    # another item's word: one that says both (refused by the loader) disputes nothing
    return any(item.current is True for item in told) and any(_ends(i) for i in told if i.current is not True)


def disputes(record: Any) -> dict[str, list[Statement]]:
    """The fields on which a record's sources give different values, with every claim on each."""
    if not getattr(record, "also", None):  # one source gives one value per field: nothing to dispute
        return {}
    return disputed_in([(statement, value_text(statement.value)) for statement in statements(record)])


def disputed_in(said: Iterable[tuple[Statement, str]]) -> dict[str, list[Statement]]:
    """`disputes` of claims whose values are written already ((claim, value_text of its value)):
    the fields on which they give different texts, with every claim on each."""
    by_field: dict[str, list[Statement]] = {}
    texts: dict[str, set[str]] = {}
    for claim, text in said:
        by_field.setdefault(claim.field, []).append(claim)
        texts.setdefault(claim.field, set()).add(text)
    return {name: claims for name, claims in by_field.items() if len(texts[name]) > 1}


def any_disputed(record: Any) -> bool:
    """Whether `disputes` finds any field disputed, without building its claims: the first field
    two sources give different values ends the search (an export asks it of every record)."""
    also = getattr(record, "also", None)
    if not also:
        return False
    if state_disputed(record):  # `current: true` against an end: `current` is disputed
        return True
    for name in DISPUTABLE:
        if not hasattr(record, name):
            continue
        first: str | None = None
        for item in (record, *also):
            value = getattr(item, name)
            if value is None:
                continue
            text = value_text(value)
            if first is None:
                first = text
            elif text != first:
                return True
    return False


def sources_of(record: Any) -> list[str]:
    """Every source a record cites, its own first, each once."""
    return list(dict.fromkeys([record.source, *(item.source for item in getattr(record, "also", ()))]))


SourceLookup = Callable[[str], Source | None]

#: the fields a role spell that is shown as ongoing does not show
_ENDING = ("end", "end_cause")


def ranked(claims: Iterable[Statement], source_of: SourceLookup) -> list[Statement]:
    """Claims in the order the rule shows them: the first is the value shown first."""

    def key(claim: Statement) -> tuple[int, int, int, int]:
        source = source_of(claim.source)
        kind = source.kind if source is not None else None
        published = source.published if source is not None else None
        day = (published.latest or published.earliest) if published is not None else None
        newest_first = -day.toordinal() if day is not None else 0  # undated counts as the oldest
        return (0 if claim.preferred else 1, KIND_RANK[kind], newest_first, 0 if claim.own else 1)

    return sorted(claims, key=key)


def told_by(record: Any, claim: Statement) -> Any:
    """The record itself (`claim.own`), or the `also` item that makes this claim: the first of
    that source's items giving the claim's value (the loader refuses an item citing the record's
    own source, but not two items of one other source)."""
    if claim.own:
        return record
    items = [item for item in record.also if item.source == claim.source]
    saying = (_ends(item) if claim.implied else getattr(item, claim.field) == claim.value for item in items)
    return next((item for item, says in zip(items, saying, strict=True) if says), items[0])


#: any value, for `cited`
_ANY = object()


def cited(record: Any, name: str, source_of: SourceLookup, value: Any = _ANY) -> Statement | None:
    """The claim to cite for a record's field `name` (giving `value`, when one is given): the word
    of the first source, by the rule of the value shown first, among those that give it, when that
    is another source than the record's own (one the record's own source does not state, or a
    value shown first that is another source's). None when it is the record's own source, or
    nobody gives that value."""
    if not getattr(record, "also", None):
        return None
    saying = [claim for claim in statements(record, name) if value is _ANY or claim.value == value]
    if not saying:
        return None
    first = ranked(saying, source_of)[0]
    return None if first.own else first


def shown_value(record: Any, name: str, source_of: SourceLookup) -> Any:
    """The value of a record's field shown first (its own when nobody disagrees). A role spell
    whose sources disagree on whether it is ongoing and that is shown as ongoing shows no end."""
    if not getattr(record, "also", None):  # one source: its own value (most records; hot in flows)
        return getattr(record, name, None)
    if name in _ENDING and state_disputed(record) and shown_value(record, "current", source_of) is True:
        return None
    claims = statements(record, name)
    if not claims:
        return getattr(record, name, None)
    if len({value_text(claim.value) for claim in claims}) == 1:
        return claims[0].value
    return ranked(claims, source_of)[0].value


def claimed_values(record: Any, name: str) -> list[Any]:
    """Every value any source gives a field, the record's own first, each once."""
    values: dict[str, Any] = {}
    for claim in statements(record, name):
        values.setdefault(value_text(claim.value), claim.value)
    return list(values.values())


def described(value: Any) -> str:
    """A claimed value as a listing writes it: a date as people read it ('by 2024-10', not '..2024-10')."""
    return value.describe() if isinstance(value, FuzzyDate) else value_text(value)


def dispute_note(claims: list[Statement], source_of: SourceLookup, show: Callable[[Any], str] = value_text) -> str:
    """'left | advisor (disputed, 2 sources)': the values in the order shown, each written by
    `show` (`described` for a date a listing shows: '2024-09 | by 2024-10'), and how many sources."""
    values: dict[str, str] = {}
    for claim in ranked(claims, source_of):
        values.setdefault(value_text(claim.value), show(claim.value))
    count = len({claim.source for claim in claims})
    return f"{' | '.join(values.values())} (disputed, {count} sources)"
