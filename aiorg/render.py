"""Render rows as a Rich table, JSON or CSV: the one place output formats live.

Rows are lists of flat dicts with stable keys. JSON and CSV carry every key; the
table shows the chosen columns and never truncates ids or names (it wraps).
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from enum import StrEnum
from typing import IO, Any


class OutputFormat(StrEnum):
    """The formats every listing command accepts."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"


@dataclass(frozen=True, slots=True)
class Column:
    """A table column: the row key, its header, and whether it may wrap."""

    key: str
    header: str
    wrap: bool = False


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def render_json(rows: Any, stream: IO[str]) -> None:
    """Pretty JSON with Chinese kept readable."""
    json.dump(rows, stream, ensure_ascii=False, indent=2)
    stream.write("\n")


def render_csv(rows: list[dict[str, Any]], stream: IO[str], keys: list[str] | None = None) -> None:
    """CSV with a header; list values are joined with '; '."""
    fieldnames = keys or (list(rows[0]) if rows else [])
    writer = csv.DictWriter(stream, fieldnames=fieldnames, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(row.get(k)) for k in fieldnames})


def render_table(
    rows: list[dict[str, Any]],
    columns: list[Column],
    stream: IO[str],
    title: str | None = None,
    width: int | None = None,
    color: bool = False,
) -> None:
    """A Rich table; data text is never parsed as markup."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(
        file=stream,
        width=width,
        no_color=not color,
        highlight=False,
        force_terminal=color,
        emoji=False,
        soft_wrap=False,
    )
    table = Table(title=title, show_lines=False, header_style="bold" if color else "")
    for column in columns:
        table.add_column(column.header, overflow="fold", no_wrap=not column.wrap)
    for row in rows:
        table.add_row(*(Text(_cell(row.get(c.key))) for c in columns))
    console.print(table)


def render(
    rows: list[dict[str, Any]],
    columns: list[Column],
    fmt: OutputFormat,
    stream: IO[str],
    title: str | None = None,
    width: int | None = None,
    color: bool = False,
) -> None:
    """Write `rows` to `stream` in `fmt`."""
    if fmt is OutputFormat.JSON:
        render_json(rows, stream)
    elif fmt is OutputFormat.CSV:
        render_csv(rows, stream, list(rows[0]) if rows else [c.key for c in columns])
    else:
        render_table(rows, columns, stream, title, width, color)
