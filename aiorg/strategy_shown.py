"""What strategy signals count when sources disagree: each field's value shown first.

A record's typed row in the store holds its own source's values; its `also` items may state a
field differently. Signals count the value shown first (aiorg.claims.shown_value, README "When
sources disagree"), as `people` and `deals` show it: a record whose shown values differ from its
own on a column the signal SQL reads is "restated", and within each strategy query its typed row
is replaced by the row of its shown version (a CTE named like the table shadows the table, so the
signal SQL is the same for both). Only records with statements are decoded; a knowledge base whose
sources never disagree adds one indexed look-up per kind.

The evidence shows the shown value, names every disputed value with how many sources give one
(aiorg.claims.dispute_note), and cites the source of the value shown first.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import json
import weakref
from collections.abc import Callable, Collection
from typing import Any, cast

from aiorg import codec, strategy_tables
from aiorg.cache import Cache
from aiorg.claims import (
    SourceLookup,
    Statement,
    claimed_values,
    described,
    dispute_note,
    disputes,
    ranked,
    shown_value,
    statements,
    value_text,
)
from aiorg.dates import FuzzyDate
from aiorg.fingerprint import module_source
from aiorg.kb import KnowledgeBase
from aiorg.model import DISPUTABLE, RECORD_KINDS
from aiorg.queries.common import shown_version, source_lookup, state_note, varies
from aiorg.queries.kept import store_identity
from aiorg.store import schema
from aiorg.store.schema import kind_tables, typed_row
from aiorg.store.write import rank_range

#: the kinds signals read, and the disputed fields an evidence line names (in this order; the
#: first one disputed is the one whose shown source the line cites)
NOTED: dict[str, tuple[str, ...]] = {
    "tenures": ("end_cause", "end", "current", "start", "area", "certainty", "title"),
    "deals": ("amount", "valuation", "date"),
    "events": ("date", "certainty"),
    "metrics": ("value", "as_of"),
    # a stated label's claim: its certainty shown first marks the label (`strategy --matrix`)
    "claims": ("certainty",),
}


def _fields(kind: str) -> tuple[str, ...]:
    """The disputable fields a kind's records hold (not derived properties such as a deal's date)."""
    names = codec.field_names(cast(type, RECORD_KINDS[kind]))
    return tuple(name for name in DISPUTABLE if name in names)


_FIELDS = {kind: _fields(kind) for kind in NOTED}


def shown(kind: str, record: Any, source_of: SourceLookup) -> Any:
    """The record with every disputed field holding its value shown first (a deal's steps too:
    the date a step is shown with); the record itself when no source disagrees."""
    if kind == "deals" and any(entry.also for entry in record.history):
        history = [
            dataclasses.replace(entry, date=shown_value(entry, "date", source_of))
            if varies(entry, ("date",))
            else entry
            for entry in record.history
        ]
        if any(new is not old for new, old in zip(history, record.history, strict=True)):
            record = dataclasses.replace(record, history=history)
    return shown_version(record, _FIELDS[kind], source_of) if record.also else record


def _disputed(kind: str, record: Any) -> dict[str, list[Any]]:
    """The disputed fields an evidence line names, with their claims (a deal's date: its last
    dated step's)."""
    found = {name: claims for name, claims in disputes(record).items() if name in NOTED[kind]}
    if kind == "deals":
        dated = [entry for entry in record.history if claimed_values(entry, "date")]  # the deal's date's step
        if dated and (step := disputes(dated[-1]).get("date")):
            found["date"] = step
    return {name: found[name] for name in NOTED[kind] if name in found}


def noted(
    kind: str, record: Any, text: str, source_of: SourceLookup, when: str = ""
) -> tuple[str, str | None, tuple[str, ...]]:
    """An evidence line with the record's disputes named ('...; end cause: advisor | left
    (disputed, 2 sources)'), and the source and quote of the first disputed field's value shown
    first (None when nothing is disputed)."""
    found = _disputed(kind, record)
    if not found:
        lent = _lent(kind, record, source_of, when)
        return (text, lent.source, lent.quote) if lent is not None else (text, None, ())
    notes = [f"{name.replace('_', ' ')}: {_note(record, name, claims, source_of)}" for name, claims in found.items()]
    first = ranked(next(iter(found.values())), source_of)[0]
    return f"{text}; {'; '.join(notes)}", first.source, first.quote


#: the fields an evidence line dated by a spell's end is about (a line dated by its start is
#: about the spell as its own source tells it)
_ENDING = ("end_cause", "end")


def _lent(kind: str, record: Any, source_of: SourceLookup, when: str) -> Statement | None:
    """The claim to cite for an undisputed spell's end line when the first of its end's fields
    anyone states is stated by another source only (an `also` item gives a cause the spell's own
    source does not): that source's word, not the record's own (None when the record's own
    source says it, or the line is not about the spell's end)."""
    if kind != "tenures" or when != "end" or not record.also:
        return None
    for name in _ENDING:
        if claims := statements(record, name):
            first = ranked(claims, source_of)[0]
            return None if first.own else first
    return None


def _note(record: Any, name: str, claims: list[Statement], source_of: SourceLookup) -> str:
    """A disputed field's values in the order shown; whether a spell is ongoing as people reads it."""
    if name == "current":
        return state_note(record, claims, source_of)
    return dispute_note(claims, source_of, _show(claims))


def _show(claims: list[Any]) -> Callable[[Any], str]:
    """How a disputed value is written: a date as people read it ('by 2024-10')."""
    return described if claims and isinstance(claims[0].value, FuzzyDate) else value_text


class Restated:
    """The SQL that shadows each kind's table with its records as shown (see the module
    docstring), and the restated rows when they are kept in TEMP tables.

    Finding the restated rows decodes every record another source makes a statement on (at 100k
    people with two sources per fact, about 13 s), so they are kept in the cache beside the store,
    per file: a file's restated rows depend only on its text, where it is in the store (its
    records' sequence numbers), the sources' kinds and dates (the rule's inputs) and this code.
    The tables as shown are kept there too (aiorg.strategy_tables); an edit finds again only the
    edited file's rows and replaces only its rows in the tables."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.rows: dict[str, list[tuple[Any, ...]]] = {}
        self.copy: strategy_tables.AsShown | None = None
        self.sql = ""
        kinds = [kind for kind in NOTED if kb.query("SELECT 1 FROM statements WHERE kind = ? LIMIT 1", (kind,))]
        if not kinds:
            return
        # the rule's inputs: every source's kind and dates, read from its typed row
        sources = repr(kb.query("SELECT * FROM sources ORDER BY seq")).encode()
        salt = Cache.digest(_code_salt(), sources, store_identity(kb)).encode()
        ranks = {int(rank): str(key) for rank, key in kb.query("SELECT rank, content_key FROM files")}
        finder = _Finder(kb, salt, ranks)
        if finder.cache is not None:
            self.copy = strategy_tables.attach(kb, finder.cache, salt, ranks, kinds, finder.rows)
        if self.copy is not None:
            self.sql = self.copy.sql
            return
        for kind in kinds:
            if found := finder.rows(kind, ranks):
                self.rows[kind] = found
        self.sql = ", ".join(_shadow(kb, kind, rows) for kind, rows in self.rows.items())


class _Finder:
    """Finds the restated rows of a kind in some files, each file's kept in the cache."""

    def __init__(self, kb: KnowledgeBase, salt: bytes, ranks: dict[int, str]) -> None:
        self.kb, self.salt, self.ranks = kb, salt, ranks
        path = kb.store_file()
        self.cache = Cache.beside(path) if path is not None else None
        self._source_of: SourceLookup | None = None

    def rows(self, kind: str, ranks: Collection[int]) -> list[tuple[Any, ...]]:
        seqs = [
            seq for (seq,) in self.kb.query("SELECT DISTINCT seq FROM statements WHERE kind = ? ORDER BY seq", (kind,))
        ]
        found: list[tuple[Any, ...]] = []
        for rank in sorted(ranks):
            low, high = rank_range(rank)
            in_file = seqs[bisect.bisect_left(seqs, low) : bisect.bisect_left(seqs, high)]
            if not in_file:
                continue
            key = Cache.digest(self.salt, f"{kind}\0{rank}\0{self.ranks.get(rank)}".encode())
            rows = self.cache.get("shown", key) if self.cache is not None else None
            if not isinstance(rows, list):
                if self._source_of is None:
                    self._source_of = source_lookup(self.kb)
                rows = _restate(self.kb, kind, in_file, self._source_of)
                if self.cache is not None:
                    self.cache.put("shown", key, rows)
            found += [tuple(row) for row in rows]
        return found


def _restate(kb: KnowledgeBase, kind: str, seqs: list[int], source_of: SourceLookup) -> list[tuple[Any, ...]]:
    """The typed rows of the shown versions of these records that differ from their own."""
    tables, cls = kind_tables(kind), cast(type, RECORD_KINDS[kind])
    decode, encode = codec.decoder(cls), codec.encoder(cls)
    found = []
    for seq, row in kb.select_tuples(kind, "seq IN (SELECT value FROM json_each(?))", (json.dumps(seqs),)):
        record = decode(row)
        new = shown(kind, record, source_of)
        if new is not record and (typed := typed_row(tables, seq, encode(new))) != typed_row(tables, seq, row):
            found.append(typed)
    return found


@functools.cache
def _code_salt() -> bytes:
    """What restated rows also depend on: the code that decides a shown value and writes a typed row."""
    modules = ("claims", "queries/common", "store/schema", "codec", "model", "strategy_shown", "strategy_tables")
    return b"\0".join(module_source(name) for name in modules)


def _shadow(kb: KnowledgeBase, kind: str, rows: list[tuple[Any, ...]]) -> str:
    """`kind AS (...)`: the kind's table as shown, a TEMP copy (the store itself is never written)
    with the restated rows in place of their own and the store's indexes, so that the signal SQL
    runs on it as fast as on the table itself."""
    names = ["seq", *(column.name for column in kind_tables(kind).columns)]
    kb.temporary(f"restated_{kind}", names, rows)
    kb.temporary(f"{kind}_as_shown", names, (), keep=False)  # filled below; made again by `restated`
    kb.query(
        f"INSERT INTO temp.{kind}_as_shown SELECT * FROM main.{kind} WHERE seq NOT IN"
        f" (SELECT seq FROM temp.restated_{kind}) UNION ALL SELECT * FROM temp.restated_{kind} ORDER BY 1"
    )
    for index in schema.kind_indexes(kind, f"{kind}_as_shown", "temp"):
        kb.query(index)
    return f"{kind} AS NOT MATERIALIZED (SELECT * FROM temp.{kind}_as_shown)"


_FOUND: weakref.WeakKeyDictionary[KnowledgeBase, Restated] = weakref.WeakKeyDictionary()


def restated(kb: KnowledgeBase) -> Restated:
    """The knowledge base's restated records, found once (a KnowledgeBase does not change). The
    attached copy or the TEMP tables live on the store's connection: when the store has recovered
    onto another connection since (a damaged row was read), they are attached or made again there."""
    found = _FOUND.get(kb)
    if found is None or (found.copy is not None and not kb.attached(strategy_tables.ALIAS)):
        found = _FOUND[kb] = Restated(kb)
    elif found.rows and not kb.query(
        "SELECT 1 FROM temp.sqlite_master WHERE name = ?", (f"{next(iter(found.rows))}_as_shown",)
    ):
        found.sql = ", ".join(_shadow(kb, kind, rows) for kind, rows in found.rows.items())
    return found
