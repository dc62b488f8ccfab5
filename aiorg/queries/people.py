"""Who held which role where, who left, joined or is current: one row per role spell."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from aiorg.asof import Known, ended_by, started_by
from aiorg.claims import SourceLookup, Statement, cited, dispute_note, disputes, sources_of, value_text
from aiorg.dates import NOT_STATED, FuzzyDate
from aiorg.errors import UsageError
from aiorg.kb import KnowledgeBase
from aiorg.model import (
    DEPARTURE_CAUSES,
    FORMAL_DEPARTURE_CAUSES,
    Area,
    Certainty,
    EndCause,
    Source,
    SpellState,
    Tenure,
)
from aiorg.queries.common import (
    ANY_TIME,
    CAUSE_TEXT,
    INFERRED,
    Row,
    Window,
    firm_family,
    first_quote,
    inferred_show,
    may_disagree,
    shown_version,
    source_lookup,
    state_note,
    told_versions,
    versions,
    with_checked,
)
from aiorg.queries.firm_reach import Reach, reached
from aiorg.queries.inferred import SPELL_FIELDS, fields_of, infers, mark, name_text, named
from aiorg.queries.spell_narrowing import candidate_sql

#: the fields the filters read: a spell matches if any value a source gives them does
FILTERED = ("start", "end", "end_cause", "current", "area")
#: the fields a row shows, each with the value shown first when sources disagree
SHOWN = ("start", "end", "end_cause", "current", "title", "area", "certainty")


@dataclass(frozen=True, slots=True)
class SpellView:
    """A role spell as it stood on a day: a later end does not exist yet."""

    tenure: Tenure
    state: SpellState
    end: FuzzyDate | None
    cause: EndCause | None

    @classmethod
    def now(cls, tenure: Tenure) -> SpellView:
        """The spell as its source describes it."""
        return cls(tenure, tenure.state, tenure.end, tenure.end_cause)


def spell_view(kb: KnowledgeBase, tenure: Tenure, day: date, told_by: Tenure | None = None) -> SpellView | None:
    """The spell as it stood on `day`; None if it had not begun or the dates cannot tell. `tenure`
    may be one version of the spell `told_by` (aiorg.queries.common.versions): an undated end
    counts from when a source that gives its cause was published, not the spell's own source."""
    if started_by(tenure, day) is not Known.YES:
        return None
    ended = ended_by(tenure, day, _reported(kb, tenure, told_by or tenure))
    if ended is Known.UNDECIDED:
        return None
    if ended is Known.YES:
        return SpellView.now(tenure)
    state = SpellState.UNKNOWN if tenure.state is SpellState.UNKNOWN else SpellState.CURRENT
    return SpellView(tenure, state, None, None)


def _reported(kb: KnowledgeBase, version: Tenure, tenure: Tenure) -> FuzzyDate | None:
    """When the spell was first reported to have ended as `version` tells it: the earliest
    publication of a source giving its cause (README, --as-of: a spell a source calls former
    without a date ended at the latest when that source was published)."""
    if version.end_cause is None:
        return source_published(kb, tenure.source)  # it ended some other way: the spell's own word
    saying = [item.source for item in tenure.also if item.end_cause is version.end_cause]
    if tenure.end_cause is version.end_cause:
        saying.insert(0, tenure.source)
    dates = [d for d in (source_published(kb, s) for s in saying) if d is not None and d.latest is not None]
    return min(dates, key=lambda d: d.latest or date.max, default=None)


def source_published(kb: KnowledgeBase, source_id: str) -> FuzzyDate | None:
    """When a source was published, if it says."""
    source = kb.by_id.get(source_id)
    return source.published if isinstance(source, Source) else None


def tenure_row(
    kb: KnowledgeBase, tenure: Tenure, view: SpellView | None = None, source_of: SourceLookup | None = None
) -> Row:
    """One role spell as a row (as it stood on a day, when `view` says so). Where sources
    disagree the row shows the value shown first (aiorg.claims), `cause_text` lists every
    claimed cause ('advisor | left (disputed, 2 sources)'), `when` every claimed date of the
    end (or start) it shows ('2024-09 | by 2024-10 (disputed, 2 sources)'), and `disputed`
    names the fields. `start` and `end` are those of the version `view` describes: the one a
    filter matched, when the one shown first did not exist yet on the day. A value the spell
    marks inferred says so (aiorg.queries.inferred): its date in `when` ('c. 2025-06
    (inferred)'), its cause in `cause_text`, its person in `name`, its firm in `firm_name`, its
    titles in `title` and `title_zh`; `inferred` names every such field whose value the row shows
    (aiorg.queries.inferred.named), the ones it writes bare too (`start`, `end`, `kind`). A name
    the person's or firm's own record marks inferred is marked too (in `name`, `name_zh`,
    `firm_name`), though `inferred`, naming the spell's fields, does not name it."""
    source_of = source_of or source_lookup(kb)
    disputed = disputes(tenure) if tenure.also and may_disagree(tenure) else {}
    shown = shown_version(tenure, SHOWN, source_of)
    view = view or SpellView.now(shown)
    cause_text = CAUSE_TEXT[view.cause]
    cause_show = inferred_show(tenure, "end_cause", value_text)
    if view.cause is not None and "end_cause" in disputed:
        cause_text = dispute_note(disputed["end_cause"], source_of, cause_show)
    elif view.cause is not None and cause_show(view.cause).endswith(INFERRED):
        cause_text += INFERRED
    if "current" in disputed:
        cause_text = state_note(tenure, disputed["current"], source_of)
    # A row about an end (its cause, else its date) cites the first source giving the value it
    # shows, where that is another source than the record's own (aiorg.claims.cited).
    lent = None
    if view.cause is not None:
        lent = cited(tenure, "end_cause", source_of, view.cause)
    elif view.state is SpellState.ENDED and view.end is not None:
        lent = cited(tenure, "end", source_of, view.end)
    source: Tenure | Statement = lent or tenure
    person = kb.by_id[tenure.person]
    firm = kb.by_id[tenure.firm]
    ended = view.state is SpellState.ENDED
    when = view.end if ended else view.tenure.start
    dated_by = "end" if ended else "start"
    when_show = inferred_show(tenure, dated_by)  # an inferred date says so: '~2025-06 (inferred)'
    ongoing = {SpellState.CURRENT: True, SpellState.ENDED: False}.get(view.state)  # `current` as the row shows it
    values: dict[str, Any] = {"start": view.tenure.start, "end": view.end, "end_cause": view.cause, "current": ongoing}
    values |= {"title": shown.title, "area": shown.area, "certainty": shown.certainty}
    when_text = when_show(when) if when else NOT_STATED
    if when is not None and dated_by in disputed:
        when_text = dispute_note(disputed[dated_by], source_of, when_show)
    return {
        "person": tenure.person,
        "name": _person_name(tenure, person),
        "name_zh": mark(name_zh, person, "name_zh") if (name_zh := getattr(person, "name_zh", None)) else name_zh,
        "firm": tenure.firm,
        "firm_name": name_text(kb, firm.id, tenure, "firm"),
        "title": inferred_show(tenure, "title", str)(shown.title) if shown.title is not None else None,
        "title_zh": mark(tenure.title_zh, tenure, "title_zh") if tenure.title_zh is not None else None,
        "area": shown.area.value if shown.area else None,
        "kind": tenure.kind.value if tenure.kind else None,
        "state": view.state.value,
        "cause": view.cause.value if view.cause else None,
        "cause_text": cause_text,
        "formal_departure": view.cause in FORMAL_DEPARTURE_CAUSES,
        "start": view.tenure.start.text if view.tenure.start else None,
        "end": view.end.text if view.end else None,
        "when": when_text,
        "certainty": shown.certainty.value,
        "disputed": list(disputed),
        "inferred": named(fields_of(tenure), SPELL_FIELDS, values),
        "tenure": tenure.id,
        "source": source.source,
        "sources": sources_of(tenure),
        "quote": first_quote(list(source.quote)),
    }


def _person_name(tenure: Tenure, person: Any) -> str:
    """A row's `name`: marked when the spell infers its person, or the person's record its name."""
    return str(person.name) + (INFERRED if infers(tenure, "person") or infers(person, "name") else "")


def _refuse_contradictions(cause: EndCause | None, formal: bool, left: bool, window: Window) -> None:
    """Options that can never match together are a usage error, not an empty answer."""
    if formal and cause is not None and cause not in FORMAL_DEPARTURE_CAUSES:
        raise UsageError(f"--formal keeps only causes left and founded, so --cause {cause.value} can never match")
    if left and cause is not None and cause not in DEPARTURE_CAUSES:
        raise UsageError(f"--left lists departures, and --cause {cause.value} is not one (see --cause)")
    window.refuse_empty()


def people(
    kb: KnowledgeBase,
    *,
    left: str | None = None,
    joined: str | None = None,
    at: str | None = None,
    cause: EndCause | None = None,
    area: Area | None = None,
    formal: bool = False,
    window: Window = ANY_TIME,
    as_of: date | None = None,
) -> list[Row]:
    """Role spells matching every filter given, one row per spell, oldest first.

    left:   spells at the firm (or its units) that ended by departure: causes
            left, founded, advisor, reported. A demotion is not a departure.
            With formal=True only left and founded count.
    joined: spells at the firm that do not continue an earlier spell there.
    at:     spells at the firm that have not ended: stated current, or begun with no end
            stated, whose `cause_text` then says so ('end not stated', see `at_row`).
    as_of:  every filter sees the world as it stood on that day: a spell that ended by then
            is a departure, one still running is current, and one not yet begun does not
            exist. Spells whose dates cannot be placed before or after the day are left out;
            `people_undecided` lists them.
    """
    return _people(kb, left, joined, at, cause, area, formal, window, as_of)[0]


def people_undecided(kb: KnowledgeBase, **filters: Any) -> list[str]:
    """With as_of: the spells at the filtered firms left out because their dates cannot decide."""
    return _people(kb, **filters, limit=0)[1]  # no row to build


def _people(
    kb: KnowledgeBase,
    left: str | None = None,
    joined: str | None = None,
    at: str | None = None,
    cause: EndCause | None = None,
    area: Area | None = None,
    formal: bool = False,
    window: Window = ANY_TIME,
    as_of: date | None = None,
    limit: int | None = None,
) -> tuple[list[Row], list[str], int]:
    """The first `limit` rows (all when None), the spells left undecided, and how many match:
    every candidate is matched and keyed, and only the rows shown are built."""
    spell_filter = SpellFilter(left, joined, at, cause, area, formal, window, as_of)
    _refuse_contradictions(cause, formal, left is not None, window)
    filtered = [f for f in (left, joined, at) if f is not None]
    firm_filters = [firm_family(kb, f) for f in filtered]
    # a spell at a unit below a filtered firm only by an inferred parent link says so
    reaches = [Reach.listing(kb, f, family) for f, family in zip(filtered, firm_filters, strict=True)]
    if firm_filters:  # use the index: a large knowledge base never decodes every spell for one firm
        families = set.intersection(*firm_filters)
        if not families:
            raise UsageError(
                "--left, --joined and --at name different firms, and each row is one role spell at one firm; "
                "for people who moved between firms, use `aiorg flows --from FIRM --to FIRM`"
            )
        candidates = sorted(
            (t for f in families for t in kb.tenures_by_firm.get(f, [])), key=lambda t: kb.position(t.id)
        )
    else:
        departure = FORMAL_DEPARTURE_CAUSES if formal else DEPARTURE_CAUSES
        narrowing = candidate_sql(left is not None or formal, departure, cause, area, joined)
        candidates = cast(list[Tenure], kb.select("tenures", *narrowing))
    found: list[tuple[SpellKey, Tenure, SpellView]] = []
    undecided: list[str] = []
    # the names the rows are sorted on, and the sources ranked where sources disagree
    kb.prefetch(i for t in candidates for i in (t.person, *((t.source, *(a.source for a in t.also)) if t.also else ())))
    source_of = source_lookup(kb)
    for tenure in candidates:
        display = spell_filter.match(kb, tenure, source_of)
        if isinstance(display, SpellView):
            found.append((spell_key(kb, tenure, display), tenure, display))
        elif display is UNDECIDED:
            undecided.append(tenure.id)
    found.sort(key=lambda item: item[0])
    shown = found if limit is None else found[:limit]
    rows = spell_rows(kb, [(tenure, display) for _, tenure, display in shown], at is not None)
    return [reached(row, [row["firm"]], reaches, "firm_name") for row in rows], undecided, len(found)


#: a spell the filters leave out because its dates cannot place it before or after --as-of
UNDECIDED = "undecided"

#: how `people` orders its rows: by the date a row shows (its end, else its start; an undated one
#: last), earliest possible day first, then latest, then the person's name as stated, then the id
SpellKey = tuple[str, str, str, str]


def spell_key(kb: KnowledgeBase, tenure: Tenure, display: SpellView) -> SpellKey:
    """The key `people` sorts a spell's row on (dates as ISO text, which sorts as the dates do)."""
    low, high = _sort_date(display.end or display.tenure.start)
    name = kb.by_id[tenure.person].name  # type: ignore[union-attr]  # by name as stated, not as marked
    return low.isoformat(), high.isoformat(), name, tenure.id


def spell_rows(kb: KnowledgeBase, shown: list[tuple[Tenure, SpellView]], at: bool) -> list[Row]:
    """The rows of `people` for spells as the filters matched them (see `SpellFilter.match`)."""
    kb.prefetch(i for tenure, _ in shown for i in (tenure.person, tenure.firm, tenure.source))
    source_of = source_lookup(kb)
    rows = []
    for tenure, display in shown:
        row = tenure_row(kb, tenure, display, source_of)
        rows.append(at_row(row) if at else row)
    return with_checked(kb, rows)


@dataclass(frozen=True, slots=True)
class SpellFilter:
    """The filters of `people` (see there), matched on one spell at a time."""

    left: str | None
    joined: str | None
    at: str | None
    cause: EndCause | None
    area: Area | None
    formal: bool
    window: Window
    as_of: date | None

    def matches(self, tenure: Tenure, view: SpellView) -> bool:
        """Whether one version of a spell, as it stood, passes every filter but the firm's."""
        departure = FORMAL_DEPARTURE_CAUSES if self.formal else DEPARTURE_CAUSES
        if (self.left is not None or self.formal) and view.cause not in departure:
            return False
        if self.at is not None and view.state is SpellState.ENDED:
            return False
        if self.cause is not None and view.cause is not self.cause:
            return False
        if self.window.open:
            return True
        if self.left is not None or self.cause is not None:
            return self.window.admits(view.end)
        return self.window.admits(tenure.start if self.joined else view.end or tenure.start)

    def match(self, kb: KnowledgeBase, tenure: Tenure, source_of: SourceLookup) -> SpellView | str | None:
        """The spell as its row shows it when any version its sources tell matches; UNDECIDED
        when none does but the dates (as of a day) cannot place one that could; else None."""
        as_of, matches = self.as_of, self.matches
        if self.joined is not None and tenure.replaces is not None:
            return None
        # Every version its sources tell, the one shown first tried first (README, "When sources disagree").
        shown = shown_version(tenure, SHOWN, source_of)
        told = [shown]
        for version in (*told_versions(tenure, FILTERED), *versions(tenure, FILTERED)):
            if not any(_same(version, old) for old in told):
                told.append(version)
        found: SpellView | None = None
        unplaced = False
        for version in told:
            if self.area is not None and version.area is not self.area:
                continue
            view = SpellView.now(version) if as_of is None else spell_view(kb, version, as_of, tenure)
            if view is None:
                assert as_of is not None
                # Left out because the dates cannot place it; say so if either way it could match.
                running = SpellView(version, SpellState.CURRENT, None, None)
                if started_by(version, as_of) is not Known.NO and (
                    matches(version, SpellView.now(version)) or matches(version, running)
                ):
                    unplaced = True
            elif matches(version, view):
                found = view
                break
        if found is None:
            return UNDECIDED if unplaced else None
        shown_view = SpellView.now(shown) if as_of is None else spell_view(kb, shown, as_of, tenure)
        display = found if shown_view is None or found.tenure is shown else shown_view
        if found.cause is not None and display.cause is None:
            display = found  # another source's version ended it by then: show that, marked disputed
        return display


#: how a `--at` row says that no source ends its spell, nor says it is still held
NO_END = "end not stated"


def at_row(row: Row) -> Row:
    """A row of `people(at=...)`: one whose spell no source ends nor calls current (state
    unknown) says so in `cause_text` ('end not stated'), so that a role the sources only say
    began never reads as one they say is still held, in JSON, CSV or a table alike. A spell
    whose state is disputed keeps its dispute note, which says more.

    A planned spell (certainty `planned`: announced, not yet in effect when its source wrote)
    is left as it is: it may not have begun, so "end not stated" would imply it did, and its
    Certainty, which a table never hides while a row is not confirmed, already says planned.
    Only this listing marks it: a profile's career and the other filters show the state bare."""
    if row["state"] != SpellState.UNKNOWN.value or row["cause_text"] or row["certainty"] == Certainty.PLANNED.value:
        return row
    return row | {"cause_text": NO_END}


def _same(one: Tenure, other: Tenure) -> bool:
    return all(getattr(one, name) == getattr(other, name) for name in FILTERED)


def _sort_date(when: FuzzyDate | None) -> tuple[date, date]:
    """Oldest first, by the date the row shows (as of a day, a later end does not count)."""
    return when.sort_key() if when else (date.max, date.max)
