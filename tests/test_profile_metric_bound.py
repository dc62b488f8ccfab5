"""A firm's metrics table says a figure's bound: the bundled team size is planned (预计规模在50人),
and a table reading only "50 people" would state a plan as a fact (review 8, exporter's note)."""

from __future__ import annotations

from tests.conftest import run_cli


def test_the_metrics_table_says_the_figure_is_planned() -> None:
    result = run_cli("firm", "meta-superintelligence-team", "--section", "metrics", env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any(line.split() == ["Bound", "planned"] for line in lines), result.stdout
