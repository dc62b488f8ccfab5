"""How a row says that a value it shows is an inference (README, "An inference says it is one").

A record's `inferred:` list names the fields whose values its source implies but does not say in
words. Text a row shows for such a value carries " (inferred)" right after it: a name, a title,
each alias, a status ('agreed (inferred)'). Text that rests on such a value without writing it
(an event's text, whose subjects are inferred) names the fields after it: ' (subjects inferred)'.
Ids, ISO dates and numbers for machines stay bare; a row says which of its fields are inferences
in its `inferred` key (`named`, `deal_inferred`), a profile says so for its own record
(`shown_inferred`), and the tables write the mark after them.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Container, Iterable, Mapping
from typing import Any

from aiorg.claims import SourceLookup, shown_value, value_text
from aiorg.kb import KnowledgeBase
from aiorg.model import Certainty, Deal, Firm, Group
from aiorg.queries.common import INFERRED, source_lookup, varies


def infers(record: Any, name: str) -> bool:
    """Whether the record marks field `name` inferred (and states a value for it)."""
    return name in record.inferred and _stated(getattr(record, name, None))


def _stated(value: Any) -> bool:
    return value not in (None, [], "")


def mark(text: str, record: Any, name: str) -> str:
    """`text` (the value of field `name`, or a name standing for it), marked when the record
    marks that field inferred."""
    return text + INFERRED if infers(record, name) else text


def mark_shown(text: str, record: Any, name: str, shown: Any) -> str:
    """`mark`, for text standing for `shown`, the value of field `name` a row shows first: marked
    only when that is the record's own value (another source's value is not the inference)."""
    return mark(text, record, name) if value_text(shown) == value_text(getattr(record, name, None)) else text


def name_text(kb: KnowledgeBase, record_id: str, by: Any = None, field: str = "", whole: bool = False) -> str:
    """`kb.name_of(record_id)` ('English (中文)'), with " (inferred)" after the part that is an
    inference: after the whole name when all of it is (the record marks each name it gives
    inferred; or `by`, the record that names it, marks `field` inferred, a spell's `firm`; or
    `whole`, the caller's own reason): 'Acme (阿克米) (inferred)'; after the English name when only
    that is: 'Acme (inferred) (阿克米)'; after the Chinese name, inside its parentheses, when only
    that is: 'Acme (阿克米 (inferred))'. So a mark never reaches a name its record states."""
    record = kb.by_id.get(record_id)
    name, chinese = getattr(record, "name", None), getattr(record, "name_zh", None)
    own = [infers(record, "name"), infers(record, "name_zh")] if name is not None else [False, False]
    if whole or (by is not None and infers(by, field)) or (own[0] and (own[1] or not chinese)):
        return kb.name_of(record_id) + INFERRED
    if own[0]:
        return f"{name}{INFERRED} ({chinese})"
    if own[1] and chinese:
        return f"{name} ({chinese}{INFERRED})"
    return kb.name_of(record_id)


def mark_each(texts: list[str], record: Any, name: str) -> list[str]:
    """Each of `texts` (the items of list field `name`, or names standing for them), marked when
    the record marks that field inferred: 'Meta AI lab (inferred)'."""
    return [text + INFERRED for text in texts] if infers(record, name) else texts


def status_text(status: str, superseded: str | None, step: Container[str], deal: Container[str]) -> str:
    """A deal row's `status_text`: its latest step's status ('agreed (inferred)' when that step
    marks it inferred), and the deal that superseded it."""
    text = status + (INFERRED if "status" in step else "")
    if superseded:
        text += f" (superseded by {superseded}{INFERRED if 'superseded_by' in deal else ''})"
    return text


def unshown(record: Any, names: Iterable[str]) -> str:
    """' (subjects inferred)': the fields among `names` that the record marks inferred, for text
    that rests on them without writing their values; '' when none is."""
    return resting_on([name for name in names if infers(record, name)])


def shown_inferred(record: Any, shown: Any = None) -> list[str]:
    """The fields the record marks inferred whose value a row shows as the record's own: all of
    them, except where `shown` (the record with the values shown first, aiorg.queries.common.
    shown_version) holds another source's value instead."""
    found = []
    for name in record.inferred:
        if not infers(record, name):
            continue
        if shown is not None and shown is not record:
            told = getattr(shown, name, None)
            if told is None or value_text(told) != value_text(getattr(record, name)):
                continue
        found.append(name)
    return found


def shown_fields(record: Any, shown: Any, source_of: SourceLookup) -> list[str]:
    """`shown_inferred`, and for a deal its steps' fields as a row's `disputed` names them:
    `history.status` when its latest step's status is inferred, `history.date` when the date of
    the step it is dated by (the value shown first) is."""
    found = shown_inferred(record, shown)
    if not isinstance(record, Deal):
        return found
    if infers(record.history[-1], "status"):
        found.append("history.status")
    dates = [shown_value(step, "date", source_of) if varies(step, ("date",)) else step.date for step in record.history]
    dated = [(step, day) for step, day in zip(record.history, dates, strict=True) if day is not None]
    if dated and infers(dated[-1][0], "date") and value_text(dated[-1][1]) == value_text(dated[-1][0].date):
        found.append("history.date")
    return found


def resting_on(fields: list[str]) -> str:
    """' (date, subjects inferred)': a note after text that rests on these inferred fields (a
    deal's step fields named as the step's: `history.date` is its date); '' for none."""
    names = list(dict.fromkeys(name.removeprefix("history.") for name in fields))
    return f" ({', '.join(names)} inferred)" if names else ""


# --- what a firm's units and groups rest on ------------------------------------------------------


def under_inferred(kb: KnowledgeBase, firm_id: str, unit_id: str) -> list[str]:
    """`["parent"]` when a unit is below the firm through a parent its record (or the record of a
    unit between them) marks inferred: DeepMind below Google; else []."""
    seen: set[str] = set()
    record = kb.by_id.get(unit_id)
    while isinstance(record, Firm) and record.id != firm_id and record.id not in seen:
        if infers(record, "parent"):
            return ["parent"]
        seen.add(record.id)
        record = kb.by_id.get(record.parent or "")
    return []


def group_inferred(kb: KnowledgeBase, group_id: str) -> bool:
    """Whether a group's membership is an inference: its certainty shown first (aiorg.claims: the
    record's own, or another source's that wins where they disagree) is `inferred`."""
    group = kb.by_id.get(group_id)
    return isinstance(group, Group) and shown_value(group, "certainty", source_lookup(kb)) is Certainty.INFERRED


def membership_inferred(kb: KnowledgeBase, firm: Firm, group_id: str) -> bool:
    """Whether a firm's membership of a group is an inference: the firm marks its `groups`
    inferred, or the group its membership (`group_inferred`)."""
    return infers(firm, "groups") or group_inferred(kb, group_id)


def firm_inferred(kb: KnowledgeBase, firm: Firm) -> list[str]:
    """A firm row's `inferred`: the fields of its record it shows that are inferences, with
    `groups` when the firm is an inferred member of one of them (the group's certainty)."""
    found = shown_inferred(firm)
    if "groups" not in found and any(group_inferred(kb, group) for group in firm.groups):
        found.append("groups")
    return found


def groups_as_read(kb: KnowledgeBase, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Firm rows as a table draws them: each group the firm is an inferred member of marked
    ('four-strong (inferred)'). JSON and CSV keep the ids bare; their `inferred` names `groups`."""
    marked = []
    for row in rows:
        firm = kb.by_id.get(row["firm"])
        groups = row["groups"]
        if isinstance(firm, Firm):
            groups = [group + INFERRED if membership_inferred(kb, firm, group) else group for group in groups]
        marked.append(row | {"groups": groups})
    return marked


# --- a row's `inferred` key: the fields of its record whose values it shows are inferences ------

#: a record's `inferred` list, and its value of a field by name: a decoded record's (`fields_of`),
#: or one read from a deal's tuple (aiorg.queries.deal_tuples)
Fields = tuple[Collection[str], Callable[[str], Any]]
#: how a row's `inferred` (and `disputed`) names a field of a deal's step: `history.date`
STEP = "history."
#: the fields of its record each kind of row shows, or rests on: those its `inferred` may name
SPELL_FIELDS = (
    "person", "firm", "title", "title_zh", "area", "kind", "start", "end", "end_cause", "current", "certainty",
)  # fmt: skip
DEAL_FIELDS = (
    "kind", "title", "buyers", "targets", "people", "amount", "valuation", "stake", "conditions", "superseded_by",
)  # fmt: skip
ROLE_START_FIELDS = ("person", "firm", "title", "start", "certainty")
ROLE_END_FIELDS = ("person", "firm", "title", "end", "end_cause", "current", "certainty")
#: a deal step's row in the timeline: the deal's fields its text rests on, then the step's own
STEP_DEAL_FIELDS = ("title", "buyers", "targets", "people")
STEP_FIELDS = ("date", "status", "certainty")
#: what a `flows` row's moves rest on (the status notes' words, and the row's `people` and `status`)
FLOW_FIELDS = ("origin", "destination", "people", "move", "status")
EVENT_FIELDS = ("kind", "subjects", "into", "date", "text", "certainty")
METRIC_FIELDS = ("subject", "metric", "value", "unit", "bound", "as_of", "certainty")


def fields_of(record: Any) -> Fields:
    """A decoded record's `inferred` list and field values, for `named`."""
    return record.inferred, lambda name: getattr(record, name, None)


def named(record: Fields, names: Iterable[str], shown: Mapping[str, Any] | None = None, prefix: str = "") -> list[str]:
    """The fields among `names` (in that order) that the record marks inferred, states, and whose
    value the row shows as the record states it: where `shown` gives the value the row shows of
    a field (another source's, or none: a spell's end as of a day before it), a field shown with
    another value is not named. Each is named with `prefix` (`history.` for a deal's step)."""
    inferred, value_of = record
    if not inferred:
        return []
    found = []
    for name in names:
        if name not in inferred or not _stated(own := value_of(name)):
            continue
        if shown is not None and name in shown:
            value = shown[name]
            if value is None or value_text(value) != value_text(own):
                continue
        found.append(prefix + name)
    return found


def deal_inferred(deal: Fields, latest: Fields, dated: Fields | None, shown: Mapping[str, Any]) -> list[str]:
    """A deal row's `inferred`: the deal's fields (`DEAL_FIELDS`; its figures as `shown` gives the
    ones the row shows), its latest step's status (`history.status`), the date of the step that
    dates it (`history.date`, shown as `shown['date']`) and its latest step's certainty
    (`history.certainty`)."""
    found = named(deal, DEAL_FIELDS, shown)
    found += named(latest, ("status",), prefix=STEP)
    if dated is not None:
        found += named(dated, ("date",), {"date": shown["date"]}, STEP)
    return found + named(latest, ("certainty",), prefix=STEP)
