"""Query commands: thin wrappers that resolve names, call one query, and render rows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from aiorg.cli.context import emit, note, state
from aiorg.cli.options import FormatOption, LimitOption, SinceOption, UntilOption, page_size
from aiorg.queries import shapes
from aiorg.render import Column, OutputFormat

if TYPE_CHECKING:
    from aiorg.kb import KnowledgeBase

from aiorg.cli.columns import DEAL_COLUMNS, PEOPLE_COLUMNS, TIMELINE_COLUMNS, for_table
from aiorg.cli.parsing import FIRMS, PEOPLE, choice, money_of, parsed, rates_of, window_of


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
        str | None,
        typer.Option(
            "--at",
            metavar="FIRM",
            help="People at FIRM (or on --as-of): roles stated current, and roles begun with no end stated "
            "(marked 'end not stated'); a planned role is listed with Certainty planned.",
        ),
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
    limit: LimitOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """List role spells: who left, joined or is at a firm, and why.

    "Left FIRM" means a spell at FIRM (or one of its units) ended with cause
    left, founded, advisor or reported. Each row shows the cause, so an advisor
    move is never shown as a plain departure; --formal keeps only left/founded.
    A demotion is not a departure (see --cause demoted).

    Example: aiorg people --left minimax
    """
    from aiorg import queries
    from aiorg.asof import as_of_day
    from aiorg.model import Area, EndCause
    from aiorg.queries.people_page import people_page

    app_state = state(ctx)
    kb = app_state.knowledge_base()
    filters: dict[str, Any] = {
        "left": app_state.resolve(left, FIRMS) if left else None,
        "joined": app_state.resolve(joined, FIRMS) if joined else None,
        "at": app_state.resolve(at, FIRMS) if at else None,
        "cause": choice(EndCause, cause, "--cause"),
        "area": choice(Area, area, "--area"),
        "formal": formal,
        "window": window_of(since, until),
        "as_of": parsed("--as-of", as_of_day, as_of),
    }
    page = people_page(kb, **filters, limit=page_size(limit, fmt))
    emit(
        for_table(page.rows, PEOPLE_COLUMNS, fmt),
        PEOPLE_COLUMNS,
        fmt,
        shapes.SPELL,
        empty=None if filters["left"] else "note: no role spell matches these options",
        what="role spells, earliest first",
        total=page.total,
    )
    if as_of is not None:
        undecided = queries.people_undecided(kb, **filters)
        if undecided:
            note(
                f"note: {len(undecided)} more role spell(s) may match, but their dates cannot place them "
                f"before or after {filters['as_of']}: {', '.join(undecided)}"
            )
    if not page.total and filters["left"]:
        _note_no_departures(kb, str(filters["left"]))


def _note_no_departures(kb: KnowledgeBase, firm_id: str) -> None:
    """Say why `--left FIRM` found nobody: no departure is recorded, or other filters excluded them."""
    from aiorg import queries
    from aiorg.model import EventKind

    every = queries.people(kb, left=firm_id)
    if every:
        note(f"note: {len(every)} departure(s) from {kb.name_of(firm_id)} are recorded; the other options exclude them")
        return
    note(f"note: no named departures from {kb.name_of(firm_id)} are recorded")
    for event in kb.events:
        if event.kind is EventKind.DEPARTURES and firm_id in event.subjects:
            note(f"note: the sources report unnamed departures from {kb.name_of(firm_id)}: {event.id}")


def deals(
    ctx: typer.Context,
    minimum: Annotated[
        str | None, typer.Option("--min", help="At least this much: 10e9, 10B, $14.3 billion, 143亿美元.")
    ] = None,
    maximum: Annotated[str | None, typer.Option("--max", help="At most this much.")] = None,
    basis: Annotated[
        str,
        typer.Option("--basis", help="Which number --min/--max compare: amount, valuation (stated or implied) or any."),
    ] = "any",
    party: Annotated[
        str | None, typer.Option("--party", metavar="NAME", help="Only deals with this firm or person on either side.")
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            help="acquisition, stake, funding_round, acquihire, compensation_offer, asking_price, recruitment, merger.",
        ),
    ] = None,
    status: Annotated[
        str | None,
        typer.Option("--status", help="rumoured, in_talks, offered, asked, agreed, completed, rejected, abandoned."),
    ] = None,
    rate: Annotated[
        list[str] | None,
        typer.Option(
            "--rate",
            metavar="CUR=USD",
            help="Exchange rate for comparing other currencies, in US dollars per unit: --rate CNY=0.14. Repeatable.",
        ),
    ] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    limit: LimitOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """List deals, offers and asks, largest first, showing which number matched.

    The default basis is 'any': a deal matches if its amount, stated valuation or
    implied valuation (amount / stake) is in range. Each row says which one matched.

    Example: aiorg deals --min 10e9
    """
    from aiorg import queries
    from aiorg.model import DealKind, DealStatus
    from aiorg.queries.deals_page import deals_page

    app_state = state(ctx)
    kb = app_state.knowledge_base()
    rates = rates_of(rate)
    page = deals_page(
        kb,
        limit=page_size(limit, fmt),
        rates=rates,
        minimum=money_of(minimum, "--min"),
        maximum=money_of(maximum, "--max"),
        basis=choice(queries.Basis, basis, "--basis"),
        party=app_state.resolve(party, ("firms", "people")) if party else None,
        kind=choice(DealKind, kind, "--kind"),
        status=choice(DealStatus, status, "--status"),
        window=window_of(since, until),
    )
    rows = for_table(page.rows, DEAL_COLUMNS, fmt)
    emit(rows, DEAL_COLUMNS, fmt, shapes.DEAL, what="deals, largest first", total=page.total)
    # With a money filter, an empty answer needs the note most.
    skipped = queries.unconverted_currencies(kb, rates) if page.total or minimum or maximum else []
    if skipped and (minimum or maximum):
        note(f"note: figures in {', '.join(skipped)} were not compared; give --rate to include them")
    elif skipped:  # largest first, in US dollars: the others cannot be placed
        note(
            f"note: figures in {', '.join(skipped)} are not in US dollars, so deals with no other figure are listed"
            f" last, unranked; give --rate {skipped[0]}=USD_PER_UNIT to rank them"
        )


def timeline(
    ctx: typer.Context,
    firm: Annotated[
        str | None, typer.Option("--firm", metavar="NAME", help="Only facts about this firm, its units or products.")
    ] = None,
    person: Annotated[
        str | None, typer.Option("--person", metavar="NAME", help="Only facts naming this person.")
    ] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    limit: LimitOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Every dated fact in order: role starts and ends, deal steps, product changes, reports.

    Each date keeps its precision ("2024-09", "between 2024-12 and 2025-06").

    Example: aiorg timeline --firm stepfun
    """
    from aiorg import queries
    from aiorg.queries.timeline_page import timeline_page

    app_state = state(ctx)
    kb = app_state.knowledge_base()
    firm_id = app_state.resolve(firm, FIRMS) if firm else None
    person_id = app_state.resolve(person, PEOPLE) if person else None
    window, size, total = window_of(since, until), page_size(limit, fmt), None
    if firm_id is None and person_id is None:  # every fact: only the rows shown are built
        page = timeline_page(kb, window=window, limit=size)
        rows, total = page.rows, page.total
    else:
        rows = queries.timeline(kb, firm=firm_id, person=person_id, window=window)
    emit(
        for_table(rows, TIMELINE_COLUMNS, fmt),
        TIMELINE_COLUMNS,
        fmt,
        shapes.TIMELINE,
        limit=size,
        what="facts, earliest first",
        total=total,
    )


def search(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="Text to find in names, aliases, titles and products, in either script.")],
    limit: LimitOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Find people, firms, groups and products by any name, alias, title or product.

    Example: aiorg search 产品
    """
    from aiorg.names import in_simplified
    from aiorg.queries.search import search_page

    app_state = state(ctx)
    page = search_page(app_state.knowledge_base(), app_state.names(), text, limit=page_size(limit, fmt))
    simple = in_simplified(text)
    if simple is not None and page.total:  # 張 is 张: the rows of both readings are listed
        note(f"note: {text!r} searched as typed and read in simplified characters as {simple!r}")
    if not page.total:
        from aiorg.errors import NotFoundError

        raise NotFoundError(text, app_state.names().suggest(text), "person, firm, group or product matching")
    emit(
        page.rows,
        [
            Column("kind", "Kind"),
            Column("id", "Id"),
            Column("name", "Name"),
            Column("field", "Matched in"),
            Column("matched", "Text"),
        ],
        fmt,
        shapes.SEARCH,
        what="matches, best first",
        total=page.total,
    )


def path(
    ctx: typer.Context,
    start: Annotated[str, typer.Argument(help="A person, firm, group or product.")],
    end: Annotated[str, typer.Argument(help="Another one.")],
    limit: Annotated[
        int,
        typer.Option(
            "--limit", metavar="N", min=0, help="Show at most N connections, 0 for every one within --max-hops."
        ),
    ] = 10,
    max_hops: Annotated[
        int, typer.Option("--max-hops", min=1, max=8, help="Show every connection of up to this many hops.")
    ] = 4,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Show every connection of up to --max-hops hops between two records, shortest first.

    Each hop is one row, explained and cited; rows of one connection share its number.

    Example: aiorg path "Daniel Gross" Meta
    """
    from aiorg import network

    app_state = state(ctx)
    kb = app_state.knowledge_base()
    start_id, end_id = app_state.resolve(start), app_state.resolve(end)
    if start_id == end_id:
        from aiorg.errors import UsageError

        raise UsageError(f"{start!r} and {end!r} are the same record ({start_id})")
    wanted = limit or None  # 0: every connection within max_hops
    paths = network.paths_between(kb, start_id, end_id, None if wanted is None else wanted + 1, max_hops)
    rows = [row for path in paths[:wanted] for row in path]
    emit(
        rows,
        [
            Column("path", "#"),
            Column("step", "Step"),
            Column("from_name", "From"),
            Column("relation", "Relation"),
            Column("to_name", "To"),
            Column("via", "Via", drop=2),
            Column("source", "Source", drop=3),
        ],
        fmt,
        shapes.PATH,
        empty=None,
    )
    if not paths:
        note(f"note: {kb.name_of(start_id)} and {kb.name_of(end_id)} are not connected within {max_hops} hops")
    elif wanted is not None and len(paths) > wanted:
        note(f"note: more connections exist within {max_hops} hops; showing the {limit} shortest (see --limit)")


def flows(
    ctx: typer.Context,
    origin: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="FIRM",
            help="Only flows out of this firm (and a person from 'not stated' who once had a role there).",
        ),
    ] = None,
    destination: Annotated[str | None, typer.Option("--to", metavar="FIRM", help="Only flows into this firm.")] = None,
    limit: LimitOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Talent flow between firms: origin → destination with the people and the evidence.

    A move is a role spell that follows one at another firm, or a deal that moves
    people to its buyer. Pending deals show their status.

    A person's moves into a firm and into its unit that leave the same role are one
    move, shown once at the unit (not across a parent link marked inferred). A person
    moved by a deal that names no firm they leave, with no single current role on
    record, is in a row from 'not stated' (origin null in JSON and CSV); with --from FIRM,
    only if they once had a role at FIRM, which does not say they left from there.

    Example: aiorg flows --to meta
    """
    from aiorg.queries.flows import flow_answer

    app_state = state(ctx)
    answer = flow_answer(
        app_state.knowledge_base(),
        origin=app_state.resolve(origin, FIRMS) if origin else None,
        destination=app_state.resolve(destination, FIRMS) if destination else None,
        limit=page_size(limit, fmt),
    )
    emit(
        answer.rows,
        [
            Column("origin_name", "From"),
            Column("destination_name", "To"),
            Column("count", "People"),
            Column("names", "Who"),
            Column("status", "Status"),
            Column("evidence", "Evidence", drop=1),
        ],
        fmt,
        shapes.FLOW,
        what="flows, largest first",
        total=answer.total,
    )
    summed = answer.summed
    if summed != answer.people:  # a person in two rows: the column's sum is no head count
        note(
            f"note: these flows hold {answer.people:,} distinct {'person' if answer.people == 1 else 'people'}; "
            f"the People column sums to {summed:,}, as a person is in a row for each origin and destination "
            "they are shown at"
        )
    if answer.unstated:
        people = answer.unstated
        note(
            f"note: {people:,} {'person is' if people == 1 else 'people are'} in rows from 'not stated': no firm they "
            "leave is stated (the deal names none, and no single current role of theirs is on record)"
            + (
                f"; listed as they once had a role at {origin}, which does not say they left from there"
                if origin
                else ""
            )
        )


#: this module's commands, looked up by name when one is run (see aiorg.cli.main)
COMMANDS = {command.__name__: command for command in (people, deals, timeline, search, path, flows)}
