"""A --since date open at its start ('..2024-06') or an --until date open at its end
('2024-06..') bounds nothing on that side: it is a usage error naming the option, never a window
silently left open (the review found both read as no filter: every fact listed)."""

from __future__ import annotations

import pytest

from aiorg.queries import Window
from tests.conftest import run_cli


@pytest.mark.parametrize(
    ("option", "value"), [("--since", "..2024-06"), ("--until", "2024-06.."), ("--since", "..2024")]
)
@pytest.mark.parametrize("command", ["timeline", "people", "deals"])
def test_an_open_bound_is_refused(command: str, option: str, value: str) -> None:
    done = run_cli(command, option, value)
    assert done.exit_code == 2
    assert done.stderr.startswith(f"aiorg: error: {option}: {value!r} has no ")
    assert done.stdout == ""


def test_the_other_open_ends_still_bound() -> None:
    """'2024-06..' starts a window (its earliest day) and '..2024-06' ends one (its latest day)."""
    window = Window.parse("2024-06..", "..2025-03")
    assert (window.since.isoformat() if window.since else None, window.until.isoformat() if window.until else None) == (
        "2024-06-01",
        "2025-03-31",
    )
