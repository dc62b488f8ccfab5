"""Firms as rows, and everything about one person or one firm.

A name, alias, title or text a record marks inferred says so where a row writes it
(aiorg.queries.inferred). A profile's `inferred` names, for its own record (under `person` or
`firm`) and for each row of each section (one list per row, sections with none left out), the
fields whose values it shows are inferences: the ids, ISO dates and numbers a machine reads bare
(a career's `start`, a firm's `parent`, a metric's `subject`) among them. A section whose rows
name their own (a deal's `inferred`, as the listing's) gives theirs.

A firm's units and groups are ids, bare too; its `inferred` gives one list per unit and per
group (left out when all are empty) naming what the listing rests on that is an inference: a
unit's `["parent"]` when it is below the firm through a parent its record (or one between them)
marks inferred, a group's `["certainty"]` when the group's certainty is `inferred` (its
membership is read, not stated). A strategy claim shown only through groups the firm is an
inferred member of (that, or the firm marks its `groups` inferred) names `via`.
"""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar, cast

from aiorg.claims import SourceLookup
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
    DEAL_SIDES,
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
    shown_version,
    source_lookup,
    units_by_parent,
)
from aiorg.queries.common import (
    in_list as _in,
)
from aiorg.queries.deals import FIGURES, deal_row
from aiorg.queries.inferred import (
    firm_inferred,
    group_inferred,
    mark,
    mark_each,
    membership_inferred,
    shown_fields,
    shown_inferred,
    under_inferred,
    unshown,
)
from aiorg.queries.people import SHOWN, tenure_row
from aiorg.queries.timeline import event_text

T = TypeVar("T")


def firm_row(kb: KnowledgeBase, firm: Firm) -> Row:
    """One firm as a row, with counts of its people, departures and deals."""
    return firm_rows(kb, [firm])[0]


def firm_rows(kb: KnowledgeBase, firms: list[Firm]) -> list[Row]:
    """Firms as rows, with counts of the people, departures and deals of each firm's family.

    Counted in SQL: one grouped query per few thousand firms without units, and a query per
    family for the few firms that have units (a person or deal counts once per family)."""
    units = units_by_parent(kb)
    families = {firm.id: family_from(firm.id, units) for firm in firms}
    single = sorted(firm_id for firm_id, family in families.items() if len(family) == 1)
    counts: dict[str, tuple[int, int, int]] = {}
    for chunk in _chunks(single):
        counts.update(_counts(kb, chunk, grouped=True))
    for firm_id, family in families.items():
        if len(family) > 1:
            counts[firm_id] = _counts(kb, sorted(family), grouped=False)[""]
    return [
        {
            "firm": firm.id,
            "name": mark(firm.name, firm, "name"),
            "name_zh": mark(firm.name_zh, firm, "name_zh") if firm.name_zh else firm.name_zh,
            "aliases": _aliases(firm),
            "country": firm.country,
            "category": firm.category.value if firm.category else None,
            "groups": firm.groups,
            "parent": firm.parent,
            **dict(zip(("people", "departures", "deals"), counts.get(firm.id, (0, 0, 0)), strict=True)),
            "inferred": firm_inferred(kb, firm),
        }
        for firm in firms
    ]


def _counts(kb: KnowledgeBase, firm_ids: list[str], *, grouped: bool) -> dict[str, tuple[int, int, int]]:
    """(people, departures, deals) per firm (grouped) or for all of them together (under '')."""
    causes = sorted(cause.value for cause in DEPARTURE_CAUSES)
    key, group_by = ("firm", " GROUP BY firm") if grouped else ("''", "")
    spells = kb.query(
        f"SELECT {key}, count(DISTINCT person), count(CASE WHEN end_cause IN {_in(causes)} THEN 1 END)"
        f" FROM tenures WHERE firm IN {_in(firm_ids)}{group_by}",
        (*causes, *firm_ids),
    )
    sides = " UNION ".join(f"SELECT value, seq FROM deals_{x} WHERE value IN {_in(firm_ids)}" for x in DEAL_SIDES)
    key, group_by = ("value", " GROUP BY value") if grouped else ("''", "")
    deals = dict(
        kb.query(f"SELECT {key}, count(DISTINCT seq) FROM ({sides}){group_by}", tuple(firm_ids) * len(DEAL_SIDES))
    )
    found = {str(firm): (int(people), int(departed), int(deals.get(firm, 0))) for firm, people, departed in spells}
    for firm, number in deals.items():
        found.setdefault(str(firm), (0, 0, int(number)))
    return found


def _chunks(values: list[T], size: int = 5000) -> list[list[T]]:
    """Slices small enough for SQLite's limit on bound values."""
    return [values[start : start + size] for start in range(0, len(values), size)]


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
    for chunk in _chunks(shown):
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
    shown: dict[str, list[Any]] = {"career": spells, "deals": person_deals, "events": person_events}
    return profile | {"inferred": _inferred(kb, ("person", person), shown, profile)}


def firm_profile(kb: KnowledgeBase, firm_id: str) -> dict[str, Any]:
    """Everything about one firm: people in and out, deals on each side, products, metrics, claims."""
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
    shown: dict[str, list[Any]] = {
        "people_joined": [t for t in spells if t.replaces is None],
        "people_left": [t for t in spells if t.end_cause in DEPARTURE_CAUSES],
        "people_demoted": [t for t in spells if t.end_cause is EndCause.DEMOTED],
        "deals_as_buyer": [d for d in firm_deals if family & set(d.buyers)],
        "deals_as_target": [d for d in firm_deals if family & {*d.targets, *d.people}],
        "products": products,
        "metrics": metrics,
        "claims": claims,
        "events": events,
    }
    units = sorted(family - {firm_id})
    profile = {
        **firm_row(kb, firm),
        "units": units,
        "people_joined": [_spell(kb, t) for t in shown["people_joined"]],
        "people_left": [_spell(kb, t) for t in shown["people_left"]],
        "people_demoted": [_spell(kb, t) for t in shown["people_demoted"]],
        "deals_as_buyer": [_with_disputes(kb, deal_row(kb, d), d, "deals") for d in shown["deals_as_buyer"]],
        "deals_as_target": [_with_disputes(kb, deal_row(kb, d), d, "deals") for d in shown["deals_as_target"]],
        "products": [
            {
                "product": p.id,
                "name": mark(kb.name_of(p.id), p, "name"),
                "kind": p.kind.value,
                "category": p.category,
                "former_names": mark_each(p.former_names, p, "former_names"),
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
                "certainty": c.certainty.value,
                "source": c.source,
                "quote": first_quote(c.quote),
                "checked": quote_checker(kb)(c.source, first_quote(c.quote)),
            }
            for c in claims
        ],
        "events": [_event_row(kb, e) for e in events],
    }
    inferred_groups = {group for group in firm.groups if membership_inferred(kb, firm, group)}
    listed = {
        "units": [under_inferred(kb, firm_id, unit) for unit in units],
        "groups": [["certainty"] if group_inferred(kb, group) else [] for group in firm.groups],
    }
    # a claim here only through groups the firm is an inferred member of: its `via` is an inference
    via = [["via"] if c["via"] and set(c["via"]) <= inferred_groups else [] for c in profile["claims"]]
    return profile | {"inferred": _inferred(kb, ("firm", firm), shown, profile, listed, {"claims": via})}


def _spell(kb: KnowledgeBase, tenure: Tenure) -> Row:
    return _with_disputes(kb, tenure_row(kb, tenure), tenure, "tenures")


def _event_row(kb: KnowledgeBase, event: Event) -> Row:
    return {
        "event": event.id,
        "kind": event.kind.value,
        "date": event.date.text if event.date else None,
        "when": inferred_show(event, "date")(event.date) if event.date else NOT_STATED,
        "text": event_text(event),
        "certainty": event.certainty.value,
        "source": event.source,
        "quote": first_quote(event.quote),
        "checked": quote_checker(kb)(event.source, first_quote(event.quote)),
    }


def _inferred(
    kb: KnowledgeBase,
    own: tuple[str, Any],
    sections: dict[str, list[Any]],
    profile: dict[str, Any],
    listed: dict[str, list[list[str]]] | None = None,
    more: dict[str, list[list[str]]] | None = None,
) -> dict[str, Any]:
    """A profile's `inferred` (see the module docstring): the fields of its own record, one list
    per item of each list of ids `listed` gives (a firm's units and groups), and one list per row
    of each section (its records, whose rows `profile` holds), whose values shown are inferences;
    a row with an `inferred` key of its own gives it, and `more` adds to a section's lists."""
    source_of = source_lookup(kb)
    key, record = own
    found: dict[str, Any] = {key: shown_inferred(record)} if shown_inferred(record) else {}
    found |= {name: lists for name, lists in (listed or {}).items() if any(lists)}
    for section, records in sections.items():
        added = (more or {}).get(section) or [[] for _ in records]
        rows = [
            (row["inferred"] if "inferred" in row else shown_fields(record, _shown(record, source_of), source_of))
            + extra
            for record, row, extra in zip(records, profile[section], added, strict=True)
        ]
        if any(rows):
            found[section] = rows
    return found


def _shown(record: Any, source_of: SourceLookup) -> Any:
    """The record with the values its row shows first where sources disagree."""
    if isinstance(record, Tenure):
        return shown_version(record, SHOWN, source_of)
    return shown_version(record, FIGURES, source_of) if isinstance(record, Deal) else record


def _spell_order(tenure: Tenure) -> tuple[date, date]:
    when = tenure.start or tenure.end
    return when.sort_key() if when else (date.min, date.min)
