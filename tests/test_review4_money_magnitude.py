"""Review: Chinese magnitudes. 数十万 / 几十万 is "several tens of 万", 200,000 to 1,000,000
(as 数十亿 is 20亿 to 100亿, which aiorg gets right), not 20,000 to 100,000. A compensation offer
"年薪数十万美元" would otherwise be listed and filtered as $20K–$100K, ten times too small."""

from __future__ import annotations

import pytest

from aiorg.money import Bound, Money


@pytest.mark.parametrize("text", ["数十万美元", "几十万美元", "数十万"])
def test_tens_of_wan_is_two_hundred_thousand_to_a_million(text: str) -> None:
    money = Money.parse(text)
    assert money.bound is Bound.SEVERAL
    assert (money.value, money.high) == (200_000.0, 1_000_000.0)


def test_tens_of_yi_is_right_already() -> None:
    money = Money.parse("数十亿美元")
    assert (money.value, money.high) == (2e9, 1e10)


@pytest.mark.parametrize("text", ["数万", "数亿美元"])
def test_several_wan_and_several_yi_are_right_already(text: str) -> None:
    money = Money.parse(text)
    scale = 1e4 if "万" in text else 1e8
    assert (money.value, money.high) == (2 * scale, 10 * scale)
