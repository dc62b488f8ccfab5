"""A record's flattened attributes read straight from its codec tuple (aiorg.codec's layout), without
decoding it into a model object: a whole export reads 460k records at 100k people, and decoding
them all cost more than reading them (timed alone: the spells' 1.0 CPU-s to read, 0.6 more to
decode). The attributes are exactly those aiorg.graph.flattener gives the decoded record, in the
same order (tests/test_export_rows.py checks this on any record).
"""

from __future__ import annotations

import typing
from collections.abc import Callable
from enum import Enum
from functools import cache
from typing import Any, cast

from aiorg.codec import field_names, unwrap_optional
from aiorg.dates import FuzzyDate
from aiorg.graph import PLAIN_TYPES, Scalar, add_inferred, flattened_fields
from aiorg.model import Condition, Deal, EndCause, Record, StatusEntry, Tenure
from aiorg.money import Bound, Money
from aiorg.step_marks import condition_text, of_tuple, step_text, steps_marked

#: the record classes whose records a whole export may read from their tuples (see row_flattener)
_ROW_FLATTENERS: dict[type, Callable[[tuple[Any, ...], dict[str, Scalar]], None] | None] = {}
#: a date's (text, ISO earliest, ISO latest) by its text in a record's tuple, made from the date
#: the codec decodes that text to (so the text written is the decoded date's)
_ROW_DATES: dict[str, tuple[str, str | None, str | None]] = {}
#: a money tuple's (value as float, bound, text), made from the Money the codec decodes it to
_ROW_MONEY: dict[tuple[Any, ...], tuple[float | None, str, str, str]] = {}


def row_flattener(cls: type[Record]) -> Callable[[tuple[Any, ...], dict[str, Scalar]], None] | None:
    """add_scalar_attributes for a record read from its codec tuple (aiorg.codec's layout), not
    decoded: the same attributes in the same order, made once per class; None when a field's type
    is not one this reads (that class's records are decoded). A tenure's `state` comes from the
    model's own property and a deal's status and date from its steps, as `flattener` gives them."""
    if cls not in _ROW_FLATTENERS:
        _ROW_FLATTENERS[cls] = _row_flattener(cls)
    return _ROW_FLATTENERS[cls]


def _row_flattener(cls: type[Record]) -> Callable[[tuple[Any, ...], dict[str, Scalar]], None] | None:
    hints = typing.get_type_hints(cls)
    at = {name: i for i, name in enumerate(field_names(cast(type, cls)))}
    lines = ["def flatten(row, attributes):"]
    for field, name in flattened_fields(cls):
        hint = unwrap_optional(hints[field])
        lines.append(f"    value = row[{at[field]}]")
        if typing.get_origin(hint) is list:
            if typing.get_args(hint)[0] is not str:
                return None
            separator = " … " if name == "quote" else "; "
            lines.append(f"    if value: attributes[{name!r}] = {separator!r}.join(value)")
        elif hint in PLAIN_TYPES or (
            isinstance(hint, type) and issubclass(hint, Enum)
        ):  # an enum's tuple value is its value
            lines.append(f"    if value is not None: attributes[{name!r}] = value")
        elif hint is FuzzyDate:
            lines += [
                "    if value is not None:",
                "        day = dates.get(value) or new_date(value)",
                f"        attributes[{name!r}] = day[0]",
                f"        if day[1] is not None: attributes[{name + '_earliest'!r}] = day[1]",
                f"        if day[2] is not None: attributes[{name + '_latest'!r}] = day[2]",
            ]
        elif hint is Money:
            lines += [
                "    if value is not None:",
                "        money = moneys.get(value) or new_money(value)",
                f"        if money[0] is not None: attributes[{name + '_usd'!r}] = money[0]",
                f"        attributes[{name + '_bound'!r}] = money[1]",
                f"        attributes[{name + '_text'!r}] = money[2]",
                f"        attributes[{name + '_currency'!r}] = money[3]",
            ]
        else:
            return None
    namespace: dict[str, Any] = {"dates": _ROW_DATES, "new_date": _row_date, "moneys": _ROW_MONEY}
    namespace["new_money"] = _row_money
    if issubclass(cls, Tenure):
        ends = at["end_cause"], at["end"], at["current"]
        lines.append(
            f"    attributes['state'] = state_of(row[{ends[0]}] is None, row[{ends[1]}] is None, row[{ends[2]}])"
        )
        namespace["state_of"] = spell_state
    elif issubclass(cls, Deal):
        steps, conditions, inferred = at["history"], at["conditions"], at["inferred"]
        lines.append(f"    deal_extra(row[{steps}], row[{conditions}], row[{inferred}], attributes)")
        namespace["deal_extra"] = _deal_row_extra
    exec("\n".join(lines), namespace)  # the source is built above from the model's field names
    return cast(Callable[[tuple[Any, ...], dict[str, Scalar]], None], namespace["flatten"])


def date_parts(text: str) -> tuple[str, str | None, str | None]:
    """(text, ISO earliest, ISO latest) of the date a tuple's date text decodes to."""
    return _ROW_DATES.get(text) or _row_date(text)


def _row_date(text: str) -> tuple[str, str | None, str | None]:
    day = FuzzyDate.parse(text)  # what the codec decodes the text to
    found = _ROW_DATES[text] = (
        day.text,
        day.earliest.isoformat() if day.earliest else None,
        day.latest.isoformat() if day.latest else None,
    )
    return found


def _row_money(value: tuple[Any, ...]) -> tuple[float | None, str, str, str]:
    """(US dollars, bound, text, currency) as graph._flatten writes a Money; no dollars for another currency."""
    money = Money(value[0], value[1], Bound(value[2]), value[3])  # what the codec decodes it to
    usd = float(money.value) if money.currency == "USD" else None
    found = _ROW_MONEY[value] = (usd, money.bound.value, money.describe(), money.currency)
    return found


@cache
def spell_state(no_cause: bool, no_end: bool, current: bool | None) -> str:
    """Tenure.state of a spell with these values (the model's property, asked once per case)."""
    spell = Tenure(id="", person="", firm="", source="", quote=[], current=current)
    spell.end_cause = None if no_cause else next(iter(EndCause))
    spell.end = None if no_end else FuzzyDate.parse("2000")
    return spell.state._value_


_STEP_AT = {name: i for i, name in enumerate(field_names(StatusEntry))}
_STEP_STATUS, _STEP_DATE, _STEP_INFERRED = _STEP_AT["status"], _STEP_AT["date"], _STEP_AT["inferred"]
_STEP_CERTAINTY = _STEP_AT["certainty"]
_CONDITION_AT = {name: i for i, name in enumerate(field_names(Condition))}
_CONDITION_TEXT, _CONDITION_INFERRED = _CONDITION_AT["text"], _CONDITION_AT["inferred"]


def _deal_row_extra(
    steps: list[tuple[Any, ...]],
    conditions: list[tuple[Any, ...]],
    inferred: list[str],
    attributes: dict[str, Scalar],
) -> None:
    """_deal_extra of a deal's tuple: its status (the last step's), its date (the latest dated
    step's), its steps as text and its conditions, each inferred value marked, and `inferred`
    naming its steps' (aiorg.step_marks); `inferred` is the deal's own list."""
    attributes["status"] = steps[-1][_STEP_STATUS]
    when = next((step[_STEP_DATE] for step in reversed(steps) if step[_STEP_DATE] is not None), None)
    if when is not None:
        day = _ROW_DATES.get(when) or _row_date(when)
        attributes["date"] = day[0]
        if day[1] is not None:
            attributes["date_earliest"] = day[1]
        if day[2] is not None:
            attributes["date_latest"] = day[2]
    attributes["status_history"] = " → ".join(
        step_text(
            step[_STEP_STATUS],
            None if step[_STEP_DATE] is None else (_ROW_DATES.get(step[_STEP_DATE]) or _row_date(step[_STEP_DATE]))[0],
            step[_STEP_INFERRED],
            step[_STEP_CERTAINTY],
        )
        for step in steps
    )
    if conditions:
        every = "conditions" in inferred
        attributes["conditions"] = "; ".join(
            condition_text(condition[_CONDITION_TEXT], condition[_CONDITION_INFERRED], every)
            for condition in conditions
        )
    if any(step[_STEP_INFERRED] for step in steps):  # the usual deal's steps infer nothing
        add_inferred(attributes, steps_marked([of_tuple(step, _STEP_AT) for step in steps]))
