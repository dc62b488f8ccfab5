"""`timeline` pages of records whose other sources date them otherwise (aiorg.queries.timeline_page):
such a record is counted in SQL and told in full only while the earliest date any source gives it
may still place a fact on the page; a page is still exactly the first rows of `timeline`, with its
count. The store keeps what that needs: each deal step's typed row (`deals_history`) and, for a
date another source gives, its step (`part`) and its bounds (`lo`, `hi`), written the same by a
full write and by an update in place. Every knowledge base here is fictional."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from aiorg import sync
from aiorg.cache import Cache
from aiorg.kb import KnowledgeBase
from aiorg.loader import load
from aiorg.queries.common import Window
from aiorg.queries.timeline import timeline
from aiorg.queries.timeline_page import timeline_page

WINDOWS = (
    Window(),
    Window.parse("2023", None),
    Window.parse(None, "2022-06"),
    Window.parse("2021-01", "2021-12"),
    Window.parse("2024-02", "2024-02"),
)

SOURCES = """\
sources:
  - {id: s, title: Fictional wire, kind: article, published: 2025-01-01}
  - {id: t, title: Fictional filing, kind: filing, published: 2025-02-01}
  - {id: u, title: Fictional post, kind: social_post, published: 2025-03-01}
firms:
  - {id: a, name: A, source: s, quote: q}
  - {id: b, name: B, source: s, quote: q}
people:
  - {id: ann, name: Ann, source: s, quote: q}
  - {id: bo, name: Bo, source: s, quote: q}
  - {id: cy, name: Cy, source: s, quote: q}
"""

#: fictional: spells, deals, events and metrics whose other sources date them otherwise, beside
#: ones dated by their own dates only: a filing (shown first) that dates a spell earlier, a social
#: post (shown last) that dates one earlier than its own date, so its earliest claimed date is not
#: the one shown; a start only another source gives; spells one source says are ongoing and another
#: ends (either way round); an undated deal step before two steps of one day, one of which a post dates otherwise;
#: an event a post dates in 2021 that its own source dates in 2024; ties on one day throughout
TOLD = """\
tenures:
  - {id: ann-a, person: ann, firm: a, start: 2024-05, end: 2024-09, end_cause: left, source: s, quote: q,
     also: [{source: t, quote: r, start: 2021-01, end: 2023-02}]}
  - {id: ann-b, person: ann, firm: b, start: 2024-02, end: 2024-03, end_cause: left, source: s, quote: q,
     also: [{source: u, quote: r, start: 2019-06}]}
  - {id: bo-b, person: bo, firm: b, start: 2022-03, current: true, source: s, quote: q,
     also: [{source: t, quote: r, end: 2021-04, end_cause: left}]}
  - {id: bo-a, person: bo, firm: a, start: 2022-03, end: 2022-03, end_cause: left, source: s, quote: q}
  - {id: bo-c, person: bo, firm: b, start: 2020-01, end: 2024-02, end_cause: left, source: s, quote: q,
     also: [{source: t, quote: r, current: true}]}
  - {id: cy-a, person: cy, firm: a, current: true, source: s, quote: q, also: [{source: t, quote: r, start: 2024-02}]}
  - {id: cy-b, person: cy, firm: b, start: 2024-02, end: 2024-02, end_cause: left, source: s, quote: q,
     also: [{source: u, quote: r, end: 2024-02}]}
deals:
  - {id: a-deal, kind: acquisition, buyers: [a], targets: [b], source: s, quote: q,
     history: [{status: rumoured, source: s, quote: q}, {date: 2022-03, status: in_talks, source: s, quote: q},
     {date: 2022-03, status: agreed, source: s, quote: q, also: [{source: u, quote: r, date: 2019-01}]}]}
  - {id: b-deal, kind: acquisition, buyers: [b], targets: [a], source: s, quote: q,
     history: [{status: rumoured, source: s, quote: q}, {date: 2024-02, status: agreed, source: s, quote: q},
     {date: 2024-02, status: completed, source: s, quote: q}]}
  - {id: c-deal, kind: acquisition, buyers: [b], targets: [a], source: s, quote: q,
     history: [{date: 2024-01, status: agreed, source: s, quote: q, also: [{source: t, quote: r, date: 2020-06}]}]}
events:
  - {id: a-year, kind: released, subjects: [a], date: 2024, text: A ships a fictional model, source: s, quote: q,
     also: [{source: u, quote: r, date: 2021-05}]}
  - {id: b-month, kind: released, subjects: [b], date: 2024-02, text: B ships a fictional model, source: s, quote: q}
metrics:
  - {id: a-staff, subject: a, metric: headcount, value: 10, as_of: 2024-02, source: s, quote: q,
     also: [{source: t, quote: r, as_of: 2022-01, value: 12}]}
"""


def _kb(tmp_path: Path) -> tuple[Path, Cache]:
    """The knowledge base, its deals in a file of their own (so that an edit rewrites only the
    records it changes), loaded once into a store."""
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    spells, rest = TOLD.split("deals:\n")
    deals, others = rest.split("events:\n")
    (data / "a-base.yaml").write_text(SOURCES, encoding="utf-8")
    (data / "b-facts.yaml").write_text(spells + "events:\n" + others, encoding="utf-8")
    (data / "c-deals.yaml").write_text("deals:\n" + deals, encoding="utf-8")
    cache = Cache(tmp_path / "cache")
    load(data, cache=cache).close()
    return data, cache


@pytest.mark.parametrize("window", WINDOWS, ids=str)
def test_records_told_in_full_take_their_place_on_every_page(tmp_path: Path, window: Window) -> None:
    data, cache = _kb(tmp_path)
    whole = timeline(load(data, cache=cache), window=window)
    assert whole, "every window keeps some fact"
    for limit in range(len(whole) + 2):
        page = timeline_page(load(data, cache=cache), window=window, limit=limit)
        assert (page.rows, page.total) == (whole[:limit], len(whole)), f"limit {limit}"


def test_the_date_shown_places_a_fact_not_the_earliest_claimed(tmp_path: Path) -> None:
    data, cache = _kb(tmp_path)
    whole = timeline(load(data, cache=cache))
    # the post's 2019-06 start of ann-b is not shown (the wire's 2024-02 is); the filing's dates are
    starts = [row["date"] for row in whole if row["record"] == "ann-b"]
    assert starts == ["2024-02", "2024-03"]
    firsts = [(row["record"], row["date"]) for row in whole[:3]]
    assert firsts == [("bo-c", "2020-01"), ("c-deal", "2020-06"), ("ann-a", "2021-01")]


def test_the_told_records_are_counted_by_every_date_their_sources_give(tmp_path: Path) -> None:
    data, cache = _kb(tmp_path)
    window = Window.parse("2021-01", "2021-12")  # only the post's date of a-year, the filing's of ann-a and bo-b
    whole = timeline(load(data, cache=cache), window=window)
    assert {row["record"] for row in whole} == {"a-year", "ann-a", "bo-b"}
    assert timeline_page(load(data, cache=cache), window=window, limit=1).total == len(whole)


def _parts(kb: KnowledgeBase) -> list[object]:
    """The steps' typed rows and the dates other sources give, by record id rather than number."""
    steps = kb.query(
        "SELECT r.id, h.at, h.date_lo, h.date_hi, h.status, h.certainty FROM deals_history h"
        " JOIN records r ON r.seq = h.seq AND r.kind = 'deals' ORDER BY h.seq, h.at"
    )
    said = kb.query(
        "SELECT r.id, s.field, s.value, s.part, s.lo, s.hi FROM statements s"
        " JOIN records r ON r.seq = s.seq AND r.kind = s.kind ORDER BY s.seq, s.rowid"
    )
    return [*steps, *said]


def _no_whole_store(*_: object) -> None:
    raise AssertionError("the whole store was written again")


def test_steps_and_their_other_dates_are_kept_as_a_full_write_keeps_them(tmp_path: Path) -> None:
    data, cache = _kb(tmp_path)
    stored = load(data, cache=cache)
    assert ("a-deal", 2, "2022-03-01", "2022-03-31", "agreed", "confirmed") in _parts(stored)
    assert ("a-deal", "history.date", "2019-01", 2, "2019-01-01", "2019-01-31") in _parts(stored)
    assert ("a-year", "date", "2021-05", None, "2021-05-01", "2021-05-31") in _parts(stored)
    stored.close()
    facts = data / "c-deals.yaml"
    edits = [
        ("date: 2019-01}]}]}", "date: 2018}]}]}"),  # another source's date of a step
        (
            "{date: 2024-02, status: completed, source: s, quote: q}",
            "{date: 2024-04, status: completed, source: s, quote: q, also: [{source: t, quote: r, date: 2024-03}]}",
        ),
        ("{status: rumoured, source: s, quote: q}, {date: 2024-02", "{date: 2024-02"),  # a step removed
    ]
    for number, (old, new) in enumerate(edits):
        text = facts.read_text(encoding="utf-8")
        assert old in text, old
        facts.write_text(text.replace(old, new, 1), encoding="utf-8")
        _updated_as_fresh(data, cache, tmp_path / f"fresh-{number}")


def _updated_as_fresh(data: Path, cache: Cache, fresh_cache: Path) -> None:
    """The store updated in place (never written whole) holds the step rows and other sources'
    dates a fresh one holds, and its pages are the whole answer's."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sync, "store_writer", _no_whole_store)
        updated = load(data, cache=cache)
    fresh = load(data, cache=Cache(fresh_cache))
    try:
        assert _parts(updated) == _parts(fresh)
        whole = timeline(fresh)
        for limit in (0, 1, 2, 5, 100):
            page = timeline_page(updated, limit=limit)
            assert (page.rows, page.total) == (whole[:limit], len(whole))
    finally:
        updated.close()
        fresh.close()


def _without_a_deal(data: Path) -> None:
    """The first deal (a-deal, its three steps and another source's date) taken out of its file."""
    facts = data / "c-deals.yaml"
    text = facts.read_text(encoding="utf-8")
    start, end = text.index("  - {id: a-deal"), text.index("  - {id: b-deal")
    facts.write_text(text[:start] + text[end:], encoding="utf-8")


def _moved(data: Path) -> None:
    (data / "c-deals.yaml").rename(data / "d-deals.yaml")


def _deleted(data: Path) -> None:
    (data / "c-deals.yaml").unlink()


@pytest.mark.parametrize(
    "edit", [_without_a_deal, _moved, _deleted], ids=["deal removed", "file moved", "file deleted"]
)
def test_a_file_rewritten_moved_or_deleted_takes_its_steps_along(tmp_path: Path, edit: Callable[[Path], None]) -> None:
    """The store updated in place after a deal leaves a file, or the deals' file is renamed or
    deleted, holds the same step rows and other sources' dates as one written afresh, and the
    pages are the whole answer's (the review found a file's step rows left behind: 'showing the
    first 1 of 2,434 facts' where a fresh store counts 2,069)."""
    data, cache = _kb(tmp_path)
    edit(data)
    _updated_as_fresh(data, cache, tmp_path / "fresh")


def test_a_small_page_reads_few_records(tmp_path: Path) -> None:
    """A page of 10 facts from 300 people with two sources per fact decodes the records of the
    rows shown and of the few told otherwise that may come before them, not every deal and every
    spell another source dates (150 deals and 145 spells before the deal steps had a table)."""
    import sys

    sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))
    from generate import generate

    generate(300, tmp_path / "kb", sources=2)
    kb = load(tmp_path / "kb" / "data", cache=Cache(tmp_path / "cache"))
    try:
        page = timeline_page(kb, limit=10)
        decoded = {(kind, seq) for kind, seq in kb._single}
        assert len(page.rows) == 10 and page.total > 1000
        assert len(decoded) <= 40, len(decoded)
    finally:
        kb.close()
