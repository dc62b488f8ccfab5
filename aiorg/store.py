"""A knowledge base's records in SQLite, so a warm query reads only the records it touches.

One store per data directory, next to the compiled cache (so under the same trust model). It
holds the records of a set of file versions that loaded and cross-checked cleanly, and it is
kept up to date file by file: after an edit only the edited file's rows are replaced, in one
transaction, so a 100k-person knowledge base is not rewritten because one line changed.

Each record is its codec tuple, marshalled, under a sequence number that keeps file order:
`rank * 2**24 + position in file`, where ranks are spaced so that a new file can be slotted in
between two others. A few fields are indexed (INDEXED) so that "the spells at this firm" is an
index lookup; each file's row lists every id it refers to, so removing a record can be checked
against everything that points at it without reading other files.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import signal
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from aiorg import codec
from aiorg.model import RECORD_KINDS

#: (kind, field) pairs looked up by value; list fields index each element
INDEXED: tuple[tuple[str, str], ...] = (
    ("tenures", "person"),
    ("tenures", "firm"),
    ("tenures", "replaces"),
    ("tenures", "after"),
    ("deals", "buyers"),
    ("deals", "targets"),
    ("deals", "people"),
    ("firms", "parent"),
)

_POSITION_BITS = 24  # a 128 MB file cannot hold 2**24 records
RANK_STEP = 1 << 20  # room for twenty halvings between neighbouring files
SCHEMA_VERSION = "6"

_SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE files (rank INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, content_key TEXT NOT NULL,
                    stat_key TEXT NOT NULL, targets BLOB NOT NULL);
CREATE TABLE records (kind TEXT NOT NULL, seq INTEGER NOT NULL, id TEXT NOT NULL, data BLOB NOT NULL,
                      PRIMARY KEY (kind, seq)) WITHOUT ROWID;
CREATE TABLE record_keys (seq INTEGER NOT NULL, slot INTEGER NOT NULL, key TEXT NOT NULL,
                          PRIMARY KEY (seq, slot, key)) WITHOUT ROWID;
CREATE TABLE source_texts (id TEXT PRIMARY KEY, path TEXT NOT NULL, rank INTEGER NOT NULL);
"""
# Built after the rows are in when a store is written whole: one sort instead of a b-tree insert per row.
_INDEXES = """
CREATE UNIQUE INDEX records_id ON records(id);
CREATE INDEX record_keys_lookup ON record_keys(key, slot);
"""


@dataclass(frozen=True, slots=True)
class FileVersion:
    """One data file as the store knows it."""

    name: str  # path relative to the data directory
    content_key: str  # digest of its bytes
    stat_key: str  # digest of its stat, to see it unchanged without reading it


@dataclass(slots=True)
class FileRows:
    """What one file puts in the store."""

    version: FileVersion
    records: dict[str, list[tuple[Any, ...]]]  # kind -> codec tuples, in file order
    targets: set[str]  # every id the file refers to
    source_texts: dict[str, Path]  # source id -> its text file


def _first_seq(rank: int) -> int:
    return rank << _POSITION_BITS


def _rank_range(rank: int) -> tuple[int, int]:
    return _first_seq(rank), _first_seq(rank + 1)


class BackgroundWriter:
    """Writes a whole store in a forked process while the loader runs its checks and answers,
    and puts it in place only if the checks pass.

    A fork sees the parsed payloads without copying them and writes on the other core, with no
    GIL between it and the checks; where there is no fork, the store is written here and now.
    """

    def __init__(self, path: Path, files: Callable[[], Iterable[FileRows]]) -> None:
        self._path = path
        self._temporary = _temporary_next_to(path)
        self._pid: int | None = None
        self._written = False
        if not hasattr(os, "fork"):
            self._written = self._write(files)
            return
        pid = os.fork()
        if pid == 0:  # the child: write, then leave without running any of the parent's clean-up
            os._exit(0 if self._write(files) else 1)
        self._pid = pid

    def _write(self, files: Callable[[], Iterable[FileRows]]) -> bool:
        db = sqlite3.connect(self._temporary)
        try:
            _fill_connection(db, files())
            return True
        except (sqlite3.Error, OSError, KeyboardInterrupt):
            return False  # a store that cannot be written only costs speed
        finally:
            db.close()

    def publish(self) -> bool:
        """Wait for the store and put it in place; False if it could not be written."""
        if self._pid is not None:
            _, status = os.waitpid(self._pid, 0)
            self._pid = None
            self._written = os.waitstatus_to_exitcode(status) == 0
        if self._written:
            self._temporary.replace(self._path)
        return self._written

    def discard(self) -> None:
        """Stop writing (the load failed or was interrupted) and remove any unfinished store."""
        if self._pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
            self._pid = None
        self._temporary.unlink(missing_ok=True)


def _temporary_next_to(path: Path) -> Path:
    # A private temporary name: two aiorg processes may build the same store at once.
    descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
    os.close(descriptor)
    return Path(name)


def _fill_connection(db: sqlite3.Connection, files: Iterable[FileRows]) -> None:
    # Until it is renamed into place nobody reads it, so it needs no journal or fsync.
    db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + _SCHEMA)
    db.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
    for number, rows in enumerate(files, start=1):
        insert_file(db, number * RANK_STEP, rows)
    db.executescript(_INDEXES)
    db.commit()


def insert_file(db: sqlite3.Connection, rank: int, rows: FileRows) -> None:
    """Add one file's rows under `rank`; IntegrityError if one of its ids is already taken."""
    version = rows.version
    targets = marshal.dumps(sorted(rows.targets))
    db.execute(
        "INSERT INTO files VALUES (?, ?, ?, ?, ?)", (rank, version.name, version.content_key, version.stat_key, targets)
    )
    first = _first_seq(rank)
    for kind, kind_rows in rows.records.items():
        cls = cast(type, RECORD_KINDS[kind])
        id_at = codec.field_index(cls, "id")
        db.executemany(
            "INSERT INTO records VALUES (?, ?, ?, ?)",
            ((kind, seq, row[id_at], marshal.dumps(row)) for seq, row in enumerate(kind_rows, start=first)),
        )
        slots = [(slot, codec.field_index(cls, field)) for slot, (of, field) in enumerate(INDEXED) if of == kind]
        if slots:
            # In primary-key order (record, then slot), so the b-tree is only ever appended to.
            db.executemany(
                "INSERT OR IGNORE INTO record_keys VALUES (?, ?, ?)",
                (
                    (seq, slot, key)
                    for seq, row in enumerate(kind_rows, start=first)
                    for slot, at in slots
                    for key in _keys(row[at])
                ),
            )
    db.executemany(
        "INSERT INTO source_texts VALUES (?, ?, ?)", ((k, str(v), rank) for k, v in rows.source_texts.items())
    )


def delete_file(db: sqlite3.Connection, rank: int) -> dict[str, str]:
    """Remove one file's rows; returns the ids it defined, with their kinds."""
    low, high = _rank_range(rank)
    defined: dict[str, str] = {}
    for kind in RECORD_KINDS:
        where = "FROM records WHERE kind = ? AND seq >= ? AND seq < ?"
        defined.update((str(record_id), kind) for (record_id,) in db.execute(f"SELECT id {where}", (kind, low, high)))
        db.execute(f"DELETE {where}", (kind, low, high))
    db.execute("DELETE FROM record_keys WHERE seq >= ? AND seq < ?", (low, high))
    db.execute("DELETE FROM source_texts WHERE rank = ?", (rank,))
    db.execute("DELETE FROM files WHERE rank = ?", (rank,))
    return defined


def file_order(name: str) -> tuple[str, ...]:
    """How file names sort (as paths, part by part: 'a.yaml' after 'a/b.yaml')."""
    return tuple(name.split("/"))


def free_rank(db: sqlite3.Connection, name: str) -> int | None:
    """A rank that sorts a new file `name` into file order, or None if there is no room left."""
    key = file_order(name)
    ranks = [(int(rank), file_order(str(other))) for rank, other in db.execute("SELECT rank, name FROM files")]
    low = max((rank for rank, other in ranks if other < key), default=0)
    high = min((rank for rank, other in ranks if other > key), default=low + 2 * RANK_STEP)
    middle = (low + high) // 2
    return middle if low < middle < high else None


def referenced(db: sqlite3.Connection, ids: Iterable[str]) -> bool:
    """True if any file refers to any of these ids. Reads every file's list of targets, which is
    only needed when an edit removes ids, so it is kept as one blob per file rather than indexed."""
    wanted = set(ids)
    return bool(wanted) and any(
        not wanted.isdisjoint(marshal.loads(blob)) for (blob,) in db.execute("SELECT targets FROM files")
    )


def versions(db: sqlite3.Connection) -> dict[str, tuple[int, FileVersion]]:
    """name -> (rank, version) of every file in the store."""
    return {
        str(name): (int(rank), FileVersion(str(name), str(content), str(stat)))
        for rank, name, content, stat in db.execute("SELECT rank, name, content_key, stat_key FROM files")
    }


def open_for_update(path: Path) -> sqlite3.Connection:
    """A connection holding the store's write lock (other writers wait; readers keep reading)."""
    db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    try:
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("BEGIN IMMEDIATE")
        _check_schema(db)
    except BaseException:
        db.close()
        raise
    return db


def open_for_reading(path: Path) -> sqlite3.Connection:
    """A read-only connection; sqlite3.Error if the file is not a store of this version."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    try:
        _check_schema(db)
    except BaseException:
        db.close()
        raise
    return db


def _check_schema(db: sqlite3.Connection) -> None:
    found = db.execute("SELECT value FROM meta WHERE name = 'schema'").fetchone()
    if found is None or found[0] != SCHEMA_VERSION:
        raise sqlite3.DatabaseError("not a store of this version")


def _keys(value: Any) -> Iterable[str]:
    if value is None:
        return ()
    return value if isinstance(value, list) else (value,)


class Store:
    """Read access to a store (or to one being updated, through the updating connection)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def count(self, kind: str) -> int:
        """How many records of a kind."""
        return int(self._db.execute("SELECT count(*) FROM records WHERE kind = ?", (kind,)).fetchone()[0])

    def rows(self, kind: str) -> Iterator[tuple[int, tuple[Any, ...]]]:
        """(sequence number, record tuple) of every record of a kind, in file order."""
        for seq, data in self._db.execute("SELECT seq, data FROM records WHERE kind = ? ORDER BY seq", (kind,)):
            yield int(seq), marshal.loads(data)

    def row(self, kind: str, seq: int) -> tuple[Any, ...]:
        """One record tuple by sequence number."""
        data = self._db.execute("SELECT data FROM records WHERE kind = ? AND seq = ?", (kind, seq)).fetchone()[0]
        return cast(tuple[Any, ...], marshal.loads(data))

    def where(self, record_id: str) -> tuple[str, int] | None:
        """(kind, sequence number) of an id."""
        found = self._db.execute("SELECT kind, seq FROM records WHERE id = ?", (record_id,)).fetchone()
        return (str(found[0]), int(found[1])) if found else None

    def ids(self) -> Iterator[tuple[str, str, int]]:
        """(id, kind, sequence number) of every record."""
        yield from self._db.execute("SELECT id, kind, seq FROM records")

    def positions(self, kind: str, field: str, key: str) -> list[int]:
        """Sequence numbers of the records whose indexed `field` holds `key`."""
        found = self._db.execute(
            "SELECT DISTINCT seq FROM record_keys WHERE key = ? AND slot = ? ORDER BY seq",
            (key, INDEXED.index((kind, field))),
        )
        return [int(seq) for (seq,) in found]

    def keys(self, kind: str, field: str) -> list[str]:
        """Every value an indexed field takes."""
        return [
            str(k)
            for (k,) in self._db.execute(
                "SELECT DISTINCT key FROM record_keys WHERE slot = ?", (INDEXED.index((kind, field)),)
            )
        ]

    def source_texts(self) -> dict[str, Path]:
        """Source id -> path of its full text."""
        return {str(k): Path(v) for k, v in self._db.execute("SELECT id, path FROM source_texts")}
