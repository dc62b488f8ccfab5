"""`timeline` with no --firm/--person builds only the rows it shows (aiorg.queries.timeline_page):
a page is exactly the first rows of `timeline`'s whole answer, in its order (ties too), with its
count, on the bundled data, the multi-source fixture and random knowledge bases whose sources
dispute dates. The knowledge bases here are fictional."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aiorg import sync
from aiorg.cache import Cache
from aiorg.loader import load
from aiorg.queries.common import Window
from aiorg.queries.timeline import timeline
from aiorg.queries.timeline_page import timeline_page
from tests.conftest import BUNDLED_DATA
from tests.test_oracle import _folder, _load, knowledge_bases

MULTISOURCE = Path(__file__).resolve().parent / "fixtures" / "multisource" / "data"
LIMITS = (0, 1, 2, 5, 100)
WINDOWS = (Window(), Window.parse("2024-06", "2025-03"), Window.parse("2025", None), Window.parse(None, "2023"))


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("timeline-page")


@pytest.mark.parametrize("data", [BUNDLED_DATA, MULTISOURCE], ids=["bundled", "multisource"])
@pytest.mark.parametrize("window", WINDOWS, ids=str)
def test_a_page_is_the_whole_timelines_first_rows(tmp_path: Path, data: Path, window: Window) -> None:
    cache = Cache(tmp_path / "cache")
    load(data, cache=cache)
    whole = timeline(load(data, cache=cache), window=window)
    for limit in LIMITS:
        page = timeline_page(load(data, cache=cache), window=window, limit=limit)
        assert page.total == len(whole)
        assert page.rows == whole[:limit]


@given(
    spec=knowledge_bases(),
    cached=st.booleans(),
    limit=st.sampled_from(LIMITS),
    since=st.sampled_from([None, "2024-06", "2025"]),
    until=st.sampled_from([None, "2024-12", "2025-06"]),
)
def test_a_page_on_random_knowledge_bases_is_the_whole_timelines_first_rows(
    scratch: Path, spec: Any, cached: bool, limit: int, since: str | None, until: str | None
) -> None:
    folder = _folder(scratch)
    window = Window.parse(since, until)
    whole = timeline(_load(spec, folder, cached), window=window)
    page = timeline_page(_load(spec, folder, cached), window=window, limit=limit)
    assert page.total == len(whole)
    assert page.rows == whole[:limit]


#: fictional: a spell whose second source (a filing, shown first) dates its start and end otherwise,
#: a spell one source says is ongoing while another ends it, two deal steps on one day (told apart
#: by their order) beside a spell's end and start on that day, a deal step the filing dates
#: otherwise, and a month placed before the year it starts (its latest day is earlier)
DISPUTED = """\
sources:
  - {id: s, title: Fictional wire, kind: article, published: 2025-01-01}
  - {id: t, title: Fictional filing, kind: filing, published: 2025-02-01}
people:
  - {id: ann, name: Ann, source: s, quote: q}
  - {id: bo, name: Bo, source: s, quote: q}
firms:
  - {id: a, name: A, source: s, quote: q}
  - {id: b, name: B, source: s, quote: q}
tenures:
  - {id: ann-a, person: ann, firm: a, start: 2024-05, end: 2024-09, end_cause: left, source: s, quote: q,
     also: [{source: t, quote: r, start: 2021-01, end: 2023-02}]}
  - {id: bo-b, person: bo, firm: b, start: 2022-03, current: true, source: s, quote: q,
     also: [{source: t, quote: r, end: 2022-04, end_cause: left}]}
  - {id: bo-a, person: bo, firm: a, start: 2022-03, end: 2022-03, end_cause: left, source: s, quote: q}
deals:
  - {id: z-deal, kind: acquisition, buyers: [a], targets: [b], source: s, quote: q,
     history: [{date: 2022-03, status: rumoured, source: s, quote: q}, {date: 2022-03, status: agreed, source: s,
     quote: q}]}
  - {id: m-deal, kind: acquisition, buyers: [b], targets: [a], source: s, quote: q,
     history: [{date: 2024-01, status: agreed, source: s, quote: q,
     also: [{source: t, quote: r, date: 2020-06}]}]}
events:
  - {id: a-year, kind: released, subjects: [a], date: 2019, text: A ships a fictional model, source: s, quote: q}
  - {id: b-month, kind: released, subjects: [b], date: 2019-01, text: B ships a fictional model, source: s, quote: q}
"""


def test_facts_whose_sources_date_them_otherwise_take_the_date_shown(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "kb.yaml").write_text(DISPUTED, encoding="utf-8")
    cache = Cache(tmp_path / "cache")
    load(data, cache=cache)
    whole = timeline(load(data, cache=cache))
    # the month before its year, then the filing's dates, shown first
    assert [row["record"] for row in whole][:4] == ["b-month", "a-year", "m-deal", "ann-a"]
    for window in WINDOWS:
        whole = timeline(load(data, cache=cache), window=window)
        for limit in range(15):
            page = timeline_page(load(data, cache=cache), window=window, limit=limit)
            assert (page.rows, page.total) == (whole[:limit], len(whole))


def test_a_date_column_that_disagrees_with_its_record_is_not_believed(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    whole = timeline(load(BUNDLED_DATA, cache=cache))
    last = [row for row in whole if row["kind"] == "role_start"][-1]
    with contextlib.closing(sqlite3.connect(sync.store_path(cache, BUNDLED_DATA))) as db:
        moved = "UPDATE tenures SET start_lo = '1900-01-01', start_hi = '1900-01-01' WHERE id = ?"
        db.execute(moved, (last["record"],))
        db.commit()
    page = timeline_page(load(BUNDLED_DATA, cache=cache), limit=3)
    assert page.rows == whole[:3]
    assert page.total == len(whole)
