"""Review: `stats` no longer counts stray edge endpoints when the knowledge base came from a store
(commit 9706d25). Every way a KnowledgeBase is made must still give the node and edge counts of
aiorg.graph.build_graph: a store written by a first load, a store updated after an edit, a
knowledge base kept in memory (no cache), --known-as-of views, and subsets."""

from __future__ import annotations

import json
import random
import shutil
from datetime import date
from pathlib import Path

import pytest

from aiorg.cache import Cache
from aiorg.kb import KnowledgeBase
from aiorg.known import known_as_of
from aiorg.loader import load
from aiorg.queries.stats import stats
from tests.conftest import BUNDLED_DATA, REPO
from tests.test_graph_store import naive_stats

MULTISOURCE = REPO / "tests" / "fixtures" / "multisource"


def _same(kb: KnowledgeBase) -> None:
    want = naive_stats(kb)
    assert want[-2]["count"] > 0
    assert stats(kb) == want


@pytest.mark.parametrize("data", [BUNDLED_DATA, MULTISOURCE], ids=["bundled", "multisource"])
def test_a_store_written_and_read_again(data: Path, tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    _same(load(data, cache=cache))  # written by this load
    _same(load(data, cache=cache))  # read from the store


@pytest.mark.parametrize("data", [BUNDLED_DATA, MULTISOURCE], ids=["bundled", "multisource"])
def test_in_memory_without_a_cache(data: Path) -> None:
    kb = load(data, cache=None)
    _same(kb)


def test_a_store_updated_after_an_edit(tmp_path: Path) -> None:
    """A file added after the store was written: the store is updated in place, one node more."""
    data = tmp_path / "data"
    shutil.copytree(BUNDLED_DATA, data)
    cache = Cache(tmp_path / "cache")
    before = load(data, cache=cache)
    _same(before)
    known = before.people[0]  # its source and quote, so the new record is checked as any other
    (data / "review3-extra.yaml").write_text(
        "people:\n  - id: review3-ada\n    name: Ada Vale\n"
        f"    source: {json.dumps(known.source)}\n    quote: {json.dumps(known.quote, ensure_ascii=False)}\n",
        encoding="utf-8",
    )
    after = load(data, cache=cache)
    assert "review3-ada" in after.by_id
    _same(after)
    assert stats(after)[-2]["count"] == stats(before)[-2]["count"] + 1


@pytest.mark.parametrize("day", ["1990-01-01", "2023-06-01", "2024-06-01", "2025-01-15", "2025-09-01", "2100-01-01"])
def test_known_as_of_views(bundled_kb: KnowledgeBase, day: str) -> None:
    view = known_as_of(bundled_kb, date.fromisoformat(day))
    if sum(view.counts().values()) == 0:
        assert [row["count"] for row in stats(view)][-2:] == [0, 0]
        return
    _same(view)


@pytest.mark.parametrize("seed", range(5))
def test_subsets_with_dangling_references(bundled_kb: KnowledgeBase, seed: int) -> None:
    ids = sorted(bundled_kb.by_id)
    keep = set(random.Random(seed).sample(ids, len(ids) // 3))
    _same(bundled_kb.subset(keep))
