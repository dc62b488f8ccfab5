"""Talent flows between firms, from role moves and deals."""

from __future__ import annotations

from typing import Any, cast

from aiorg.claims import SourceLookup, Statement, claimed_values, disputes, shown_value, statements
from aiorg.dates import FuzzyDate
from aiorg.kb import KnowledgeBase
from aiorg.model import (
    Certainty,
    Deal,
    Firm,
    SpellState,
    StatusEntry,
    Tenure,
)
from aiorg.queries.common import (
    INFERRED,
    Row,
    family_from,
    first,
    in_list,
    shown_version,
    source_lookup,
    units_by_parent,
)
from aiorg.queries.firm_reach import Reach, reached
from aiorg.queries.flow_rows import FlowAnswer, ancestors, flow_row, grouped, ordered, shown_at
from aiorg.queries.flows_page import flows_page
from aiorg.queries.inferred import infers, mark_shown
from aiorg.queries.kept import code_salt, made_from

#: the cache area plain `flows`' first rows are kept in (`_plain_page`)
AREA = "flows"


def _current_spell(kb: KnowledgeBase, person_id: str) -> Tenure | None:
    """The person's one spell that has not ended (None when there is none, or more than one)."""
    spells = [t for t in kb.tenures_by_person.get(person_id, []) if t.state is not SpellState.ENDED]
    return spells[0] if len(spells) == 1 else None


def _candidates(
    kb: KnowledgeBase, origins: set[str] | None, destinations: set[str] | None
) -> tuple[list[Tenure], list[Deal]]:
    """Spells and deals that may carry a move from `origins` to `destinations` (None: any),
    in file order; `_moves` decides."""
    spells, deals = ['"after" IS NOT NULL'], ["superseded_by IS NULL", "seq IN (SELECT seq FROM deals_people)"]
    spell_values: list[str] = []
    deal_values: list[str] = []
    if destinations:
        spells.append(f"firm IN {in_list(destinations)}")
        spell_values += destinations
        deals.append(f"seq IN (SELECT seq FROM deals_buyers WHERE value IN {in_list(destinations)})")
        deal_values += destinations
    if origins:
        spells.append(f'"after" IN (SELECT "id" FROM tenures WHERE firm IN {in_list(origins)})')
        spell_values += origins
        staff = f"SELECT person FROM tenures WHERE firm IN {in_list(origins)}"
        deals.append(
            f"(seq IN (SELECT seq FROM deals_targets WHERE value IN {in_list(origins)}) OR seq IN"
            f" (SELECT seq FROM deals_people WHERE value IN ({staff})))"
        )
        deal_values += [*origins, *origins]
    return (
        cast(list[Tenure], kb.select("tenures", " AND ".join(spells), tuple(spell_values))),
        cast(list[Deal], kb.select("deals", " AND ".join(deals), tuple(deal_values))),
    )


def _moves(kb: KnowledgeBase, tenures: list[Tenure], deals: list[Deal]) -> list[Row]:
    """Every single move of a person between firms these spells and deals carry, with its evidence.
    A spell's or a deal step's certainty is the one shown first (aiorg.claims), as `people` shows it."""
    kb.prefetch([*(t.after or "" for t in tenures), *(i for d in deals for i in (*d.targets, *d.buyers, *d.people))])
    source_of = source_lookup(kb)
    moves: list[Row] = []
    for tenure in tenures:
        previous = kb.by_id.get(tenure.after or "")
        if isinstance(previous, Tenure):
            certainty = shown_value(tenure, "certainty", source_of)
            status = "moved" if certainty is Certainty.CONFIRMED else certainty.value
            marked = mark_shown(status, tenure, "certainty", certainty)  # the certainty its source implies
            left = shown_value(previous, "certainty", source_of)
            rests = {
                # the spell left, when its firm is inferred or the whole spell is (its certainty)
                "origin": infers(previous, "firm") or left is Certainty.INFERRED,
                "destination": infers(tenure, "firm"),
                "move": infers(tenure, "after"),
            }
            moves.append(
                {
                    "person": tenure.person,
                    "origin": previous.firm,
                    "left": previous.id,  # the spell the person leaves (flow_rows.shown_at)
                    "destination": tenure.firm,
                    "evidence": tenure.id,
                    "status": marked + _disputed(previous, tenure) + _inferred(tenure.person, rests),
                    "when": (tenure.start or previous.end or tenure.end),
                    # the person who left or who joined
                    "person_inferred": infers(tenure, "person") or infers(previous, "person"),
                    # its status: 'inferred' (the spell joined is inferred as a whole), or marked so
                    "inferred": _resting(rests, certainty is Certainty.INFERRED or marked != status),
                }
            )
    for deal in deals:
        if deal.superseded_by:
            continue  # the deal that replaced it carries the move
        latest = deal.history[-1]
        # its latest step's status is inferred, or the whole step is (its certainty shown first)
        status_inferred = infers(latest, "status") or shown_value(latest, "certainty", source_of) is Certainty.INFERRED
        status = f"deal {deal.status.value}{INFERRED if status_inferred else ''}"
        certainty_disputed = disputes(latest).get("certainty", []) if latest.also else []
        for person in deal.people:
            origins = [t for t in deal.targets if t != person and isinstance(kb.by_id.get(t), Firm)]
            if origins:
                origin: str | None = origins[0]
                rests = {"origin": infers(deal, "targets")}
            else:  # the deal names no firm the person leaves: the person's current firm
                spell = _current_spell(kb, person)
                origin = spell.firm if spell is not None else None
                # no origin at all is no inferred one: such a move is in no row (`flow_answer`)
                rests = {"origin": spell is not None and not _placed(spell, deal, source_of)}
            rests["destination"] = infers(deal, "buyers")
            left = _spell_on(kb, person, origin, deal) if origin is not None else None
            for buyer in deal.buyers:
                # a current spell at the buyer itself (the one the deal began, say) places the
                # person after the move, not before it: such an origin is never a stated one
                if not origins and origin == buyer:
                    rests = rests | {"origin": True}
                moves.append(
                    {
                        "person": person,
                        "origin": origin,
                        "left": left,
                        "destination": buyer,
                        "evidence": deal.id,
                        "status": status + _dispute_note(person, certainty_disputed) + _inferred(person, rests),
                        "when": deal.date,
                        "person_inferred": infers(deal, "people"),
                        "inferred": _resting(rests, status_inferred),
                    }
                )
    return moves


def _spell_on(kb: KnowledgeBase, person: str, firm: str, deal: Deal) -> str | None:
    """The id of the person's one spell at `firm` on the deal's date, the spell a deal's move
    leaves (None when it cannot be told: no spell there, or more than one the dates leave open).
    A spell is ruled out when, for every date a source gives the deal's dated step, every start a
    source gives it is after that date, or every end before it; an undated deal rules none out."""
    step = _dated_step(deal)
    days = claimed_values(step, "date") if step is not None else []
    found = [
        spell.id
        for spell in kb.tenures_by_person.get(person, [])
        if spell.firm == firm and not (days and all(_ruled_out(spell, day) for day in days))
    ]
    return found[0] if len(found) == 1 else None


def _ruled_out(spell: Tenure, day: FuzzyDate) -> bool:
    """Whether the spell was certainly not held on `day`: every start given is after it, or every end before it."""
    starts, ends = claimed_values(spell, "start"), claimed_values(spell, "end")
    late = bool(starts) and all(day.before(start) for start in starts)
    return late or (bool(ends) and all(end.before(day) for end in ends))


#: the fields of a person's current spell that place the person at its firm on a deal's date
_PLACING_FIELDS = ("person", "firm", "start", "current", "certainty")


def _placed(spell: Tenure, deal: Deal, source_of: SourceLookup) -> bool:
    """Whether the person's current spell states that the person was at its firm on the deal's
    date, so that an origin taken from it is no inference: the spell is stated (its certainty
    shown first is not `inferred`, nor `planned`, and it marks none of `_PLACING_FIELDS`
    inferred), it is shown as ongoing, and it had begun by the deal's date (`_began_by`), a date
    the deal's step does not mark inferred."""
    shown = shown_version(spell, ("start", "end", "end_cause", "current", "certainty"), source_of)
    if shown.certainty in (Certainty.INFERRED, Certainty.PLANNED) or shown.state is not SpellState.CURRENT:
        return False
    if any(infers(spell, name) for name in _PLACING_FIELDS):
        return False
    step = _dated_step(deal)
    if step is None or infers(step, "date"):
        return False
    return all(_began_by(spell, day, source_of) for day in claimed_values(step, "date"))


def _dated_step(deal: Deal) -> StatusEntry | None:
    """The step that gives the deal its date (model.Deal.date): its latest dated one."""
    return next((step for step in reversed(deal.history) if step.date is not None), None)


def _began_by(spell: Tenure, day: FuzzyDate, source_of: SourceLookup) -> bool:
    """Whether an ongoing spell had begun by `day`: every start its sources give is no later
    than `day` (`_no_later`); with no start given, a source that calls it current was published
    no later than `day` (it was held then, and has not ended since)."""
    starts = claimed_values(spell, "start")
    if starts:
        return all(_no_later(start, day) for start in starts)
    saying = [claim for claim in statements(spell, "current") if claim.value is True]
    return any(_no_later(published, day) for claim in saying if (published := _published(claim, source_of)))


def _published(claim: Statement, source_of: SourceLookup) -> FuzzyDate | None:
    source = source_of(claim.source)
    return source.published if source is not None else None


def _no_later(first: FuzzyDate, then: FuzzyDate) -> bool:
    """Whether date `first` is no later than `then` as the two are written: neither of its bounds
    is later than the same bound of `then` ('2024-06' is no later than '2024-06', nor than
    '2024-07'; '2024' is later than '2024-06', for it may be December)."""
    low = first.earliest is None or (then.earliest is not None and first.earliest <= then.earliest)
    high = then.latest is None or (first.latest is not None and first.latest <= then.latest)
    return low and high


def _inferred(person: str, rests: dict[str, bool]) -> str:
    """' (sun-yu: origin, move inferred)': what a person's move rests on that is an inference (the
    `rests` that are true): its `origin` firm (a spell's firm its record marks inferred, or a spell
    inferred as a whole; a deal's targets, or the person's current firm where the deal names no
    firm the person leaves and that spell does not state the person was there on the deal's date:
    `_placed`), its `destination` (a spell's firm, a deal's buyers), or the `move` itself (the
    spell that follows another: its `after`); else ''."""
    names = [what for what, inferred in rests.items() if inferred]
    return f" ({person}: {', '.join(names)} inferred)" if names else ""


#: the fields of the spell left and of the spell joined that say a move happened, when, and how
#: firmly
_MOVE_FIELDS = (("end", "end_cause", "current", "certainty"), ("after", "start", "certainty"))


def _resting(rests: dict[str, bool], status: bool) -> set[str]:
    """What a move rests on that is an inference, as a row's `inferred` names it: the `rests` its
    status note names (`_inferred`), and `status` when the status itself is marked inferred."""
    return {what for what, inferred in rests.items() if inferred} | ({"status"} if status else set())


def _disputed(left: Tenure, joined: Tenure) -> str:
    """' (sun-yu: end_cause disputed, 2 sources)' when the sources of either spell disagree on
    whether, when or how firmly the person left or joined (one says he never left, one that the
    move is only inferred); else ''. (A flow groups people, so the note names whose move it is.)"""
    claims = [
        claim
        for spell, fields in zip((left, joined), _MOVE_FIELDS, strict=True)
        if spell.also
        for name, disputed in disputes(spell).items()
        if name in fields
        for claim in disputed
    ]
    return _dispute_note(joined.person, claims)


def _dispute_note(person: str, claims: list[Statement]) -> str:
    """' (sun-yu: end_cause, certainty disputed, 3 sources)': the fields these disputed claims
    are on, and how many sources make them; '' for none."""
    if not claims:
        return ""
    names = ", ".join(dict.fromkeys(claim.field for claim in claims))
    return f" ({person}: {names} disputed, {len({claim.source for claim in claims})} sources)"


def flows(kb: KnowledgeBase, *, origin: str | None = None, destination: str | None = None) -> list[Row]:
    """Talent flow between firms: origin → destination with the people, from role moves and deals.

    A move is a role spell whose `after` names a spell at another firm, or a deal that
    moves people to its buyer (from the target firm, or the person's current firm).
    Origins and destinations match a firm or any of its units. A person's moves that leave the
    same spell into a firm and into a unit of it are one move, shown once at the unit
    (aiorg.queries.flow_rows.shown_at): Scale AI → Meta superintelligence team, with the deal's
    status 'deal agreed (to Meta)' beside the spell's 'planned'. The spell a deal leaves is the
    person's one spell at the origin its dates leave open (`_spell_on`); a move whose spell cannot
    be told, or into a unit whose parent link is inferred (`_stated_units`), is merged with none.
    A person whose origin is not stated (a deal that names no firm the person leaves, for a person
    with no one current spell) is in a row from origin None, 'not stated' (`flow_answer`).

    What a move rests on that is an inference says so: the name in `names` of a person every one
    of whose moves there rests on an inferred person ('Sun Yu (inferred)'), a name in `names`,
    `origin_name` or `destination_name` whose record marks it inferred (`name_text`), and a
    move's `status` ('moved (inferred)' for an inferred certainty, 'inferred' for a spell inferred
    as a whole, 'deal agreed (inferred)' for an inferred status or a latest step inferred as a
    whole, each certainty the one shown first, and ' (sun-yu: origin, destination, move
    inferred)' after it: `_inferred`). An origin a deal does not name, worked out as the person's
    current firm, is an inferred origin unless that spell states the person was there on the
    deal's date (`_placed`). Sources that disagree on a move say so after its status
    (' (sun-yu: certainty disputed, 2 sources)': `_disputed`).

    A row's `inferred` names what at least one of its moves rests on that is an inference, for a
    machine to read without parsing those notes (aiorg.queries.inferred.FLOW_FIELDS): `origin`,
    `destination` and `move` as the status notes name them, `people` when a name in `names` is
    marked for resting on an inferred person, `status` when a status is an inference. A name
    marked because its own record infers it is marked in the text only, as in `people`.
    """
    return flow_answer(kb, origin=origin, destination=destination).rows


def flow_answer(
    kb: KnowledgeBase, *, origin: str | None = None, destination: str | None = None, limit: int | None = None
) -> FlowAnswer:
    """`flows`' rows with those of the moves no firm the person leaves is stated for (a deal that
    names no firm its person leaves, for a person with no one current spell), each such row with
    origin None and origin_name 'not stated', how many distinct people the rows hold, and how many
    are in those with no stated origin (aiorg.queries.flow_rows.FlowAnswer). With `origin`, such a
    move is in a row only for a person with a spell at the origin or one of its units (the person
    may have left from there; the row does not say so). Such moves are merged with none.
    With `limit`, only the first `limit` rows are built (the counts are of the whole answer)."""
    if limit is not None and origin is None and destination is None:
        return _plain_page(kb, limit)
    return _answer(kb, origin, destination, limit)


#: the kinds plain `flows`' first rows are made from (tests/test_flows_kept.py checks that making
#: them reads no other kind's records): an edit of any other kind's file keeps them
READ = ("sources", "groups", "firms", "people", "products", "tenures", "deals")
#: the code that decides them (the same test checks that every module that runs is named here)
CODE = ("queries/flows", "queries/flows_page", "queries/flow_rows", "queries/common", "queries/inferred",
        "queries/firm_reach", "queries/kept", "claims", "step_marks", "dates", "money", "codec", "model", "kb",
        "kb_groups", "store/read", "store/write", "store/schema")  # fmt: skip


def _plain_page(kb: KnowledgeBase, limit: int) -> FlowAnswer:
    """The first `limit` rows of plain `flows` and the whole answer's counts: kept beside the
    store with the files of the kinds they are made from (READ), so that only an edit of one of
    those makes them again (grouping every move takes 1.5 s at 100k people)."""

    def make() -> tuple[Any, ...]:
        units = units_by_parent(kb)
        page = flows_page(kb, limit, lambda spells, deals: _shown(kb, _moves(kb, spells, deals), units))
        found = page if page is not None else _answer(kb, None, None, limit)
        return (found.rows, found.people, found.unstated, found.total, found.summed)

    rows, people, unstated, total, summed = made_from(kb, AREA, f"page {limit}", code_salt(CODE), READ, make)
    return FlowAnswer(rows, people, unstated, total, summed)


def _answer(kb: KnowledgeBase, origin: str | None, destination: str | None, limit: int | None) -> FlowAnswer:
    """`flow_answer`, grouping every move there may be."""
    units = units_by_parent(kb)
    origin_family = family_from(origin, units) if origin else None
    destination_family = family_from(destination, units) if destination else None
    # a move into a firm above the destination may be shown at a unit of it (flow_rows.shown_at)
    reach = destination_family | ancestors(destination, units) if destination and destination_family else None
    moves = _moves(kb, *_candidates(kb, origin_family, reach))
    if origin_family is not None:  # a move of no stated origin: only of a person who was there
        moves = [m for m in moves if isinstance(m["origin"], str) or _was_at(kb, str(m["person"]), origin_family)]
    entries = {
        key: entry
        for key, entry in grouped(kb, _shown(kb, moves, units)).items()
        if (origin_family is None or key[0] is None or key[0] in origin_family)
        and (destination_family is None or key[1] in destination_family)
    }
    people = len({person for entry in entries.values() for person in entry["people"]})
    unstated = len({person for key, entry in entries.items() if key[0] is None for person in entry["people"]})
    counts = {key: len(entry["people"]) for key, entry in entries.items()}
    keys = ordered(kb, counts)[: first(limit, len(counts))]
    # a row at a unit below --from or --to only by an inferred parent link says so on that side
    reaches = [
        Reach.listing(kb, f, fam) if f and fam else None
        for f, fam in ((origin, origin_family), (destination, destination_family))
    ]
    rows = [_reached(flow_row(kb, key, entries[key]), *reaches) for key in keys]
    return FlowAnswer(rows, people, unstated, len(counts), sum(counts.values()))


def _reached(row: Row, origin: Reach | None, destination: Reach | None) -> Row:
    """A flow row with what it rests on when its origin (or destination) is below --from (--to)
    only by an inferred parent link (aiorg.queries.firm_reach.reached)."""
    row = reached(row, [row["origin"]] if row["origin"] else [], [origin], "origin_name")
    return reached(row, [row["destination"]], [destination], "destination_name")


def _shown(kb: KnowledgeBase, moves: list[Row], units: dict[str, list[str]]) -> list[tuple[str, Row, str | None]]:
    """The entries of rows of these moves (`flow_answer`): those of a stated origin where
    flow_rows.shown_at shows them, then those of none."""
    placed = [move for move in moves if isinstance(move["origin"], str)]
    unplaced = [(str(move["destination"]), move, None) for move in moves if not isinstance(move["origin"], str)]
    return shown_at(placed, _stated_units(kb, units)) + unplaced


def _stated_units(kb: KnowledgeBase, units: dict[str, list[str]]) -> dict[str, list[str]]:
    """`units` without the links a unit's record marks inferred (`inferred: [parent]`): a merge
    of two moves into one (flow_rows.shown_at) rests on no inference."""
    kb.prefetch([unit for below in units.values() for unit in below])
    return {parent: [unit for unit in below if not infers(kb.by_id[unit], "parent")] for parent, below in units.items()}


def _was_at(kb: KnowledgeBase, person: str, firms: set[str]) -> bool:
    """Whether the person has a role spell at one of `firms`."""
    return any(spell.firm in firms for spell in kb.tenures_by_person.get(person, []))
