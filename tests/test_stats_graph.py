"""`aiorg stats` counts the graph every whole export writes (review 5, defect 9): it said "graph
nodes 65 / edges 138" on the bundled data while `aiorg export json` wrote 112 nodes and 263 edges,
because it left out the events, metrics and claims an export carries as nodes, with their edges.

Its SQL counts must equal `build_graph(kb, facts=True)`'s (what `select` of a whole export keeps)
for every way a knowledge base is made: the bundled and multi-source data, a store written and
read again, one kept in memory, one updated after an edit, --known-as-of views, subsets whose
references dangle (an export's focus), and generated knowledge bases whose list fields repeat
values (which a MultiDiGraph collapses)."""

from __future__ import annotations

import json
import random
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aiorg.cache import Cache
from aiorg.graph import build_graph
from aiorg.kb import KnowledgeBase
from aiorg.known import known_as_of
from aiorg.loader import load
from aiorg.queries.stats import stats
from tests.conftest import BUNDLED_DATA, REPO, run_cli
from tests.test_graph_store import graphs
from tests.test_oracle import _load

MULTISOURCE = REPO / "tests" / "fixtures" / "multisource" / "data"


def export_counts(kb: KnowledgeBase) -> tuple[int, int]:
    graph = build_graph(kb, facts=True)
    return graph.number_of_nodes(), graph.number_of_edges()


def counted(kb: KnowledgeBase) -> tuple[int, int]:
    rows = stats(kb)
    assert [row["kind"] for row in rows[-2:]] == ["graph nodes", "graph edges"]
    assert rows[:-2] == [{"kind": kind, "count": count} for kind, count in kb.counts().items()]
    return rows[-2]["count"], rows[-1]["count"]


def test_stats_equal_what_the_json_export_writes(tmp_path: Path) -> None:
    result = run_cli("stats", "--format", "json")
    assert result.exit_code == 0, result.stderr
    shown = {row["kind"]: row["count"] for row in json.loads(result.stdout)}
    out = tmp_path / "kb.json"
    written = run_cli("export", "json", str(out))
    assert written.exit_code == 0, written.stderr
    graph = json.loads(out.read_text(encoding="utf-8"))
    nodes, edges = len(graph["nodes"]), len(graph["edges"])
    assert (shown["graph nodes"], shown["graph edges"]) == (nodes, edges)
    assert f"{nodes} nodes, {edges} edges" in written.stderr  # the export's own line agrees
    kinds = {node["type"] for node in graph["nodes"]}
    assert {"event", "metric", "claim"} <= kinds  # the facts are counted, as the export carries them


@pytest.mark.parametrize("data", [BUNDLED_DATA, MULTISOURCE], ids=["bundled", "multisource"])
def test_a_store_written_read_again_and_in_memory(data: Path, tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    for kb in (load(data, cache=cache), load(data, cache=cache), load(data, cache=None)):
        assert counted(kb) == export_counts(kb)


def test_the_bundled_counts_include_every_fact(bundled_kb: KnowledgeBase) -> None:
    without = build_graph(bundled_kb)
    counts = bundled_kb.counts()
    nodes, _ = counted(bundled_kb)
    assert nodes == without.number_of_nodes() + counts["events"] + counts["metrics"] + counts["claims"]


def test_a_store_updated_after_an_edit(tmp_path: Path) -> None:
    """An event added after the store was written: one node more, and its edges (to each subject
    and to its source)."""
    data = tmp_path / "data"
    shutil.copytree(BUNDLED_DATA, data)
    cache = Cache(tmp_path / "cache")
    before = load(data, cache=cache)
    assert counted(before) == export_counts(before)
    known = before.people[0]
    (data / "review5-extra.yaml").write_text(
        "events:\n  - id: review5-event\n    kind: statement\n    subjects: [minimax, wei-wei]\n"
        "    text: a test event\n"
        f"    source: {json.dumps(known.source)}\n    quote: {json.dumps(known.quote, ensure_ascii=False)}\n",
        encoding="utf-8",
    )
    after = load(data, cache=cache)
    assert "review5-event" in after.by_id
    assert counted(after) == export_counts(after)
    assert counted(after) == (counted(before)[0] + 1, counted(before)[1] + 3)


@pytest.mark.parametrize("day", ["1990-01-01", "2023-06-01", "2024-06-01", "2025-01-15", "2025-09-01", "2100-01-01"])
def test_known_as_of_views(bundled_kb: KnowledgeBase, day: str) -> None:
    view = known_as_of(bundled_kb, date.fromisoformat(day))
    assert counted(view) == export_counts(view)


@pytest.mark.parametrize("seed", range(6))
def test_subsets_with_dangling_references(bundled_kb: KnowledgeBase, seed: int) -> None:
    ids = sorted(bundled_kb.by_id)
    kb = bundled_kb.subset(set(random.Random(seed).sample(ids, len(ids) * (seed + 2) // 9)))
    try:
        nodes, _ = export_counts(kb)
        assert nodes > sum(kb.counts().values()) - kb.counts()["tenures"] - kb.counts()["deals"]  # strays
        assert counted(kb) == export_counts(kb)
    finally:
        kb.close()


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("stats-graph")


_counter = iter(range(10**9))


@given(spec=graphs(), cached=st.booleans())
def test_generated_knowledge_bases(scratch: Path, spec: Any, cached: bool) -> None:
    kb = _load(spec, scratch / str(next(_counter)), cached)
    assert counted(kb) == export_counts(kb)
