"""Option types shared by several commands, declared once."""

from __future__ import annotations

from typing import Annotated

import typer

from aiorg.render import OutputFormat

FormatOption = Annotated[
    OutputFormat,
    typer.Option(
        "--format",
        "-f",
        help=(
            f"Output format: {', '.join(f.value for f in OutputFormat)}"
            " (excel: CSV with a UTF-8 byte-order mark and CRLF line ends, which Excel needs for Chinese)."
        ),
        case_sensitive=False,
    ),
]
SectionOption = Annotated[
    str | None,
    typer.Option(
        "--section",
        metavar="NAME",
        help="Only this list of the profile (e.g. deals, career, people_left); needed for csv and excel.",
    ),
]
SinceOption = Annotated[
    str | None,
    typer.Option("--since", help="Only facts that may fall on or after this date (YYYY, YYYY-MM, YYYY-MM-DD)."),
]
UntilOption = Annotated[str | None, typer.Option("--until", help="Only facts that may fall on or before this date.")]

#: How many rows a table shows unless --limit says otherwise; json, csv and excel hold every row.
TABLE_ROWS = 100
LimitOption = Annotated[
    int | None,
    typer.Option(
        "--limit",
        metavar="N",
        min=0,
        help=f"Show at most N rows, 0 for all. Default: {TABLE_ROWS} in a table; json, csv and excel hold every row.",
    ),
]


def page_size(limit: int | None, fmt: OutputFormat) -> int | None:
    """How many rows to show: `limit` (0 meaning all), else TABLE_ROWS in a table and all otherwise."""
    if limit is None:
        return TABLE_ROWS if fmt is OutputFormat.TABLE else None
    return limit or None
