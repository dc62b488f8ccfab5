"""Commands about sources: every source with how many claims it supports, and one source's claims."""

from __future__ import annotations

from typing import Annotated

import typer

from aiorg.cli.context import emit, note, state
from aiorg.cli.options import FormatOption, LimitOption, page_size
from aiorg.queries import shapes
from aiorg.render import Column, OutputFormat


def sources(ctx: typer.Context, limit: LimitOption = None, fmt: FormatOption = OutputFormat.TABLE) -> None:
    """List every source: kind, publisher, date, whether its text is archived, and how many claims it supports.

    Claims counts a source's word on a fact: a record's own source (once per record), each
    'also' item, and each deal step or condition with its own source. Passages counts the
    passages those claims quote (a claim quotes one or more): 'aiorg source ID' lists one row
    per passage, as many as Passages says. A source without an archived text has unchecked
    quotes.

    Example: aiorg sources --format csv
    """
    from aiorg.queries.sources import sources as list_sources

    rows = list_sources(state(ctx).knowledge_base())
    columns = [
        Column("source", "Id"),
        Column("title", "Title", drop=2),
        Column("kind", "Kind"),
        Column("publisher", "Publisher", drop=1),
        Column("language", "Lang", drop=3),
        Column("published", "Published", date=True),
        Column("text", "Text"),
        Column("sha256", "SHA-256", drop=4),
        Column("claims", "Claims"),
        Column("passages", "Passages"),
    ]
    emit(rows, columns, fmt, shapes.SOURCE, limit=page_size(limit, fmt), what="sources, in file order")


def source(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Source id, or its exact title.")],
    limit: LimitOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """List every claim one source supports: the record, the field(s) it states, its quote and where the quote is.

    One row per quoted passage: a claim that quotes several passages has a row for each, so a
    note says how many passages and how many claims ('aiorg sources' counts claims). 'At' is the
    quote's character offset in the source's archived text; a source without one says 'unchecked'.

    Example: aiorg source zimubang-2025-06
    """
    from aiorg.queries.sources import source_quotes

    app_state = state(ctx)
    shown = page_size(limit, fmt)
    found = source_quotes(app_state.knowledge_base(), app_state.source_id(name), shown)
    rows = found.rows
    columns = [
        Column("record_kind", "Kind", drop=3),
        Column("record", "Record", drop=2),
        Column("name", "Name"),
        Column("part", "Part", drop=1),
        Column("fields", "States"),
        Column("quote", "Quote"),
        Column("locator", "At", drop=4),
        Column("checked", "Checked"),
    ]
    counted = f"{_count(found.total, 'quoted passage')} of {_count(found.claims, 'claim')}"
    emit(
        rows,
        columns,
        fmt,
        shapes.SOURCE_CLAIM,
        empty="note: no claim cites this source",
        what=f"quoted passages of {_count(found.claims, 'claim')}, in file order",
        total=found.total,
    )
    if rows and found.total <= len(rows):  # else emit's note has said it
        note(f"note: {counted}")


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


#: this module's commands, looked up by name when one is run (see aiorg.cli.main)
COMMANDS = {command.__name__: command for command in (sources, source)}
