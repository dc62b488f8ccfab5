"""The names exports give to relations and edge attributes, decided once for every format.

Edge endpoints are always `source` and `target`, the edge id `key` (and `edge_key`), the
edge's relation `relation`: the graph's edge attribute `type` is renamed so Gephi does not
read it as the edge direction and GEXF's reserved `type` is free. No record field can take
these names (the citation field is the attribute `cites`; see aiorg.graph).
"""

from __future__ import annotations

from typing import Any

#: relation names that read backwards in the model's edge labels, renamed so that every
#: `(a)-[relation]->(b)` reads as a sentence. Suggested model change: rename the EdgeSpec
#: label `target_of` (from a deal to what it targets) to `targets` in aiorg/model.py.
_READ_FORWARDS = {"target_of": "targets"}


def relation_of(edge_type: str) -> str:
    """The relation name exports use for a graph edge type: 'target_of' -> 'targets'."""
    return _READ_FORWARDS.get(edge_type, edge_type)


def edge_attributes(data: dict[str, Any]) -> dict[str, Any]:
    """A graph edge's attributes as exports write them: `type` becomes `relation`."""
    out = {name: value for name, value in data.items() if name != "type"}
    if "type" in data:
        out["relation"] = relation_of(str(data["type"]))
    return out
