"""What a record's parts and its other sources give the store (aiorg.store.schema describes the
tables): a row per item of a list of sourced parts (a deal's history steps), typed as the item's
dataclass says, and a row in `statements` per value an `also` item states."""

from __future__ import annotations

import dataclasses
import sqlite3
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any, cast

from aiorg import codec
from aiorg.claims import value_text
from aiorg.dates import FuzzyDate
from aiorg.model import DISPUTABLE, RECORD_KINDS, Sourced
from aiorg.money import Money
from aiorg.store.schema import Column, columns_for, earliest_day, latest_day


@dataclass(frozen=True, slots=True)
class _ClaimPlan:
    """Where a kind's codec tuple keeps its `also` items, and its steps' (a deal's history)."""

    cls: type
    also_at: int
    steps: tuple[tuple[str, int, int], ...]  # (field, position, position of `also` in a step)


@cache
def _claim_plan(kind: str) -> _ClaimPlan | None:
    cls = cast(type, RECORD_KINDS[kind])
    if not issubclass(RECORD_KINDS[kind], Sourced):
        return None
    hints = typing.get_type_hints(cls)
    steps = []
    for at, name in enumerate(codec.field_names(cls)):
        hint = codec.unwrap_optional(hints[name])
        if typing.get_origin(hint) is list:
            (item,) = typing.get_args(hint)
            if isinstance(item, type) and issubclass(item, Sourced):
                steps.append((name, at, codec.field_index(cast(type, item), "also")))
    return _ClaimPlan(cls, codec.field_index(cls, "also"), tuple(steps))


@dataclass(frozen=True, slots=True)
class PartTable:
    """A list field of sourced parts (a deal's history), kept one typed row per item."""

    table: str
    at: int  # position of the list in the record's codec tuple
    columns: tuple[Column, ...]  # the item's plain columns (read from its codec tuple)


@cache
def part_tables(kind: str) -> tuple[PartTable, ...]:
    """The tables of a kind's lists of sourced parts, their typed columns derived from the item's dataclass."""
    plan = _claim_plan(kind)
    if plan is None:
        return ()
    found = []
    for name, at, _ in plan.steps:
        item = typing.get_args(codec.unwrap_optional(typing.get_type_hints(plan.cls)[name]))[0]
        hints = typing.get_type_hints(item)
        columns = [
            column
            for place, field in enumerate(dataclasses.fields(item))
            if typing.get_origin(codec.unwrap_optional(hints[field.name])) is not list
            for column in columns_for(field.name, hints[field.name], place, False)
        ]
        found.append(PartTable(f"{kind}_{name}", at, tuple(columns)))
    return tuple(found)


def part_rows(part: PartTable, seq: int, row: tuple[Any, ...]) -> Iterator[tuple[Any, ...]]:
    """(seq, place in the list, typed columns...) of each item of one record's list."""
    for at, item in enumerate(row[part.at] or ()):
        yield (seq, at, *(column.read(item, None) for column in part.columns))


def statement_rows(kind: str, seq: int, row: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    """(seq, kind, field, value text, number, currency, source, part, lo, hi) of each value that a
    record's `also` items state, and its steps' (field `history.date`, `part` the step's place);
    decodes only a record that has any."""
    plan = _claim_plan(kind)
    if plan is None:
        return []
    if not row[plan.also_at] and not any(step[also] for _, at, also in plan.steps for step in row[at] or ()):
        return []
    record = codec.decoder(plan.cls)(row)
    found: list[tuple[Any, ...]] = []
    parts: list[tuple[str, int | None, Any]] = [("", None, record)]
    parts += [(f"{name}.", at, step) for name, _, _ in plan.steps for at, step in enumerate(getattr(record, name))]
    for prefix, place, part in parts:
        for item in part.also:
            for name in DISPUTABLE:
                value = getattr(item, name)
                if value is None or not hasattr(part, name):
                    continue
                number = value.value if isinstance(value, Money) else value if type(value) in (int, float) else None
                currency = value.currency if isinstance(value, Money) else None
                text = value.text if isinstance(value, FuzzyDate) else None
                said = (value_text(value), number, currency, item.source, place, earliest_day(text), latest_day(text))
                found.append((seq, kind, prefix + name, *said))
    return found


def insert_claim_rows(db: sqlite3.Connection, kind: str, first: int, kind_rows: list[tuple[Any, ...]]) -> None:
    """The part-table rows and `statements` rows of records of one kind, numbered from `first`."""
    for part in part_tables(kind):
        marks = ", ".join("?" * (len(part.columns) + 2))
        rows = (item for seq, row in enumerate(kind_rows, start=first) for item in part_rows(part, seq, row))
        db.executemany(f"INSERT INTO {part.table} VALUES ({marks})", rows)
    db.executemany(
        "INSERT INTO statements VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (said for seq, row in enumerate(kind_rows, start=first) for said in statement_rows(kind, seq, row)),
    )
