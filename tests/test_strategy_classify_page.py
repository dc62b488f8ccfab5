"""Plain `aiorg strategy` reads signals, stated labels and evidence for the firms it shows only
(strategy.classify_page): its page must be exactly the first `limit` rows of `classify` for every
firm, in the same order, with the same total. Evidence for a page of firms is read a few firms at a
time (strategy_evidence.CHUNKED); with strategy_query.FEW set low, generated knowledge bases of a
handful of firms take that path. A table's evidence is a page of the facts of the firms shown
(strategy.evidence_page), each written out only when shown: the same facts, in the same order.
Checked on the bundled data, the fictional multi-source fixture and tests/test_strategy_sql.py's
generated knowledge bases."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aiorg import strategy, strategy_query
from aiorg.kb import KnowledgeBase
from aiorg.loader import load
from aiorg.queries import Window
from tests.conftest import BUNDLED_DATA
from tests.test_oracle import _load
from tests.test_strategy_sql import WINDOWS, strategy_knowledge_bases

FIXTURE = Path(__file__).parent / "fixtures" / "multisource" / "data"
LIMITS = (0, 1, 2, 5, 100)
ANY_TIME = Window.parse(None, None)


def _pages_equal_the_whole(kb: KnowledgeBase, window: Window = ANY_TIME) -> None:
    whole = strategy.classify(kb, window=window)
    for limit in LIMITS:
        assert strategy.classify_page(kb, window=window, limit=limit) == (whole[:limit], len(whole)), limit
        bare = [{key: value for key, value in row.items() if key != "evidence"} for row in whole[:limit]]
        assert strategy.classify_page(kb, window=window, limit=limit, with_evidence=False) == (bare, len(whole))
        _evidence_pages_equal_the_whole(kb, window, whole[:limit])
    assert strategy.classify_page(kb, window=window) == (whole, len(whole))


def _evidence_pages_equal_the_whole(kb: KnowledgeBase, window: Window, rows: list[dict[str, Any]]) -> None:
    """A table's page of evidence (strategy.evidence_page) is the first facts of these rows'
    `evidence`, firm by firm, each with its firm, and counts them all."""
    facts = [(row["firm"], item) for row in rows for item in row["evidence"]]
    firms = [row["firm"] for row in rows]
    for limit in (*LIMITS, None):
        shown = facts if limit is None else facts[:limit]
        assert strategy.evidence_page(kb, firms, window=window, limit=limit) == (shown, len(facts)), limit


@pytest.mark.parametrize("few", [0, 1, 2, strategy_query.FEW])
@pytest.mark.parametrize("data", [BUNDLED_DATA, FIXTURE], ids=["bundled", "multisource"])
def test_a_page_is_the_first_rows_of_the_whole(data: Path, few: int) -> None:
    kb = load(data)
    default, strategy_query.FEW = strategy_query.FEW, few
    try:
        _pages_equal_the_whole(kb)
    finally:
        strategy_query.FEW = default
        kb.close()


_counter = iter(range(10**9))


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("strategy-page")


@given(spec=strategy_knowledge_bases(), cached=st.booleans(), window=WINDOWS, few=st.sampled_from([0, 1, 2, 64]))
def test_generated_pages_are_the_first_rows_of_the_whole(
    scratch: Path, spec: Any, cached: bool, window: tuple[str | None, str | None], few: int
) -> None:
    kb = _load(spec, scratch / str(next(_counter)), cached)
    default, strategy_query.FEW = strategy_query.FEW, few
    try:
        _pages_equal_the_whole(kb, Window.parse(*window))
    finally:
        strategy_query.FEW = default
        kb.close()
