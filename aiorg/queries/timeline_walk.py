"""`timeline` with no window, --firm or --person, a page at a time, in time that does not grow with
the knowledge base: the dates are walked from the first, and the facts counted once per file version.

Every date any source gives a dated fact is walked in the timeline's order (earliest day, latest
day, a role's end first, record id), merged from the index of each date column of the store's
typed tables (a fact's own date) and from the index of the dates more sources give
(`statements_order`). A record is "told in full" when its other sources may date it otherwise
(aiorg.queries.timeline_page.told_sql, asked of the records walked only): its first date walked is
the earliest any source gives it, no later than any of its facts, so it is told as `timeline` tells
it there; any other fact is placed by its own date. The walk ends at the first date that can place
no fact among the first `limit`.

How many facts `timeline` lists is the sum, over the files, of how many each file's records
give: a record's facts and whether it is told in full depend on that record alone, so each file's
count is kept in the cache beside the store, one entry per file version (aiorg.queries.kept), and
counted in SQL when absent (aiorg.queries.timeline_page.fact_counts). Without a cache (a knowledge
base in memory) the whole store is counted.
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Iterator
from typing import Any

from aiorg.kb import KnowledgeBase
from aiorg.queries.common import ANY_TIME, Page, source_lookup, with_checked
from aiorg.queries.kept import beside_store, code_salt, per_file
from aiorg.queries.timeline import Item, record_items
from aiorg.queries.timeline_page import (
    DATED,
    Fact,
    Key,
    by_seq,
    fact_counts,
    fact_key,
    page_rows,
    step_places,
    told_sql,
    told_tables,
    whole_page,
)
from aiorg.store.schema import CLAIMED_ORDER, chronological

#: the cache area the counts are kept in
AREA = "timeline-facts"
#: the code a file's count depends on: which facts a record gives and which are told in full
#: (the timeline and its page), how a file's records are numbered, written and read, and the model
CODE = (
    "queries/timeline",
    "queries/timeline_page",
    "queries/timeline_walk",
    "claims",
    "store/schema",
    "store/claim_rows",
    "store/write",
    "store/read",
    "codec",
    "model",
    "kb",
)
#: a date walked: (earliest day, latest day, 0 for a role's end else 1, record id, a deal step's
#: place in its history, kind, seq, whether it is the record's own date)
Date = tuple[str, str, int, str, int, str, int, bool]
#: how many dates of each column are read first beyond the page's facts
_FIRST = 64
_CHUNK = 5000
#: the seq of the earliest date of a column, walked before its facts are read
_AHEAD = -1


def first_facts(kb: KnowledgeBase, limit: int) -> Page:
    """The first `limit` rows of `timeline(kb)` and how many facts it lists."""
    total = _total(kb)
    source_of = source_lookup(kb)
    chosen = _walk(kb, limit, source_of)
    shown = page_rows(kb, _placed(kb, [fact for _, fact in chosen]), source_of)
    if shown is None:  # a record read does not tell a fact as its columns said
        return whole_page(kb, ANY_TIME, limit)
    return Page(with_checked(kb, shown), total)


def _total(kb: KnowledgeBase) -> int:
    """How many facts `timeline` lists: each file's count, kept in the cache (counted when absent)."""
    cache = beside_store(kb)
    if cache is None:
        told_tables(kb)
        return sum(fact_counts(kb, ANY_TIME).values())

    def count(rank: int) -> int:  # a file not kept yet (an edited one): its records counted in SQL
        told_tables(kb, rank)
        return fact_counts(kb, ANY_TIME, rank).get(rank, 0)

    return sum(found for _, found in per_file(kb, cache, AREA, code_salt(CODE), count, _valid))


def _valid(kept: Any) -> int | None:
    """A count as `_total` kept it; None for anything else."""
    return kept if isinstance(kept, int) and not isinstance(kept, bool) and kept >= 0 else None


def _walk(kb: KnowledgeBase, limit: int, source_of: Any) -> list[tuple[Key, Fact | Item]]:
    """The first `limit` facts, in the timeline's order (a deal step's key holding its place in
    its history rather than among its deal's dated steps: the same order within a deal)."""
    chosen: list[tuple[Key, Fact | Item]] = []
    if limit == 0:
        return chosen
    told, done = _ToldCheck(kb), set()
    walked = [_dates(kb, kind, field, ending, own, told, limit + _FIRST) for kind in DATED
              for field, ending in DATED[kind][1] for own in (True, False)]  # fmt: skip
    for low, high, ending, record, at, kind, seq, own in heapq.merge(*walked):
        if len(chosen) >= limit and (low, high, ending, record, 0) > chosen[limit - 1][0]:
            break  # no fact walked from here on can be among the first
        if seq == _AHEAD:
            continue
        if told(kind, seq):
            if (kind, seq) in done:
                continue
            done.add((kind, seq))
            for _, read in by_seq(kb, kind, [seq]):
                for place, item in enumerate(record_items(kb, kind, read, source_of)):
                    bisect.insort(chosen, (fact_key(item, place), item), key=lambda pair: pair[0])
        elif own:  # a record dated by its own dates: another source's date of it is the same
            key = (low, high, ending, record, at)
            bisect.insort(chosen, (key, Fact(key, kind, seq)), key=lambda pair: pair[0])
        del chosen[limit:]
    return chosen


def _placed(kb: KnowledgeBase, chosen: list[Fact | Item]) -> list[Fact | Item]:
    """The facts chosen, a deal step's key holding its place among its deal's dated steps."""
    steps = [(fact.seq, fact.key[4]) for fact in chosen if isinstance(fact, Fact) and fact.kind == "deals"]
    places = step_places(kb, steps)
    return [
        Fact((*fact.key[:4], places[(fact.seq, fact.key[4])]), fact.kind, fact.seq)
        if isinstance(fact, Fact) and fact.kind == "deals"
        else fact
        for fact in chosen
    ]


def _dates(
    kb: KnowledgeBase, kind: str, field: str, ending: int, own: bool, told: _ToldCheck, size: int
) -> Iterator[Date]:
    """The dates of a kind's date field in the timeline's order: its own (`own`) or those more
    sources give; read `size` at a time (then four times as many), and asked whether their
    records are told in full. The earliest comes first with no record (seq `_AHEAD`, record ''),
    read on the date's index alone: the facts themselves, sorted by record in SQL (thousands may
    share a year), are read only when the walk reaches it. A date is given when its day is after
    '': SQLite seeks that range on the index, where IS NOT NULL reads every undated row first."""
    table = DATED[kind][0]
    if own:
        order, given = chronological(field), f'COALESCE("{field}_lo", "{field}_hi") > \'\''
        first = f"SELECT {order} FROM {table} WHERE {given} ORDER BY 1, 2 LIMIT 1"
        if kind == "deals":  # a step's id is its deal's
            steps = f"SELECT h.*, d.id FROM {table} h JOIN deals d ON d.seq = h.seq"
            sql = f"SELECT seq, id, {order}, at FROM ({steps}) WHERE {given} ORDER BY 3, 4, 2, 5 LIMIT ?"
        else:
            sql = f"SELECT seq, id, {order}, 0 FROM {table} WHERE {given} ORDER BY 3, 4, 2 LIMIT ?"
    else:
        name = "history.date" if kind == "deals" else field
        said = f"statements WHERE kind = '{kind}' AND field = '{name}' AND COALESCE(lo, hi) > ''"
        first = f"SELECT {CLAIMED_ORDER} FROM {said} ORDER BY 1, 2 LIMIT 1"
        sql = (
            f"SELECT s.seq, r.id, {CLAIMED_ORDER}, COALESCE(s.part, 0) FROM (SELECT * FROM {said}) s"
            f" JOIN {kind} r ON r.seq = s.seq ORDER BY 3, 4, 2, 5 LIMIT ?"
        )
    for low, high in kb.query(first):
        yield low, high, ending, "", 0, kind, _AHEAD, own
    done = 0
    while True:
        rows = kb.query(sql, (size,))
        told.ask(kind, [seq for seq, *_ in rows[done:]])
        for seq, record, low, high, at in rows[done:]:
            yield low, high, ending, record, at, kind, seq, own
        if len(rows) < size:
            return
        done, size = size, size * 4


class _ToldCheck:
    """Whether a record walked is told in full (`told_sql`, asked of the records walked only)."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.asked: dict[str, set[int]] = {kind: set() for kind in DATED}
        self.told: dict[str, set[int]] = {kind: set() for kind in DATED}

    def ask(self, kind: str, seqs: list[int]) -> None:
        """Find out about these records."""
        new = sorted(set(seqs) - self.asked[kind])
        self.asked[kind].update(new)
        for start in range(0, len(new), _CHUNK):
            chunk = new[start : start + _CHUNK]
            self.told[kind].update(seq for (seq,) in self.kb.query(told_sql(kind, len(chunk)), tuple(chunk)))

    def __call__(self, kind: str, seq: int) -> bool:
        return seq in self.told[kind]
