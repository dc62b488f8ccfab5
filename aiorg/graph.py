"""Build the networkx graph from the records, reading the edge declarations in the model.

Node types are the record kinds with a NODE name (person, firm, group, product,
deal, source). Edge types are the EdgeSpec labels, plus `sourced_from` from every
node record to the source it cites. Attributes are flattened to scalars here, once,
so every exporter gets typed, None-free values.

With `facts=True` (what every export uses) events, metrics and claims are nodes too
(types event, metric, claim), linked to what they are about and to their source, so
a full export carries every record.

Attribute names never collide with the names exports give to endpoints and ids:
a record's `source` field (its citation) is the attribute `cites`, never `source`.

Provenance: every node record and every edge a record makes carries `sources` (every source
id of the record, its own first, joined by "; " as lists are) and `disputed` (true when its
sources give different values for a field; see aiorg.claims). A deal's counts its history
steps and conditions too. A source node's `sources` is its own id.

A deal's status, date, `status_history` and `conditions` come from its steps and conditions; what
they infer is said as the CLI's deal rows say it (aiorg.step_marks): `inferred` names
`history.status` / `history.date`, and the text writes " (inferred)" after an inferred value.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Callable, Iterator
from enum import Enum
from typing import TYPE_CHECKING, Any, cast

from aiorg.claims import any_disputed, sources_of
from aiorg.codec import unwrap_optional
from aiorg.dates import FuzzyDate
from aiorg.kb import KnowledgeBase
from aiorg.model import RECORD_KINDS, Claim, Deal, EdgeSpec, Event, Metric, Record, Source, Tenure
from aiorg.money import Money
from aiorg.step_marks import condition_text, decoded, step_text, steps_marked

if TYPE_CHECKING:
    import networkx as nx

Scalar = str | int | float | bool
#: the edge that links a node record to the source it cites
SOURCED_FROM = "sourced_from"
#: how the source ids of the `sources` attribute are joined (ids hold no ';' or space)
SOURCES_SEPARATOR = "; "
#: summarised instead: history and conditions as text, `also` as `sources` and `disputed`
_SKIPPED_FIELDS = frozenset({"history", "conditions", "also"})
# Graph tools (igraph, GEXF) reserve "id" for the node or edge identifier; exports use
# "source"/"target" for edge endpoints, so the citation field is renamed.
_RENAMED_FIELDS = {"source": "cites"}
#: Tenure.current is left out: `state` says current / ended / unknown, and a bool that is
#: written only when known is read as False by consumers that fill in missing values.
_TENURE_SKIPPED = frozenset({"current"})

# Events, metrics and claims as nodes (facts=True). The model declares no EdgeSpec from
# them to their subjects, so the edges are declared here. Suggested model change: add these
# EdgeSpecs to Event, Metric and Claim in aiorg/model.py and drop this table.
FACT_NODES: dict[type[Record], tuple[str, tuple[EdgeSpec, ...]]] = {
    Event: ("event", (EdgeSpec("self", "subjects", "about", "an event is about a firm, person, product or group"),)),
    Metric: ("metric", (EdgeSpec("self", "subject", "measures", "a metric measures a firm or product"),)),
    Claim: ("claim", (EdgeSpec("self", "subjects", "describes", "a claim describes a firm's or group's strategy"),)),
}


_PLANS: dict[type, tuple[tuple[str, str], ...]] = {}


def flattened_fields(cls: type[Record]) -> tuple[tuple[str, str], ...]:
    """(field, attribute name) of the fields a record of this class flattens, in field order."""
    plan = _PLANS.get(cls)
    if plan is None:
        plan = _PLANS[cls] = _new_plan(cls)
    return plan


def _new_plan(cls: type[Record]) -> tuple[tuple[str, str], ...]:
    skipped = _SKIPPED_FIELDS | {"id"} | (_TENURE_SKIPPED if issubclass(cls, Tenure) else frozenset())
    # the id is the node or edge key, not an attribute
    return tuple(
        (f.name, _RENAMED_FIELDS.get(f.name, f.name)) for f in dataclasses.fields(cls) if f.name not in skipped
    )


#: the field types whose values are attributes as they are
PLAIN_TYPES = frozenset({str, int, float, bool})
#: a date's ISO bounds by its text, with the date they were made from (the codec shares one
#: FuzzyDate per text, so 300k spells need a few thousand isoformat calls, not 1.2M)
_DATE_BOUNDS: dict[str, tuple[FuzzyDate, str | None, str | None]] = {}


def scalar_attributes(record: Record) -> dict[str, Scalar]:
    """A record's fields as typed scalars: dates as ISO text, money as USD floats, lists joined."""
    attributes: dict[str, Scalar] = {}
    add_scalar_attributes(record, attributes)
    return attributes


def add_scalar_attributes(record: Record, attributes: dict[str, Scalar]) -> None:
    """Add `scalar_attributes(record)` to `attributes`, in the same order."""
    flatten = _FLATTENERS.get(type(record))
    if flatten is None:
        flatten = flattener(type(record))
    flatten(record, attributes)


_FLATTENERS: dict[type, Callable[[Record, dict[str, Scalar]], None]] = {}


def flattener(cls: type[Record]) -> Callable[[Record, dict[str, Scalar]], None]:
    """add_scalar_attributes for the records of one class, made once per class."""
    flatten = _FLATTENERS.get(cls)
    if flatten is None:
        flatten = _FLATTENERS[cls] = _flattener(cls)
    return flatten


def _flattener(cls: type[Record]) -> Callable[[Record, dict[str, Scalar]], None]:
    """The fields of a record class as attributes, by a function written for the class from its
    declared field types (at 100k people an export flattens 460k records; looking at each
    value's type at run time was most of the time). Values are as scalar_attributes documents.
    A date's bounds are looked up inline (a call per date was a tenth of a whole export)."""
    hints = typing.get_type_hints(cls)
    lines = ["def flatten(record, attributes):"]
    for field, name in flattened_fields(cls):
        hint = unwrap_optional(hints[field])
        lines.append(f"    value = record.{field}")
        if typing.get_origin(hint) is list:
            separator = " … " if name == "quote" else "; "
            lines.append(f"    if value: attributes[{name!r}] = {separator!r}.join(map(str, value))")
        elif hint in PLAIN_TYPES:
            lines.append(f"    if value is not None: attributes[{name!r}] = value")
        elif hint is FuzzyDate:
            lines += [
                "    if value is not None:",
                "        bounds = date_bounds.get(value.text)",
                "        if bounds is None or bounds[0] is not value: bounds = new_bounds(value)",
                f"        attributes[{name!r}] = value.text",
                f"        if bounds[1] is not None: attributes[{name + '_earliest'!r}] = bounds[1]",
                f"        if bounds[2] is not None: attributes[{name + '_latest'!r}] = bounds[2]",
            ]
        elif isinstance(hint, type) and issubclass(hint, Enum):
            lines.append(f"    if value is not None: attributes[{name!r}] = value._value_")
        else:
            lines.append(f"    flatten_any(attributes, {name!r}, value)")
    if issubclass(cls, (Tenure, Deal)):
        lines.append("    extra(record, attributes)")
    namespace: dict[str, Any] = {
        "flatten_any": _flatten,
        "date_bounds": _DATE_BOUNDS,
        "new_bounds": _new_bounds,
        "extra": _tenure_extra if issubclass(cls, Tenure) else _deal_extra,
    }
    exec("\n".join(lines), namespace)  # the source is built above from the model's field names
    return cast(Callable[[Record, dict[str, Scalar]], None], namespace["flatten"])


def _tenure_extra(record: Tenure, attributes: dict[str, Scalar]) -> None:
    attributes["state"] = record.state._value_


def _deal_extra(record: Deal, attributes: dict[str, Scalar]) -> None:
    """A deal's status and date (its steps'), its steps as text and its conditions, each inferred
    value marked in the text, and `inferred` naming its steps' (aiorg.step_marks)."""
    attributes["status"] = record.status.value
    _flatten(attributes, "date", record.date)
    attributes["status_history"] = " → ".join(
        step_text(e.status.value, e.date.text if e.date else None, e.inferred, e.certainty.value)
        for e in record.history
    )
    if record.conditions:
        every = "conditions" in record.inferred
        attributes["conditions"] = "; ".join(condition_text(c.text, c.inferred, every) for c in record.conditions)
    if any(e.inferred for e in record.history):  # the usual deal's steps infer nothing
        add_inferred(attributes, steps_marked([decoded(e) for e in record.history]))


def add_inferred(attributes: dict[str, Scalar], names: list[str]) -> None:
    """Add `names` to the `inferred` attribute (its list joined by "; "), after the record's own."""
    if names:
        own = attributes.get("inferred")
        attributes["inferred"] = SOURCES_SEPARATOR.join([str(own), *names] if own else names)


def _flatten(attributes: dict[str, Scalar], name: str, value: Any) -> None:
    if value is None or value == []:
        return
    if isinstance(value, Enum):
        attributes[name] = value.value
    elif isinstance(value, FuzzyDate):
        _flatten_date(attributes, name, value)
    elif isinstance(value, Money):
        if value.currency == "USD":  # another currency has no dollar figure without a rate: never its own number
            attributes[f"{name}_usd"] = float(value.value)
        attributes[f"{name}_bound"] = value.bound.value
        attributes[f"{name}_text"] = value.describe()
        attributes[f"{name}_currency"] = value.currency
    elif isinstance(value, list):
        attributes[name] = (" … " if name == "quote" else "; ").join(str(v) for v in value)
    elif isinstance(value, (str, int, float, bool)):
        attributes[name] = value
    else:  # pragma: no cover - a new field type must be taught here
        raise TypeError(f"cannot flatten {name}={value!r}")


def _flatten_date(attributes: dict[str, Scalar], name: str, value: FuzzyDate) -> None:
    bounds = _DATE_BOUNDS.get(value.text)
    if bounds is None or bounds[0] is not value:
        bounds = _new_bounds(value)
    attributes[name] = value.text
    if bounds[1] is not None:
        attributes[f"{name}_earliest"] = bounds[1]
    if bounds[2] is not None:
        attributes[f"{name}_latest"] = bounds[2]


def _new_bounds(value: FuzzyDate) -> tuple[FuzzyDate, str | None, str | None]:
    """A date's ISO bounds, kept by its text."""
    earliest = value.earliest.isoformat() if value.earliest else None
    latest = value.latest.isoformat() if value.latest else None
    bounds = _DATE_BOUNDS[value.text] = (value, earliest, latest)
    return bounds


def _values(record: Record, field_name: str) -> list[str]:
    if field_name == "self":
        return [record.id]
    value = getattr(record, field_name)
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def display_name(record: Record) -> str:
    """KnowledgeBase.name_of for a record already at hand: 'English (中文)', else the id."""
    name = getattr(record, "name", None)
    if name is None:
        return record.id
    chinese = getattr(record, "name_zh", None)
    return f"{name} ({chinese})" if chinese else str(name)


#: how a metric's figure writes its bound before the number ("planned" and "estimate" follow it)
_BOUND_BEFORE = {"approx": "~", "up_to": "up to ", "at_least": "at least "}


def metric_figure(number: str, unit: str, bound: str) -> str:
    """A metric's number with its unit and bound, as labels and the timeline write it:
    '~35000000 users', '50 people (planned)'."""
    after = f" ({bound})" if bound in ("planned", "estimate") else ""
    return f"{_BOUND_BEFORE.get(bound, '')}{number}{' ' + unit if unit else ''}{after}"


def _label(kb: KnowledgeBase, record: Record) -> str:
    if isinstance(record, Metric):
        value = int(record.value) if record.value.is_integer() else record.value
        figure = metric_figure(str(value), record.unit or "", record.bound)
        return f"{record.metric} of {kb.name_of(record.subject)}: {figure}"
    if hasattr(record, "name"):
        return display_name(record)
    return str(getattr(record, "title", None) or getattr(record, "text", None) or record.id)


def node_type(cls: type[Record], facts: bool) -> str:
    """The node type of a record class ('' when its records are not nodes)."""
    return cls.NODE or (FACT_NODES[cls][0] if facts and cls in FACT_NODES else "")


def provenance(record: Record) -> tuple[str, bool]:
    """(sources, disputed): every source id the record cites, its own first, each once, joined
    by "; " (a deal's history steps and conditions included); and whether any of them disagree."""
    if isinstance(record, Source):
        return record.id, False
    parts: list[Any] = [record]
    if isinstance(record, Deal):
        parts += record.history
        parts += record.conditions
    if not any(part.also for part in parts):  # the usual record: one source per part, no dispute
        return SOURCES_SEPARATOR.join(dict.fromkeys(part.source for part in parts)), False
    ids = dict.fromkeys(source for part in parts for source in sources_of(part))
    return SOURCES_SEPARATOR.join(ids), any(any_disputed(part) for part in parts)


def node_attributes(kb: KnowledgeBase, record: Record, kind: str) -> dict[str, Scalar]:
    """A node record's attributes: its scalar fields, its node type and label, then its provenance."""
    attributes = scalar_attributes(record)
    attributes["type"] = kind
    attributes["label"] = _label(kb, record)
    attributes["sources"], attributes["disputed"] = provenance(record)
    return attributes


Edge = tuple[str, str, str, dict[str, Scalar]]


def record_edges(record: Record, facts: bool, keyed: bool = False) -> Iterator[Edge]:
    """(source, target, key, attributes) of the edges a record declares, and its citation.

    A node record's edges carry `record` (its id); any other record is an edge carrying its fields.
    Every edge ends with the record's provenance (`sources`, `disputed`).
    keyed: the attributes start with `edge_key` (the key again), as select() gives them.
    """
    cls = type(record)
    is_node = bool(node_type(cls, facts))
    specs = cls.EDGES + (FACT_NODES[cls][1] if is_node and cls in FACT_NODES else ())
    sources, disputed = provenance(record) if specs or is_node else ("", False)
    for spec in specs:
        for source in _values(record, spec.source):
            for target in _values(record, spec.target):
                key = record.id if not is_node else f"{record.id}:{spec.label}:{source}:{target}"
                attributes: dict[str, Scalar] = {"edge_key": key, "type": spec.label} if keyed else {"type": spec.label}
                if is_node:
                    attributes["record"] = record.id
                else:  # the record is the edge: its fields are the edge's attributes
                    add_scalar_attributes(record, attributes)
                attributes["sources"] = sources
                attributes["disputed"] = disputed
                yield source, target, key, attributes
    if is_node and cls.NODE != "source":
        source_id = getattr(record, "source", None)
        if source_id:
            key = f"{record.id}:{SOURCED_FROM}"
            cites: dict[str, Scalar] = {"edge_key": key, "type": SOURCED_FROM} if keyed else {"type": SOURCED_FROM}
            cites["sources"] = sources
            cites["disputed"] = disputed
            yield record.id, source_id, key, cites


def build_graph(kb: KnowledgeBase, *, facts: bool = False) -> nx.MultiDiGraph:
    """One MultiDiGraph of every node record, declared edge and citation.

    facts: events, metrics and claims become nodes too (every export sets it); without
           it they are left out, except the `became` edges events declare.
    A whole-knowledge-base export does not build it: see aiorg.export.whole, which must
    give the same nodes and edges.
    """
    import networkx as nx

    graph = nx.MultiDiGraph()
    for kind, cls in RECORD_KINDS.items():
        if node_type(cls, facts):
            for record in kb.records(kind):
                graph.add_node(record.id, **node_attributes(kb, record, node_type(cls, facts)))
    for kind in RECORD_KINDS:
        for record in kb.records(kind):
            for source, target, key, attributes in record_edges(record, facts):
                graph.add_edge(source, target, key=key, **attributes)
    return graph
