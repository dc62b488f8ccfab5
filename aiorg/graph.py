"""Build the networkx graph from the records, reading the edge declarations in the model.

Node types are the record kinds with a NODE name (person, firm, group, product,
deal, source). Edge types are the EdgeSpec labels, plus `sourced_from` from every
node record to the source it cites. Attributes are flattened to scalars here, once,
so every exporter gets typed, None-free values.
"""

from __future__ import annotations

import dataclasses
from enum import Enum
from typing import TYPE_CHECKING, Any

from aiorg.dates import FuzzyDate
from aiorg.kb import KnowledgeBase
from aiorg.model import RECORD_KINDS, Deal, Record, Tenure
from aiorg.money import Money

if TYPE_CHECKING:
    import networkx as nx

Scalar = str | int | float | bool
#: the edge that links a node record to the source it cites
SOURCED_FROM = "sourced_from"
_SKIPPED_FIELDS = frozenset({"history", "conditions"})  # summarised instead
# Graph tools (igraph, GEXF) reserve "id" for the node or edge identifier.


def scalar_attributes(record: Record) -> dict[str, Scalar]:
    """A record's fields as typed scalars: dates as ISO text, money as USD floats, lists joined."""
    attributes: dict[str, Scalar] = {}
    for f in dataclasses.fields(record):
        if f.name in _SKIPPED_FIELDS or f.name == "id":  # the id is the node or edge key, not an attribute
            continue
        _flatten(attributes, f.name, getattr(record, f.name))
    if isinstance(record, Tenure):
        attributes["state"] = record.state.value
    if isinstance(record, Deal):
        attributes["status"] = record.status.value
        _flatten(attributes, "date", record.date)
        attributes["status_history"] = " → ".join(
            f"{e.status.value}@{e.date.text}" if e.date else e.status.value for e in record.history
        )
        if record.conditions:
            attributes["conditions"] = "; ".join(c.text for c in record.conditions)
    return attributes


def _flatten(attributes: dict[str, Scalar], name: str, value: Any) -> None:
    if value is None or value == []:
        return
    if isinstance(value, Enum):
        attributes[name] = value.value
    elif isinstance(value, FuzzyDate):
        attributes[name] = value.text
        if value.earliest:
            attributes[f"{name}_earliest"] = value.earliest.isoformat()
        if value.latest:
            attributes[f"{name}_latest"] = value.latest.isoformat()
    elif isinstance(value, Money):
        attributes[f"{name}_usd"] = float(value.value)
        attributes[f"{name}_bound"] = value.bound.value
        attributes[f"{name}_text"] = value.describe()
    elif isinstance(value, list):
        attributes[name] = (" … " if name == "quote" else "; ").join(str(v) for v in value)
    elif isinstance(value, (str, int, float, bool)):
        attributes[name] = value
    else:  # pragma: no cover - a new field type must be taught here
        raise TypeError(f"cannot flatten {name}={value!r}")


def _values(record: Record, field_name: str) -> list[str]:
    if field_name == "self":
        return [record.id]
    value = getattr(record, field_name)
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def build_graph(kb: KnowledgeBase) -> nx.MultiDiGraph:
    """One MultiDiGraph of every node record, declared edge and citation."""
    import networkx as nx

    graph = nx.MultiDiGraph()
    for kind, cls in RECORD_KINDS.items():
        if not cls.NODE:
            continue
        for record in kb.records(kind):
            attributes = scalar_attributes(record)
            attributes["type"] = cls.NODE
            attributes["label"] = (
                kb.name_of(record.id) if hasattr(record, "name") else getattr(record, "title", None) or record.id
            )
            graph.add_node(record.id, **attributes)
    for kind, cls in RECORD_KINDS.items():
        for record in kb.records(kind):
            attributes = scalar_attributes(record) if not cls.NODE else {"record": record.id}
            for spec in cls.EDGES:
                for source in _values(record, spec.source):
                    for target in _values(record, spec.target):
                        key = record.id if not cls.NODE else f"{record.id}:{spec.label}:{source}:{target}"
                        graph.add_edge(source, target, key=key, type=spec.label, **attributes)
            if cls.NODE and cls.NODE != "source":
                source_id = getattr(record, "source", None)
                if source_id:
                    graph.add_edge(record.id, source_id, key=f"{record.id}:{SOURCED_FROM}", type=SOURCED_FROM)
    return graph
