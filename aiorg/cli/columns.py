"""The columns each command's table shows, and which ones give way first on a narrow terminal."""

from __future__ import annotations

import re
from typing import Any

from aiorg.model import Certainty
from aiorg.render import Column, OutputFormat


def certainty_column(drop: int) -> Column:
    """The Certainty column: it gives way (at `drop`) only while every row is confirmed, so
    a planned, reported, rumoured or inferred fact never reads as an established one."""
    return Column("certainty", "Certainty", drop=drop, quiet=Certainty.CONFIRMED.value)


PEOPLE_COLUMNS = [
    Column("name", "Name"),
    Column("name_zh", "中文名"),
    Column("firm_name", "Firm"),
    Column("title", "Title", drop=1),
    Column("cause_text", "Cause / state"),
    Column("when", "When", date=True),  # a disputed one: see dates_for_table
    certainty_column(drop=2),
    Column("source", "Source", drop=3),
]
CAREER_COLUMNS = [
    Column("firm_name", "Firm"),
    Column("title", "Title"),
    Column("kind", "Kind", drop=2),
    Column("start", "Start", date=True),
    Column("end", "End", date=True),
    Column("state", "State", drop=1),
    Column("cause_text", "Cause"),
    certainty_column(drop=3),
]
DEAL_COLUMNS = [
    Column("deal", "Deal"),
    Column("buyer_names", "Buyers"),
    Column("target_names", "Targets"),
    Column("kind", "Kind", drop=3),
    Column("status_text", "Status"),
    Column("amount", "Amount"),
    Column("valuation", "Valuation"),
    Column("stake_percent", "Stake %", drop=2),
    Column("matched_on", "Matched on"),
    Column("value", "Value"),
    Column("when", "When", date=True),
    certainty_column(drop=2),
    Column("conditions", "Conditions", drop=1),
]
# In a profile no money filter applies, so there is no matched number to show.
PROFILE_DEAL_COLUMNS = [c for c in DEAL_COLUMNS if c.key not in ("matched_on", "value")]
EVENT_COLUMNS = [
    Column("when", "When", date=True),
    Column("kind", "Kind"),
    Column("text", "What happened"),
    certainty_column(drop=2),
]
TIMELINE_COLUMNS = [
    Column("when", "When", date=True),  # a disputed one: see dates_for_table
    Column("kind", "Kind"),
    Column("text", "What happened"),
    certainty_column(drop=2),
    Column("record", "Fact"),
]
QUOTE_COLUMNS = [Column("record", "Fact"), Column("source", "Source"), Column("quote", "Quote")]
FIRM_COLUMNS = [
    Column("firm", "Id"),
    Column("name", "Name"),
    Column("name_zh", "中文名"),
    Column("country", "Country"),
    Column("category", "Category"),
    Column("groups", "Groups"),
    Column("people", "People"),
    Column("departures", "Departures"),
    Column("deals", "Deals"),
]


def for_table(rows: list[dict[str, Any]], columns: list[Column], fmt: OutputFormat) -> list[dict[str, Any]]:
    """The rows a listing's table draws (`dates_for_table`), with each value a row's `inferred`
    names that `columns` show bare (a deal's Kind and Stake %) marked, as a profile's tables mark
    theirs. JSON and CSV keep the rows as they are: `inferred` says it there."""
    if fmt is not OutputFormat.TABLE:
        return rows
    drawn = dates_for_table(rows, fmt)
    return [row | marked_cells(row, row["inferred"], columns) if row.get("inferred") else row for row in drawn]


def dates_for_table(rows: list[dict[str, Any]], fmt: OutputFormat) -> list[dict[str, Any]]:
    """The rows a table draws: a disputed `when` ('2024-09 | by 2024-10 (disputed, 2 sources)')
    with each claimed date on a line of its own, since a date column is as wide as its widest
    line (it never wraps inside a date), and one such row must not push the table past the
    terminal: '2024-09 |', 'by 2024-10', '(disputed,', '2 sources)'. An inferred date's mark
    goes on a line of its own too: 'c. 2025-06', '(inferred)'. JSON and CSV keep the one-line text."""
    if fmt is not OutputFormat.TABLE:
        return rows
    return [dict(row, when=_lines(row["when"])) if _NOTES.search(row.get("when") or "") else row for row in rows]


_NOTES = re.compile(r" \((?:disputed|inferred)")


def _lines(note: str) -> str:
    return note.replace(" | ", " |\n").replace(" (disputed, ", "\n(disputed,\n").replace(" (inferred)", "\n(inferred)")


#: the row key a table shows a field's value under, where it is not the field's own name
_SHOWN_UNDER = {"stake": "stake_percent", "history.certainty": "certainty"}


def marked_cells(row: dict[str, Any], fields: list[str], columns: list[Column]) -> dict[str, Any]:
    """The cells of `row` that show one of `fields` in one of `columns`, with " (inferred)" after
    them (on a line of its own under a date); a text the row marks already is left as it is."""
    from aiorg.dates import describe_text
    from aiorg.queries.common import INFERRED

    dates = {column.key: column.date for column in columns}
    cells: dict[str, Any] = {}
    for name in fields:
        key = _SHOWN_UNDER.get(name, name)
        value = row.get(key)
        if key not in dates or value in (None, "", []):
            continue
        if isinstance(value, list):
            cells[key] = [text if "inferred)" in text else text + INFERRED for text in map(str, value)]
        elif "inferred)" not in str(value):
            text = describe_text(str(value)) if dates[key] else _number(value)
            cells[key] = text + ("\n" + INFERRED.strip() if dates[key] else INFERRED)
    return cells


def _number(value: Any) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
