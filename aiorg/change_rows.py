"""What a difference between two versions of one record means, as rows of the change feed.

A record that appears or disappears is `added` / `removed` (a new role spell whose `after` is a
spell at another firm is a `moved` row: who moved from A to B). For a record in both versions:
a deal whose current status differs gives a `status` row; a spell whose `after` now points to a
spell at another firm gives `moved`; an amount, valuation, stake or other number gives
`revised`; any other field gives `changed` (a spell's `end_cause` with its own sentence). The
sources a record cites anywhere (its own `source`, each history step's, each condition's, and
any list of sourced items a later model adds) are compared as sets: `source_added` and
`source_removed`. Items of such a list that differ only by a source already reported are not
reported again; any other item that changed, was added or was removed gets a `changed` row of its
own, told as a fact with its two versions as structured values (aiorg.change_items), as do a
record's own `inferred`, `reported_by` (sets: a new order alone is no change) and `note`. Every
field is read from the model's declarations, so a new field shows up without code here. Rows
name a record as aiorg.change_names does, and one of two role spells of a person at a firm as
aiorg.change_spells finds.

A record with `also` claims (more sources) is compared as the listings show it: a field whose
value shown first, or whether it is disputed, changed gets its row with what a listing now
shows (aiorg.change_values), and an `also` item all of whose values such rows say gets none.
"""

from __future__ import annotations

import dataclasses
import operator
import typing
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

from aiorg.change_items import changed_pairs, exact, field_phrases, item_change, plain, unchanged
from aiorg.change_names import display_name, moved_from, named_once, quoted, record_label
from aiorg.change_values import Shown, ranking_ids, show, shown_changes, told
from aiorg.codec import unwrap_optional
from aiorg.model import RECORD_KINDS, RECORD_TYPES, Condition, Deal, Metric, Record, StatusEntry, Tenure
from aiorg.money import Money

#: the keys of every change row, in order (JSON and CSV carry all of them)
CHANGE_KEYS: tuple[str, ...] = (
    "change",
    "kind",
    "record",
    "name",
    "field",
    "before",
    "after",
    "summary",
    "source",
    "since",
    "until",
)
#: what the `change` key can say
CHANGES = ("added", "removed", "moved", "status", "revised", "changed", "source_added", "source_removed")

Lookup = Callable[[str], Record | None]
_KIND_ORDER = {cls.KIND: i for i, cls in enumerate(RECORD_TYPES)}
_NOT_COMPARED = ("id", "source")  # the id matches the two versions; sources get rows of their own
#: fields about where a fact comes from, whose rows say what changed in words
_PROVENANCE = ("inferred", "reported_by", "note")


def needed_ids(record: Record) -> set[str]:
    """The other records a row about `record` names (a spell's person, firm and earlier spell, a
    metric's subject) or ranks its claims by (`ranking_ids`)."""
    if isinstance(record, Tenure):
        return {i for i in (record.person, record.firm, record.after) if i} | ranking_ids(record)
    if isinstance(record, Metric):
        return {record.subject} | ranking_ids(record)
    return ranking_ids(record)


def named_needs(record: Record) -> set[str]:
    """What a row needs of a record it names: an earlier spell's firm (who moved from where)."""
    return {record.firm} if isinstance(record, Tenure) else set()


def record_order(record: Record) -> tuple[int, str]:
    """Where a record's rows go in the feed: `sort_key` of each of them."""
    return order_of(record.KIND, record.id)


def order_of(kind: str, record_id: str) -> tuple[int, str]:
    """`record_order` of the record of this kind and id."""
    return (_KIND_ORDER.get(kind, len(_KIND_ORDER)), record_id)


def sort_key(row: dict[str, Any]) -> tuple[int, str]:
    """Rows by kind (in the model's order), then record id; a record's rows keep their order (a stable sort)."""
    return (_KIND_ORDER.get(row["kind"], len(_KIND_ORDER)), row["record"])


#: a row's values in the order of CHANGE_KEYS
Row = tuple[Any, ...]


def rows_for(
    old: Record | None,
    new: Record | None,
    lookup: Lookup,
    since: str,
    until: str,
    earlier: Lookup | None = None,
    spells: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """The rows for one record id: `old` and `new` are its two versions (None where absent).
    `lookup` finds records at the later revision, `earlier` the sources of `old` at the earlier
    one (None: `lookup`); `spells`: how a role spell is told apart from another of its person at
    its firm, by id (aiorg.change_spells)."""
    rows = row_tuples(old, new, lookup, since, until, earlier, spells)
    return [dict(zip(CHANGE_KEYS, row, strict=True)) for row in rows]


def row_tuples(
    old: Record | None,
    new: Record | None,
    lookup: Lookup,
    since: str,
    until: str,
    earlier: Lookup | None = None,
    spells: Mapping[str, str] | None = None,
) -> list[Row]:
    """The rows of `rows_for`, each as its values in the order of CHANGE_KEYS (no dict per row)."""
    record = new if new is not None else old
    assert record is not None
    make = _RowMaker(record, lookup, since, until, earlier or lookup)
    if spells and record.id in spells:
        make.label = f"{make.label} {spells[record.id]}"  # "Zhang Xinhao's spell at StepFun as 'Internal advisor'"
    if old is None or new is None:
        make.appeared_or_gone(old, new)
    else:
        make.compared(old, new)
    return make.rows


class _RowMaker:
    def __init__(self, record: Record, lookup: Lookup, since: str, until: str, earlier: Lookup) -> None:
        self.record, self.lookup, self.earlier = record, lookup, earlier
        self.kind, self.id, self.name = record.KIND, record.id, display_name(record, lookup)
        self.since, self.until = since, until
        self.label = record_label(record, lookup)
        self.source = _source(record)  # every row of a record but a status or source row cites it
        self.rows: list[Row] = []

    def add(
        self,
        change: str,
        summary: str,
        field: str | None = None,
        before: Any = None,
        after: Any = None,
        source: str | None = None,
    ) -> None:
        row = (change, self.kind, self.id, self.name, field, before, after, summary, source, self.since, self.until)
        self.rows.append(row)

    def appeared_or_gone(self, old: Record | None, new: Record | None) -> None:
        if new is not None:
            move = moved_from(new, self.lookup)
            if move is not None:
                person, before, after = move
                self.add("moved", f"{person} moved from {before} to {after}", "after", before, after, self.source)
                return
            self.add("added", f"Added {named_once(new, self.label)}", None, None, self.name, self.source)
        elif old is not None:
            self.add("removed", f"Removed {named_once(old, self.label)}", None, self.name, None, self.source)

    def compared(self, old: Record, new: Record) -> None:
        cited_old, cited_new = cited_sources(old), cited_sources(new)
        gone = {s: f for s, f in cited_old.items() if s not in cited_new}
        came = {s: f for s, f in cited_new.items() if s not in cited_old}
        status_changed = isinstance(old, Deal) and isinstance(new, Deal) and old.status != new.status
        if isinstance(old, Deal) and isinstance(new, Deal) and status_changed:
            self.add(
                "status",
                f"Deal {new.id}: status {old.status.value} → {new.status.value}",
                "status",
                old.status.value,
                new.status.value,
                new.history[-1].source,
            )
        shown = shown_changes(old, new, self.earlier, self.lookup, self.source)
        fields, values = _compared_fields(new.KIND)
        for (name, item, sourced), was, now in zip(fields, values(old), values(new), strict=True):
            if name in shown:  # the row says what a listing shows, not only the record's own source
                self.field_row(name, new, *shown[name])
                continue
            if unchanged(name, was, now):  # equal, or a set (`inferred`, `reported_by`) in another order
                continue
            if sourced and (now or was):
                last = status_changed and name == "history"
                left = _unexplained(was, now, came, last, shown, {**came, **gone})
                right = _unexplained(now, was, gone, last, shown, {**came, **gone})
                if left or right:
                    self.items_changed(name, was or [], now or [], left, right)
                continue
            self.field_changed(name, item, new, was, now, self.source)
        for source, where in came.items():
            self.add("source_added", f"Source {source} added to {self.label} ({where})", where, None, source, source)
        for source, where in gone.items():
            self.add(
                "source_removed", f"Source {source} removed from {self.label} ({where})", where, source, None, source
            )

    def items_changed(self, name: str, was: list[Any], now: list[Any], left: list[Any], right: list[Any]) -> None:
        """A row for each item of list `name` that changed (matched across the versions), was added
        or was removed, of those `_unexplained` leaves to report (`left` of `was`, `right` of
        `now`): the item as a fact, its two versions as structured values, citing the item's own
        source (an `also` claim's, a step's), not the record's."""
        gone, came = [i for i in was if i not in now], [i for i in now if i not in was]
        for before, after in changed_pairs(gone, came):
            if not (before is not None and before in left) and not (after is not None and after in right):
                continue
            sources = [s for i in (before, after) if isinstance(s := getattr(i, "source", None), str)]
            cites = "; ".join(dict.fromkeys(sources)) or self.source
            summary = f"{self.label}: {item_change(before, after)}"
            self.add("changed", summary, name, plain(before), plain(after), cites)

    def field_changed(
        self, name: str, item: dataclasses.Field[Any], new: Record, was: Any, now: Any, source: str | None
    ) -> None:
        """The row for one field whose values differ (`was` in the earlier version, `now` in `new`),
        citing `source`."""
        if name == "after" and isinstance(new, Tenure):
            move = moved_from(new, self.lookup)
            if move is not None:
                self.add("moved", f"{move[0]} moved from {move[1]} to {move[2]}", name, move[1], move[2], source)
                return
        before, after = show(was, item), show(now, item)
        if before == after:  # two values written alike: both as stored, so the row shows what differs
            before, after = exact(was), exact(now)
        if name in _PROVENANCE:  # "date now marked inferred", "now credited to cnbc", "note added: '…'"
            summary = f"{self.label}: {'; '.join(field_phrases(name, was, now, item))}"
            self.add("changed", summary, name, before, after, source)
            return
        self.field_row(name, new, before, after, source)

    def field_row(self, name: str, new: Record, before: str | None, after: str | None, source: str | None) -> None:
        """The row for a field of `new` that read `before` and now reads `after`, citing `source`."""
        if name == "end_cause" and isinstance(new, Tenure):
            ends = f"now ends in '{after}'" if after else "no longer says how it ended"
            self.add("changed", f"{self.label} {ends} (was {quoted(before)})", name, before, after, source)
            return
        if name in _number_fields(new.KIND):
            summary = f"{name.capitalize()} of {self.label} revised: {before or 'not stated'} → {after or 'not stated'}"
            self.add("revised", summary, name, before, after, source)
            return
        summary = f"{self.label}: {name} {quoted(before)} → {quoted(after)}"
        self.add("changed", summary, name, before, after, source)


@cache
def _compared_fields(
    kind: str,
) -> tuple[tuple[tuple[str, dataclasses.Field[Any], bool], ...], Callable[[Record], tuple[Any, ...]]]:
    """The fields of a kind that two versions are compared on (as _fields gives them), and a
    function reading all of their values from a record at once."""
    fields = tuple(entry for entry in _fields(kind) if entry[0] not in _NOT_COMPARED)
    names = [name for name, _, _ in fields]
    if not names:
        return fields, lambda record: ()
    read = operator.attrgetter(*names, names[0])  # at least two names, so always a tuple
    width = len(names)
    return fields, lambda record: read(record)[:width]


def _unexplained(
    mine: Any,
    other: Any,
    sources: dict[str, str],
    last_is_status: bool,
    shown: dict[str, Shown] | None = None,
    reported: dict[str, str] | None = None,
) -> list[Any]:
    """Items of a list in `mine` and not in `other` that a source row (or the status row, for
    the last history step, or the rows of the `shown` fields, for an `also` item that states
    only those) does not already report."""
    mine, other = list(mine or []), list(other or [])
    left = [item for item in mine if item not in other]
    if last_is_status and mine and mine[-1] in left:
        left.remove(mine[-1])
    return [
        item
        for item in left
        if getattr(item, "source", None) not in sources
        and not told(item, shown)
        and not _also_told(item, other, reported or sources)
    ]


def _also_told(item: Any, other: list[Any], sources: dict[str, str]) -> bool:
    """Whether an item (a deal's step, a condition) differs from one in `other` only by `also`
    claims whose sources a source row reports (a second source for a step already there)."""
    if not isinstance(item, StatusEntry | Condition):
        return False
    also = list(item.also)
    bare = dataclasses.replace(item, also=[])
    for counterpart in other:
        if isinstance(counterpart, type(item)) and dataclasses.replace(counterpart, also=[]) == bare:
            before = list(counterpart.also)
            changed = [a for a in also if a not in before] + [a for a in before if a not in also]
            return bool(changed) and all(a.source in sources for a in changed)
    return False


def cited_sources(record: Record) -> dict[str, str]:
    """Every source the record cites, with the field it is first cited in (`source` for its own)."""
    own = _source(record)
    cited = {own: "source"} if own else {}
    for name in _sourced_lists(record.KIND):
        for entry in getattr(record, name) or ():
            cited.setdefault(entry.source, name)
            for item in getattr(entry, "also", ()):  # a second source for a step or a condition
                cited.setdefault(item.source, name)
    return cited


@cache
def _sourced_lists(kind: str) -> tuple[str, ...]:
    """The kind's fields that are lists of sourced items, in order."""
    return tuple(name for name, _, sourced in _fields(kind) if sourced)


@cache
def _fields(kind: str) -> tuple[tuple[str, dataclasses.Field[Any], bool], ...]:
    """(name, field, whether it is a list of sourced items) of each of a record kind's fields, in order."""
    cls: Any = RECORD_KINDS[kind]
    hints = typing.get_type_hints(cls)
    return tuple((f.name, f, _is_sourced_list_type(unwrap_optional(hints[f.name]))) for f in dataclasses.fields(cls))


def _is_sourced_list_type(hint: Any) -> bool:
    """Whether a field's type is a list of items that each have a source and a quote."""
    if typing.get_origin(hint) is not list:
        return False
    (item,) = typing.get_args(hint)
    return dataclasses.is_dataclass(item) and {"source", "quote"} <= {f.name for f in dataclasses.fields(item)}


def _source(record: Record) -> str | None:
    """The record's own source (a source record has none)."""
    value = getattr(record, "source", None)
    return value if isinstance(value, str) else None


@cache
def _number_fields(kind: str) -> frozenset[str]:
    """Fields holding an amount or a number: a change to one is a revision."""
    cls: Any = RECORD_KINDS[kind]
    hints = typing.get_type_hints(cls)
    return frozenset(f.name for f in dataclasses.fields(cls) if unwrap_optional(hints[f.name]) in (Money, float, int))
