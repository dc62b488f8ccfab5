"""Golden tests: every broken knowledge base under tests/cases fails with its exact messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli

CASES = Path(__file__).parent / "cases"
CASE_DIRS = sorted(p for p in CASES.iterdir() if (p / "expected.txt").is_file())


def test_there_are_cases() -> None:
    assert len(CASE_DIRS) >= 28


@pytest.mark.parametrize("case", CASE_DIRS, ids=lambda p: p.name)
def test_broken_case_never_touches_an_export(case: Path, tmp_path: Path) -> None:
    if (case / "validate-only").exists():
        pytest.skip("only `aiorg validate` checks quotes against the source text")
    previous = tmp_path / "graph.graphml"
    previous.write_text("previous export", encoding="utf-8")
    result = run_cli("--data", str(case / "data"), "export", "graphml", str(previous))
    assert result.exit_code == 1
    assert previous.read_text(encoding="utf-8") == "previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.graphml"]
    assert run_cli("--data", str(case / "data"), "export", "sqlite", str(tmp_path / "new.db")).exit_code == 1
    assert not (tmp_path / "new.db").exists()


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
