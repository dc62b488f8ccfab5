"""Review: `aiorg changes --format json` on two cores and with the file cache gives the text
render_json writes for the naive oracle's rows (both whole knowledge bases loaded), whatever the
edits, the cut, the batch sizes and the text in the records. Fictional records (tests/changes_kb.py)."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from aiorg import changes_json
from aiorg.cache import Cache
from aiorg.changes import CHANGE_KEYS, compare
from aiorg.changes_json import write_feed_json
from aiorg.render import render_json
from tests.changes_kb import Files, base, commit, new_repo, record, write
from tests.conftest import no_children_left
from tests.test_changes_oracle import EDITS, _oracle

#: names with text JSON must escape or keep: quotes, backslashes, tabs, separators, Chinese, `%`
ODD = ['Ann "Q" O\\ak', "Tab\there", "Line\u2028Sep", "林木 → '顾问'", "100%s done", "x\u00a0y", "e\u0301"]


def _crowd(files: Files, prefix: str, count: int) -> None:
    """Many people in a file of their own, so a small edit changes a small part of it."""
    files["crowd.yaml"] = {
        "people": [{"id": f"c-{i:02d}", "name": f"{prefix} {i}", "source": "s1", "quote": "q"} for i in range(count)]
    }


def _apply(files: Files, edits: list[int], odd: list[int], renamed: int) -> None:
    for i in edits:
        EDITS[i](files)
    for n, i in enumerate(odd):
        record(files, ["p-lin", "acme", "globex"][n] if n < 3 else f"c-{29 - n:02d}").update(name=ODD[i])
    for i in range(renamed):
        record(files, f"c-{i:02d}")["name"] = f"Renamed {i}"


def _expected(old: Files, new: Files, since: str, until: str) -> str:
    out = io.StringIO()
    render_json(_oracle(old, new, since, until), out)
    return out.getvalue()


@settings(max_examples=3, deadline=None)  # ~0.5 s each (two git commits, four reads)
@given(
    first=st.lists(st.sampled_from(range(len(EDITS))), unique=True, max_size=4),
    second=st.lists(st.sampled_from(range(len(EDITS))), unique=True, max_size=4),
    odd=st.lists(st.sampled_from(range(len(ODD))), max_size=3),
    renamed=st.sampled_from([0, 1, 15, 30]),
    pairs=st.sampled_from([1, 2, 7]),
    cached=st.booleans(),
)
def test_json_feed_on_two_cores_equals_the_oracle(
    first: list[int], second: list[int], odd: list[int], renamed: int, pairs: int, cached: bool
) -> None:
    _check(first, second, odd, renamed, pairs, cached)


def test_every_odd_text_on_two_cores_through_the_cache() -> None:
    _check([0, 3], [2, 5, 9], [0, 1, 2, 3, 4, 5, 6], 15, 2, True)


def _check(first: list[int], second: list[int], odd: list[int], renamed: int, pairs: int, cached: bool) -> None:
    """The JSON of the feed (forked at its middle, PAIRS records at a time, the child's text read
    back 5 characters at a time), twice, the second time from the cache the first run filled."""
    old_files, new_files = base(), base()
    _crowd(old_files, "Crowd", 30)
    _crowd(new_files, "Crowd", 30)
    _apply(old_files, first, [], 0)
    _apply(new_files, second, odd, renamed)
    saved = changes_json.SPLIT_PAIRS, changes_json.PAIRS, changes_json.READ_CHARS
    changes_json.SPLIT_PAIRS, changes_json.PAIRS, changes_json.READ_CHARS = 1, pairs, 5
    try:
        with tempfile.TemporaryDirectory() as tmp:
            data = new_repo(Path(tmp) / "kb", old_files)
            write(data, new_files)
            commit(data.parent)
            cache = Cache(Path(tmp) / "cache") if cached else None
            texts = []
            for _ in range(2):  # the second run reads what the first put in the cache
                compared = compare(data, "HEAD~1", "HEAD", cache)
                out = io.StringIO()
                write_feed_json(compared, CHANGE_KEYS, out)
                texts.append(out.getvalue())
            since, until = compared.sides[0].revision.label, compared.sides[1].revision.label
            expected = _expected(old_files, new_files, since, until)
    finally:
        changes_json.SPLIT_PAIRS, changes_json.PAIRS, changes_json.READ_CHARS = saved
    assert texts[0] == expected
    assert texts[1] == expected
    assert no_children_left()
