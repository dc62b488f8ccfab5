"""Render rows as a Rich table, JSON or CSV: the one place output formats live.

Rows are lists of flat dicts with stable keys. JSON and CSV carry every key; the
table shows the chosen columns and never truncates ids or names (it wraps).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console


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
    #: 0 is always shown; a narrow terminal hides higher numbers first (see render_table)
    drop: int = 0


_UNLIMITED = 100_000  # piped output with no COLUMNS: render every table at its natural width
_MIN_WRAP_WIDTH = 16  # free-text columns never get narrower than this


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _console(stream: IO[str], width: int | None, color: bool, soft_wrap: bool) -> Console:
    """A Rich console that writes data as given: no markup, emoji codes or highlighting."""
    from rich.console import Console

    class DataConsole(Console):
        def on_broken_pipe(self) -> None:
            # Rich's default exits with status 1; a reader that stops early (`| head`) is not an
            # error, and the CLI turns BrokenPipeError into a quiet exit 0.
            self.quiet = True
            raise BrokenPipeError

    return DataConsole(
        file=stream,
        width=width or _UNLIMITED,
        no_color=not color,
        highlight=False,
        force_terminal=color,
        emoji=False,
        soft_wrap=soft_wrap,
    )


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
    """A Rich table; data text is never parsed as markup, and ids and names are never cut.

    When the table cannot fit `width`, the columns marked droppable are hidden, least
    important first, and a footnote names them.
    """
    console = _console(stream, width, color, soft_wrap=False)
    hidden: list[Column] = []
    shown = list(columns)
    while True:
        table = _table(rows, shown, title, color)
        from rich.measure import Measurement

        minimum_width = Measurement.get(console, console.options.update(width=_UNLIMITED), table).minimum
        droppable = [c for c in shown if c.drop]
        if width is None or minimum_width <= width or not droppable:
            break
        victim = max(droppable, key=lambda c: c.drop)  # the least important column goes first
        shown.remove(victim)
        hidden.append(victim)
    # Wider than the terminal rather than cut a name: never render below the table's minimum width.
    console.width = max(console.width, minimum_width)
    console.print(table, crop=False)
    if hidden:  # a message, not data: stderr
        import sys

        names = ", ".join(c.header for c in hidden)
        sys.stderr.write(f"note: hidden to fit {width} columns: {names} (widen or use --format json)\n")


def _table(rows: list[dict[str, Any]], columns: list[Column], title: str | None, color: bool) -> Any:
    from rich.cells import cell_len
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, show_lines=False, header_style="bold" if color else "")
    cells = [[_cell(row.get(c.key)) for c in columns] for row in rows]
    for index, column in enumerate(columns):
        # Ids and names keep their full width; only free-text columns may wrap.
        natural = max([cell_len(column.header), *(cell_len(line[index]) for line in cells)])
        # Free text wraps between words; a column is never narrower than its longest word (up to a cap).
        longest_word = max([0, *(cell_len(word) for line in cells for word in line[index].split())])
        minimum = natural if not column.wrap else min(natural, max(_MIN_WRAP_WIDTH, min(longest_word, 30)))
        table.add_column(column.header, overflow="fold", no_wrap=not column.wrap, min_width=minimum)
    for line in cells:
        table.add_row(*(Text(value) for value in line))
    return table


LARGE_TABLE = 500  # more rows than this are drawn by the plain renderer: Rich takes ~2 ms a row


def render_plain_table(rows: list[dict[str, Any]], columns: list[Column], stream: IO[str]) -> None:
    """The same table without Rich, one line per row, for long listings (nothing is cut or wrapped)."""
    from rich.cells import cell_len

    def width(text: str) -> int:
        return len(text) if text.isascii() else cell_len(text)

    lines = [
        [(text, width(text)) for c in columns for text in (_cell(row.get(c.key)).replace("\n", " "),)] for row in rows
    ]
    header = [(c.header, width(c.header)) for c in columns]
    widths = [max(cell[i][1] for cell in (header, *lines)) for i in range(len(columns))]

    def line(values: list[tuple[str, int]]) -> str:
        return "│ " + " │ ".join(v + " " * (w - n) for (v, n), w in zip(values, widths, strict=True)) + " │\n"

    stream.write("┌" + "┬".join("─" * (w + 2) for w in widths) + "┐\n")
    stream.write(line(header))
    stream.write("├" + "┼".join("─" * (w + 2) for w in widths) + "┤\n")
    stream.writelines(line(values) for values in lines)
    stream.write("└" + "┴".join("─" * (w + 2) for w in widths) + "┘\n")


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
    elif len(rows) > LARGE_TABLE:
        render_plain_table(rows, columns, stream)
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
    from rich.text import Text

    console = _console(stream, width, color, soft_wrap=True)
    for column in header:
        value = _cell(profile.get(column.key))
        if value:
            console.print(Text(f"{column.header}: {value}"))
    for section in sections:
        rows = profile.get(section.key) or []
        if rows:
            console.print()
            render_table(
                rows, section.columns, stream, title=f"{section.title} ({len(rows)})", width=width, color=color
            )
