"""Lay out a table of text cells within a width: the one place that decides what a person sees.

Widths are counted in terminal cells (a CJK character is two). Text wraps between words and
around CJK characters, never inside a word unless the word alone is wider than the column may
be. When the table cannot fit, the columns marked droppable are hidden, least important first;
when it still cannot fit, or the width is under VERTICAL_BELOW, every row becomes a block of
`Field  value` lines instead (the vertical layout).
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

#: Below this many columns every table is drawn in the vertical layout.
VERTICAL_BELOW = 60
#: Piped output (no terminal, no $COLUMNS) is laid out for this many columns.
PIPED_WIDTH = 120
#: A word longer than this (a URL), or a run of CJK text longer than LONGEST_CJK_RUN (CJK
#: needs no spaces: a sentence is one run), may be broken anywhere to keep a column narrow;
#: ids and names never are.
LONGEST_UNBROKEN = 40
LONGEST_CJK_RUN = 16

# A token is a run of spaces or a run of anything else; a token wider than LONGEST_UNBROKEN
# (a URL, or Chinese text, which has no spaces) may be broken anywhere.
_TOKENS = re.compile(r" +|[^ ]+")


def cell_width(text: str) -> int:
    """How many terminal cells `text` takes: wide and full-width characters count two."""
    return len(text) if text.isascii() else _wide_width(text)


class _CharWidths(dict[str, int]):
    """Each character's width, worked out the first time it is seen."""

    def __missing__(self, character: str) -> int:
        wide = unicodedata.east_asian_width(character) in "WF"
        width = self[character] = 2 if wide else 0 if unicodedata.combining(character) else 1
        return width


_CHAR_WIDTHS = _CharWidths()


@functools.lru_cache(maxsize=1 << 16)
def _wide_width(text: str) -> int:
    return sum(map(_CHAR_WIDTHS.__getitem__, text))


def _span(text: str) -> int:
    """The width of the widest line of `text`."""
    return max(map(cell_width, text.split("\n"))) if "\n" in text else cell_width(text)


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` cells, broken at spaces; a token wider than LONGEST_UNBROKEN
    (or than `width`) fills the line it starts on and goes on in the next."""
    if "\n" not in text and cell_width(text) <= width:
        return [text]
    lines: list[str] = []
    for paragraph in text.split("\n"):
        if not _wrap_words(paragraph, width, lines):
            _wrap_tokens(paragraph, width, lines)
    return lines


def _wrap_words(paragraph: str, width: int, lines: list[str]) -> bool:
    """`_wrap_tokens` for the usual paragraph, faster: words between single spaces, each one
    `_wrap_tokens` keeps whole and has room for (names, amounts). False, adding nothing, for any other."""
    if not paragraph or paragraph[0] == " " or paragraph[-1] == " " or "  " in paragraph:
        return False
    words = paragraph.split(" ")
    if paragraph.isascii():
        sizes = list(map(len, words))
        if max(sizes) > min(width, LONGEST_UNBROKEN):
            return False
    else:
        sizes = [len(word) if word.isascii() else _wide_width(word) for word in words]
        widest = max(sizes)
        if widest > width:
            return False
        if widest > LONGEST_CJK_RUN and not all(map(_unbreakable, words, sizes)):  # any piece short enough is
            return False
    line, used = words[0], sizes[0]
    for word, size in zip(words[1:], sizes[1:], strict=True):
        if used + 1 + size <= width:
            line, used = line + " " + word, used + 1 + size
        else:
            lines.append(line.rstrip())
            line, used = word, size
    lines.append(line.rstrip())
    return True


def _wrap_tokens(paragraph: str, width: int, lines: list[str]) -> None:
    """The lines of one paragraph (see `wrap`), token by token, added to `lines`."""
    line, used = "", 0
    measure = len if paragraph.isascii() else cell_width
    for token in _TOKENS.findall(paragraph):
        size = measure(token)
        if token.startswith(" "):
            if line:
                line, used = line + token, used + size
            continue
        if used + size <= width:
            line, used = line + token, used + size
            continue
        if size <= width and _unbreakable(token, size):  # a word: start it on the next line
            lines.append(line.rstrip())
            line, used = token, size
            continue
        if width - used < 4 and line:  # too little room left to be worth filling
            lines.append(line.rstrip())
            line, used = "", 0
        for character in token:
            step = cell_width(character)
            if used + step > width and line:
                lines.append(line.rstrip())
                line, used = "", 0
            line, used = line + character, used + step
    lines.append(line.rstrip())


def longest_token(text: str) -> int:
    """The width of the widest piece `wrap` will not break (a breakable run counts as the most
    it would be allowed whole)."""
    if text.isascii():  # one limit for every piece: the longest, capped
        return max(1, min(max(map(len, text.split(" "))), LONGEST_UNBROKEN))
    widest = 1
    for token in text.split(" "):
        if token:
            limit = LONGEST_UNBROKEN if token.isascii() else LONGEST_CJK_RUN
            widest = max(widest, min(cell_width(token), limit))
    return widest


def _unbreakable(token: str, size: int) -> bool:
    return size <= (LONGEST_UNBROKEN if token.isascii() else LONGEST_CJK_RUN)


@dataclass(frozen=True, slots=True)
class Fitted:
    """Which columns are shown, how wide each is, and whether rows are drawn vertically."""

    shown: list[int]
    widths: list[int]
    hidden: list[int]
    vertical: bool


def _border(widths: Sequence[int]) -> int:
    return sum(widths) + 3 * len(widths) + 1


def fit(
    headers: Sequence[str], cells: Sequence[Sequence[str]], drop: Sequence[int], keep: Sequence[bool], width: int
) -> Fitted:
    """Choose the columns and their widths for a table of `cells` within `width` cells.

    A column is never narrower than its header's longest word or its longest unbreakable
    piece of text (capped at LONGEST_UNBROKEN), nor, where `keep[i]` (short values such as
    dates), than its longest value. Spare room goes where it saves the most wrapped lines.
    `drop[i]` > 0 marks a column that may be hidden, higher numbers first: hidden when the
    table cannot fit otherwise, or when hiding it makes the table TALLER_BY times shorter."""
    count = len(headers)
    columns = list(zip(*cells, strict=True)) if cells else [() for _ in range(count)]
    natural, least = [], []
    for header, column in zip(headers, columns, strict=True):
        values = list(dict.fromkeys(column))  # each distinct text measured once
        joined = "".join(values)
        # Plain one-line ASCII (most columns): a width is a length.
        spans = list(map(len, values)) if joined.isascii() and "\n" not in joined else list(map(_span, values))
        natural.append(max(cell_width(header), max(spans, default=0)))
        least.append(_widest_piece(header, values, spans, joined))
    least = [min(n, max(m, 1, n if keep[i] else 0)) for i, (n, m) in enumerate(zip(natural, least, strict=True))]
    if width < VERTICAL_BELOW:
        return Fitted(list(range(count)), natural, [], True)
    sample = cells[:: max(1, len(cells) // SAMPLE_ROWS)]
    heights = _Heights(sample)
    order = sorted((i for i in range(count) if drop[i]), key=lambda i: (-drop[i], -i))
    chosen: tuple[int, list[int], dict[int, int]] | None = None
    for hidden_count in range(len(order) + 1):
        shown = [i for i in range(count) if i not in order[:hidden_count]]
        if not shown:
            break
        if _border([least[i] for i in shown]) > width:
            continue
        widths = _share(shown, least, natural, width, heights)
        height = heights.table(widths)
        if chosen is not None and height * TALLER_BY > chosen[0]:
            break  # hiding one more column would not pay for itself
        chosen = (height, shown, widths)
    if chosen is None:
        return Fitted(list(range(count)), natural, [], True)
    _, shown, widths = chosen
    return Fitted(shown, [widths[i] for i in shown], [i for i in range(count) if i not in shown], False)


#: Hide one more optional column only when that makes the table this many times shorter.
TALLER_BY = 1.5
#: Widths are chosen by wrapping at most about this many rows.
SAMPLE_ROWS = 60


def _widest_piece(header: str, values: list[str], spans: list[int], joined: str) -> int:
    """The least width of a column: its widest piece `wrap` will not break (longest_token),
    in its header or any of its distinct `values` (whose widest lines are `spans`)."""
    widest = longest_token(header)
    if "\n" not in joined:
        # One line each: no piece is wider than its cell, so the widest piece of every cell is the
        # widest of all their pieces (each distinct one measured once).
        pieces = set(" ".join(values).split(" "))
        plain = [piece for piece in pieces if piece.isascii()]
        if plain:
            widest = max(widest, min(max(map(len, plain)), LONGEST_UNBROKEN))
        wide = pieces.difference(plain)
        if wide and widest < LONGEST_CJK_RUN:  # a CJK piece counts at most LONGEST_CJK_RUN
            widest = max(widest, min(max(map(_wide_width, wide)), LONGEST_CJK_RUN))
        return widest
    # A piece never spans more than its line: only a cell wider than the widest piece so far can raise it.
    for text, span in zip(values, spans, strict=True):
        if span > widest and widest < LONGEST_UNBROKEN:
            widest = max(widest, min(longest_token(text), LONGEST_UNBROKEN))
    return widest


class _Heights:
    """How many lines the sample rows take, with each column wrapped to a width; each column at each
    width is wrapped once (`fit` tries many widths, often the same ones again)."""

    def __init__(self, rows: Sequence[Sequence[str]]) -> None:
        self._rows = rows
        self._known: dict[tuple[int, int], list[int]] = {}

    def column(self, index: int, width: int) -> list[int]:
        """The lines of each sample row's cell of a column at a width."""
        found = self._known.get((index, width))
        if found is None:
            found = self._known[index, width] = [len(wrap(row[index], width)) for row in self._rows]
        return found

    def total(self, index: int, width: int) -> int:
        """The lines of a column's sample cells, added up."""
        return sum(self.column(index, width))

    def table(self, widths: dict[int, int]) -> int:
        """The sample rows' lines with these columns at these widths: each row as tall as its tallest cell."""
        return sum(map(max, *(self.column(i, w) for i, w in widths.items()), itertools.repeat(0)))


def _share(shown: list[int], least: list[int], natural: list[int], width: int, heights: _Heights) -> dict[int, int]:
    """Widths from `least` up, giving each slice of spare room to the column it shortens most."""
    widths = {i: least[i] for i in shown}
    spare = width - _border(list(widths.values()))
    step = max(1, spare // 12)
    while spare > 0:
        wanting = [i for i in shown if widths[i] < natural[i]]
        if not wanting:
            break
        give = min(step, spare)

        def saving(i: int, give: int = give) -> tuple[int, int]:
            wider = min(natural[i], widths[i] + give)
            return (heights.total(i, widths[i]) - heights.total(i, wider), natural[i] - widths[i])

        best = max(wanting, key=saving)
        grant = min(give, natural[best] - widths[best])
        widths[best] += grant
        spare -= grant
    return widths


def draw_table(
    headers: Sequence[str], cells: Sequence[Sequence[str]], fitted: Fitted, bold: bool = False
) -> Iterator[str]:
    """The table's text, boxed, with every cell wrapped to its width: whole lines (each ending in a
    newline), a rule or a row's lines at a time; `headers` and `cells` hold only the shown columns."""
    widths = fitted.widths

    def block(values: Sequence[str], style: tuple[str, str] = ("", "")) -> Iterator[str]:
        wrapped = [
            [value] if "\n" not in value and cell_width(value) <= w else wrap(value, w)
            for value, w in zip(values, widths, strict=True)
        ]
        for n in range(max(map(len, wrapped))):
            parts = [
                style[0] + _pad(lines[n] if n < len(lines) else "", w) + style[1]
                for lines, w in zip(wrapped, widths, strict=True)
            ]
            yield "│ " + " │ ".join(parts) + " │\n"

    yield "┌" + "┬".join("─" * (w + 2) for w in widths) + "┐\n"
    yield from block(headers, ("\x1b[1m", "\x1b[0m") if bold else ("", ""))
    yield "├" + "┼".join("─" * (w + 2) for w in widths) + "┤\n"
    yield from _body(cells, widths)
    yield "└" + "┴".join("─" * (w + 2) for w in widths) + "┘\n"


#: A line of the rows below the first is joined for every row at once when at least this share of rows have it.
_MANY_ROWS = 8


def _body(cells: Sequence[Sequence[str]], widths: Sequence[int]) -> Iterator[str]:
    """The lines of each row (a string per row), every cell wrapped and padded to its column's width.

    Column by column: each distinct text of a column is wrapped and padded once (statuses,
    amounts and names repeat), and a row's lines are joined across the columns in bulk."""
    if not cells:
        return
    count = len(cells)
    columns = list(zip(*cells, strict=True))
    blank = [" " * w for w in widths]
    firsts: list[list[str]] = []
    rests: list[dict[str, list[str]]] = []  # per column: the lines after the first of each taller text
    for column, w in zip(columns, widths, strict=True):
        first: dict[str, str] = {}
        rest: dict[str, list[str]] = {}
        text = "".join(column)
        if text.isascii() and "\n" not in text and max(map(len, column)) <= w:  # ids, amounts: one line each
            firsts.append(list(map(str.ljust, column, itertools.repeat(w))))
            rests.append(rest)
            continue
        for value in dict.fromkeys(column):
            if "\n" not in value and cell_width(value) <= w:
                first[value] = _pad(value, w)
                continue
            lines = [_pad(line, w) for line in wrap(value, w)]
            first[value] = lines[0]
            if len(lines) > 1:
                rest[value] = lines[1:]
        firsts.append(list(map(first.__getitem__, column)))
        rests.append(rest)
    texts = ["│ " + line + " │\n" for line in map(" │ ".join, zip(*firsts, strict=True))]
    tall = [j for j, rest in enumerate(rests) if rest]
    if tall:
        more = [{value: len(lines) for value, lines in rests[j].items()} for j in tall]
        extra = list(
            map(
                max,
                *(map(m.get, columns[j], itertools.repeat(0)) for m, j in zip(more, tall, strict=True)),
                itertools.repeat(0),
            )
        )
        for n in range(max(extra)):
            rows = [i for i, lines in enumerate(extra) if lines > n]
            nth = [
                {value: lines[n] for value, lines in rests[j].items() if len(lines) > n} if j in tall else {}
                for j in range(len(widths))
            ]
            if len(rows) * _MANY_ROWS >= count:  # join this line for every row, keep the rows' that have it
                joined = list(
                    map(
                        " │ ".join,
                        zip(
                            *(
                                map(nth[j].get, columns[j], itertools.repeat(blank[j]))
                                if nth[j]
                                else itertools.repeat(blank[j], count)
                                for j in range(len(widths))
                            ),
                            strict=True,
                        ),
                    )
                )
                for i in rows:
                    texts[i] += "│ " + joined[i] + " │\n"
            else:
                for i in rows:
                    row = cells[i]
                    texts[i] += "│ " + " │ ".join([nth[j].get(row[j], blank[j]) for j in range(len(widths))]) + " │\n"
    yield from texts


def _pad(text: str, width: int) -> str:
    """`text` followed by spaces to `width` cells."""
    return text.ljust(width) if text.isascii() else text + " " * (width - _wide_width(text))


def draw_vertical(headers: Sequence[str], cells: Sequence[Sequence[str]], width: int) -> Iterator[str]:
    """Each row as a block of `Field  value` lines under a numbered rule, for narrow terminals."""
    label = min(max(map(cell_width, headers)), max(8, width // 3))
    room = max(width - label - 2, 8)
    names = [wrap(header, label) for header in headers]
    # A one-line field name padded once, for the values that fit on one line (most of them).
    prefixes = [_pad(lines[0], label) + "  " if len(lines) == 1 else None for lines in names]
    # Each field's distinct values are laid out once (counts and labels repeat from row to row).
    seen: list[dict[str, str]] = [{} for _ in headers]
    for number, row in enumerate(cells, 1):
        mark = f"── {number} "
        parts = [mark + "─" * max(width - cell_width(mark), 0) + "\n"]
        for header, prefix, value, known in zip(names, prefixes, row, seen, strict=True):
            if not value:
                continue
            block = known.get(value)
            if block is None:
                block = known[value] = _field(header, prefix, value, label, room)
            parts.append(block)
        yield "".join(parts)


def _field(header: list[str], prefix: str | None, value: str, label: int, room: int) -> str:
    """One field of a vertical row: its name's lines beside its value's, each ending in a newline."""
    if prefix is not None and "\n" not in value and cell_width(value) <= room:
        return (prefix + value).rstrip() + "\n"
    values = wrap(value, room)
    lines = []
    for n in range(max(len(header), len(values))):
        name = header[n] if n < len(header) else ""
        text = values[n] if n < len(values) else ""
        lines.append((name + " " * (label - cell_width(name)) + "  " + text).rstrip() + "\n")
    return "".join(lines)
