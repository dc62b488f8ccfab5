"""Firms as rows, and everything about one person or one firm.

A name, alias, title or text a record marks inferred says so where a row writes it
(aiorg.queries.inferred). Each row of a profile's sections names, in its `inferred`, the fields
of its record whose values it shows are inferences: the ids, ISO dates and numbers a machine
reads bare (a career's `start`, a metric's `subject`) among them. A profile's `inferred` (last)
gives the same for its own record (under `person` or `firm`) and, one list per row, for each
section (sections with none left out).

A firm's units and groups are ids, bare too; its `inferred` gives one list per unit and per
group (left out when all are empty) naming what the listing rests on that is an inference: a
unit's `["parent"]` when it is below the firm through a parent its record (or one between them)
marks inferred, a group's `["certainty"]` when the group's certainty is `inferred` (its
membership is read, not stated). A row of a firm's profile there only through such links, or a
product's inferred maker, names them too (aiorg.queries.firm_reach): a strategy claim shown
only through groups the firm is an inferred member of names `via`. A firm's row counts its
departures by what each was (aiorg.queries.firm_counts).
"""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from aiorg.claims import shown_value
from aiorg.countries import same_country, spellings
from aiorg.dates import NOT_STATED
from aiorg.kb import KnowledgeBase
from aiorg.model import (
    DEPARTURE_CAUSES,
    Deal,
    EndCause,
    Event,
    Firm,
    Person,
    Source,
    Tenure,
)
from aiorg.queries.common import (
    Page,
    Row,
    claims_naming,
    deals_naming,
    events_naming,
    family_from,
    firm_family,
    first,
    first_quote,
    inferred_show,
    metrics_of,
    products_of,
    quote_checker,
    source_lookup,
    units_by_parent,
)
from aiorg.queries.common import (
    in_list as _in,
)
from aiorg.queries.deals import deal_row
from aiorg.queries.firm_counts import COUNTS, chunks, family_counts, resting_on_parents
from aiorg.queries.firm_reach import Reach
from aiorg.queries.inferred import (
    firm_inferred,
    group_inferred,
    mark,
    mark_each,
    shown_inferred,
    under_inferred,
    unshown,
)
from aiorg.queries.people import tenure_row
from aiorg.queries.timeline import event_text


def firm_row(kb: KnowledgeBase, firm: Firm) -> Row:
    """One firm as a row, with counts of its people, departures by cause and deals."""
    return firm_rows(kb, [firm])[0]


def firm_rows(kb: KnowledgeBase, firms: list[Firm]) -> list[Row]:
    """Firms as rows, with the counts of each firm's family (aiorg.queries.firm_counts); `inferred`
    names the counts that count something only through a unit below it by an inferred parent."""
    units = units_by_parent(kb)
    families = {firm.id: family_from(firm.id, units) for firm in firms}
    counts = family_counts(kb, families)
    rows = []
    for firm in firms:
        family, counted = families[firm.id], counts[firm.id]
        resting = resting_on_parents(kb, firm.id, family, counted) if len(family) > 1 else []
        rows.append(
            {
                "firm": firm.id,
                "name": mark(firm.name, firm, "name"),
                "name_zh": mark(firm.name_zh, firm, "name_zh") if firm.name_zh else firm.name_zh,
                "aliases": _aliases(firm),
                "country": firm.country,
                "category": firm.category.value if firm.category else None,
                "groups": firm.groups,
                "parent": firm.parent,
                **counted,
                "inferred": firm_inferred(kb, firm) + resting,
            }
        )
    return rows


def firms(
    kb: KnowledgeBase, *, group: str | None = None, country: str | None = None, only: set[str] | None = None
) -> list[Row]:
    """Firms in a group and/or country (or among `only`), by name. `country` is a code, as
    aiorg.countries.parse_country gives it; a firm's country may be written any known way."""
    return firms_page(kb, group=group, country=country, only=only).rows


def firms_page(
    kb: KnowledgeBase,
    *,
    group: str | None = None,
    country: str | None = None,
    only: set[str] | None = None,
    limit: int | None = None,
) -> Page:
    """The first `limit` rows of `firms` (all when None) and how many firms match: the firms are
    picked and sorted on the store's typed columns, and only the firms shown are read and counted."""
    where, parameters = [], []
    if group is not None:
        where.append("seq IN (SELECT seq FROM firms_groups WHERE value = ?)")
        parameters.append(group)
    if country is not None:  # SQLite folds only ASCII case: let through what it cannot fold (other
        # letters, tabs, spaces doubled or at an end), for same_country to decide
        ascii_spellings = sorted(s for s in spellings(country) if s.isascii())
        unfolded = "country GLOB '*[^ -~]*' OR country GLOB '*  *' OR country GLOB ' *' OR country GLOB '* '"
        where.append(f"(lower(country) IN {_in(ascii_spellings)} OR {unfolded})")
        parameters += ascii_spellings
    if only is not None:
        where.append(f'"id" IN {_in(only)}')
        parameters += sorted(only)
    condition = f" WHERE {' AND '.join(where)}" if where else ""
    listed = kb.query(f"SELECT seq, name, country FROM firms{condition}", tuple(parameters))
    picked = sorted(
        (str(name).casefold(), int(seq))
        for seq, name, firm_country in listed
        if country is None or (firm_country is not None and same_country(str(firm_country), country))
    )
    shown = [seq for _, seq in picked[: first(limit, len(picked))]]
    by_seq: dict[int, Firm] = {}
    for chunk in chunks(shown):
        for seq, row in kb.select_tuples("firms", f"seq IN {_in(chunk)}", tuple(chunk)):
            by_seq[seq] = cast(Firm, kb.decoded("firms", seq, row))
    return Page(firm_rows(kb, [by_seq[seq] for seq in shown]), len(picked))


def countries_in(kb: KnowledgeBase) -> list[str]:
    """Every country some firm is in, as the data writes it."""
    return [str(value) for (value,) in kb.query("SELECT DISTINCT country FROM firms WHERE country IS NOT NULL")]


def _citations(kb: KnowledgeBase, record_ids: list[str]) -> list[Row]:
    """Every claim on these records, each with its source, the field(s) it states, its quote and
    the quote's locator (or 'unchecked'): see aiorg.queries.sources."""
    from aiorg.queries.sources import named_claims

    return named_claims(kb, record_ids)


#: the text a row shows for a record's field, where a dispute on that field is written instead
_SHOWN_AS = {
    "tenures": {"end_cause": "cause_text", "current": "cause_text"},
    "deals": {"amount": "amount", "valuation": "valuation"},
}


def _with_disputes(kb: KnowledgeBase, row: Row, record: Any, kind: str) -> Row:
    """A career or deal row whose disputed fields say so: 'left | advisor (disputed, 2 sources)'
    in the column that shows the field. A row that marks its disputes itself (a `disputed` key,
    or the note already written) is left as it is."""
    from aiorg.claims import dispute_note, disputes

    if "checked" not in row:
        row["checked"] = quote_checker(kb)(row["source"], row["quote"])
    if "disputed" in row:
        return row

    def source_of(source_id: str) -> Source | None:
        found = kb.by_id.get(source_id)
        return found if isinstance(found, Source) else None

    for name, claims in disputes(record).items():
        key = _SHOWN_AS[kind].get(name)
        if key is not None and "(disputed" not in str(row.get(key) or ""):
            row[key] = dispute_note(claims, source_of)
    return row


def _aliases(record: Person | Firm) -> list[str]:
    """A person's or firm's other names, each marked when the record marks its list inferred."""
    return [*mark_each(record.aliases, record, "aliases"), *mark_each(record.former_names, record, "former_names")]


def person_profile(kb: KnowledgeBase, person_id: str) -> dict[str, Any]:
    """Everything about one person: names, career in order, deals and offers, events, quotes."""
    person = kb.by_id[person_id]
    assert isinstance(person, Person)
    spells = sorted(kb.tenures_by_person.get(person_id, []), key=_spell_order)
    person_deals = kb.deals_by_party.get(person_id, [])
    person_events = [e for e in events_naming(kb, {person_id}) if person_id in e.subjects]
    profile = {
        "person": person_id,
        "name": mark(person.name, person, "name"),
        "name_zh": mark(person.name_zh, person, "name_zh") if person.name_zh else person.name_zh,
        "aliases": _aliases(person),
        "career": [_with_disputes(kb, tenure_row(kb, t), t, "tenures") for t in spells],
        "deals": [_with_disputes(kb, deal_row(kb, d), d, "deals") for d in person_deals],
        "events": [_event_row(kb, e) for e in person_events],
        "quotes": _citations(
            kb, [person_id, *(t.id for t in spells), *(d.id for d in person_deals), *(e.id for e in person_events)]
        ),
    }
    return profile | {"inferred": _inferred(("person", shown_inferred(person)), profile, PERSON_SECTIONS)}


#: the sections of a person's and of a firm's profile whose rows name their inferences
PERSON_SECTIONS = ("career", "deals", "events")
FIRM_SECTIONS = (
    "people_joined", "people_left", "people_demoted", "deals_as_buyer", "deals_as_target", "products", "metrics",
    "claims", "events",
)  # fmt: skip


def firm_profile(kb: KnowledgeBase, firm_id: str) -> dict[str, Any]:
    """Everything about one firm: people in and out, deals on each side, products, metrics, claims.
    A row there only through an inferred link says so in its `inferred` (aiorg.queries.firm_reach)."""
    firm = kb.by_id[firm_id]
    assert isinstance(firm, Firm)
    family = firm_family(kb, firm_id)
    # In file order, then by date: the order of the family (a set) must not decide ties.
    spells = sorted(cast(list[Tenure], kb.select("tenures", f"firm IN {_in(family)}", tuple(family))), key=_spell_order)
    firm_deals = deals_naming(kb, family)
    products = products_of(kb, family)
    product_ids = {p.id for p in products}
    groups = set(firm.groups)
    metrics = [m for m in metrics_of(kb, family | product_ids) if m.subject in family | product_ids]
    claims = [c for c in claims_naming(kb, family | groups) if set(c.subjects) & (family | groups)]
    about = family | product_ids | groups
    events = [e for e in events_naming(kb, about) if set(e.subjects) & about]
    reach = Reach(kb, firm, family, products)

    def spell(tenure: Tenure) -> Row:
        return _through(_spell(kb, tenure), reach.through([tenure.firm]))

    def deal(record: Deal, parties: list[str]) -> Row:
        return _through(_with_disputes(kb, deal_row(kb, record), record, "deals"), reach.through(parties))

    row = firm_row(kb, firm)
    resting = [name for name in row.pop("inferred") if name in COUNTS]  # the profile's `inferred` comes last
    units = sorted(family - {firm_id})
    profile = {
        **row,
        "units": units,
        "people_joined": [spell(t) for t in spells if t.replaces is None],
        "people_left": [spell(t) for t in spells if t.end_cause in DEPARTURE_CAUSES],
        "people_demoted": [spell(t) for t in spells if t.end_cause is EndCause.DEMOTED],
        "deals_as_buyer": [deal(d, d.buyers) for d in firm_deals if family & set(d.buyers)],
        "deals_as_target": [deal(d, [*d.targets, *d.people]) for d in firm_deals if family & {*d.targets, *d.people}],
        "products": [
            {
                "product": p.id,
                "name": mark(kb.name_of(p.id), p, "name"),
                "kind": p.kind.value,
                "category": p.category,
                "former_names": mark_each(p.former_names, p, "former_names"),
                "inferred": _merged(shown_inferred(p), reach.through([p.id])),
            }
            for p in products
        ],
        "metrics": [
            {
                "metric": m.metric,
                "subject": m.subject,
                "value": m.value,
                "unit": m.unit,
                "bound": m.bound,
                "as_of": m.as_of.text if m.as_of else None,
                "certainty": m.certainty.value,
                "inferred": _merged(shown_inferred(m), reach.through([m.subject])),
                "source": m.source,
                "quote": first_quote(m.quote),
                "checked": quote_checker(kb)(m.source, first_quote(m.quote)),
            }
            for m in metrics
        ],
        "claims": [
            {
                "claim": c.id,
                "strategy": c.strategy.value,
                "text": mark(c.text, c, "text") + unshown(c, ("subjects",)),
                "via": [s for s in c.subjects if s in groups],
                # where sources disagree, the certainty shown first, as `strategy` and `conflicts` show it
                "certainty": shown_value(c, "certainty", source_lookup(kb)).value,
                # shown only through groups the firm is an inferred member of: its `via` is an inference
                "inferred": _merged(shown_inferred(c), reach.through(c.subjects, groups="via")),
                "source": c.source,
                "quote": first_quote(c.quote),
                "checked": quote_checker(kb)(c.source, first_quote(c.quote)),
            }
            for c in claims
        ],
        "events": [_through(_event_row(kb, e), reach.through(e.subjects, groups="groups")) for e in events],
    }
    listed = {
        "units": [under_inferred(kb, firm_id, unit) for unit in units],
        "groups": [["certainty"] if group_inferred(kb, group) else [] for group in firm.groups],
    }
    own = ("firm", shown_inferred(firm) + resting)
    return profile | {"inferred": _inferred(own, profile, FIRM_SECTIONS, listed)}


def _spell(kb: KnowledgeBase, tenure: Tenure) -> Row:
    return _with_disputes(kb, tenure_row(kb, tenure), tenure, "tenures")


def _through(row: Row, links: list[str]) -> Row:
    """A row whose `inferred` also names what its place in the profile rests on."""
    return row | {"inferred": _merged(row["inferred"], links)} if links else row


def _merged(names: list[str], more: list[str]) -> list[str]:
    return list(dict.fromkeys([*names, *more]))


def _event_row(kb: KnowledgeBase, event: Event) -> Row:
    return {
        "event": event.id,
        "kind": event.kind.value,
        "date": event.date.text if event.date else None,
        "when": inferred_show(event, "date")(event.date) if event.date else NOT_STATED,
        "text": event_text(event),
        "certainty": event.certainty.value,
        "inferred": shown_inferred(event),
        "source": event.source,
        "quote": first_quote(event.quote),
        "checked": quote_checker(kb)(event.source, first_quote(event.quote)),
    }


def _inferred(
    own: tuple[str, list[str]],
    profile: dict[str, Any],
    sections: tuple[str, ...],
    listed: dict[str, list[list[str]]] | None = None,
) -> dict[str, Any]:
    """A profile's `inferred` (see the module docstring): what of its own record is inferred
    (under `person` or `firm`), one list per item of each list of ids `listed` gives (a firm's
    units and groups), and each section's rows' `inferred`, left out where all are empty."""
    key, names = own
    found: dict[str, Any] = {key: names} if names else {}
    found |= {name: lists for name, lists in (listed or {}).items() if any(lists)}
    for section in sections:
        rows = [row["inferred"] for row in profile[section]]
        if any(rows):
            found[section] = rows
    return found


def _spell_order(tenure: Tenure) -> tuple[date, date]:
    when = tenure.start or tenure.end
    return when.sort_key() if when else (date.min, date.min)
