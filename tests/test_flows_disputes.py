"""A move whose sources disagree on whether (or when) the person left or joined is marked in
`flows`, naming whose move it is; an undisputed move is plain. Fictional knowledge base from
tests/test_review5_kb.py: one source says Sun Yu left Alpha Lab, another that he became an
advisor there and never left."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli
from tests.test_review5_kb import write_kb


def _flows(data: Path, *args: str) -> list[dict[str, object]]:
    result = run_cli("--data", str(data), "flows", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows: list[dict[str, object]] = json.loads(result.stdout)
    return rows


def test_a_disputed_departure_marks_that_persons_move(tmp_path: Path) -> None:
    data = write_kb(tmp_path)
    (row,) = _flows(data, "--from", "alpha-lab")
    assert row["people"] == ["qian-feng", "sun-yu"]
    assert row["status"] == ["moved", "moved (sun-yu: end_cause disputed, 2 sources)"]


def test_undisputed_moves_stay_plain(tmp_path: Path) -> None:
    data = write_kb(tmp_path)
    rows = _flows(data, "--from", "beta")
    assert [r["status"] for r in rows] == [["moved"]]


def test_agreeing_sources_are_no_dispute(tmp_path: Path) -> None:
    data = write_kb(tmp_path)
    tenures = data / "tenures.yaml"
    tenures.write_text(tenures.read_text(encoding="utf-8").replace("end_cause: advisor", "end_cause: left"), "utf-8")
    (row,) = _flows(data, "--from", "alpha-lab")
    assert row["status"] == ["moved"]
