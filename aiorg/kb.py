"""The loaded knowledge base: typed records read from its SQLite store, and the indexes
queries need.

There is one way to read records: through the store (a file in the cache, or an in-memory
database when there is no cache). A record is decoded when a query first touches it; queries
narrow with SQL over the store's typed tables (`select`, `query`) so that a question about one
firm never decodes 100k people.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, partial
from pathlib import Path
from typing import Any, TypeVar, cast

from aiorg import codec
from aiorg.kb_groups import Grouping
from aiorg.model import (
    NAMED_KINDS,
    RECORD_KINDS,
    Claim,
    Deal,
    Event,
    Firm,
    Group,
    Metric,
    NamedRecord,
    Person,
    Product,
    Record,
    Source,
    Tenure,
)
from aiorg.store import Store

T = TypeVar("T")
#: how a watch (KnowledgeBase.watching) sees a read served from records decoded earlier: as
#: the table of every record, which every file's content decides
_FROM_MEMORY = (("records", "main"),)


@dataclass(slots=True)
class Location:
    """Where a record was read from."""

    path: str
    line: int
    column: int


class KnowledgeBase:
    """All records of one knowledge base, grouped by kind and indexed by id, read from a store.

    A store holds only files that passed the cross-file checks (aiorg.sync writes no other), so
    every reference in it names a record of a kind the field allows: `references_resolve`. A
    knowledge base made by `in_memory` holds whatever records it is given (an export's focus, a
    --known-as-of view), whose references may name records left out."""

    def __init__(self, store: Store, *, references_resolve: bool = True) -> None:
        self._store = store
        self.references_resolve = references_resolve
        self._single: dict[tuple[str, int], Record] = {}
        self._all: dict[str, list[Record]] = {}
        self._by_id: dict[str, Record] = {}
        self._remembered: dict[Hashable, tuple[Any, frozenset[tuple[str, str]]]] = {}
        self.source_texts: dict[str, Path] = store.source_texts()

    def close(self) -> None:
        """Close the store (a command's process ends instead; tests that load twice close)."""
        self._store.close()

    def subset(self, keep: set[str]) -> KnowledgeBase:
        """A knowledge base of only these records (an export's focus), in a store in memory."""
        records = {kind: [r for r in self.records(kind) if r.id in keep] for kind in RECORD_KINDS}
        texts = {source: path for source, path in self.source_texts.items() if source in keep}
        return KnowledgeBase.in_memory(records, texts, "subset")

    @staticmethod
    def in_memory(records: Mapping[str, list[Record]], texts: Mapping[str, Path], name: str) -> KnowledgeBase:
        """A knowledge base of these records (by kind, in order) in a store of its own in memory:
        the same tables and the same queries as a loaded one. `name` stands for the file they
        came from (a cache keyed by the store's files sees a different knowledge base)."""
        from aiorg import store

        encoded = {
            kind: [codec.encoder(cast(type, RECORD_KINDS[kind]))(r) for r in records.get(kind, [])]
            for kind in RECORD_KINDS
        }
        rows = store.FileRows(store.FileVersion(name, "", ""), encoded, set(), dict(texts))
        db = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        store.write_into(db, [(store.RANK_STEP, rows)])
        return KnowledgeBase(Store(db), references_resolve=False)

    # --- what a computation read ---------------------------------------------------------------

    @contextlib.contextmanager
    def watching(self) -> Iterator[set[tuple[str, str]]]:
        """The store's tables, as (name, schema), that are read meanwhile: by SQL, or through
        records this object decoded earlier (seen as the `records` table), or through a value
        `remembered` made (seen as the tables its making read)."""
        with self._store.watching() as seen:
            yield seen

    def remembered(self, key: Hashable, make: Callable[[], T]) -> T:
        """`make()`, made once per knowledge base (it does not change); each later call tells any
        watch the tables the making read, as if it had read them again."""
        found = self._remembered.get(key)
        if found is None:
            with self._store.watching() as seen:
                value = make()
            found = self._remembered[key] = (value, frozenset(seen))
        else:
            self._store.note(found[1])
        return cast(T, found[0])

    # --- reading ---------------------------------------------------------------------------

    def _cached(self, kind: str, seq: int, row: tuple[Any, ...]) -> Record:
        """The record at (kind, seq), decoded from its row the first time only."""
        record = self._single.get((kind, seq))
        if record is None:
            record = self._single[(kind, seq)] = codec.decoder(cast(type, RECORD_KINDS[kind]))(row)
        return record

    def _decoded(self, kind: str, rows: list[tuple[int, tuple[Any, ...]]]) -> list[Record]:
        return [self._cached(kind, seq, row) for seq, row in rows]

    def records(self, kind: str) -> list[Record]:
        """Every record of one kind, by its YAML key ('people', 'deals', ...), in file order."""
        if kind not in self._all:
            self._all[kind] = self._decoded(kind, list(self._store.rows(kind)))
        else:
            self._store.note(_FROM_MEMORY)
        return self._all[kind]

    def stream(self, kind: str, chunk: int = 4096) -> Iterator[Record]:
        """Every record of a kind in file order, decoded a chunk at a time and not kept (a whole
        export reads each record once; `records` would hold all of them for the whole command)."""
        decode = codec.decoder(cast(type, RECORD_KINDS[kind]))
        for _, row in self.stream_tuples(kind, chunk):
            yield cast(Record, decode(row))

    def stream_tuples(self, kind: str, chunk: int = 4096) -> Iterator[tuple[int, tuple[Any, ...]]]:
        """(seq, codec tuple) of every record of a kind in file order, each checked against its
        checksum but not decoded, read a chunk at a time and not kept: for a whole export that
        reads a few fields of every record (aiorg.codec's layout)."""
        last = -1
        while True:
            rows = self._store.rows_after(kind, last, chunk)
            yield from rows
            if len(rows) < chunk:
                return
            last = rows[-1][0]

    def select(self, kind: str, where: str = "", parameters: tuple[Any, ...] = ()) -> list[Record]:
        """The records of a kind whose row in the store's typed table matches the SQL `where`
        (see aiorg.store.schema for the columns), in file order."""
        if not where and kind in self._all:
            self._store.note(_FROM_MEMORY)
            return self._all[kind]
        return self._decoded(kind, self._store.select(kind, where, parameters))

    def select_tuples(
        self, kind: str, where: str = "", parameters: tuple[Any, ...] = ()
    ) -> list[tuple[int, tuple[Any, ...]]]:
        """(seq, codec tuple) of the records `select` would give, checked against their checksums but
        not decoded: for a listing that reads a few fields of many records (aiorg.codec's layout)."""
        return self._store.select(kind, where, parameters)

    def decoded(self, kind: str, seq: int, row: tuple[Any, ...]) -> Record:
        """The record of a tuple from `select_tuples`, decoded once."""
        return self._cached(kind, seq, row)

    def query(self, sql: str, parameters: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Rows of a read-only SQL query over the store's tables: counts, aggregates, candidate ids."""
        return self._store.query(sql, parameters)

    def temporary(self, name: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]], keep: bool = True) -> None:
        """A TEMP table for later queries of this process (the store is not changed); its first
        column is the INTEGER PRIMARY KEY. It is made again should the store be rebuilt under a
        query (a damaged row read), unless `keep` is False (see aiorg.store.read.Store.temporary)."""
        self._store.temporary(name, columns, rows, keep)

    def attach(self, name: str, path: Path) -> bool:
        """Attach a SQLite file read-only as schema `name` for later queries of this process;
        False when it cannot be."""
        return self._store.attach(name, path)

    def attached(self, name: str) -> bool:
        """Whether schema `name` is still attached (a recovered store has a new connection)."""
        return self._store.attached(name)

    def store_file(self) -> Path | None:
        """The file the store is in (under a cache's `kb/` folder); None for one in memory."""
        return self._store.file()

    def _record_of(self, record_id: str) -> Record:
        """The record with this id (KeyError if none), looked up and decoded once."""
        record = self._by_id.get(record_id)
        if record is None:
            found = self._store.find_many([record_id])
            if not found:
                raise KeyError(record_id)
            record = self._by_id[record_id] = self._cached(*found[0])
        else:
            self._store.note(_FROM_MEMORY)
        return record

    def prefetch(self, record_ids: Iterable[str]) -> None:
        """Look these records up together, so that a listing's names cost one query, not one per row."""
        wanted = [i for i in dict.fromkeys(record_ids) if i not in self._by_id]
        if len(wanted) < 2:
            return
        for kind, seq, row in self._store.find_many(wanted):
            record = self._cached(kind, seq, row)
            self._by_id[record.id] = record

    def _record_at(self, kind: str, seq: int) -> Record:
        """The record with this sequence number, decoding just that one."""
        record = self._single.get((kind, seq))
        if record is None:
            return self._cached(kind, seq, self._store.row(kind, seq))
        self._store.note(_FROM_MEMORY)
        return record

    def named(self, kind: str) -> list[NamedRecord]:
        """The records of a named kind ('people', 'firms', 'groups', 'products')."""
        assert kind in NAMED_KINDS, kind
        return cast(list[NamedRecord], self.records(kind))

    @property
    def sources(self) -> list[Source]:
        """Every source record."""
        return cast(list[Source], self.records("sources"))

    @property
    def groups(self) -> list[Group]:
        """Every group record."""
        return cast(list[Group], self.records("groups"))

    @property
    def firms(self) -> list[Firm]:
        """Every firm record."""
        return cast(list[Firm], self.records("firms"))

    @property
    def people(self) -> list[Person]:
        """Every person record."""
        return cast(list[Person], self.records("people"))

    @property
    def products(self) -> list[Product]:
        """Every product record."""
        return cast(list[Product], self.records("products"))

    @property
    def tenures(self) -> list[Tenure]:
        """Every tenure record."""
        return cast(list[Tenure], self.records("tenures"))

    @property
    def deals(self) -> list[Deal]:
        """Every deal record."""
        return cast(list[Deal], self.records("deals"))

    @property
    def events(self) -> list[Event]:
        """Every event record."""
        return cast(list[Event], self.records("events"))

    @property
    def metrics(self) -> list[Metric]:
        """Every metric record."""
        return cast(list[Metric], self.records("metrics"))

    @property
    def claims(self) -> list[Claim]:
        """Every claim record."""
        return cast(list[Claim], self.records("claims"))

    # --- indexes ---------------------------------------------------------------------------

    def where(self, record_id: str) -> tuple[str, int] | None:
        """(kind, sequence number) of a record id, without decoding anything."""
        return self._store.where(record_id)

    def ids(self) -> Iterator[str]:
        """Every record id."""
        return (record_id for record_id, _, _ in self._store.ids())

    @cached_property
    def by_id(self) -> Mapping[str, Record]:
        """Every record by its id (decoding only the records looked up)."""
        return _ById(self)

    def kind_of(self, record_id: str) -> str | None:
        """The kind of the record with this id, without decoding it."""
        where = self.where(record_id)
        return where[0] if where else None

    def kinds_of(self, record_ids: Iterable[str]) -> dict[str, str]:
        """The kind of each of these ids that names a record, in few queries, without decoding."""
        found: dict[str, str] = {}
        for kind, _, row in self._store.find_many(list(dict.fromkeys(record_ids))):
            found[row[codec.field_index(cast(type, RECORD_KINDS[kind]), "id")]] = kind
        return found

    def _grouped(self, kind: str, *fields: str) -> Grouping[Any]:
        """Records of a kind grouped by the value(s) of fields, decoded per group on demand."""
        return Grouping(self._store, kind, fields, partial(self._record_at, kind), _FROM_MEMORY)

    @cached_property
    def tenures_by_person(self) -> Mapping[str, list[Tenure]]:
        """Role spells per person id, in file order."""
        return cast(Mapping[str, list[Tenure]], self._grouped("tenures", "person"))

    @cached_property
    def tenures_by_firm(self) -> Mapping[str, list[Tenure]]:
        """Role spells per firm id, in file order."""
        return cast(Mapping[str, list[Tenure]], self._grouped("tenures", "firm"))

    @cached_property
    def tenures_by_link(self) -> Mapping[str, list[Tenure]]:
        """Role spells per spell id they name as `replaces` or `after`."""
        return cast(Mapping[str, list[Tenure]], self._grouped("tenures", "replaces", "after"))

    @cached_property
    def deals_by_party(self) -> Mapping[str, list[Deal]]:
        """Deals per firm or person id that is a buyer, target or moved person."""
        return cast(Mapping[str, list[Deal]], self._grouped("deals", "buyers", "targets", "people"))

    @cached_property
    def firms_by_parent(self) -> Mapping[str, list[Firm]]:
        """Units per parent firm id."""
        return cast(Mapping[str, list[Firm]], self._grouped("firms", "parent"))

    def position(self, record_id: str) -> int:
        """A record's position among its kind in file order (to merge index lookups back into it)."""
        where = self.where(record_id)
        return where[1] if where else 0

    def name_of(self, record_id: str) -> str:
        """Display name 'English (中文)' for any named record, else the id."""
        record = self.by_id.get(record_id)
        name = getattr(record, "name", None)
        if name is None:
            return record_id
        return display_name(name, getattr(record, "name_zh", None))

    def names_of(self, record_ids: Iterable[str]) -> dict[str, str]:
        """`name_of` each of these ids, looked up together in the store's typed columns, without
        reading the records (a listing names thousands of parties)."""
        found: dict[str, str] = {}
        wanted: list[str] = []
        for record_id in dict.fromkeys(record_ids):
            if record_id in self._by_id:
                found[record_id] = self.name_of(record_id)
            else:
                found[record_id] = record_id  # no such record: the id stands for itself
                wanted.append(record_id)
        for record_id, (name, chinese) in self._store.names(wanted).items():
            found[record_id] = display_name(name, chinese)
        return found

    def counts(self) -> dict[str, int]:
        """How many records of each kind (without decoding)."""
        return {kind: self._store.count(kind) for kind in RECORD_KINDS}


def display_name(name: str, chinese: str | None) -> str:
    """A named record as every listing shows it: 'English (中文)', or the one name it has."""
    return f"{name} ({chinese})" if chinese else str(name)


class _ById(Mapping[str, Record]):
    """Records by id, decoded one at a time."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self._kb = kb

    def __getitem__(self, record_id: str) -> Record:
        return self._kb._record_of(record_id)

    def __iter__(self) -> Iterator[str]:
        return self._kb.ids()

    def __len__(self) -> int:
        return sum(self._kb.counts().values())

    def __contains__(self, record_id: object) -> bool:
        return isinstance(record_id, str) and self._kb.where(record_id) is not None
