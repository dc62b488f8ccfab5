"""Review: `aiorg timeline` shows a disputed fact as disputed, as `people` and the profiles do
(README "When sources disagree": "aiorg shows the disagreement, never hides it").

In the fictional multi-source fixture, Li Ming's departure is disputed: the 2024 report says he
left, the firm's 2025 official statement (shown first by the rule) says he moved to an advisor
role. `people` writes `advisor | left (disputed, 2 sources)`; the timeline must not state the
report's `left` alone as the fact."""

from __future__ import annotations

import json

from tests.conftest import REPO, run_cli

FIXTURE = str(REPO / "tests" / "fixtures" / "multisource" / "data")


def _end_row() -> dict[str, object]:
    result = run_cli("--data", FIXTURE, "timeline", "--person", "li-ming", "--format", "json")
    assert result.exit_code == 0, result.stderr
    (row,) = [r for r in json.loads(result.stdout) if str(r["kind"]).startswith("role_end")]
    return dict(row)


def test_people_marks_the_departure_disputed() -> None:  # the behaviour the timeline should match
    result = run_cli("--data", FIXTURE, "people", "--left", "xinghe", "--format", "json")
    (row,) = json.loads(result.stdout)
    assert row["cause_text"] == "advisor | left (disputed, 2 sources)"


def test_timeline_does_not_state_a_disputed_departure_as_plain_left() -> None:
    row = _end_row()
    assert "advisor" in str(row["text"]), f"the timeline hides the advisor claim: {row['text']!r}"
    assert "disputed" in str(row["text"]), f"the timeline does not say the end is disputed: {row['text']!r}"


def test_timeline_end_kind_follows_the_value_shown_first() -> None:
    assert _end_row()["kind"] == "role_end:advisor"
