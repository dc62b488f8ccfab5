"""The headline listing fits the terminal: low-priority columns are hidden, with a note on stderr."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from tests.conftest import run_cli


@pytest.mark.parametrize("columns", [80, 120, 200])
def test_people_left_fits_the_terminal(columns: int) -> None:
    result = run_cli("people", "--left", "minimax", env={"COLUMNS": str(columns)})
    assert result.exit_code == 0
    assert max(cell_len(line) for line in result.stdout.splitlines()) <= columns
    assert "Zhang Qianchuan" in result.stdout and "Wei Wei" in result.stdout


def test_hidden_columns_are_named_on_stderr() -> None:
    result = run_cli("people", "--left", "minimax", env={"COLUMNS": "80"})
    assert "Source" not in result.stdout
    assert result.stderr.startswith("note: hidden to fit 80 columns: Source")
