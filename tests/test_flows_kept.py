"""Plain `flows`' first rows kept beside the store (aiorg.queries.flows._plain_page): after any
edit they are the whole answer's first rows, made without the cache; an edit of a file of a kind
they are not made from keeps them; making them reads records of no other kind, and runs no code
their key does not hold. Every knowledge base here is fictional."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import aiorg.queries.flows  # noqa: F401  (see `flows` below)
from aiorg.cache import Cache
from aiorg.kb import KnowledgeBase
from aiorg.loader import load
from aiorg.queries.flows_page import flows_page
from aiorg.strategy_parts import kinds_read
from tests.test_flows_page import _counts
from tests.test_oracle import knowledge_bases
from tests.test_strategy_parts import _KEEPING, _bundled_copy, _modules_run, checked_across_an_edit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))
from generate import generate  # noqa: E402

flows = sys.modules["aiorg.queries.flows"]  # the module (the package's `flows` is its function)

Spec = dict[str, list[dict[str, Any]]]
_counter = iter(range(10**9))


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("flows-kept")


def _assert_page_is_the_whole_answers(kb: KnowledgeBase, limit: int) -> None:
    whole = flows._answer(kb, None, None, None)  # every move grouped, nothing kept
    page = flows.flow_answer(kb, limit=limit)
    assert page.rows == whole.rows[:limit]
    assert _counts(page) == _counts(whole)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    first=knowledge_bases(),
    second=knowledge_bases(),
    # an edit of events, metrics or claims alone keeps the page: it must still be the whole answer's
    edited=st.lists(
        st.sampled_from(["firms", "tenures", "deals", "people", "sources", "events", "metrics", "claims"]),
        min_size=1,
        max_size=2,
    ),
    limit=st.sampled_from([1, 2, 100]),
)
def test_after_an_edit_the_kept_page_is_the_whole_answers(
    scratch: Path, first: Spec, second: Spec, edited: list[str], limit: int
) -> None:
    check = lambda kb: _assert_page_is_the_whole_answers(kb, limit)  # noqa: E731
    checked_across_an_edit(scratch / str(next(_counter)), first, second, edited, check, check)


def test_an_edit_of_another_kind_keeps_the_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data, cache = _bundled_copy(tmp_path)
    made: list[int] = []
    page = flows_page

    def counted(*arguments: Any) -> Any:
        made.append(1)
        return page(*arguments)

    monkeypatch.setattr(flows, "flows_page", counted)

    def answer() -> tuple[list[Any], tuple[int, int, int, int]]:
        kb = load(data, cache=cache)
        try:
            found = flows.flow_answer(kb, limit=2)
            return found.rows, _counts(found)
        finally:
            kb.close()

    def fresh() -> tuple[list[Any], tuple[int, int, int, int]]:  # every move grouped, nothing kept
        kb = load(data, cache=None)
        try:
            found = flows._answer(kb, None, None, 2)
            return found.rows, _counts(found)
        finally:
            kb.close()

    before = answer()
    assert (made, answer()) == ([1], before)  # made once, then kept
    events = data / "events.yaml"
    events.write_text(events.read_text(encoding="utf-8").replace("kind: pivot", "kind: milestone"), encoding="utf-8")
    assert (made, answer()) == ([1], fresh())  # events are not what flows are made from
    made.clear()
    tenures = data / "tenures.yaml"
    text = tenures.read_text(encoding="utf-8")
    assert "after: " in text
    tenures.write_text(text.replace("after: ", "# after: "), encoding="utf-8")  # no spell follows another
    after = answer()
    assert made == [1]
    assert after != before
    assert after == fresh()


def test_a_page_made_from_a_damaged_store_is_not_kept_for_the_rebuilt_one(tmp_path: Path) -> None:
    """A store whose typed rows were damaged can miscount; once it is rebuilt from the files (here:
    deleted), what was kept beside it is not used (its key holds the store's own id)."""
    data, cache = _bundled_copy(tmp_path)
    load(data, cache=cache).close()
    kb = load(data, cache=None)
    try:
        right = flows.flow_answer(kb, limit=5)
    finally:
        kb.close()
    path = next((tmp_path / "cache" / "kb").glob("*.sqlite"))
    with sqlite3.connect(path) as db:
        db.execute('UPDATE tenures SET "after" = NULL')  # no spell follows another, by the typed rows
    kb = load(data, cache=cache)
    try:
        wrong = flows.flow_answer(kb, limit=5)
        assert (wrong.rows, _counts(wrong)) != (right.rows, _counts(right))
    finally:
        kb.close()
    path.unlink()  # gone: the next command writes the store again from the files
    kb = load(data, cache=cache)
    try:
        again = flows.flow_answer(kb, limit=5)
        assert (again.rows, _counts(again)) == (right.rows, _counts(right))
    finally:
        kb.close()


def _generated(tmp_path: Path) -> Path:
    generate(300, tmp_path, sources=2)
    return tmp_path / "data"


@pytest.mark.parametrize("data", ["tests/fixtures/multisource/data", "data", "generated"])
def test_making_the_page_reads_only_the_kinds_it_is_kept_under(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: str
) -> None:
    """An edit of a file of no kind in flows.READ keeps the page: making it must decode no record
    of another kind, nor read another kind's table (nor run code its key does not hold)."""
    folder = _generated(tmp_path) if data == "generated" else Path(data)
    load(folder, cache=Cache(tmp_path / "cache")).close()
    kb = load(folder, cache=Cache(tmp_path / "cache"))  # read from the store: no record decoded yet
    decoded: set[str] = set()
    cached = KnowledgeBase._cached

    def spied(self: KnowledgeBase, kind: str, seq: int, row: tuple[Any, ...]) -> Any:
        decoded.add(kind)
        return cached(self, kind, seq, row)

    monkeypatch.setattr(KnowledgeBase, "_cached", spied)
    try:
        with kb.watching() as seen:
            ran = _modules_run(lambda: flows.flow_answer(kb, limit=5))
        assert "queries/flows_page" in ran  # made, not read from the cache
        assert decoded <= set(flows.READ)
        if data != "tests/fixtures/multisource/data":  # a knowledge base with flows: the spy sees decoding
            assert {"tenures", "deals", "firms", "people"} <= decoded
        # the records (by kind: `decoded`) and the files (the key); kinds_read leaves out the store's id
        typed = {table for table in seen if table[0] not in ("records", "files")}
        assert kinds_read(typed) <= set(flows.READ)
        assert ran - _KEEPING <= set(flows.CODE)
    finally:
        kb.close()
