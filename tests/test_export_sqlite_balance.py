"""How the SQLite export shares its work between its two processes (aiorg.export.sqlite.FORKED):
the forked process makes the spells' tables, quotes and claims and this one everything else, the
deals included (forked too, the other process had a third more work than this one at 100k people)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from aiorg.export import sqlite as sqlite_module
from aiorg.export.sqlite import write_sqlite
from aiorg.export.whole import ExportGraph
from aiorg.kb import KnowledgeBase
from tests.conftest import no_children_left


def test_the_deals_tables_are_made_here_and_the_spells_there(
    bundled_kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aiorg.export.sqlite_rows import tuple_rows as real

    here, made_here = os.getpid(), []

    def watched(kind: str, records: list[tuple[Any, ...]], named: Any) -> dict[str, list[list[Any]]]:
        if os.getpid() == here:
            made_here.append(kind)
        return real(kind, records, named)

    monkeypatch.setattr(sqlite_module, "tuple_rows", watched)
    write_sqlite(bundled_kb, ExportGraph.whole_of(bundled_kb), tmp_path / "kb.db")
    assert made_here == ["deals"]
    db = sqlite3.connect(tmp_path / "kb.db")
    try:
        assert db.execute("SELECT count(*) FROM tenures").fetchone()[0] == len(bundled_kb.tenures) > 0
        assert db.execute("SELECT count(*) FROM deals").fetchone()[0] == len(bundled_kb.deals) > 0
    finally:
        db.close()
    assert no_children_left()


@pytest.mark.parametrize("forked", [("tenures",), ("people", "deals", "claims"), ()])
def test_each_claim_names_its_fact_in_its_own_kinds_column_only(
    bundled_kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forked: tuple[str, ...]
) -> None:
    """Runs of one kind and of several kinds (aiorg.export.sqlite_claims._facts): the fact is in
    the column of its kind, and every other kind's column is NULL."""
    from aiorg.export.sqlite_claims import FACT_COLUMNS, TABLE

    monkeypatch.setattr(sqlite_module, "FORKED", forked)
    write_sqlite(bundled_kb, ExportGraph.whole_of(bundled_kb), tmp_path / "kb.db")
    db = sqlite3.connect(tmp_path / "kb.db")
    try:
        columns = ", ".join(f'"{column}"' for column in FACT_COLUMNS.values())
        rows = db.execute(f"SELECT fact, fact_kind, {columns} FROM {TABLE}").fetchall()
    finally:
        db.close()
    assert {kind for _, kind, *_ in rows} >= {"people", "firms", "tenures", "deals"}
    for fact, kind, *facts in rows:
        assert facts == [fact if column == kind else None for column in FACT_COLUMNS], (fact, kind)
