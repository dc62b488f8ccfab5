"""`people` a page at a time: with no firm filter and no --as-of, the spells only their own
source gives a date, cause, state or area are matched, counted and ordered on the store's typed
columns, the others (where another source tells one of these otherwise) are decoded and matched
as `people` matches them, and only the rows shown are built. With no filter at all, only the
spells that may sort into the page are read (aiorg.queries.people_first)."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from aiorg.kb import KnowledgeBase
from aiorg.model import DEPARTURE_CAUSES, FORMAL_DEPARTURE_CAUSES, Area, EndCause, Tenure
from aiorg.queries.common import ANY_TIME, Page, Window, first, in_list, source_lookup
from aiorg.queries.people import (
    FILTERED,
    SpellFilter,
    SpellKey,
    SpellView,
    _people,
    _refuse_contradictions,
    spell_key,
    spell_rows,
)
from aiorg.queries.people_first import LAST, first_spells
from aiorg.queries.spell_narrowing import candidate_sql

#: the fields whose values another source may tell otherwise, so that a spell is matched decoded
_TOLD = tuple(name for name in FILTERED if name not in ("end", "end_cause"))


def people_page(
    kb: KnowledgeBase,
    *,
    left: str | None = None,
    joined: str | None = None,
    at: str | None = None,
    cause: EndCause | None = None,
    area: Area | None = None,
    formal: bool = False,
    window: Window = ANY_TIME,
    as_of: date | None = None,
    limit: int | None = None,
) -> Page:
    """The first `limit` rows of `people` with these filters (all of them when None) and how many
    match: the spells are matched and sorted first, and only the rows shown are built."""
    filters: dict[str, Any] = {"left": left, "joined": joined, "at": at, "cause": cause, "area": area}
    filters |= {"formal": formal, "window": window, "as_of": as_of}
    if limit is not None and left is None and joined is None and at is None and as_of is None:
        _refuse_contradictions(cause, formal, False, window)
        spell_filter = SpellFilter(**filters)
        page = first_spells(kb, spell_filter, limit) if _matches_every(spell_filter) else None
        if page is None:
            page = _columns_page(kb, spell_filter, limit)
        if page is not None:
            return page
    rows, _, total = _people(kb, **filters, limit=limit)
    return Page(rows, total)


def _columns_page(kb: KnowledgeBase, spell_filter: SpellFilter, limit: int) -> Page | None:
    """The page, the spells only their own source describes keyed on the store's columns; None
    when a spell shown does not match or sort as its columns said (the caller then reads all)."""
    told = _told_otherwise(kb)
    kb.temporary("people_told", ("seq", "told"), ((seq, 1) for seq in sorted(told)))
    where, parameters = _where(spell_filter)
    plain = f"FROM tenures t WHERE t.seq NOT IN (SELECT seq FROM people_told) {where}"
    ((total,),) = kb.query(f"SELECT count(*) {plain}", parameters)
    ordered = _first_plain(kb, plain, parameters, limit)
    keys: dict[int, SpellKey] = dict(ordered)
    found: dict[int, tuple[Tenure, SpellView]] = {}
    source_of = source_lookup(kb)
    every = _matches_every(spell_filter)
    if every:  # each spell matches: only those that may sort into the page need be read
        total += len(told)
        if len(ordered) == limit:
            told = _may_sort_by(kb, told, ordered[-1][1][0]) if limit else set()
        kb.temporary("people_told", ("seq", "told"), ((seq, 1) for seq in sorted(told)))
    # the SQL `people` narrows its candidates with: a spell no source gives a cause or area asked for is left unread
    departure = FORMAL_DEPARTURE_CAUSES if spell_filter.formal else DEPARTURE_CAUSES
    narrowing, narrowed = candidate_sql(spell_filter.formal, departure, spell_filter.cause, spell_filter.area, None)
    others = _decoded(kb, " AND ".join(w for w in ("seq IN (SELECT seq FROM people_told)", narrowing) if w), narrowed)
    kb.prefetch(i for _, t in others for i in (t.person, t.source, *(a.source for a in t.also)))
    for seq, tenure in others:
        display = spell_filter.match(kb, tenure, source_of)
        if isinstance(display, SpellView):
            keys[seq], found[seq] = spell_key(kb, tenure, display), (tenure, display)
        elif every:
            return None  # cannot be: `people` keeps every spell when nothing filters
    if not every:
        total += len(found)
    shown = sorted(keys, key=keys.__getitem__)[: first(limit, len(keys))]
    unread = [seq for seq in shown if seq not in found]
    for seq, tenure in _decoded(kb, f"seq IN {in_list(unread)}", tuple(unread)):
        display = spell_filter.match(kb, tenure, source_of)
        if not isinstance(display, SpellView) or spell_key(kb, tenure, display) != keys[seq]:
            return None
        found[seq] = tenure, display
    if any(seq not in found for seq in shown):
        return None
    return Page(spell_rows(kb, [found[seq] for seq in shown], spell_filter.at is not None), total)


def _matches_every(spell_filter: SpellFilter) -> bool:
    """Whether the filters keep every spell (no firm filter, no --as-of either)."""
    return (
        spell_filter.cause is None
        and spell_filter.area is None
        and not spell_filter.formal
        and spell_filter.window.open
    )


def _may_sort_by(kb: KnowledgeBase, told: set[int], last: str) -> set[int]:
    """The spells of `told` whose row may sort no later than a row dated from day `last` (ISO):
    a row is dated by its end, else its start, as one of its sources tells it, so it sorts no
    earlier than the earliest day any of them gives (an undated row sorts last)."""
    earliest = dict.fromkeys(told, LAST)
    own = "SELECT seq, end_lo, end_hi, start_lo, start_hi FROM tenures WHERE seq IN (SELECT seq FROM people_told)"
    for seq, *bounds in kb.query(own):
        days = [day for day in (bounds[0] or bounds[1], bounds[2] or bounds[3]) if day is not None]
        earliest[seq] = min(days, default=LAST)
    claimed = (
        "SELECT seq, lo, hi FROM statements WHERE kind = 'tenures' AND field IN ('start', 'end')"
        " AND seq IN (SELECT seq FROM people_told)"
    )
    for seq, low, high in kb.query(claimed):
        earliest[seq] = min(earliest[seq], low or high or LAST)
    return {seq for seq, day in earliest.items() if day <= last}


def _decoded(kb: KnowledgeBase, where: str, parameters: tuple[Any, ...]) -> list[tuple[int, Tenure]]:
    """(seq, spell) of the spells `where` selects, in file order."""
    return [
        (seq, cast(Tenure, kb.decoded("tenures", seq, data)))
        for seq, data in kb.select_tuples("tenures", where, parameters)
    ]


def _bounds(date_of: str) -> tuple[str, str]:
    """SQL for a date column's sort key (aiorg.dates.FuzzyDate.sort_key, as ISO text): NULL only
    for a spell with no such date, since a date states at least one bound."""
    return f"coalesce(t.{date_of}_lo, t.{date_of}_hi)", f"coalesce(t.{date_of}_hi, '{LAST}')"


_ENDED = "(t.end_lo IS NOT NULL OR t.end_hi IS NOT NULL)"
#: the day `people` sorts a spell's row on, from its own values: its end's bounds, else its start's
#: (an undated row last), as `low` and `high`
_DAYS = (
    f"CASE WHEN {_ENDED} THEN {_bounds('end')[0]} ELSE coalesce({_bounds('start')[0]}, '{LAST}') END AS low, "
    f"CASE WHEN {_ENDED} THEN {_bounds('end')[1]} ELSE {_bounds('start')[1]} END AS high"
)


def _first_plain(kb: KnowledgeBase, plain: str, parameters: tuple[Any, ...], limit: int) -> list[tuple[int, SpellKey]]:
    """The first `limit` spells of `plain` (SQL from `FROM`) with their sort keys, in order:
    ordered on their days first, then only those dated up to the last one's are named (names
    need a join per row) and sorted in full."""
    if not limit:
        return []
    last = kb.query(f"SELECT {_DAYS} {plain} ORDER BY 1, 2 LIMIT 1 OFFSET ?", (*parameters, limit - 1))
    upto, bound = ("WHERE low < ? OR (low = ? AND high <= ?)", (last[0][0], *last[0])) if last else ("", ())
    rows = kb.query(
        f"SELECT d.seq, d.low, d.high, p.name, d.id FROM (SELECT t.seq, {_DAYS}, t.person, t.id {plain}) d"
        f" LEFT JOIN records r ON r.kind = 'people' AND r.id = d.person LEFT JOIN people p ON p.seq = r.seq {upto}",
        (*parameters, *bound),
    )
    keyed = sorted(((seq, (low, high, name, spell_id)) for seq, low, high, name, spell_id in rows), key=lambda r: r[1])
    return keyed[:limit]


def _where(spell_filter: SpellFilter) -> tuple[str, tuple[Any, ...]]:
    """SQL over a spell's own columns that matches as `SpellFilter.matches` does on its only
    version (no firm filter, no --as-of)."""
    where: list[str] = []
    parameters: list[Any] = []
    if spell_filter.formal:
        causes = sorted(c.value for c in FORMAL_DEPARTURE_CAUSES)
        where.append(f"t.end_cause IN {in_list(causes)}")
        parameters += causes
    if spell_filter.cause is not None:
        where.append("t.end_cause = ?")
        parameters.append(spell_filter.cause.value)
    if spell_filter.area is not None:
        where.append("t.area = ?")
        parameters.append(spell_filter.area.value)
    window = spell_filter.window
    if not window.open:
        by_end, by_start = _admits("end", window), _admits("start", window)
        if spell_filter.cause is not None:
            where.append(f"{_ENDED} AND {by_end[0]}")
            parameters += by_end[1]
        else:  # its end, else its start
            where.append(f"CASE WHEN {_ENDED} THEN {by_end[0]} ELSE {by_start[0]} END")
            parameters += (*by_end[1], *by_start[1])
    return "".join(f" AND ({w})" for w in where), tuple(parameters)


def _admits(date_of: str, window: Window) -> tuple[str, tuple[str, ...]]:
    """SQL for `Window.admits` on a spell's date column: dated, and may fall inside."""
    return window.sql(f"t.{date_of}_lo", f"t.{date_of}_hi")


def _told_otherwise(kb: KnowledgeBase) -> set[int]:
    """The spells another source tells a start, end, cause, state or area of otherwise than
    their own (by bounds, for a date): every version of the others keys and matches alike."""
    told: set[int] = set()
    fields = in_list(_TOLD)
    told.update(
        seq for (seq,) in kb.query(f"SELECT seq FROM statements WHERE kind = 'tenures' AND field IN {fields}", _TOLD)
    )
    # A spell its own source calls current, and another ends, is disputed: each version differs.
    told.update(
        seq
        for (seq,) in kb.query(
            "SELECT s.seq FROM statements s JOIN tenures t ON t.seq = s.seq"
            " WHERE s.kind = 'tenures' AND s.field IN ('end', 'end_cause') AND t.current = 1"
        )
    )
    causes = "SELECT s.seq FROM statements s JOIN tenures t ON t.seq = s.seq WHERE s.kind = 'tenures'"
    told.update(seq for (seq,) in kb.query(f"{causes} AND s.field = 'end_cause' AND s.value IS NOT t.end_cause"))
    ends = f"{causes} AND s.field = 'end' AND (s.lo IS NOT t.end_lo OR s.hi IS NOT t.end_hi)"
    told.update(seq for (seq,) in kb.query(ends))
    return told
