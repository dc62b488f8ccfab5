"""What `aiorg accept` checks before it writes a candidate as this source's `also:` claim on a
record already there, so that nothing the candidate says is dropped and no other fact is merged in.

- A person, firm, group or product matched by its id must share a name with the record, and every
  name it gives must be one of the record's (an `also:` claim cannot carry a name).
- A role spell is another spell, not the one matched by person and firm, when it `replaces` or
  comes `after` that spell, or starts after that spell ended. A deal matched by kind and parties
  is refused when the candidate has an id of its own (neither the record's nor the one derived
  from its parties) and values that differ: a second deal and a disputed value cannot be told apart.
- A claim carries the quote, the disputable values and a `note`; any other field the candidate
  gives (`replaces`, `title_zh`, `kind`, `reported_by`, ...) that the record does not have as
  given is a problem, and so is an `inferred:` list (a claim cannot mark an inference).
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from aiorg.accept_kb import NAME_FIELDS, Existing, field_names, fold, is_slug, names_of
from aiorg.dates import DateParseError, FuzzyDate
from aiorg.model import DISPUTABLE, RECORD_KINDS, Attestation

#: what a claim carries besides its source and quote: the disputable values, then a note
CARRIED: tuple[str, ...] = (
    *DISPUTABLE,
    *(sorted(field_names(Attestation) - {*DISPUTABLE, "source", "quote", "preferred"})),
)
#: the fields a record is found by (compared by the match itself), per kind; a deal's history is merged step by step
_MATCHED = {"tenures": ("person", "firm"), "deals": ("kind", "buyers", "targets", "history")}
_MATCHED |= {"metrics": ("subject", "metric", "as_of")}
_ALWAYS = ("id", "source", "quote", "also", "inferred")


def attestation(source_id: str, kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """This source's claim on a record: its quote, the values it gives for disputable fields, its note."""
    own = field_names(RECORD_KINDS[kind])
    values = {name: data[name] for name in CARRIED if name in own and data.get(name) is not None}
    return {"source": source_id, "quote": data.get("quote"), **values}


def field_problems(kind: str, data: dict[str, Any], record: Existing, carried: tuple[str, ...] = CARRIED) -> list[str]:
    """Why the candidate `data` cannot be written as a claim on `record`: each field it would drop."""
    target = f"{record.data.get('id')}"
    problems: list[str] = []
    inferred = data.get("inferred")
    if inferred:
        shown = ", ".join(str(v) for v in (inferred if isinstance(inferred, list) else [inferred]))
        problems.append(f"{shown} marked inferred; an also claim on {target} cannot carry an inference: add it by hand")
    own = field_names(RECORD_KINDS[kind])
    skip = {*_ALWAYS, *NAME_FIELDS, *_MATCHED.get(kind, ()), *(name for name in carried if name in own)}
    for name, value in data.items():
        if name in skip or _empty(value):
            continue
        if name not in own:
            problems.append(f"{name} is not a field of {kind}; an also claim on {target} cannot carry it")
            continue
        here = record.data.get(name)
        if name != "reported_by" and _norm(value) == _norm(here):
            continue
        given = "has none" if _empty(here) else f"has {here!r}"
        problems.append(
            f"{name} {_shown(value)}: {target} {given}, and an also claim cannot carry {name}:"
            f" correct the candidate, or edit {target} by hand"
        )
    return problems


def name_problems(kind: str, data: dict[str, Any], record: Existing, by_id: bool) -> list[str]:
    """Why a named candidate is not `record`: no name in common (when matched by its id), or a name
    of its own that a claim would drop."""
    target = str(record.data.get("id"))
    theirs = {fold(name) for name in names_of(record.data)}
    mine = names_of(data)
    if not mine:
        return []
    listed = ", ".join(names_of(record.data)) or "none"
    if by_id and not any(fold(name) in theirs for name in mine):
        return [
            f"its id is that of {kind} {target!r} ({listed}), but none of its names ({', '.join(mine)}) is one of"
            f" that record's: give it an id of its own to add it as a new record, or correct its names"
        ]
    other = [name for name in mine if fold(name) not in theirs]
    if other:
        return [
            f"{', '.join(other)} is not a name of {target} ({listed}), and an also claim cannot carry a name:"
            f" add it to {target} by hand if it is one, or correct the candidate"
        ]
    return []


def another_spell(data: dict[str, Any], record: Existing) -> bool:
    """True when the spell `data` certainly is not the spell `record` (same person and firm): it
    `replaces` it or comes `after` it, or it starts after that spell ended."""
    target = str(record.data.get("id"))
    if target in (str(data.get("replaces")), str(data.get("after"))):
        return True
    start, end = _date(data.get("start")), _date(record.data.get("end"))
    return start is not None and end is not None and end.before(start)


def another_deal(draft_id: str, derived: str, data: dict[str, Any], record: Existing) -> str | None:
    """Why a deal candidate matched to `record` by kind and parties may be another deal: it has an id
    of its own (a clean one that is neither `record`'s nor `derived`, the id a draft gives a deal,
    either with a number appended) and values that differ from the record's. None when it is not."""
    target = str(record.data.get("id"))
    own = is_slug(draft_id) and not re.search(r"(^|-)new-", draft_id)
    if not own or re.sub(r"-[0-9]+$", "", draft_id) in (target, derived):
        return None
    differ = [
        f"{name} {_shown(data[name])} ({target} has {_shown(record.data[name]) if name in record.data else 'none'})"
        for name in CARRIED
        if name in data and not _empty(data[name]) and _norm(data[name]) != _norm(record.data.get(name))
    ]
    if not differ:
        return None
    return (
        f"it matches deal {target} by kind, buyers and targets, but has an id of its own and {'; '.join(differ)}:"
        f" another deal, or a disputed value? Set its id to {target} to add this source's claim to it; if it is"
        " another deal, add it by hand"
    )


def _date(value: Any) -> FuzzyDate | None:
    if value is None:
        return None
    try:
        return FuzzyDate.parse(_norm(value).strip("\"'"))
    except DateParseError:
        return None


def _empty(value: Any) -> bool:
    return value is None or value == [] or value == {} or value == ""


def _norm(value: Any) -> Any:
    """A value from the draft (PyYAML's types) or from a data file (its text), comparable."""
    if isinstance(value, list):
        return tuple(_norm(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((str(k), _norm(v)) for k, v in value.items()))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return "" if value is None else str(value).strip()


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return repr(value) if isinstance(value, str) else str(value)
