"""Money is parsed from text, never from YAML's number typing."""

from __future__ import annotations

import pytest

from aiorg.money import Bound, Money, MoneyParseError, parse_number, parse_percent


@pytest.mark.parametrize(
    ("text", "usd"),
    [
        ("14.3e9", 14.3e9),
        ("14.3e+9", 14.3e9),
        ("14300000000", 14.3e9),
        ("$14.3B", 14.3e9),
        ("14.3 billion", 14.3e9),
        ("$14.3 billion", 14.3e9),
        ("143亿美元", 14.3e9),
        ("143亿", 14.3e9),
        ("1.6亿", 1.6e8),
        ("3500万", 3.5e7),
        ("10bn", 1e10),
        ("10B", 1e10),
        ("1.4e10", 1.4e10),
        ("1,000,000", 1e6),
    ],
)
def test_amounts(text: str, usd: float) -> None:
    money = Money.parse(text)
    assert money.value == pytest.approx(usd)
    assert money.bound is Bound.EXACT
    assert money.currency == "USD"


def test_bounds() -> None:
    assert Money.parse("up to $100M").bound is Bound.UP_TO
    assert Money.parse("高达1亿美元").value == pytest.approx(1e8)
    assert Money.parse("at least 1e9").bound is Bound.AT_LEAST
    assert Money.parse("est. 320亿美元").bound is Bound.ESTIMATE
    several = Money.parse("数十亿美元")
    assert several.bound is Bound.SEVERAL
    assert (several.value, several.high) == (2e9, 1e10)
    assert Money.parse("several billion") == several


def test_describe_keeps_the_bound() -> None:
    assert Money.parse("up to 1亿美元").describe() == "up to $100M"
    assert Money.parse("143亿美元").describe() == "$14.3B"


@pytest.mark.parametrize("text", ["abc", "1e", "", "$", "1.2.3", "12 apples", "亿"])
def test_junk_is_rejected(text: str) -> None:
    with pytest.raises(MoneyParseError):
        Money.parse(text)


def test_numbers_and_percentages() -> None:
    assert parse_number("3.5亿") == pytest.approx(3.5e8)
    assert parse_number("49%") == 49
    assert parse_percent("49%") == 49
    with pytest.raises(ValueError):
        parse_percent("149%")
    with pytest.raises(ValueError):
        parse_number("lots")


@pytest.mark.parametrize("text", ["1e400", "9e307B", "1e300B", "1e300万亿美元"])
def test_an_amount_too_large_for_a_float_is_refused(text: str) -> None:
    """It read as infinity, which reached SQL as the column name `nan`: exit 70, not a usage error."""
    with pytest.raises(MoneyParseError, match="not a finite number"):
        Money.parse(text)


def test_deals_refuses_an_infinite_bound_with_a_usage_error() -> None:
    from tests.conftest import run_cli

    result = run_cli("deals", "--min", "1e400")
    assert result.exit_code == 2 and "is not a finite number" in result.stderr
