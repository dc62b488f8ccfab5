"""Review: `aiorg timeline` shows a disputed fact as disputed, as `people` and the profiles do
(README "When sources disagree": "aiorg shows the disagreement, never hides it").

In the fictional multi-source fixture, Li Ming's departure is disputed: the 2024 report says he
left, the firm's 2025 official statement (shown first by the rule) says he moved to an advisor
role. `people` writes `advisor | left (disputed, 2 sources)`; the timeline must not state the
report's `left` alone as the fact."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

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


START = """    start: 2024-03
"""
ALSO_START = """      - source: fictional-podcast-2025-04
        quote: Li Ming joined Xinghe in October 2024
        start: 2024-10
"""


def test_a_window_keeps_a_fact_on_any_claimed_date(tmp_path: Path) -> None:
    """The report dates his start 2024-03, an interview (weightier, shown first) 2024-10: the start
    is placed and shown at 2024-10, marked, and either month's window finds it."""
    shutil.copytree(REPO / "tests" / "fixtures" / "multisource", tmp_path / "kb")
    tenures = tmp_path / "kb" / "data" / "tenures.yaml"
    text = tenures.read_text(encoding="utf-8").replace("    area: product\n", "    area: product\n" + START)
    tenures.write_text(text + ALSO_START, encoding="utf-8")
    data = str(tmp_path / "kb" / "data")
    for month in ("2024-10", "2024-03"):
        result = run_cli("--data", data, "timeline", "--person", "li-ming", "--since", month, "--until", month,
                         "--format", "json")  # fmt: skip
        assert result.exit_code == 0, result.stderr
        (row,) = [r for r in json.loads(result.stdout) if r["kind"] == "role_start"]
        assert (row["date"], row["when"]) == ("2024-10", "2024-10 | 2024-03 (disputed, 2 sources)")
        assert row["disputed"] == ["start"]
    table = run_cli("--data", data, "timeline", "--person", "li-ming", env={"COLUMNS": "80"})
    assert "┌" in table.stdout and max(map(len, table.stdout.splitlines())) <= 80
    assert table.stdout.count("disputed") == 2  # the start's date, and the cause of the end
