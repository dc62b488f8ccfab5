"""The table layout keeps every character of every cell, in order, within the width it is given,
and never splits a word it had room for. Checked on generated tables in both scripts."""

from __future__ import annotations

import io
import re

from hypothesis import given
from hypothesis import strategies as st

from aiorg.layout import LONGEST_CJK_RUN, LONGEST_UNBROKEN, VERTICAL_BELOW, cell_width, fit, longest_token, wrap
from aiorg.render import Column, render_table

WORDS = st.sampled_from(
    ["Wei", "MiniMax", "left", "commercialization", "魏伟", "月之暗面", "商业化负责人", "$14.3B", "2024-12", "a",
     "(has", "supercalifragilisticexpialidocious-and-more", "前MiniMax商业化负责人魏伟从去年12月至今均相继离开"]
)  # fmt: skip
TEXTS = st.lists(WORDS, max_size=8).map(" ".join)


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


@given(text=TEXTS, width=st.integers(1, 60))
def test_wrap_keeps_every_character_within_the_width(text: str, width: int) -> None:
    lines = wrap(text, width)
    assert all(cell_width(line) <= max(width, 2) for line in lines), lines  # a wide character needs 2
    assert _squeezed("".join(lines)) == _squeezed(text)
    for word in text.split():
        if cell_width(word) <= min(width, LONGEST_UNBROKEN):
            assert any(word in line for line in lines), (word, lines)


def _column_texts(output: str, count: int) -> list[str]:
    """The non-space text of each column of a boxed table, top to bottom."""
    columns = [""] * count
    for line in output.splitlines():
        if line.startswith("│"):
            for i, part in enumerate(line.strip("│").split("│")):
                columns[i] += _squeezed(part)
    return columns


@given(
    rows=st.lists(st.lists(TEXTS, min_size=4, max_size=4), min_size=1, max_size=6),
    width=st.sampled_from([40, 60, 80, 120, 200]),
    drop=st.lists(st.integers(0, 3), min_size=4, max_size=4),
)
def test_tables_fit_and_keep_every_cell(rows: list[list[str]], width: int, drop: list[int]) -> None:
    """Whatever the layout (boxed, with columns hidden, or vertical), no line is wider than the
    terminal and each shown column holds exactly its cells' text, in row order."""
    rows = [[cell.replace("│", "") for cell in row] for row in rows]
    columns = [Column(f"k{i}", f"C{i}", drop=drop[i]) for i in range(4)]
    records = [{f"k{i}": cell or None for i, cell in enumerate(row)} for row in rows]
    out = io.StringIO()
    render_table(records, columns, out, width=width)
    text = out.getvalue()
    assert max(cell_width(line) for line in text.splitlines()) <= width
    present = [i for i in range(4) if any(row[i] for row in rows)] or list(range(4))
    fitted = fit([f"C{i}" for i in present], [[row[i] for i in present] for row in rows], [0] * 4, [False] * 4, width)
    if text.startswith("┌"):
        headers = [part.strip() for part in text.splitlines()[1].strip("│").split("│")]
        shown = [int(h[1:]) for h in headers]
        assert set(shown) <= set(present)
        texts = _column_texts(text, len(shown))
        for position, index in enumerate(shown):
            assert texts[position] == _squeezed(f"C{index}" + "".join(row[index] for row in rows))
    else:
        assert width < VERTICAL_BELOW or fitted.vertical
        label = min(max(cell_width(f"C{i}") for i in present), max(8, width // 3))
        blocks = text.split("── ")[1:]
        assert len(blocks) == len(rows)
        for block, row in zip(blocks, rows, strict=True):
            body = block.splitlines()[1:]
            assert _squeezed("".join(line[label + 2 :] for line in body)) == _squeezed("".join(row[i] for i in present))


def _longest_by_definition(text: str) -> int:
    """The widest piece `wrap` keeps whole, as its docstring defines it: each run of non-spaces,
    capped at LONGEST_UNBROKEN if ASCII, else at LONGEST_CJK_RUN."""
    sizes = [
        min(cell_width(token), LONGEST_UNBROKEN if token.isascii() else LONGEST_CJK_RUN)
        for token in re.findall(r"[^ ]+", text)
    ]
    return max([1, *sizes])


@given(st.text(alphabet="ab 魏伟\n\t-", max_size=60))
def test_longest_token_is_its_definition(text: str) -> None:
    assert longest_token(text) == _longest_by_definition(text)
    assert longest_token(text * 9) == _longest_by_definition(text * 9)  # runs longer than the caps
