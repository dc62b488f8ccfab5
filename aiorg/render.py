"""Render rows as a table, JSON or CSV: the one place output formats live.

Rows are lists of flat dicts with stable keys. JSON and CSV carry every key; the
table shows the chosen columns, fitted to the terminal by aiorg.layout; it wraps, never truncates.
"""

from __future__ import annotations

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
    """A table column: the row key, its header, and how it gives way on a narrow terminal
    (every column wraps between words; see aiorg.layout)."""

    key: str
    header: str
    #: 0 is always shown; a narrow terminal hides higher numbers first (see render_table)
    drop: int = 0
    #: the value is a date ("2024-12..2025-06", or already written for people): a table writes
    #: it the one way aiorg.dates.describe_text does, and never wraps it
    date: bool = False


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def render_json(rows: Any, stream: IO[str]) -> None:
    """JSON with Chinese kept readable: a list one row per line, a single record indented."""
    import json

    # allow_nan=False: Infinity and NaN are not JSON; a non-finite figure is a bug to report, not to print.
    if isinstance(rows, list) and rows:
        # json's C encoder runs only without indent: a 9k-row listing took 1.6 s indented, 0.2 s so.
        encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode
        stream.write("[\n  " + ",\n  ".join(map(encode, rows)) + "\n]\n")
        return
    json.dump(rows, stream, ensure_ascii=False, indent=2, allow_nan=False)
    stream.write("\n")


def render_csv(rows: list[dict[str, Any]], stream: IO[str], keys: list[str] | None = None) -> None:
    """CSV with a header; list values are joined with '; '."""
    import csv

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
    """A boxed table that fits `width` cells (see aiorg.layout): free text wraps between words,
    optional columns give way first (a footnote on stderr names them), and below
    layout.VERTICAL_BELOW columns, or when nothing else fits, each row is a block of lines."""
    from aiorg import layout
    from aiorg.dates import describe_text

    room = width or layout.PIPED_WIDTH
    # A column no row has a value in says nothing: leave it out rather than spend the width.
    columns = [c for c in columns if any(row.get(c.key) not in (None, "", []) for row in rows)] or columns
    headers = [c.header for c in columns]
    cells = [[_cell(row.get(c.key)) for c in columns] for row in rows]
    for index in (i for i, c in enumerate(columns) if c.date):
        for line in cells:
            line[index] = describe_text(line[index]) if line[index] else ""
    fitted = layout.fit(headers, cells, [c.drop for c in columns], [c.date for c in columns], room)
    if title:
        stream.write("\n".join(layout.wrap(title, room)) + "\n")
    if fitted.vertical:
        stream.writelines(layout.draw_vertical(headers, cells, room))
        return
    shown_headers = [headers[i] for i in fitted.shown]
    shown_cells = [[line[i] for i in fitted.shown] for line in cells] if fitted.hidden else cells
    stream.writelines(layout.draw_table(shown_headers, shown_cells, fitted, bold=color))
    if fitted.hidden:  # a message, not data: stderr
        import sys

        names = ", ".join(columns[i].header for i in sorted(fitted.hidden))
        sys.stderr.write(f"note: hidden to fit {room} columns: {names} (--format json has all)\n")


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


@dataclass(frozen=True, slots=True)
class Section:
    """A list inside a profile, shown as its own table."""

    key: str
    title: str
    columns: list[Column]


def render_profile(
    profile: dict[str, Any],
    header: list[Column],
    sections: list[Section],
    fmt: OutputFormat,
    stream: IO[str],
    width: int | None = None,
    color: bool = False,
) -> None:
    """A profile: JSON as is; CSV as the first section's rows; a table as header lines plus one table per section."""
    if fmt is OutputFormat.JSON:
        render_json(profile, stream)
        return
    if fmt is OutputFormat.CSV:
        rows = profile.get(sections[0].key, [])
        render_csv(rows, stream, list(rows[0]) if rows else [c.key for c in sections[0].columns])
        return
    from aiorg import layout

    room = width or layout.PIPED_WIDTH
    for column in header:
        value = _cell(profile.get(column.key))
        if value:
            stream.write("\n".join(layout.wrap(f"{column.header}: {value}", room)) + "\n")
    for section in sections:
        rows = profile.get(section.key) or []
        if rows:
            stream.write("\n")
            render_table(
                rows, section.columns, stream, title=f"{section.title} ({len(rows)})", width=width, color=color
            )
