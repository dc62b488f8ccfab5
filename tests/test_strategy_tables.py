"""Strategy's tables as shown are kept in a file beside the store (aiorg.strategy_tables): made
once, attached by later runs, brought up to date by an edit (only the edited file's rows), and
never the cause of a different answer: every answer here is compared with the one made without a
cache (TEMP tables). Fictional multi-source fixture."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from aiorg import strategy, strategy_tables
from aiorg.cache import Cache
from aiorg.loader import load
from tests.conftest import REPO

FIXTURE = REPO / "tests" / "fixtures" / "multisource"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "kb")
    return tmp_path / "kb" / "data"


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """How each copy was made: 'create' (from nothing) or 'update' (from the newest copy)."""
    calls: list[str] = []
    create, update = strategy_tables._create, strategy_tables._update

    def counted_create(*args: Any) -> None:
        calls.append("create")
        create(*args)

    def counted_update(*args: Any) -> None:
        calls.append("update")
        update(*args)

    monkeypatch.setattr(strategy_tables, "_create", counted_create)
    monkeypatch.setattr(strategy_tables, "_update", counted_update)
    return calls


def _answer(data: Path, cache: Cache | None) -> Any:
    kb = load(data, cache=cache)
    try:
        return strategy.classify(kb, firm="xinghe"), strategy.matrix(kb)
    finally:
        kb.close()


def _signals(answer: Any) -> dict[str, list[str]]:
    (row,) = answer[0]
    found: dict[str, list[str]] = {}
    for line in row["evidence"]:
        found.setdefault(line["signal"], []).append(line["record"])
    return found


def _copies(cache: Cache) -> list[Path]:
    return sorted((cache.root / "as-shown").glob("*.sqlite"))


def _tables(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    with sqlite3.connect(path) as db:
        return {kind: db.execute(f"SELECT * FROM {kind} ORDER BY seq").fetchall() for kind in ("tenures", "deals")}


def test_the_copy_is_made_once_then_attached(data: Path, tmp_path: Path, made: list[str]) -> None:
    cache = Cache(tmp_path / "cache")
    truth = _answer(data, None)
    assert _answer(data, cache) == truth
    assert made == ["create"] and len(_copies(cache)) == 1
    assert _answer(data, cache) == truth
    assert made == ["create"]  # attached, not made again
    assert "li-ming-xinghe-product" in _signals(truth)["advisor_moves"]  # the statement is shown first


def test_an_edit_replaces_the_edited_files_rows_and_changes_the_answer(
    data: Path, tmp_path: Path, made: list[str]
) -> None:
    cache = Cache(tmp_path / "cache")
    _answer(data, cache)
    (first,) = _copies(cache)
    # The statement now says he left too: nothing is disputed, and he counts as a departure.
    tenures = data / "tenures.yaml"
    text = tenures.read_text(encoding="utf-8")
    assert text.count("end_cause: advisor") == 1
    tenures.write_text(text.replace("end_cause: advisor", "end_cause: left"), encoding="utf-8")
    truth = _answer(data, None)
    assert "li-ming-xinghe-product" in _signals(truth)["executive_departures"]
    assert _answer(data, cache) == truth
    assert made == ["create", "update"]
    (updated,) = set(_copies(cache)) - {first}
    fresh = Cache(tmp_path / "fresh")
    _answer(data, fresh)
    (made_whole,) = _copies(fresh)
    assert _tables(updated) == _tables(made_whole)  # row for row what a copy made from nothing holds
    assert _tables(updated) != _tables(first)
    # Disputed again (the statement: demoted), from the copy just made: its restated row goes in.
    tenures.write_text(text.replace("end_cause: advisor", "end_cause: demoted"), encoding="utf-8")
    assert _answer(data, cache) == _answer(data, None)
    assert made == ["create", "update", "create", "update"]
    # Back again: the first copy is gone (KEEP), so the newest is brought up to date.
    tenures.write_text(text, encoding="utf-8")
    assert _answer(data, cache) == _answer(data, None)
    assert made == ["create", "update", "create", "update", "update"]  # (only KEEP copies are kept)
    assert len(_copies(cache)) == strategy_tables.KEEP


def test_editing_a_file_with_no_copied_records_keeps_the_copy(data: Path, tmp_path: Path, made: list[str]) -> None:
    cache = Cache(tmp_path / "cache")
    _answer(data, cache)
    people = data / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    assert _answer(data, cache) == _answer(data, None)
    assert made == ["create"]


def test_a_store_changed_since_the_snapshot_gets_no_copy(data: Path, tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    kb = load(data, cache=cache)
    try:
        ranks = {int(rank): str(key) for rank, key in kb.query("SELECT rank, content_key FROM files")}
        ranks[max(ranks)] = "another version"
        copy = strategy_tables.attach(kb, cache, b"salt", ranks, ["tenures"], lambda kind, ranks: [])
    finally:
        kb.close()
    assert copy is None
    assert not any((cache.root / "as-shown").iterdir())  # no copy, no temporary left behind


def test_no_room_for_a_copy_gives_the_same_answer(data: Path, tmp_path: Path, made: list[str]) -> None:
    cache = Cache(tmp_path / "cache")
    (cache.root / "as-shown").write_text("not a folder", encoding="utf-8")
    assert _answer(data, cache) == _answer(data, None)
    assert made == []
