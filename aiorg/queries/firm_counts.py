"""What a firm's row counts: the people, departures by cause, and deals of the firm's family.

`departures` counts the role spells at the firm or a unit below it that end, as their own
records say, in a cause `people --left` lists (README, "What left means"), and each is counted
once more by what it was: `formal_departures` (left, or left to found a company),
`advisor_moves` (moved to an advisor role: has not formally left), `reported_departures`
(reported, unconfirmed), or `disputed_departures` when its sources disagree on whether it ended
or on which of those it was. The four add up to `departures`, so a count never calls an advisor move,
a rumour or a contested exit a plain departure. `people` counts persons, `deals` deals, each once.

Counted in SQL: a cause another source gives in another count is found there, and only the
spells another source states `current` for are decoded to compare.
"""

from __future__ import annotations

from typing import TypeVar, cast

from aiorg.claims import disputes
from aiorg.kb import KnowledgeBase
from aiorg.model import DEPARTURE_CAUSES, FORMAL_DEPARTURE_CAUSES, EndCause, Tenure
from aiorg.queries.common import DEAL_SIDES, in_list
from aiorg.queries.inferred import under_inferred

T = TypeVar("T")

#: a firm row's counts, in the row's order (aiorg.queries.shapes.FIRM)
COUNTS = (
    "people", "departures", "formal_departures", "advisor_moves", "reported_departures", "disputed_departures",
    "deals",
)  # fmt: skip
#: the count each departure cause is in, when its sources agree
_BY_CAUSE = {
    **dict.fromkeys(FORMAL_DEPARTURE_CAUSES, "formal_departures"),
    EndCause.ADVISOR: "advisor_moves",
    EndCause.REPORTED: "reported_departures",
}
#: the fields on which sources that disagree make a departure a disputed one
_DECIDING = ("end_cause", "current")
_NONE = dict.fromkeys(COUNTS, 0)


def family_counts(kb: KnowledgeBase, families: dict[str, set[str]]) -> dict[str, dict[str, int]]:
    """The counts (`COUNTS`) of each firm's family (firm id -> the firm and its units): one
    grouped query per few thousand firms without units, a query per family for the few with
    units (a person or deal counts once per family)."""
    single = sorted(firm_id for firm_id, family in families.items() if len(family) == 1)
    counts: dict[str, dict[str, int]] = {}
    for chunk in chunks(single):
        counts.update(_counts(kb, chunk, grouped=True))
    for firm_id, family in families.items():
        if len(family) > 1:
            counts[firm_id] = _counts(kb, sorted(family), grouped=False).get("", dict(_NONE))
    return {firm_id: counts.get(firm_id, dict(_NONE)) for firm_id in families}


def resting_on_parents(kb: KnowledgeBase, firm_id: str, family: set[str], counts: dict[str, int]) -> list[str]:
    """The counts that count something only through a unit below the firm through a parent its
    record (or one between them) marks inferred: DeepMind's people in Google's `people`."""
    stated = sorted(unit for unit in family if not under_inferred(kb, firm_id, unit))
    if len(stated) == len(family):
        return []
    told = _counts(kb, stated, grouped=False).get("", _NONE)
    return [name for name in COUNTS if counts[name] != told[name]]


def _counts(kb: KnowledgeBase, firm_ids: list[str], *, grouped: bool) -> dict[str, dict[str, int]]:
    """The counts per firm (grouped) or of all of them together (under '')."""
    causes = sorted(cause.value for cause in DEPARTURE_CAUSES)
    formal = sorted(cause.value for cause in FORMAL_DEPARTURE_CAUSES)
    key, group_by = ("firm", " GROUP BY firm") if grouped else ("''", "")
    at = f"firm IN {in_list(firm_ids)}"
    spells = kb.query(
        f"SELECT {key}, count(DISTINCT person), count(CASE WHEN end_cause IN {in_list(causes)} THEN 1 END),"
        f" count(CASE WHEN end_cause IN {in_list(formal)} THEN 1 END), count(CASE WHEN end_cause = ? THEN 1 END),"
        f" count(CASE WHEN end_cause = ? THEN 1 END) FROM tenures WHERE {at}{group_by}",
        (*causes, *formal, EndCause.ADVISOR.value, EndCause.REPORTED.value, *firm_ids),
    )
    sides = " UNION ".join(f"SELECT value, seq FROM deals_{x} WHERE value IN {in_list(firm_ids)}" for x in DEAL_SIDES)
    key, group_by = ("value", " GROUP BY value") if grouped else ("''", "")
    deals = dict(
        kb.query(f"SELECT {key}, count(DISTINCT seq) FROM ({sides}){group_by}", tuple(firm_ids) * len(DEAL_SIDES))
    )
    found: dict[str, dict[str, int]] = {}
    for firm, *numbers in spells:
        found[str(firm)] = dict(zip(COUNTS, [*map(int, numbers), 0, int(deals.get(firm, 0))], strict=True))
    for firm, number in deals.items():
        found.setdefault(str(firm), dict(_NONE, deals=int(number)))
    for firm, cause in _disputed(kb, at, firm_ids, causes):
        told = found["" if not grouped else firm]
        told[_BY_CAUSE[EndCause(cause)]] -= 1
        told["disputed_departures"] += 1
    return found


def _bucket(column: str) -> str:
    """SQL: the count a cause's text is in ('' for a cause that is no departure), as _BY_CAUSE."""
    arms = " ".join(f"WHEN {column} = '{cause.value}' THEN '{name}'" for cause, name in _BY_CAUSE.items())
    return f"(CASE {arms} ELSE '' END)"


def _disputed(kb: KnowledgeBase, at: str, firm_ids: list[str], causes: list[str]) -> list[tuple[str, str]]:
    """(firm, own cause) of each departure (own cause among `causes`) at `firm_ids` whose sources
    disagree on whether it ended or on what it was. Another source's cause in another count is
    found in SQL; the few spells another source states `current` for are decoded to compare."""
    # (`+`: no index on those terms, so SQLite looks spells up by firm and statements by spell,
    # not every statement of a field for each spell: 60 s against 0.07 s at 100k people)
    other = "SELECT 1 FROM statements AS s WHERE s.seq = tenures.seq AND +s.kind = 'tenures' AND +s.field = ?"
    where = f"{at} AND +end_cause IN {in_list(causes)}"
    found = kb.query(
        f"SELECT seq, firm, end_cause FROM tenures WHERE {where}"
        f" AND EXISTS ({other} AND {_bucket('s.value')} != {_bucket('tenures.end_cause')})",
        (*firm_ids, *causes, "end_cause"),
    )
    counted = {int(seq) for seq, _, _ in found}
    disputed = [(str(firm), str(cause)) for _, firm, cause in found]
    current = f"{where} AND EXISTS ({other})"
    for seq, row in kb.select_tuples("tenures", current, (*firm_ids, *causes, "current")):
        spell = cast(Tenure, kb.decoded("tenures", seq, row))
        if seq not in counted and _contested(spell):
            disputed.append((spell.firm, cast(EndCause, spell.end_cause).value))
    return disputed


def _contested(spell: Tenure) -> bool:
    """Whether the sources of a departure disagree on whether it ended, or on what it was (its
    causes fall in different counts: 'left | founded' is a formal departure either way)."""
    disputed = disputes(spell)
    counted = {_BY_CAUSE.get(claim.value, "") for claim in disputed.get("end_cause", [])}
    return "current" in disputed or len(counted) > 1


def chunks(values: list[T], size: int = 5000) -> list[list[T]]:
    """Slices small enough for SQLite's limit on bound values."""
    return [values[start : start + size] for start in range(0, len(values), size)]
