"""The oracle's naive reading of many sources per fact (README, "When sources disagree").

Written over the plain dict spec, independently of aiorg.claims: a record's own fields are what
its own `source` says, and each `also` item is one more source that may state a field otherwise.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from aiorg.dates import FuzzyDate
from aiorg.model import DISPUTABLE
from aiorg.money import Money

Record = dict[str, Any]
Sources = dict[str, dict[str, Any]]

#: filing > official statement > interview > article (or no kind) > social post
KIND_WEIGHT = {"filing": 0, "official_statement": 1, "interview": 2, "article": 3, None: 3, "social_post": 4}


def percent(value: Any) -> float:
    return float(str(value).rstrip("%"))


def number(value: Any) -> float:
    """A metric's number: 7, '3500万' (ten thousands), '1.6亿' (hundred millions)."""
    if isinstance(value, str) and value[-1:] in ("万", "亿"):
        return float(value[:-1]) * (1e4 if value.endswith("万") else 1e8)
    return float(value)


def text(field: str, value: Any) -> str:
    """How a claimed value reads, and how two claims are compared."""
    if field == "value":
        return f"{number(value):g}"
    if field in ("amount", "valuation"):
        return Money.parse(str(value)).describe()
    if field in ("start", "end", "date", "as_of"):
        return FuzzyDate.parse(str(value)).text
    if field == "stake":
        return f"{percent(value):g}"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def claims(record: Record, field: str) -> list[Record]:
    """Every source's word on a field: the record's own (when it states one), then each `also` item's."""
    found = []
    own = record.get(field)
    if own is None and field == "certainty" and "history" not in record:
        own = "confirmed"  # unstated: the model's default, what the record's own source is taken to say (not a deal's)
    if own is not None:
        found.append({"value": own, "source": record["source"], "preferred": None, "own": True, "field": field})
    for item in record.get("also", []):
        if item.get(field) is not None:
            found.append({"value": item[field], "source": item["source"], "preferred": item.get("preferred"),
                          "own": False, "field": field})  # fmt: skip
        elif field == "current" and state_disputed(record) and ends(item):
            found.append({"value": False, "source": item["source"], "preferred": item.get("preferred"), "own": False,
                          "field": field})  # fmt: skip
    if field == "current" and own is None and state_disputed(record) and ends(record):
        found.insert(0, {"value": False, "source": record["source"], "preferred": None, "own": True, "field": field})
    return found


def told_by(record: Record, claim: Record) -> Record:
    """The record itself or its `also` item that makes this claim (for its quote)."""
    if claim["own"]:
        return record
    items = [item for item in record["also"] if item["source"] == claim["source"]]
    field = claim.get("field")
    return next((item for item in items if field is None or item.get(field) == claim["value"] or
                 (field == "current" and claim["value"] is False and ends(item))), items[0])  # fmt: skip


def ends(told: Record) -> bool:
    """A source that gives an end, a cause or `current: false` says the spell ended."""
    return told.get("end") is not None or told.get("end_cause") is not None or told.get("current") is False


def state_disputed(record: Record) -> bool:
    """A role spell one source calls ongoing (`current: true`) and another ends: then a source that
    ends it counts as saying `current: false`, and the shown version follows the rule on `current`."""
    told = [record, *record.get("also", [])]
    return "person" in record and any(t.get("current") is True for t in told) and any(ends(t) for t in told)


def disputed(record: Record) -> list[str]:
    """The fields on which the record's sources give more than one value."""
    return [f for f in DISPUTABLE if len({text(f, c["value"]) for c in claims(record, f)}) > 1]


def _newest_first(sources: Sources, source_id: str) -> int:
    published = sources.get(source_id, {}).get("published")
    if not published:
        return 0  # undated: the oldest
    when = FuzzyDate.parse(published)
    day = when.latest or when.earliest
    return -day.toordinal() if day else 0


def ranked(found: list[Record], sources: Sources) -> list[Record]:
    """The documented order: preferred, then the weightiest kind, then the newest, then the own source."""

    def key(claim: Record) -> tuple[int, int, int, int]:
        kind = sources.get(claim["source"], {}).get("kind")
        preferred = 0 if claim["preferred"] else 1
        return (preferred, KIND_WEIGHT[kind], _newest_first(sources, claim["source"]), 0 if claim["own"] else 1)

    return sorted(found, key=key)


def shown(record: Record, field: str, sources: Sources) -> Any:
    """The value shown first: the first claim in the documented order (the own value if nobody states one);
    no end for a spell shown as ongoing."""
    if field in ("end", "end_cause") and state_disputed(record) and shown(record, "current", sources) is True:
        return None
    found = claims(record, field)
    return ranked(found, sources)[0]["value"] if found else record.get(field)


def shown_record(record: Record, fields: tuple[str, ...], sources: Sources) -> Record:
    return dict(record, **{f: shown(record, f, sources) for f in fields})


def note(record: Record, field: str, sources: Sources, show: Callable[[Any], str] | None = None) -> str:
    """'advisor | left (disputed, 2 sources)'; `show` writes each value ('by 2024-10' for a date)."""
    found = claims(record, field)
    values: dict[str, str] = {}
    for c in ranked(found, sources):
        values.setdefault(text(field, c["value"]), show(c["value"]) if show else text(field, c["value"]))
    return f"{' | '.join(values.values())} (disputed, {len({c['source'] for c in found})} sources)"


def marked(record: Record, field: str, show: Callable[[Any], str]) -> Callable[[Any], str]:
    """`show`, with " (inferred)" after the record's own value of `field` when its `inferred`
    list names the field: an inference says it is one, in a dispute note too (only the value inferred)."""
    own = record.get(field)
    if own is None or field not in record.get("inferred", []):
        return show
    return lambda value: show(value) + (" (inferred)" if text(field, value) == text(field, own) else "")


def versions(record: Record, fields: tuple[str, ...]) -> list[Record]:
    """The record with every combination of its sources' values for `fields` (its own value,
    stated or not, and each value another source gives), its own version first."""
    options = []
    for f in fields:
        values = [record.get(f)]
        for item in record.get("also", []):
            value = item.get(f)
            if value is not None and all(v is None or text(f, v) != text(f, value) for v in values):
                values.append(value)
        if f in ("end", "end_cause") and None not in values and state_disputed(record):
            values.append(None)  # the version of a source that says the spell is ongoing
        options.append(values)
    return [dict(record, **dict(zip(fields, combo, strict=True))) for combo in itertools.product(*options)]


def told_versions(record: Record, fields: tuple[str, ...]) -> list[Record]:
    """The record as each `also` source tells `fields` (tried first: a row shows one source's values together)."""
    found = []
    for item in record.get("also", []):
        told = {f: item[f] for f in fields if item.get(f) is not None}
        if "current" in fields and state_disputed(record):
            told |= {"end": None, "end_cause": None} if item.get("current") is True else {"current": None}
        if told:
            found.append(dict(record, **told))
    return found


def all_sources(record: Record) -> list[str]:
    return list(dict.fromkeys([record["source"], *(item["source"] for item in record.get("also", []))]))
