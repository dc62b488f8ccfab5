"""`timeline` with no --firm or --person a page at a time: every fact is placed in the timeline's
order from the store, and only the rows shown are built.

The order is aiorg.queries.timeline's: by the date shown (its earliest possible day, then its
latest), a role's end before what starts on the same date, then the record's id, and a record's
facts in the order it gives them. A fact whose record's other sources give its date no other
bounds is dated by its own date, so it is placed on the store's typed columns (`<field>_lo`,
`<field>_hi`; a deal step on its row in `deals_history`), and a date window keeps it when that
date may fall inside. A record whose other sources may date it otherwise (a date with other
bounds, no date of its own, or a role one source says is ongoing and another ends) is "told in
full": its facts are counted in SQL (a fact is listed when any source gives its date, and kept
when any date a source gives it may fall inside the window, as `timeline` keeps it), and since the
date shown is one of the dates its sources give, the earliest of those places the record no later
than any of its facts; records are told as `timeline` tells them, earliest first, only while they
may still place a fact on the page. Rows are built from the checked records; where a record read
does not give the fact its column said, the whole answer is built as `timeline` builds it.

With no window, the page is found by aiorg.queries.timeline_walk, whose time does not grow with
the knowledge base: it asks which records are told in full of the records it walks only, and reads
how many facts there are from counts kept per file version.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from typing import Any, NamedTuple

from aiorg.kb import KnowledgeBase
from aiorg.model import Metric, Tenure
from aiorg.queries.common import ANY_TIME, Page, Row, Window, first, in_list, source_lookup, with_checked
from aiorg.queries.timeline import Item, record_items, timeline, timeline_order
from aiorg.store.schema import OPEN_END, chronological
from aiorg.store.write import first_seq, rank_range

#: (earliest day, latest day, 0 for a role's end else 1, record id, place among its record's facts)
Key = tuple[str, str, int, str, int]
#: per kind: its table of dated facts, and (date field, 0 for a role's end) for each fact it dates
DATED = {
    "tenures": ("tenures", (("start", 1), ("end", 0))),
    "events": ("events", (("date", 1),)),
    "metrics": ("metrics", (("as_of", 1),)),
    "deals": ("deals_history", (("date", 1),)),
}
#: the records whose other sources may date a fact otherwise than their own dates, by kind: the
#: typed table (t) a statement (s) is compared with, how they are joined, and when the statement does
_TOLD = {
    "tenures": (
        "tenures t ON t.seq = s.seq",
        "(s.field = 'start' AND (s.lo IS NOT t.start_lo OR s.hi IS NOT t.start_hi))"
        " OR (s.field = 'end' AND (s.lo IS NOT t.end_lo OR s.hi IS NOT t.end_hi))"
        " OR s.field = 'current'"  # whether the role is ongoing; how it ended, its own source giving no end:
        " OR (s.field = 'end_cause' AND t.end_lo IS NULL AND t.end_hi IS NULL)",
    ),
    "events": ("events t ON t.seq = s.seq", "s.field = 'date' AND (s.lo IS NOT t.date_lo OR s.hi IS NOT t.date_hi)"),
    "metrics": (
        "metrics t ON t.seq = s.seq",
        "s.field = 'as_of' AND (s.lo IS NOT t.as_of_lo OR s.hi IS NOT t.as_of_hi)",
    ),
    "deals": (
        "deals_history t ON t.seq = s.seq AND t.at = s.part",
        "s.field = 'history.date' AND (s.lo IS NOT t.date_lo OR s.hi IS NOT t.date_hi)",
    ),
}
_CHUNK = 5000
#: SQL of the rank of the file of the record numbered `seq` (aiorg.store.write.first_seq)
_FILE = f"seq / {first_seq(1)}"
#: how many records told in full are read at a time
_BATCH = 64


def told_sql(kind: str, asked: int = 0) -> str:
    """SQL of the seqs of the records of `kind` told in full (a seq once per statement that makes
    it so); of `asked` records only, when given, their seqs its parameters. The unary + keeps
    SQLite from reading the statements of the kind on an index of its values (every one, in the
    order of their dates, out of the order of the rows): the asked records are read by their keys,
    and all of them in the order of the rows."""
    joined, when = _TOLD[kind]
    among = f" AND t.seq IN {in_list(range(asked))}" if asked else ""
    return f"SELECT s.seq FROM statements s JOIN {joined} WHERE +s.kind = '{kind}' AND ({when}){among}"


class Fact(NamedTuple):
    """A fact placed by its own date: its key, and the record it is told by."""

    key: Key
    kind: str
    seq: int


def timeline_page(kb: KnowledgeBase, *, window: Window = ANY_TIME, limit: int | None = None) -> Page:
    """The first `limit` rows of `timeline(kb, window=window)` (all of them when None) and how
    many facts it lists; only the rows shown are built."""
    if limit is None:
        rows = timeline(kb, window=window)
        return Page(rows, len(rows))
    if window.open:  # every fact: walked from the first dates, counted once per file version
        from aiorg.queries.timeline_walk import first_facts

        return first_facts(kb, limit)
    told_tables(kb)  # found once, then read by every query below
    total = sum(fact_counts(kb, window).values())
    candidates: list[tuple[Key, Fact | Item]] = []
    for kind in DATED:
        candidates.extend((fact.key, fact) for fact in _column_facts(kb, kind, window, limit))
    candidates = heapq.nsmallest(first(limit, len(candidates)), candidates, key=lambda pair: pair[0])
    source_of = source_lookup(kb)
    candidates = _with_told(kb, window, limit, candidates, source_of)
    shown = page_rows(kb, [fact for _, fact in candidates], source_of)
    if shown is None:  # a record read does not tell a fact as its columns said
        return whole_page(kb, window, limit)
    return Page(with_checked(kb, shown), total)


def whole_page(kb: KnowledgeBase, window: Window, limit: int) -> Page:
    """The first `limit` rows of the whole answer, built as `timeline` builds it."""
    rows = timeline(kb, window=window)
    return Page(rows[: first(limit, len(rows))], len(rows))


def told_tables(kb: KnowledgeBase, rank: int | None = None) -> None:
    """The TEMP tables of the records told in full, of each kind, which `fact_counts` and the
    page's queries read; of one file's records only, when its `rank` is given."""
    within = "" if rank is None else " AND s.seq >= {} AND s.seq < {}".format(*rank_range(rank))
    for kind in DATED:
        found = kb.query(f"SELECT DISTINCT seq, 1 FROM ({told_sql(kind)}{within})")
        kb.temporary(_told_table(kind), ["seq", "told"], found)


def fact_counts(kb: KnowledgeBase, window: Window, rank: int | None = None) -> dict[int, int]:
    """How many facts `timeline` lists in the window, by the rank of the file of their records,
    `told_tables` made: those dated by their own dates, counted on their columns, and those of the
    records told in full, by every date a source gives them. With a `rank`, of that file's records
    only (read by their sequence numbers: an edit counts its file again, not every file)."""
    counts: dict[int, int] = {}
    within = "" if rank is None else " AND seq >= {} AND seq < {}".format(*rank_range(rank))
    for kind, (table, fields) in DATED.items():
        for field, _ in fields:
            where, parameters = window.sql(f'"{field}_lo"', f'"{field}_hi"')
            where += f" AND seq NOT IN ({_told(kind)}){within}"
            _add(counts, kb.query(f"SELECT {_FILE}, COUNT(*) FROM {table} WHERE {where} GROUP BY 1", parameters))
        where, parameters = window.sql("lo", "hi")
        told = f"SELECT DISTINCT seq, part, ending FROM ({_claims(kind)}) WHERE {where}"
        _add(counts, kb.query(f"SELECT {_FILE}, COUNT(*) FROM ({told}) GROUP BY 1", parameters))
    return counts


def _add(counts: dict[int, int], found: list[tuple[Any, ...]]) -> None:
    for rank, count in found:
        counts[int(rank)] = counts.get(int(rank), 0) + int(count)


def _told_table(kind: str) -> str:
    """The TEMP table of the seqs of the records of `kind` told in full."""
    return f"timeline_told_{kind}"


def _told(kind: str) -> str:
    return f"SELECT seq FROM temp.{_told_table(kind)}"


def fact_key(item: Item, place: int) -> Key:
    (earliest, latest), ending, record = timeline_order(item)
    return earliest.isoformat(), latest.isoformat(), ending, record, place


def _given(low: str, high: str) -> str:
    return f"({low} IS NOT NULL OR {high} IS NOT NULL)"


def _column_facts(kb: KnowledgeBase, kind: str, window: Window, limit: int) -> list[Fact]:
    """The first `limit` facts of a kind the window keeps that are dated by their own dates (not
    those of the records told in full), in the timeline's order."""
    table, fields = DATED[kind]
    facts = []
    for field, ending in fields:
        where, parameters = window.sql(f'"{field}_lo"', f'"{field}_hi"')
        where += f" AND seq NOT IN ({_told(kind)})"
        if kind == "deals":  # a step's id is its deal's; its place: its deal's dated steps before it
            steps = f"SELECT h.*, d.id FROM {table} h JOIN deals d ON d.seq = h.seq"
            sql = f"SELECT seq, id, {chronological(field)}, at FROM ({steps}) WHERE {where} ORDER BY 3, 4, 2, 5 LIMIT ?"
        else:  # in the order of the date's index
            sql = f"SELECT seq, id, {chronological(field)}, 0 FROM {table} WHERE {where} ORDER BY 3, 4, id LIMIT ?"
        rows = kb.query(sql, (*parameters, limit))
        places = step_places(kb, [(seq, at) for seq, _, _, _, at in rows]) if kind == "deals" else {}
        facts += [
            Fact((lo, hi, ending, record, places.get((seq, at), 0)), kind, seq) for seq, record, lo, hi, at in rows
        ]
    return facts


def step_places(kb: KnowledgeBase, steps: list[tuple[int, int]]) -> dict[tuple[int, int], int]:
    """(deal seq, step's place in its history) -> its place among the deal's dated steps."""
    places: dict[tuple[int, int], int] = {}
    seqs = sorted({seq for seq, _ in steps})
    for start in range(0, len(seqs), _CHUNK):
        chunk = seqs[start : start + _CHUNK]
        sql = f"SELECT seq, at FROM deals_history WHERE seq IN {in_list(chunk)} AND {_given('date_lo', 'date_hi')}"
        counted: dict[int, int] = {}
        for seq, at in sorted(kb.query(sql, tuple(chunk))):
            places[(seq, at)] = counted.get(seq, 0)
            counted[seq] = counted.get(seq, 0) + 1
    return places


def _claims(kind: str) -> str:
    """SQL of every date a source gives a fact of a record of `kind` told in full:
    (seq, part: a deal step's place, 0 for a role's end else 1, earliest day, latest day)."""
    table, fields = DATED[kind]
    told = f"seq IN ({_told(kind)})"
    parts = []
    for field, ending in fields:
        low, high = f'"{field}_lo"', f'"{field}_hi"'
        own, other = ("at", "part") if kind == "deals" else ("0", "0")
        parts.append(
            f"SELECT seq, {own} AS part, {ending} AS ending, {low} AS lo, {high} AS hi FROM {table}"
            f" WHERE {told} AND {_given(low, high)}"
        )
        name = "history.date" if kind == "deals" else field
        said = f"FROM statements WHERE +kind = '{kind}' AND field = '{name}' AND {told}"  # by seq, as told_sql
        parts.append(f"SELECT seq, {other}, {ending}, lo, hi {said}")
    return " UNION ALL ".join(parts)


def _told_records(kb: KnowledgeBase) -> Iterator[tuple[Key, str, int]]:
    """The records told in full, each with the earliest key any of its facts may take (the earliest
    date any source gives one of them), earliest first."""
    queries = []
    for kind in DATED:
        table = "deals" if kind == "deals" else kind
        queries.append(
            f"SELECT '{kind}' AS kind, c.seq, COALESCE(lo, hi) AS low, COALESCE(hi, '{OPEN_END}') AS high, ending,"
            f" r.id AS record FROM ({_claims(kind)}) AS c JOIN {table} r ON r.seq = c.seq"
        )
    sql = f"SELECT * FROM ({' UNION ALL '.join(queries)}) ORDER BY low, high, ending, record LIMIT ?"
    done, size, seen = 0, _BATCH, set()
    while True:  # most pages need the first few dates: more are asked for only when they are needed
        rows = kb.query(sql, (size,))
        for kind, seq, low, high, ending, record in rows[done:]:
            if (kind, seq) not in seen:  # a record's first date is its earliest
                seen.add((kind, seq))
                yield (low, high, ending, record, 0), kind, seq
        if len(rows) < size:
            return
        done, size = size, size * 4


def _with_told(
    kb: KnowledgeBase,
    window: Window,
    limit: int,
    chosen: list[tuple[Key, Fact | Item]],
    source_of: Any,
) -> list[tuple[Key, Fact | Item]]:
    """The first `limit` facts of `chosen` and of the records told in full: each record is told as
    `timeline` tells it while its earliest possible key may still place a fact among the first."""
    if limit == 0:
        return []
    for bound, kind, seq in _told_records(kb):
        if len(chosen) >= limit and bound > chosen[limit - 1][0]:
            break
        for _, record in by_seq(kb, kind, [seq]):
            for place, item in enumerate(record_items(kb, kind, record, source_of)):
                if any(window.admits(when) for when in item[1]):
                    chosen.append((fact_key(item, place), item))
        chosen = heapq.nsmallest(limit, chosen, key=lambda pair: pair[0])
    return chosen


def page_rows(kb: KnowledgeBase, chosen: list[Fact | Item], source_of: Any) -> list[Row] | None:
    """The rows of the facts chosen, in order: those placed by their own dates told from their
    records; None when a record does not tell the fact its key said."""
    wanted: dict[str, list[int]] = {}
    for fact in chosen:
        if isinstance(fact, Fact):
            wanted.setdefault(fact.kind, []).append(fact.seq)
    records = {kind: dict(by_seq(kb, kind, seqs)) for kind, seqs in wanted.items()}
    kb.prefetch(
        [
            *(i for t in records.get("tenures", {}).values() for i in (t.person, t.firm) if isinstance(t, Tenure)),
            *(m.subject for m in records.get("metrics", {}).values() if isinstance(m, Metric)),
        ]
    )
    rows: list[Row] = []
    for fact in chosen:
        if not isinstance(fact, Fact):
            rows.append(fact[2])
            continue
        record = records[fact.kind].get(fact.seq)
        if record is None:
            return None
        items = {
            fact_key(item, place): item for place, item in enumerate(record_items(kb, fact.kind, record, source_of))
        }
        if fact.kind == "tenures":  # a spell's two facts are told apart by their ending flag, not their place
            items = {(*key[:4], 0): item for key, item in items.items()}
        item = items.get(fact.key)
        if item is None:
            return None
        rows.append(item[2])
    return rows


def by_seq(kb: KnowledgeBase, kind: str, seqs: list[int]) -> Iterator[tuple[int, Any]]:
    """(seq, record) of the records of `kind` at these sequence numbers, in file order."""
    ordered = sorted(set(seqs))
    for start in range(0, len(ordered), _CHUNK):
        chunk = ordered[start : start + _CHUNK]
        for seq, data in kb.select_tuples(kind, f"seq IN {in_list(chunk)}", tuple(chunk)):
            yield seq, kb.decoded(kind, seq, data)
