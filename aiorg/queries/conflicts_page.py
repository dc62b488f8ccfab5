"""`conflicts` a page at a time: the rows of the first records, and how many rows in all. A page
ends on a fact's last claim, so that no dispute shows one side only.

A record's rows (one per claim on each field its sources dispute) depend on that record alone,
so how many each record of a file gives is kept in the cache beside the store, one entry per
file version (as aiorg.queries.source_counts keeps its counts): a warm command reads one entry
per file, counts the rows from them, and decodes only the records whose rows it shows. Without
a cache (a knowledge base in memory), or for an entry not kept yet, the file's records another
source speaks for are decoded and counted. The rows shown are built by `conflicts` itself, and
a record whose rows do not number what its entry said sends the command the long way.
"""

from __future__ import annotations

import functools
from array import array
from typing import Any, cast

from aiorg.kb import KnowledgeBase
from aiorg.queries.common import Page, Row
from aiorg.queries.conflicts import DISPUTABLE_KINDS, RowBuilder, chosen_kinds, conflicts, row_count
from aiorg.queries.kept import beside_store, code_salt, per_file
from aiorg.store.write import rank_range

#: the array type of the counts kept (unsigned, 64 bits)
_TYPE = "Q"
#: the cache area the counts are kept in
AREA = "disputed-rows"
#: the code a record's count of rows depends on: what a dispute and a claim are, how a file's
#: records are numbered, written and read, and the model they decode to
CODE = ("claims", "queries/conflicts", "queries/conflicts_page", "store/write", "store/read", "codec", "model", "kb")

#: a file's records with rows: {kind: (their places in the file, how many rows each)}, in file
#: order, each an array of unsigned 64-bit numbers as bytes (a warm command reads 100k in a blink)
Counts = dict[str, tuple[bytes, bytes]]


def conflicts_page(kb: KnowledgeBase, kinds: list[str] | None = None, limit: int | None = None) -> Page:
    """The first `limit` rows of `conflicts` (all of them when None), and more to end on the last
    claim of a fact: a page never shows one side of a dispute without the others; and how many
    rows there are in all."""
    chosen = chosen_kinds(kinds)
    if limit is None:
        rows = conflicts(kb, kinds)
        return Page(rows, len(rows))
    files = [(rank_range(rank)[0], _unpacked(counts)) for rank, counts in _file_counts(kb)]
    total = sum(sum(counts[kind][1]) for _, counts in files for kind in chosen if kind in counts)
    build, rows = RowBuilder(kb), []
    for kind in chosen:
        wanted: dict[int, int] = {}  # the records whose rows are shown, and how many rows each gives
        held = len(rows)
        for low, counts in files:
            for place, n in zip(*counts.get(kind, ((), ())), strict=True):
                if held >= limit:
                    break
                wanted[low + place], held = n, held + n
        if not wanted:
            continue
        kb.temporary("conflicts_page", ("seq", "n"), sorted(wanted.items()))
        read = kb.select_tuples(kind, "seq IN (SELECT seq FROM conflicts_page)")
        built = [(seq, build(kind, kb.decoded(kind, seq, data))) for seq, data in read]
        if {seq: len(found) for seq, found in built} != wanted:
            rows = conflicts(kb, kinds)  # an entry that does not match: do not trust any
            return Page(rows[: whole_facts(rows, limit)], len(rows))
        rows += [row for _, found in built for row in found]
    return Page(rows[: whole_facts(rows, limit)], total)


def whole_facts(rows: list[Row], limit: int) -> int:
    """How many of `rows` (from the first) show at least `limit` of them and every claim of each
    fact shown (a fact's claims are together, and share its record and field)."""
    end = min(limit, len(rows))
    while 0 < end < len(rows) and _fact(rows[end]) == _fact(rows[end - 1]):
        end += 1
    return end


def _fact(row: Row) -> tuple[str, str, str]:
    return row["kind"], row["record"], row["field"]


def _file_counts(kb: KnowledgeBase) -> list[tuple[int, Counts]]:
    """(rank, counts) of each file, in file order: kept in the cache, counted when absent."""
    return per_file(kb, beside_store(kb), AREA, code_salt(CODE), functools.partial(_count, kb), _valid)


def _count(kb: KnowledgeBase, rank: int) -> Counts:
    """The counts of one file's records another source speaks for (only they can be disputed)."""
    low, high = rank_range(rank)
    counts: Counts = {}
    for kind in DISPUTABLE_KINDS:
        if not kb.query(f"SELECT 1 FROM {kind} WHERE seq >= ? AND seq < ? LIMIT 1", (low, high)):
            continue  # none in this file: no need to list every statement on the kind (0.5 s for the spells)
        where = "seq >= ? AND seq < ? AND seq IN (SELECT seq FROM statements WHERE kind = ?)"
        places, rows = array(_TYPE), array(_TYPE)
        for seq, data in kb.select_tuples(kind, where, (low, high, kind)):
            n = row_count(kb.decoded(kind, seq, data))
            if n:
                places.append(seq - low)
                rows.append(n)
        if places:
            counts[kind] = (places.tobytes(), rows.tobytes())
    return counts


def _unpacked(counts: Counts) -> dict[str, tuple[array[int], array[int]]]:
    found = {}
    for kind, (places, rows) in counts.items():
        found[kind] = (array(_TYPE), array(_TYPE))
        found[kind][0].frombytes(places)
        found[kind][1].frombytes(rows)
    return found


def _valid(kept: Any) -> Counts | None:
    """An entry as `_file_counts` stored it; None for anything else."""
    if not isinstance(kept, dict):
        return None
    size = array(_TYPE).itemsize
    for kind, pair in kept.items():
        if kind not in DISPUTABLE_KINDS or not (isinstance(pair, tuple) and len(pair) == 2):
            return None
        places, rows = pair
        if not (isinstance(places, bytes) and isinstance(rows, bytes) and len(places) == len(rows)):
            return None
        if len(places) % size:
            return None
    return cast(Counts, kept)


__all__ = ["conflicts_page", "whole_facts"]
