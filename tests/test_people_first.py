"""Plain `people` (no filter) a page at a time however many sources a spell has
(aiorg.queries.people_first): the page is exactly the first rows of the whole answer, with its
total, though only the spells that may sort into it are decoded. Spells another source dates
otherwise, ends, calls ongoing or starts earlier are among the first rows here.
Every knowledge base written here is FICTIONAL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aiorg import queries
from aiorg.cache import Cache
from aiorg.kb import KnowledgeBase
from aiorg.loader import load
from aiorg.queries.common import ANY_TIME
from aiorg.queries.people import SpellFilter
from aiorg.queries.people_first import first_spells
from aiorg.queries.people_page import people_page
from tests.test_oracle import _folder, _load, knowledge_bases

LIMITS = (0, 1, 2, 5, 100)
HERE = Path(__file__).parent
EVERY = SpellFilter(None, None, None, None, None, False, ANY_TIME, None)

# A fictional firm's spells. `new` (an official statement) is shown before `old` (an article).
KB = """\
sources:
  - {id: old, title: Fictional old report, kind: article, published: 2024-01-10}
  - {id: new, title: Fictional newer statement, kind: official_statement, published: 2025-05-01}
firms:
  - {id: acme, name: Acme (fictional), source: old, quote: q}
people:
PEOPLE
tenures:
  # ends 2025-03 by its own source; the newer one ends it 2019-02, shown first: an early row
  - {id: moved-early, person: p00, firm: acme, start: 2015, end: 2025-03, end_cause: left,
     source: old, quote: q, also: [{source: new, quote: q, end: 2019-02}]}
  # ended 2009-05 by its own source, the earliest own day; the newer source ends it 2026: a late row
  - {id: ended-later, person: p01, firm: acme, start: 2008, end: 2009-05, end_cause: left,
     source: old, quote: q, also: [{source: new, quote: q, end: 2026-01}]}
  # ended 2009-01 by its own source; the newer one calls it ongoing, shown first: no end, no start: last
  - {id: gone-or-still, person: p02, firm: acme, end: 2009-01, end_cause: left,
     source: old, quote: q, also: [{source: new, quote: q, current: true}]}
  # ongoing by its own source; the newer one ends it 2019-05, shown first
  - {id: still-or-gone, person: p03, firm: acme, start: 2017, current: true,
     source: old, quote: q, also: [{source: new, quote: q, end_cause: advisor, end: 2019-05}]}
  # no end; its own source starts it 2019-06, the newer one 2011-03, shown first: an early row
  - {id: started-earlier, person: p04, firm: acme, start: 2019-06,
     source: old, quote: q, also: [{source: new, quote: q, start: 2011-03}]}
  # ends 2027-02 by its own source; the newer one calls it ongoing, shown first: dated by its start
  - {id: ongoing-after-all, person: p07, firm: acme, start: 2010-02, end: 2027-02, end_cause: left,
     source: old, quote: q, also: [{source: new, quote: q, current: true}]}
  # ended by 2018-03 (no earliest day)
  - {id: ended-by, person: p05, firm: acme, start: 2016, end: ..2018-03, end_cause: left, source: old, quote: q}
  # no date at all: last
  - {id: undated, person: p06, firm: acme, source: old, quote: q}
SPELLS
"""


def _kb(folder: Path) -> KnowledgeBase:
    people = "\n".join(f"  - {{id: p{i:02d}, name: Person {i % 5}, source: old, quote: q}}" for i in range(30))
    spells = "\n".join(
        f"  - {{id: plain-{i:02d}, person: p{i:02d}, firm: acme, start: 2012, end: 20{20 + i % 3}-{1 + i % 12:02d},"
        f" end_cause: left, source: old, quote: q{', current: false' if i % 4 == 0 else ''}}}"
        for i in range(8, 30)
    )
    (folder / "data").mkdir()
    (folder / "data" / "kb.yaml").write_text(KB.replace("PEOPLE", people).replace("SPELLS", spells), encoding="utf-8")
    return load(folder / "data", cache=Cache(folder / "cache"))


def test_the_first_rows_are_those_people_sorts_first(tmp_path: Path) -> None:
    kb = _kb(tmp_path)
    whole = queries.people(kb)
    for limit in range(len(whole) + 2):
        page = first_spells(kb, EVERY, limit)
        if limit <= 20:  # enough spells are dated for the bound
            assert page is not None, limit
        if page is not None:
            assert (page.rows, page.total) == (whole[:limit], len(whole)), limit
    shown = [row["tenure"] for row in whole]
    assert shown[:5] == ["ongoing-after-all", "started-earlier", "ended-by", "moved-early", "still-or-gone"]
    assert shown[-3:] == ["ended-later", "undated", "gone-or-still"]  # both last: by name


def test_people_page_reads_the_first_rows_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    kb = _kb(tmp_path)
    whole = queries.people(kb)

    def refused(*_: Any, **__: Any) -> Any:
        raise AssertionError("read the long way")

    from aiorg.queries import people_page as page_module

    monkeypatch.setattr(page_module, "_people", refused)
    monkeypatch.setattr(page_module, "_columns_page", refused)
    for limit in (1, 2, 5):
        page = people_page(kb, limit=limit)
        assert (page.rows, page.total) == (whole[:limit], len(whole))


def _same(kb: KnowledgeBase) -> None:
    whole = queries.people(kb)
    for limit in LIMITS:
        page = first_spells(kb, EVERY, limit)
        if page is not None:
            assert (page.rows, page.total) == (whole[:limit], len(whole)), limit
        assert people_page(kb, limit=limit).rows == whole[:limit]


def test_the_bundled_data(bundled_kb: KnowledgeBase) -> None:
    _same(bundled_kb)
    assert first_spells(bundled_kb, EVERY, 5) is not None


def test_the_multisource_fixture(tmp_path: Path) -> None:
    kb = load(HERE / "fixtures" / "multisource" / "data", cache=Cache(tmp_path / "cache"))
    _same(kb)
    assert first_spells(kb, EVERY, 1) is not None


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("people-first")


@settings(max_examples=80, deadline=None)
@given(spec=knowledge_bases(), cached=st.booleans())
def test_a_generated_kb(scratch: Path, spec: Any, cached: bool) -> None:
    _same(_load(spec, _folder(scratch), cached))
