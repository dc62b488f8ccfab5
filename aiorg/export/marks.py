"""What the SQLite export writes in an `inferred` column: the fields of a row whose values are
aiorg's reading, not the source's words (README, "An inference says it is one"; which fields:
aiorg.step_marks, shared with the graph's deal node).

The SQLite export joins such a list by "; ", as the graph exports write a record's `inferred` and
every other list ('valuation; history.status'), so a column holds what the node attribute of that
name holds; NULL for none, as the attribute is absent.
"""

from __future__ import annotations

from aiorg.graph import SOURCES_SEPARATOR as SEPARATOR  # how every list attribute is joined


def joined(names: list[str]) -> str | None:
    """A list column as the SQLite export holds it: 'valuation; history.status', None for none."""
    return SEPARATOR.join(names) if names else None
