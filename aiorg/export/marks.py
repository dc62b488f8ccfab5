"""What the exports write in an `inferred` column: the fields of a row whose values are aiorg's
reading, not the source's words (README, "An inference says it is one").

A record (and each step and condition of a deal) lists its inferred fields in `inferred:`. A row
names those it states a value for; a deal's row also shows its latest step's status and the date
of the step that dates it, and names them as the CLI's deal rows and `disputed` do
(`history.status`, `history.date`). The SQLite export joins such a list by "; ", as the graph
exports write a record's `inferred` and every other list ('valuation; history.status'), so a
column holds what the node attribute of that name holds; NULL for none, as the attribute is absent.

Records are read either decoded or as codec tuples (aiorg.codec's layout); `Fields` reads both.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from aiorg.graph import SOURCES_SEPARATOR as SEPARATOR  # how every list attribute is joined

#: a record's `inferred` list, and its value of a field by name
Fields = tuple[Sequence[str], Callable[[str], Any]]
#: how a deal's row names a field of one of its steps: `history.status`
STEP = "history."


def decoded(record: Any) -> Fields:
    """A decoded record's `inferred` list and field values."""
    return record.inferred, lambda name: getattr(record, name, None)


def of_tuple(row: tuple[Any, ...], at: dict[str, int]) -> Fields:
    """A codec tuple's `inferred` list and field values; `at`: each field's place in the tuple."""
    return row[at["inferred"]], lambda name: row[at[name]] if name in at else None


def marked(record: Fields) -> list[str]:
    """The fields the record marks inferred and states a value for, in its order."""
    inferred, value_of = record
    return [name for name in inferred if value_of(name) not in (None, [], "")]


def deal_marked(deal: Fields, steps: Sequence[Fields]) -> list[str]:
    """A deal row's inferred fields: the deal's own, then `history.status` when its latest step
    marks its status, `history.date` when the latest dated step (the one that dates the deal)
    marks its date."""
    found = marked(deal)
    if not steps:
        return found
    if "status" in marked(steps[-1]):
        found.append(STEP + "status")
    dated = next((step for step in reversed(steps) if step[1]("date") is not None), None)
    if dated is not None and "date" in marked(dated):
        found.append(STEP + "date")
    return found


def joined(names: list[str]) -> str | None:
    """A list column as the SQLite export holds it: 'valuation; history.status', None for none."""
    return SEPARATOR.join(names) if names else None
