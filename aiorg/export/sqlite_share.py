"""The spells' quotes and claims, staged by both processes of the SQLite export.

With two sources per fact the spells' claims are most of the export's work (at 100k people, three
million rows, each source's word on each field): the forked part (aiorg.export.sqlite_part), which
makes them, kept the export waiting long after this process was done with its own kinds. So the
records of the SHARED kind are cut into chunks of CHUNK, in file order, that the two processes
take one at a time: the forked part from the back, this process from the front once its own
kinds are made, until they meet. Each chunk is staged whole by the one process that took it.

This process's chunks (0 up to where they met) are staged in order, after the stages of its own
kinds; the forked part's, from the back, with the stage rows of each recorded in its database's
CHUNKS table, which the export reads in chunk order (`part_rows`). Both are read in the order of
the records: the rows are those one process staging every record would give.
"""

from __future__ import annotations

import multiprocessing
import sqlite3
from collections.abc import Callable
from itertools import islice
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aiorg.kb import KnowledgeBase

#: the kind whose records both processes stage (when it is forked)
SHARED = "tenures"
#: records to a chunk: about 150 chunks at 100k people, few enough to read one by one
CHUNK = 2048
#: the forked part's table of the stage rows (rowids, first and last) of each chunk it staged
CHUNKS = "shared_chunks"

#: stages the quotes and claims of a list of records (codec tuples) in a database's stages
Stage = Callable[[sqlite3.Connection, str, list[tuple[Any, ...]]], None]


class Share:
    """Which chunks are taken: made before the fork, shared with the forked process."""

    def __init__(self) -> None:
        # [the first chunk not taken from the front, the first taken from the back]; the back is
        # -1 until the forked part knows how many chunks there are (nothing to take till then)
        self._state = multiprocessing.get_context("fork").Array("q", [0, -1])

    def open(self, records: int) -> None:
        """Let the chunks of these many records be taken (by the forked part, once it has read them)."""
        with self._state.get_lock():
            self._state[1] = -(-records // CHUNK)

    def take_back(self) -> int | None:
        """The last chunk not taken (for the forked part), or None when none is left."""
        with self._state.get_lock():
            if self._state[1] > self._state[0]:
                self._state[1] -= 1
                return int(self._state[1])
        return None

    def take_front(self) -> int | None:
        """The first chunk not taken (for this process), or None when none is left."""
        with self._state.get_lock():
            if self._state[1] > self._state[0]:
                self._state[0] += 1
                return int(self._state[0] - 1)
        return None


def create_chunks(db: sqlite3.Connection, schema: str) -> None:
    db.execute(
        f"CREATE TABLE {schema}.{CHUNKS} (chunk INTEGER PRIMARY KEY, quotes_first INTEGER, quotes_last INTEGER,"
        " claims_first INTEGER, claims_last INTEGER)"
    )


def _last(db: sqlite3.Connection, schema: str, table: str) -> int:
    return int(db.execute(f"SELECT coalesce(max(rowid), 0) FROM {schema}.{table}").fetchone()[0])


def stage_back(
    db: sqlite3.Connection,
    schema: str,
    records: list[tuple[Any, ...]],
    share: Share,
    stage: Stage,
    tables: tuple[str, str],
) -> None:
    """In the forked part: stage the chunks of `records` it takes from the back, each one's stage
    rows (in `tables`, the quotes' and the claims' stage) recorded in CHUNKS."""
    share.open(len(records))
    quotes, claims = tables
    while (chunk := share.take_back()) is not None:
        before = _last(db, schema, quotes), _last(db, schema, claims)
        stage(db, schema, records[chunk * CHUNK : (chunk + 1) * CHUNK])
        after = _last(db, schema, quotes), _last(db, schema, claims)
        db.execute(
            f"INSERT INTO {schema}.{CHUNKS} VALUES (?, ?, ?, ?, ?)",
            (chunk, before[0] + 1, after[0], before[1] + 1, after[1]),
        )


def stage_front(db: sqlite3.Connection, schema: str, kb: KnowledgeBase, share: Share, stage: Stage) -> None:
    """In this process: stage the chunks it takes from the front, in order (read as they are taken)."""
    records = (row for _, row in kb.stream_tuples(SHARED))
    while share.take_front() is not None:  # the chunks come in order: 0, 1, 2...
        stage(db, schema, list(islice(records, CHUNK)))


def part_rows(schema: str, table: str, which: str, columns: str) -> str:
    """SELECT of `columns` from the forked part's stage `table` (the quotes' or claims', `which`)
    in the order of the records: chunk by chunk, each chunk's rows in the order they were staged
    (the rows of a chunk's range are all the SHARED kind's). CROSS JOIN keeps the chunks the outer
    loop: each chunk's rows are then one range of rowids, and no sort is needed."""
    return (
        f"SELECT {columns} FROM {schema}.{CHUNKS} AS c CROSS JOIN {schema}.{table} AS s"
        f" WHERE s.rowid BETWEEN c.{which}_first AND c.{which}_last ORDER BY c.chunk, s.rowid"
    )
