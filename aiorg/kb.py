"""The loaded knowledge base: typed records plus the indexes queries need.

Records may arrive decoded (from YAML) or encoded as plain tuples (from the compiled cache).
Encoded kinds are decoded only when first used, and the id and group indexes can answer from
the tuples directly, so a query that needs a handful of records never decodes 100k of them.
"""

from __future__ import annotations

import operator
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

from aiorg import codec
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

R = TypeVar("R")


@dataclass(slots=True)
class Location:
    """Where a record was read from."""

    path: str
    line: int
    column: int


class _Lazy(Mapping[str, list[R]], Generic[R]):
    """A grouping of one kind's records by key, decoding only the groups asked for."""

    def __init__(
        self, kb: KnowledgeBase, kind: str, positions: Callable[[str], list[int]], keys: Callable[[], list[str]]
    ) -> None:
        self._kb, self._kind, self._positions, self._keys = kb, kind, positions, keys
        self._done: dict[str, list[R]] = {}

    def __getitem__(self, key: str) -> list[R]:
        if key not in self._done:
            positions = self._positions(key)
            if not positions:
                raise KeyError(key)
            self._done[key] = [cast(R, self._kb._record_at(self._kind, i)) for i in positions]
        return self._done[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys())

    def __len__(self) -> int:
        return len(self._keys())


class KnowledgeBase:
    """All records of one knowledge base, grouped by kind and indexed by id."""

    def __init__(self, store: Store | None = None) -> None:
        self._records: dict[str, list[Record]] = {kind: [] for kind in RECORD_KINDS}
        self._encoded: dict[str, list[tuple[Any, ...]]] = {}
        self._single: dict[tuple[str, int], Record] = {}
        self._store = store
        self._from_store: set[str] = set(RECORD_KINDS) if store is not None else set()  # kinds not yet read
        self.locations: dict[str, Location] = {}
        self.source_texts: dict[str, Path] = store.source_texts() if store is not None else {}

    # --- filling ---------------------------------------------------------------------------

    def add(self, kind: str, record: Record) -> None:
        """Add one decoded record."""
        self.records(kind).append(record)

    def add_encoded(self, kind: str, rows: list[tuple[Any, ...]]) -> None:
        """Add records as codec tuples, to be decoded on first use."""
        if rows:
            self._encoded.setdefault(kind, []).extend(rows)

    # --- reading ---------------------------------------------------------------------------

    def records(self, kind: str) -> list[Record]:
        """The records of one kind, by its YAML key ('people', 'deals', ...)."""
        if kind in self._from_store:
            assert self._store is not None
            self._from_store.discard(kind)
            decode = codec.decoder(cast(type, RECORD_KINDS[kind]))
            records = self._records[kind]
            for seq, row in self._store.rows(kind):
                record = self._single.get((kind, seq))
                if record is None:
                    record = self._single[(kind, seq)] = decode(row)
                records.append(record)
            return records
        rows = self._encoded.pop(kind, None)
        if rows is not None:
            decode = codec.decoder(cast(type, RECORD_KINDS[kind]))
            self._records[kind] = [*self._records[kind], *(decode(row) for row in rows)]
        return self._records[kind]

    def _record_at(self, kind: str, position: int) -> Record:
        """The record at a position (a store's sequence number, else an index into the kind's
        list), decoding just that one if its kind is still encoded."""
        key = (kind, position)
        if self._store is not None:
            record = self._single.get(key)
            if record is None:
                row = self._store.row(kind, position)
                record = self._single[key] = codec.decoder(cast(type, RECORD_KINDS[kind]))(row)
            return record
        decoded = self._records[kind]
        if position < len(decoded):
            return decoded[position]
        if key not in self._single:
            if kind not in self._encoded:
                return self.records(kind)[position]
            row = self._encoded[kind][position - len(decoded)]
            self._single[key] = codec.decoder(cast(type, RECORD_KINDS[kind]))(row)
        return self._single[key]

    def _column(self, kind: str, field: str) -> Iterator[tuple[int, Any]]:
        """(position, value of `field`) for every record of a kind, without decoding."""
        for position, record in enumerate(self._records[kind]):
            yield position, getattr(record, field)
        offset = len(self._records[kind])
        column = codec.field_index(cast(type, RECORD_KINDS[kind]), field)
        for position, row in enumerate(self._encoded.get(kind, ()), start=offset):
            yield position, row[column]

    def columns(self, kind: str, fields: tuple[str, ...]) -> Iterator[tuple[Any, ...]]:
        """The values of some fields for every record of a kind, in file order, decoding nothing
        that is still encoded (not for a knowledge base read from a store)."""
        assert self._store is None and len(fields) > 1
        yield from map(operator.attrgetter(*fields), self._records[kind])
        at = [codec.field_index(cast(type, RECORD_KINDS[kind]), field) for field in fields]
        yield from map(operator.itemgetter(*at), self._encoded.get(kind, ()))

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

    @cached_property
    def _where(self) -> dict[str, tuple[str, int]]:
        """id -> (kind, position), in memory: only for knowledge bases not read from a store."""
        index: dict[str, tuple[str, int]] = {}
        for kind in RECORD_KINDS:
            for position, record_id in self._column(kind, "id"):
                index[record_id] = (kind, position)
        return index

    def where(self, record_id: str) -> tuple[str, int] | None:
        """(kind, position) of a record id, without decoding anything."""
        if self._store is not None:
            return self._store.where(record_id)
        return self._where.get(record_id)

    def ids(self) -> Iterator[str]:
        """Every record id."""
        if self._store is not None:
            return (record_id for record_id, _, _ in self._store.ids())
        return iter(self._where)

    @cached_property
    def by_id(self) -> Mapping[str, Record]:
        """Every record by its id (decoding only the records looked up)."""
        return _ById(self)

    def kind_of(self, record_id: str) -> str | None:
        """The kind of the record with this id, without decoding it."""
        where = self.where(record_id)
        return where[0] if where else None

    def _grouped(self, kind: str, *fields: str) -> _Lazy[Any]:
        """Records of a kind grouped by the value(s) of fields, decoded per group on demand."""
        if self._store is not None:
            store = self._store

            def from_store(key: str) -> list[int]:
                return sorted({p for field in fields for p in store.positions(kind, field, key)})

            def store_keys() -> list[str]:
                return sorted({k for field in fields for k in store.keys(kind, field)})

            return _Lazy(self, kind, from_store, store_keys)
        grouped: dict[str, set[int]] = defaultdict(set)
        for field in fields:
            for position, value in self._column(kind, field):
                for key in value if isinstance(value, list) else [value]:
                    if key is not None:
                        grouped[key].add(position)
        positions = {key: sorted(values) for key, values in grouped.items()}
        return _Lazy(self, kind, lambda key: positions.get(key, []), lambda: list(positions))

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
        chinese = getattr(record, "name_zh", None)
        return f"{name} ({chinese})" if chinese else str(name)

    def counts(self) -> dict[str, int]:
        """How many records of each kind (without decoding)."""
        counts = {}
        for kind in RECORD_KINDS:
            if kind in self._from_store and self._store is not None:
                counts[kind] = self._store.count(kind)
            else:
                counts[kind] = len(self._records[kind]) + len(self._encoded.get(kind, ()))
        return counts


class _ById(Mapping[str, Record]):
    """Records by id, decoded one at a time."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self._kb = kb

    def __getitem__(self, record_id: str) -> Record:
        where = self._kb.where(record_id)
        if where is None:
            raise KeyError(record_id)
        return self._kb._record_at(*where)

    def __iter__(self) -> Iterator[str]:
        return self._kb.ids()

    def __len__(self) -> int:
        return sum(self._kb.counts().values())

    def __contains__(self, record_id: object) -> bool:
        return isinstance(record_id, str) and self._kb.where(record_id) is not None
