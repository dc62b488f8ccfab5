"""The SQLite export's foreign key check on two cores (aiorg.export.sqlite_check): it must find
what `PRAGMA foreign_key_check` of the whole database finds, the spells' table checked by a
second connection in a helper thread, and an error there must not be lost."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest

from aiorg.export import FORMATS
from aiorg.export import sqlite_check as check_module
from aiorg.export.sqlite_check import foreign_key_problems
from aiorg.export.whole import ExportGraph
from aiorg.kb import KnowledgeBase


@pytest.fixture
def exported(tmp_path: Path, bundled_kb: KnowledgeBase) -> Path:
    out = tmp_path / "kb.db"
    FORMATS["sqlite"].write(bundled_kb, ExportGraph.whole_of(bundled_kb), out)
    return out


def _broken(path: Path) -> sqlite3.Connection:
    """The export with a spell whose person is missing and a deal party whose deal is."""
    db = sqlite3.connect(path)
    db.execute("PRAGMA foreign_keys = OFF")
    spell = db.execute("SELECT id FROM tenures LIMIT 1").fetchone()[0]
    db.execute("UPDATE tenures SET person = 'nobody-at-all' WHERE id = ?", (spell,))
    db.execute("UPDATE deal_parties SET deal = 'no-such-deal' WHERE rowid = (SELECT min(rowid) FROM deal_parties)")
    db.commit()
    return db


def test_a_sound_export_has_no_problems(exported: Path) -> None:
    db = sqlite3.connect(exported)
    assert foreign_key_problems(db, exported) == [] == db.execute("PRAGMA foreign_key_check").fetchall()


def test_it_finds_what_the_whole_check_finds_the_spells_in_the_helper_thread(
    exported: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = _broken(exported)
    checked: list[tuple[bool, tuple[str, ...]]] = []
    real = check_module._problems

    def watched(connection: sqlite3.Connection, tables: list[str]) -> list[Any]:
        checked.append((threading.current_thread() is threading.main_thread(), tuple(tables)))
        return real(connection, tables)

    monkeypatch.setattr(check_module, "_problems", watched)
    found = foreign_key_problems(db, exported)
    want = db.execute("PRAGMA foreign_key_check").fetchall()
    assert {row[0] for row in want} == {"tenures", "deal_parties"}
    assert sorted(found) == sorted(want)
    assert (False, ("tenures",)) in checked  # the spells in the helper thread
    here = [tables for main, tables in checked if main]
    assert len(here) == 1 and "deal_parties" in here[0] and "tenures" not in here[0]


def test_an_error_in_the_helper_thread_is_raised(exported: Path, tmp_path: Path) -> None:
    db = sqlite3.connect(exported)
    with pytest.raises(sqlite3.OperationalError):  # no tenures table in an empty database
        foreign_key_problems(db, tmp_path / "empty.db")
    assert threading.active_count() == 1
