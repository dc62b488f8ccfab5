"""The change feed's JSON, written from row tuples, is the text render_json writes for the rows as
dicts: any text (quotes, backslashes, control characters, Chinese, `%`), nulls, other values,
batches, and no rows at all."""

from __future__ import annotations

import io
import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aiorg import changes_json
from aiorg.changes import CHANGE_KEYS
from aiorg.changes_json import write_json
from aiorg.render import render_json

_VALUES = st.one_of(
    st.none(),
    st.text(),
    st.sampled_from(["", '"', "\\", "%s", "%", "\n\t\x00\x1f", "林木 → '顾问'", "\u2028", "\ud800"]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(),
    st.booleans(),
    st.lists(st.text(max_size=3), max_size=2),
)


def _both(rows: list[tuple[Any, ...]], keys: tuple[str, ...]) -> tuple[str, str]:
    fast, plain = io.StringIO(), io.StringIO()
    write_json(rows, keys, fast)
    render_json([dict(zip(keys, row, strict=True)) for row in rows], plain)
    return fast.getvalue(), plain.getvalue()


@given(st.lists(st.tuples(*[_VALUES] * len(CHANGE_KEYS)), max_size=12))
def test_the_text_render_json_writes(rows: list[tuple[Any, ...]]) -> None:
    fast, plain = _both(rows, CHANGE_KEYS)
    assert fast == plain


@given(st.lists(st.tuples(_VALUES, _VALUES), min_size=1, max_size=7), st.integers(1, 3))
def test_across_batches_and_keys_that_need_escaping(rows: list[tuple[Any, ...]], batch: int) -> None:
    keys = ('a "%s" key', "b\\%")
    original = changes_json.BATCH
    changes_json.BATCH = batch
    try:
        fast, plain = _both(rows, keys)
    finally:
        changes_json.BATCH = original
    assert fast == plain


def test_no_rows() -> None:
    assert _both([], CHANGE_KEYS) == ("[]\n", "[]\n")


def test_a_figure_that_is_not_a_number_is_refused_as_render_json_does() -> None:
    row = ("revised", "deals", "d-1", None, "amount", math.nan, 1.0, "s", None, "a", "b")
    with pytest.raises(ValueError, match="JSON compliant"):
        render_json([dict(zip(CHANGE_KEYS, row, strict=True))], io.StringIO())
    with pytest.raises(ValueError, match="JSON compliant"):
        write_json([row], CHANGE_KEYS, io.StringIO())
