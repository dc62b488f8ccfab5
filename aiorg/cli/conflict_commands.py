"""`aiorg conflicts`: every disputed fact with every side of it."""

from __future__ import annotations

from typing import Annotated

import typer

from aiorg.cli.context import emit, state
from aiorg.cli.options import FormatOption, LimitOption, page_size
from aiorg.queries import shapes
from aiorg.render import Column, OutputFormat

COLUMNS = [
    Column("record", "Record"),
    Column("name", "Name"),
    Column("field", "Field"),
    Column("claim", "#"),
    Column("value", "Value"),
    Column("source", "Source"),
    Column("source_kind", "Kind"),
    Column("published", "Published"),
    Column("quote", "Quote"),
    Column("checked", "Checked"),
]


def conflicts(
    ctx: typer.Context,
    kind: Annotated[
        list[str] | None,
        typer.Option("--kind", metavar="KIND", help="Only records of this kind (tenures, deals, ...); repeatable."),
    ] = None,
    limit: LimitOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """List every disputed fact: each source's value side by side, the value shown first as #1.

    One row per claim; the rows of one fact share its record and field. Which value is shown
    first follows the documented rule: a source marked preferred, then the kind of source
    (filing > official statement > interview > article > social post), then the most recent.
    A table shows the first 100 claims (--limit N; 0 for all), and then the rest of the last
    fact's, so that no dispute shows one side only; json, csv and excel hold every claim.

    Example: aiorg conflicts --kind tenures
    """
    from aiorg.queries.conflicts_page import conflicts_page

    page = conflicts_page(state(ctx).knowledge_base(), kind or None, limit=page_size(limit, fmt))
    emit(
        page.rows,
        COLUMNS,
        fmt,
        shapes.CONFLICT,
        empty="note: no disputed facts: no two sources of a fact disagree",
        what="claims on disputed facts, in file order",
        total=page.total,
    )


#: this module's commands, looked up by name when one is run (see aiorg.cli.main)
COMMANDS = {command.__name__: command for command in (conflicts,)}
