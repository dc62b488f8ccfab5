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

The published store is never written in place: a full load writes a private temporary file, an
update copies the store to one, and either is renamed over the store once complete. So a
reader sees one version for its whole command, and a process killed while writing leaves only
a temporary file (pruned later), never a hot journal. Every row carries a short digest of its
content, checked when the row is read: a damaged store raises StoreDamagedError (a
sqlite3.DatabaseError) instead of answering with altered rows.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import marshal
import os
import shutil
import signal
import sqlite3
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, cast

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
SCHEMA_VERSION = "7"

_SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE files (rank INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, content_key TEXT NOT NULL,
                    stat_key TEXT NOT NULL, targets BLOB NOT NULL, checksum BLOB NOT NULL);
CREATE TABLE records (kind TEXT NOT NULL, seq INTEGER NOT NULL, id TEXT NOT NULL, data BLOB NOT NULL,
                      checksum BLOB NOT NULL, PRIMARY KEY (kind, seq)) WITHOUT ROWID;
CREATE TABLE record_keys (seq INTEGER NOT NULL, slot INTEGER NOT NULL, key TEXT NOT NULL,
                          PRIMARY KEY (seq, slot, key)) WITHOUT ROWID;
CREATE TABLE source_texts (id TEXT PRIMARY KEY, path TEXT NOT NULL, rank INTEGER NOT NULL,
                           checksum BLOB NOT NULL);
"""
# Built after the rows are in when a store is written whole: one sort instead of a b-tree insert per row.
_INDEXES = """
CREATE UNIQUE INDEX records_id ON records(id);
CREATE INDEX record_keys_lookup ON record_keys(key, slot);
"""


T = TypeVar("T")
_TEMPORARY_SUFFIX = ".tmp"
STALE_TEMPORARY_SECONDS = 600  # older than any write; a writer that still lives past this is stuck


class StoreDamagedError(sqlite3.DatabaseError):
    """A row does not match its checksum, or an index points at a row that does not hold the key."""


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


def _checksum(*parts: str | int | bytes) -> bytes:
    """A short digest of a row: enough to tell a flipped bit, not a defence against forgery
    (the store lives in the user's own cache directory, like the MAC key)."""
    hasher = hashlib.blake2b(digest_size=8)
    for part in parts:
        raw = part if isinstance(part, bytes) else str(part).encode()
        hasher.update(len(raw).to_bytes(4, "little"))
        hasher.update(raw)
    return hasher.digest()


def _record_checksum(kind: str, seq: int, record_id: str, data: bytes) -> bytes:
    # Inlined form of _checksum for the hottest path (every record read); ids and kinds hold no NUL.
    return hashlib.blake2b(f"{kind}\0{seq}\0{record_id}\0".encode() + data, digest_size=8).digest()


def _verified_row(kind: str, seq: int, record_id: str, data: bytes, checksum: bytes) -> tuple[Any, ...]:
    if _record_checksum(kind, seq, record_id, data) != checksum:
        raise StoreDamagedError(f"record {kind}/{seq} does not match its checksum")
    row = marshal.loads(data)
    if not isinstance(row, tuple) or row[codec.field_index(cast(type, RECORD_KINDS[kind]), "id")] != record_id:
        raise StoreDamagedError(f"record {kind}/{seq} is not the record its id says")
    return row


def die_with_parent(parent: int) -> None:
    """In a child process: be killed when `parent` dies, so a killed load leaves no workers behind
    (Linux; elsewhere a no-op). Exits at once if the parent is already gone."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            pr_set_pdeathsig = 1
            ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


class BackgroundWriter:
    """Writes a whole store in a forked process while the loader runs its checks and answers,
    and puts it in place only if the checks pass.

    A fork sees the parsed payloads without copying them and writes on the other core, with no
    GIL between it and the checks; where there is no fork, the store is written here and now.
    """

    def __init__(self, path: Path, files: Callable[[], Iterable[FileRows]]) -> None:
        self._path = path
        self._temporary = temporary_next_to(path)
        self._pid: int | None = None
        self._written = False
        ranked = lambda: ((number * RANK_STEP, rows) for number, rows in enumerate(files(), start=1))  # noqa: E731
        if not hasattr(os, "fork"):
            self._written = self._write(ranked)
            return
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the child: write, then leave without running any of the parent's clean-up
            die_with_parent(parent)
            os._exit(0 if self._write(ranked) else 1)
        self._pid = pid

    def _write(self, files: Callable[[], Iterable[tuple[int, FileRows]]]) -> bool:
        try:
            write_to(self._temporary, files())
            return True
        except (sqlite3.Error, OSError, KeyboardInterrupt):
            return False  # a store that cannot be written only costs speed

    def publish(self) -> bool:
        """Wait for the store and put it in place; False if it could not be written."""
        if self._pid is not None:
            _, status = os.waitpid(self._pid, 0)
            self._pid = None
            self._written = os.waitstatus_to_exitcode(status) == 0
        if self._written:
            publish(self._temporary, self._path)
        return self._written

    def discard(self) -> None:
        """Stop writing (the load failed or was interrupted) and remove any unfinished store."""
        if self._pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
            self._pid = None
        self._temporary.unlink(missing_ok=True)


def temporary_next_to(path: Path) -> Path:
    """A private temporary name beside the store, naming the process that owns it (see prune)."""
    # Private: two aiorg processes may build the same store at once.
    descriptor, name = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.stem}.{os.getpid()}.", suffix=_TEMPORARY_SUFFIX
    )
    os.close(descriptor)
    return Path(name)


def publish(temporary: Path, path: Path) -> None:
    """Put a complete store in place of the old one, atomically.

    A journal left beside the old store (by a process killed while writing in place, as versions
    before 7 did) belongs to the old file; SQLite would otherwise roll it back into the new one,
    or refuse to read it. It goes first."""
    for leftover in ("-journal", "-wal", "-shm"):
        Path(f"{path}{leftover}").unlink(missing_ok=True)
    temporary.replace(path)


def write_to(temporary: Path, files: Iterable[tuple[int, FileRows]]) -> None:
    """Write a whole store of (rank, rows) into a private file."""
    db = sqlite3.connect(temporary)
    try:
        # Until it is renamed into place nobody reads it, so it needs no journal or fsync.
        db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + _SCHEMA)
        db.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
        for rank, rows in files:
            insert_file(db, rank, rows)
        db.executescript(_INDEXES)
        db.commit()
    finally:
        db.close()


def insert_file(db: sqlite3.Connection, rank: int, rows: FileRows) -> None:
    """Add one file's rows under `rank`; IntegrityError if one of its ids is already taken."""
    version = rows.version
    targets = marshal.dumps(sorted(rows.targets))
    file_row = (rank, version.name, version.content_key, version.stat_key, targets)
    db.execute("INSERT INTO files VALUES (?, ?, ?, ?, ?, ?)", (*file_row, _checksum(*file_row)))
    first = _first_seq(rank)
    for kind, kind_rows in rows.records.items():
        cls = cast(type, RECORD_KINDS[kind])
        id_at = codec.field_index(cls, "id")
        db.executemany(
            "INSERT INTO records VALUES (?, ?, ?, ?, ?)",
            (
                (kind, seq, row[id_at], data, _record_checksum(kind, seq, row[id_at], data))
                for seq, row in enumerate(kind_rows, start=first)
                for data in (marshal.dumps(row),)
            ),
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
        "INSERT INTO source_texts VALUES (?, ?, ?, ?)",
        ((k, str(v), rank, _checksum(k, str(v), rank)) for k, v in rows.source_texts.items()),
    )


def touch_file(db: sqlite3.Connection, rank: int, version: FileVersion) -> None:
    """Remember a new stat for a file whose bytes did not change."""
    (targets,) = db.execute("SELECT targets FROM files WHERE rank = ?", (rank,)).fetchone()
    checksum = _checksum(rank, version.name, version.content_key, version.stat_key, targets)
    db.execute("UPDATE files SET stat_key = ?, checksum = ? WHERE rank = ?", (version.stat_key, checksum, rank))


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


def _file_rows(db: sqlite3.Connection) -> Iterator[tuple[int, str, str, str, bytes]]:
    for rank, name, content, stat, targets, checksum in db.execute("SELECT * FROM files"):
        if _checksum(rank, name, content, stat, targets) != checksum:
            raise StoreDamagedError(f"the row of file {name!r} does not match its checksum")
        yield int(rank), str(name), str(content), str(stat), bytes(targets)


def referenced(db: sqlite3.Connection, ids: Iterable[str]) -> bool:
    """True if any file refers to any of these ids. Reads every file's list of targets, which is
    only needed when an edit removes ids, so it is kept as one blob per file rather than indexed."""
    wanted = set(ids)
    return bool(wanted) and any(not wanted.isdisjoint(marshal.loads(row[4])) for row in _file_rows(db))


def versions(db: sqlite3.Connection) -> dict[str, tuple[int, FileVersion]]:
    """name -> (rank, version) of every file in the store."""
    return {name: (rank, FileVersion(name, content, stat)) for rank, name, content, stat, _ in _file_rows(db)}


def _uri(path: Path, mode: str) -> str:
    # A file name may hold '%', '#' or '?': unescaped, SQLite would read another file.
    return f"file:{urllib.parse.quote(str(path.absolute()))}?mode={mode}"


def open_copy_for_update(path: Path) -> tuple[sqlite3.Connection, Path]:
    """A private copy of the store to change, with a transaction begun; `publish` puts it in place.

    Copying costs about 1 ms per MB, paid only when files changed; in exchange the published
    store is never written in place, so readers need no locks and a crash leaves no journal."""
    temporary = temporary_next_to(path)
    try:
        shutil.copyfile(path, temporary)
        db = sqlite3.connect(_uri(temporary, "rw"), uri=True, isolation_level=None, check_same_thread=False)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    try:
        db.execute("PRAGMA journal_mode = OFF")  # private until renamed: a crash only leaves a temporary file
        db.execute("PRAGMA synchronous = OFF")
        db.execute("BEGIN IMMEDIATE")
        _check_schema(db)
    except BaseException:
        db.close()
        temporary.unlink(missing_ok=True)
        raise
    return db, temporary


def open_for_reading(path: Path) -> sqlite3.Connection:
    """A read-only connection inside one read transaction, held for the whole command; sqlite3.Error
    if the file is not a store of this version."""
    db = sqlite3.connect(_uri(path, "ro"), uri=True, isolation_level=None, check_same_thread=False)
    try:
        db.execute("BEGIN")
        _check_schema(db)
    except BaseException:
        db.close()
        raise
    return db


def _check_schema(db: sqlite3.Connection) -> None:
    found = db.execute("SELECT value FROM meta WHERE name = 'schema'").fetchone()
    if found is None or found[0] != SCHEMA_VERSION:
        raise sqlite3.DatabaseError("not a store of this version")


def prune(folder: Path, keep: Path, limit: int = 16) -> None:
    """Keep the stores of the most recently used data directories, and remove temporary stores
    that no live process is writing (or that are older than any write takes)."""
    now = time.time()
    for temporary in folder.glob(f".*{_TEMPORARY_SUFFIX}"):
        with contextlib.suppress(OSError, ValueError):
            owner = int(temporary.name.split(".")[2])
            age = now - temporary.stat().st_mtime
            if age > STALE_TEMPORARY_SECONDS or (age > 60 and not _alive(owner)):
                temporary.unlink()
    stores = []
    for candidate in folder.glob("*.sqlite"):
        with contextlib.suppress(OSError):
            stores.append((candidate.stat().st_mtime, candidate))
    for _, old in sorted(stores, reverse=True)[limit:]:
        if old != keep:
            old.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _keys(value: Any) -> Iterable[str]:
    if value is None:
        return ()
    return value if isinstance(value, list) else (value,)


class Store:
    """Read access to a store (or to one being updated, through the updating connection).

    Every row read is checked against its checksum. On any error, `recover` (when given) is
    called once for a connection to a rebuilt store of the same snapshot, and the read is retried
    there; without it, the error is raised (as a sqlite3.Error)."""

    def __init__(self, db: sqlite3.Connection, recover: Callable[[], sqlite3.Connection] | None = None) -> None:
        self._db = db
        self._recover = recover

    def _read(self, read: Callable[[sqlite3.Connection], T]) -> T:
        try:
            return read(self._db)
        except (sqlite3.Error, ValueError, EOFError, TypeError, IndexError, KeyError) as error:
            if self._recover is None:
                if isinstance(error, sqlite3.Error):
                    raise
                raise StoreDamagedError(str(error)) from error
            recover, self._recover = self._recover, None
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = recover()
            return read(self._db)

    def count(self, kind: str) -> int:
        """How many records of a kind."""
        return self._read(
            lambda db: int(db.execute("SELECT count(*) FROM records WHERE kind = ?", (kind,)).fetchone()[0])
        )

    def rows(self, kind: str) -> Iterator[tuple[int, tuple[Any, ...]]]:
        """(sequence number, record tuple) of every record of a kind, in file order."""
        sql = "SELECT seq, id, data, checksum FROM records WHERE kind = ? ORDER BY seq"
        return iter(
            self._read(
                lambda db: [
                    (int(seq), _verified_row(kind, seq, record_id, data, checksum))
                    for seq, record_id, data, checksum in db.execute(sql, (kind,))
                ]
            )
        )

    def row(self, kind: str, seq: int) -> tuple[Any, ...]:
        """One record tuple by sequence number."""
        sql = "SELECT id, data, checksum FROM records WHERE kind = ? AND seq = ?"
        return self._read(lambda db: _verified_row(kind, seq, *db.execute(sql, (kind, seq)).fetchone()))

    def where(self, record_id: str) -> tuple[str, int] | None:
        """(kind, sequence number) of an id."""

        def read(db: sqlite3.Connection) -> tuple[str, int] | None:
            found = db.execute("SELECT kind, seq, data, checksum FROM records WHERE id = ?", (record_id,)).fetchone()
            if found is None:
                return None
            kind, seq, data, checksum = found
            _verified_row(kind, seq, record_id, data, checksum)  # the id index led to the right row
            return str(kind), int(seq)

        return self._read(read)

    def ids(self) -> Iterator[tuple[str, str, int]]:
        """(id, kind, sequence number) of every record."""
        sql = "SELECT id, kind, seq, data, checksum FROM records"
        return iter(
            self._read(
                lambda db: [
                    (str(i), str(kind), int(seq))
                    for i, kind, seq, data, checksum in db.execute(sql)
                    if _verified_row(kind, seq, i, data, checksum)
                ]
            )
        )

    def positions(self, kind: str, field: str, key: str) -> list[int]:
        """Sequence numbers of the records whose indexed `field` holds `key` (each checked to)."""
        slot = INDEXED.index((kind, field))
        at = codec.field_index(cast(type, RECORD_KINDS[kind]), field)
        sql = (
            "SELECT DISTINCT k.seq, r.id, r.data, r.checksum FROM record_keys k"
            " LEFT JOIN records r ON r.kind = ? AND r.seq = k.seq WHERE k.key = ? AND k.slot = ? ORDER BY k.seq"
        )

        def read(db: sqlite3.Connection) -> list[int]:
            found = []
            for seq, record_id, data, checksum in db.execute(sql, (kind, key, slot)):
                if key not in _keys(_verified_row(kind, seq, record_id, data, checksum)[at]):
                    raise StoreDamagedError(f"the {field} index sends {key!r} to a record without it")
                found.append(int(seq))
            return found

        return self._read(read)

    def keys(self, kind: str, field: str) -> list[str]:
        """Every value an indexed field takes."""
        sql = "SELECT DISTINCT key FROM record_keys WHERE slot = ?"
        return self._read(lambda db: [str(k) for (k,) in db.execute(sql, (INDEXED.index((kind, field)),))])

    def source_texts(self) -> dict[str, Path]:
        """Source id -> path of its full text."""

        def read(db: sqlite3.Connection) -> dict[str, Path]:
            texts = {}
            for source, path, rank, checksum in db.execute("SELECT id, path, rank, checksum FROM source_texts"):
                if _checksum(source, path, rank) != checksum:
                    raise StoreDamagedError(f"the text path of source {source!r} does not match its checksum")
                texts[str(source)] = Path(path)
            return texts

        return self._read(read)
