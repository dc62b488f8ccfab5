"""The first rows of plain `people` (no filter at all), however many sources a spell has.

A row sorts on (day, latest day, person's name, spell id), its day being the end, else the
start, of the version of the spell shown first; a version's dates are each its own or one
another source states (aiorg.queries.common.versions), and an end is dropped only where sources
disagree on whether the spell is ongoing. So every spell's day lies among: its own end's and
start's days, the days of the ends and starts other sources state, or last (undated).

1. A bound `T` that the page's last day cannot pass: the first `limit` days by the spells' own
   dates (two index walks), and, for those whose possible days the store lists (no other
   source states a start or whether it is ongoing), the latest of those days; the `limit`-th
   smallest of these latest days is `T`, since that many spells sort on a day no later.
2. The candidates: every spell with a possible day no later than `T`, found on the indexed
   date columns and, for days another source states, through `statements` by value.
3. The candidates are decoded and keyed as `people` keys them, and only their first `limit` are
   built. A spell left out has every possible day after `T`, so it sorts after `limit` others.
"""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from aiorg.kb import KnowledgeBase
from aiorg.model import Tenure
from aiorg.queries.common import Page, source_lookup
from aiorg.queries.people import SpellFilter, SpellKey, SpellView, spell_key, spell_rows
from aiorg.store.schema import earliest_day, latest_day

#: the ISO text of an undated row's sort day (date.max), as `people` sorts it: last
LAST = date.max.isoformat()
_ENDED = "(end_lo IS NOT NULL OR end_hi IS NOT NULL)"
_CLAIMED = "kind = 'tenures' AND field IN ('start', 'end')"


def first_spells(kb: KnowledgeBase, spell_filter: SpellFilter, limit: int) -> Page | None:
    """The first `limit` rows of `people` when nothing filters (`spell_filter` keeps every spell)
    and how many there are; None when the bound cannot be set (too few dated spells) or a spell
    does not key as the bound assumed: the caller then reads the long way."""
    ((total,),) = kb.query("SELECT count(*) FROM tenures")
    if not limit:
        return Page([], total)
    bound = _bound(kb, limit)
    if bound is None or bound >= LAST:
        return None
    kb.temporary("people_first", ("seq", "n"), ((seq, 1) for seq in sorted(_candidates(kb, bound))))
    read = kb.select_tuples("tenures", "seq IN (SELECT seq FROM people_first)")
    spells = [(seq, cast(Tenure, kb.decoded("tenures", seq, data))) for seq, data in read]
    kb.prefetch(i for _, t in spells for i in (t.person, t.source, *(a.source for a in t.also)))
    source_of = source_lookup(kb)
    keyed: list[tuple[SpellKey, Tenure, SpellView]] = []
    for _, tenure in spells:
        display = spell_filter.match(kb, tenure, source_of)
        if not isinstance(display, SpellView):
            return None  # cannot be: `people` keeps every spell when nothing filters
        keyed.append((spell_key(kb, tenure, display), tenure, display))
    if sum(key[0] <= bound for key, _, _ in keyed) < limit:
        return None  # the bound was wrong (cannot be): do not trust the candidates
    keyed.sort(key=lambda found: found[0])
    return Page(spell_rows(kb, [(tenure, display) for _, tenure, display in keyed[:limit]], False), total)


def _bound(kb: KnowledgeBase, limit: int) -> str | None:
    """A day (ISO) before which (or on which) at least `limit` spells' rows sort, whatever version
    of them is shown, and not the last; None when the first spells by their own dates, walked
    up to 16 times `limit` of them, cannot tell one."""
    for walk in (limit, 4 * limit, 16 * limit):
        bound = _latest_of_first(kb, limit, walk)
        if bound is not None and bound < LAST:
            return bound
    return None


def _latest_of_first(kb: KnowledgeBase, limit: int, walk: int) -> str | None:
    """The `limit`-th smallest of the latest days the rows of the first `walk` spells by their own
    end (its earliest day; its latest where it has no earliest), and by their own start (those
    with no end), may sort on."""
    ends = kb.query("SELECT seq, end_lo FROM tenures WHERE end_lo IS NOT NULL ORDER BY end_lo LIMIT ?", (walk,))
    # the other walks stop at the day the first one reached (when it found `walk`): each `+` keeps
    # SQLite on the index the walk orders by, not on a (mostly NULL) other one
    upto = (ends[-1][1],) if len(ends) == walk else ()
    cap = "AND {} <= ?" if upto else "AND {} IS NOT NULL"
    ended_by = kb.query(
        f"SELECT seq, end_hi FROM tenures WHERE +end_lo IS NULL {cap.format('end_hi')} ORDER BY end_hi LIMIT ?",
        (*upto, walk),
    )
    starts = kb.query(
        f"SELECT seq, start_lo FROM tenures WHERE +end_lo IS NULL AND +end_hi IS NULL {cap.format('start_lo')}"
        " ORDER BY start_lo LIMIT ?",
        (*upto, walk),
    )
    walked = sorted({seq for seq, _ in (*ends, *ended_by, *starts)})
    if len(walked) < limit:
        return None
    kb.temporary("people_first", ("seq", "n"), ((seq, 1) for seq in walked))
    claims: dict[int, list[tuple[str, str]]] = {}
    for seq, field, value in kb.query(  # `+`: look each spell up by seq, not every claim by field
        "SELECT seq, field, value FROM statements WHERE seq IN (SELECT seq FROM people_first)"
        " AND +kind = 'tenures' AND +field IN ('start', 'end', 'current')"
    ):
        claims.setdefault(seq, []).append((field, value))
    columns = "seq, end_lo, end_hi, start_lo, start_hi"
    own = kb.query(f"SELECT {columns} FROM tenures WHERE seq IN (SELECT seq FROM people_first)")
    latest = sorted(_latest_day(row[1:], claims.get(row[0], [])) for row in own)
    return latest[limit - 1] if len(latest) >= limit else None


def _latest_day(own: tuple[Any, ...], claims: list[tuple[str, str]]) -> str:
    """The latest day a spell's row may sort on: its version's end, else its start, each its own
    or another source's; a version has no end where the spell has none of its own, or where its
    sources may disagree on whether it is ongoing (`current`)."""
    end_lo, end_hi, start_lo, start_hi = own
    ends = [_low(value) for field, value in claims if field == "end"]
    if end_lo or end_hi:  # (the loader refuses a spell its own source both ends and calls ongoing)
        ends.append(end_lo or end_hi)
        if all(field != "current" for field, _ in claims):
            return max(ends)
    starts = [_low(value) for field, value in claims if field == "start"]
    return max([*ends, *starts, start_lo or start_hi or LAST])


def _candidates(kb: KnowledgeBase, bound: str) -> set[int]:
    """The spells one of whose possible days is no later than `bound` (and some others): those
    whose own end is, those whose own start is and that may have no end, and those another
    source gives such an end or start."""
    found = {
        seq
        for (seq,) in kb.query(
            "SELECT seq FROM tenures WHERE end_lo <= ? OR end_hi <= ?"
            f" UNION SELECT seq FROM tenures WHERE (start_lo <= ? OR start_hi <= ?) AND NOT {_ENDED}"
            " UNION SELECT s.seq FROM statements s JOIN tenures t ON t.seq = s.seq"
            " WHERE s.kind = 'tenures' AND s.field = 'current' AND (t.start_lo <= ? OR t.start_hi <= ?)",
            (bound,) * 6,
        )
    }
    early = [value for field in ("start", "end") for value in _distinct(kb, field) if _low(value) <= bound]
    kb.temporary("people_early", ("n", "value"), enumerate(early))
    stated = f"SELECT seq FROM statements WHERE {_CLAIMED} AND value IN (SELECT value FROM people_early)"
    found.update(seq for (seq,) in kb.query(stated))
    return found


def _distinct(kb: KnowledgeBase, field: str) -> list[str]:
    """Each value other sources give a spell's `field`, once: a seek per value on the index."""
    following = "(SELECT min(value) FROM statements WHERE kind = 'tenures' AND field = ? AND value > v.value)"
    return [
        value
        for (value,) in kb.query(
            "WITH RECURSIVE v(value) AS (SELECT min(value) FROM statements WHERE kind = 'tenures' AND field = ?"
            f" UNION ALL SELECT {following} FROM v WHERE v.value IS NOT NULL)"
            " SELECT value FROM v WHERE value IS NOT NULL",
            (field, field),
        )
    ]


def _low(text: str) -> str:
    """The day a date another source states sorts on: its earliest day, else its latest."""
    return earliest_day(text) or latest_day(text) or LAST


__all__ = ["LAST", "first_spells"]
