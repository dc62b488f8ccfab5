"""What a money filter matches in the deals no other source gives a figure for, read from the
store's typed columns, so that `deals_page` orders them without reading their records.

A deal whose amount, valuation and stake only its own source states has one version: its own
figures, which the deals table keeps as columns (amount_value/currency, valuation_value/currency,
stake). The match is the one aiorg.queries.deal_match.matched_in makes of the record, run on
those columns; `deals_page` reads the records it shows and checks that their match is the one the
columns gave (a store whose columns disagree with its records is read the slow way instead).
Like the narrowing before it, this trusts the columns to say which deals match.
"""

from __future__ import annotations

from typing import Any

from aiorg.kb import KnowledgeBase
from aiorg.money import Money
from aiorg.queries import deal_match

#: the deals some other source gives a figure for: each has several versions, read from its record
TOLD_OTHERWISE = "SELECT seq FROM deals WHERE figures_also_told"

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
    limit: int | None = None,
) -> tuple[dict[int, Key], int]:
    """The sort keys of the deals matching the SQL `where` whose figures only their own source
    gives, by seq (a deal no figure of matches is left out when there is a bound), and how many
    there are. With a `limit` and no `rates`, only the first `limit` of them in order: SQLite
    computes the keys (`_usd_sql`) and sorts; else every one, computed here."""
    told_otherwise = f"{where or '1'} AND NOT figures_also_told"
    filtering = low is not None or high is not None
    if limit is not None and not rates:
        matched, bound = _usd_sql(basis, low, high)
        keyed = f"SELECT seq, id, {matched} AS usd FROM deals WHERE {told_otherwise}"
        kept = f"FROM ({keyed}) WHERE usd IS NOT NULL" if filtering else f"FROM ({keyed})"
        ((count,),) = kb.query(f"SELECT count(*) {kept}", (*bound, *parameters))
        rows = kb.query(
            f"SELECT seq, id, usd {kept} ORDER BY coalesce(usd, -1.0) DESC, id LIMIT ?", (*bound, *parameters, limit)
        )
        return {
            int(seq): (-(value if value is not None else -1.0), str(record_id)) for seq, record_id, value in rows
        }, count
    sql = (
        "SELECT seq, id, amount_value, amount_currency, valuation_value, valuation_currency, stake FROM deals"
        f" WHERE {told_otherwise}"
    )
    keys: dict[int, Key] = {}
    for seq, record_id, amount, amount_in, valuation, valuation_in, stake in kb.query(sql, parameters):
        version = (
            Money(amount, amount_in) if amount is not None else None,
            Money(valuation, valuation_in) if valuation is not None else None,
            stake,
        )
        usd = deal_match.matched_usd([version], basis, low, high, rates)
        if usd is not None or not filtering:
            keys[int(seq)] = (-(usd if usd is not None else -1.0), str(record_id))
    return keys, len(keys)


def _usd_sql(basis: str, low: float | None, high: float | None) -> tuple[str, tuple[float, ...]]:
    """SQL for deal_match.matched_usd of a deal's own figures at no rates (only US dollars
    compare), and its parameters: the first figure on the basis in range, in the order
    deal_match.figures gives them (the amount; the valuation, or when there is none, the
    valuation the amount and stake imply), else NULL."""
    tests = [(op, bound) for op, bound in ((">=", low), ("<=", high)) if bound is not None]

    def in_range(value: str) -> tuple[str, tuple[float, ...]]:
        return " AND ".join([f"{value} IS NOT NULL", *(f"{value} {op} ?" for op, _ in tests)]), tuple(
            bound for _, bound in tests
        )

    amount = "CASE WHEN amount_currency = 'USD' THEN amount_value END"
    implied = f"({amount}) * 100 / stake"
    arms: list[str] = []
    parameters: list[float] = []
    if basis != "valuation":
        test, bound = in_range(f"({amount})")
        arms.append(f"WHEN {test} THEN amount_value")
        parameters += bound
    if basis != "amount":
        test, bound = in_range("valuation_value")
        valuation = f"CASE WHEN valuation_currency = 'USD' AND {test} THEN valuation_value END"
        arms.append(f"WHEN valuation_value IS NOT NULL THEN {valuation}")
        parameters += bound
        test, bound = in_range(f"({implied})")
        arms.append(f"WHEN stake IS NOT NULL AND stake != 0 AND {test} THEN {implied}")
        parameters += bound
    return f"(CASE {' '.join(arms)} END)", tuple(parameters)
