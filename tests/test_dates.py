"""Partial dates keep their precision and compare correctly."""

from __future__ import annotations

from datetime import date

import pytest

from aiorg.dates import DateParseError, FuzzyDate, Precision


def test_precision_is_kept() -> None:
    assert FuzzyDate.parse("2025").precision is Precision.YEAR
    assert FuzzyDate.parse("2024-09").precision is Precision.MONTH
    assert FuzzyDate.parse("2024-09-03").precision is Precision.DAY
    assert FuzzyDate.parse("2024").text == "2024"  # never silently 2024-01-01


def test_month_bounds() -> None:
    d = FuzzyDate.parse("2024-02")
    assert (d.earliest, d.latest) == (date(2024, 2, 1), date(2024, 2, 29))


def test_ordering_of_partial_dates() -> None:
    sep, dec, year = (FuzzyDate.parse(t) for t in ("2024-09", "2024-12", "2024"))
    assert sep.before(dec)
    assert not dec.before(sep)
    assert year.overlaps(sep) and year.overlaps(dec)
    assert not year.before(dec) and not dec.before(year)
    assert sorted([dec, year, sep], key=FuzzyDate.sort_key) == [year, sep, dec]


def test_ranges_and_open_ends() -> None:
    between = FuzzyDate.parse("2024-12..2025-06")
    assert between.precision is Precision.RANGE
    assert (between.earliest, between.latest) == (date(2024, 12, 1), date(2025, 6, 30))
    assert between.describe() == "2024-12 to 2025-06"
    assert FuzzyDate.parse("..2025-06").describe() == "by 2025-06"
    assert FuzzyDate.parse("2024-07..").describe() == "from 2024-07"
    assert FuzzyDate.parse("~2024-09").describe() == "c. 2024-09"
    assert FuzzyDate.parse("~2024-09..2025").describe() == "c. 2024-09 to 2025"
    assert FuzzyDate.parse("2024-09").before(FuzzyDate.parse("2024-12..2025-06"))
    assert FuzzyDate.parse("2025-01").overlaps(between)


@pytest.mark.parametrize(
    "text", ["2024-02-30", "2023-02-29", "2024-13", "2024-00", "24-09", "2025-06..2024-01", "..", "soon"]
)
def test_impossible_or_malformed_dates_are_rejected(text: str) -> None:
    with pytest.raises(DateParseError):
        FuzzyDate.parse(text)
