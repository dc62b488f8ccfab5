"""How a row says that a value it shows is an inference (README, "An inference says it is one").

A record's `inferred:` list names the fields whose values its source implies but does not say in
words. Text a row shows for such a value carries " (inferred)" right after it: a name, a title,
each alias, a status ('agreed (inferred)'). Text that rests on such a value without writing it
(an event's text, whose subjects are inferred) names the fields after it: ' (subjects inferred)'.
Ids, ISO dates and numbers for machines stay bare; a profile says which of them are inferences
(`shown_inferred`), and its tables write the mark after them.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from typing import Any

from aiorg.claims import SourceLookup, shown_value, value_text
from aiorg.model import Deal
from aiorg.queries.common import INFERRED, varies


def infers(record: Any, name: str) -> bool:
    """Whether the record marks field `name` inferred (and states a value for it)."""
    return name in record.inferred and getattr(record, name, None) not in (None, [], "")


def mark(text: str, record: Any, name: str) -> str:
    """`text` (the value of field `name`, or a name standing for it), marked when the record
    marks that field inferred."""
    return text + INFERRED if infers(record, name) else text


def mark_each(texts: list[str], record: Any, name: str) -> list[str]:
    """Each of `texts` (the items of list field `name`, or names standing for them), marked when
    the record marks that field inferred: 'Meta AI lab (inferred)'."""
    return [text + INFERRED for text in texts] if infers(record, name) else texts


def status_text(status: str, superseded: str | None, step: Container[str], deal: Container[str]) -> str:
    """A deal row's `status_text`: its latest step's status ('agreed (inferred)' when that step
    marks it inferred), and the deal that superseded it."""
    text = status + (INFERRED if "status" in step else "")
    if superseded:
        text += f" (superseded by {superseded}{INFERRED if 'superseded_by' in deal else ''})"
    return text


def unshown(record: Any, names: Iterable[str]) -> str:
    """' (subjects inferred)': the fields among `names` that the record marks inferred, for text
    that rests on them without writing their values; '' when none is."""
    return resting_on([name for name in names if infers(record, name)])


def shown_inferred(record: Any, shown: Any = None) -> list[str]:
    """The fields the record marks inferred whose value a row shows as the record's own: all of
    them, except where `shown` (the record with the values shown first, aiorg.queries.common.
    shown_version) holds another source's value instead."""
    found = []
    for name in record.inferred:
        if not infers(record, name):
            continue
        if shown is not None and shown is not record:
            told = getattr(shown, name, None)
            if told is None or value_text(told) != value_text(getattr(record, name)):
                continue
        found.append(name)
    return found


def shown_fields(record: Any, shown: Any, source_of: SourceLookup) -> list[str]:
    """`shown_inferred`, and for a deal its steps' fields as a row's `disputed` names them:
    `history.status` when its latest step's status is inferred, `history.date` when the date of
    the step it is dated by (the value shown first) is."""
    found = shown_inferred(record, shown)
    if not isinstance(record, Deal):
        return found
    if infers(record.history[-1], "status"):
        found.append("history.status")
    dates = [shown_value(step, "date", source_of) if varies(step, ("date",)) else step.date for step in record.history]
    dated = [(step, day) for step, day in zip(record.history, dates, strict=True) if day is not None]
    if dated and infers(dated[-1][0], "date") and value_text(dated[-1][1]) == value_text(dated[-1][0].date):
        found.append("history.date")
    return found


def resting_on(fields: list[str]) -> str:
    """' (date, subjects inferred)': a note after text that rests on these inferred fields (a
    deal's step fields named as the step's: `history.date` is its date); '' for none."""
    names = list(dict.fromkeys(name.removeprefix("history.") for name in fields))
    return f" ({', '.join(names)} inferred)" if names else ""
