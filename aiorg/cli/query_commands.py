"""Query commands: thin wrappers that resolve names, call one query, and render rows."""

from __future__ import annotations

from typing import Annotated

import typer

from aiorg.cli.context import emit, state
from aiorg.cli.options import FormatOption, SinceOption, UntilOption
from aiorg.render import Column, OutputFormat

PEOPLE_COLUMNS = [
    Column("name", "Name"),
    Column("name_zh", "中文名"),
    Column("firm_name", "Firm"),
    Column("title", "Title", wrap=True),
    Column("cause_text", "Cause / state", wrap=True),
    Column("when", "When"),
    Column("certainty", "Certainty"),
    Column("source", "Source"),
]


def _window(since: str | None, until: str | None):  # type: ignore[no-untyped-def]
    from aiorg.dates import DateParseError
    from aiorg.errors import UsageError
    from aiorg.queries import Window

    try:
        return Window.parse(since, until)
    except DateParseError as error:
        raise UsageError(f"--since/--until: {error}") from None


def _day(text: str | None, option: str):  # type: ignore[no-untyped-def]
    from aiorg.dates import DateParseError, FuzzyDate
    from aiorg.errors import UsageError

    if text is None:
        return None
    try:
        return FuzzyDate.parse(text).earliest
    except DateParseError as error:
        raise UsageError(f"{option}: {error}") from None


def people(
    ctx: typer.Context,
    left: Annotated[
        str | None,
        typer.Option(
            "--left",
            metavar="FIRM",
            help="People whose role at FIRM ended by departure (left, founded, advisor, reported); not demotions.",
        ),
    ] = None,
    joined: Annotated[
        str | None, typer.Option("--joined", metavar="FIRM", help="People who took up a role at FIRM.")
    ] = None,
    at: Annotated[
        str | None, typer.Option("--at", metavar="FIRM", help="People currently at FIRM (or on --as-of).")
    ] = None,
    cause: Annotated[
        str | None,
        typer.Option("--cause", help="Only spells that ended this way: left, founded, advisor, demoted, reported."),
    ] = None,
    area: Annotated[
        str | None,
        typer.Option("--area", help="Only roles in this area: product, commercial, research, engineering, management."),
    ] = None,
    formal: Annotated[
        bool, typer.Option("--formal", help="Only formal departures (left, founded); excludes advisor moves.")
    ] = False,
    since: SinceOption = None,
    until: UntilOption = None,
    as_of: Annotated[str | None, typer.Option("--as-of", metavar="DATE", help="The world as it stood on DATE.")] = None,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """List role spells: who left, joined or is at a firm, and why.

    "Left FIRM" means a spell at FIRM (or one of its units) ended with cause
    left, founded, advisor or reported. Each row shows the cause, so an advisor
    move is never shown as a plain departure; --formal keeps only left/founded.

    Example: aiorg people --left minimax
    """
    from aiorg import queries
    from aiorg.errors import UsageError
    from aiorg.model import Area, EndCause

    app_state = state(ctx)
    kb = app_state.knowledge_base()
    firms = ("firms",)
    try:
        cause_value = EndCause(cause) if cause else None
        area_value = Area(area) if area else None
    except ValueError as error:
        raise UsageError(str(error)) from None
    rows = queries.people(
        kb,
        left=app_state.resolve(left, firms) if left else None,
        joined=app_state.resolve(joined, firms) if joined else None,
        at=app_state.resolve(at, firms) if at else None,
        cause=cause_value,
        area=area_value,
        formal=formal,
        window=_window(since, until),
        as_of=_day(as_of, "--as-of"),
    )
    emit(rows, PEOPLE_COLUMNS, fmt)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command()(people)
