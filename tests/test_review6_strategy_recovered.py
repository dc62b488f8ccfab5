"""Review 6 (6a1eb77): strategy's TEMP tables do not outlive a recovered store.

The records as shown are TEMP tables of the store's connection, made once per KnowledgeBase
(strategy_shown.restated). A damaged row read later makes the store recover: its connection is
closed and another opened on a rebuilt store, and the TEMP tables are gone with the old one. The
next strategy query on the same knowledge base fails with 'no such table: temp.deals_as_shown'
(a sqlite3.OperationalError out of the library) instead of giving the answer it gave before.
Fictional multi-source fixture."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from aiorg import strategy, strategy_tables
from aiorg.cache import Cache
from aiorg.loader import load
from aiorg.model import Firm
from tests.conftest import REPO, store_file

FIXTURE = REPO / "tests" / "fixtures" / "multisource"


@pytest.mark.parametrize("kept", [True, False], ids=["copy kept beside the store", "TEMP tables"])
def test_strategy_answers_the_same_after_the_store_recovers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kept: bool
) -> None:
    """With no copy kept beside the store, the tables as shown are TEMP tables: on the recovered
    connection the store makes the restated rows again, and the tables as shown, filled by SQL
    from them, are shadowed anew, never made again empty (aiorg.store.read.Store.temporary)."""
    if not kept:
        monkeypatch.setattr(strategy_tables, "attach", lambda *args, **kwargs: None)
    shutil.copytree(FIXTURE, tmp_path / "kb")
    data = tmp_path / "kb" / "data"
    cache = Cache(tmp_path / "cache")
    load(data, cache=cache).close()
    truth = strategy.classify(load(data, cache=None), firm="xinghe")
    # A row strategy never reads for Xinghe, damaged before the knowledge base is opened.
    db = sqlite3.connect(store_file(cache.root))
    (row,) = db.execute("SELECT data FROM records WHERE id = 'yunfan'").fetchone()
    db.execute("UPDATE records SET data = ? WHERE id = 'yunfan'", (row.replace(b"Yunfan", b"Yunfen"),))
    db.commit()
    db.close()
    kb = load(data, cache=cache)
    assert strategy.classify(kb, firm="xinghe") == truth  # the shown tables are made
    firm = kb.by_id["yunfan"]  # the damaged row is read: the store recovers
    assert isinstance(firm, Firm) and firm.name == "Yunfan Tech"
    assert strategy.classify(kb, firm="xinghe") == truth
