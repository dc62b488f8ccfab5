"""The SQL `people` narrows its candidate spells with before the filters run on them decoded."""

from __future__ import annotations

from aiorg.model import Area, EndCause
from aiorg.queries.common import in_list


def candidate_sql(
    departed: bool, departure: frozenset[EndCause], cause: EndCause | None, area: Area | None, joined: str | None
) -> tuple[str, tuple[str, ...]]:
    """SQL over the spells' typed columns that keeps every spell the filters could match (the
    filters themselves run on the decoded spells): whatever the day, a departure needs a departure cause."""
    where: list[str] = []
    parameters: list[str] = []

    def claimed(column: str, values: list[str]) -> None:  # its own value, or one more source's
        marks = in_list(values)
        where.append(
            f"({column} IN {marks} OR seq IN (SELECT seq FROM statements"
            f" WHERE kind = 'tenures' AND field = '{column}' AND value IN {marks}))"
        )
        parameters.extend(values * 2)

    if departed:
        claimed("end_cause", sorted(d.value for d in departure))
    if cause is not None:
        claimed("end_cause", [cause.value])
    if area is not None:
        claimed("area", [area.value])
    if joined is not None:
        where.append("replaces IS NULL")
    return " AND ".join(where), tuple(parameters)
