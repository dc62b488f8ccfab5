"""Commands about sources: every source with how many claims it supports, and one source's claims."""

from __future__ import annotations

from typing import Annotated

import typer

from aiorg.cli.context import emit, state
from aiorg.cli.options import FormatOption, LimitOption, page_size
from aiorg.queries import shapes
from aiorg.render import Column, OutputFormat


def sources(ctx: typer.Context, limit: LimitOption = None, fmt: FormatOption = OutputFormat.TABLE) -> None:
    """List every source: kind, publisher, date, whether its text is archived, and how many claims it supports.

    A claim is a record's own source (once per record), each 'also' item, and each deal step or
    condition with its own source. A source without an archived text has unchecked quotes.

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
    ]
    emit(rows, columns, fmt, shapes.SOURCE, limit=page_size(limit, fmt), what="sources, in file order")


def source(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Source id, or its exact title.")],
    limit: LimitOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """List every claim one source supports: the record, the field(s) it states, its quote and where the quote is.

    'At' is the quote's character offset in the source's archived text; a source without one says 'unchecked'.

    Example: aiorg source zimubang-2025-06
    """
    from aiorg.queries.sources import source_claims

    app_state = state(ctx)
    rows = source_claims(app_state.knowledge_base(), app_state.source_id(name))
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
    emit(
        rows,
        columns,
        fmt,
        shapes.SOURCE_CLAIM,
        empty="note: no claim cites this source",
        limit=page_size(limit, fmt),
        what="claims, in file order",
    )


#: this module's commands, looked up by name when one is run (see aiorg.cli.main)
COMMANDS = {command.__name__: command for command in (sources, source)}
