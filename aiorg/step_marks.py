"""Which values of a deal, of its steps and of its conditions are aiorg's reading, not the
source's words (README, "An inference says it is one"), for the exports: the graph's deal node
(aiorg.graph, aiorg.export.flat_rows) and the SQLite tables (aiorg.export.marks).

A record (and each step and condition of a deal) lists its inferred fields in `inferred:`. A deal
node's or row's `inferred` names those it states a value for, then its latest step's status and
the date of the step that dates it, named as the CLI's deal rows and `disputed` name them
(`history.status`, `history.date`). Text that writes such a value carries " (inferred)" right
after it: a step in `status_history` ('rejected (inferred)@..2025-06'), a condition in
`conditions`, as the `deals` rows write them.

Records are read either decoded or as codec tuples (aiorg.codec's layout); `Fields` reads both.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from aiorg.model import Certainty

#: a record's `inferred` list, and its value of a field by name
Fields = tuple[Sequence[str], Callable[[str], Any]]
#: how a deal's node or row names a field of one of its steps: `history.status`
STEP = "history."
#: written right after an inferred value, as aiorg.queries.common.INFERRED (not imported from
#: there: the queries package imports aiorg.graph, which reads this module)
MARK = " (inferred)"
#: the certainty a step has unless its source says otherwise
CONFIRMED = Certainty.CONFIRMED.value


def decoded(record: Any) -> Fields:
    """A decoded record's `inferred` list and field values."""
    return record.inferred, lambda name: getattr(record, name, None)


def of_tuple(row: tuple[Any, ...], at: dict[str, int]) -> Fields:
    """A codec tuple's `inferred` list and field values; `at`: each field's place in the tuple."""
    return row[at["inferred"]], lambda name: row[at[name]] if name in at else None


def marked(record: Fields) -> list[str]:
    """The fields the record marks inferred and states a value for, in its order."""
    inferred, value_of = record
    if not inferred:  # the usual record: nothing to look up
        return []
    return [name for name in inferred if value_of(name) not in (None, [], "")]


def steps_marked(steps: Sequence[Fields]) -> list[str]:
    """The step fields a deal's node or row names: `history.status` when its latest step marks
    its status, `history.date` when the latest dated step (the one that dates the deal) marks its
    date."""
    found: list[str] = []
    if not steps:
        return found
    if "status" in marked(steps[-1]):
        found.append(STEP + "status")
    dated = next((step for step in reversed(steps) if step[1]("date") is not None), None)
    if dated is not None and "date" in marked(dated):
        found.append(STEP + "date")
    return found


def deal_marked(deal: Fields, steps: Sequence[Fields]) -> list[str]:
    """A deal row's inferred fields: the deal's own, then those of its steps (`steps_marked`)."""
    return marked(deal) + steps_marked(steps)


def step_text(status: str, date: str | None, inferred: Sequence[str], certainty: str | None = None) -> str:
    """A step as `status_history` writes it, given the step's `inferred` list and its certainty:
    each inferred value marked right after it, and a certainty other than confirmed after the
    status, as the CLI writes a reported fact: 'rejected (inferred)@..2025-06', 'in_talks@2024-03
    (inferred)', 'offered (inferred) [reported]@..2025-06' (a step only reported; a rumour's
    status says so already)."""
    sure = f" [{certainty}]" if certainty not in (None, CONFIRMED, status) else ""  # not 'rumoured [rumoured]'
    if not inferred:  # the usual step
        return f"{status}{sure}@{date}" if date is not None else status + sure
    text = (status + MARK if "status" in inferred else status) + sure
    if date is None:
        return text
    return f"{text}@{date}{MARK}" if "date" in inferred else f"{text}@{date}"


def condition_text(text: str, inferred: Sequence[str], every: bool) -> str:
    """A condition as `conditions` writes it, given its `inferred` list: marked when it marks its
    text inferred, or `every` (the deal marks its `conditions` inferred), as the `deals` rows do."""
    return text + MARK if text and (every or "text" in inferred) else text
