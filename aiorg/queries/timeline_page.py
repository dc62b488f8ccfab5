"""`timeline` with no --firm or --person a page at a time: every fact is placed in the timeline's
order from the store, and only the rows shown are built.

The order is aiorg.queries.timeline's: by the date shown (its earliest possible day, then its
latest), a role's end before what starts on the same date, then the record's id, and a record's
facts in the order it gives them. A fact whose record's other sources give its date no other
bounds is dated by its own date, so it is placed on the store's typed columns (`<field>_lo`,
`<field>_hi`; a deal step on its record tuple), and a date window keeps it when that date may
fall inside. A record whose other sources may date it otherwise (a date with other bounds, no
date of its own, or a role one source says is ongoing and another ends) is told in full as
`timeline` tells it, and its facts are placed by the dates shown. Rows are built from the
checked records; where a record read does not give the fact its column said, the whole answer
is built as `timeline` builds it.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from datetime import date
from functools import cache
from typing import Any, NamedTuple

from aiorg import codec
from aiorg.dates import FuzzyDate
from aiorg.kb import KnowledgeBase
from aiorg.model import Attestation, Deal, Metric, StatusEntry, Tenure
from aiorg.queries.common import ANY_TIME, Page, Row, Window, first, in_list, source_lookup, with_checked
from aiorg.queries.timeline import Item, record_items, timeline, timeline_order

#: (earliest day, latest day, 0 for a role's end else 1, record id, place among its record's facts)
Key = tuple[str, str, int, str, int]
_OPEN_END = date.max.isoformat()
#: (record kind, date field, 0 for a role's end): the facts placed on a kind's typed columns
_COLUMNS = (("tenures", "start", 1), ("tenures", "end", 0), ("events", "date", 1), ("metrics", "as_of", 1))
#: the fields another source may state that can change which date a role's facts are shown on
_SPELL_DATES = ("start", "end")
_HISTORY, _ID = codec.field_index(Deal, "history"), codec.field_index(Deal, "id")
_STEP_DATE, _STEP_ALSO = codec.field_index(StatusEntry, "date"), codec.field_index(StatusEntry, "also")
_ITEM_DATE = codec.field_index(Attestation, "date")
_CHUNK = 5000


class _Fact(NamedTuple):
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
    source_of = source_lookup(kb)
    told = _told_in_full(kb)
    told["deals"] = set()
    total, steps = _step_facts(kb, window, told["deals"], limit)
    candidates: list[tuple[Key, _Fact | Item]] = [(fact.key, fact) for fact in steps]
    for kind, seqs in told.items():  # told as `timeline` tells them
        for record in _read(kb, kind, seqs):
            for place, item in enumerate(record_items(kb, kind, record, source_of)):
                if any(window.admits(when) for when in item[1]):
                    total += 1
                    candidates.append((_key(item, place), item))
    for kind, field, ending in _COLUMNS:
        count, facts = _column_facts(kb, kind, field, ending, window, told.get(kind, set()), limit)
        total += count
        candidates.extend((fact.key, fact) for fact in facts)
    chosen = heapq.nsmallest(first(limit, len(candidates)), candidates, key=lambda pair: pair[0])
    shown = _rows(kb, [fact for _, fact in chosen], source_of)
    if shown is None:  # a record read does not tell a fact as its columns said
        rows = timeline(kb, window=window)
        return Page(rows[: first(limit, len(rows))], len(rows))
    return Page(with_checked(kb, shown), total)


def _key(item: Item, place: int) -> Key:
    (earliest, latest), ending, record = timeline_order(item)
    return earliest.isoformat(), latest.isoformat(), ending, record, place


@cache
def _bounds(text: str) -> tuple[str | None, str | None]:
    when = FuzzyDate.parse(text)
    return (
        when.earliest.isoformat() if when.earliest else None,
        when.latest.isoformat() if when.latest else None,
    )


def _told_in_full(kb: KnowledgeBase) -> dict[str, set[int]]:
    """The records whose other sources may date a fact otherwise than their own dates, by kind
    (deals are read from their tuples: see `_step_facts`)."""
    found: dict[str, set[int]] = {}
    spells = kb.query(
        "SELECT s.seq, s.field, s.value, t.start_lo, t.start_hi, t.end_lo, t.end_hi FROM statements s"
        " JOIN tenures t ON t.seq = s.seq WHERE s.kind = 'tenures'"
        " AND s.field IN ('start', 'end', 'current', 'end_cause')"
    )
    for seq, field, value, *own in spells:
        if field in _SPELL_DATES:
            at = 2 * _SPELL_DATES.index(field)
            differs = _bounds(value) != (own[at], own[at + 1])
        else:  # whether the role is ongoing, or how it ended when its own source gives no end
            differs = field == "current" or (own[2] is None and own[3] is None)
        if differs:
            found.setdefault("tenures", set()).add(seq)
    for kind, field in (("events", "date"), ("metrics", "as_of")):
        rows = kb.query(
            f"SELECT s.seq, s.value, t.{field}_lo, t.{field}_hi FROM statements s JOIN {kind} t ON t.seq = s.seq"
            f" WHERE s.kind = ? AND s.field = ?",
            (kind, field),
        )
        for seq, value, low, high in rows:
            if _bounds(value) != (low, high):
                found.setdefault(kind, set()).add(seq)
    return found


def _read(kb: KnowledgeBase, kind: str, seqs: set[int] | list[int]) -> Iterator[Any]:
    """The records of `kind` at these sequence numbers, in file order."""
    ordered = sorted(seqs)
    for start in range(0, len(ordered), _CHUNK):
        chunk = ordered[start : start + _CHUNK]
        yield from kb.select(kind, f"seq IN {in_list(chunk)}", tuple(chunk))


def _window_sql(field: str, window: Window) -> tuple[str, tuple[str, ...]]:
    """SQL keeping a date that is given and may fall inside the window (Window.admits)."""
    return window.sql(f'"{field}_lo"', f'"{field}_hi"')


def _column_facts(
    kb: KnowledgeBase, kind: str, field: str, ending: int, window: Window, told: set[int], limit: int
) -> tuple[int, list[_Fact]]:
    """How many facts of a kind's date field the window keeps, not counting the records told in
    full, and the first `limit` of them in the timeline's order."""
    where, parameters = _window_sql(field, window)
    (count,) = kb.query(f"SELECT COUNT(*) FROM {kind} WHERE {where}", parameters)[0]
    ordered = sorted(told)
    for start in range(0, len(ordered), _CHUNK):
        chunk = ordered[start : start + _CHUNK]
        sql = f"SELECT COUNT(*) FROM {kind} WHERE {where} AND seq IN {in_list(chunk)}"
        count -= kb.query(sql, (*parameters, *chunk))[0][0]
    rows = kb.query(
        f'SELECT seq, id, COALESCE("{field}_lo", "{field}_hi"), COALESCE("{field}_hi", ?) FROM {kind}'
        f" WHERE {where} ORDER BY 3, 4, id LIMIT ?",
        (_OPEN_END, *parameters, limit + len(told)),
    )
    facts = [_Fact((low, high, ending, record, 0), kind, seq) for seq, record, low, high in rows if seq not in told]
    return count, facts[:limit]


def _step_facts(kb: KnowledgeBase, window: Window, told: set[int], limit: int) -> tuple[int, list[_Fact]]:
    """How many dated deal steps the window keeps, and the first `limit`, read from the deals'
    tuples; a deal a step of which another source dates otherwise is added to `told`."""
    facts: list[_Fact] = []
    for seq, data in kb.select_tuples("deals"):
        steps = data[_HISTORY]
        if any(
            item[_ITEM_DATE] is not None and item[_ITEM_DATE] != step[_STEP_DATE]
            for step in steps
            for item in step[_STEP_ALSO] or ()
        ):
            told.add(seq)
            continue
        place = 0
        for step in steps:
            text = step[_STEP_DATE]
            if text is None:
                continue
            if window.open or window.admits(FuzzyDate.parse(text)):
                low, high = _bounds(text)
                facts.append(_Fact((low or high or "", high or _OPEN_END, 1, data[_ID], place), "deals", seq))
            place += 1
    return len(facts), heapq.nsmallest(limit, facts)


def _rows(kb: KnowledgeBase, chosen: list[_Fact | Item], source_of: Any) -> list[Row] | None:
    """The rows of the facts chosen, in order: those placed by their own dates told from their
    records; None when a record does not tell the fact its key said."""
    wanted: dict[str, list[int]] = {}
    for fact in chosen:
        if isinstance(fact, _Fact):
            wanted.setdefault(fact.kind, []).append(fact.seq)
    records = {kind: dict(_by_seq(kb, kind, seqs)) for kind, seqs in wanted.items()}
    kb.prefetch(
        [
            *(i for t in records.get("tenures", {}).values() for i in (t.person, t.firm) if isinstance(t, Tenure)),
            *(m.subject for m in records.get("metrics", {}).values() if isinstance(m, Metric)),
        ]
    )
    rows: list[Row] = []
    for fact in chosen:
        if not isinstance(fact, _Fact):
            rows.append(fact[2])
            continue
        record = records[fact.kind].get(fact.seq)
        if record is None:
            return None
        items = {_key(item, place): item for place, item in enumerate(record_items(kb, fact.kind, record, source_of))}
        if fact.kind == "tenures":  # a spell's two facts are told apart by their ending flag, not their place
            items = {(*key[:4], 0): item for key, item in items.items()}
        item = items.get(fact.key)
        if item is None:
            return None
        rows.append(item[2])
    return rows


def _by_seq(kb: KnowledgeBase, kind: str, seqs: list[int]) -> Iterator[tuple[int, Any]]:
    ordered = sorted(set(seqs))
    for start in range(0, len(ordered), _CHUNK):
        chunk = ordered[start : start + _CHUNK]
        for seq, data in kb.select_tuples(kind, f"seq IN {in_list(chunk)}", tuple(chunk)):
            yield seq, kb.decoded(kind, seq, data)
