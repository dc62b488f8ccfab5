"""A deliberately naive twin of --known-as-of (aiorg.known): plain loops over the plain records.

`known_spec(spec, day)` returns the knowledge base, as dicts, that the sources published by
`day` tell; the listing oracles of tests/oracle.py then answer from it. Every rule is written
out again by hand, from the README's words, with hand-written tables instead of the model's
metadata, so that the real view and this one can only agree by both being right.
"""

from __future__ import annotations

import calendar
import copy
from datetime import date
from typing import Any

from aiorg.dates import FuzzyDate
from tests import oracle

Spec = dict[str, list[dict[str, Any]]]

#: kinds in the order a knowledge base lists them
KINDS = ["sources", "groups", "firms", "people", "products", "tenures", "deals", "events", "metrics", "claims"]
#: per kind, the value fields a source may state (an `also` item's fields), by hand
VALUE_FIELDS = {
    "groups": ["certainty"],
    "firms": [],
    "people": [],
    "products": [],
    "tenures": ["start", "end", "end_cause", "current", "title", "area", "certainty"],
    "deals": ["title", "amount", "valuation", "stake"],
    "steps": ["date", "certainty"],
    "conditions": [],
    "events": ["date", "certainty"],
    "metrics": ["value", "as_of", "certainty"],
    "claims": ["date", "certainty"],
}
REQUIRED_VALUES = {"metrics": ["value"]}
#: per kind, (field, required, is a list) of every reference to another record, by hand
REFERENCES: dict[str, list[tuple[str, bool, bool]]] = {
    "groups": [],
    "firms": [("parent", False, False), ("groups", False, True)],
    "people": [],
    "products": [("maker", True, False)],
    "tenures": [("person", True, False), ("firm", True, False), ("replaces", False, False), ("after", False, False)],
    "deals": [
        ("buyers", False, True), ("targets", False, True), ("people", False, True), ("superseded_by", False, False)
    ],
    "events": [("subjects", True, True), ("into", False, False)],
    "metrics": [("subject", True, False)],
    "claims": [("subjects", True, True)],
}  # fmt: skip
KIND_WEIGHT = {"filing": 0, "official_statement": 1, "interview": 2, "article": 3, None: 3, "social_post": 4}


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def first_known_day(published: str | None) -> date | None:
    """The first day a source with this `published` text counts as known, spelled out by hand."""
    if not published:
        return None
    text = published.strip()
    approximate = text.startswith("~")
    text = text.lstrip("~").strip()
    if ".." in text:
        text = text.split("..")[1].strip()
        if not text:
            return None  # open at its end
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 1:
        year = parts[0] + (1 if approximate else 0)
        return date(year, 12, 31)
    if len(parts) == 2:
        year, month = parts
        if approximate:
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return _last_day(year, month)
    day = date(*parts)
    return date.fromordinal(day.toordinal() + 1) if approximate else day


def _newest(published: str | None) -> int:
    """Sort key: the most recently published first, an undated source last."""
    if not published:
        return 0
    when = FuzzyDate.parse(published)
    day = when.latest or when.earliest
    return -day.toordinal() if day else 0


def _pick(items: list[dict[str, Any]], sources: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The `also` item shown first: an explicit choice, then the weightiest kind, then the newest."""
    best = items[0]
    best_key = None
    for item in items:
        source = sources[item["source"]]
        key = (0 if item.get("preferred") else 1, KIND_WEIGHT[source.get("kind")], _newest(source.get("published")))
        if best_key is None or key < best_key:
            best, best_key = item, key
    return best


def _told(record: dict[str, Any], values: str, known: set[str], sources: dict[str, Any]) -> dict[str, Any] | None:
    """One record (or deal step, or condition) as its known sources tell it, or None."""
    out = copy.deepcopy(record)
    also = [item for item in out.get("also", []) if item["source"] in known]
    if out["source"] in known:
        if also:
            out["also"] = also
        else:
            out.pop("also", None)
        return out
    if not also:
        return None
    first = _pick(also, sources)
    old_title = out.get("title")
    for name in VALUE_FIELDS[values]:
        out.pop(name, None)
        if first.get(name) is not None:
            out[name] = first[name]
    for name in REQUIRED_VALUES.get(values, []):
        if name not in out:
            return None
    if "title_zh" in out and out.get("title") != old_title:
        del out["title_zh"]
    # what no known source can tell otherwise is kept as the record's own source gave it, marks and all
    kept = [name for name in out.get("inferred", []) if name not in VALUE_FIELDS[values] and out.get(name)]
    for name in ("reported_by", "inferred", "note", "also"):
        out.pop(name, None)
    if kept:
        out["inferred"] = kept
    out["source"], out["quote"] = first["source"], first["quote"]
    if first.get("note"):
        out["note"] = first["note"]
    rest = [item for item in also if item is not first]
    if rest:
        out["also"] = rest
    return out


def _deal_told(deal: dict[str, Any], known: set[str], sources: dict[str, Any]) -> dict[str, Any] | None:
    out = _told(deal, "deals", known, sources)
    if out is None:
        return None
    history = [s for s in (_told(step, "steps", known, sources) for step in deal["history"]) if s is not None]
    if not history:
        return None
    out["history"] = history
    conditions = [c for c in (_told(c, "conditions", known, sources) for c in deal.get("conditions", [])) if c]
    if conditions:
        out["conditions"] = conditions
    else:
        out.pop("conditions", None)
    return out


def _unlinked(record: dict[str, Any], kind: str, alive: set[str]) -> dict[str, Any] | None:
    """The record without references to missing records, or None when it needs one of them."""
    out = dict(record)
    for name, required, many in [*REFERENCES[kind], ("reported_by", False, True)]:
        if name not in out or out[name] is None:
            continue
        if many:
            present = [x for x in out[name] if x in alive]
            if required and not present:
                return None
            out[name] = present
        elif out[name] not in alive:
            if required:
                return None
            del out[name]
    for part in ("history", "conditions"):
        if part in out:
            out[part] = [dict(p, reported_by=[x for x in p.get("reported_by", []) if x in alive]) for p in out[part]]
    return out


def known_spec(spec: Spec, day: date) -> Spec:
    """The knowledge base that the sources published by `day` tell."""
    sources = {s["id"]: s for s in spec["sources"]}
    known = set()
    for source in spec["sources"]:
        first = first_known_day(source.get("published"))
        if first is not None and first <= day:
            known.add(source["id"])
    out: Spec = {"sources": [s for s in spec["sources"] if s["id"] in known]}
    for kind in KINDS[1:]:
        kept = []
        for record in spec.get(kind, []):
            told = _deal_told(record, known, sources) if kind == "deals" else _told(record, kind, known, sources)
            if told is not None:
                kept.append(told)
        out[kind] = kept
    while True:  # the cascade, until nothing more vanishes
        alive = {r["id"] for kind in KINDS for r in out[kind]}
        before = sum(len(out[kind]) for kind in KINDS)
        for kind in KINDS[1:]:
            out[kind] = [r for r in (_unlinked(r, kind, alive) for r in out[kind]) if r is not None]
        if sum(len(out[kind]) for kind in KINDS) == before:
            return out


def people_known(spec: Spec, day: date, **options: Any) -> list[tuple[str, str, str | None, str | None]]:
    """oracle.people on the view (it dates an undated end by the sources that report it)."""
    return oracle.people(known_spec(spec, day), **options)
