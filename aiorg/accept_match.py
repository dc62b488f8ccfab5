"""What `aiorg accept` checks before it writes a candidate as this source's `also:` claim on a
record already there, so that nothing the candidate says is dropped and no other fact is merged in.

- A person, firm, group or product matched by its id must share a name with the record, and every
  name it gives must be one of the record's (an `also:` claim cannot carry a name).
- A role spell is another spell, not the one matched by person and firm, when it `replaces` or
  comes `after` that spell, directly or through the spells those name (a boomerang's return), or
  starts after that spell ended. A deal matched by kind and parties
  is refused when the candidate has an id of its own (neither the record's nor the one derived
  from its parties) and values that differ: a second deal and a disputed value cannot be told apart.
- A numbered id (`x-2` beside `x`) is how the knowledge base (`fresh_id`) and an editor name a
  second record with the same base, so it is never taken for the unnumbered record it matched:
  - a deal or spell whose id is the matched record's id (or the id derived from its parties, or
    its person and firm) with a number appended, and which gives a value that differs from the
    record's (a disputable value or a note; one the record lacks counts), is refused: another
    deal or spell, or a disputed value? For a deal an id of its own was such a sign already; the
    number no longer exempts the derived id. A number is not enough alone: such a deal or spell
    that gives no other value is this source's claim on the record, its steps placed as any
    other's, as the same facts under another id would be;
  - a person, firm, group or product matched by its names whose id is the matched record's id
    with a number appended is refused (a namesake?): it has no value to tell it apart by;
  - the same holds for a record this draft adds (a second deal beside the first in one draft was
    dropped as "already there"): the advice then is to merge the two candidates, as a source
    cannot dispute itself.
- A candidate matching a record this draft adds, whatever its id, is refused when it gives any
  value that record lacks or has otherwise (a field, a name, a deal step or a step's note), which
  counting it as already there would drop; the same facts told twice (only the quote differs) are
  already there.
  A record that has the numbered id already is matched by it, as any id is.
- A claim carries the quote, the disputable values and a `note`; any other field the candidate
  gives (`replaces`, `title_zh`, `kind`, `reported_by`, ...) that the record does not have as
  given is a problem, and so is an `inferred:` list (a claim cannot mark an inference).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from typing import Any

from aiorg.accept_kb import NAME_FIELDS, Existing, field_names, fold, is_slug, names_of
from aiorg.accept_steps import date_of, same_step
from aiorg.dates import FuzzyDate
from aiorg.model import DISPUTABLE, RECORD_KINDS, Attestation
from aiorg.names import singular

#: what a claim carries besides its source and quote: the disputable values, then a note
CARRIED: tuple[str, ...] = (
    *DISPUTABLE,
    *(sorted(field_names(Attestation) - {*DISPUTABLE, "source", "quote", "preferred"})),
)
#: the fields a record is found by (compared by the match itself), per kind; a deal's history is merged step by step
_MATCHED = {"tenures": ("person", "firm"), "deals": ("kind", "buyers", "targets", "history")}
_MATCHED |= {"metrics": ("subject", "metric", "as_of")}
_ALWAYS = ("id", "source", "quote", "also", "inferred")
#: what tells a deal's step apart (compared by `same_step`) or cites it, not a value it gives
_STEP_KEYS = ("status", "date", "source", "quote", "also")


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


def numbered(draft_id: str, *bases: str) -> bool:
    """True when `draft_id` is one of `bases` with a number appended: `deal-x-2` of `deal-x`."""
    return any(re.fullmatch(re.escape(base) + r"-[0-9]+", draft_id) for base in bases if base)


def numbered_name(kind: str, draft_id: str, record: dict[str, Any], new: bool) -> list[str]:
    """Why a candidate matched to `record` by its names is refused: its id numbers it as another."""
    target = str(record.get("id"))
    if not numbered(draft_id, target):
        return []
    listed = ", ".join(names_of(record)) or "no name"
    fix = (
        "Merge the two candidates if they are one; if it is a namesake, leave it out and add it by hand"
        if new
        else f"Set its id to {target} to add this source's claim to it; if it is a namesake, add it by hand"
    )
    return [
        f"its id {draft_id!r} numbers it as another {kind} record than {target} ({listed}){_adds(target, new)},"
        f" whose names it has: the same one, or a namesake? {fix}"
    ]


def another_spell(
    data: dict[str, Any], record: dict[str, Any], spell_of: Callable[[str], dict[str, Any] | None] = lambda _: None
) -> bool:
    """True when the spell `data` certainly is not the spell `record` (same person and firm): it
    `replaces` it or comes `after` it, directly or through the spells those name (`spell_of` finds
    one by id: a boomerang's return comes after the spell it left for, which comes after the first),
    or it starts after that spell ended."""
    target, seen, todo = str(record.get("id")), set[str](), [data]
    while todo:
        spell = todo.pop()
        for link in (str(spell[key]) for key in ("replaces", "after") if spell.get(key) is not None):
            if link == target:
                return True
            earlier = None if link in seen else spell_of(link)
            seen.add(link)
            todo += [earlier] if earlier is not None else []
    start, end = _date(data.get("start")), _date(record.get("end"))
    return start is not None and end is not None and end.before(start)


def numbered_spell(draft_id: str, derived: str, data: dict[str, Any], record: dict[str, Any], new: bool) -> str | None:
    """Why a spell candidate matched to `record` by person and firm may be another spell: its id is
    the record's (or the derived one, or person-firm) numbered, and it gives values that differ."""
    target = str(record.get("id"))
    differ = _differ(data, record)
    if not differ or not numbered(draft_id, target, derived, f"{data.get('person')}-{data.get('firm')}"):
        return None
    fix = "Merge the two candidates if they are one spell" if new else _claim_it(target)
    return (
        f"its id {draft_id!r} numbers it as another spell than {target}{_adds(target, new)}, which it matches"
        f" by person and firm, and it gives {'; '.join(differ)}: another spell, or a disputed value? {fix};"
        f" if it is another spell that follows it, add replaces: {target}, else add it by hand"
    )


def another_deal(
    draft_id: str, derived: str, data: dict[str, Any], record: dict[str, Any], new: bool = False
) -> str | None:
    """Why a deal candidate matched to `record` by kind and parties may be another deal: it has an id
    of its own (a clean one that is neither `record`'s nor `derived`, the id a draft gives a deal;
    either with a number appended is one of its own too) and values that differ from the record's.
    None when it is not. `new`: `record` is one this draft adds."""
    target = str(record.get("id"))
    own = is_slug(draft_id) and not re.search(r"(^|-)new-", draft_id)
    differ = _differ(data, record)
    if not own or draft_id in (target, derived) or not differ:
        return None
    why = (
        f"its id {draft_id!r} numbers it as another deal than {target}{_adds(target, new)}, which it matches"
        if numbered(draft_id, target, derived)
        else f"it has an id of its own, but matches deal {target}{_adds(target, new)}"
    )
    fix = "Merge the two candidates if they are one deal" if new else _claim_it(target)
    return (
        f"{why} by kind, buyers and targets, and it gives {'; '.join(differ)}: another deal, or a disputed"
        f" value? {fix}; if it is another deal, {'leave it out and ' if new else ''}add it by hand"
    )


def numbered_in_draft(draft_id: str, bases: list[str], data: dict[str, Any], added: dict[str, Any]) -> bool:
    """True when a deal candidate is another deal than `added`, a deal the same draft adds that it
    matches by kind and parties: its id numbers one of `bases` (the ids `added` was drafted and
    written as, or the derived id: the drafter numbers a second deal so) and it gives a value (an
    amount, valuation, stake or note) `added` lacks or has otherwise. One source cannot dispute
    itself, so that is a second deal (a B round beside an A round), not a claim to drop or refuse.
    Steps alone do not make one: those are refused (same_draft), to be merged."""
    return numbered(draft_id, *bases) and bool(_differ(data, added))


def same_draft(kind: str, data: dict[str, Any], record: dict[str, Any]) -> str | None:
    """Why a candidate matched to `record`, a record this draft adds, cannot be counted as already
    there: it gives values (or names, or deal steps) that differ from the record's or that the
    record lacks, which would be dropped; whatever its id. None when it says nothing else."""
    target = str(record.get("id"))
    have = [step for step in record.get("history") or [] if isinstance(step, dict)]
    steps = [step for step in data.get("history") or [] if isinstance(step, dict)]
    untold = [step for step in steps if not any(same_step(step, other) for other in have)]
    gives = [f"steps {target} does not have ({_steps(untold)})"] if untold else []
    theirs = {fold(name) for name in names_of(record)}
    unknown = [name for name in names_of(data) if fold(name) not in theirs]
    gives += [f"names {target} does not have ({', '.join(unknown)})"] if unknown else []
    skip = {*_ALWAYS, *NAME_FIELDS, *_MATCHED.get(kind, ()), "history"} - {"inferred"}
    gives += _differ(data, record, [name for name in data if name not in skip])
    for step in steps:
        told = next((other for other in have if same_step(step, other)), None)
        if told is not None:
            values = _differ(step, told, [k for k in step if k not in _STEP_KEYS], f"{target}'s")
            gives += [f"its {step.get('status')} step's {why}" for why in values]
    if not gives:
        return None
    noun = "spell" if kind == "tenures" else singular(kind)
    advice = f"if it is another spell that follows it, add replaces: {target}, else" if kind == "tenures" else "if not,"
    return (
        f"it matches {noun} {target}{_adds(target, True)}, and gives {'; '.join(gives)}, which counting"
        " it as already there would drop (a source cannot dispute itself): merge the two candidates if they are"
        f" one {noun}; {advice} leave it out and add it by hand"
    )


def _steps(steps: list[dict[str, Any]]) -> str:
    return ", ".join(f"{step.get('status')} {step.get('date', 'undated')}" for step in steps)


def _claim_it(target: str) -> str:
    return f"Set its id to {target} to add this source's claim to it"


def _adds(target: str, new: bool) -> str:
    return f" (this draft adds {target} too)" if new else ""


def _differ(
    data: dict[str, Any], record: dict[str, Any], names: Iterable[str] = CARRIED, target: str | None = None
) -> list[str]:
    """Each value (disputable, or a note; or each of `names`) the candidate gives that differs from
    the record's (`target`, by default its id)."""
    target = target or str(record.get("id"))
    return [
        f"{name} {_shown(data[name])} ({target} has {_shown(record[name]) if name in record else 'none'})"
        for name in names
        if name in data and not _empty(data[name]) and _norm(data[name]) != _norm(record.get(name))
    ]


def _date(value: Any) -> FuzzyDate | None:
    return None if value is None else date_of(_norm(value))


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
