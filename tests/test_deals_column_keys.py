"""`deals` orders the deals only their own source gives figures for on the store's typed columns
(aiorg.queries.deal_keys) and reads only the records it shows. A record shown must match as its
columns said: a store whose amount column disagrees with its record is answered the slow way,
from the records, never with the column's number."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

from aiorg import sync
from aiorg.cache import Cache
from aiorg.loader import load
from aiorg.money import Money
from aiorg.queries import Basis
from aiorg.queries.deal_keys import TOLD_OTHERWISE
from aiorg.queries.deal_match import FIGURES
from aiorg.queries.deals_page import deals_page
from tests.conftest import BUNDLED_DATA
from tests.test_oracle import _folder, _load, knowledge_bases


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("told-otherwise")


def test_a_column_that_disagrees_with_its_record_is_not_believed(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    whole = deals_page(load(BUNDLED_DATA, cache=cache), limit=None).rows
    assert len(whole) > 3
    last = whole[-1]["deal"]
    with contextlib.closing(sqlite3.connect(sync.store_path(cache, BUNDLED_DATA))) as db:
        db.execute("UPDATE deals SET amount_value = 1e15, amount_currency = 'USD' WHERE id = ?", (last,))
        db.commit()
    kb = load(BUNDLED_DATA, cache=cache)  # the store as it is: its records are intact
    page = deals_page(kb, limit=3)
    assert [row["deal"] for row in page.rows] == [row["deal"] for row in whole[:3]]
    assert page.rows == whole[:3]
    assert page.total == len(whole)


YUAN_AND_STAKES = """\
sources:
  - {id: s, title: Fictional ledger, kind: article}
firms:
  - {id: a, name: A, source: s, quote: q}
  - {id: b, name: B, source: s, quote: q}
deals:
  - {id: yuan-amount-dollar-valuation, kind: stake, buyers: [a], targets: [b], amount: RMB 15B, valuation: 30B,
     source: s, quote: q, history: [{date: 2025-01, status: agreed, source: s, quote: q}]}
  - {id: dollar-amount, kind: acquisition, buyers: [a], targets: [b], amount: 20B,
     source: s, quote: q, history: [{date: 2025-01, status: agreed, source: s, quote: q}]}
  - {id: implied, kind: stake, buyers: [b], targets: [a], amount: 5B, stake: 10,
     source: s, quote: q, history: [{date: 2025-01, status: agreed, source: s, quote: q}]}
  - {id: yuan-valuation-only, kind: funding_round, buyers: [b], targets: [a], amount: 2B, valuation: RMB 1.5B,
     source: s, quote: q, history: [{date: 2025-01, status: completed, source: s, quote: q}]}
  - {id: no-figure, kind: acquisition, buyers: [a], targets: [b],
     source: s, quote: q, history: [{date: 2025-01, status: rumoured, source: s, quote: q}]}
"""


@pytest.mark.parametrize(
    ("bounds", "basis"),
    [((None, None), "any"), ((10e9, None), "any"), ((None, 25e9), "any"), ((1e9, None), "amount"),
     ((1e9, None), "valuation"), ((None, None), "valuation"), ((10e9, 40e9), "valuation")],
)  # fmt: skip
def test_the_keys_sqlite_computes_are_the_ones_the_records_give(
    tmp_path: Path, bounds: tuple[float | None, float | None], basis: str
) -> None:
    """Yuan figures do not compare without a rate (the dollar valuation matches, not the yuan
    amount before it); a valuation the amount and stake imply comes after the amount; a deal with no
    figure sorts last when nothing bounds the figures. Each page, of any length, is the whole
    answer's first rows in the same order, with the same count."""
    (tmp_path / "kb.yaml").write_text(YUAN_AND_STAKES, encoding="utf-8")
    low, high = (Money(bound, "USD") if bound is not None else None for bound in bounds)
    kb = load(tmp_path, cache=Cache(tmp_path / "cache"))
    whole = deals_page(kb, minimum=low, maximum=high, basis=Basis(basis), limit=None)
    for limit in range(1, len(whole.rows) + 2):
        page = deals_page(kb, minimum=low, maximum=high, basis=Basis(basis), limit=limit)
        assert (page.rows, page.total) == (whole.rows[:limit], whole.total)
    if bounds == (10e9, None) and basis == "any":
        assert [row["deal"] for row in whole.rows] == ["implied", "yuan-amount-dollar-valuation", "dollar-amount"]


@settings(max_examples=40, deadline=None)
@given(spec=knowledge_bases())
def test_the_deals_told_otherwise_are_those_another_source_gives_a_figure_for(scratch: Path, spec: Any) -> None:
    """The typed column the pages read (Deal.figures_also_told) names exactly the deals with a
    statement of another source's amount, valuation or stake."""
    kb = _load(spec, _folder(scratch), cached=False)
    try:
        figures = ", ".join(f"'{name}'" for name in FIGURES)
        stated = kb.query(f"SELECT DISTINCT seq FROM statements WHERE kind = 'deals' AND field IN ({figures})")
        assert sorted(kb.query(TOLD_OTHERWISE)) == sorted(stated)
    finally:
        kb.close()
