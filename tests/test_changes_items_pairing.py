"""aiorg changes matches the items of a list across two versions by what identifies them best, so
a row never tells the reader the wrong step was withdrawn; and a reorder of a set (`inferred`,
`reported_by`) is no change, so no row reads "changed" with nothing after it. On the FICTIONAL
knowledge base of tests/changes_kb.py (Lin Mu, Acme AI, Globex Labs: invented), in a git
repository each test builds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from aiorg.change_items import pair_items
from aiorg.changes import changes
from aiorg.cli import main
from aiorg.dates import FuzzyDate
from aiorg.model import Condition, DealStatus, StatusEntry
from tests.changes_kb import Files, base, record, two_revisions
from tests.conftest import run_cli

JAN = {"date": "2025-01", "status": "rumoured", "source": "s1", "quote": "Fictional: a first rumour"}
FEB = {"date": "2025-02", "status": "rumoured", "source": "s2", "quote": "虚构：第二个传闻"}
AGREED = {"date": "2025-03", "status": "agreed", "source": "s1", "quote": "Fictional: agreed"}


@pytest.fixture(autouse=True)
def _no_outer_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """git must not find a repository above the test's directory; the command is registered."""
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    entry = ("aiorg.cli.change_commands", "What changed in the knowledge base between two git revisions.")
    monkeypatch.setitem(main.COMMAND_INDEX, "changes", main.COMMAND_INDEX.get("changes", entry))


def _summaries(tmp_path: Path, first: Files, second: Files) -> list[str]:
    rows = changes(two_revisions(tmp_path, first, second), "HEAD~1", "HEAD").rows
    assert all(row["before"] != row["after"] for row in rows), rows
    return [row["summary"] for row in rows]


def _history(*steps: dict[str, Any]) -> Files:
    files = base()
    record(files, "d-acme-globex")["history"] = list(steps)
    return files


def test_removing_one_of_two_rumours_names_the_one_removed(tmp_path: Path) -> None:
    """The defect: the January rumour was removed and the February one got a note, but the feed
    paired the February step with the January one ("source 's1' → 's2'; … date 2025-01 →
    2025-02") and said "step rumoured 2025-02 removed": the wrong rumour withdrawn."""
    first = _history(JAN, FEB, AGREED)
    second = _history(FEB | {"note": "Fictional: a second rumour"}, AGREED)
    assert _summaries(tmp_path, first, second) == [
        "deal d-acme-globex: step rumoured 2025-02: note added: 'Fictional: a second rumour'",
        "deal d-acme-globex: step rumoured 2025-01 removed (certainty confirmed)",
    ]


def _step(date: str, source: str, status: str = "rumoured") -> StatusEntry:
    return StatusEntry(date=FuzzyDate.parse(date), status=DealStatus(status), source=source, quote=["q"])


def test_steps_pair_on_status_source_and_date_then_fewer_keys() -> None:
    jan, feb = _step("2025-01", "s1"), _step("2025-02", "s2")
    # the same source with a corrected date: paired by status and source, not with the first rumour
    feb_moved = _step("2025-02-20", "s2")
    assert pair_items([jan, feb], [feb_moved]) == [(feb, feb_moved), (jan, None)]
    # another source on the same date: paired by status and date
    feb_recredited = _step("2025-02", "s3")
    assert pair_items([jan, feb], [feb_recredited]) == [(feb, feb_recredited), (jan, None)]
    # source and date both changed: still the same step, by its status alone
    other = _step("2025-04", "s3")
    assert pair_items([jan], [other]) == [(jan, other)]
    # a key that matches exactly wins over a weaker match claimed by an earlier item
    assert pair_items([jan, feb], [_step("2025-01", "s2"), feb]) == [(jan, _step("2025-01", "s2")), (feb, feb)]
    agreed = _step("2025-01", "s1", "agreed")  # another status is another step
    assert pair_items([jan], [agreed]) == [(None, agreed), (jan, None)]


def test_two_conditions_alike_in_text_pair_by_their_source() -> None:
    one = Condition(text="Fictional: founders stay", source="s1", quote=["q"])
    two = Condition(text="Fictional: founders stay", source="s2", quote=["q"])
    noted = Condition(text="Fictional: founders stay", source="s2", quote=["q"], note="Fictional note.")
    assert pair_items([one, two], [noted]) == [(two, noted), (one, None)]


def test_a_reordered_set_on_a_record_is_no_change(tmp_path: Path) -> None:
    """The defect: "Lin Mu's spell at Acme AI: " with nothing after it."""
    first, second = base(), base()
    record(first, "t-lin-acme").update(inferred=["end", "end_cause"], reported_by=["globex", "acme"])
    record(second, "t-lin-acme").update(inferred=["end_cause", "end"], reported_by=["acme", "globex"])
    data = two_revisions(tmp_path, first, second)
    assert changes(data, "HEAD~1", "HEAD").rows == []
    found = run_cli("--data", str(data), "changes", "--since", "HEAD~1", "--until", "HEAD", "--format", "json")
    assert json.loads(found.stdout) == []


def test_a_reordered_set_on_a_step_is_no_change(tmp_path: Path) -> None:
    """The defect: "step agreed 2025-03: changed"."""
    first = _history(JAN, AGREED | {"inferred": ["date", "status"], "reported_by": ["globex", "acme"]})
    second = _history(JAN, AGREED | {"inferred": ["status", "date"], "reported_by": ["acme", "globex"]})
    assert _summaries(tmp_path, first, second) == []


def test_a_reorder_beside_a_real_change_tells_only_the_change(tmp_path: Path) -> None:
    first = _history(JAN, AGREED | {"inferred": ["date", "status"]})
    second = _history(JAN, AGREED | {"inferred": ["status", "date"], "reported_by": ["initech"]})
    assert _summaries(tmp_path, first, second) == ["deal d-acme-globex: step agreed 2025-03: now credited to initech"]
    (tmp_path / "record").mkdir()
    first, second = base(), base()
    record(first, "p-kim").update(inferred=["name", "name_zh"])
    record(second, "p-kim").update(inferred=["name_zh", "name"], note="Fictional note.")
    assert _summaries(tmp_path / "record", first, second) == ["Kim Ode: note added: 'Fictional note.'"]
