"""How the change feed writes a field: a value as the record stores it (`show`), and, for a record
with `also` claims (more sources, aiorg.claims), each field as the listings show it.

A record with `also` claims in either of two versions is compared as the listings show it: for
each field a source may state differently, the value shown first (by the rule of aiorg.claims,
each version's claims ranked by that version's sources) and whether it is disputed. When either
changed, the field's row says what a listing now shows ("now ends in 'advisor | left (disputed,
2 sources)' (was 'left')") and cites the sources whose claims on the field changed. Another
value of a field that stays disputed with the same value first is left to the `also` row.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from enum import Enum
from functools import cache
from typing import Any

from aiorg.claims import dispute_note, ranked, shown_value, sources_of, statements, value_text
from aiorg.dates import FuzzyDate
from aiorg.model import DISPUTABLE, RECORD_KINDS, Attestation, Record, Source
from aiorg.money import Money

Lookup = Callable[[str], Record | None]
SourceLookup = Callable[[str], Source | None]
#: (before, after, source to cite) of a field whose row says what the listings show
Shown = tuple[str | None, str | None, str | None]


def show(value: Any, item: dataclasses.Field[Any] | None = None) -> str | None:
    """A field's value as text: an amount as aiorg writes it, a stake as a percentage, a list of
    steps one after another."""
    if type(value) is str:  # most values: checked first
        return value
    if value is None or value == []:
        return None
    if isinstance(value, float):
        number = value_text(value)
        return f"{number}%" if item is not None and item.metadata.get("percent") else number
    if isinstance(value, Money | FuzzyDate | Enum | bool):
        return value_text(value)
    if isinstance(value, list):
        return "; ".join(shown for v in value if (shown := show(v)) is not None)
    if dataclasses.is_dataclass(value):
        parts = [f"{f.name}={part}" for f in _shown_fields(type(value)) if (part := show(getattr(value, f.name), f))]
        return "(" + ", ".join(parts) + ")"
    return str(value)


def _shown_fields(cls: Any) -> tuple[dataclasses.Field[Any], ...]:
    """The fields `show` writes of an item in a list (a step, a condition): not its quote or notes."""
    found = _SHOWN_FIELDS.get(cls)
    if found is None:
        skipped = ("quote", "note", "reported_by", "inferred")
        found = _SHOWN_FIELDS[cls] = tuple(f for f in dataclasses.fields(cls) if f.name not in skipped)
    return found


_SHOWN_FIELDS: dict[Any, tuple[dataclasses.Field[Any], ...]] = {}


def ranking_ids(record: Record) -> set[str]:
    """The sources whose kind and day rank a record's claims (aiorg.claims.ranked): every source
    it cites, when it has `also` claims (none is needed otherwise)."""
    return set(sources_of(record)) if getattr(record, "also", None) else set()


def shown_changes(old: Record, new: Record, then: Lookup, now: Lookup, own: str | None) -> dict[str, Shown]:
    """The fields of two versions of a record (`then`, `now`: records at each revision, for its
    sources) whose value shown first, or whether it is disputed, differs; empty when neither
    version has `also` claims. A row cites the sources whose claims on the field changed, else
    those whose claims on another field did (a spell `current: true` hides its end), else the
    source of the value shown first (the sources were ranked anew), else `own`."""
    if not (getattr(old, "also", None) or getattr(new, "also", None)):
        return {}
    earlier, later = _sources(then), _sources(now)
    found: dict[str, Shown] = {}
    for name, item in _disputable(new.KIND):
        (was_first, before), (first_now, after) = _shown(old, name, item, earlier), _shown(new, name, item, later)
        if was_first == first_now:
            continue
        changed = _changed_sources(old, new, name) or _changed_sources(old, new, None)
        first = ranked(statements(new, name), later) or ranked(statements(old, name), earlier)
        found[name] = (before, after, "; ".join(changed) or (first[0].source if first else own))
    return found


def _changed_sources(old: Record, new: Record, name: str | None) -> list[str]:
    """The sources whose word on field `name` (None: on any field) differs between two versions
    (not a spell's end read as `current: false`, which no source said)."""
    said = [
        {(c.field, c.source, value_text(c.value)) for c in statements(r, name) if not c.implied} for r in (old, new)
    ]
    return sorted({source for _, source, _ in said[0] ^ said[1]})


def told(item: Any, shown: dict[str, Shown] | None) -> bool:
    """Whether every value an `also` item states is in a field of `shown` (whose rows say it)."""
    if not shown or not isinstance(item, Attestation):
        return False
    stated = [name for name in DISPUTABLE if getattr(item, name) is not None]
    return bool(stated) and all(name in shown for name in stated)


@cache
def _disputable(kind: str) -> tuple[tuple[str, dataclasses.Field[Any]], ...]:
    """(name, field) of each of a kind's fields that a source may state differently."""
    return tuple((f.name, f) for f in dataclasses.fields(RECORD_KINDS[kind]) if f.name in DISPUTABLE)


def _sources(lookup: Lookup) -> SourceLookup:
    """The source records `lookup` finds, for ranking claims."""
    return lambda i: found if isinstance(found := lookup(i), Source) else None


def _shown(
    record: Record, name: str, item: dataclasses.Field[Any], source_of: SourceLookup
) -> tuple[tuple[str | None, bool], str | None]:
    """A field as a listing shows it: (the value shown first, whether it is disputed), and as
    text: that value, or every value in the order shown when sources disagree ("advisor | left
    (disputed, 2 sources)"); None when none is shown."""
    value = shown_value(record, name, source_of)
    if value is None:
        return (None, False), None
    claims = statements(record, name)
    first = show(value, item)
    if len({value_text(claim.value) for claim in claims}) > 1:
        return (first, True), dispute_note(claims, source_of, lambda v: show(v, item) or "")
    return (first, False), first
