"""How the change feed names a record: "Lin Mu at Acme AI" in its `name`, "Lin Mu's spell at Acme
AI" in its summaries, "person Wei Wei [wei-wei]" once when it is added or removed, and who moved
from which firm to which when a spell's `after` is a spell at another firm."""

from __future__ import annotations

from collections.abc import Callable

from aiorg.model import Deal, Metric, Record, Source, Tenure

Lookup = Callable[[str], Record | None]


def display_name(record: Record, lookup: Lookup) -> str | None:
    """How a row names its record: a name, 'Person at Firm' for a role spell, a deal's title."""
    if isinstance(record, Tenure):
        return f"{record_name(record.person, lookup)} at {record_name(record.firm, lookup)}"
    if isinstance(record, Metric):
        return f"{record.metric} of {record_name(record.subject, lookup)}"
    for attribute in ("name", "title", "text"):
        value = getattr(record, attribute, None)
        if isinstance(value, str):
            return value
    return None


def record_name(record_id: str, lookup: Lookup) -> str:
    """A record's name, found by id (its id when it has none or is not found)."""
    found = lookup(record_id)
    name = getattr(found, "name", None) if found is not None else None
    return name if isinstance(name, str) else record_id


def person_name(tenure: Tenure, lookup: Lookup) -> str:
    """The name of a spell's person."""
    return record_name(tenure.person, lookup)


def moved_from(tenure: Record, lookup: Lookup) -> tuple[str, str, str] | None:
    """(person, from firm, to firm) when a spell's `after` is a spell at another firm."""
    if not isinstance(tenure, Tenure) or not tenure.after:
        return None
    earlier = lookup(tenure.after)
    if not isinstance(earlier, Tenure) or earlier.firm == tenure.firm:
        return None
    return person_name(tenure, lookup), record_name(earlier.firm, lookup), record_name(tenure.firm, lookup)


def record_label(record: Record, lookup: Lookup) -> str:
    """How a summary names a record: "Lin Mu's spell at Acme AI", "deal d-x", a name."""
    if isinstance(record, Tenure):
        return f"{person_name(record, lookup)}'s spell at {record_name(record.firm, lookup)}"
    if isinstance(record, Deal):
        return f"deal {record.id}"
    name = getattr(record, "name", None)
    return name if isinstance(name, str) else f"{singular(record)} {record.id}"


def named_once(record: Record, label: str) -> str:
    """The record as a feed names it once: "person Wei Wei [wei-wei]", "deal robotics-first" (a
    label that already says what the record is is not said twice)."""
    noun = singular(record)
    if isinstance(record, Source) and record.title:
        return f"{noun} {record.title!r} [{record.id}]"
    if label == f"{noun} {record.id}":
        return label
    return f"{label} [{record.id}]" if label.startswith(f"{noun} ") else f"{noun} {label} [{record.id}]"


def singular(record: Record) -> str:
    """What a record is, in a word: "person", "role spell", "deal"."""
    return {"people": "person", "tenures": "role spell", "sources": "source", "groups": "group"}.get(
        record.KIND, record.KIND.rstrip("s")
    )


def quoted(text: str | None) -> str:
    """A value in quotes, or "not stated"."""
    return f"'{text}'" if text is not None else "not stated"
