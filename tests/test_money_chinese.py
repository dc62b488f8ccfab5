"""Chinese magnitudes, bound words and currency forms, as the Chinese finance press writes them.

A magnitude is a count word, then a unit of tens, hundreds or thousands and/or a scale word,
each multiplying what follows: 数十万 is "several tens of 万", 20万 to 100万, as 数十亿 is 20亿
to 100亿. 数 and 几 mean "several" (stored as 2 to 10 of what follows, as "several billion" is
$2B-$10B); 上 means "reaching" (上亿: 1亿 or more, a floor). 逾/超过 (more than) give a floor,
近 (nearly) an approximation. Forms whose size aiorg cannot pin down are refused, never guessed."""

from __future__ import annotations

import pytest

from aiorg.money import Bound, Money, MoneyParseError

WAN, YI = 1e4, 1e8

#: text, (low, high) of a "several" magnitude, in the currency written (USD when none is)
MAGNITUDES = [
    ("数十万美元", 20 * WAN, 100 * WAN),  # the reviewer's case: $200K-$1M, not $20K-$100K
    ("几十万美元", 20 * WAN, 100 * WAN),
    ("数十万", 20 * WAN, 100 * WAN),
    ("数万", 2 * WAN, 10 * WAN),
    ("几万美元", 2 * WAN, 10 * WAN),
    ("数百万美元", 200 * WAN, 1000 * WAN),  # 数百万: several hundred 万 = several million
    ("几百万", 200 * WAN, 1000 * WAN),
    ("数千万元", 2000 * WAN, 10000 * WAN),
    ("数亿美元", 2 * YI, 10 * YI),
    ("几亿", 2 * YI, 10 * YI),
    ("数十亿美元", 20 * YI, 100 * YI),
    ("几十亿美元", 20 * YI, 100 * YI),
    ("数百亿元", 200 * YI, 1000 * YI),
    ("数千亿", 2000 * YI, 10000 * YI),
    ("数万亿元", 2e12, 1e13),
    ("数千美元", 2e3, 1e4),
    ("数百美元", 200.0, 1000.0),
    ("several billion", 2e9, 1e10),
    ("several million", 2e6, 1e7),
    ("several thousand", 2e3, 1e4),
]


@pytest.mark.parametrize(("text", "low", "high"), MAGNITUDES)
def test_a_magnitude_is_the_range_the_press_means(text: str, low: float, high: float) -> None:
    money = Money.parse(text)
    assert (money.bound, money.value, money.high) == (Bound.SEVERAL, low, high)
    assert money.currency == ("CNY" if "元" in text and "美元" not in text else "USD")


def test_a_magnitude_reads_as_its_range() -> None:
    assert Money.parse("数十万美元").describe() == "several ($200K–$1M)"
    assert Money.parse("数千万元").describe() == "several (CNY 20M–CNY 100M)"


#: text, bound, value: the floors and approximations the press writes before a figure
BOUNDED = [
    ("上亿", Bound.AT_LEAST, YI),  # "reaching 1亿"
    ("上百万美元", Bound.AT_LEAST, 100 * WAN),
    ("上千万元", Bound.AT_LEAST, 1000 * WAN),
    ("上万", Bound.AT_LEAST, WAN),
    ("上百亿", Bound.AT_LEAST, 100 * YI),
    ("逾10亿美元", Bound.AT_LEAST, 10 * YI),  # "more than"
    ("超过5000万美元", Bound.AT_LEAST, 5000 * WAN),
    ("近5亿美元", Bound.APPROX, 5 * YI),  # "nearly"
    ("约3亿元", Bound.APPROX, 3 * YI),
    ("高达1亿美元", Bound.UP_TO, YI),
    ("至少2亿", Bound.AT_LEAST, 2 * YI),
]


@pytest.mark.parametrize(("text", "bound", "value"), BOUNDED)
def test_bound_words(text: str, bound: Bound, value: float) -> None:
    money = Money.parse(text)
    assert (money.bound, money.value, money.high) == (bound, value, None)


#: the forms the press writes an amount in yuan, with the currency words before, after or both
CURRENCY_FORMS = [
    ("14亿元人民币", 14 * YI, "CNY"),
    ("人民币3亿元", 3 * YI, "CNY"),
    ("人民币14亿", 14 * YI, "CNY"),
    ("14亿人民币", 14 * YI, "CNY"),
    ("14亿元", 14 * YI, "CNY"),
    ("RMB 3亿元", 3 * YI, "CNY"),
    ("¥3亿元", 3 * YI, "CNY"),
    ("14亿港元", 14 * YI, "HKD"),
    ("14亿美元", 14 * YI, "USD"),
    ("US$14亿美元", 14 * YI, "USD"),
]


@pytest.mark.parametrize(("text", "value", "currency"), CURRENCY_FORMS)
def test_currency_forms(text: str, value: float, currency: str) -> None:
    money = Money.parse(text)
    assert (money.value, money.currency, money.bound) == (value, currency, Bound.EXACT)


def test_bound_and_currency_words_together() -> None:
    assert Money.parse("约人民币3亿元") == Money(3 * YI, "CNY", Bound.APPROX)
    assert Money.parse("约14亿元人民币").describe() == "~CNY 1.4B"


REFUSED = [
    "人民币3亿美元",  # two currencies
    "$3亿元",
    "3亿美元人民币",
    "14亿元元",
    "十几亿",  # 11亿-19亿? a count aiorg does not read
    "10多亿",  # "10-odd 亿": no upper end
    "10余亿",
    "百亿",  # a numeral without a digit
    "数",  # a count word with nothing to count
    "几",
    "上",
    "up to several billion",  # a bound on a magnitude
    "约数十亿",
    "逾上亿",
    "近百亿",
]


@pytest.mark.parametrize("text", REFUSED)
def test_forms_aiorg_cannot_pin_down_are_refused(text: str) -> None:
    with pytest.raises(MoneyParseError):
        Money.parse(text)


def test_two_currencies_are_named_in_the_error() -> None:
    with pytest.raises(MoneyParseError, match="CNY and USD"):
        Money.parse("人民币3亿美元")
