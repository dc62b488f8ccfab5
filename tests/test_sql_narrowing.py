"""Queries narrow with SQL before they decode a record: every combination of money figures,
bounds, bases and rates must give the oracle's answer, so the SQL never drops a deal the
filters would keep. Exhaustive, not random: the boundary cases are too rare to leave to chance."""

from __future__ import annotations

import itertools
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from aiorg import queries
from aiorg.kb import KnowledgeBase
from aiorg.loader import load
from aiorg.model import DEPARTURE_CAUSES, NAMED_KINDS
from aiorg.money import Money
from aiorg.names import NameEntry, NameIndex, normalise_name
from aiorg.queries import Basis
from aiorg.queries.search import NAME_MATCHES
from aiorg.store.schema import READ_SIMPLIFIED
from tests import oracle
from tests.conftest import write_spec

QUOTE = "a quote"
AMOUNTS = [None, "2B", "14.3e9", "100亿元", "€5B", "up to 1e8", "several billion"]
VALUATIONS = [None, "20e9", "100亿元"]
STAKES = [None, "10%", "49%", "100%"]
BOUNDS = [None, "1e8", "2e9", "10e9", "14.3e9", "20e9", "29.1e9", "1e12"]
RATES: list[dict[str, float]] = [{}, {"CNY": 0.14}, {"CNY": 0.14, "EUR": 1.1}]


def _spec() -> dict[str, list[dict[str, Any]]]:
    deals = []
    for number, (amount, valuation, stake) in enumerate(itertools.product(AMOUNTS, VALUATIONS, STAKES)):
        deal: dict[str, Any] = {
            "id": f"d{number}",
            "kind": "stake",
            "buyers": ["acme"],
            "targets": ["bolt"],
            "history": [{"status": "agreed", "source": "s", "quote": QUOTE}],
            "source": "s",
            "quote": QUOTE,
        }
        for field, value in (("amount", amount), ("valuation", valuation), ("stake", stake)):
            if value is not None:
                deal[field] = value
        deals.append(deal)
    firms: list[dict[str, Any]] = [
        {"id": f, "name": f.title(), "source": "s", "quote": QUOTE} for f in ("acme", "bolt")
    ]
    firms.append({"id": "wei-a-co", "name": "Wei A", "source": "s", "quote": QUOTE})
    people: list[
        dict[str, Any]
    ] = [  # "wei" ranks Wei A (the person, then the firm) before Wei B: names first seen first
        {"id": "ann", "name": "Ann", "name_zh": "安", "source": "s", "quote": QUOTE},
        {"id": "wa", "name": "Wei A", "source": "s", "quote": QUOTE},
        {"id": "wb", "name": "Wei B", "aliases": ["魏伟"], "source": "s", "quote": QUOTE},
    ]
    tenures: list[dict[str, Any]] = [
        {"id": "t1", "person": "ann", "firm": "acme", "start": "2024-03", "end": "2025", "end_cause": "left"},
        {"id": "t2", "person": "ann", "firm": "bolt", "start": "2025-02", "after": "t1"},
        {"id": "t3", "person": "wa", "firm": "acme", "start": "2023", "current": True},
    ]
    deals.append(  # moves Wei A from the firm of their current spell, which no field of the deal names
        {
            "id": "hire-wa",
            "kind": "acquihire",
            "buyers": ["bolt"],
            "targets": ["wa"],
            "people": ["wa"],
            "history": [{"status": "agreed", "source": "s", "quote": QUOTE}],
        }
    )
    events: list[dict[str, Any]] = [  # linked to bolt only by `into`
        {"id": "e1", "kind": "merged", "subjects": ["acme"], "into": "bolt", "date": "2025-01", "text": "Acme merged"}
    ]
    for record in (*tenures, *events, deals[-1]):
        record.update(source="s", quote=QUOTE)
    return {
        "sources": [{"id": "s", "title": "A fictional test source"}],
        "firms": firms,
        "people": people,
        "tenures": tenures,
        "deals": deals,
        "events": events,
    }


@pytest.fixture(scope="module")
def spec_and_kb(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, list[dict[str, Any]]], KnowledgeBase]:
    spec = _spec()
    data: Path = tmp_path_factory.mktemp("narrowing") / "data"
    data.mkdir()
    write_spec(data, spec)
    return spec, load(data)


@pytest.mark.parametrize("basis", list(Basis))
def test_money_filters_keep_every_deal_the_oracle_keeps(
    spec_and_kb: tuple[dict[str, list[dict[str, Any]]], KnowledgeBase], basis: Basis
) -> None:
    spec, kb = spec_and_kb
    for low, high, rates in itertools.product(BOUNDS, BOUNDS, RATES):
        minimum = Money.parse(low) if low else None
        maximum = Money.parse(high) if high else None
        if minimum is not None and maximum is not None and minimum.value > maximum.value:
            continue
        rows = queries.deals(kb, minimum=minimum, maximum=maximum, basis=basis, rates=rates)
        expected = oracle.deals(
            spec,
            minimum=minimum.value if minimum else None,
            maximum=maximum.value if maximum else None,
            basis=basis.value,
            rates=rates,
        )
        got = [(r["deal"], r["matched_on"], r["value_usd"]) for r in rows]
        assert got == expected, (low, high, basis, rates)


@pytest.mark.parametrize("rates", RATES)
def test_the_currencies_left_uncompared_are_those_of_every_deal(
    spec_and_kb: tuple[dict[str, list[dict[str, Any]]], KnowledgeBase], rates: dict[str, float]
) -> None:
    """The note under `deals --min` names each currency a figure is in that no rate converts."""
    kb = spec_and_kb[1]
    naive = sorted(
        {
            figure.currency
            for deal in kb.deals
            for figure in (deal.amount, deal.valuation)
            if figure is not None and figure.currency != "USD" and figure.currency not in rates
        }
    )
    assert naive == {(): ["CNY", "EUR"], ("CNY",): ["EUR"], ("CNY", "EUR"): []}[tuple(rates)]
    assert queries.unconverted_currencies(kb, rates) == naive


def _every_id(kb: KnowledgeBase, kind: str) -> list[str]:
    return [str(i) for (i,) in kb.query(f'SELECT "id" FROM {kind} ORDER BY seq')]


@pytest.mark.parametrize("which", ["bundled", "made up"])
def test_timeline_for_a_firm_or_person_is_the_full_timeline_filtered(
    which: str, bundled_kb: KnowledgeBase, spec_and_kb: tuple[dict[str, list[dict[str, Any]]], KnowledgeBase]
) -> None:
    kb = bundled_kb if which == "bundled" else spec_and_kb[1]
    """The naive twin: the unfiltered timeline (every record read), filtered by its subjects."""
    everything = queries.timeline(kb)
    for firm in _every_id(kb, "firms"):
        family = queries.firm_family(kb, firm)
        about = family | {p.id for p in kb.products if p.maker in family}
        expected = [row for row in everything if set(row["subjects"]) & about]
        assert queries.timeline(kb, firm=firm) == expected, firm
    for person in _every_id(kb, "people"):
        expected = [row for row in everything if person in row["subjects"]]
        assert queries.timeline(kb, person=person) == expected, person


# --- name search: the store's trigram index against the in-memory scan it replaced -----------------


_PREFERRED = ("name", "name_zh", "aliases", "former_names", "id")  # which of a record's alike names is shown


def _naive_name_search(kb: KnowledgeBase, text: str) -> list[NameEntry]:
    """The old NameIndex.search: every name of every named record, scanned in memory."""
    by_key: dict[str, dict[str, NameEntry]] = defaultdict(dict)
    for kind in NAMED_KINDS:
        for record in kb.named(kind):
            names = [
                (record.id, "id"),
                (record.name, "name"),
                (getattr(record, "name_zh", None), "name_zh"),
                *((alias, "aliases") for alias in getattr(record, "aliases", ())),
                *((former, "former_names") for former in getattr(record, "former_names", ())),
            ]
            for name, field in names:
                entries = by_key[normalise_name(name)] if name else {}
                held = entries.get(record.id)
                if name and (held is None or _PREFERRED.index(field) < _PREFERRED.index(held.field)):
                    entries[record.id] = NameEntry(record.id, kind, name, field)  # a name before the id
    needle = normalise_name(text)
    if not needle:
        return []
    hits = [(k.find(needle), len(k), e) for k, entries in by_key.items() if needle in k for e in entries.values()]
    hits.sort(key=lambda hit: (hit[0], hit[1]))
    seen: dict[tuple[str, str], NameEntry] = {}
    for _, _, entry in hits:
        seen.setdefault((entry.record_id, entry.name), entry)
    return list(seen.values())


def _naive_search(kb: KnowledgeBase, text: str) -> list[tuple[str, str, str]]:
    """The old queries.search: names, then every spell's titles, then every product's category; a
    text its record marks inferred says so, and so does a title's firm, or its person after it."""
    rows: list[tuple[str, str, str]] = []
    seen: set[tuple[str, str]] = set()

    def add(record_id: str, field: str, matched: str, key: str | None = None) -> None:
        if (record_id, key or field) not in seen:
            seen.add((record_id, key or field))
            rows.append((record_id, field, matched))

    def marked(text: str, record: Any, field: str) -> str:
        return text + " (inferred)" if field in record.inferred else text

    for entry in _naive_name_search(kb, text):  # one row per record for its names: the best-ranked
        field = entry.field.removesuffix(READ_SIMPLIFIED)
        add(entry.record_id, NAME_MATCHES[entry.field], marked(entry.name, kb.by_id[entry.record_id], field), "names")
    needle = normalise_name(text)
    for tenure in kb.tenures:
        for field, title in (("title", tenure.title), ("title_zh", tenure.title_zh)):
            if title and needle and needle in normalise_name(title):
                where = f"title at {marked(kb.name_of(tenure.firm), tenure, 'firm')}"
                where += " (person inferred)" if "person" in tenure.inferred else ""
                add(tenure.person, where, marked(title, tenure, field))
    for product in kb.products:
        if needle and product.category and needle in normalise_name(product.category):
            add(product.id, "category", marked(product.category, product, "category"))
    return rows


def _needles(kb: KnowledgeBase) -> list[str]:
    """Pieces of one, two, three and more characters of real names and titles, in both scripts."""
    texts = [str(t) for (t,) in kb.query("SELECT t.text FROM names n JOIN texts t ON t.id = n.text ORDER BY n.rowid")]
    pieces = {text[i : i + size] for text in texts for size in (1, 2, 3, 5) for i in range(0, len(text), 3)}
    return [*sorted(pieces)[::7], "张", "魏伟", "暗面", "Wang", "wei", "MiniMax", "ai", "首席", "·"]


@pytest.mark.parametrize("which", ["bundled", "made up"])
def test_search_equals_the_in_memory_scan(
    which: str, bundled_kb: KnowledgeBase, spec_and_kb: tuple[dict[str, list[dict[str, Any]]], KnowledgeBase]
) -> None:
    kb = bundled_kb if which == "bundled" else spec_and_kb[1]
    names = NameIndex(kb)
    for needle in _needles(kb):
        assert names.search(needle) == _naive_name_search(kb, needle), needle
        rows = queries.search(kb, names, needle)
        assert [(r["id"], r["field"], r["matched"]) for r in rows] == _naive_search(kb, needle), needle


@pytest.mark.parametrize("which", ["bundled", "made up"])
def test_flows_from_or_to_a_firm_are_all_flows_filtered(
    which: str, bundled_kb: KnowledgeBase, spec_and_kb: tuple[dict[str, list[dict[str, Any]]], KnowledgeBase]
) -> None:
    """The naive twin: every flow (every spell and deal read), filtered by its ends. A row from
    'not stated' (origin None) is kept by a destination like any other; under an origin it holds
    only the people who once worked there (tested in test_flows_distinct_people), so only the
    rows with a stated origin are compared here."""
    kb = bundled_kb if which == "bundled" else spec_and_kb[1]
    everything = queries.flows(kb)

    def stated(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [row for row in rows if row["origin"] is not None]

    firms = _every_id(kb, "firms")
    for firm in firms:
        family = queries.firm_family(kb, firm)
        assert stated(queries.flows(kb, origin=firm)) == [r for r in everything if r["origin"] in family], firm
        assert queries.flows(kb, destination=firm) == [r for r in everything if r["destination"] in family], firm
    for origin, destination in itertools.product(firms[:12], firms[:12]):
        ends = queries.firm_family(kb, origin), queries.firm_family(kb, destination)
        expected = [r for r in everything if r["origin"] in ends[0] and r["destination"] in ends[1]]
        assert stated(queries.flows(kb, origin=origin, destination=destination)) == expected, (origin, destination)


@pytest.mark.parametrize("which", ["bundled", "made up"])
def test_profiles_and_firm_rows_equal_full_scans(
    which: str, bundled_kb: KnowledgeBase, spec_and_kb: tuple[dict[str, list[dict[str, Any]]], KnowledgeBase]
) -> None:
    """The naive twin: every spell, deal, product, metric, claim and event read and filtered."""
    kb = bundled_kb if which == "bundled" else spec_and_kb[1]
    for firm in kb.firms:
        family = queries.firm_family(kb, firm.id)
        profile = queries.firm_profile(kb, firm.id)
        spells = [t for t in kb.tenures if t.firm in family]
        assert profile["people"] == len({t.person for t in spells}), firm.id
        assert profile["departures"] == len([t for t in spells if t.end_cause in DEPARTURE_CAUSES]), firm.id
        deals = [d for d in kb.deals if family & {*d.buyers, *d.targets, *d.people}]
        assert profile["deals"] == len(deals), firm.id
        assert [r["deal"] for r in profile["deals_as_buyer"]] == [d.id for d in deals if family & set(d.buyers)]
        products = [p.id for p in kb.products if p.maker in family]
        assert [r["product"] for r in profile["products"]] == products, firm.id
        about = family | set(products)
        metrics = [(m.metric, m.subject) for m in kb.metrics if m.subject in about]
        assert [(r["metric"], r["subject"]) for r in profile["metrics"]] == metrics, firm.id
        claims = [c.id for c in kb.claims if set(c.subjects) & (family | set(firm.groups))]
        assert [r["claim"] for r in profile["claims"]] == claims, firm.id
        events = [e.id for e in kb.events if set(e.subjects) & (about | set(firm.groups))]
        assert [r["event"] for r in profile["events"]] == events, firm.id
    for person in kb.people:
        events = [e.id for e in kb.events if person.id in e.subjects]
        assert [r["event"] for r in queries.person_profile(kb, person.id)["events"]] == events, person.id
    every = queries.firms(kb)
    assert [r["firm"] for r in every] == [f.id for f in sorted(kb.firms, key=lambda f: f.name.casefold())]
    for country in {f.country for f in kb.firms} | {"cn", "ＣＮ", "zz"}:
        wanted = [r for r in every if (r["country"] or "").casefold() == (country or "").casefold()]
        assert queries.firms(kb, country=country) == (wanted if country else every), country
    for group in kb.groups:
        assert queries.firms(kb, group=group.id) == [r for r in every if group.id in r["groups"]], group.id
