"""What a money filter matches in the deals no other source gives a figure for, read from the
store's typed columns, so that `deals_page` orders them without reading their records.

A deal whose amount, valuation and stake only its own source states has one version: its own
figures, which the deals table keeps as columns (amount_value/currency, valuation_value/currency,
stake). The match is the one aiorg.queries.deal_tuples.matched_in makes of the record, run on
those columns; `deals_page` reads the records it shows and checks that their match is the one the
columns gave (a store whose columns disagree with its records is read the slow way instead).
Like the narrowing before it, this trusts the columns to say which deals match.
"""

from __future__ import annotations

from typing import Any

from aiorg.kb import KnowledgeBase
from aiorg.money import Money
from aiorg.queries import deal_tuples

#: the deals some other source gives a figure for: each has several versions, read from its record
TOLD_OTHERWISE = (
    "SELECT seq FROM statements WHERE kind = 'deals' AND field IN "
    f"({', '.join(repr(field) for field in deal_tuples.FIGURES)})"
)

#: how a deal sorts: (minus the US dollars matched, or 1.0 when no figure matched; its id)
Key = tuple[float, str]


def plain_keys(
    kb: KnowledgeBase,
    where: str,
    parameters: tuple[Any, ...],
    basis: str,
    low: float | None,
    high: float | None,
    rates: dict[str, float],
) -> dict[int, Key]:
    """The sort key of every deal matching the SQL `where` whose figures only its own source
    gives, by its seq; a deal no figure of matches is left out when there is a bound."""
    sql = (
        "SELECT seq, id, amount_value, amount_currency, valuation_value, valuation_currency, stake FROM deals"
        f" WHERE {where or '1'} AND seq NOT IN ({TOLD_OTHERWISE})"
    )
    filtering = low is not None or high is not None
    keys: dict[int, Key] = {}
    for seq, record_id, amount, amount_in, valuation, valuation_in, stake in kb.query(sql, parameters):
        version = (
            Money(amount, amount_in) if amount is not None else None,
            Money(valuation, valuation_in) if valuation is not None else None,
            stake,
        )
        usd = deal_tuples.matched_usd([version], basis, low, high, rates)
        if usd is not None or not filtering:
            keys[int(seq)] = (-(usd if usd is not None else -1.0), str(record_id))
    return keys
