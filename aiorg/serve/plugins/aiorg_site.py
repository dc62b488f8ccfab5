"""The Datasette plugin aiorg ships: `aiorg serve` loads it with --plugins-dir.

- aiorg_norm(text): a name in the form NameIndex compares (case, width, separators ignored);
- aiorg_usd(text): an amount typed as 1e9, $1B or 10亿美元, in US dollars (NULL if it is not one);
- US-dollar columns (`*_usd`) shown as $14.3B, with the number in the cell's title; the column
  stays a number, so sorting and filtering work on the value;
- in a record's table, its `source` cell links to the source and shows the record's first quote;
  in a canned query, ids link to their record (person, firm, deal, tenure, source, record).
"""

from __future__ import annotations

import sqlite3
from typing import Any

import pluggy
from markupsafe import Markup, escape

from aiorg.money import Money, MoneyParseError, format_amount, to_usd
from aiorg.names import normalise_name

hookimpl = pluggy.HookimplMarker("datasette")

#: tables whose rows are facts with a source and a quote (the export's record tables)
QUOTED_TABLES = frozenset({"groups", "firms", "people", "products", "tenures", "deals", "events", "metrics", "claims"})
#: columns of canned-query results that hold an id, and the table it is in
ID_COLUMNS = {
    "person": "people",
    "firm": "firms",
    "tenure": "tenures",
    "deal": "deals",
    "source": "sources",
    "origin": "firms",
    "destination": "firms",
}


def norm(text: Any) -> str:
    """aiorg_norm(): '' for NULL."""
    return normalise_name(str(text)) if text is not None else ""


def usd(text: Any) -> float | None:
    """aiorg_usd(): US dollars, or None for text that is not an amount in US dollars."""
    if text is None or not str(text).strip():
        return None
    try:
        return to_usd(Money.parse(str(text)), {})
    except MoneyParseError:
        return None


@hookimpl
def prepare_connection(conn: sqlite3.Connection) -> None:
    """Register the SQL functions the canned queries use."""
    conn.create_function("aiorg_norm", 1, norm, deterministic=True)
    conn.create_function("aiorg_usd", 1, usd, deterministic=True)


def money_cell(value: Any) -> Markup | None:
    """$14.3B for a number of US dollars."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    return Markup('<span class="aiorg-usd" title="{}">{}</span>').format(f"{value:,.0f} USD", format_amount(value))


def _link(datasette: Any, database: str, table: str, record: str, label: str | None = None) -> Markup:
    url = datasette.urls.row(database, table, record)
    return Markup('<a href="{}">{}</a>').format(url, label or record)


@hookimpl
def render_cell(row: Any, value: Any, column: str, table: str | None, database: str, datasette: Any) -> Any:
    """Money as $14.3B; a record's source with its quote; ids in canned queries as links."""
    if column.endswith("_usd"):
        return money_cell(value)
    if table is None:
        target = row["kind"] if column == "record" and "kind" in row.keys() else ID_COLUMNS.get(column)  # noqa: SIM118 (a sqlite3.Row)
        if target in QUOTED_TABLES | {"sources"} and isinstance(value, str) and value:
            return _link(datasette, database, target, value)
        return None
    if table in QUOTED_TABLES and column == "source" and value is not None:
        source, label = (value["value"], value["label"]) if isinstance(value, dict) else (value, value)
        try:
            record = row["id"]
        except (IndexError, KeyError):  # the id column was left out with ?_col=
            return None

        async def with_quote() -> Markup:
            found = await datasette.get_database(database).execute(
                "SELECT quote FROM quotes WHERE record = ? AND record_kind = ? ORDER BY id LIMIT 1", [record, table]
            )
            quote = found.first()
            cited = _link(datasette, database, "sources", source, label)
            if quote is None:
                return cited
            return Markup('{}<blockquote class="aiorg-quote">{}</blockquote>').format(cited, escape(quote[0]))

        return with_quote
    return None
