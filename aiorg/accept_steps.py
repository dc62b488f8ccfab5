"""Where `aiorg accept` puts a deal's status step from a new source (a deal's status is its last step).

- A step with the status of a step already there and a date that could be the same (or no date
  on either side, when that step is the last) is that step: the source's claim on it becomes an
  `also:` item.
- Any other step is a new one, placed in date order (before the first step certainly later).
- It is refused, as not decidable here, when it would sit right beside a step of its status
  with another date (the same step dated otherwise, or a second one?), when it matches several
  steps, or when it goes before the deal's last step and would leave that step the deal's
  status though this source, published later, reports a status at least as far on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiorg.dates import DateParseError, FuzzyDate
from aiorg.vocabulary import DealStatus

#: how far on a deal a status is: a later source's step of a higher rank overtakes a lower one
_RANK: dict[str, int] = {
    DealStatus.RUMOURED: 0,
    DealStatus.IN_TALKS: 1,
    DealStatus.OFFERED: 1,
    DealStatus.ASKED: 1,
    DealStatus.AGREED: 2,
    DealStatus.COMPLETED: 3,
    DealStatus.REJECTED: 3,
    DealStatus.ABANDONED: 3,
}


@dataclass(frozen=True, slots=True)
class Placement:
    """`also`: the claim goes on step `at`; else a new step goes before step `at` (at the end when
    `at` is the history's length)."""

    at: int
    also: bool


def date_of(value: Any) -> FuzzyDate | None:
    """A step's date, or None when it has none (or an unreadable one: validate reports that)."""
    if value is None:
        return None
    try:
        return FuzzyDate.parse(str(value).strip("\"'"))
    except DateParseError:
        return None


def position(history: list[dict[str, Any]], when: FuzzyDate | None) -> int:
    """Where a new step dated `when` goes in a history kept oldest first: before the first later step."""
    if when is None:
        return len(history)
    for index, step in enumerate(history):
        other = date_of(step.get("date"))
        if other is not None and when.before(other):
            return index
    return len(history)


def place(
    history: list[dict[str, Any]],
    step: dict[str, Any],
    published: Callable[[dict[str, Any]], FuzzyDate | None],
    this: FuzzyDate | None,
) -> Placement | str:
    """Where the candidate `step` goes in `history`, or why that cannot be decided here.
    `published(step)` is when the newest source citing a step was published; `this`, this source's."""
    status, when = str(step.get("status")), date_of(step.get("date"))
    same = [i for i, h in enumerate(history) if str(h.get("status")) == status]
    fits = [i for i in same if when is None or (d := date_of(history[i].get("date"))) is None or d.overlaps(when)]
    if len(fits) > 1:
        dates = ", ".join(str(history[i].get("date", "undated")) for i in fits)
        return (
            f"its {status} step could be any of the deal's {status} steps ({dates}): date it, or edit the deal by hand"
        )
    if fits and when is None and fits[0] != len(history) - 1:
        return (
            f"its {status} step has no date, and the deal's {status} step ({history[fits[0]].get('date')}) is not"
            " its last: the same step, or the deal back at that status? Date it, or edit the deal by hand"
        )
    if fits:
        return Placement(fits[0], True)
    at = position(history, when)
    for index in (at - 1, at):
        if 0 <= index < len(history) and index in same:
            return (
                f"its {status} step ({when}) sits beside the deal's {status} step dated"
                f" {history[index].get('date')}: the same step dated otherwise, or a second one? Give it that"
                " date to add this source's claim to it (its own date in a note), or edit the deal by hand"
            )
    if when is None and history and at == len(history):
        last = history[-1]
        newest = published(last)
        dated = next((d for h in reversed(history) if (d := date_of(h.get("date"))) is not None), None)
        if this is None or newest is None or not newest.before(this):
            return (
                f"its {status} step has no date, and this source is not known to be later than the one the deal's"
                f" last step ({last.get('status')}, {last.get('date', 'undated')}) cites: which is the deal's"
                " status now cannot be decided here; date it, or edit the deal's history by hand"
            )
        if dated is not None and this.before(dated):
            return (
                f"its {status} step has no date, and this source was published ({this}) before the deal's last"
                f" dated step ({dated}): date it, or edit the deal's history by hand"
            )
    if at < len(history):
        last = history[-1]
        newest = published(last)
        rank, last_rank = _RANK.get(status, -1), _RANK.get(str(last.get("status")), -1)
        if rank >= last_rank and (this is None or newest is None or newest.before(this)):
            return (
                f"its {status} step ({when}) goes before the deal's last step ({last.get('status')},"
                f" {last.get('date', 'undated')}, from a source published {newest or 'on a date not given'}),"
                f" which would stay the deal's status though this later source reports {status}:"
                " the order cannot be decided here; edit the deal's history by hand"
            )
    return Placement(at, False)


def undated_step(before: list[dict[str, Any]], published: Any, step: dict[str, Any]) -> dict[str, Any]:
    """The date (and `inferred`) of a new step its source gives no date: after the last dated
    step before it and by the source's publication, an inference marked as one; nothing when
    neither bound is known, or the step has a date."""
    if step.get("date") is not None:
        return {}
    after = next((d for h in reversed(before) if (d := date_of(h.get("date"))) is not None), None)
    by = date_of(published)
    if after is None and by is None:
        return {}
    start = "" if after is None else after.text if _plain(after) else _iso(after.earliest)
    end = "" if by is None else by.text if _plain(by) else _iso(by.latest)
    inferred = [*(step.get("inferred") or []), "date"]
    return {"date": f"{start}..{end}", "inferred": list(dict.fromkeys(inferred))}


def _plain(when: FuzzyDate) -> bool:
    """A date written as one year, month or day (not a range, a bound or an approximate one)."""
    return ".." not in when.text and not when.text.startswith("~")


def _iso(day: Any) -> str:
    return day.isoformat() if day is not None else ""


def cited(step: dict[str, Any]) -> set[str]:
    """The sources a deal step cites: its own and its `also` items'."""
    also = step.get("also") or []
    return {str(step.get("source"))} | {str(a.get("source")) for a in also if isinstance(a, dict)}


def same_step(step: dict[str, Any], other: dict[str, Any]) -> bool:
    """True when two steps have the same status and date (or neither has a date)."""
    return all(str(step.get(key)).strip("\"'") == str(other.get(key)) for key in ("status", "date"))


def step_problems(step: dict[str, Any]) -> list[str]:
    """Why a step cannot be written as an `also` claim on a step already there."""
    problems = []
    if step.get("inferred"):
        problems.append(f"{step['inferred']} marked inferred; an also claim cannot carry an inference: add it by hand")
    if step.get("reported_by"):
        problems.append("reported_by: an also claim cannot carry the outlets a source credits: add it by hand")
    return problems
