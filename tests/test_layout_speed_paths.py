"""The layout's fast paths give exactly what the plain ones give: `wrap`'s word-by-word path
against its token-by-token one, `fit` (each column's widest piece found at once, wrapped heights
kept) and `draw_table` (column by column) against the row-by-row algorithms they replaced, kept
here as the reference. Checked on generated tables in both scripts, with blank, multi-line and
tall cells, and enough rows for the bulk-joined lines."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from enum import StrEnum
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from aiorg import layout
from aiorg.dates import describe_text
from aiorg.layout import LONGEST_UNBROKEN, Fitted, cell_width, draw_table, fit, longest_token, wrap
from aiorg.render import _column

WORDS = st.sampled_from(
    ["Wei", "AI", "9154", "(百迷智能9154)", "魏伟", "月之暗面", "商业化负责人魏伟",
     "月之暗面商业化负责人", "$14.3B", "2024-12", "a", "", "\t", "é", "e\u0301",
     "supercalifragilisticexpialidocious-and-more", "前MiniMax商业化负责人魏伟从去年12月至今均相继离开", "x" * 41]
)  # fmt: skip
SEPARATORS = st.sampled_from([" ", " ", " ", "  ", "\n"])
TEXTS = st.lists(st.tuples(WORDS, SEPARATORS), max_size=7).map(lambda parts: "".join(w + s for w, s in parts).strip())
# Mostly one-line cells (a column whose cells have no line break takes another path in `fit`).
CELLS = st.one_of(TEXTS.map(lambda text: text.replace("\n", " ")), TEXTS)


def _plain_wrap(text: str, width: int) -> list[str]:
    """`wrap` with every paragraph laid out token by token."""
    if "\n" not in text and cell_width(text) <= width:
        return [text]
    lines: list[str] = []
    for paragraph in text.split("\n"):
        layout._wrap_tokens(paragraph, width, lines)
    return lines


@given(text=TEXTS, width=st.integers(1, 50))
def test_wrap_word_by_word_is_token_by_token(text: str, width: int) -> None:
    assert wrap(text, width) == _plain_wrap(text, width)


@st.composite
def _words_and_width(draw: st.DrawFn) -> tuple[str, int]:
    """Words between single spaces (the word-by-word path), and a width at, or one cell either
    side of, the end of one of them: where a line breaks."""
    words = draw(st.lists(WORDS.filter(lambda word: word.strip() != ""), min_size=1, max_size=8))
    end = draw(st.integers(1, len(words)))
    return " ".join(words), max(1, cell_width(" ".join(words[:end])) + draw(st.integers(-1, 1)))


@given(_words_and_width())
@example(("Wei AI 9154", 6))
@example(("FengStar AI 9154 (百迷智能9154)", 19))
@example(("Wei 月之暗面商业化负责人", 20))  # a CJK run longer than LONGEST_CJK_RUN may be broken
@example(("Wei " + "x" * 41, 44))  # so may a word longer than LONGEST_UNBROKEN
def test_wrap_breaks_words_as_token_by_token(case: tuple[str, int]) -> None:
    text, width = case
    assert wrap(text, width) == _plain_wrap(text, width)


# The row-by-row reference: aiorg.layout's fit and draw_table as they were before their fast paths.


def _reference_fit(
    headers: Sequence[str], cells: Sequence[Sequence[str]], drop: Sequence[int], keep: Sequence[bool], width: int
) -> Fitted:
    count = len(headers)
    columns = list(zip(*cells, strict=True)) if cells else [() for _ in range(count)]
    natural, least = [], []
    for header, column in zip(headers, columns, strict=True):
        values = list(dict.fromkeys(column))
        spans = [max(map(cell_width, text.split("\n"))) for text in values]
        natural.append(max(cell_width(header), max(spans, default=0)))
        widest = longest_token(header)
        for text, span in zip(values, spans, strict=True):
            if span > widest and widest < LONGEST_UNBROKEN:
                widest = max(widest, min(longest_token(text), LONGEST_UNBROKEN))
        least.append(widest)
    least = [min(n, max(m, 1, n if keep[i] else 0)) for i, (n, m) in enumerate(zip(natural, least, strict=True))]
    if width < layout.VERTICAL_BELOW:
        return Fitted(list(range(count)), natural, [], True)
    sample = cells[:: max(1, len(cells) // layout.SAMPLE_ROWS)]
    order = sorted((i for i in range(count) if drop[i]), key=lambda i: (-drop[i], -i))
    chosen: tuple[int, list[int], dict[int, int]] | None = None
    for hidden_count in range(len(order) + 1):
        shown = [i for i in range(count) if i not in order[:hidden_count]]
        if not shown:
            break
        if layout._border([least[i] for i in shown]) > width:
            continue
        widths = _reference_share(shown, least, natural, width, sample)
        height = sum(max(len(wrap(row[i], w)) for i, w in widths.items()) for row in sample)
        if chosen is not None and height * layout.TALLER_BY > chosen[0]:
            break
        chosen = (height, shown, widths)
    if chosen is None:
        return Fitted(list(range(count)), natural, [], True)
    _, shown, widths = chosen
    return Fitted(shown, [widths[i] for i in shown], [i for i in range(count) if i not in shown], False)


def _reference_share(
    shown: list[int], least: list[int], natural: list[int], width: int, rows: Sequence[Sequence[str]]
) -> dict[int, int]:
    widths = {i: least[i] for i in shown}
    spare = width - layout._border(list(widths.values()))
    step = max(1, spare // 12)
    while spare > 0:
        wanting = [i for i in shown if widths[i] < natural[i]]
        if not wanting:
            break
        give = min(step, spare)

        def saving(i: int, give: int = give) -> tuple[int, int]:
            wider = min(natural[i], widths[i] + give)
            before = sum(len(wrap(row[i], widths[i])) for row in rows)
            after = sum(len(wrap(row[i], wider)) for row in rows)
            return (before - after, natural[i] - widths[i])

        best = max(wanting, key=saving)
        grant = min(give, natural[best] - widths[best])
        widths[best] += grant
        spare -= grant
    return widths


def _reference_draw(headers: Sequence[str], cells: Sequence[Sequence[str]], widths: Sequence[int]) -> Iterator[str]:
    def pad(text: str, width: int) -> str:
        return text + " " * (width - cell_width(text))

    yield "┌" + "┬".join("─" * (w + 2) for w in widths) + "┐\n"
    for values in (headers, *cells):
        wrapped = [wrap(value, w) for value, w in zip(values, widths, strict=True)]
        for n in range(max(map(len, wrapped))):
            parts = [pad(lines[n] if n < len(lines) else "", w) for lines, w in zip(wrapped, widths, strict=True)]
            yield "│ " + " │ ".join(parts) + " │\n"
        if values is headers:
            yield "├" + "┼".join("─" * (w + 2) for w in widths) + "┤\n"
    yield "└" + "┴".join("─" * (w + 2) for w in widths) + "┘\n"


SHORT = st.sampled_from(["Wei", "AI", "9154", "魏伟", "$14.3B", "a", "", "e\u0301"])


@st.composite
def _tables(draw: st.DrawFn) -> tuple[list[str], list[list[str]]]:
    """Headers and rows: a few distinct rows repeated (texts repeat in a listing; the bulk paths
    need many rows) of either any cells or short ones, and a few rows of tall cells put anywhere."""
    count = draw(st.integers(1, 5))
    headers = [draw(st.sampled_from(["Deal", "Buyers", "Matched on", "中文名", "When"])) for _ in range(count)]
    pool = draw(
        st.lists(
            st.lists(draw(st.sampled_from([CELLS, SHORT])), min_size=count, max_size=count), min_size=1, max_size=6
        )
    )
    rows = [list(row) for row in draw(st.lists(st.sampled_from(pool), max_size=draw(st.sampled_from([3, 200]))))]
    tall = st.lists(TEXTS.map(lambda text: text + "\n" + text + "\nx"), min_size=count, max_size=count)
    for at, row in draw(st.lists(st.tuples(st.integers(0, len(rows)), tall), max_size=3)):
        rows.insert(at, row)
    return headers, rows


@given(table=_tables(), width=st.sampled_from([40, 60, 80, 120, 200]), keep=st.booleans(), drop=st.booleans())
def test_fit_is_the_row_by_row_fit(
    table: tuple[list[str], list[list[str]]], width: int, keep: bool, drop: bool
) -> None:
    headers, cells = table
    drops = [i % 3 if drop else 0 for i in range(len(headers))]
    keeps = [keep and i == 0 for i in range(len(headers))]
    assert fit(headers, cells, drops, keeps, width) == _reference_fit(headers, cells, drops, keeps, width)


@given(table=_tables(), widths=st.lists(st.integers(1, 40), min_size=5, max_size=5))
@example((["A", "B"], [["a", "b"]] * 20 + [["x\ny\nz", "b"]] + [["a", "b c"]] * 3), [5, 1, 1, 1, 1])
@example((["Deal", "Buyers"], [["deal-1", "Wei"], ["deal-22", "魏伟 AI"]]), [8, 4, 1, 1, 1])  # an ASCII column
def test_draw_table_is_the_row_by_row_table(table: tuple[list[str], list[list[str]]], widths: list[int]) -> None:
    headers, cells = table
    shown = widths[: len(headers)]
    fitted = Fitted(list(range(len(headers))), shown, [], False)
    drawn = "".join(draw_table(headers, cells, fitted))
    assert drawn == "".join(_reference_draw(headers, cells, shown))
    assert all(chunk.endswith("\n") for chunk in draw_table(headers, cells, fitted))


def _reference_cell(value: Any) -> str:
    """aiorg.render._cell as it was: lists joined value by value."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_reference_cell(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if type(value) is str else str(value)


class _Kind(StrEnum):
    ACQUISITION = "acquisition"


VALUES = st.one_of(
    st.none(),
    TEXTS,
    st.sampled_from(["2024-12", "~2024", "..2025-06", "2024-12..2025-06", _Kind.ACQUISITION]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(),
    st.lists(st.one_of(TEXTS, st.integers(), st.sampled_from([_Kind.ACQUISITION]), st.lists(TEXTS, max_size=2))),
)


@given(values=st.lists(VALUES, max_size=8), date=st.booleans())
@example(["a", "b"], False)
@example(["a", 1], False)
@example([["Wei", "魏伟"], ["a"], None], False)
@example([["Wei", "魏伟"], ["a"], []], False)
@example([["Wei", "魏伟"], ["a", 1]], False)
@example([["Wei", _Kind.ACQUISITION]], False)
@example(["2024-12..2025-06", "", None], True)
def test_a_column_is_its_cells(values: list[Any], date: bool) -> None:
    rows = [{"k": value} if value is not None or n % 2 else {} for n, value in enumerate(values)]
    cells = [_reference_cell(row.get("k")) for row in rows]
    if date:
        cells = [describe_text(text) if text else "" for text in cells]
    assert _column(rows, "k", date) == cells


@given(table=_tables())
@example((["Buyers"], [["前MiniMax商业化负责人魏伟从去年12月至今均相继离开 AI"], ["Wei"]]))
@example((["Buyers"], [["a\nb"], ["Wei 9154"]]))
@example((["Buyers"], [["abcdefghijkl 月之暗面商业化负责人"], ["Wei"]]))  # the CJK run is the widest piece
def test_a_columns_widest_piece_is_its_cells(table: tuple[list[str], list[list[str]]]) -> None:
    """The least width `fit` gives each column: the widest piece of its header or of any cell."""
    headers, cells = table
    for header, column in zip(headers, zip(*cells, strict=True) if cells else [()] * len(headers), strict=True):
        values = list(dict.fromkeys(column))
        spans = [max(map(cell_width, text.split("\n"))) for text in values]
        widest = longest_token(header)
        for text, span in zip(values, spans, strict=True):  # as fit did before: cell by cell
            if span > widest and widest < LONGEST_UNBROKEN:
                widest = max(widest, min(longest_token(text), LONGEST_UNBROKEN))
        assert layout._widest_piece(header, values, spans, "".join(values)) == widest


@given(table=_tables(), widths=st.lists(st.integers(1, 40), min_size=5, max_size=5))
@example((["A", "B"], [["Wei AI", "a"], ["a", "Wei AI"]]), [3, 3, 1, 1, 1])
def test_sample_heights_are_the_tallest_cells(table: tuple[list[str], list[list[str]]], widths: list[int]) -> None:
    headers, cells = table
    chosen = dict(enumerate(widths[: len(headers)]))
    heights = layout._Heights(cells)
    assert heights.table(chosen) == sum(max(len(wrap(row[i], w)) for i, w in chosen.items()) for row in cells)
    for i, w in chosen.items():
        assert heights.total(i, w) == sum(len(wrap(row[i], w)) for row in cells)
