"""`strategy --matrix` never shows a label sources only report as an established one.

Its Stated column read `reorganise` for Google, where plain `strategy` reads `reorganise
[reported]`: the only claim behind it is a report. The matrix now marks a stated label with the
certainties of its claims when none of them is confirmed, in the table and in JSON's
`stated_text` (the `stated` list keeps the bare labels)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from aiorg import strategy
from aiorg.kb import KnowledgeBase
from aiorg.loader import load
from aiorg.queries import ANY_TIME
from aiorg.queries.profiles import firm_profile
from aiorg.strategy import load_rules
from tests.conftest import run_cli, write_spec
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


def _claims_kb(folder: Path) -> KnowledgeBase:
    """Two fictional claims whose sources disagree on how firm they are: an official statement
    outweighs an article (README, "When sources disagree")."""
    said = {"quote": "a quote"}
    spec: dict[str, list[dict[str, Any]]] = {
        "sources": [
            {"id": "art", "title": "A fictional article", "published": "2025-01", "kind": "article"},
            {"id": "off", "title": "A fictional statement", "published": "2025-02", "kind": "official_statement"},
        ],
        "firms": [{"id": f, "name": f.title(), "source": "art", **said} for f in ("alp", "bet")],
        "claims": [
            {"id": "c-alpha", "subjects": ["alp"], "strategy": "reorganise", "text": "Alp reorganises", "source": "art",
             **said, "also": [{"source": "off", **said, "certainty": "rumoured"}]},
            {"id": "c-beta", "subjects": ["bet"], "strategy": "reorganise", "text": "Bet reorganises", "source": "art",
             "certainty": "reported", **said, "also": [{"source": "off", **said, "certainty": "confirmed"}]},
        ],
    }  # fmt: skip
    write_spec(folder, spec)
    return load(folder)


def test_a_claims_certainty_is_the_one_shown_first(tmp_path: Path) -> None:
    """The article says confirmed and the firm's statement rumoured: strategy, the matrix and the
    firm's profile read the claim as rumoured, as `conflicts` shows it first (they read the
    article's own certainty); and the other way round."""
    kb = _claims_kb(tmp_path / "data")
    matrix = {row["firm"]: row["stated_text"] for row in strategy.matrix(kb)}
    assert matrix == {"alp": "reorganise [rumoured]", "bet": "reorganise"}
    plain = {row["firm"]: [s["certainty"] for s in row["stated"]] for row in strategy.classify(kb)}
    assert plain == {"alp": ["rumoured"], "bet": ["confirmed"]}
    profile = firm_profile(kb, "alp")
    assert [claim["certainty"] for claim in profile["claims"]] == ["rumoured"]
    assert strategy.matrix(kb) == naive_matrix(kb, window=ANY_TIME, rules=load_rules())
