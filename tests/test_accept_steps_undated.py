"""Where accept puts a new deal step its source gives no date (aiorg.accept_steps.place): last
only when this source is known to be later than the one the deal's last step cites, and not
published before the deal's last dated step; otherwise refused, never a status rolled back."""

from __future__ import annotations

from typing import Any

from aiorg.accept_steps import Placement, place
from aiorg.dates import FuzzyDate

HISTORY = [{"status": "agreed", "date": "2025-01", "source": "b"}]
PUBLISHED = {"b": FuzzyDate.parse("2025-01-10")}


def _published(step: dict[str, Any]) -> FuzzyDate | None:
    return PUBLISHED.get(step["source"])


def _place(status: str, this: str | None) -> Placement | str:
    step = {"status": status, "date": None}
    return place(HISTORY, step, _published, FuzzyDate.parse(this) if this else None)


def test_a_later_source_adds_its_undated_step_last() -> None:
    assert _place("completed", "2025-03-05") == Placement(1, False)


def test_an_older_source_cannot_roll_the_status_back() -> None:
    """A source of 2025-01-05 saying 'rumoured' must not follow the agreement a later one reports."""
    refused = _place("rumoured", "2025-01-05")
    assert isinstance(refused, str) and "not known to be later" in refused


def test_a_source_with_no_date_is_not_known_to_be_later() -> None:
    assert isinstance(_place("completed", None), str)


def test_a_source_published_before_the_last_dated_step_is_refused() -> None:
    """Newer than the last step's source, yet published before the step's date: no range fits."""
    PUBLISHED["b"] = FuzzyDate.parse("2024-12-01")
    try:
        refused = _place("completed", "2024-12-20")
    finally:
        PUBLISHED["b"] = FuzzyDate.parse("2025-01-10")
    assert isinstance(refused, str) and "before the deal's last dated step" in refused
