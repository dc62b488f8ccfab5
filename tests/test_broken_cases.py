"""Golden tests: every broken knowledge base under tests/cases fails with its exact messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli

CASES = Path(__file__).parent / "cases"
CASE_DIRS = sorted(p for p in CASES.iterdir() if (p / "expected.txt").is_file())


def test_there_are_cases() -> None:
    assert len(CASE_DIRS) >= 10


@pytest.mark.parametrize("case", CASE_DIRS, ids=lambda p: p.name)
def test_broken_case(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected_lines = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    expected_exit = int(expected_lines[-1].removeprefix("exit: "))
    monkeypatch.chdir(case)
    result = run_cli("--data", "data", "validate")
    assert result.exit_code == expected_exit
    assert result.stderr.splitlines() == expected_lines[:-1]
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
