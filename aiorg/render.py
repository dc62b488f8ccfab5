"""Render rows as a table, JSON or CSV: the one place output formats live.

Rows are lists of flat dicts with stable keys. JSON and CSV carry every key; the
table shows the chosen columns, fitted to the terminal by aiorg.layout; it wraps, never truncates.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import IO, Any, cast


class OutputFormat(StrEnum):
    """The formats every listing command accepts."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    #: CSV as Excel opens it: UTF-8 with a byte-order mark (else Chinese turns to mojibake), CRLF
    EXCEL = "excel"


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
    #: the one value a reader may miss (a certainty of "confirmed"): while any row holds
    #: another ("planned", "reported"), the column is never hidden, since it warns that the
    #: row is not an established fact
    quiet: str | None = None

    def hideable(self, rows: list[dict[str, Any]]) -> int:
        """How soon this column gives way on a narrow terminal (`drop`), for these rows: 0
        (never) while a row holds a value other than `quiet`."""
        if self.quiet is None or not self.drop:
            return self.drop
        return 0 if any(row.get(self.key) not in (self.quiet, None, "") for row in rows) else self.drop


def _cell(value: Any) -> str:
    if type(value) is str:  # most cells: first, and without a call to str()
        return value
    if value is None:
        return ""
    if isinstance(value, list):
        if all(type(v) is str for v in value):  # names, ids: joined as they are
            return "; ".join(value)
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _column(rows: list[dict[str, Any]], key: str, date: bool) -> list[str]:
    """The cells of one column: each row's value as `_cell` writes it, a date as
    aiorg.dates.describe_text does (each distinct one written once)."""
    values: list[Any] = [row.get(key) for row in rows]
    kinds = set(map(type, values))
    if kinds <= {str}:
        texts = cast(list[str], values)
    elif kinds == {list} and set(map(type, itertools.chain.from_iterable(values))) <= {str}:  # names, ids
        texts = list(map("; ".join, values))
    else:
        texts = list(map(_cell, values))
    if date:
        from aiorg.dates import describe_text

        described = {text: describe_text(text) if text else "" for text in dict.fromkeys(texts)}
        texts = list(map(described.__getitem__, texts))
    return texts


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


def render_csv(rows: list[dict[str, Any]], stream: IO[str], keys: Sequence[str], excel: bool = False) -> None:
    """CSV with `keys` as its header (also when there are no rows): lists of plain values are
    joined with '; ', nested objects written as compact JSON. `excel` adds a byte-order mark
    and CRLF line ends, which Excel needs to read UTF-8."""
    import csv

    if excel:
        stream.write("\ufeff")
    writer = csv.writer(stream, lineterminator="\r\n" if excel else "\n")
    writer.writerow(keys)
    for row in rows:
        writer.writerow([_csv_cell(row.get(k)) for k in keys])


def _csv_cell(value: Any) -> str:
    if isinstance(value, dict) or (isinstance(value, list) and any(isinstance(v, dict | list) for v in value)):
        import json

        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return _cell(value)


def render_table(
    rows: list[dict[str, Any]],
    columns: list[Column],
    stream: IO[str],
    title: str | None = None,
    width: int | None = None,
    color: bool = False,
) -> None:
    """A boxed table that fits `width` cells (see aiorg.layout): free text wraps between words,
    optional columns give way first (a footnote on stderr names them; a Certainty column only
    while every row is confirmed, see Column.quiet), and below
    layout.VERTICAL_BELOW columns, or when nothing else fits, each row is a block of lines."""
    from aiorg import layout

    room = width or layout.PIPED_WIDTH
    # A column no row has a value in says nothing: leave it out rather than spend the width.
    columns = [c for c in columns if any(row.get(c.key) not in (None, "", []) for row in rows)] or columns
    headers = [c.header for c in columns]
    cells = [list(line) for line in zip(*(_column(rows, c.key, c.date) for c in columns), strict=True)]
    fitted = layout.fit(headers, cells, [c.hideable(rows) for c in columns], [c.date for c in columns], room)
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
    keys: Sequence[str],
    title: str | None = None,
    width: int | None = None,
    color: bool = False,
) -> None:
    """Write `rows` to `stream` in `fmt`; `keys` are the rows' keys (the CSV header)."""
    if fmt is OutputFormat.JSON:
        render_json(rows, stream)
    elif fmt in (OutputFormat.CSV, OutputFormat.EXCEL):
        render_csv(rows, stream, keys, excel=fmt is OutputFormat.EXCEL)
    else:
        render_table(rows, columns, stream, title, width, color)


@dataclass(frozen=True, slots=True)
class Section:
    """A list inside a profile, shown as its own table; `keys` are its rows' keys."""

    key: str
    title: str
    columns: list[Column]
    keys: Sequence[str]


def pick_sections(sections: list[Section], name: str | None) -> list[Section]:
    """The sections `--section NAME` names: the one with that key, or every one whose key
    starts with NAME_ (`deals` is deals_as_buyer and deals_as_target); all when NAME is None."""
    if name is None:
        return sections
    wanted = name.strip().lower().replace("-", "_")
    chosen = [s for s in sections if s.key == wanted] or [s for s in sections if s.key.startswith(wanted + "_")]
    if not chosen:
        from aiorg.errors import UsageError

        keys = [s.key for s in sections]
        # a prefix shared by several keys names them all (`deals`): offered first
        shared = [k.split("_")[0] for k in keys if sum(o.startswith(k.split("_")[0] + "_") for o in keys) > 1]
        raise UsageError(f"--section: no section {name!r}; choose from {', '.join(dict.fromkeys([*shared, *keys]))}")
    return chosen


def render_profile(
    profile: dict[str, Any],
    header: list[Column],
    sections: list[Section],
    fmt: OutputFormat,
    stream: IO[str],
    width: int | None = None,
    color: bool = False,
    whole: bool = True,
) -> None:
    """A profile. A table is header lines plus one table per section. JSON is the whole profile
    when `whole`, else the chosen sections' rows. CSV holds rows of one shape, so it needs one
    section, or sections of the same shape (stacked, each row first naming its `section`)."""
    if fmt is OutputFormat.JSON and whole:
        render_json(profile, stream)
        return
    if fmt is not OutputFormat.TABLE:
        if len({tuple(s.keys) for s in sections}) > 1:
            from aiorg.errors import UsageError

            names = ", ".join(s.key for s in sections)
            raise UsageError(f"a profile's {fmt.value} output is one list: choose it with --section ({names})")
        keys = list(sections[0].keys)
        if len(sections) > 1:
            rows = [{"section": s.key, **row} for s in sections for row in profile.get(s.key) or []]
            keys = ["section", *keys]
        else:
            rows = list(profile.get(sections[0].key) or [])
        render(rows, [], fmt, stream, keys)
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
