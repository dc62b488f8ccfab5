"""Profile and listing commands for people and firms: resolve a name, call one query, render."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from aiorg.cli.context import emit, emit_profile, state
from aiorg.cli.options import FormatOption, LimitOption, SectionOption, page_size
from aiorg.queries import shapes
from aiorg.render import Column, OutputFormat, Section

if TYPE_CHECKING:
    pass

from aiorg.cli.columns import (
    CAREER_COLUMNS,
    EVENT_COLUMNS,
    FIRM_COLUMNS,
    PEOPLE_COLUMNS,
    PROFILE_DEAL_COLUMNS,
    certainty_column,
)
from aiorg.cli.parsing import FIRMS, PEOPLE, choice

#: a profile's "Sources": every claim, the field(s) it states, its quote and where the quote is
PROFILE_QUOTE_COLUMNS = [
    Column("record", "Fact"),
    Column("part", "Part", drop=2),
    Column("source", "Source"),
    Column("fields", "States", drop=1),
    Column("quote", "Quote"),
    Column("locator", "At", drop=3),
    Column("checked", "Checked"),
]


def person(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Id, English or Chinese name, or alias.")],
    section: SectionOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Profile of one person: names, career in order, deals and offers, events, and every quote.

    Example: aiorg person 张前川
    """
    from aiorg import queries

    app_state = state(ctx)
    profile = queries.person_profile(app_state.knowledge_base(), app_state.resolve(name, PEOPLE))
    emit_profile(
        profile,
        [
            Column("person", "Id"),
            Column("name", "Name"),
            Column("name_zh", "中文名"),
            Column("aliases", "Also known as"),
        ],
        [
            Section("career", "Career", CAREER_COLUMNS, shapes.SPELL),
            Section("deals", "Deals and offers", PROFILE_DEAL_COLUMNS, shapes.DEAL),
            Section("events", "Events", EVENT_COLUMNS, shapes.EVENT),
            Section("quotes", "Sources", PROFILE_QUOTE_COLUMNS, shapes.QUOTE),
        ],
        fmt,
        section,
    )


def firms(
    ctx: typer.Context,
    group: Annotated[
        str | None, typer.Option("--group", help="Only firms in this group (name or id), e.g. 六小龙.")
    ] = None,
    country: Annotated[
        str | None,
        typer.Option(
            "--country", help="Only firms in this country: ISO code, English or Chinese name (CN, China, 中国)."
        ),
    ] = None,
    strategy: Annotated[
        str | None, typer.Option("--strategy", help="Only firms whose derived or stated strategy has this label.")
    ] = None,
    limit: LimitOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """List firms with their country, groups and counts of people, departures and deals.

    Example: aiorg firms --group six-dragons
    """

    app_state = state(ctx)
    kb = app_state.knowledge_base()
    only = None
    if strategy is not None:
        from aiorg import strategy as strategy_module
        from aiorg.model import Strategy

        label = choice(Strategy, strategy, "--strategy")
        only = strategy_module.firms_with_label(kb, label)
    group_id = app_state.resolve(group, ("groups",)) if group else None
    if country is not None:
        from aiorg.countries import parse_country
        from aiorg.queries.profiles import countries_in

        country = parse_country(country, countries_in(kb))
    from aiorg.cli.firm_tables import counts_as_read
    from aiorg.queries.inferred import groups_as_read
    from aiorg.queries.profiles import firms_page

    page = firms_page(kb, group=group_id, country=country, only=only, limit=page_size(limit, fmt))
    rows = counts_as_read(groups_as_read(kb, page.rows)) if fmt is OutputFormat.TABLE else page.rows
    emit(rows, FIRM_COLUMNS, fmt, shapes.FIRM, what="firms, by name", total=page.total)


def firm(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Id, English or Chinese name, alias or former name.")],
    section: SectionOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Profile of one firm: people who joined or left, deals on each side, products, metrics, strategy claims.

    Example: aiorg firm 月之暗面
    """
    from aiorg import queries
    from aiorg.cli.firm_tables import left_title, links_marked

    app_state = state(ctx)
    profile = queries.firm_profile(app_state.knowledge_base(), app_state.resolve(name, FIRMS))
    emit_profile(
        links_marked(profile) if fmt is OutputFormat.TABLE else profile,
        [
            Column("firm", "Id"),
            Column("name", "Name"),
            Column("name_zh", "中文名"),
            Column("aliases", "Also known as"),
            Column("country", "Country"),
            Column("category", "Category"),
            Column("groups", "Groups"),
            Column("parent", "Part of"),
            Column("units", "Units"),
        ],
        [
            Section("people_left", left_title(profile), PEOPLE_COLUMNS, shapes.SPELL),
            Section("people_demoted", "People demoted", PEOPLE_COLUMNS, shapes.SPELL),
            Section("people_joined", "People who joined, in the role they joined in", PEOPLE_COLUMNS, shapes.SPELL),
            Section("deals_as_buyer", "Deals as buyer", PROFILE_DEAL_COLUMNS, shapes.DEAL),
            Section("deals_as_target", "Deals as target", PROFILE_DEAL_COLUMNS, shapes.DEAL),
            Section(
                "products",
                "Products",
                [
                    Column("name", "Name"),
                    Column("kind", "Kind"),
                    Column("category", "Category"),
                    Column("former_names", "Former names"),
                ],
                shapes.PRODUCT,
            ),
            Section(
                "metrics",
                "Metrics",
                [
                    Column("subject", "Of"),
                    Column("metric", "Metric"),
                    Column("value", "Value"),
                    Column("unit", "Unit"),
                    Column("bound", "Bound"),
                    Column("as_of", "As of", date=True),
                    certainty_column(drop=2),
                ],
                shapes.METRIC,
            ),
            Section(
                "claims",
                "Strategy claims",
                [
                    Column("strategy", "Label"),
                    Column("text", "Claim"),
                    Column("via", "Via group"),
                    certainty_column(drop=2),
                ],
                shapes.CLAIM,
            ),
            Section("events", "Events", EVENT_COLUMNS, shapes.EVENT),
        ],
        fmt,
        section,
    )


#: this module's commands, looked up by name when one is run (see aiorg.cli.main)
COMMANDS = {command.__name__: command for command in (person, firms, firm)}
