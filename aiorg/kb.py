"""The loaded knowledge base: typed records plus the indexes queries need.

Records may arrive decoded (from YAML) or encoded as plain tuples (from the compiled cache).
Encoded kinds are decoded only when first used, and the id and group indexes can answer from
the tuples directly, so a query that needs a handful of records never decodes 100k of them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
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

R = TypeVar("R")


@dataclass(slots=True)
class Location:
    """Where a record was read from."""

    path: str
    line: int
    column: int


class _Lazy(Mapping[str, list[R]], Generic[R]):
    """A grouping of one kind's records by key, decoding only the groups asked for."""

    def __init__(self, kb: KnowledgeBase, kind: str, positions: dict[str, list[int]]) -> None:
        self._kb, self._kind, self._positions = kb, kind, positions
        self._done: dict[str, list[R]] = {}

    def __getitem__(self, key: str) -> list[R]:
        if key not in self._done:
            self._done[key] = [cast(R, self._kb._record_at(self._kind, i)) for i in self._positions[key]]
        return self._done[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._positions)

    def __len__(self) -> int:
        return len(self._positions)


class KnowledgeBase:
    """All records of one knowledge base, grouped by kind and indexed by id."""

    def __init__(self) -> None:
        self._records: dict[str, list[Record]] = {kind: [] for kind in RECORD_KINDS}
        self._encoded: dict[str, list[tuple[Any, ...]]] = {}
        self._single: dict[tuple[str, int], Record] = {}
        self.locations: dict[str, Location] = {}
        self.source_texts: dict[str, Path] = {}

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
        rows = self._encoded.pop(kind, None)
        if rows is not None:
            decode = codec.decoder(cast(type, RECORD_KINDS[kind]))
            self._records[kind] = [*self._records[kind], *(decode(row) for row in rows)]
        return self._records[kind]

    def _record_at(self, kind: str, index: int) -> Record:
        """The index-th record of a kind, decoding just that one if the kind is still encoded."""
        decoded = self._records[kind]
        if index < len(decoded):
            return decoded[index]
        rows = self._encoded.get(kind)
        if rows is None:
            return self.records(kind)[index]
        key = (kind, index)
        if key not in self._single:
            self._single[key] = codec.decoder(cast(type, RECORD_KINDS[kind]))(rows[index - len(decoded)])
        return self._single[key]

    def _column(self, kind: str, field: str) -> Iterator[tuple[int, Any]]:
        """(position, value of `field`) for every record of a kind, without decoding."""
        for position, record in enumerate(self._records[kind]):
            yield position, getattr(record, field)
        offset = len(self._records[kind])
        column = codec.field_index(cast(type, RECORD_KINDS[kind]), field)
        for position, row in enumerate(self._encoded.get(kind, ()), start=offset):
            yield position, row[column]

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
        index: dict[str, tuple[str, int]] = {}
        for kind in RECORD_KINDS:
            for position, record_id in self._column(kind, "id"):
                index[record_id] = (kind, position)
        return index

    @cached_property
    def by_id(self) -> Mapping[str, Record]:
        """Every record by its id (decoding only the records looked up)."""
        return _ById(self)

    def kind_of(self, record_id: str) -> str | None:
        """The kind of the record with this id, without decoding it."""
        where = self._where.get(record_id)
        return where[0] if where else None

    def _grouped(self, kind: str, *fields: str) -> dict[str, list[int]]:
        positions: dict[str, list[int]] = defaultdict(list)
        for field in fields:
            for position, value in self._column(kind, field):
                for key in value if isinstance(value, list) else [value]:
                    if not positions[key] or positions[key][-1] != position:
                        positions[key].append(position)
        for values in positions.values():
            values.sort()
        return dict(positions)

    @cached_property
    def tenures_by_person(self) -> Mapping[str, list[Tenure]]:
        """Role spells per person id, in file order."""
        return _Lazy(self, "tenures", self._grouped("tenures", "person"))

    @cached_property
    def tenures_by_firm(self) -> Mapping[str, list[Tenure]]:
        """Role spells per firm id, in file order."""
        return _Lazy(self, "tenures", self._grouped("tenures", "firm"))

    @cached_property
    def deals_by_party(self) -> Mapping[str, list[Deal]]:
        """Deals per firm or person id that is a buyer, target or moved person."""
        return _Lazy(self, "deals", _dedupe(self._grouped("deals", "buyers", "targets", "people")))

    def tenures_order(self, tenure: Tenure) -> int:
        """A spell's position in file order (for merging index lookups back into that order)."""
        return self._where[tenure.id][1]

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
        return {kind: len(self._records[kind]) + len(self._encoded.get(kind, ())) for kind in RECORD_KINDS}


def _dedupe(positions: dict[str, list[int]]) -> dict[str, list[int]]:
    return {key: sorted(set(values)) for key, values in positions.items()}


class _ById(Mapping[str, Record]):
    """Records by id, decoded one at a time."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self._kb = kb

    def __getitem__(self, record_id: str) -> Record:
        kind, position = self._kb._where[record_id]
        return self._kb._record_at(kind, position)

    def __iter__(self) -> Iterator[str]:
        return iter(self._kb._where)

    def __len__(self) -> int:
        return len(self._kb._where)

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._kb._where
