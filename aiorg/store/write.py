"""Writing a store: a whole one from every file, or one file's rows replaced in place.

Each record is kept under a sequence number that keeps file order: `rank * 2**24 + position in
file`, where ranks are spaced so that a new file can be slotted in between two others. Every
table holds `seq`, so a file's rows in all of them are one range. Each file's row lists every id
it refers to, so removing a record can be checked against everything that points at it
without reading other files. Every record and file row carries a short digest of its content,
checked when it is read (see aiorg.store.read).
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

from aiorg import codec
from aiorg.model import RECORD_KINDS
from aiorg.store import claim_rows, schema

_POSITION_BITS = 24  # a 128 MB file cannot hold 2**24 records
RANK_STEP = 1 << 20  # room for twenty halvings between neighbouring files
#: the marshal version a record's row is stored in: 2, the last before marshal marks objects that
#: are shared (by reference count), so that equal rows are equal bytes however they were made, and
#: an edit finds the records that changed by comparing bytes (`changed_records`)
RECORD_MARSHAL = 2


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


def first_seq(rank: int) -> int:
    """The sequence number of a file's first record."""
    return rank << _POSITION_BITS


def rank_range(rank: int) -> tuple[int, int]:
    """The sequence numbers a file's records take: [low, high)."""
    return first_seq(rank), first_seq(rank + 1)


def checksum(*parts: str | int | bytes) -> bytes:
    """A short digest of a row: enough to tell a flipped bit, not a defence against forgery
    (the store lives in the user's own cache directory, like the MAC key)."""
    hasher = hashlib.blake2b(digest_size=8)
    for part in parts:
        raw = part if isinstance(part, bytes) else str(part).encode()
        hasher.update(len(raw).to_bytes(4, "little"))
        hasher.update(raw)
    return hasher.digest()


def record_checksum(kind: str, seq: int, record_id: str, data: bytes) -> bytes:
    """The digest of one record row (inlined form of `checksum`: the hottest path)."""
    # ids and kinds hold no NUL
    return hashlib.blake2b(f"{kind}\0{seq}\0{record_id}\0".encode() + data, digest_size=8).digest()


def write_to(temporary: Path, files: Iterable[tuple[int, FileRows]]) -> None:
    """Write a whole store of (rank, rows) into a private file (or ':memory:' connection target)."""
    db = sqlite3.connect(temporary)
    try:
        write_into(db, files)
        # Published stores are updated in place in WAL mode (see files.open_for_update); the mode
        # is kept in the file, so it is set once here, while nobody else can have it open.
        db.execute("PRAGMA journal_mode = WAL")
    finally:
        db.close()


def write_into(db: sqlite3.Connection, files: Iterable[tuple[int, FileRows]]) -> None:
    """Fill an empty database with a whole store."""
    texts = begin_whole(db)
    for rank, rows in files:
        insert_file(db, rank, rows, texts)
    finish_whole(db)


def begin_whole(db: sqlite3.Connection) -> Texts:
    """Create the tables of a whole store in an empty database and begin its one transaction;
    the texts it numbers afresh."""
    # Until it is renamed into place nobody reads it, so it needs no journal or fsync.
    db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + schema.create_tables())
    if not db.in_transaction:
        db.execute("BEGIN")  # a connection in autocommit mode would commit every row
    db.execute("INSERT INTO meta VALUES ('schema', ?)", (schema.schema_version(),))
    # new for every store written whole (a store rebuilt after damage too): what is kept beside a
    # store is kept under it (aiorg.queries.kept.store_identity), never taken for another store's
    db.execute("INSERT INTO meta VALUES ('made', ?)", (os.urandom(16).hex(),))
    return Texts(db, empty=True)


def finish_whole(db: sqlite3.Connection) -> None:
    """Index a whole store once every row is in, and commit it."""
    # The full-text index first: its rebuild reads `texts` in id order, so each token's row list
    # grows at its end. Once texts_norm exists SQLite scans that (smaller) index instead, in text
    # order, and the rebuild takes 4x as long (2.7 CPU-s more at 100k people), in a tail where
    # nothing else runs.
    db.execute("INSERT INTO texts_fts(texts_fts) VALUES ('rebuild')")
    # Built after the rows are in: one sort instead of a b-tree insert per row.
    db.executescript(schema.create_indexes())
    if db.in_transaction:
        db.execute("COMMIT")


def insert_file(db: sqlite3.Connection, rank: int, rows: FileRows, texts: Texts | None = None) -> None:
    """Add one file's rows under `rank`; IntegrityError if one of its ids is already taken.

    `texts` is given when a whole store is written (its full-text index is built at the end);
    without it (an update), the file's new texts are indexed here."""
    known = texts if texts is not None else Texts(db, empty=False)
    insert_file_row(db, rank, rows)
    for kind, kind_rows in rows.records.items():
        insert_records(db, kind, first_seq(rank), kind_rows, known)
    insert_source_texts(db, rank, rows)
    if texts is None and known.indexed:
        db.executemany("INSERT INTO texts_fts(rowid, norm) VALUES (?, ?)", known.indexed)


def insert_file_row(db: sqlite3.Connection, rank: int, rows: FileRows) -> None:
    """The row that names a file, its version and every id it refers to."""
    version = rows.version
    targets = marshal.dumps(sorted(rows.targets))
    file_row = (rank, version.name, version.content_key, version.stat_key, checksum(targets))
    db.execute("INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?)", (*file_row, checksum(*file_row), targets))


def insert_source_texts(db: sqlite3.Connection, rank: int, rows: FileRows) -> None:
    db.executemany(
        "INSERT INTO source_texts VALUES (?, ?, ?, ?)",
        ((k, str(v), rank, checksum(k, str(v), rank)) for k, v in rows.source_texts.items()),
    )


def insert_records(
    db: sqlite3.Connection, kind: str, first: int, kind_rows: list[tuple[Any, ...]], texts: Texts
) -> None:
    """Records of one kind, in file order, numbered from `first`, with their names."""
    _insert_kind(db, kind, first, kind_rows)
    names: list[tuple[int, int]] = []
    add, known, id_of, read = names.append, texts.known, texts.id_of, texts.readings.get
    fields = schema.name_fields(kind)
    for seq, row in enumerate(kind_rows, start=first):  # what schema.name_texts gives, inlined
        for field, at in fields:
            value = row[at]
            for text in value if isinstance(value, list) else (value,):
                if text:
                    text_id = known.get((kind, field, text)) or id_of(kind, field, text)
                    add((seq, text_id))
                    if reading := read(text_id):  # right after the text: names keep field order
                        add((seq, reading))
    db.executemany("INSERT INTO texts VALUES (?, ?, ?, ?, ?)", texts.take_new())
    db.executemany("INSERT INTO names VALUES (?, ?)", names)


class Texts:
    """Ids of the distinct (kind, field, text) a store holds: looked up in it when updating one,
    numbered afresh when writing a whole one. A text that reads otherwise in simplified
    characters has a second row, its reading (see schema.READ_SIMPLIFIED), added with it; a
    record naming the text is named by its reading too."""

    def __init__(self, db: sqlite3.Connection, *, empty: bool) -> None:
        self._db = db
        self._empty = empty
        self.known: dict[tuple[str, str, str], int] = {}  # (kind, field, text) -> id, as looked up (ids are >= 1)
        self._next: int | None = 1 if empty else None
        self._new: list[tuple[int, str, str, str, str]] = []
        self.indexed: list[tuple[int, str]] = []  # (id, normalised) added by an update, to index
        self.readings: dict[int, int] = {}  # text id -> the id of its reading in simplified characters

    def id_of(self, kind: str, field: str, text: str) -> int:
        """The id of a text, adding it if the store does not hold it yet, and its reading's
        (in `readings`) when it has one."""
        found = self._row(kind, field, text, None)
        reading = simplified_reading(text)
        if reading is not None:
            self.readings[found] = self._row(kind, field + schema.READ_SIMPLIFIED, text, reading)
        return found

    def _row(self, kind: str, field: str, text: str, norm: str | None) -> int:
        """The id of one row of `texts`, added if needed, normalised as `norm` (else as its text)."""
        key = (kind, field, text)
        found = self.known.get(key)
        if found is None and not self._empty:
            row = self._db.execute("SELECT id FROM texts WHERE kind = ? AND field = ? AND text = ?", key).fetchone()
            found = None if row is None else int(row[0])
        if found is None:
            if self._next is None:
                self._next = int(self._db.execute("SELECT coalesce(max(id), 0) + 1 FROM texts").fetchone()[0])
            found, self._next = self._next, self._next + 1
            norm = schema.normalised(text) if norm is None else norm
            self._new.append((found, kind, field, text, norm))
            if not self._empty:
                self.indexed.append((found, norm))
        self.known[key] = found
        return found

    def take_new(self) -> list[tuple[int, str, str, str, str]]:
        """The rows of the texts added since the last call."""
        new, self._new = self._new, []
        return new


@lru_cache(maxsize=1 << 14)
def simplified_reading(text: str) -> str | None:
    """The normalised form of a text read in simplified characters, when that is not its own
    normalised form (None too without OpenCC): what its READ_SIMPLIFIED row holds, cached."""
    if text.isascii():  # ids, English names and titles: the common case, and never read otherwise
        return None
    from aiorg.names import stored_reading  # names reads a KnowledgeBase, which reads a store

    simple = stored_reading(text)
    if simple is None:
        return None
    norm = schema.normalised(simple)
    return norm if norm != schema.normalised(text) else None


def _insert_kind(db: sqlite3.Connection, kind: str, first: int, kind_rows: list[tuple[Any, ...]]) -> None:
    tables = schema.kind_tables(kind)
    id_at = codec.field_index(cast(type, RECORD_KINDS[kind]), "id")
    db.executemany(
        "INSERT INTO records VALUES (?, ?, ?, ?, ?)",
        (
            (kind, seq, row[id_at], data, record_checksum(kind, seq, row[id_at], data))
            for seq, row in enumerate(kind_rows, start=first)
            for data in (marshal.dumps(row, RECORD_MARSHAL),)
        ),
    )
    marks = ", ".join("?" * (len(tables.columns) + 1))
    db.executemany(
        f"INSERT INTO {kind} VALUES ({marks})",
        (schema.typed_row(tables, seq, row) for seq, row in enumerate(kind_rows, start=first)),
    )
    for link in tables.links:
        db.executemany(
            f"INSERT INTO {link.table} VALUES (?, ?)",
            ((seq, value) for seq, row in enumerate(kind_rows, start=first) for value in dict.fromkeys(row[link.at])),
        )
    db.executemany(
        "INSERT INTO edges VALUES (?, ?, ?, ?, ?)",
        (edge for seq, row in enumerate(kind_rows, start=first) for edge in schema.edge_rows(kind, seq, row)),
    )
    claim_rows.insert_claim_rows(db, kind, first, kind_rows)


def _side_tables(kind: str) -> list[str]:
    """The tables beside a kind's own that hold rows per record: its link and part tables."""
    return [*(link.table for link in schema.kind_tables(kind).links), *(p.table for p in claim_rows.part_tables(kind))]


def touch_file(db: sqlite3.Connection, rank: int, version: FileVersion) -> None:
    """Remember a new stat for a file whose bytes did not change."""
    (targets_digest,) = db.execute("SELECT targets_checksum FROM files WHERE rank = ?", (rank,)).fetchone()
    digest = checksum(rank, version.name, version.content_key, version.stat_key, targets_digest)
    db.execute("UPDATE files SET stat_key = ?, checksum = ? WHERE rank = ?", (version.stat_key, digest, rank))


def delete_file(db: sqlite3.Connection, rank: int) -> dict[str, str]:
    """Remove one file's rows; returns the ids it defined, with their kinds."""
    low, high = rank_range(rank)
    defined: dict[str, str] = {}
    in_range = "WHERE seq >= ? AND seq < ?"
    for kind in RECORD_KINDS:
        where = "FROM records WHERE kind = ? AND seq >= ? AND seq < ?"
        defined.update((str(record_id), kind) for (record_id,) in db.execute(f"SELECT id {where}", (kind, low, high)))
        db.execute(f"DELETE {where}", (kind, low, high))
        db.execute(f"DELETE FROM {kind} {in_range}", (low, high))
        for table in _side_tables(kind):
            db.execute(f"DELETE FROM {table} {in_range}", (low, high))
    db.execute(f"DELETE FROM names {in_range}", (low, high))  # texts no name points at are harmless
    db.execute(f"DELETE FROM edges {in_range}", (low, high))
    db.execute(f"DELETE FROM statements {in_range}", (low, high))
    db.execute("DELETE FROM source_texts WHERE rank = ?", (rank,))
    db.execute("DELETE FROM files WHERE rank = ?", (rank,))
    return defined


def changed_records(db: sqlite3.Connection, rank: int, rows: FileRows) -> list[int] | None:
    """Where the file under `rank` differs from these rows: the positions of the records that
    changed, so that an edit of one line rewrites one record, not the file's thousands (see
    delete_records, insert_records_at). None when the file holds more than one kind (their sequence
    numbers overlap, and names and edges rows are keyed by number alone) or another number of
    records: the whole file is then replaced (delete_file, insert_file)."""
    if len(rows.records) != 1:
        return None
    ((kind, kind_rows),) = rows.records.items()
    low, high = rank_range(rank)
    where = "FROM records WHERE kind = ? AND seq >= ? AND seq < ?"  # the primary key's range
    if any(
        db.execute(f"SELECT 1 {where} LIMIT 1", (other, low, high)).fetchone()
        for other in RECORD_KINDS
        if other != kind
    ):
        return None
    old = [bytes(data) for (data,) in db.execute(f"SELECT data {where} ORDER BY seq", (kind, low, high))]
    if len(old) != len(kind_rows):
        return None
    # A record that is the same keeps its rows: every other row of it is derived from it alone.
    return [at for at, (row, data) in enumerate(zip(kind_rows, old, strict=True)) if not _same(row, data)]


def _same(row: tuple[Any, ...], data: bytes) -> bool:
    """Whether a record's tuple is the one stored as `data`. Equal rows are nearly always equal bytes
    (RECORD_MARSHAL); bytes that differ all the same (a string interned on one side only, a row of
    a store written before) are compared as values, by their repr (1, 1.0 and True are equal, but
    not the same value)."""
    return marshal.dumps(row, RECORD_MARSHAL) == data or repr(row) == repr(marshal.loads(data))


def delete_records(db: sqlite3.Connection, rank: int, rows: FileRows, positions: list[int]) -> dict[str, str]:
    """Remove the records at these positions of a one-kind file (see changed_records), and the
    file's own rows; returns the ids they had, with their kinds."""
    ((kind, _),) = rows.records.items()
    first = first_seq(rank)
    tables = (kind, *_side_tables(kind), "names", "edges", "statements")
    defined: dict[str, str] = {}
    for seq in (first + at for at in positions):
        for (record_id,) in db.execute("SELECT id FROM records WHERE kind = ? AND seq = ?", (kind, seq)):
            defined[str(record_id)] = kind
        db.execute("DELETE FROM records WHERE kind = ? AND seq = ?", (kind, seq))
        for table in tables:
            db.execute(f"DELETE FROM {table} WHERE seq = ?", (seq,))
    db.execute("DELETE FROM source_texts WHERE rank = ?", (rank,))
    db.execute("DELETE FROM files WHERE rank = ?", (rank,))
    return defined


def insert_records_at(db: sqlite3.Connection, rank: int, rows: FileRows, positions: list[int]) -> None:
    """Add the records at these positions of a one-kind file (deleted by delete_records), and the
    file's own rows."""
    ((kind, kind_rows),) = rows.records.items()
    texts = Texts(db, empty=False)
    insert_file_row(db, rank, rows)
    for at in positions:
        insert_records(db, kind, first_seq(rank) + at, kind_rows[at : at + 1], texts)
    insert_source_texts(db, rank, rows)
    if texts.indexed:
        db.executemany("INSERT INTO texts_fts(rowid, norm) VALUES (?, ?)", texts.indexed)


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
    """Every file's rank, name, content and stat keys, and the digest of its list of targets."""
    for rank, name, content, stat, targets_digest, digest in db.execute(
        "SELECT rank, name, content_key, stat_key, targets_checksum, checksum FROM files"
    ):
        if checksum(rank, name, content, stat, targets_digest) != digest:
            raise StoreDamagedError(f"the row of file {name!r} does not match its checksum")
        yield int(rank), str(name), str(content), str(stat), bytes(targets_digest)


def referenced(db: sqlite3.Connection, ids: Iterable[str]) -> bool:
    """True if any file refers to any of these ids. Reads every file's list of targets, which is
    only needed when an edit removes ids, so it is kept as one blob per file rather than indexed."""
    wanted = set(ids)
    if not wanted:
        return False
    digests = {rank: targets_digest for rank, _, _, _, targets_digest in _file_rows(db)}
    for rank, name, targets in db.execute("SELECT rank, name, targets FROM files"):
        if digests.get(rank) != checksum(targets):
            raise StoreDamagedError(f"the list of ids file {name!r} refers to does not match its checksum")
        if not wanted.isdisjoint(marshal.loads(targets)):
            return True
    return False


def versions(db: sqlite3.Connection) -> dict[str, tuple[int, FileVersion]]:
    """name -> (rank, version) of every file in the store."""
    return {name: (rank, FileVersion(name, content, stat)) for rank, name, content, stat, _ in _file_rows(db)}
