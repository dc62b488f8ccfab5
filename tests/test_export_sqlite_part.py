"""The SQLite export's forked part (aiorg.export.sqlite_part): the kinds a forked process makes in a
file of its own and the export copies in must give the database the one-core export gives, line
for line of its dump (schema order, rowids, every row), and leave no file or process behind."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from aiorg.export import sqlite as sqlite_module
from aiorg.export.sqlite import write_sqlite
from aiorg.export.sqlite_share import Share
from aiorg.export.whole import ExportGraph
from aiorg.kb import KnowledgeBase
from tests.conftest import no_children_left


def _dump(path: Path) -> list[str]:
    db = sqlite3.connect(path)
    try:
        return list(db.iterdump())
    finally:
        db.close()


def _one_core(kb: KnowledgeBase, out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as patched:
        patched.delattr(os, "fork")
        write_sqlite(kb, ExportGraph.whole_of(kb), out)


@pytest.mark.parametrize("forked", [("tenures", "deals"), ("tenures",), ("people", "deals", "claims"), ()])
def test_the_forked_part_gives_the_one_core_database(
    bundled_kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forked: tuple[str, ...]
) -> None:
    _one_core(bundled_kb, tmp_path / "want.db", monkeypatch)
    monkeypatch.setattr(sqlite_module, "FORKED", forked)
    write_sqlite(bundled_kb, ExportGraph.whole_of(bundled_kb), tmp_path / "got.db")
    want, got = _dump(tmp_path / "want.db"), _dump(tmp_path / "got.db")
    assert len(want) > 1000 and any('INSERT INTO "tenures"' in line for line in want)
    assert got == want
    assert sorted(p.name for p in tmp_path.iterdir()) == ["got.db", "want.db"]  # no part file left
    assert no_children_left()


def test_the_part_is_made_in_another_process(
    bundled_kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The spells' rows are made by the forked process: here, none of the spells is decoded."""
    made_here: list[str] = []
    from aiorg.export.sqlite_rows import kind_rows as real

    def watched(kb: KnowledgeBase, kind: str, kinds: dict[str, str]) -> dict[str, list[list[object]]]:
        if os.getpid() == here:
            made_here.append(kind)
        return real(kb, kind, kinds)

    here = os.getpid()
    monkeypatch.setattr("aiorg.export.sqlite.kind_rows", watched)
    write_sqlite(bundled_kb, ExportGraph.whole_of(bundled_kb), tmp_path / "kb.db")
    assert made_here and not set(made_here) & set(sqlite_module.FORKED)
    db = sqlite3.connect(tmp_path / "kb.db")
    assert db.execute("SELECT count(*) FROM tenures").fetchone()[0] == len(bundled_kb.tenures)
    db.close()


def test_an_sqlite_error_in_the_part_is_an_output_error_and_leaves_nothing(
    bundled_kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The forked process's file is full (its own connection only): the error comes back with its
    name, and neither the export nor the part's file is left."""
    from aiorg.errors import OutputError

    real = sqlite_module._make_part

    def full(db: sqlite3.Connection, kb: KnowledgeBase, share: Share | None = None) -> None:
        db.execute("PRAGMA max_page_count = 3")
        real(db, kb, share)

    monkeypatch.setattr(sqlite_module, "_make_part", full)
    with pytest.raises(OutputError, match="cannot write"):
        write_sqlite(bundled_kb, ExportGraph.whole_of(bundled_kb), tmp_path / "kb.db")
    assert list(tmp_path.iterdir()) == []
    assert no_children_left()


def test_a_part_that_fails_otherwise_fails_the_export(
    bundled_kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(db: sqlite3.Connection, kb: KnowledgeBase, share: Share | None = None) -> None:
        raise KeyError("a bug there")

    monkeypatch.setattr(sqlite_module, "_make_part", broken)
    with pytest.raises(RuntimeError, match="ended early"):
        write_sqlite(bundled_kb, ExportGraph.whole_of(bundled_kb), tmp_path / "kb.db")
    assert list(tmp_path.iterdir()) == []
    assert no_children_left()


@pytest.mark.parametrize("staged_here", [("deals",), (), ("tenures", "deals"), ("tenures",)])
def test_staging_forked_kinds_here_gives_the_one_core_database(
    bundled_kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, staged_here: tuple[str, ...]
) -> None:
    """A forked kind's tables made there and its quotes and claims staged here (STAGED_HERE):
    the same database, line for line, whichever kinds are staged on which side."""
    _one_core(bundled_kb, tmp_path / "want.db", monkeypatch)
    monkeypatch.setattr(sqlite_module, "STAGED_HERE", staged_here)
    write_sqlite(bundled_kb, ExportGraph.whole_of(bundled_kb), tmp_path / "got.db")
    assert _dump(tmp_path / "got.db") == _dump(tmp_path / "want.db")
    assert no_children_left()


def test_the_deals_claims_are_staged_here_and_the_spells_there(
    bundled_kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The deals' tables are made by the forked process and their claims here, so that each
    process has about half of the work (the spells' claims are staged there)."""
    from aiorg.export.sqlite_claims import stage_tuples as real

    staged_here: list[str] = []
    here = os.getpid()

    def watched(db: sqlite3.Connection, schema: str, kind: str, rows: list[tuple[object, ...]], where: object) -> None:
        if os.getpid() == here:
            staged_here.append(kind)
        real(db, schema, kind, rows, where)  # type: ignore[arg-type]

    monkeypatch.setattr(sqlite_module, "stage_tuples", watched)
    write_sqlite(bundled_kb, ExportGraph.whole_of(bundled_kb), tmp_path / "kb.db")
    assert staged_here == ["deals"]
    db = sqlite3.connect(tmp_path / "kb.db")
    kinds = {kind for (kind,) in db.execute("SELECT DISTINCT fact_kind FROM source_claims")}
    db.close()
    assert {"tenures", "deals"} <= kinds
