"""The spells' quotes and claims are staged by both processes of the SQLite export, a chunk at a
time (aiorg.export.sqlite_share): whichever process stages which chunks, the database must be the
one-core export's, line for line of its dump, no quote or claim lost, doubled or moved."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from aiorg.export import sqlite as sqlite_module
from aiorg.export import sqlite_share
from aiorg.export.sqlite import write_sqlite
from aiorg.export.sqlite_share import Share
from aiorg.export.whole import ExportGraph
from aiorg.kb import KnowledgeBase
from tests.conftest import no_children_left
from tests.test_export_sqlite_part import _dump


class _Halves(Share):
    """A share whose forked part takes the back half of the chunks and this process, once the part
    is done with those, the front half: both stage some, whatever the timing."""

    chunks = 0  # how many there are
    taken_here = 0

    def take_back(self) -> int | None:
        if self._state[1] <= _Halves.chunks // 2:
            return None
        return super().take_back()

    def take_front(self) -> int | None:
        deadline = time.monotonic() + 30
        while self._state[1] != _Halves.chunks // 2 and time.monotonic() < deadline:
            time.sleep(0.01)  # the part is not done with its half yet
        chunk = super().take_front()
        _Halves.taken_here += chunk is not None
        return chunk


def test_chunks_staged_by_both_processes_give_the_one_core_database(
    bundled_kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as one_core:
        one_core.delattr(os, "fork")
        write_sqlite(bundled_kb, ExportGraph.whole_of(bundled_kb), tmp_path / "want.db")
    monkeypatch.setattr(sqlite_share, "CHUNK", 2)  # about ten chunks of the bundled spells
    monkeypatch.setattr(sqlite_module, "Share", _Halves)
    _Halves.chunks, _Halves.taken_here = -(-len(bundled_kb.tenures) // 2), 0
    write_sqlite(bundled_kb, ExportGraph.whole_of(bundled_kb), tmp_path / "got.db")
    assert _Halves.chunks >= 6 and _Halves.taken_here == _Halves.chunks // 2  # the rest staged by the part
    want, got = _dump(tmp_path / "want.db"), _dump(tmp_path / "got.db")
    assert sum('INSERT INTO "source_claims"' in line and "'tenures'" in line for line in want) >= len(
        bundled_kb.tenures
    )
    assert got == want
    assert sorted(p.name for p in tmp_path.iterdir()) == ["got.db", "want.db"]
    assert no_children_left()


def test_chunks_are_taken_once_from_either_end() -> None:
    share = Share()
    assert share.take_front() is None and share.take_back() is None  # not opened: nothing to take
    share.open(5 * sqlite_share.CHUNK + 1)  # six chunks
    taken = [share.take_front(), share.take_back(), share.take_back(), share.take_front()]
    assert taken == [0, 5, 4, 1]
    assert [share.take_back(), share.take_back(), share.take_back(), share.take_front()] == [3, 2, None, None]
