"""Questions users ask, as pure functions: knowledge base in, rows out.

Every row is a flat dict with stable keys (documented in the README); the CLI
renders them and never adds to them, so `--format json` equals these rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from aiorg.dates import FuzzyDate
from aiorg.kb import KnowledgeBase
from aiorg.model import (
    DEPARTURE_CAUSES,
    FORMAL_DEPARTURE_CAUSES,
    Area,
    EndCause,
    SpellState,
    Tenure,
)

Row = dict[str, object]

CAUSE_TEXT: dict[EndCause | None, str] = {
    EndCause.LEFT: "left",
    EndCause.FOUNDED: "left to found a company",
    EndCause.ADVISOR: "moved to advisor role (has not formally left)",
    EndCause.DEMOTED: "demoted / sidelined (still at the firm)",
    EndCause.REPORTED: "reported to have left (unconfirmed)",
    None: "",
}


@dataclass(frozen=True, slots=True)
class Window:
    """An optional [since, until] window; a fuzzy date passes if it may fall inside."""

    since: date | None = None
    until: date | None = None

    @classmethod
    def parse(cls, since: str | None, until: str | None) -> Window:
        """Build from text such as '2024-09' (the whole month counts)."""
        return cls(FuzzyDate.parse(since).earliest if since else None, FuzzyDate.parse(until).latest if until else None)

    @property
    def open(self) -> bool:
        """True when no bound is set."""
        return self.since is None and self.until is None

    def admits(self, when: FuzzyDate | None) -> bool:
        """Could `when` fall inside? Undated facts only pass an open window."""
        if self.open:
            return True
        if when is None:
            return False
        return (self.since is None or when.may_be_on_or_after(self.since)) and (
            self.until is None or when.may_be_on_or_before(self.until)
        )


def firm_family(kb: KnowledgeBase, firm_id: str) -> set[str]:
    """A firm and every unit below it (Google includes DeepMind)."""
    family = {firm_id}
    changed = True
    while changed:
        changed = False
        for firm in kb.firms:
            if firm.parent in family and firm.id not in family:
                family.add(firm.id)
                changed = True
    return family


def first_quote(quote: list[str]) -> str:
    """The first passage of a quote list, for compact rows."""
    return quote[0] if quote else ""


def tenure_row(kb: KnowledgeBase, tenure: Tenure) -> Row:
    """One role spell as a row."""
    person = kb.by_id[tenure.person]
    firm = kb.by_id[tenure.firm]
    when = tenure.end if tenure.state is SpellState.ENDED else tenure.start
    return {
        "person": tenure.person,
        "name": person.name,  # type: ignore[union-attr]
        "name_zh": getattr(person, "name_zh", None),
        "firm": tenure.firm,
        "firm_name": kb.name_of(firm.id),
        "title": tenure.title,
        "title_zh": tenure.title_zh,
        "area": tenure.area.value if tenure.area else None,
        "kind": tenure.kind.value if tenure.kind else None,
        "state": tenure.state.value,
        "cause": tenure.end_cause.value if tenure.end_cause else None,
        "cause_text": CAUSE_TEXT[tenure.end_cause],
        "formal_departure": tenure.end_cause in FORMAL_DEPARTURE_CAUSES,
        "start": tenure.start.text if tenure.start else None,
        "end": tenure.end.text if tenure.end else None,
        "when": when.describe() if when else "date not stated",
        "certainty": tenure.certainty.value,
        "tenure": tenure.id,
        "source": tenure.source,
        "quote": first_quote(tenure.quote),
    }


def _active_on(tenure: Tenure, day: date) -> bool:
    """Could the spell have been held on `day`? Ended spells need a dated end to place."""
    if tenure.start is not None and not tenure.start.may_be_on_or_before(day):
        return False
    if tenure.state is SpellState.ENDED:
        return tenure.end is not None and (tenure.end.latest is None or tenure.end.latest > day)
    return True


def people(
    kb: KnowledgeBase,
    *,
    left: str | None = None,
    joined: str | None = None,
    at: str | None = None,
    cause: EndCause | None = None,
    area: Area | None = None,
    formal: bool = False,
    window: Window = Window(),
    as_of: date | None = None,
) -> list[Row]:
    """Role spells matching every filter given, one row per spell, oldest first.

    left:   spells at the firm (or its units) that ended by departure: causes
            left, founded, advisor, reported. A demotion is not a departure.
            With formal=True only left and founded count.
    joined: spells at the firm that do not continue an earlier spell there.
    at:     spells current at the firm, or active on `as_of` when given.
    """
    departure = FORMAL_DEPARTURE_CAUSES if formal else DEPARTURE_CAUSES
    candidates: list[Tenure] = kb.tenures
    for firm_filter in (left, joined, at):
        if firm_filter is not None:
            family = firm_family(kb, firm_filter)
            candidates = [t for t in candidates if t.firm in family]
    rows = []
    for tenure in candidates:
        if (left is not None or formal) and tenure.end_cause not in departure:
            continue
        if joined is not None and tenure.replaces is not None:
            continue
        if at is not None or as_of is not None:
            if as_of is not None:
                if not _active_on(tenure, as_of):
                    continue
            elif tenure.state is SpellState.ENDED:
                continue
        if cause is not None and tenure.end_cause is not cause:
            continue
        if area is not None and tenure.area is not area:
            continue
        if not window.open:
            moment = (
                tenure.end
                if (left is not None or cause is not None)
                else (tenure.start if joined else tenure.end or tenure.start)
            )
            if not window.admits(moment):
                continue
        rows.append((tenure, tenure_row(kb, tenure)))
    rows.sort(key=lambda pair: (_sort_date(pair[0]), str(pair[1]["name"])))
    return [row for _, row in rows]


def _sort_date(tenure: Tenure) -> tuple[date, date]:
    when = tenure.end or tenure.start
    return when.sort_key() if when else (date.max, date.max)
