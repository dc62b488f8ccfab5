"""`flows` a page at a time: the rows a table shows are exactly the whole answer's first rows, in
its order (ties too), with the whole answer's row count, People sum, distinct people and people
from 'not stated'. Checked on the bundled data, on generated knowledge bases with one and two
sources per fact, and on random ones (tests/oracle.py). Every knowledge base here is fictional."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aiorg.cache import Cache
from aiorg.kb import KnowledgeBase
from aiorg.loader import load
from aiorg.queries.flow_rows import FlowAnswer
from aiorg.queries.flows import flow_answer
from tests.conftest import run_cli, write_spec
from tests.test_oracle import _folder, _load, knowledge_bases, option

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))
from generate import generate  # noqa: E402

LIMITS = (0, 1, 2, 5, 100)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("flows-page")


@pytest.fixture(scope="module", params=[1, 2], ids=["one-source", "two-sources"])
def generated(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The data folder of a generated (fictional) knowledge base of 400 people."""
    folder = tmp_path_factory.mktemp(f"flows-generated-{request.param}")
    generate(400, folder, sources=request.param)
    return folder / "data"


def _stored(data: Path) -> KnowledgeBase:
    """The knowledge base in `data`, read from its store."""
    cache = Cache(data.parent / "cache")
    load(data, cache=cache)
    return load(data, cache=cache)


def assert_pages(kb: KnowledgeBase, origin: str | None = None, destination: str | None = None) -> None:
    """Each page is the whole answer's first rows, with the whole answer's counts."""
    whole = flow_answer(kb, origin=origin, destination=destination)
    for limit in LIMITS:
        page = flow_answer(kb, origin=origin, destination=destination, limit=limit)
        assert page.rows == whole.rows[:limit], limit
        assert _counts(page) == _counts(whole) == _counted(whole), limit


def _counts(answer: FlowAnswer) -> tuple[int, int, int, int]:
    return answer.total, answer.summed, answer.people, answer.unstated


def _counted(whole: FlowAnswer) -> tuple[int, int, int, int]:
    """The counts as the whole answer's rows give them."""
    rows = whole.rows
    people = {person for row in rows for person in row["people"]}
    unstated = {person for row in rows if row["origin"] is None for person in row["people"]}
    return len(rows), sum(row["count"] for row in rows), len(people), len(unstated)


def test_pages_of_the_bundled_data(bundled_kb: KnowledgeBase) -> None:
    assert_pages(bundled_kb)
    for firm in ("meta", "openai", "bytedance"):
        assert_pages(bundled_kb, origin=firm)
        assert_pages(bundled_kb, destination=firm)


def test_pages_of_generated_knowledge_bases(generated: Path) -> None:
    kb = _stored(generated)
    assert len(flow_answer(kb).rows) > 100  # a page leaves rows out
    assert_pages(kb)
    assert_pages(kb, origin="firm-1")
    assert_pages(kb, destination="firm-2")


@given(spec=knowledge_bases(), cached=st.booleans(), origin=option, destination=option, guessed=st.booleans())
def test_pages_of_random_knowledge_bases(
    scratch: Path, spec: Any, cached: bool, origin: str | None, destination: str | None, guessed: bool
) -> None:
    if guessed:  # the unit's parent link is an inference: no move is merged across it
        for firm in spec["firms"]:
            if firm.get("parent"):
                firm["inferred"] = ["parent"]
    assert_pages(_load(spec, _folder(scratch), cached), origin, destination)


def test_the_table_counts_the_whole_answer(generated: Path) -> None:
    """The table's notes count every row, as those of --limit 0 do."""
    whole = flow_answer(load(generated))
    shown = run_cli("--data", str(generated), "flows")
    everything = run_cli("--data", str(generated), "flows", "--limit", "0")
    assert shown.exit_code == everything.exit_code == 0
    assert f"note: showing the first 100 of {whole.total:,} flows" in shown.stderr
    notes = [line for line in shown.stderr.splitlines() if "distinct" in line]
    assert notes and notes == [line for line in everything.stderr.splitlines() if "distinct" in line]
    assert shown.stdout.count("\n") < everything.stdout.count("\n")


_SAID = {"source": "s", "quote": "q"}


def _merges() -> dict[str, list[dict[str, Any]]]:
    """Fictional: Ada leaves her Origco spell for Buyco and for Buyco Lab (two spells naming one
    `after`); Ben is moved from Origco by two deals, to Buyco and to Buyco Lab; Cy and Di move
    plainly. Ada's and Ben's moves are each merged into one at Buyco Lab (flow_rows.shown_at)."""
    firms = [("origco", "Origco", None), ("buyco", "Buyco", None), ("buyco-lab", "Buyco Lab", "buyco")]
    deal = {"kind": "recruitment", "targets": ["origco"], "people": ["ben"], **_SAID}
    return {
        "sources": [{"id": "s", "title": "A fictional article", "published": "2025-06", "kind": "article"}],
        "firms": [
            {"id": i, "name": name, **({"parent": parent, "category": "unit"} if parent else {}), **_SAID}
            for i, name, parent in firms
        ],
        "people": [{"id": p, "name": p.title(), **_SAID} for p in ("ada", "ben", "cy", "di")],
        "tenures": [
            {"id": "a1", "person": "ada", "firm": "origco", "start": "2020", "end": "2024",
             "end_cause": "left", **_SAID},
            {"id": "a2", "person": "ada", "firm": "buyco", "after": "a1", "start": "2024", **_SAID},
            {"id": "a3", "person": "ada", "firm": "buyco-lab", "after": "a1", "start": "2024", **_SAID},
            {"id": "b1", "person": "ben", "firm": "origco", "start": "2020", **_SAID},
            {"id": "c1", "person": "cy", "firm": "origco", "start": "2020", "end": "2023",
             "end_cause": "left", **_SAID},
            {"id": "c2", "person": "cy", "firm": "buyco", "after": "c1", "start": "2023", **_SAID},
        ],
        "deals": [
            {"id": "ben-1", "buyers": ["buyco"], "history": [{"status": "agreed", "date": "2025-01", **_SAID}], **deal},
            {"id": "ben-2", "buyers": ["buyco-lab"], "history": [{"status": "agreed", "date": "2025-01", **_SAID}],
             **deal},
            {"id": "di-1", "kind": "recruitment", "targets": ["buyco"], "people": ["di"], "buyers": ["origco"],
             "history": [{"status": "agreed", **_SAID}], **_SAID},
        ],
    }  # fmt: skip


def test_pages_where_moves_merge(tmp_path: Path) -> None:
    """Moves merged into one are never counted as plain ones: each page is the whole answer's."""
    data = tmp_path / "data"
    write_spec(data, json.loads(json.dumps(_merges())))  # no shared objects (YAML anchors)
    kb = load(data)
    rows = {(row["origin"], row["destination"]): row["people"] for row in flow_answer(kb).rows}
    assert rows == {("origco", "buyco-lab"): ["ada", "ben"], ("origco", "buyco"): ["cy"], ("buyco", "origco"): ["di"]}
    assert_pages(kb)
