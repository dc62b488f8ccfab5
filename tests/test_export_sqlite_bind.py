"""The SQLite export binds its NULLs as NaN (aiorg.export.sqlite_bind), which SQLite stores as NULL,
and no bool: the values Python's sqlite3 binds without its slow adapter look-up. The database must
be the same (tests/test_export_sqlite_whole.py and test_export_sqlite_part.py compare it); here, that
a NULL is stored as NULL, and that the export binds no None nor bool where NaN can stand for NULL.

And the claims table's `disputed` column, now worked out from one reading of a part's statements,
must say what aiorg.claims.disputes says, on the FICTIONAL multisource fixture, where sources disagree.
"""

from __future__ import annotations

import math
import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any, ClassVar

import pytest

from aiorg.cache import Cache
from aiorg.claims import disputes
from aiorg.export import sqlite as sqlite_module
from aiorg.export.sqlite_bind import NULL, bindable, bindable_rows
from aiorg.export.sqlite_claims import _part_claims
from aiorg.kb import KnowledgeBase
from aiorg.loader import load
from aiorg.model import Deal

MULTISOURCE = Path(__file__).parent / "fixtures" / "multisource" / "data"


def test_a_null_is_stored_as_null() -> None:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (a TEXT, b REAL, c INTEGER, d, e INTEGER PRIMARY KEY)")
    db.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?)", bindable_rows([(None, None, None, None, None)]))
    db.execute("INSERT INTO t VALUES (?, ?, ?, ?, ?)", bindable(("x", 2.5, 3, None, None)))
    rows = db.execute("SELECT typeof(a), typeof(b), typeof(c), typeof(d), e FROM t ORDER BY e").fetchall()
    assert rows == [("null", "null", "null", "null", 1), ("text", "real", "integer", "null", 2)]
    assert NULL is None or math.isnan(NULL)


class _Spy(sqlite3.Connection):
    """A connection that keeps the type of every value `executemany` binds."""

    bound: ClassVar[set[type]] = set()

    def executemany(self, sql: str, rows: Iterable[Any], /) -> sqlite3.Cursor:
        rows = list(rows)
        _Spy.bound |= {type(value) for row in rows for value in row}
        return super().executemany(sql, rows)


def test_the_export_binds_no_none_nor_bool(
    bundled_kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if NULL is None:  # pragma: no cover - a SQLite that keeps a NaN: NULL is bound as None there
        pytest.skip("this SQLite does not store a NaN as NULL")
    monkeypatch.delattr(os, "fork")  # every row made (and bound) in this process
    _Spy.bound = set()
    db = sqlite3.connect(tmp_path / "kb.db", factory=_Spy)
    try:
        sqlite_module._setup(db)
        sqlite_module.fill(db, bundled_kb)
        assert db.execute("SELECT count(*) FROM tenures WHERE replaces IS NULL").fetchone()[0] > 0
    finally:
        db.close()
    assert float in _Spy.bound and str in _Spy.bound  # the NULLs (NaN), the text
    assert not _Spy.bound & {type(None), bool}, _Spy.bound


def test_disputed_is_what_disputes_says(tmp_path: Path) -> None:
    """A part's rows for it as a whole (its own source's, then each `also` item's) are disputed
    when any of its fields is; a row for a field, when that field is."""
    kb = load(MULTISOURCE, cache=Cache(tmp_path / "cache"))
    seen = 0
    for kind in ("firms", "people", "tenures", "deals"):
        for record in kb.records(kind):
            parts: list[tuple[str | None, int | None, Any]] = [(None, None, record)]
            if isinstance(record, Deal):
                parts += [("history", step, entry) for step, entry in enumerate(record.history, 1)]
                parts += [("condition", step, entry) for step, entry in enumerate(record.conditions, 1)]
            for name, step, part in parts:
                want = disputes(part)
                rows = list(_part_claims(record.id, part, name, step))
                wholes = 1 + len(part.also)
                assert [row[-1] for row in rows[:wholes]] == [bool(want)] * wholes, (record.id, name, step)
                assert [row[-1] for row in rows[wholes:]] == [row[3] in want for row in rows[wholes:]]
                seen += sum(row[-1] for row in rows)
    assert seen > 4  # the fixture's sources disagree
