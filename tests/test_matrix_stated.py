"""`strategy --matrix` never shows a label sources only report as an established one.

Its Stated column read `reorganise` for Google, where plain `strategy` reads `reorganise
[reported]`: the only claim behind it is a report. The matrix now marks a stated label with the
certainties of its claims when none of them is confirmed, in the table and in JSON's
`stated_text` (the `stated` list keeps the bare labels)."""

from __future__ import annotations

import json

from aiorg import strategy
from aiorg.kb import KnowledgeBase
from aiorg.queries import ANY_TIME
from aiorg.strategy import load_rules
from tests.conftest import run_cli
from tests.test_strategy_sql import naive_matrix


def test_bundled_matrix_marks_reported_stated_labels(bundled_kb: KnowledgeBase) -> None:
    rows = {row["firm"]: row for row in strategy.matrix(bundled_kb)}
    assert rows["google"]["stated"] == ["reorganise"]
    assert rows["google"]["stated_text"] == "reorganise [reported]"
    assert rows["meta"]["stated_text"] == "buy_talent; reorganise"  # confirmed claims: no mark
    assert strategy.matrix(bundled_kb) == naive_matrix(bundled_kb, window=ANY_TIME, rules=load_rules())


def test_matrix_table_and_json_say_the_same() -> None:
    table = run_cli("strategy", "--matrix", "--format", "json")
    assert table.exit_code == 0
    google = next(row for row in json.loads(table.stdout) if row["firm"] == "google")
    assert google["stated_text"] == "reorganise [reported]"
    wide = run_cli("strategy", "--matrix", env={"COLUMNS": "300"})
    line = next(line for line in wide.stdout.splitlines() if line.startswith("│ Google"))
    assert "reorganise [reported]" in line
