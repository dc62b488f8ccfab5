"""The change feed's JSON, written from row tuples, is the text render_json writes for the rows as
dicts: any text (quotes, backslashes, control characters, Chinese, `%`), nulls, other values,
batches, and no rows at all."""

from __future__ import annotations

import io
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aiorg import changes_json
from aiorg.change_rows import order_of
from aiorg.changes import CHANGE_KEYS, changes, compare
from aiorg.changes_json import write_feed_json, write_json
from aiorg.render import render_json
from tests.changes_kb import base, commit, new_repo, record, write
from tests.conftest import no_children_left

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


# --- a feed written from its differences, on two cores ----------------------------------------


@pytest.fixture
def _repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fixture repository whose second commit changes, adds and removes records of every kind."""
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    data = new_repo(tmp_path / "kb")
    files = base()
    record(files, "t-lin-acme").update(end_cause="advisor", source="s3")
    record(files, "d-acme-globex").update(amount="$15B")
    record(files, "d-acme-globex")["history"].append(
        {"date": "2025-06", "status": "agreed", "source": "s2", "quote": "达成协议"}
    )
    record(files, "p-lin").update(name="Lin Muyu")
    files["firms.yaml"]["firms"].pop()
    files["people.yaml"]["people"].append({"id": "p-new", "name": "Ada Vale", "source": "s3", "quote": "A"})
    files["people.yaml"]["people"].append({"id": "initech", "name": "Ina Tech", "source": "s3", "quote": "I"})
    files["people.yaml"]["people"].append({"id": "ann", "name": "Ann Oak", "source": "s3", "quote": "O"})
    write(data, files)
    commit(data.parent)
    return data


def _written(data: Path) -> str:
    out = io.StringIO()
    write_feed_json(compare(data, "HEAD~1", "HEAD"), CHANGE_KEYS, out)
    return out.getvalue()


def _expected(data: Path) -> str:
    out = io.StringIO()
    rows = changes(data, "HEAD~1", "HEAD").rows
    assert len(rows) > 5
    render_json(rows, out)
    return out.getvalue()


@pytest.mark.parametrize("pairs", [1, 2, 100])
def test_a_feed_written_on_two_cores_is_the_text_of_its_rows(
    _repo: Path, monkeypatch: pytest.MonkeyPatch, pairs: int
) -> None:
    monkeypatch.setattr(changes_json, "SPLIT_PAIRS", 2)
    monkeypatch.setattr(changes_json, "PAIRS", pairs)
    monkeypatch.setattr(changes_json, "READ_CHARS", 7 * pairs)  # the child's text read back in pieces
    forks: list[int] = []
    real_fork = changes_json._fork

    def counted(*args: Any) -> int | None:
        forks.append(1)
        return real_fork(*args)

    monkeypatch.setattr(changes_json, "_fork", counted)
    assert _written(_repo) == _expected(_repo)
    assert forks == [1]
    assert no_children_left()


def test_a_failed_child_leaves_its_half_to_this_process(_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(changes_json, "SPLIT_PAIRS", 2)

    def fail(parent: int) -> None:  # runs only in the child
        raise RuntimeError("the child fails")

    monkeypatch.setattr(changes_json, "die_with_parent", fail)
    assert _written(_repo) == _expected(_repo)
    assert no_children_left()


def test_a_reader_that_leaves_leaves_no_child(_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(changes_json, "SPLIT_PAIRS", 2)

    class Gone(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError

    with pytest.raises(BrokenPipeError):
        write_feed_json(compare(_repo, "HEAD~1", "HEAD"), CHANGE_KEYS, Gone())
    assert no_children_left()


def test_one_core_writes_the_same(_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(changes_json, "SPLIT_PAIRS", 10**9)
    assert _written(_repo) == _expected(_repo)


def test_no_differences_is_an_empty_list(_repo: Path) -> None:
    out = io.StringIO()
    write_feed_json(compare(_repo, "HEAD", "HEAD"), CHANGE_KEYS, out)
    assert out.getvalue() == "[]\n"


def test_the_parts_on_either_side_of_any_key_make_the_feed(_repo: Path) -> None:
    """Cut anywhere (the firm that became a person included, with a person between its two keys),
    the two parts' rows are the feed's."""
    compared = compare(_repo, "HEAD~1", "HEAD")
    whole = compared.part()
    keys = [order_of(*next((r.KIND, r.id) for r in reversed(pair) if r is not None)) for pair in whole.pairs]
    assert (order_of("firms", "initech") in keys) and (order_of("people", "initech") in keys)
    assert whole.rows() == changes(_repo, "HEAD~1", "HEAD").tuples
    for key in [*keys, (-1, ""), (99, "")]:
        assert compared.part(None, key).rows() + compared.part(key, None).rows() == whole.rows()


@pytest.mark.parametrize("encoding", ["utf-8", "UTF8", "utf-16"])
def test_the_childs_text_goes_to_a_byte_stream_as_it_is(
    _repo: Path, monkeypatch: pytest.MonkeyPatch, encoding: str
) -> None:
    """Under a UTF-8 text stream the child's bytes are copied to its buffer, after what this process wrote."""
    monkeypatch.setattr(changes_json, "SPLIT_PAIRS", 2)
    monkeypatch.setattr(changes_json, "PAIRS", 1)
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding=encoding, write_through=False)
    write_feed_json(compare(_repo, "HEAD~1", "HEAD"), CHANGE_KEYS, stream)
    stream.flush()
    assert raw.getvalue().decode(encoding) == _expected(_repo)
