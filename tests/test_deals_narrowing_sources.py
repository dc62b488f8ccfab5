"""The deals query narrows in SQL before it reads a deal, and must never drop one its filters keep:
here for deals whose other sources give another amount, valuation or stake, so that a figure
(an implied valuation above all: an amount over a stake, each from any source) exists only in
one of the deal's versions. Exhaustive, like tests/test_sql_narrowing.py: every combination of
figures against every bound, basis and rate, with and without the SQL."""

from __future__ import annotations

import itertools
from unittest import mock

import pytest

from aiorg import queries
from aiorg.kb import KnowledgeBase
from aiorg.model import Attestation, Deal, DealKind, DealStatus, Record, Source, StatusEntry
from aiorg.money import Money
from aiorg.queries import Basis

OWN_AMOUNTS = [None, "2B", "100亿元"]
OTHER_AMOUNTS = [None, "14.3e9", "€5B", "€19B", "100亿元"]
OWN_STAKES = [None, 10.0, 49.0]
OTHER_STAKES = [None, 10.0, 100.0]
VALUATIONS = [None, "20e9"]
BOUNDS = [None, "1e8", "2e9", "14.3e9", "20e9", "29.1e9", "1e12"]
RATES: list[dict[str, float]] = [{}, {"CNY": 0.14}, {"CNY": 0.14, "EUR": 1.1}]


def _money(text: str | None) -> Money | None:
    return Money.parse(text) if text else None


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    deals: list[Record] = []
    combos = itertools.product(OWN_AMOUNTS, OTHER_AMOUNTS, OWN_STAKES, OTHER_STAKES, VALUATIONS, VALUATIONS)
    for number, (amount, other_amount, stake, other_stake, valuation, other_valuation) in enumerate(combos):
        given = Attestation(
            source="s2", quote=["q2"], amount=_money(other_amount), valuation=_money(other_valuation), stake=other_stake
        )
        deals.append(
            Deal(
                id=f"d{number}",
                kind=DealKind.STAKE,
                buyers=["acme"],
                amount=_money(amount),
                valuation=_money(valuation),
                stake=stake,
                history=[StatusEntry(status=DealStatus.AGREED, source="s", quote=["q"])],
                source="s",
                quote=["q"],
                also=[given] if (other_amount, other_stake, other_valuation) != (None, None, None) else [],
            )
        )
    sources: list[Record] = [Source(id="s", title="one"), Source(id="s2", title="two")]
    return KnowledgeBase.in_memory({"sources": sources, "deals": deals}, {}, "narrowing")


def _everything(*_: object) -> tuple[str, tuple[object, ...]]:
    return "", ()


@pytest.mark.parametrize("basis", list(Basis))
def test_the_sql_keeps_every_deal_a_version_of_which_matches(kb: KnowledgeBase, basis: Basis) -> None:
    for low, high, rates in itertools.product(BOUNDS, BOUNDS, RATES):
        minimum, maximum = _money(low), _money(high)
        if (minimum is None and maximum is None) or (minimum and maximum and minimum.value > maximum.value):
            continue
        narrowed = queries.deals(kb, minimum=minimum, maximum=maximum, basis=basis, rates=rates)
        with mock.patch("aiorg.queries.deals_page.narrowing", _everything):
            everything = queries.deals(kb, minimum=minimum, maximum=maximum, basis=basis, rates=rates)
        assert narrowed == everything, (low, high, basis, rates)
