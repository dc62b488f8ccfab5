"""Plain `timeline` (no window, no --firm/--person) a page at a time (aiorg.queries.timeline_walk):
the dates are walked from the first and each file's count of facts is kept beside the store, so a
warm page costs about the same on eight times the people; a page is still exactly the first rows of
`timeline`, with its count, with one and two sources per fact, with and without a cache, under a
--known-as-of view, after an edit, and when a kept count is damaged. The knowledge bases are
generated (fictional)."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from aiorg.cache import Cache
from aiorg.kb import KnowledgeBase
from aiorg.known import known_as_of
from aiorg.loader import load
from aiorg.queries import timeline_walk
from aiorg.queries.timeline import timeline
from aiorg.queries.timeline_page import timeline_page

LIMITS = (0, 1, 2, 5, 100, 500)


def _generated(root: Path, people: int, sources: int) -> Path:
    """The data folder of a generated knowledge base (benchmarks/generate.py), made once per run."""
    sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))
    from generate import generate

    out = root / f"kb-{people}-{sources}"
    if not out.exists():
        generate(people, out, sources=sources)
    return out / "data"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("timeline-walk")


def sql_steps(kb: KnowledgeBase, call: Callable[[], object]) -> int:
    """How many hundreds of SQLite instructions `call` runs on the knowledge base's store."""
    steps = [0]

    def tick() -> int:
        steps[0] += 1
        return 0

    kb._store._db.set_progress_handler(tick, 100)
    try:
        call()
    finally:
        kb._store._db.set_progress_handler(None, 100)
    return steps[0]


def _steps(kb: KnowledgeBase, limit: int) -> int:
    """How many hundreds of SQLite instructions a page of `limit` facts runs."""
    return sql_steps(kb, lambda: timeline_page(kb, limit=limit))


@pytest.mark.parametrize("sources", [1, 2])
def test_a_warm_page_costs_about_the_same_on_eight_times_the_people(generated: Path, sources: int) -> None:
    """Counting every fact, finding every record other sources date otherwise, reading the rows
    of undated ends or sorting every date another source gives grows with the knowledge base:
    each took over twice the SQL on eight times the people (the counts, before they were kept)."""
    steps = []
    for people in (500, 4000):
        data, cache = _generated(generated, people, sources), Cache(generated / f"cache-{people}-{sources}")
        timeline_page(load(data, cache=cache), limit=10)  # the counts are kept
        kb = load(data, cache=cache)
        try:
            steps.append(_steps(kb, 100))
        finally:
            kb.close()
    assert steps[1] <= 1.5 * steps[0], steps


@pytest.mark.parametrize("sources", [1, 2])
@pytest.mark.parametrize("cached", [True, False], ids=["cached", "in memory"])
def test_a_page_is_the_whole_timelines_first_rows(generated: Path, sources: int, cached: bool) -> None:
    data = _generated(generated, 500, sources)
    cache = Cache(generated / f"cache-500-{sources}") if cached else None
    whole = timeline(load(data, cache=cache))
    for limit in LIMITS:
        page = timeline_page(load(data, cache=cache), limit=limit)
        assert (page.rows, page.total) == (whole[:limit], len(whole)), f"limit {limit}"


def test_a_page_of_a_known_as_of_view_is_its_whole_timelines_first_rows(generated: Path) -> None:
    """Only the first of the two sources was published by 2025-07: the view is a knowledge base in
    memory, with no cache beside it, whose records each other source dated otherwise are gone."""
    view = known_as_of(load(_generated(generated, 500, 2), cache=Cache(generated / "cache-500-2")), date(2025, 7, 1))
    whole = timeline(view)
    for limit in LIMITS:
        page = timeline_page(view, limit=limit)
        assert (page.rows, page.total) == (whole[:limit], len(whole)), f"limit {limit}"


def test_a_kept_count_follows_an_edit(tmp_path: Path) -> None:
    data = _generated(tmp_path, 300, 2)
    cache = Cache(tmp_path / "cache")
    before = timeline_page(load(data, cache=cache), limit=5).total
    tenures = data / "tenures.yaml"
    text = tenures.read_text(encoding="utf-8")
    start = text.index("\n  - ", text.index("\n  - ") + 1)  # the second spell and every one after it
    tenures.write_text(text[:start] + "\n", encoding="utf-8")
    whole = timeline(load(data, cache=Cache(tmp_path / "fresh")))
    page = timeline_page(load(data, cache=cache), limit=5)
    assert len(whole) < before
    assert (page.rows, page.total) == (whole[:5], len(whole))


def test_a_damaged_kept_count_is_counted_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = _generated(tmp_path, 300, 2)
    cache = Cache(tmp_path / "cache")
    whole = timeline(load(data, cache=cache))
    timeline_page(load(data, cache=cache), limit=5)
    kept = Cache.get

    def damaged(self: Cache, area: str, key: str) -> Any:
        return "12" if area == timeline_walk.AREA else kept(self, area, key)

    monkeypatch.setattr(Cache, "get", damaged)
    page = timeline_page(load(data, cache=cache), limit=5)
    assert (page.rows, page.total) == (whole[:5], len(whole))


def _ongoing(root: Path, people: int) -> Path:
    """Fictional: `people` people each in an ongoing role (no end date), started on days of their
    own, and one role that ended."""
    data = root / f"ongoing-{people}" / "data"
    data.mkdir(parents=True)
    lines = [
        "sources:",
        "  - {id: s, title: Fictional wire, kind: article, published: 2025-01-01}",
        "firms:",
        "  - {id: a, name: A, source: s, quote: q}",
        "people:",
        *(f"  - {{id: p{i}, name: P{i}, source: s, quote: q}}" for i in range(people)),
        "tenures:",
        "  - {id: ended, person: p0, firm: a, start: 1999-01, end: 1999-06, end_cause: left, source: s, quote: q}",
        *(
            f"  - {{id: t{i}, person: p{i}, firm: a, start: {date(2000, 1, 1) + timedelta(days=i)}, current: true,"
            " source: s, quote: q}"
            for i in range(people)
        ),
    ]
    (data / "kb.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return data


def test_a_page_does_not_read_the_roles_that_have_not_ended(tmp_path: Path) -> None:
    """The ends are walked on their date's index from its first day: asking for a date that IS NOT
    NULL (or for either bound) read every undated end first, six to eight times the SQL on fifteen
    times the roles."""
    steps = []
    for people in (200, 3000):
        data, cache = _ongoing(tmp_path, people), Cache(tmp_path / f"cache-{people}")
        whole = timeline(load(data, cache=cache))
        timeline_page(load(data, cache=cache), limit=3)  # the counts are kept
        kb = load(data, cache=cache)
        try:
            steps.append(_steps(kb, 3))
            page = timeline_page(kb, limit=3)
            assert (page.rows, page.total) == (whole[:3], len(whole))
        finally:
            kb.close()
    assert steps[1] <= 1.5 * steps[0], steps


@pytest.mark.parametrize("sources", [1, 2])
def test_an_edit_counts_its_file_again_not_every_file(generated: Path, tmp_path: Path, sources: int) -> None:
    """An edit of the small events file made every file be counted again: a first page after it
    ran about as much SQL as counting the whole knowledge base (0.45 s at 100k people against 0.2
    warm). Only the edited file's records are counted now, read by their sequence numbers."""
    data, cache = tmp_path / "data", Cache(tmp_path / "cache")
    shutil.copytree(_generated(generated, 4000, sources), data)  # the module's, edited here
    timeline_page(load(data, cache=cache), limit=10)  # every file's count is kept
    warm = load(data, cache=cache)
    steps = _steps(warm, 100)
    warm.close()
    events = data / "events.yaml"
    events.write_text(events.read_text(encoding="utf-8").replace("text: Reorganised", "text: Reorganised again", 1))
    edited = load(data, cache=cache)
    try:
        assert _steps(edited, 100) <= 2 * steps, steps
        page, whole = timeline_page(edited, limit=5), timeline(edited)
    finally:
        edited.close()
    assert (page.rows, page.total) == (whole[:5], len(whole))
