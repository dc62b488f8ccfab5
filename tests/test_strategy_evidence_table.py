"""Plain `aiorg strategy`'s evidence table writes out only the facts it shows
(strategy.evidence_page) but counts them all: its note gives the number of facts the firms shown
have, as their JSON rows hold them (signal evidence, then what sources state), and its rows are
the first of those facts."""

from __future__ import annotations

import pytest

from aiorg import strategy, strategy_evidence
from aiorg.loader import load
from tests.conftest import BUNDLED_DATA, run_cli


def test_the_evidence_note_counts_every_fact_of_the_firms_shown() -> None:
    done = run_cli("strategy", "--limit", "3", "--format", "table", env={"COLUMNS": "400"})
    assert done.exit_code == 0, done.stderr
    kb = load(BUNDLED_DATA)
    try:
        first3, _ = strategy.classify_page(kb, limit=3)
    finally:
        kb.close()
    total = sum(len(row["evidence"]) + len(row["stated"]) for row in first3)
    assert f"note: showing the first 3 of {total:,} facts of evidence, firm by firm" in done.stderr
    shown = [item["text"] for row in first3 for item in row["evidence"]][:3]
    left_out = [item["text"] for row in first3 for item in row["evidence"]][3:]
    body = done.stdout.split("Signal", 1)[1]  # the evidence table, after the firms'
    assert [text for text in shown if text in body] == shown
    assert not [text for text in left_out if text in body and text not in shown]


def test_a_page_of_evidence_writes_out_only_the_facts_it_shows(monkeypatch: pytest.MonkeyPatch) -> None:
    """Naming a fact's disputes and quotes is most of plain strategy's time: a page of evidence
    counts every fact of its firms but writes out (strategy_evidence.Builder) only those shown."""
    written: list[object] = []
    build = strategy_evidence.Builder.__call__

    def counted(self: strategy_evidence.Builder, pending: strategy_evidence.Pending) -> strategy_evidence.Evidence:
        written.append(pending)
        return build(self, pending)

    monkeypatch.setattr(strategy_evidence.Builder, "__call__", counted)
    kb = load(BUNDLED_DATA)
    try:
        firms = [row["firm"] for row in strategy.classify_page(kb, limit=5, with_evidence=False)[0]]
        facts, total = strategy.evidence_page(kb, firms, limit=2)
    finally:
        kb.close()
    assert total > 4 and len(facts) == 2
    assert len(written) == 2
