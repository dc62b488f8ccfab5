"""Rows for the SQLite export made cheap to bind.

Python's sqlite3 binds a str, an int or a float at once, but first passes any other value, None
and a bool among them, through its adapter look-up (a dict look-up and two attribute look-ups,
about 0.4 µs each). At 100k people the export binds millions of NULLs: with two sources per fact,
the claims alone bound about six million of them and the two booleans of every claim, seconds of
work for values that need none.

SQLite stores a bound NaN as NULL (a NaN is never a value there), and a NaN is a float, bound at
once. So a NULL is given as NULL, a NaN, where the running SQLite does that (checked once, on
import, in a database in memory), and as None where it does not; a bool is given as the int it
binds as. The rows written are the same.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from typing import Any


def _null() -> float | None:
    """A NaN if this SQLite stores a bound NaN as NULL, else None."""
    nan = float("nan")
    db = sqlite3.connect(":memory:")
    try:
        (stored,) = db.execute("SELECT typeof(?)", (nan,)).fetchone()
    finally:
        db.close()
    return nan if stored == "null" else None


#: the value to bind for NULL
NULL = _null()
_SWAP: dict[Any, Any] = {None: NULL}


def bindable(row: Sequence[Any]) -> tuple[Any, ...]:
    """The row with each None as NULL (a row holds no bool: give those as ints)."""
    get = _SWAP.get
    return tuple(map(get, row, row))


def bindable_rows(rows: Iterable[Sequence[Any]]) -> Iterator[tuple[Any, ...]]:
    """`bindable` of each row."""
    get = _SWAP.get
    for row in rows:
        yield tuple(map(get, row, row))
