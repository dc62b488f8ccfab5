"""A deal's figures and the one a money filter matched: pure functions of its amount, valuation
and stake (`Figures`), whichever version of them its sources tell (aiorg.queries.deal_tuples reads
the versions from a deal's tuple, aiorg.queries.deal_versions keeps them beside the store).

Which money a row leads with, and which source's claim on it the row cites, are here too.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable
from typing import NamedTuple, cast

from aiorg.claims import SourceLookup, Statement, ranked
from aiorg.money import Bound, Money, format_amount, to_usd

Figures = tuple[Money | None, Money | None, float | None]  # a deal's amount, valuation and stake
#: the numbers a money filter reads: a deal matches if any value a source gives them does
FIGURES = ("amount", "valuation", "stake")
#: which of a deal's fields each figure a money filter matches is made of
MADE_OF = {"amount": ("amount",), "valuation": ("valuation",), "implied valuation": ("amount", "stake")}


def figures(
    amount: Money | None, valuation: Money | None, stake: float | None, rates: dict[str, float]
) -> list[tuple[str, float]]:
    """A deal's comparable numbers: (what it is, USD); see aiorg.queries.deals.deal_figures."""
    found: list[tuple[str, float]] = []
    usd = to_usd(amount, rates) if amount is not None else None
    if usd is not None:
        found.append(("amount", usd))
    if valuation is not None:
        value = to_usd(valuation, rates)
        if value is not None:
            found.append(("valuation", value))
    elif usd is not None and stake:
        found.append(("implied valuation", usd * 100 / stake))
    return found


class Match(NamedTuple):
    """The figure a money filter matched: its US dollars, what it is ('amount', 'valuation',
    'implied valuation') and how it reads, with the bound of the figure it is or is computed from."""

    usd: float
    on: str
    text: str


def match(
    versions: Iterable[Figures], basis: str, low: float | None, high: float | None, rates: dict[str, float]
) -> Match | None:
    """The figure a money filter matched: in the first version (amount, valuation, stake) with a
    figure on the basis ('amount', 'valuation' or 'any') in range, the first such figure (amount,
    then valuation, then implied valuation); None when none is."""
    found = matched_in(versions, basis, low, high, rates)
    return found[0] if found is not None else None


def matched_in(
    versions: Iterable[Figures], basis: str, low: float | None, high: float | None, rates: dict[str, float]
) -> tuple[Match, Figures] | None:
    """`match`, with the version whose figure matched."""
    found = _in_range(versions, basis, low, high, rates)
    if found is None:
        return None
    version, label, value = found
    return Match(value, label, _matched_text(version, label, value, rates)), version


def every_match(version: Figures, rates: dict[str, float]) -> list[Match]:
    """Each figure of one version as a money filter that matched it would read it."""
    return [
        Match(value, label, _matched_text(version, label, value, rates)) for label, value in figures(*version, rates)
    ]


def matched_usd(
    versions: Iterable[Figures], basis: str, low: float | None, high: float | None, rates: dict[str, float]
) -> float | None:
    """The US dollars of the figure `match` finds (a sort key: its text is not written)."""
    found = _in_range(versions, basis, low, high, rates)
    return found[2] if found is not None else None


def _in_range(
    versions: Iterable[Figures], basis: str, low: float | None, high: float | None, rates: dict[str, float]
) -> tuple[Figures, str, float] | None:
    """The first figure on the basis in range, in the first version with one: (version, what
    it is, US dollars)."""
    for version in versions:
        for label, value in figures(*version, rates):
            if admits_figure(label == "amount", value, basis, low, high):
                return version, label, value
    return None


def admits_figure(amount: bool, value: float, basis: str, low: float | None, high: float | None) -> bool:
    """Whether a money filter matches a figure in US dollars: one on its basis ('amount',
    'valuation', which an implied valuation is too, or 'any') within [low, high]."""
    return (
        (basis == "any" or (basis == "amount") == amount)
        and (low is None or value >= low)
        and (high is None or value <= high)
    )


def money_cited(matched: Match | None, version: Figures | None, shown: Figures) -> tuple[str, Money] | None:
    """The money a deal row cites the source of: (field, value) of the figure that matched (an
    implied valuation's amount), else of the amount shown, else of the valuation shown."""
    if matched is not None and version is not None:
        name = "valuation" if matched.on == "valuation" else "amount"
        value = version[1] if name == "valuation" else version[0]
        return (name, value) if value is not None else None
    amount, valuation, _ = shown
    if amount is not None:
        return "amount", amount
    return ("valuation", valuation) if valuation is not None else None


def money_claim(
    cite: tuple[str, Money] | None,
    disputed: Container[str],
    claims_of: Callable[[str], list[Statement]],
    source_of: SourceLookup,
) -> Statement | None:
    """The claim a deal row cites for the money it leads with (`money_cited`): the one shown first
    among those giving that value, when the field is disputed or only another source states it
    (no claim of its own in `claims_of(field)`); None when the row cites its latest step."""
    if cite is None:
        return None
    name, value = cite
    claims = claims_of(name)
    if name not in disputed and any(claim.own for claim in claims):
        return None
    saying = [claim for claim in claims if claim.value == value]
    return ranked(saying, source_of)[0] if saying else None


def _matched_text(version: Figures, label: str, usd: float, rates: dict[str, float]) -> str:
    """How a matched figure reads, in US dollars: 'up to $100M', 'est. $32B', '~$196M' (from
    '~CNY 1.4B'), 'several ($2B–$10B)'; an implied valuation keeps its amount's bound."""
    amount, valuation, stake = version
    money = cast(Money, valuation if label == "valuation" else amount)
    if money.bound is Bound.EXACT:
        return format_amount(usd)
    high = None
    if money.high is not None:
        high = money.high * (1.0 if money.currency == "USD" else rates[money.currency])
        if label == "implied valuation":
            high = high * 100 / cast(float, stake)
    return Money(usd, "USD", money.bound, high).describe()
