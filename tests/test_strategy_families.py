"""Strategy values where one fact names several firms of one family, or one person twice.

strategy_sql reads all firms' facts once and rolls them up to the firm families in Python: a
deal, event or offer naming a firm and its unit counts once for the family, and a person a deal
moves who also moved in by a role spell is sought once. Each case is checked for the few-firms
path (SQL over the family tree) and the all-firms path, against the plain-loop oracle too.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from aiorg import strategy, strategy_query, strategy_scans, strategy_sql
from aiorg.kb import KnowledgeBase
from aiorg.loader import load
from aiorg.queries import ANY_TIME
from aiorg.strategy import load_rules
from aiorg.strategy_facts import Facts, Signal
from aiorg.strategy_signals import BUYING, TABLE
from tests.test_strategy_sql import naive_matrix

FAMILIES = textwrap.dedent(
    """
    sources:
      - {id: s, title: Synthetic}
    groups:
      - {id: gang, name: Gang, source: s, quote: q}
      - {id: crew, name: Crew, source: s, quote: q}
    firms:
      - {id: big, name: Big, groups: [gang], source: s, quote: q}
      - {id: big-lab, name: Big Lab, parent: big, groups: [crew], source: s, quote: q}
      - {id: big-lab-team, name: Big Lab Team, parent: big-lab, source: s, quote: q}
      - {id: solo, name: Solo, source: s, quote: q}
      - {id: seller, name: Seller, source: s, quote: q}
    people:
      - {id: p1, name: P One, source: s, quote: q}
      - {id: p2, name: P Two, source: s, quote: q}
      - {id: p3, name: P Three, source: s, quote: q}
    tenures:
      - {id: t1, person: p1, firm: seller, title: CEO, kind: founder, source: s, quote: q}
      - {id: t2, person: p1, firm: solo, title: CTO, kind: employee, start: 2025-02, after: t1, source: s, quote: q}
      - {id: t3, person: p2, firm: seller, title: VP, kind: employee, source: s, quote: q}
      - {id: t4, person: p2, firm: big-lab-team, title: Lead, kind: employee, start: 2025-03, after: t3,
         source: s, quote: q}
      - {id: t5, person: p3, firm: seller, title: Engineer, kind: employee, source: s, quote: q}
      - {id: t6, person: p3, firm: big-lab, title: Engineer, kind: employee, start: 2025-04, after: t5,
         source: s, quote: q}
      - {id: t7, person: p1, firm: big-lab, title: CPO, kind: executive, area: product, end: 2025-05,
         end_cause: left, source: s, quote: q}
      - {id: t8, person: p3, firm: big, title: CRO, kind: executive, area: commercial, end: 2025-06,
         end_cause: reported, source: s, quote: q}
      - {id: t9, person: p3, firm: solo, title: Adviser, kind: advisor, source: s, quote: q}
      - {id: t10, person: p2, firm: solo, title: COO, kind: executive, start: 2024-01, end: 2025-01,
         end_cause: demoted, source: s, quote: q}
    deals:
      - id: d1
        source: s
        quote: q
        kind: acquisition
        buyers: [big, big-lab]
        targets: [seller]
        people: [p2]
        amount: 2e9
        history: [{date: 2025-02, status: agreed, source: s, quote: q}]
      - id: d2
        source: s
        quote: q
        kind: acquihire
        buyers: [big-lab, big-lab-team]
        targets: [seller]
        amount: up to 5e8
        history: [{date: 2025-03, status: offered, source: s, quote: q}]
      - id: d3
        source: s
        quote: q
        kind: acquihire
        buyers: [solo]
        targets: [seller]
        people: [p1, p3]
        amount: 1e8
        history: [{date: 2025-02, status: completed, source: s, quote: q}]
      - id: d4
        source: s
        quote: q
        kind: acquisition
        buyers: [seller]
        targets: [big, big-lab-team]
        history: [{date: 2025-04, status: rejected, source: s, quote: q}]
    events:
      - {id: e1, kind: pivot, subjects: [big, big-lab], date: 2025-05, text: Big pivots, source: s, quote: q}
      - {id: e2, kind: departures, subjects: [big, gang], date: 2025-06, text: Many left, source: s, quote: q}
      - {id: e3, kind: departures, subjects: [crew], date: 2025-07, text: The crew left, source: s, quote: q}
    """
)

#: what each family's values must be: every fact once per family, every person once
EXPECTED = {
    "big": {
        "money_committed_usd": 2e9,  # d1, though two of its firms are buyers
        "money_offered_ceiling_usd": 5e8,
        "buyer_deals": 2.0,  # d1 and d2, each naming two of its firms
        "people_sought": 2.0,  # p2, moved by d1 and moving in to the team; p3 moving in to the lab
        "pivots": 1.0,  # e1 names the firm and its lab
        "departure_waves": 1.0,  # e2 names the firm and its group; e3 only a group of its lab
        "offers_rejected": 1.0,  # d4 targets the firm and its team
        "executive_departures": 2.0,  # t7 at its lab, t8 at the firm: counted per firm, added up
    },
    "solo": {
        "money_committed_usd": 1e8,
        "buyer_deals": 1.0,
        "people_sought": 2.0,  # p1 by d3 and moving in; p3 by d3 (a spell there without a move in is not one)
        "leadership_changes": 2.0,  # t10 appointed and demoted: one spell, two changes (two sources, one sum)
    },
}


@pytest.fixture(scope="module")
def families(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    folder = tmp_path_factory.mktemp("families")
    (folder / "kb.yaml").write_text(FAMILIES, encoding="utf-8")
    return load(folder)


@pytest.mark.parametrize("few", [0, strategy_query.FEW], ids=["all-firms", "few-firms"])
def test_a_fact_counts_once_per_family_and_a_person_once(
    families: KnowledgeBase, few: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(strategy_query, "FEW", few)  # 0: every firm list is "many", read by one pass over all
    rules = load_rules()
    rows = {row["firm"]: row for row in strategy.matrix(families, rules=rules)}
    for firm, expected in EXPECTED.items():
        assert {signal: rows[firm][signal] for signal in expected} == expected, firm
        assert strategy.classify(families, firm=firm, rules=rules)[0]["signals"] == {
            signal: rows[firm][signal] for signal in strategy.SIGNALS
        }
    assert strategy.matrix(families, rules=rules) == naive_matrix(families, window=ANY_TIME, rules=rules)


def test_the_all_firms_path_is_the_one_taken(families: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    """The matrix never reads by the family tree: its values come from one pass per fact source."""
    trees: list[str] = []
    query = strategy_query.query

    def spy(kb: KnowledgeBase, sql: str, *args: object) -> list[tuple[object, ...]]:
        trees.extend([sql] if "RECURSIVE" in sql else [])
        return query(kb, sql, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(strategy_query, "query", spy)
    strategy_sql.values(families, ANY_TIME)
    assert trees == []


def test_the_buyer_side_deal_sources_are_read_in_one_pass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Money committed, the ceiling and buyer deals share the scan of a deal's buyers: one query
    reads it for all three (the other query on it is people sought's, which joins the people).
    A knowledge base of its own: a knowledge base remembers the scan once made."""
    (tmp_path / "kb.yaml").write_text(FAMILIES, encoding="utf-8")
    families = load(tmp_path)
    scans: list[str] = []
    query = strategy_query.query

    def spy(kb: KnowledgeBase, sql: str, *args: object) -> list[tuple[object, ...]]:
        scans.extend([sql] if BUYING.rows in sql else [])
        return query(kb, sql, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(strategy_query, "query", spy)
    strategy_sql.values(families, ANY_TIME)
    assert len(scans) == 2 and sum("deals_people" in sql for sql in scans) == 1, scans


ORDERED = textwrap.dedent(
    """
    sources:
      - {id: s, title: Synthetic}
    firms:
      - {id: solo, name: Solo, source: s, quote: q}
      - {id: seller, name: Seller, source: s, quote: q}
    deals:
    """
) + "".join(
    f"""  - {{id: d{i}, source: s, quote: q, kind: acquisition, buyers: [solo], targets: [seller], amount: {amount},
       history: [{{date: 2025-0{i}, status: completed, source: s, quote: q}}]}}
"""
    for i, amount in enumerate(["1e16", "1", "1"], start=1)
)


def test_a_sum_adds_in_file_order_whatever_order_sqlite_returns_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In file order 1e16 + 1 + 1 is 1e16 (each 1 is lost to rounding); in reverse it is 1e16 + 2.
    The one pass over a deal's buyers reads in no order, so its amounts are sorted by seq."""
    (tmp_path / "kb.yaml").write_text(ORDERED, encoding="utf-8")
    kb = load(tmp_path)
    query = strategy_query.query

    def reversed_rows(kb: KnowledgeBase, sql: str, *args: object) -> list[tuple[object, ...]]:
        return query(kb, sql, *args)[::-1]  # type: ignore[arg-type]

    monkeypatch.setattr(strategy_query, "FEW", 0)  # every firm list is "many": the one pass
    monkeypatch.setattr(strategy_query, "query", reversed_rows)
    assert strategy_sql.values(kb, ANY_TIME)["solo"]["money_committed_usd"] == 1e16
    assert 1e16 + 1 + 1 == 1e16 != 1 + 1 + 1e16  # the order matters
    monkeypatch.undo()
    assert strategy.matrix(kb, rules=load_rules()) == naive_matrix(kb, window=ANY_TIME, rules=load_rules())


def test_a_fact_for_the_listed_firm_only_counts_only_there_in_a_distinct_count(families: KnowledgeBase) -> None:
    """A fact marked `own` (a departure wave reported for a group) counts only for a listed firm
    itself, in a distinct count too: the wave of the crew, a group of the lab only, is not the firm's."""
    waves = next(signal for signal in TABLE if signal.name == "departure_waves").facts[0]
    sql = waves.sql.replace("NULL AS key", "e.id AS key").replace("f.id, NULL, 0, 1", "f.id, e.id, 0, 1")
    assert sql.count("e.id") == 2
    distinct = Signal("distinct_waves", "waves by id", "distinct", (Facts("events", "date", sql, waves.texts),))
    members = strategy_sql._members(families)
    spells = strategy_scans.SpellCounts(families, ANY_TIME, members)
    assert strategy_sql._distinct(families, ANY_TIME, distinct, members, spells) == {"big": 1}  # e2, not e3
