"""What we knew when: the knowledge base as only the sources published by a day tell it.

`known_as_of(kb, day)` builds that view, a KnowledgeBase in memory that every query reads as
it reads a loaded one. The rules (README, "What we knew when"):

- A source is known on `day` when its `published` date certainly falls on or before it: the
  latest day the date can stand for is `day` or earlier ("2025-03" is known from 31 March 2025;
  "..2025-06" from 30 June). An approximate date ("~2025-06") gets one more unit of its own
  precision, because "about June" may be early July: it is known from 31 July 2025. A date open
  at its end ("2025-06..") and a source with no published date are never known.
- Sources that are not known vanish. Every record keeps only the claims of known sources: its
  own claim counts when its own `source` is known, each `also` item when that item's source is.
- A record none of whose sources is known does not exist in the view.
- When a record's own source is not known but an `also` source is, that source tells the fact:
  the first of the known `also` items in the documented display order (aiorg.claims.ranked:
  an explicit choice, then kind of source, then most recent) becomes the record's source and
  quote, and the record's value fields (model.DISPUTABLE) take that item's values. A value
  field it does not state is unknown (None), or the model's default where it has one (certainty
  is 'confirmed'); where the model requires it (a metric's value) the record does not exist in
  the view. Every other field (who, which firm, the deal's kind and parties, an event's text)
  names what the fact is about, and both sources attest that same fact, so it is kept; a
  Chinese title is kept only when the title is the same. The record's `reported_by` and `note`
  were its own source's, and are replaced by the item's (none, its note); of its `inferred`, the
  marks on the fields kept stay (a parent link its source inferred is still an inference), the
  marks on the value fields go with that source's values.
- A deal's history keeps only the steps told by known sources (each step by the same rule), and
  its conditions likewise. A deal with no known step does not exist.
- Records that point at a record that does not exist (cascade, to a fixed point): a required
  reference (a spell's person or firm, a product's maker, a metric's subject) makes the record
  vanish too; a required list (an event's or claim's subjects) loses the missing ids and the
  record vanishes when none is left; an optional reference (replaces, after, parent,
  superseded_by, into) becomes unknown; an optional list (buyers, targets, groups,
  reported_by) loses the missing ids.

The view is rebuilt on every call, from every record: it decodes the whole store and writes a
new one in memory (at 100k people about 50 s and 1.5 GB), unless every source is known (the
view is then the knowledge base itself, at no cost) or none is (an empty one).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, TypeVar, cast

from aiorg import claims
from aiorg.dates import FuzzyDate, Precision
from aiorg.kb import KnowledgeBase
from aiorg.model import DISPUTABLE, RECORD_KINDS, Attestation, Deal, Record, Source, Sourced

T = TypeVar("T", bound=Sourced)
R = TypeVar("R", bound=Record)
Lookup = Callable[[str], Source | None]


def known_from(published: FuzzyDate | None) -> date | None:
    """The first day on which a source with this published date counts as known (None: never)."""
    if published is None or published.latest is None:
        return None
    if not published.approximate:
        return published.latest
    precision = published.precision
    if precision is Precision.RANGE:  # "~2024-12..2025-06": the precision of its end
        precision = FuzzyDate.parse(published.text.lstrip("~").partition("..")[2]).precision
    latest = published.latest
    if precision is Precision.DAY:
        return latest + timedelta(days=1)
    if precision is Precision.MONTH:
        following = (latest + timedelta(days=1)).replace(day=28) + timedelta(days=4)
        return following - timedelta(days=following.day)  # the last day of the next month
    return latest.replace(year=latest.year + 1)


def is_known(source: Source, day: date) -> bool:
    """Was this source certainly published on or before `day`?"""
    first = known_from(source.published)
    return first is not None and first <= day


def undated(kb: KnowledgeBase) -> list[str]:
    """Ids of the sources with no published date (or one open at its end): never known at any day."""
    return [s.id for s in kb.sources if known_from(s.published) is None]


def known_as_of(kb: KnowledgeBase, day: date) -> KnowledgeBase:
    """The knowledge base as the sources published by `day` tell it (see the module's rules)."""
    sources = {s.id: s for s in kb.sources}
    known = {s.id for s in kb.sources if is_known(s, day)}
    if len(known) == len(sources):
        return kb  # every claim is known: the view is the knowledge base itself, read as it is
    if not known:
        return KnowledgeBase.in_memory({}, {}, f"known-as-of {day.isoformat()}")  # nothing was known
    lookup: Lookup = sources.get
    records: dict[str, list[Record]] = {"sources": [s for s in kb.sources if s.id in known]}
    for kind in RECORD_KINDS:
        if kind != "sources":
            told = (_told(cast(Sourced, record), known, lookup) for record in kb.records(kind))
            records[kind] = cast(list[Record], [record for record in told if record is not None])
    _cascade(records)
    texts = {source: path for source, path in kb.source_texts.items() if source in known}
    return KnowledgeBase.in_memory(records, texts, f"known-as-of {day.isoformat()}")


def _told(record: T, known: set[str], lookup: Lookup) -> T | None:
    """The record as its known sources tell it, or None when none of them is known."""
    seen = _as_told(record, known, lookup)
    if seen is None or not isinstance(seen, Deal):
        return seen
    history = [step for step in (_as_told(s, known, lookup) for s in seen.history) if step is not None]
    if not history:
        return None
    conditions = [c for c in (_as_told(c, known, lookup) for c in seen.conditions) if c is not None]
    return cast(T, dataclasses.replace(seen, history=history, conditions=conditions))


def _as_told(record: T, known: set[str], lookup: Lookup) -> T | None:
    """One Sourced record (or deal step, or condition) with only its known claims."""
    items = record.also
    heard = [item for item in items if item.source in known]
    if record.source in known:
        return record if len(heard) == len(items) else dataclasses.replace(record, also=heard)
    if not heard:
        return None
    first = _first(heard, lookup)
    changes: dict[str, Any] = {
        "source": first.source,
        "quote": first.quote,
        "note": first.note,
        "also": [item for item in heard if item is not first],
        "reported_by": [],
    }
    fields = {f.name: f for f in dataclasses.fields(record)}
    for name in DISPUTABLE:
        if name not in fields:
            continue
        value = getattr(first, name)
        if value is None:
            spec = fields[name]
            if spec.default is not dataclasses.MISSING:
                value = spec.default
            elif spec.default_factory is not dataclasses.MISSING:
                value = spec.default_factory()
            else:
                return None  # the model requires a value no known source states
        changes[name] = value
    if "title_zh" in fields and changes.get("title") != getattr(record, "title", None):
        changes["title_zh"] = None
    # a value kept from the record's own source (its firm, parent, subjects: no other source gives
    # one) keeps that source's mark when it is an inference: DeepMind's parent stays inferred
    changes["inferred"] = [
        name
        for name in record.inferred
        if name not in DISPUTABLE and changes.get(name, getattr(record, name, None)) not in (None, [], "")
    ]
    return dataclasses.replace(record, **changes)


def _first(items: list[Attestation], lookup: Lookup) -> Attestation:
    """The item shown first by the documented rule (aiorg.claims.ranked), ties in listed order."""
    statements = [
        claims.Statement("", index, item.source, tuple(item.quote), item.preferred, False)
        for index, item in enumerate(items)
    ]
    chosen: int = claims.ranked(statements, lookup)[0].value
    return items[chosen]


def _references(kind: str) -> list[tuple[str, bool]]:
    """(field, required) of every field of a kind that names other records (not its sources)."""
    out = []
    for spec in dataclasses.fields(RECORD_KINDS[kind]):
        ref = spec.metadata.get("ref", ())
        if ref and ref != ("sources",):
            required = spec.default is dataclasses.MISSING and spec.default_factory is dataclasses.MISSING
            out.append((spec.name, required))
    return out


def _cascade(records: dict[str, list[Record]]) -> None:
    """Drop or unlink records that point at records the view does not have, until none does."""
    while True:
        alive = {record.id for kind in records for record in records[kind]}
        vanished = False
        for kind, kept in records.items():
            references = _references(kind)
            pruned = [_pointing_at(record, alive, references) for record in kept]
            records[kind] = [record for record in pruned if record is not None]
            vanished = vanished or len(records[kind]) < len(kept)
        if not vanished:
            return


def _pointing_at(record: R, alive: set[str], references: list[tuple[str, bool]]) -> R | None:
    """The record with references to missing records removed, or None when it needs one of them."""
    changes: dict[str, Any] = {}
    for name, required in references:
        value = getattr(record, name)
        if isinstance(value, list):
            present = [v for v in value if v in alive]
            if len(present) < len(value):
                if required and not present:
                    return None
                changes[name] = present
        elif value is not None and value not in alive:
            if required:
                return None
            changes[name] = None
    parts = [*record.history, *record.conditions] if isinstance(record, Deal) else []
    if isinstance(record, Deal) and any(outlet not in alive for part in parts for outlet in part.reported_by):
        changes["history"] = [_outlets(step, alive) for step in record.history]
        changes["conditions"] = [_outlets(condition, alive) for condition in record.conditions]
    return dataclasses.replace(record, **changes) if changes else record


def _outlets(part: T, alive: set[str]) -> T:
    """A deal step or condition without the outlets (`reported_by`) the view does not have."""
    return dataclasses.replace(part, reported_by=[r for r in part.reported_by if r in alive])
