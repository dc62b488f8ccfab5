"""The rows the SQLite export's tables get from the records of one kind.

`kind_rows` gives, for one record kind, the rows of every table that kind fills (its own table,
its link tables, its names), in the order they are inserted. Each kind's rows depend only on
its own records and on which kind each named id is (`Kinds`), so the kinds can be made apart
(aiorg.export.sqlite has one kind made by a forked process) and still fill the same tables.
The quotes and the claims of every kind share two tables and are made by sqlite_claims.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiorg import codec
from aiorg.dates import FuzzyDate
from aiorg.export.flat_rows import date_parts, spell_state
from aiorg.export.marks import joined
from aiorg.kb import KnowledgeBase
from aiorg.model import Condition, Deal, StatusEntry, Tenure
from aiorg.money import Bound, Money
from aiorg.step_marks import deal_marked, decoded, marked, of_tuple

#: id -> kind ('firms', 'people', 'products', 'groups') of every named record
Kinds = dict[str, str]
Rows = list[list[Any]]
Plain = tuple[Any, ...]  # a record's codec tuple
#: the tables each kind fills, in the order the export inserts them (a table filled by several
#: kinds gets their rows in the order of NAMES_ORDER)
TABLES: dict[str, tuple[str, ...]] = {
    "sources": ("sources",),
    "groups": ("groups",),
    "firms": ("firms", "firm_groups"),
    "people": ("people",),
    "products": ("products",),
    "tenures": ("tenures",),
    "deals": ("deals", "deal_parties", "deal_history", "deal_conditions"),
    "events": ("events", "event_subjects"),
    "metrics": ("metrics",),
    "claims": ("claims", "claim_subjects"),
}
#: the kinds whose names fill the `names` table, in its order
NAMES_ORDER = ("people", "firms", "groups", "products")


#: the kinds of named records each kind's rows look up in `Kinds`
NAMED_NEEDED: dict[str, tuple[str, ...]] = {
    "deals": ("firms",),  # a party is a firm or else a person
    "events": ("firms", "people", "products", "groups"),
    "metrics": ("firms", "products"),
    "claims": ("firms", "groups"),
}


def named_kinds(kb: KnowledgeBase, kinds: tuple[str, ...] = ("firms", "people", "products", "groups")) -> Kinds:
    """id -> kind of every named record of these kinds."""
    return {record.id: kind for kind in kinds for record in kb.records(kind)}


def _date(value: FuzzyDate | None) -> list[Any]:
    if value is None:
        return [None, None, None]
    found = _DATES.get(value.text)
    if found is None or found[0] is not value:  # the codec shares one date per text: few isoformat calls
        earliest = value.earliest.isoformat() if value.earliest else None
        found = _DATES[value.text] = (value, earliest, value.latest.isoformat() if value.latest else None)
    return [value.text, found[1], found[2]]


_DATES: dict[str, tuple[FuzzyDate, str | None, str | None]] = {}


def _money(value: Money | None) -> list[Any]:
    """The (usd, bound, text, currency) columns: no dollar figure for an amount in another currency."""
    if value is None:
        return [None, None, None, None]
    return [value.value if value.currency == "USD" else None, value.bound.value, value.describe(), value.currency]


def _enum(value: Any) -> Any:
    return None if value is None else value._value_  # .value without the descriptor


def _sources(kb: KnowledgeBase, _: Kinds) -> list[Rows]:
    return [
        [
            [
                s.id,
                s.title,
                s.publisher,
                s.author,
                s.published.text if s.published else None,
                s.url,
                s.language,
                s.file,
                s.note,
            ]
            for s in kb.sources
        ]
    ]


def _groups(kb: KnowledgeBase, _: Kinds) -> list[Rows]:
    return [[[g.id, g.name, g.name_zh, g.certainty.value, g.note, g.source] for g in kb.groups]]


def _firms(kb: KnowledgeBase, _: Kinds) -> list[Rows]:
    firms = sorted(kb.firms, key=lambda f: f.parent is not None)  # parents first, for the foreign key
    return [
        [[f.id, f.name, f.name_zh, f.country, _enum(f.category), f.parent, f.note, f.source] for f in firms],
        [[f.id, g] for f in kb.firms for g in f.groups],
    ]


def _people(kb: KnowledgeBase, _: Kinds) -> list[Rows]:
    return [[[p.id, p.name, p.name_zh, p.note, p.source] for p in kb.people]]


def _products(kb: KnowledgeBase, _: Kinds) -> list[Rows]:
    return [[[p.id, p.name, p.name_zh, p.kind.value, p.maker, p.category, p.note, p.source] for p in kb.products]]


def _tenures(kb: KnowledgeBase, _: Kinds) -> list[Rows]:
    # foreign keys are checked once the rows are in (write_sqlite); the rows keep the order they had
    # when they were checked row by row: a spell that follows another, and a unit, after the rest
    tenures = sorted(kb.tenures, key=lambda t: t.replaces is not None or t.after is not None)
    return [
        [
            [
                t.id,
                t.person,
                t.firm,
                t.title,
                t.title_zh,
                _enum(t.area),
                _enum(t.kind),
                *_date(t.start),
                *_date(t.end),
                t.state.value,
                _enum(t.end_cause),
                t.certainty.value,
                t.replaces,
                t.after,
                t.note,
                t.source,
            ]
            for t in tenures
        ]
    ]


#: the kinds whose table rows are made from their records' codec tuples (`tuple_rows`), not decoded
TUPLE_KINDS = ("tenures", "deals")
_T = {name: at for at, name in enumerate(codec.field_names(Tenure))}
_NO_DATE = (None, None, None)


def tuple_rows(kind: str, records: list[Plain], kinds: Kinds) -> dict[str, Rows]:
    """kind_rows of a kind in TUPLE_KINDS, from its records' codec tuples (in file order)."""
    if kind == "deals":
        return dict(zip(TABLES[kind], _deal_tuples(records, kinds), strict=True))
    assert kind == "tenures", kind
    person, firm, title, title_zh, area, role = (
        _T[name] for name in ("person", "firm", "title", "title_zh", "area", "kind")
    )
    start, end, current, cause, certainty = (_T[name] for name in ("start", "end", "current", "end_cause", "certainty"))
    record_id, replaces, after, note, source = (_T[name] for name in ("id", "replaces", "after", "note", "source"))
    rows = []
    for t in sorted(records, key=lambda t: t[replaces] is not None or t[after] is not None):  # as _tenures
        began, ended = t[start], t[end]
        rows.append(
            [
                t[record_id],
                t[person],
                t[firm],
                t[title],
                t[title_zh],
                t[area],
                t[role],
                *(_NO_DATE if began is None else date_parts(began)),
                *(_NO_DATE if ended is None else date_parts(ended)),
                spell_state(t[cause] is None, ended is None, t[current]),
                t[cause],
                t[certainty],
                t[replaces],
                t[after],
                t[note],
                t[source],
            ]
        )
    return {"tenures": rows}


_D = {name: at for at, name in enumerate(codec.field_names(Deal))}
_S = {name: at for at, name in enumerate(codec.field_names(StatusEntry))}
_C = {name: at for at, name in enumerate(codec.field_names(Condition))}
_NO_MONEY = (None, None, None, None)
#: a money tuple's (usd, bound, text, currency) columns, made from the Money the codec decodes it to
_MONEY_PARTS: dict[Plain, tuple[Any, ...]] = {}


def _money_parts(value: Plain) -> tuple[Any, ...]:
    found = _MONEY_PARTS.get(value)
    if found is None:
        money = Money(value[0], value[1], Bound(value[2]), value[3])  # what the codec decodes it to
        found = _MONEY_PARTS[value] = tuple(_money(money))
    return found


def _party(deal: str, role: str, entity: str, kinds: Kinds) -> list[Any]:
    """A deal_parties row: the party in the firm column or the person column, by its kind."""
    is_firm = kinds.get(entity) == "firms"
    return [deal, role, entity if is_firm else None, None if is_firm else entity]


def _deal_tuples(records: list[Plain], kinds: Kinds) -> list[Rows]:
    """_deals from the deals' codec tuples: its status is its last step's, its date its latest
    dated step's (Deal.status and Deal.date)."""
    record_id, kind, title, amount, valuation = (_D[n] for n in ("id", "kind", "title", "amount", "valuation"))
    stake, superseded, note, source, history = (_D[n] for n in ("stake", "superseded_by", "note", "source", "history"))
    conditions = _D["conditions"]
    status, day = _S["status"], _S["date"]
    deals, parties, steps, terms = [], [], [], []
    sides = (("buyer", _D["buyers"]), ("target", _D["targets"]), ("moved", _D["people"]))
    for d in records:
        deal, entries = d[record_id], d[history]
        when = next((step[day] for step in reversed(entries) if step[day] is not None), None)
        # the usual deal infers nothing in its steps: no field to look up, no mark to write
        step_fields = [of_tuple(step, _S) for step in entries] if any(e[_S["inferred"]] for e in entries) else None
        deals.append(
            [
                deal,
                d[kind],
                d[title],
                entries[-1][status],
                *(_NO_MONEY if d[amount] is None else _money_parts(d[amount])),
                *(_NO_MONEY if d[valuation] is None else _money_parts(d[valuation])),
                d[stake],
                *(_NO_DATE if when is None else date_parts(when)),
                d[superseded],
                joined(deal_marked(of_tuple(d, _D), step_fields) if step_fields else marked(of_tuple(d, _D))),
                d[note],
                d[source],
            ]
        )
        parties += [_party(deal, role, entity, kinds) for role, at in sides for entity in d[at]]
        for i, e in enumerate(entries, 1):
            dated = _NO_DATE if e[day] is None else date_parts(e[day])
            mark = joined(marked(step_fields[i - 1])) if step_fields else None
            steps.append([deal, i, e[status], *dated, e[_S["certainty"]], mark, e[_S["note"]], e[_S["source"]]])
        for i, c in enumerate(d[conditions], 1):
            mark = joined(marked(of_tuple(c, _C)))
            terms.append([deal, i, c[_C["text"]], c[_C["years"]], mark, c[_C["source"]]])
    return [deals, parties, steps, terms]


def _deals(kb: KnowledgeBase, kinds: Kinds) -> list[Rows]:
    deals = [
        [
            d.id,
            d.kind.value,
            d.title,
            d.status.value,
            *_money(d.amount),
            *_money(d.valuation),
            d.stake,
            *_date(d.date),
            d.superseded_by,
            joined(deal_marked(decoded(d), [decoded(e) for e in d.history])),
            d.note,
            d.source,
        ]
        for d in kb.deals
    ]
    parties = [
        _party(d.id, role, entity, kinds)
        for d in kb.deals
        for role, ids in (("buyer", d.buyers), ("target", d.targets), ("moved", d.people))
        for entity in ids
    ]
    history = [
        [d.id, i, e.status.value, *_date(e.date), e.certainty.value, joined(marked(decoded(e))), e.note, e.source]
        for d in kb.deals
        for i, e in enumerate(d.history, 1)
    ]
    conditions = [
        [d.id, i, c.text, c.years, joined(marked(decoded(c))), c.source]
        for d in kb.deals
        for i, c in enumerate(d.conditions, 1)
    ]
    return [deals, parties, history, conditions]


def _events(kb: KnowledgeBase, kinds: Kinds) -> list[Rows]:
    events = [
        [
            e.id,
            e.kind.value,
            *_date(e.date),
            e.text,
            e.into if kinds.get(e.into or "") == "firms" else None,
            e.into if kinds.get(e.into or "") == "products" else None,
            e.certainty.value,
            e.note,
            e.source,
        ]
        for e in kb.events
    ]
    slots = {"firms": 1, "people": 2, "products": 3, "groups": 4}
    subjects = []
    for e in kb.events:
        for subject in e.subjects:
            row: list[Any] = [e.id, None, None, None, None]
            row[slots[kinds[subject]]] = subject
            subjects.append(row)
    return [events, subjects]


def _metrics(kb: KnowledgeBase, kinds: Kinds) -> list[Rows]:
    return [
        [
            [
                m.id,
                m.subject if kinds.get(m.subject) == "firms" else None,
                m.subject if kinds.get(m.subject) == "products" else None,
                m.metric,
                m.value,
                m.unit,
                m.bound,
                m.as_of.text if m.as_of else None,
                m.certainty.value,
                m.note,
                m.source,
            ]
            for m in kb.metrics
        ]
    ]


def _claims(kb: KnowledgeBase, kinds: Kinds) -> list[Rows]:
    claims = [
        [c.id, c.strategy.value, c.text, c.date.text if c.date else None, c.certainty.value, c.note, c.source]
        for c in kb.claims
    ]
    subjects = [
        [c.id, s if kinds.get(s) == "firms" else None, s if kinds.get(s) == "groups" else None]
        for c in kb.claims
        for s in c.subjects
    ]
    return [claims, subjects]


_MAKERS: dict[str, Callable[[KnowledgeBase, Kinds], list[Rows]]] = {
    "sources": _sources,
    "groups": _groups,
    "firms": _firms,
    "people": _people,
    "products": _products,
    "tenures": _tenures,
    "deals": _deals,
    "events": _events,
    "metrics": _metrics,
    "claims": _claims,
}


def kind_rows(kb: KnowledgeBase, kind: str, kinds: Kinds) -> dict[str, Rows]:
    """The rows of each table in TABLES[kind] that the records of `kind` give."""
    return dict(zip(TABLES[kind], _MAKERS[kind](kb, kinds), strict=True))


def name_rows(kb: KnowledgeBase, kind: str) -> Rows:
    """The `names` rows of a named kind's records (the id column left to SQLite)."""
    names = []
    for record in kb.named(kind):
        for name_type, values in (
            ("name", [record.name]),
            ("name_zh", [record.name_zh]),
            ("alias", record.aliases),
            ("former", getattr(record, "former_names", [])),
        ):
            names += [[None, record.id, kind, value, name_type] for value in values if value]
    return names
