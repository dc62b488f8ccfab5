"""Strategy's tables as shown, kept in a SQLite file beside the store and attached to it.

The signal SQL reads each kind's table with its restated rows (aiorg.strategy_shown) in place of
the store's own. Copying a table and indexing it takes seconds at 100k people, so the copy is kept
in the cache, `as-shown/<store>-<key>.sqlite`, keyed by every file's rank and content, the kinds
copied, the rule's inputs (`salt`: the sources and the code) and the cache's format. It is written
to a private temporary and put in place atomically, then attached read-only: a command reading it
never sees half of one.

After an edit, the newest copy of the same store with the same rule inputs is brought up to date
instead of made again: only the sequence ranges of the files whose rank or content changed are
replaced (a file's rows depend only on those, see aiorg.store.write.rank_range). The copy is made
from its own snapshot of the store, which must hold exactly the files the command's snapshot
holds; when it does not (another process updated the store in between), or anything else fails,
no copy is kept, and the caller makes the tables as TEMP tables instead: the copy only costs or
saves time, never changes an answer.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiorg.cache import Cache
from aiorg.kb import KnowledgeBase
from aiorg.store import files as store_files
from aiorg.store import schema
from aiorg.store.schema import kind_tables
from aiorg.store.write import rank_range

#: the schema the copy is attached as
ALIAS = "aiorg_as_shown"
#: copies kept per store: the newest, and the one before it (a reader may still have it open)
KEEP = 2
#: a temporary older than this was left by a process that died
STALE_SECONDS = 3600.0

#: a kind's restated rows for some files (by rank): the typed rows replacing the store's own
RowsOf = Callable[[str, Collection[int]], list[tuple[Any, ...]]]


class _StaleError(Exception):
    """The store changed between the command's snapshot and the copy's."""


@dataclass(frozen=True, slots=True)
class AsShown:
    """An attached copy: the SQL naming each kind's table as shown."""

    path: Path
    kinds: tuple[str, ...]

    @property
    def sql(self) -> str:
        return ", ".join(f"{kind} AS NOT MATERIALIZED (SELECT * FROM {ALIAS}.{kind})" for kind in self.kinds)


def attach(
    kb: KnowledgeBase, cache: Cache, salt: bytes, ranks: dict[int, str], kinds: Sequence[str], rows_of: RowsOf
) -> AsShown | None:
    """The copy for this snapshot of the store (`ranks`: each file's rank and content key),
    made or brought up to date if need be, attached to the knowledge base; None when none can be."""
    store = kb.store_file()
    if store is None:
        return None
    folder = cache.root / "as-shown"
    held = _holding(kb, ranks, kinds)
    key = Cache.digest(salt, json.dumps([sorted(held.items()), list(kinds)]).encode())
    path = folder / f"{store.stem}-{key}.sqlite"
    if not path.exists():
        try:
            folder.mkdir(mode=0o700, exist_ok=True)
            _make(store, path, salt, ranks, held, kinds, rows_of)
        except (OSError, sqlite3.Error, _StaleError):
            return None
        _prune(folder, store.stem, path)
    if not kb.attach(ALIAS, path):
        return None
    return AsShown(path, tuple(kinds))


def _holding(kb: KnowledgeBase, ranks: dict[int, str], kinds: Sequence[str]) -> dict[int, str]:
    """The files (rank: content key) holding records of the kinds copied: the only ones the copy
    depends on, so that editing another file (events.yaml) keeps the copy."""
    span = rank_range(1)[0]
    exists = " OR ".join(
        f"EXISTS (SELECT 1 FROM {kind} WHERE seq >= rank * ?1 AND seq < (rank + 1) * ?1)" for kind in kinds
    )
    return {int(rank): ranks[int(rank)] for (rank,) in kb.query(f"SELECT rank FROM files WHERE {exists}", (span,))}


def _make(
    store: Path,
    path: Path,
    salt: bytes,
    ranks: dict[int, str],
    held: dict[int, str],
    kinds: Sequence[str],
    rows_of: RowsOf,
) -> None:
    """Make the copy at `path`, from a copy of the newest one when there is one (see _base). The
    store's snapshot must hold the files `ranks` names; `held` are the ones with rows copied."""
    base = _base(path.parent, store.stem, salt, kinds)
    temporary = path.parent / f".{path.name}.{os.getpid()}.tmp"
    try:
        if base is not None:
            shutil.copyfile(base, temporary)
        db = sqlite3.connect(store_files.uri(temporary, "rwc"), uri=True, isolation_level=None)
        try:
            db.execute("ATTACH DATABASE ? AS store", (store_files.uri(store, "ro"),))
            db.execute("BEGIN")
            if dict(db.execute("SELECT rank, content_key FROM store.files")) != ranks:
                raise _StaleError
            if base is None:
                _create(db, salt, kinds, rows_of, held)
            else:
                _update(db, kinds, rows_of, held)
            db.execute("DELETE FROM files")
            db.executemany("INSERT INTO files VALUES (?, ?)", held.items())
            db.execute("COMMIT")
        finally:
            db.close()
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)


def _columns(kind: str) -> list[str]:
    return ["seq", *(column.name for column in kind_tables(kind).columns)]


def _create(db: sqlite3.Connection, salt: bytes, kinds: Sequence[str], rows_of: RowsOf, ranks: dict[int, str]) -> None:
    """Every kind's table copied whole, its restated rows put in, then indexed as the store's is."""
    db.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT)")
    db.executemany("INSERT INTO meta VALUES (?, ?)", [("salt", salt.decode()), ("kinds", json.dumps(list(kinds)))])
    db.execute("CREATE TABLE files (rank INTEGER PRIMARY KEY, content_key TEXT)")
    for kind in kinds:
        names = _columns(kind)
        quoted = ", ".join(f'"{name}"' for name in names[1:])
        db.execute(f'CREATE TABLE {kind} ("seq" INTEGER PRIMARY KEY, {quoted})')
        db.execute(f"INSERT INTO {kind} SELECT * FROM store.{kind} ORDER BY seq")
        _restate(db, kind, names, rows_of(kind, ranks))
        for index in schema.kind_indexes(kind):
            db.execute(index)


def _update(db: sqlite3.Connection, kinds: Sequence[str], rows_of: RowsOf, ranks: dict[int, str]) -> None:
    """Replace the rows of every file whose rank or content differs from the copy's."""
    held = dict(db.execute("SELECT rank, content_key FROM files"))
    gone = [rank for rank, key in held.items() if ranks.get(rank) != key]
    fresh = [rank for rank, key in ranks.items() if held.get(rank) != key]
    for kind in kinds:
        for rank in gone:
            db.execute(f"DELETE FROM {kind} WHERE seq >= ? AND seq < ?", rank_range(rank))
        for rank in fresh:
            db.execute(f"INSERT INTO {kind} SELECT * FROM store.{kind} WHERE seq >= ? AND seq < ?", rank_range(rank))
        if fresh:
            _restate(db, kind, _columns(kind), rows_of(kind, fresh))


def _restate(db: sqlite3.Connection, kind: str, names: list[str], rows: list[tuple[Any, ...]]) -> None:
    marks = ", ".join("?" * len(names))
    db.executemany(f"INSERT OR REPLACE INTO {kind} VALUES ({marks})", rows)


def _base(folder: Path, stem: str, salt: bytes, kinds: Sequence[str]) -> Path | None:
    """The newest copy of this store made with the same rule inputs and kinds, if any."""
    for _, candidate in _copies(folder, stem):
        with (
            contextlib.suppress(sqlite3.Error),
            contextlib.closing(sqlite3.connect(store_files.uri(candidate, "ro"), uri=True)) as db,
        ):
            meta = dict(db.execute("SELECT name, value FROM meta"))
            if meta.get("salt") == salt.decode() and meta.get("kinds") == json.dumps(list(kinds)):
                return candidate
    return None


def _copies(folder: Path, stem: str) -> list[tuple[float, Path]]:
    """This store's copies, newest first."""
    found = []
    for candidate in folder.glob(f"{stem}-*.sqlite"):
        with contextlib.suppress(OSError):
            found.append((candidate.stat().st_mtime, candidate))
    return sorted(found, reverse=True)


def _prune(folder: Path, stem: str, keep: Path) -> None:
    """Keep this store's KEEP newest copies, and remove temporaries of processes long gone."""
    for _, old in _copies(folder, stem)[KEEP:]:
        if old != keep:
            with contextlib.suppress(OSError):  # in use where that forbids it (Windows): next time
                old.unlink(missing_ok=True)
    now = time.time()
    for temporary in folder.glob(".*.tmp"):
        with contextlib.suppress(OSError):
            if now - temporary.stat().st_mtime > STALE_SECONDS:
                temporary.unlink()
