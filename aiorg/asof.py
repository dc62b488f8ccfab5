"""The world as it stood on a date: which role spells had begun, and which had ended, by then.

Dates are partial ("2024-09", "between 2024-12 and 2025-06"), so each question has three
answers: yes, no, or the dates cannot decide. A spell whose end is not dated ended at the
latest when its source reported it ended, so a source published in June 2025 that calls
someone "former" places the departure on or before June 2025, and no earlier.
"""

from __future__ import annotations

from datetime import date
from enum import Enum

from aiorg.dates import FuzzyDate
from aiorg.model import SpellState, Tenure


class Known(Enum):
    """A yes/no question that partial dates may leave open."""

    YES = "yes"
    NO = "no"
    UNDECIDED = "undecided"


def _on_or_before(when: FuzzyDate, day: date) -> Known:
    """Did `when` fall on or before `day`?"""
    if when.latest is not None and when.latest <= day:
        return Known.YES
    if when.earliest is not None and when.earliest > day:
        return Known.NO
    return Known.UNDECIDED


def started_by(tenure: Tenure, day: date) -> Known:
    """Had the spell begun by `day`? A spell with no start date is taken to exist already."""
    return Known.YES if tenure.start is None else _on_or_before(tenure.start, day)


def ended_by(tenure: Tenure, day: date, reported: FuzzyDate | None) -> Known:
    """Had the spell ended by `day`? `reported` is when its source was published."""
    if tenure.state is not SpellState.ENDED:
        return Known.NO  # the source describes it as running, or does not say it ended
    if tenure.end is not None:
        return _on_or_before(tenure.end, day)
    if reported is not None and reported.latest is not None and reported.latest <= day:
        return Known.YES  # ended, undated, and already reported as ended by then
    return Known.UNDECIDED


def as_of_day(text: str) -> date:
    """The day an --as-of value stands for: the end of the period it names ('2024-12' is 31 December)."""
    when = FuzzyDate.parse(text)
    if when.latest is None:
        raise ValueError(f"{text!r} has no end; give a date such as 2025-06")
    return when.latest
