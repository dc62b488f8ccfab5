"""The loaded knowledge base: typed records plus the indexes queries need."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

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


@dataclass(slots=True)
class Location:
    """Where a record was read from."""

    path: str
    line: int
    column: int


@dataclass
class KnowledgeBase:
    """All records of one knowledge base, grouped by kind and indexed by id."""

    sources: list[Source] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    firms: list[Firm] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    products: list[Product] = field(default_factory=list)
    tenures: list[Tenure] = field(default_factory=list)
    deals: list[Deal] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    metrics: list[Metric] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    locations: dict[str, Location] = field(default_factory=dict)
    source_texts: dict[str, Path] = field(default_factory=dict)

    def records(self, kind: str) -> list[Record]:
        """The records of one kind, by its YAML key ('people', 'deals', ...)."""
        records: list[Record] = getattr(self, kind)
        return records

    @cached_property
    def by_id(self) -> dict[str, Record]:
        """Every record by its id."""
        index: dict[str, Record] = {}
        for kind in RECORD_KINDS:
            for record in self.records(kind):
                index[record.id] = record
        return index

    @cached_property
    def tenures_by_person(self) -> dict[str, list[Tenure]]:
        """Role spells per person id, in file order."""
        index: dict[str, list[Tenure]] = defaultdict(list)
        for tenure in self.tenures:
            index[tenure.person].append(tenure)
        return index

    @cached_property
    def tenures_by_firm(self) -> dict[str, list[Tenure]]:
        """Role spells per firm id, in file order."""
        index: dict[str, list[Tenure]] = defaultdict(list)
        for tenure in self.tenures:
            index[tenure.firm].append(tenure)
        return index

    @cached_property
    def deals_by_party(self) -> dict[str, list[Deal]]:
        """Deals per firm or person id that is a buyer, target or moved person."""
        index: dict[str, list[Deal]] = defaultdict(list)
        for deal in self.deals:
            for party in dict.fromkeys([*deal.buyers, *deal.targets, *deal.people]):
                index[party].append(deal)
        return index

    def named(self, kind: str) -> list[NamedRecord]:
        """The records of a named kind ('people', 'firms', 'groups', 'products')."""
        assert kind in NAMED_KINDS, kind
        records: list[NamedRecord] = getattr(self, kind)
        return records

    def name_of(self, record_id: str) -> str:
        """Display name 'English (中文)' for any named record, else the id."""
        record = self.by_id.get(record_id)
        name = getattr(record, "name", None)
        if name is None:
            return record_id
        chinese = getattr(record, "name_zh", None)
        return f"{name} ({chinese})" if chinese else str(name)

    def counts(self) -> dict[str, int]:
        """How many records of each kind."""
        return {kind: len(self.records(kind)) for kind in RECORD_KINDS}
