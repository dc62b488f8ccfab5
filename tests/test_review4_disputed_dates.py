"""Review: a disputed date is marked where a listing shows it, as a disputed cause or amount is
(README "When sources disagree": a disputed field says so).

Fictional: the multi-source fixture, plus an interview (no archived text) that dates Li Ming's
departure to September 2024 where the report says "by October 2024". By the rule the interview
(weightier than an article) is shown first, so `people` shows `2024-09`, in a row whose Source
column is the report, whose quote gives no month, and the table (which has no `disputed`
column) gives no sign that another source dates it differently."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO, run_cli

FIXTURE = REPO / "tests" / "fixtures" / "multisource"

ALSO_END = """      - source: fictional-podcast-2025-04
        quote: Li Ming stepped back in September 2024
        end: 2024-09
"""


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "kb")
    data = tmp_path / "kb" / "data"
    with (data / "tenures.yaml").open("a", encoding="utf-8") as f:
        f.write(ALSO_END)
    return data


def _row(kb: Path) -> dict[str, object]:
    result = run_cli("--data", str(kb), "people", "--left", "xinghe", "--format", "json")
    assert result.exit_code == 0, result.stderr
    (row,) = json.loads(result.stdout)
    return dict(row)


def test_the_end_is_disputed_and_the_interviews_date_is_shown_first(kb: Path) -> None:
    row = _row(kb)
    assert row["end"] == "2024-09"
    assert "end" in row["disputed"]  # type: ignore[operator]


def test_the_when_a_row_shows_says_it_is_disputed(kb: Path) -> None:
    when = str(_row(kb)["when"])
    assert "disputed" in when and "by 2024-10" in when, f"a disputed end shown as plain {when!r}"


@pytest.mark.parametrize("columns", ["80", "200"])
def test_the_table_marks_the_disputed_date(kb: Path, columns: str) -> None:
    # The table has one row; its When cell puts each claimed date on a line of its own (a date
    # column never wraps inside a date), so the row is read as a block, not as one line.
    result = run_cli("--data", str(kb), "people", "--left", "xinghe", env={"COLUMNS": columns})
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("disputed") == 2, f"only the cause is marked disputed:\n{result.stdout}"
    assert "2024-09 |" in result.stdout and "by 2024-10" in result.stdout
    assert max(map(len, result.stdout.splitlines())) <= int(columns)
