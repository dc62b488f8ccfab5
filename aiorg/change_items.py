"""What changed in one item of a record's list (a deal's step, a condition, another source's claim)
or in a record's provenance fields, told as a fact for the change feed's `summary`: "step asked
2025-04-11 to 2025-06: date now marked inferred", "claim from s2: end_cause advisor → founded".

Two versions of a list are matched item by item (a step by its status, a condition by its text, a
claim by its source), so a row names the one item that changed and every field of it that
differs, note, quote, `reported_by` and `inferred` included: a row never reads the same before and
after. `plain` gives an item as a structured value (a dict of its fields, as stored), for the
row's `before` and `after`, which JSON and CSV carry exactly.
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
    for one added, (old, None) for one removed; in the new list's order, the removed ones last."""
    left = list(old)
    pairs: list[tuple[Any | None, Any | None]] = []
    for item in new:
        at = next((i for i, was in enumerate(left) if _key(was) == _key(item)), None)
        pairs.append((None if at is None else left.pop(at), item))
    return pairs + [(was, None) for was in left]


def _key(item: Any) -> Any:
    """What an item is, across versions: a step's status, a condition's text, a claim's source."""
    if isinstance(item, StatusEntry):
        return item.status
    if isinstance(item, Condition):
        return item.text
    if isinstance(item, Attestation):
        return item.source
    return type(item)


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
    """Every field of two versions of an item that differs, each as a phrase."""
    found: list[str] = []
    for item in dataclasses.fields(new):
        was, now = getattr(old, item.name), getattr(new, item.name)
        if was != now:
            found += field_phrases(item.name, was, now, item)
    return found or ["changed"]  # unreachable: two items that differ differ in a field


def field_phrases(name: str, was: Any, now: Any, item: dataclasses.Field[Any] | None = None) -> list[str]:
    """What a change of one field says: "date now marked inferred", "now credited to cnbc", "note
    added: '…'", "quote adds '…'", "certainty reported → confirmed"."""
    was_list, now_list = isinstance(was, list) or was is None, isinstance(now, list) or now is None
    if was_list and now_list and (was or now):
        before, after = list(was or []), list(now or [])
        gained, lost = [v for v in after if v not in before], [v for v in before if v not in after]
        if any(dataclasses.is_dataclass(v) for v in before + after):
            return [item_change(a, b) for a, b in pair_items(lost, gained)]
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
