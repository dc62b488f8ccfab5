"""`deals` orders the deals only their own source gives figures for on the store's typed columns
(aiorg.queries.deal_keys) and reads only the records it shows. A record shown must match as its
columns said: a store whose amount column disagrees with its record is answered the slow way,
from the records, never with the column's number."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from aiorg import sync
from aiorg.cache import Cache
from aiorg.loader import load
from aiorg.queries.deals_page import deals_page
from tests.conftest import BUNDLED_DATA


def test_a_column_that_disagrees_with_its_record_is_not_believed(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    whole = deals_page(load(BUNDLED_DATA, cache=cache), limit=None).rows
    assert len(whole) > 3
    last = whole[-1]["deal"]
    with contextlib.closing(sqlite3.connect(sync.store_path(cache, BUNDLED_DATA))) as db:
        db.execute("UPDATE deals SET amount_value = 1e15, amount_currency = 'USD' WHERE id = ?", (last,))
        db.commit()
    kb = load(BUNDLED_DATA, cache=cache)  # the store as it is: its records are intact
    page = deals_page(kb, limit=3)
    assert [row["deal"] for row in page.rows] == [row["deal"] for row in whole[:3]]
    assert page.rows == whole[:3]
    assert page.total == len(whole)
