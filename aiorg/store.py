"""A knowledge base's records in SQLite, so a warm query reads only the records it touches.

Written once per set of files that loaded and cross-checked cleanly (next to the compiled
cache, so under the same trust model); read lazily by KnowledgeBase. Each record is its codec
tuple, marshalled. A few fields are indexed (declared in INDEXED) so that "the spells at this
firm" or "the deals of this party" are index lookups, not scans.
"""

from __future__ import annotations

import marshal
import os
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, cast

from aiorg import codec
from aiorg.model import RECORD_KINDS

#: (kind, field) pairs looked up by value; list fields index each element
INDEXED: tuple[tuple[str, str], ...] = (
    ("tenures", "person"),
    ("tenures", "firm"),
    ("deals", "buyers"),
    ("deals", "targets"),
    ("deals", "people"),
    ("firms", "parent"),
)

_SCHEMA = """
CREATE TABLE records (kind TEXT NOT NULL, seq INTEGER NOT NULL, id TEXT NOT NULL, data BLOB NOT NULL,
                      PRIMARY KEY (kind, seq)) WITHOUT ROWID;
CREATE TABLE record_keys (kind TEXT NOT NULL, field TEXT NOT NULL, key TEXT NOT NULL, seq INTEGER NOT NULL);
CREATE TABLE source_texts (id TEXT PRIMARY KEY, path TEXT NOT NULL);
"""
# Built after the rows are in: one sort instead of a b-tree insert per row.
_INDEXES = """
CREATE UNIQUE INDEX records_id ON records(id);
CREATE INDEX record_keys_lookup ON record_keys(kind, field, key);
"""


def write(path: Path, rows_by_kind: dict[str, list[tuple[Any, ...]]], source_texts: dict[str, Path]) -> None:
    """Write the store for one set of files, atomically (a temporary file renamed into place)."""
    # A private temporary name: two aiorg processes may build the same store at once.
    descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
    os.close(descriptor)
    temporary = Path(name)
    db = sqlite3.connect(temporary)
    try:
        # A store is rebuilt whenever it cannot be read, so it needs no journal or fsync while written.
        db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + _SCHEMA)
        for kind, rows in rows_by_kind.items():
            cls = cast(type, RECORD_KINDS[kind])
            id_at = codec.field_index(cls, "id")
            db.executemany(
                "INSERT INTO records VALUES (?, ?, ?, ?)",
                ((kind, seq, row[id_at], marshal.dumps(row)) for seq, row in enumerate(rows)),
            )
            for indexed_kind, field in INDEXED:
                if indexed_kind == kind:
                    at = codec.field_index(cls, field)
                    db.executemany(
                        "INSERT INTO record_keys VALUES (?, ?, ?, ?)",
                        ((kind, field, key, seq) for seq, row in enumerate(rows) for key in _keys(row[at])),
                    )
        db.executemany("INSERT INTO source_texts VALUES (?, ?)", ((k, str(v)) for k, v in source_texts.items()))
        db.executescript(_INDEXES)
        db.commit()
    except BaseException:
        db.close()
        temporary.unlink(missing_ok=True)
        raise
    db.close()
    temporary.replace(path)


def _keys(value: Any) -> Iterable[str]:
    if value is None:
        return ()
    return value if isinstance(value, list) else (value,)


class Store:
    """Read access to a written store."""

    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)

    def count(self, kind: str) -> int:
        """How many records of a kind."""
        return int(self._db.execute("SELECT count(*) FROM records WHERE kind = ?", (kind,)).fetchone()[0])

    def rows(self, kind: str) -> Iterator[tuple[Any, ...]]:
        """Every record tuple of a kind, in file order."""
        for (data,) in self._db.execute("SELECT data FROM records WHERE kind = ? ORDER BY seq", (kind,)):
            yield marshal.loads(data)

    def row(self, kind: str, seq: int) -> tuple[Any, ...]:
        """One record tuple by position."""
        data = self._db.execute("SELECT data FROM records WHERE kind = ? AND seq = ?", (kind, seq)).fetchone()[0]
        return cast(tuple[Any, ...], marshal.loads(data))

    def where(self, record_id: str) -> tuple[str, int] | None:
        """(kind, position) of an id."""
        found = self._db.execute("SELECT kind, seq FROM records WHERE id = ?", (record_id,)).fetchone()
        return (str(found[0]), int(found[1])) if found else None

    def ids(self) -> Iterator[tuple[str, str, int]]:
        """(id, kind, position) of every record."""
        yield from self._db.execute("SELECT id, kind, seq FROM records")

    def positions(self, kind: str, field: str, key: str) -> list[int]:
        """Positions of the records whose indexed `field` holds `key`."""
        found = self._db.execute(
            "SELECT DISTINCT seq FROM record_keys WHERE kind = ? AND field = ? AND key = ? ORDER BY seq",
            (kind, field, key),
        )
        return [int(seq) for (seq,) in found]

    def keys(self, kind: str, field: str) -> list[str]:
        """Every value an indexed field takes."""
        return [
            str(k)
            for (k,) in self._db.execute(
                "SELECT DISTINCT key FROM record_keys WHERE kind = ? AND field = ?", (kind, field)
            )
        ]

    def source_texts(self) -> dict[str, Path]:
        """Source id -> path of its full text."""
        return {str(k): Path(v) for k, v in self._db.execute("SELECT id, path FROM source_texts")}
