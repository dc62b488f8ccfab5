"""Shared by the query modules: the row type, cause wording, date windows, firm families, and
the versions of a record its sources tell."""

from __future__ import annotations

import dataclasses
import functools
import itertools
import weakref
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar, cast

from aiorg.claims import (
    SourceLookup,
    Statement,
    described,
    ranked,
    shown_value,
    state_disputed,
    told_by,
    value_text,
)
from aiorg.dates import FuzzyDate
from aiorg.errors import UsageError
from aiorg.kb import KnowledgeBase
from aiorg.model import DISPUTABLE, Claim, Deal, EndCause, Event, Firm, Metric, Product, Source, Tenure

R = TypeVar("R")

Row = dict[str, Any]  # a flat JSON-like row; keys are documented per query

CAUSE_TEXT: dict[EndCause | None, str] = {
    EndCause.LEFT: "left",
    EndCause.FOUNDED: "left to found a company",
    EndCause.ADVISOR: "moved to advisor role (has not formally left)",
    EndCause.DEMOTED: "demoted / sidelined (still at the firm)",
    EndCause.REPORTED: "reported to have left (unconfirmed)",
    None: "",
}


@dataclass(frozen=True, slots=True)
class Window:
    """An optional [since, until] window; a fuzzy date passes if it may fall inside."""

    since: date | None = None
    until: date | None = None

    @classmethod
    def parse(cls, since: str | None, until: str | None) -> Window:
        """Build from text such as '2024-09' (the whole month counts). A `since` open at its start
        ('..2024-06') or an `until` open at its end ('2024-06..') bounds nothing: a ValueError,
        never a window silently left open on that side."""
        start = FuzzyDate.parse(since).earliest if since else None
        end = FuzzyDate.parse(until).latest if until else None
        if since and start is None:
            raise ValueError(f"{since!r} has no earliest day to start from; give one, such as 2024-06")
        if until and end is None:
            raise ValueError(f"{until!r} has no latest day to end at; give one, such as 2024-06")
        return cls(start, end)

    def refuse_empty(self) -> None:
        """A window that ends before it starts can match nothing: a usage error."""
        if self.since is not None and self.until is not None and self.since > self.until:
            raise UsageError(f"--since {self.since} is after --until {self.until}, so nothing can match")

    @property
    def open(self) -> bool:
        """True when no bound is set."""
        return self.since is None and self.until is None

    def sql(self, low: str, high: str) -> tuple[str, tuple[str, ...]]:
        """`admits` in SQL, for a date kept as the columns (or expressions) `low` and `high` of its
        earliest and latest day: the date is given, and may fall inside the window."""
        tests = [f"({low} IS NOT NULL OR {high} IS NOT NULL)"]
        parameters: list[str] = []
        if self.since is not None:
            tests.append(f"({high} IS NULL OR {high} >= ?)")
            parameters.append(self.since.isoformat())
        if self.until is not None:
            tests.append(f"({low} IS NULL OR {low} <= ?)")
            parameters.append(self.until.isoformat())
        return " AND ".join(tests), tuple(parameters)

    def admits(self, when: FuzzyDate | None) -> bool:
        """Could `when` fall inside? Undated facts only pass an open window."""
        if self.open:
            return True
        if when is None:
            return False
        return (self.since is None or when.may_be_on_or_after(self.since)) and (
            self.until is None or when.may_be_on_or_before(self.until)
        )


#: the open window: every fact, dated or not
ANY_TIME = Window()


def firm_family(kb: KnowledgeBase, firm_id: str) -> set[str]:
    """A firm and every unit below it (Google includes DeepMind)."""
    return family_from(firm_id, units_by_parent(kb))


def units_by_parent(kb: KnowledgeBase) -> dict[str, list[str]]:
    """parent id -> its units' ids, in file order, read from the (checked) unit records."""
    units: dict[str, list[str]] = {}
    for unit in cast(list[Firm], kb.select("firms", "parent IS NOT NULL")):
        if unit.parent is not None:
            units.setdefault(unit.parent, []).append(unit.id)
    return units


def family_from(firm_id: str, units: dict[str, list[str]]) -> set[str]:
    """A firm and every unit below it, from a parent -> units map."""
    family, pending = {firm_id}, [firm_id]
    while pending:
        for unit in units.get(pending.pop(), []):
            if unit not in family:
                family.add(unit)
                pending.append(unit)
    return family


def first_quote(quote: list[str]) -> str:
    """The first passage of a quote list, for compact rows."""
    return quote[0] if quote else ""


_CHECKERS: weakref.WeakKeyDictionary[KnowledgeBase, Callable[[str, str], str]] = weakref.WeakKeyDictionary()


def quote_checker(kb: KnowledgeBase) -> Callable[[str, str], str]:
    """Whether a source's quote is in its archived text: 'found', 'not found', or 'unchecked' (no
    quote, or the source has no text that is there: never taken as found). Each text is read and
    each (source, quote) looked up once per knowledge base."""
    found = _CHECKERS.get(kb)
    if found is not None:
        return found
    from aiorg.queries.sources import UNCHECKED, SourceTexts  # reads texts: only where a row has a quote

    texts = SourceTexts(kb.source_texts)

    @functools.cache
    def checker(source: str, quote: str) -> str:
        return texts.check(source, quote)[1] if quote else UNCHECKED

    _CHECKERS[kb] = checker
    return checker


def with_checked(kb: KnowledgeBase, rows: list[Row]) -> list[Row]:
    """Rows with `checked` after their `source` and `quote` (see `quote_checker`)."""
    checked = quote_checker(kb)
    for row in rows:
        row["checked"] = checked(row["source"], row["quote"])
    return rows


@dataclass(frozen=True)
class Page:
    """The first rows of a longer answer: `rows` are the answer's first `len(rows)` rows, in its
    order, and `total` counts the whole answer. A listing builds only the rows it shows."""

    rows: list[Row]
    total: int


def first(limit: int | None, count: int) -> int:
    """How many of `count` rows a page of at most `limit` rows holds (None: all of them)."""
    if limit is not None and limit < 0:
        raise ValueError(f"a page holds at least 0 rows, not {limit}")
    return count if limit is None else min(limit, count)


# --- narrowing through the store: the records that name any of some ids, in file order ----------


def in_list(values: Collection[object]) -> str:
    """'(?, ?, ...)': SQL placeholders for a list of values."""
    return f"({', '.join('?' * len(values))})"


def naming_deal(ids: set[str]) -> tuple[str, tuple[str, ...]]:
    """SQL over the deals table (and its parameters): deals with any of `ids` among their buyers,
    targets or people."""
    where = " UNION ".join(f"SELECT seq FROM deals_{side} WHERE value IN {in_list(ids)}" for side in DEAL_SIDES)
    return f"seq IN ({where})", tuple(sorted(ids)) * len(DEAL_SIDES)


def deals_naming(kb: KnowledgeBase, ids: set[str]) -> list[Deal]:
    """Deals with any of `ids` among their buyers, targets or people."""
    return cast(list[Deal], kb.select("deals", *naming_deal(ids))) if ids else []


def spells_naming(kb: KnowledgeBase, ids: set[str]) -> list[Tenure]:
    """Role spells whose person or firm is one of `ids`."""
    if not ids:
        return []
    return cast(list[Tenure], kb.select("tenures", f"person IN {in_list(ids)} OR firm IN {in_list(ids)}", (*ids, *ids)))


def events_naming(kb: KnowledgeBase, ids: set[str]) -> list[Event]:
    """Events with any of `ids` among their subjects or as what they led `into`."""
    if not ids:
        return []
    where = f'seq IN (SELECT seq FROM events_subjects WHERE value IN {in_list(ids)}) OR "into" IN {in_list(ids)}'
    return cast(list[Event], kb.select("events", where, (*ids, *ids)))


def claims_naming(kb: KnowledgeBase, ids: set[str]) -> list[Claim]:
    """Claims with any of `ids` among their subjects."""
    if not ids:
        return []
    where = f"seq IN (SELECT seq FROM claims_subjects WHERE value IN {in_list(ids)})"
    return cast(list[Claim], kb.select("claims", where, tuple(ids)))


def metrics_of(kb: KnowledgeBase, ids: set[str]) -> list[Metric]:
    """Metrics whose subject is one of `ids`."""
    if not ids:
        return []
    return cast(list[Metric], kb.select("metrics", f"subject IN {in_list(ids)}", tuple(ids)))


def products_of(kb: KnowledgeBase, makers: set[str]) -> list[Product]:
    """Products made by one of `makers`."""
    if not makers:
        return []
    return cast(list[Product], kb.select("products", f"maker IN {in_list(makers)}", tuple(makers)))


#: the link tables that name a deal's parties
DEAL_SIDES = ("buyers", "targets", "people")


# --- many sources per fact: filters match on every claimed value (README, "When sources disagree")


def source_lookup(kb: KnowledgeBase) -> SourceLookup:
    """id -> the Source record (None for an id that is not one), for aiorg.claims' ranking."""
    found: dict[str, Source | None] = {}

    def source_of(source_id: str) -> Source | None:
        if source_id not in found:
            record = kb.by_id.get(source_id)
            found[source_id] = record if isinstance(record, Source) else None
        return found[source_id]

    return source_of


def _options(record: Any, name: str) -> list[Any]:
    """The record's own value of a field (None too), then each other value its sources give."""
    values = [getattr(record, name)]
    for item in record.also:
        value = getattr(item, name)
        if value is not None and all(value != old for old in values):
            text = value_text(value)
            if all(old is None or value_text(old) != text for old in values):
                values.append(value)
    if name in ("end", "end_cause") and None not in values and state_disputed(record):
        values.append(None)  # a source says the spell is ongoing: it has no end in that version
    return values


def may_disagree(record: Any) -> bool:
    """Whether any other source of a record gives a field a value other than its own (cheap:
    most `also` items repeat the record's values)."""
    if state_disputed(record):
        return True
    stated = {name for item in record.also for name in DISPUTABLE if getattr(item, name) is not None}
    return any(sum(v is not None for v in _options(record, name)) > 1 for name in stated if hasattr(record, name))


def varies(record: Any, fields: tuple[str, ...]) -> bool:
    """Whether another source gives one of `fields` a value the record does not state (another
    value, or one where the record states none). When not, the record is its only version
    (`versions`) and is shown as it is (`shown_version`)."""
    return bool(getattr(record, "also", None)) and any(len(_options(record, name)) > 1 for name in fields)


def versions(record: R, fields: tuple[str, ...]) -> list[R]:
    """The record with every combination of the values its sources give `fields`, its own values
    first: a filter keeps a record when any of these matches, so it matches on every claimed
    value. A record that cites one source is its only version."""
    if not getattr(record, "also", None):
        return [record]
    options = [_options(record, name) for name in fields]
    if all(len(values) == 1 for values in options):
        return [record]
    combos = itertools.product(*options)
    next(combos)  # the record's own values
    return [record, *(dataclasses.replace(record, **dict(zip(fields, combo, strict=True))) for combo in combos)]  # type: ignore[type-var]


def told_versions(record: R, fields: tuple[str, ...]) -> list[R]:
    """The record as each `also` source tells `fields` (its own value where the source states
    none): tried before the mixed versions of `versions`, so that a row matched on another
    source's word shows that source's values together (its end with its cause)."""
    found = []
    for item in getattr(record, "also", ()):
        told = {name: getattr(item, name) for name in fields if getattr(item, name) is not None}
        if "current" in fields and state_disputed(record):
            told |= {"end": None, "end_cause": None} if item.current is True else {"current": None}
        if told:
            found.append(dataclasses.replace(record, **told))  # type: ignore[type-var]
    return found


def shown_version(record: R, fields: tuple[str, ...], source_of: SourceLookup) -> R:
    """The record with each of `fields` holding the value shown first (aiorg.claims.shown_value)."""
    if not getattr(record, "also", None):
        return record
    changed = {name: shown_value(record, name, source_of) for name in fields if len(_options(record, name)) > 1}
    changed = {name: value for name, value in changed.items() if value is not getattr(record, name)}
    return dataclasses.replace(record, **changed) if changed else record  # type: ignore[type-var]


def state_note(tenure: Tenure, claims: list[Statement], source_of: SourceLookup) -> str:
    """'still in the role | moved to advisor role (...) (disputed, 2 sources)': one source says the
    spell is ongoing, another ends it (aiorg.claims.state_disputed), in the order shown."""
    texts: dict[str, None] = {}
    for claim in ranked(claims, source_of):
        cause = told_by(tenure, claim).end_cause
        texts[STILL_HELD if claim.value is True else CAUSE_TEXT[cause] if cause else ENDED] = None
    count = len({claim.source for claim in claims})
    return f"{' | '.join(texts)} (disputed, {count} sources)"


#: how a listing describes a spell a source says is ongoing, or ended for no stated cause
STILL_HELD = "still in the role"
ENDED = "ended"


#: what a listing writes after a value its record marks inferred (`Sourced.inferred`)
INFERRED = " (inferred)"


def inferred_show(record: Any, name: str, show: Callable[[Any], str] = described) -> Callable[[Any], str]:
    """`show`, writing " (inferred)" after the record's own value of field `name` when the record
    marks that field inferred: the value its source implies but does not say in words. Another
    source's different value is not marked; a dispute note written with it marks the one it is."""
    own = getattr(record, name, None)
    if own is None or name not in record.inferred:
        return show
    mine = value_text(own)

    def marked(value: Any) -> str:
        return show(value) + (INFERRED if value_text(value) == mine else "")

    return marked
