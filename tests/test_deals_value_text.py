"""A deal row's `value` reads as the figure that matched, in US dollars, with that figure's bound:
the amount's or valuation's own, or for an implied valuation (amount / stake) its amount's."""

from __future__ import annotations

import pytest

from aiorg.money import Bound, Money
from aiorg.queries.deal_match import Match, match

CNY = {"CNY": 0.14}


@pytest.mark.parametrize(
    ("amount", "valuation", "stake", "basis", "expected"),
    [
        (Money(1e8, "USD", Bound.UP_TO), None, None, "amount", Match(1e8, "amount", "up to $100M")),
        (None, Money(32e9, "USD", Bound.ESTIMATE), None, "any", Match(32e9, "valuation", "est. $32B")),
        (Money(1.4e9, "CNY", Bound.APPROX), None, None, "any", Match(1.4e9 * 0.14, "amount", "~$196M")),
        (Money(1e9, "CNY", Bound.AT_LEAST), None, None, "any", Match(1.4e8, "amount", "at least $140M")),
        (Money(14.3e9), None, 49.0, "any", Match(14.3e9, "amount", "$14.3B")),
        # an implied valuation: amount / stake, with the amount's bound
        (Money(1e8, "USD", Bound.UP_TO), None, 50.0, "valuation", Match(2e8, "implied valuation", "up to $200M")),
        (Money(2e9, "USD", Bound.APPROX), None, 10.0, "valuation", Match(2e10, "implied valuation", "~$20B")),
        (Money(14.3e9), None, 49.0, "valuation", Match(14.3e9 * 100 / 49, "implied valuation", "$29.18B")),
        # a magnitude: its range, converted, and divided by the stake for an implied valuation
        (Money(2e9, "USD", Bound.SEVERAL, 1e10), None, None, "any", Match(2e9, "amount", "several ($2B–$10B)")),
        (
            Money(2e9, "CNY", Bound.SEVERAL, 1e10),
            None,
            None,
            "any",
            Match(2e9 * 0.14, "amount", "several ($280M–$1.4B)"),
        ),
        (
            Money(2e9, "CNY", Bound.SEVERAL, 1e10),
            None,
            20.0,
            "valuation",
            Match(2e9 * 0.14 * 100 / 20, "implied valuation", "several ($1.4B–$7B)"),
        ),
    ],
)
def test_the_matched_figure_keeps_its_bound(
    amount: Money | None, valuation: Money | None, stake: float | None, basis: str, expected: Match
) -> None:
    found = match([(amount, valuation, stake)], basis, 1.0, None, CNY)
    assert found is not None
    assert (found.on, found.text) == (expected.on, expected.text)
    assert found.usd == pytest.approx(expected.usd)


def test_the_first_version_in_range_is_the_one_that_reads() -> None:
    """Two sources: one says exactly $100M, the other up to $100M; the version tried first is read."""
    exact, ceiling = Money(1e8), Money(1e8, "USD", Bound.UP_TO)
    assert match([(exact, None, None), (ceiling, None, None)], "any", 5e7, None, {}) == Match(1e8, "amount", "$100M")
    assert match([(ceiling, None, None), (exact, None, None)], "any", 5e7, None, {}) == Match(
        1e8, "amount", "up to $100M"
    )
    assert match([(Money(1e7), None, None), (ceiling, None, None)], "any", 5e7, None, {}) == Match(
        1e8, "amount", "up to $100M"
    )
    assert match([(ceiling, None, None)], "any", 2e8, None, {}) is None
