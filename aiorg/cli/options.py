"""Option types shared by several commands, declared once."""

from __future__ import annotations

from typing import Annotated

import typer

from aiorg.render import OutputFormat

FormatOption = Annotated[
    OutputFormat, typer.Option("--format", "-f", help="Output format: table, json or csv.", case_sensitive=False)
]
SinceOption = Annotated[
    str | None,
    typer.Option("--since", help="Only facts that may fall on or after this date (YYYY, YYYY-MM, YYYY-MM-DD)."),
]
UntilOption = Annotated[str | None, typer.Option("--until", help="Only facts that may fall on or before this date.")]
