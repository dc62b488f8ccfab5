"""Reading a store: records by id, by indexed field, or by a filter on the typed columns, and
plain SQL for counts and aggregates, all inside the one snapshot the command opened.

Every record row read is checked against its checksum, and a lookup through an index is
checked against the record it finds, so a damaged store raises StoreDamagedError (a
sqlite3.DatabaseError) instead of answering with altered rows. Counts, aggregates and the
display names of a listing's parties (`names`) read the typed columns as they are.
"""

from __future__ import annotations

import contextlib
import marshal
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import Any, TypeVar, cast

from aiorg import codec
from aiorg.model import RECORD_KINDS
from aiorg.store import files, schema
from aiorg.store.write import StoreDamagedError, checksum, record_checksum

T = TypeVar("T")
#: where the id sits in each kind's record tuple
_ID_AT = {kind: codec.field_index(cast(type, cls), "id") for kind, cls in RECORD_KINDS.items()}


def verified_row(kind: str, seq: int, record_id: str, data: bytes, digest: bytes) -> tuple[Any, ...]:
    """A record's codec tuple, once its row matches its checksum and its id."""
    if record_checksum(kind, seq, record_id, data) != digest:
        raise StoreDamagedError(f"record {kind}/{seq} does not match its checksum")
    row = marshal.loads(data)
    if type(row) is not tuple or row[_ID_AT[kind]] != record_id:
        raise StoreDamagedError(f"record {kind}/{seq} is not the record its id says")
    return row


def _keys(value: Any) -> tuple[Any, ...]:
    if value is None:
        return ()
    return tuple(value) if isinstance(value, list) else (value,)


def _make_temporary(db: sqlite3.Connection, name: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """Make (or make again) TEMP table `name` holding `rows`, its first column the INTEGER PRIMARY KEY."""
    quoted = ", ".join(f'"{column}"' for column in columns[1:])
    marks = ", ".join("?" * len(columns))
    db.execute(f'DROP TABLE IF EXISTS temp."{name}"')
    db.execute(f'CREATE TEMP TABLE "{name}" ("{columns[0]}" INTEGER PRIMARY KEY, {quoted})')
    db.executemany(f'INSERT INTO temp."{name}" VALUES ({marks})', rows)


class Store:
    """Read access to a store (or to one being updated, through the updating connection).

    On any error, `recover` (when given) is called once for a connection to a rebuilt store of
    the same snapshot, and the read is retried there; without it, the error is raised (as a
    sqlite3.Error). The rebuilt store keeps the files' ranks, so a record keeps its sequence
    number, and the TEMP tables made on the old connection are made again on the new one."""

    def __init__(self, db: sqlite3.Connection, recover: Callable[[], sqlite3.Connection] | None = None) -> None:
        self._db = db
        self._recover = recover
        self._watchers: list[set[tuple[str, str]]] = []  # see `watching`
        #: the TEMP tables made (see `temporary`): their columns and rows, to make again on recovery
        self._temporaries: dict[str, tuple[Sequence[str], list[tuple[Any, ...]]]] = {}

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
            for name, (columns, rows) in self._temporaries.items():
                _make_temporary(self._db, name, columns, rows)
            if self._watchers:
                self._db.set_authorizer(self._seen)
            return read(self._db)

    @contextlib.contextmanager
    def watching(self) -> Iterator[set[tuple[str, str]]]:
        """The tables, as (name, schema), that the statements run meanwhile read: SQLite's
        authorizer is told of each table a statement reads as it is compiled, and setting it makes
        SQLite compile again every statement it had compiled before, so none is missed. Watches
        nest: a table read inside an inner one is in every outer one too."""
        seen: set[tuple[str, str]] = set()
        self._watchers.append(seen)
        self._db.set_authorizer(self._seen)  # again for an inner watch: recompiles what an outer one compiled
        try:
            yield seen
        finally:
            popped = self._watchers.pop()
            assert popped is seen, "watches end in the order they began"
            if not self._watchers:
                self._db.set_authorizer(None)

    def note(self, tables: Iterable[tuple[str, str]]) -> None:
        """Tell the watches of tables read another way (remembered from an earlier read)."""
        for seen in self._watchers:
            seen.update(tables)

    def _seen(self, action: int, table: str | None, _column: str | None, schema: str | None, _view: str | None) -> int:
        if action == sqlite3.SQLITE_READ and table is not None:
            for seen in self._watchers:
                seen.add((table, schema or "main"))
        return sqlite3.SQLITE_OK

    def close(self) -> None:
        """End the snapshot and close the connection."""
        self._db.close()

    def query(self, sql: str, parameters: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Rows of a read-only query over the typed tables (counts, aggregates, candidate ids)."""
        return self._read(lambda db: db.execute(sql, parameters).fetchall())

    def file(self) -> Path | None:
        """The file the store is in; None for one in memory."""
        rows = self.query("PRAGMA database_list")
        return next((Path(str(row[2])) for row in rows if row[1] == "main" and row[2]), None)

    def temporary(self, name: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]], keep: bool = True) -> None:
        """A TEMP table of this connection (the store stays read-only), its first column the
        INTEGER PRIMARY KEY, holding `rows`; kept, to be made again should the store be rebuilt,
        unless `keep` is False (a table filled later by SQL, which its maker makes again)."""
        kept = list(rows)
        if keep:
            self._temporaries[name] = (columns, kept)
        else:
            self._temporaries.pop(name, None)
        self._read(lambda db: _make_temporary(db, name, columns, kept))

    def attach(self, name: str, path: Path) -> bool:
        """Attach another SQLite file read-only as schema `name`, for later queries of this
        connection; False when it cannot be (no recovery: the store is not at fault)."""
        try:
            self._db.execute("ATTACH DATABASE ? AS ?", (files.uri(path, "ro"), name))
            return True
        except sqlite3.Error:
            return False

    def attached(self, name: str) -> bool:
        """Whether schema `name` is attached to this connection (it is not after a recovery)."""
        return any(row[1] == name for row in self.query("PRAGMA database_list"))

    def count(self, kind: str) -> int:
        """How many records of a kind."""
        return int(self.query(f"SELECT count(*) FROM {_table(kind)}")[0][0])

    def select(self, kind: str, where: str = "", parameters: tuple[Any, ...] = ()) -> list[tuple[int, tuple[Any, ...]]]:
        """(seq, record tuple) of the records of a kind whose typed row matches `where`, in file order."""
        sql = (
            "SELECT seq, id, data, checksum FROM records WHERE kind = ? AND seq IN"
            f" (SELECT seq FROM {_table(kind)} {'WHERE ' + where if where else ''}) ORDER BY seq"
        )
        return self._read(
            lambda db: [
                (int(seq), verified_row(kind, seq, record_id, data, digest))
                for seq, record_id, data, digest in db.execute(sql, (kind, *parameters))
            ]
        )

    def rows(self, kind: str) -> Iterator[tuple[int, tuple[Any, ...]]]:
        """(sequence number, record tuple) of every record of a kind, in file order."""
        sql = "SELECT seq, id, data, checksum FROM records WHERE kind = ? ORDER BY seq"
        return iter(
            self._read(
                lambda db: [
                    (int(seq), verified_row(kind, seq, record_id, data, digest))
                    for seq, record_id, data, digest in db.execute(sql, (kind,))
                ]
            )
        )

    def rows_after(self, kind: str, seq: int, limit: int) -> list[tuple[int, tuple[Any, ...]]]:
        """Up to `limit` (sequence number, record tuple) of a kind after `seq`, in file order."""
        sql = "SELECT seq, id, data, checksum FROM records WHERE kind = ? AND seq > ? ORDER BY seq LIMIT ?"
        return self._read(
            lambda db: [
                (int(s), verified_row(kind, s, record_id, data, digest))
                for s, record_id, data, digest in db.execute(sql, (kind, seq, limit))
            ]
        )

    def row(self, kind: str, seq: int) -> tuple[Any, ...]:
        """One record tuple by sequence number."""
        sql = "SELECT id, data, checksum FROM records WHERE kind = ? AND seq = ?"
        return self._read(lambda db: verified_row(kind, seq, *db.execute(sql, (kind, seq)).fetchone()))

    def where(self, record_id: str) -> tuple[str, int] | None:
        """(kind, sequence number) of an id (its row checked: the id index led to the right row)."""
        found = self.find_many([record_id])
        return (found[0][0], found[0][1]) if found else None

    def find_many(self, record_ids: list[str]) -> list[tuple[str, int, tuple[Any, ...]]]:
        """(kind, sequence number, record tuple) of each of these ids that exists, in few queries."""

        def read(db: sqlite3.Connection) -> list[tuple[str, int, tuple[Any, ...]]]:
            found = []
            for start in range(0, len(record_ids), 5000):
                chunk = record_ids[start : start + 5000]
                sql = f"SELECT kind, seq, id, data, checksum FROM records WHERE id IN ({', '.join('?' * len(chunk))})"
                for kind, seq, record_id, data, digest in db.execute(sql, chunk):
                    found.append((str(kind), int(seq), verified_row(kind, seq, record_id, data, digest)))
            return found

        return self._read(read)

    def names(self, record_ids: list[str]) -> dict[str, tuple[str, str | None]]:
        """(name, Chinese name) of each of these ids that names a record with a name, read from
        the typed columns (like counts and aggregates, not checked against the record: a listing
        names thousands of parties, and reading each whole record costs several times more)."""
        named = [kind for kind in RECORD_KINDS if _named(kind)]

        def read(db: sqlite3.Connection) -> dict[str, tuple[str, str | None]]:
            found: dict[str, tuple[str, str | None]] = {}
            for start in range(0, len(record_ids), 5000):
                chunk = record_ids[start : start + 5000]
                marks = ", ".join("?" * len(chunk))
                sql = " UNION ALL ".join(
                    f"SELECT r.id, t.name, {'t.name_zh' if _named(kind) == 2 else 'NULL'} FROM records r"
                    f" JOIN {_table(kind)} t ON t.seq = r.seq WHERE r.kind = '{kind}' AND r.id IN ({marks})"
                    for kind in named
                )
                for record_id, name, chinese in db.execute(sql, chunk * len(named)):
                    if name is not None:
                        found[str(record_id)] = (str(name), None if chinese is None else str(chinese))
            return found

        return self._read(read) if named and record_ids else {}

    def ids(self) -> Iterator[tuple[str, str, int]]:
        """(id, kind, sequence number) of every record."""
        sql = "SELECT id, kind, seq, data, checksum FROM records"
        return iter(
            self._read(
                lambda db: [
                    (str(i), str(kind), int(seq))
                    for i, kind, seq, data, digest in db.execute(sql)
                    if verified_row(kind, seq, i, data, digest)
                ]
            )
        )

    def positions(self, kind: str, field: str, key: str) -> list[int]:
        """Sequence numbers of the records whose `field` holds `key`, each checked to hold it."""
        at = codec.field_index(cast(type, RECORD_KINDS[kind]), field)
        sql = (
            f"SELECT DISTINCT k.seq, r.id, r.data, r.checksum FROM ({_lookup(kind, field)}) k"
            " LEFT JOIN records r ON r.kind = ? AND r.seq = k.seq ORDER BY k.seq"
        )

        def read(db: sqlite3.Connection) -> list[int]:
            found = []
            for seq, record_id, data, digest in db.execute(sql, (key, kind)):
                if key not in _keys(verified_row(kind, seq, record_id, data, digest)[at]):
                    raise StoreDamagedError(f"the {field} index sends {key!r} to a record without it")
                found.append(int(seq))
            return found

        return self._read(read)

    def keys(self, kind: str, field: str) -> list[str]:
        """Every value a field takes."""
        table, column = _column(kind, field)
        sql = f"SELECT DISTINCT {column} FROM {table} WHERE {column} IS NOT NULL"
        return [str(k) for (k,) in self.query(sql)]

    def source_texts(self) -> dict[str, Path]:
        """Source id -> path of its full text."""

        def read(db: sqlite3.Connection) -> dict[str, Path]:
            texts = {}
            for source, path, rank, digest in db.execute("SELECT id, path, rank, checksum FROM source_texts"):
                if checksum(source, path, rank) != digest:
                    raise StoreDamagedError(f"the text path of source {source!r} does not match its checksum")
                texts[str(source)] = Path(path)
            return texts

        return self._read(read)


def _table(kind: str) -> str:
    if kind not in RECORD_KINDS:
        raise KeyError(kind)
    return kind


def _column(kind: str, field: str) -> tuple[str, str]:
    """(table, column) that holds a field's values: its link table, or its column."""
    tables = schema.kind_tables(kind)
    for link in tables.links:
        if link.field == field:
            return link.table, "value"
    if any(column.name == field for column in tables.columns):
        return _table(kind), f'"{field}"'
    raise KeyError(f"{kind}.{field} is not a stored column")


def _lookup(kind: str, field: str) -> str:
    table, column = _column(kind, field)
    return f"SELECT seq FROM {table} WHERE {column} = ?"


@cache
def _named(kind: str) -> int:
    """How many of `name` and `name_zh` a kind keeps as typed text columns: 0, 1 (name) or 2."""
    columns = {column.name for column in schema.kind_tables(kind).columns}
    if "name" not in columns:
        return 0
    return 2 if "name_zh" in columns else 1
