"""Worker processes for a large change feed: the parsing pool, and the rows made on every core.

When every record changed (2.4M rows at 100k people) making the rows is most of the work left
after parsing. The pairs and names are already in memory, so workers forked then share them
without copying; each makes the rows of a slice of the pairs and sends them back marshalled,
which the parent reads back about ten times faster than it would make them.
"""

from __future__ import annotations

import contextlib
import gc
import marshal
import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from typing import Any

from aiorg.change_rows import rows_for
from aiorg.model import Record
from aiorg.parse import PARALLEL_BYTES

Pair = tuple[Record | None, Record | None]
#: below this many changed records the rows are made here (a fork costs more than they do)
PARALLEL_PAIRS = 20_000
_SLICES_PER_WORKER = 8  # so the parent reads rows back while the workers make the next ones

#: what forked row workers read: set only while they are started and working
_job: tuple[list[Pair], dict[str, Record], str, str] | None = None


@contextlib.contextmanager
def parse_pool(size: int) -> Iterator[Executor | None]:
    """Worker processes when there is much to parse, as a first load uses."""
    if size <= PARALLEL_BYTES or (os.cpu_count() or 1) < 2:
        yield None
        return
    with _workers() as pool:
        yield pool


def feed_rows(pairs: list[Pair], found: dict[str, Record], since: str, until: str) -> list[dict[str, Any]]:
    """The rows of every pair in order, made on every core when there are many."""
    workers = os.cpu_count() or 1
    if len(pairs) < PARALLEL_PAIRS or workers < 2:
        return _rows(pairs, found, since, until)
    global _job
    _job = (pairs, found, since, until)
    try:
        step = -(-len(pairs) // (workers * _SLICES_PER_WORKER))
        starts = range(0, len(pairs), step)
        rows: list[dict[str, Any]] = []
        with _workers() as pool:  # forked after _job is set, so every worker has it
            for blob in pool.map(_rows_between, starts, [step] * len(starts)):
                rows += marshal.loads(blob)
        return rows
    finally:
        _job = None


def _rows(pairs: list[Pair], found: dict[str, Record], since: str, until: str) -> list[dict[str, Any]]:
    return [row for pair in pairs for row in rows_for(*pair, found.get, since, until)]


def _rows_between(start: int, count: int) -> bytes:
    """(In a worker) the rows of pairs[start:start + count], marshalled."""
    assert _job is not None, "row workers are forked after the job is set"
    pairs, found, since, until = _job
    return marshal.dumps(_rows(pairs[start : start + count], found, since, until))


@contextlib.contextmanager
def _workers() -> Iterator[Executor]:
    pool = ProcessPoolExecutor(
        mp_context=multiprocessing.get_context("fork"), initializer=_start_worker, initargs=(os.getpid(),)
    )
    try:
        yield pool
    finally:
        pool.shutdown()


def _start_worker(parent: int) -> None:
    """A worker builds objects that reference counting frees (parsed chunks, rows) or that live
    as long as it does, so the cycle collector is off: parsing people.yaml at 100k people took
    7.4-7.9 s of CPU with it, 4.7-5.0 s without."""
    from aiorg import store

    store.die_with_parent(parent)
    gc.disable()
