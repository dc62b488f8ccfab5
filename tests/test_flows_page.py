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


@given(spec=knowledge_bases(), cached=st.booleans(), origin=option, destination=option)
def test_pages_of_random_knowledge_bases(
    scratch: Path, spec: Any, cached: bool, origin: str | None, destination: str | None
) -> None:
    # knowledge_bases draws the unit's parent link inferred or stated: no move is merged across an inferred one
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


def test_a_page_makes_few_moves_from_records(generated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page decodes and makes the moves of the rows it shows and of the moves that may merge,
    not every move (aiorg.queries.flows_page): the plain ones are grouped from the store's columns."""
    import importlib

    flows_module = importlib.import_module("aiorg.queries.flows")
    kb = _stored(generated)
    made: list[int] = []
    every = flows_module._moves

    def counted(kb: KnowledgeBase, tenures: list[Any], deals: list[Any]) -> list[Any]:
        made.append(len(tenures) + len(deals))
        moves: list[Any] = every(kb, tenures, deals)
        return moves

    monkeypatch.setattr(flows_module, "_moves", counted)
    page = flow_answer(kb, limit=5)
    assert len(page.rows) == 5 and page.total > 100
    whole = len(flow_answer(kb).rows)
    assert sum(made[:-1]) < whole / 4, made


def test_rows_alike_but_for_their_firms_keep_their_order(tmp_path: Path) -> None:
    """Fictional: two firms both named 'Alpha'. Rows that tie on size and names come in the order
    of their first move: Eve's (merge-prone: two spells name one `after`) comes before Gus's, though
    the page groups the plain moves first; Hal's later plain move does not move her row back."""
    said = {"source": "s", "quote": "q"}

    def spell(spell_id: str, person: str, firm: str, after: str | None = None) -> dict[str, Any]:
        dates = {"start": "2022", "after": after} if after else {"start": "2020", "end": "2022", "end_cause": "left"}
        return {"id": spell_id, "person": person, "firm": firm, "title": spell_id, **dates, **said}

    spec = {
        "sources": [{"id": "s", "title": "A fictional article", "published": "2025-06", "kind": "article"}],
        "firms": [
            {"id": "origco", "name": "Origco", **said},
            {"id": "alpha-1", "name": "Alpha", **said},
            {"id": "alpha-2", "name": "Alpha", **said},
        ],
        "people": [{"id": p, "name": p.title(), **said} for p in ("eve", "gus", "hal", "ivy")],
        "tenures": [
            spell("e1", "eve", "origco"),
            spell("e2", "eve", "alpha-1", "e1"),
            spell("e3", "eve", "alpha-1", "e1"),
            spell("g1", "gus", "origco"),
            spell("g2", "gus", "alpha-2", "g1"),
            spell("h1", "hal", "origco"),
            spell("h2", "hal", "alpha-1", "h1"),
            spell("i1", "ivy", "origco"),
            spell("i2", "ivy", "alpha-2", "i1"),
        ],
    }
    data = tmp_path / "data"
    write_spec(data, json.loads(json.dumps(spec)))
    kb = load(data)
    assert [row["people"] for row in flow_answer(kb).rows] == [["eve", "hal"], ["gus", "ivy"]]
    assert_pages(kb)
