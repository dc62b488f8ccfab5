"""What changed in one item of a record's list (a deal's step, a condition, another source's claim)
or in a record's provenance fields, told as a fact for the change feed's `summary`: "step asked
2025-04-11 to 2025-06: date now marked inferred", "claim from s2: end_cause advisor → founded".

Two versions of a list are matched item by item (a step by its status, source and date, or as
many of them as match; a condition by its text; a claim by its source), so a row names the one
item that changed and every field of it that differs, note, quote, `reported_by` and `inferred`
included: a row never reads the same before and after. `inferred` and `reported_by` are sets: an
item whose only difference is their order did not change. `plain` gives an item as a structured
value (a dict of its fields, as stored), for the row's `before` and `after`, which JSON and CSV
carry exactly.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from enum import Enum
from typing import Any

from aiorg.change_values import show
from aiorg.dates import FuzzyDate
from aiorg.model import Attestation, Condition, StatusEntry
from aiorg.money import Money

#: fields an added or removed item's row does not spell out (its text is in `plain`)
_UNTOLD = ("source", "quote", "note", "reported_by", "inferred", "also")
#: list fields that are sets: their order says nothing, so a reorder is no change
_SETS = ("inferred", "reported_by")


def plain(value: Any, exact: bool = False) -> Any:
    """A value as JSON carries it: an item as a dict of its stated fields (in the model's order),
    a date as its text ('2025-04-11..2025-06'), an amount as aiorg writes it ('$14.3B'; `exact`:
    its figure, currency and bound, as two amounts written alike may differ), a choice as its word."""
    if value is None or type(value) in (str, bool, int, float):
        return value
    if isinstance(value, FuzzyDate):
        return value.text
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Money) and not exact:
        return show(value)
    if isinstance(value, list):
        return [plain(v, exact) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        found = ((f.name, getattr(value, f.name)) for f in dataclasses.fields(value))
        return {name: plain(v, exact) for name, v in found if v is not None and v != []}
    return str(value)


def exact(value: Any) -> str:
    """A value as stored, in full (JSON text): for two values that read alike, so a row never
    reads the same before and after."""
    return json.dumps(plain(value, exact=True), ensure_ascii=False)


def pair_items(old: Sequence[Any], new: Sequence[Any]) -> list[tuple[Any | None, Any | None]]:
    """The items of two versions of a list matched up: (old, new) for an item in both, (None, new)
    for one added, (old, None) for one removed; in the new list's order, the removed ones last.
    Items are matched on their most telling key first (`_keys`): of two rumours of one deal, the
    one still there keeps its own date and source, and the other is the one removed."""
    left: list[Any | None] = list(old)
    left_keys = [_keys(was) for was in old]
    new_keys = [_keys(item) for item in new]
    matched: list[Any | None] = [None] * len(new)
    for tier in range(max(map(len, left_keys + new_keys), default=0)):
        for at, keys in enumerate(new_keys):
            if matched[at] is not None or tier >= len(keys):
                continue
            for i, was in enumerate(left_keys):
                if left[i] is not None and tier < len(was) and was[tier] == keys[tier]:
                    matched[at], left[i] = left[i], None
                    break
    pairs: list[tuple[Any | None, Any | None]] = list(zip(matched, new, strict=True))
    return pairs + [(was, None) for was in left if was is not None]


def changed_pairs(old: Sequence[Any], new: Sequence[Any]) -> list[tuple[Any | None, Any | None]]:
    """`pair_items`, less the items in both that differ in nothing a reader is told (only the order
    of their `inferred` or `reported_by`)."""
    return [(a, b) for a, b in pair_items(old, new) if a is None or b is None or differences(a, b)]


def _keys(item: Any) -> tuple[Any, ...]:
    """What an item is, across versions, most telling first: a step by its status, source and date,
    then its status and source, its status and date, its status alone; a condition by its text
    and source, then its text; a claim by its source."""
    if isinstance(item, StatusEntry):
        status, source, date = item.status, item.source, item.date
        return ((status, source, date), (status, source), (status, date), (status,))
    if isinstance(item, Condition):
        return ((item.text, item.source), (item.text,))
    if isinstance(item, Attestation):
        return (item.source,)
    return (type(item),)


def item_name(item: Any, dated: bool = True) -> str:
    """How a row names an item: "step asked 2025-04-11 to 2025-06" (`dated`: with its date),
    "condition 'stay two years'", "claim from s2"."""
    if isinstance(item, StatusEntry):
        when = (item.date.describe() if item.date is not None else "undated") if dated else ""
        return f"step {item.status.value} {when}".rstrip()
    if isinstance(item, Condition):
        return f"condition {_quoted(item.text)}"
    if isinstance(item, Attestation):
        return f"claim from {item.source}"
    return "item"


def item_change(old: Any | None, new: Any | None) -> str:
    """An item added, removed or changed, as a fact: "step offered by 2025-06: note added: '…'"."""
    if old is None or new is None:
        item: Any = new if new is not None else old
        told = [f"{name} {text}" for name, f in _fields(item) if (text := _text(getattr(item, name), f))]
        if getattr(item, "inferred", None):
            told.append(f"{_and(item.inferred)} inferred")
        details = f" ({'; '.join(told)})" if told else ""
        return f"{item_name(item)} {'added' if old is None else 'removed'}{details}"
    dated = not isinstance(new, StatusEntry) or old.date == new.date  # else the date's change says it
    return f"{item_name(new, dated)}: {'; '.join(differences(old, new))}"


def _fields(item: Any) -> list[tuple[str, dataclasses.Field[Any]]]:
    """The fields an added or removed item's row spells out: not what its name says."""
    named = {StatusEntry: ("status", "date"), Condition: ("text",)}.get(type(item), ())
    return [(f.name, f) for f in dataclasses.fields(item) if f.name not in _UNTOLD and f.name not in named]


def differences(old: Any, new: Any) -> list[str]:
    """Every field of two versions of an item that differs, each as a phrase; none when only the
    order of a set (`inferred`, `reported_by`) differs."""
    found: list[str] = []
    for item in dataclasses.fields(new):
        was, now = getattr(old, item.name), getattr(new, item.name)
        if not unchanged(item.name, was, now):
            found += field_phrases(item.name, was, now, item)
    return found


def unchanged(name: str, was: Any, now: Any) -> bool:
    """Whether two values of field `name` say the same: equal, or the same set of names in another
    order for a field that is a set (`inferred`, `reported_by`), whose order says nothing."""
    if was == now:
        return True
    return name in _SETS and set(was or []) == set(now or [])


def field_phrases(name: str, was: Any, now: Any, item: dataclasses.Field[Any] | None = None) -> list[str]:
    """What a change of one field says: "date now marked inferred", "now credited to cnbc", "note
    added: '…'", "quote adds '…'", "certainty reported → confirmed"."""
    was_list, now_list = isinstance(was, list) or was is None, isinstance(now, list) or now is None
    if was_list and now_list and (was or now):
        before, after = list(was or []), list(now or [])
        gained, lost = [v for v in after if v not in before], [v for v in before if v not in after]
        if any(dataclasses.is_dataclass(v) for v in before + after):
            return [item_change(a, b) for a, b in changed_pairs(lost, gained)]
        if name == "inferred":
            return [
                f"{_and(v)} {verb}"
                for v, verb in ((gained, "now marked inferred"), (lost, "no longer marked inferred"))
                if v
            ]
        if name == "reported_by":
            return [
                f"{verb} {_and(v)}" for v, verb in ((gained, "now credited to"), (lost, "no longer credited to")) if v
            ]
        told = [f"{name} {verb} {', '.join(map(_quoted, v))}" for v, verb in ((gained, "adds"), (lost, "drops")) if v]
        return told or [f"{name} reordered: {exact(before)} → {exact(after)}"]
    if name == "note" and (was is None or now is None):
        return [f"note added: {_quoted(now)}" if was is None else f"note removed (was {_quoted(was)})"]
    before_text, after_text = _text(was, item), _text(now, item)
    if before_text == after_text:  # two values written alike ($14.3B and $14.30001B): both as stored
        before_text, after_text = exact(was), exact(now)
    return [f"{name} {before_text or 'not stated'} → {after_text or 'not stated'}"]


def _text(value: Any, item: dataclasses.Field[Any] | None = None) -> str | None:
    """A value as a phrase writes it: a date as people read it, text in quotes, a list joined."""
    if value is None or value == []:
        return None
    if isinstance(value, FuzzyDate):
        return value.describe()
    if type(value) is str:  # not a choice (a StrEnum): 'certainty reported → confirmed'
        return _quoted(value)
    if isinstance(value, list) and all(type(v) is str for v in value):
        return ", ".join(map(_quoted, value))
    return show(value, item)


def _quoted(text: str) -> str:
    return f"'{text}'"


def _and(names: list[str]) -> str:
    """'date', 'date and status', 'date, status and certainty'."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
