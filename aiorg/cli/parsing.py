"""Turning option text into typed values, each with a one-line usage error naming the option."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import Enum
from typing import TYPE_CHECKING, TypeVar, overload

if TYPE_CHECKING:
    from aiorg.money import Money
    from aiorg.queries import Window

T = TypeVar("T")
E = TypeVar("E", bound=Enum)
FIRMS = ("firms",)
PEOPLE = ("people",)


def parsed(option: str, parse: Callable[[str], T], text: str | None) -> T | None:
    """Parse an option value; a ValueError becomes a one-line usage error naming the option."""
    from aiorg.errors import UsageError

    if text is None:
        return None
    try:
        return parse(text)
    except ValueError as error:
        raise UsageError(f"{option}: {error}") from None


def window_of(since: str | None, until: str | None) -> Window:
    """The --since/--until window; each bad date names its own option."""
    from aiorg.queries import Window

    parsed("--since", lambda value: Window.parse(value, None), since)
    parsed("--until", lambda value: Window.parse(None, value), until)
    window = Window.parse(since, until)
    window.refuse_empty()
    return window


def known_day_of(text: str | None) -> date | None:
    """The day a --known-as-of value stands for: like --as-of, the end of the period it names."""
    from aiorg.asof import as_of_day

    return parsed("--known-as-of", as_of_day, text)


def money_of(text: str | None, option: str) -> Money | None:
    from aiorg.money import Money

    return parsed(option, Money.parse, text)


def rates_of(texts: list[str] | None) -> dict[str, float]:
    """The --rate values by the currency code amounts are stored under (RMB=... is CNY's rate); one
    currency given two different rates is a usage error, not the last one silently."""
    from aiorg.errors import UsageError
    from aiorg.money import parse_rate

    rates: dict[str, float] = {}
    for text in texts or []:
        code, rate = parsed("--rate", parse_rate, text)  # type: ignore[misc]
        if rates.get(code, rate) != rate:
            raise UsageError(f"--rate: {code} is given two rates, {rates[code]:g} and {rate:g}")
        rates[code] = rate
    return rates


@overload
def choice(enum_type: type[E], value: str, option: str) -> E: ...
@overload
def choice(enum_type: type[E], value: None, option: str) -> None: ...
@overload
def choice(enum_type: type[E], value: str | None, option: str) -> E | None: ...
def choice(enum_type: type[E], value: str | None, option: str) -> E | None:
    """The enum member named `value` (None for None); anything else is a usage error with a suggestion."""
    from aiorg.errors import UsageError
    from aiorg.names import did_you_mean

    if value is None:
        return None
    allowed = [str(member.value) for member in enum_type]
    if value not in allowed:
        raise UsageError(f"{option}: {value!r} is not one of {', '.join(allowed)}{did_you_mean(value, allowed)}")
    return enum_type(value)
