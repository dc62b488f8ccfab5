"""The SQLite export's last check, that every foreign key holds, made on two cores.

`PRAGMA foreign_key_check` over the whole database took about 0.8 s at 100k people, nearly half
of it the spells' table, after everything else was done. The tables are checked one by one
instead: those of THERE by a second connection in a helper thread (SQLite runs without
Python's lock, so on the other core), the rest by the export's own connection at the same time.
The same rows are checked against the same keys; only the order of any problems found differs.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

#: the tables the helper thread checks: the spells' (about 0.4 s at 100k people; the rest, with
#: the claims' table, about as long)
THERE = ("tenures",)
#: the helper's page cache (KiB): enough for the keys the spells refer to, which it looks up again
#: and again (the spells' own pages are read once); at 100k people 2 MB took 0.72 s, 32 MB 0.41 s,
#: 128 MB no less, and added 35 MB more to the export's peak of memory than 32 MB
_CACHE_KB = 32 * 1024


def foreign_key_problems(db: sqlite3.Connection, path: Path) -> list[Any]:
    """The rows of `PRAGMA foreign_key_check` in the committed database `db` has open at `path`:
    the tables of THERE checked through a second connection in a thread, the others through `db`."""
    tables = [
        name
        for (name,) in db.execute(
            "SELECT DISTINCT m.name FROM sqlite_master AS m JOIN pragma_foreign_key_list(m.name) "
            "WHERE m.type = 'table' ORDER BY m.name"
        )
    ]
    there = [table for table in tables if table in THERE]
    found: list[Any] = []
    failed: list[BaseException] = []

    def check_there() -> None:
        try:
            other = sqlite3.connect(path)
            try:
                other.execute(f"PRAGMA cache_size = -{_CACHE_KB}")
                other.execute("PRAGMA query_only = ON")
                found.extend(_problems(other, there))
            finally:
                other.close()
        except BaseException as error:  # noqa: BLE001 - raised again in the export's thread
            failed.append(error)

    helper = threading.Thread(target=check_there, daemon=True) if there else None
    if helper is not None:
        helper.start()
    try:
        problems = _problems(db, [table for table in tables if table not in there])
    finally:
        if helper is not None:
            helper.join()
    if failed:
        raise failed[0]
    return problems + found


def _problems(db: sqlite3.Connection, tables: list[str]) -> list[Any]:
    return [row for table in tables for row in db.execute(f'PRAGMA foreign_key_check("{table}")')]
