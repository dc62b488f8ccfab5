"""Partial, approximate and ranged dates that keep their precision.

Text forms (the data format documents them):
  2025          a year            2025-04       a month        2025-04-15  a day
  ~2025-04      about that month  2024-12..2025-06  between two partial dates (inclusive)
  ..2025-06     by that date      2024-07..    from that date on
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

_PART = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


class Precision(StrEnum):
    """How much of a date the source states."""

    YEAR = "year"
    MONTH = "month"
    DAY = "day"
    RANGE = "range"


class DateParseError(ValueError):
    """The text is not a date in any supported form, or names an impossible day."""


def _parse_part(text: str) -> tuple[date, date, Precision]:
    match = _PART.match(text)
    if not match:
        raise DateParseError(f"{text!r} is not a date; use YYYY, YYYY-MM or YYYY-MM-DD (optionally ~ or A..B)")
    year = int(match[1])
    if match[2] is None:
        return date(year, 1, 1), date(year, 12, 31), Precision.YEAR
    month = int(match[2])
    if not 1 <= month <= 12:
        raise DateParseError(f"{text!r} has no month {month}")
    last_day = calendar.monthrange(year, month)[1]
    if match[3] is None:
        return date(year, month, 1), date(year, month, last_day), Precision.MONTH
    day = int(match[3])
    if not 1 <= day <= last_day:
        raise DateParseError(f"{text!r} is not a real day: {year}-{month:02d} has {last_day} days")
    exact = date(year, month, day)
    return exact, exact, Precision.DAY


@dataclass(frozen=True, slots=True)
class FuzzyDate:
    """A date known to lie between `earliest` and `latest` (either may be open)."""

    earliest: date | None
    latest: date | None
    precision: Precision
    approximate: bool = False
    text: str = ""

    @classmethod
    def parse(cls, text: str) -> FuzzyDate:
        """Parse one of the documented text forms; raise DateParseError otherwise."""
        raw = text.strip()
        approximate = raw.startswith("~")
        body = raw[1:].strip() if approximate else raw
        if ".." in body:
            start_text, _, end_text = body.partition("..")
            start_text, end_text = start_text.strip(), end_text.strip()
            if not start_text and not end_text:
                raise DateParseError(f"{text!r}: a range needs at least one end")
            earliest = _parse_part(start_text)[0] if start_text else None
            latest = _parse_part(end_text)[1] if end_text else None
            if earliest and latest and earliest > latest:
                raise DateParseError(f"{text!r}: the range ends before it starts")
            canonical = f"{start_text}..{end_text}"
            return cls(earliest, latest, Precision.RANGE, approximate, ("~" if approximate else "") + canonical)
        earliest, latest, precision = _parse_part(body)
        canonical = earliest.isoformat()[: {Precision.YEAR: 4, Precision.MONTH: 7}.get(precision, 10)]
        return cls(earliest, latest, precision, approximate, ("~" if approximate else "") + canonical)

    def __str__(self) -> str:
        return self.text

    def sort_key(self) -> tuple[date, date]:
        """Chronological order: by earliest possible day, then latest ("by 2025-06" sorts at its end)."""
        return (self.earliest or self.latest or date.min, self.latest or date.max)

    def before(self, other: FuzzyDate) -> bool:
        """True only when this date certainly precedes `other`."""
        return self.latest is not None and other.earliest is not None and self.latest < other.earliest

    def overlaps(self, other: FuzzyDate) -> bool:
        """True when the two dates could be the same day (2024 overlaps 2024-09)."""
        return not self.before(other) and not other.before(self)

    def may_be_on_or_after(self, day: date) -> bool:
        """Could this date fall on or after `day`?"""
        return self.latest is None or self.latest >= day

    def may_be_on_or_before(self, day: date) -> bool:
        """Could this date fall on or before `day`?"""
        return self.earliest is None or self.earliest <= day

    def certainly_on_or_before(self, day: date) -> bool:
        """Is this date known to fall on or before `day`?"""
        return self.latest is not None and self.latest <= day

    def describe(self) -> str:
        """The one way aiorg writes a date for people, keeping its precision: '2025-04',
        'c. 2025-04' (approximate), '2024-12 to 2025-06', 'by 2025-06', 'from 2024-07'."""
        return describe_text(self.text)


NOT_STATED = "not stated"


def describe_text(text: str) -> str:
    """FuzzyDate.describe for a date's canonical text (as stored and exported); '' gives NOT_STATED."""
    if not text:
        return NOT_STATED
    approximate = text.startswith("~")
    body = text.lstrip("~")
    if ".." in body:
        start, _, end = body.partition("..")
        body = f"by {end}" if not start else f"from {start}" if not end else f"{start} to {end}"
    return f"c. {body}" if approximate else body
