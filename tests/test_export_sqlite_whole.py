"""The whole SQLite export (part of it made by a forked process: aiorg.export.sqlite_part) must
hold what `fill` writes on a connection of its own, its claims must be those record_claims gives,
the export without a forked process must be the same, and an error must end it cleanly."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from aiorg.export import sqlite as sqlite_module
from aiorg.export.sqlite import fill, write_sqlite
from aiorg.export.whole import ExportGraph
from aiorg.kb import KnowledgeBase
from tests.conftest import no_children_left


def _tables(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows in rowid order (FTS tables point at rowids), and the schema."""
    db = sqlite3.connect(path)
    try:
        names = [n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        found = {"schema": db.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()}
        for name in names:
            found[name] = db.execute(f'SELECT * FROM "{name}"').fetchall()
            if "fts" not in name:
                found[name + " rowids"] = db.execute(f'SELECT rowid FROM "{name}" ORDER BY rowid').fetchall()
        return found
    finally:
        db.close()


def test_the_forked_database_holds_what_fill_writes_here(bundled_kb: KnowledgeBase, tmp_path: Path) -> None:
    direct = sqlite3.connect(tmp_path / "direct.db")
    sqlite_module._setup(direct)
    fill(direct, bundled_kb)
    direct.close()
    write_sqlite(bundled_kb, ExportGraph.whole_of(bundled_kb), tmp_path / "forked.db")
    want, got = _tables(tmp_path / "direct.db"), _tables(tmp_path / "forked.db")
    assert got.keys() == want.keys() and len(got["source_claims"]) > 100
    for name in want:
        assert got[name] == want[name], name
    assert no_children_left()


def test_an_error_here_ends_the_process_and_leaves_no_file(
    bundled_kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(db: Any, kb: KnowledgeBase) -> None:
        db.execute("CREATE TABLE t (x)")
        raise KeyboardInterrupt  # as Ctrl-C while the rows are made

    monkeypatch.setattr(sqlite_module, "fill", broken)
    with pytest.raises(KeyboardInterrupt):
        write_sqlite(bundled_kb, ExportGraph.whole_of(bundled_kb), tmp_path / "kb.db")
    assert list(tmp_path.iterdir()) == []
    assert no_children_left()


def test_claims_rows_are_those_record_claims_gives(bundled_kb: KnowledgeBase, tmp_path: Path) -> None:
    """fill_claims writes a record with one source and no parts without record_claims: the rows
    must be the ones record_claims gives, for those and for the rest."""
    from aiorg.export.sqlite_claims import FACT_COLUMNS, QUOTE_JOIN, _Locator, record_claims

    where = _Locator(bundled_kb.source_texts)
    want = []
    for kind in FACT_COLUMNS:
        for record in bundled_kb.records(kind):
            for fact, part, step, field, value, source, quote, own, preferred, disputed in record_claims(record):
                locator, checked = where(source, quote)
                quoted = QUOTE_JOIN.join(quote)
                row = (fact, kind, part, step, field, value, source, quoted, locator, checked, int(own), preferred)
                want.append((*row, int(disputed)))
    write_sqlite(bundled_kb, ExportGraph.whole_of(bundled_kb), tmp_path / "kb.db")
    db = sqlite3.connect(tmp_path / "kb.db")
    columns = "fact, fact_kind, part, step, field, value, source, quote, locator, checked, own, preferred, disputed"
    got = db.execute(f"SELECT {columns} FROM source_claims ORDER BY id").fetchall()
    db.close()
    assert got == want
    assert any(part is None and step is None for _, _, part, step, *_ in got)  # the short way was taken


@pytest.mark.parametrize("how", ["no fork on this system", "the system refuses a process"])
def test_without_a_forked_process_the_export_is_the_same(
    bundled_kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    write_sqlite(bundled_kb, ExportGraph.whole_of(bundled_kb), tmp_path / "forked.db")
    if how == "no fork on this system":  # Windows
        monkeypatch.delattr(os, "fork")
    else:

        def refused() -> int:
            raise BlockingIOError(11, "Resource temporarily unavailable")

        monkeypatch.setattr(os, "fork", refused)
    opened = len(list(Path("/proc/self/fd").iterdir()))
    write_sqlite(bundled_kb, ExportGraph.whole_of(bundled_kb), tmp_path / "here.db")
    want, got = _tables(tmp_path / "forked.db"), _tables(tmp_path / "here.db")
    assert got.keys() == want.keys() and len(got["source_claims"]) > 100
    for name in want:
        assert got[name] == want[name], name
    assert len(list(Path("/proc/self/fd").iterdir())) <= opened  # no pipe left open
