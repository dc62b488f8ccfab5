"""`people` a page at a time (aiorg.queries.people_page): a page is exactly the first rows of the
whole answer, in its order, with its total, whether the spells are ordered on the store's columns
(no firm filter, no --as-of) or matched one by one. The spells another source tells a date,
cause, state or area of otherwise are matched decoded, and one of them can sort first.
Every knowledge base written here is FICTIONAL."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aiorg import queries
from aiorg.cache import Cache
from aiorg.errors import UsageError
from aiorg.kb import KnowledgeBase
from aiorg.loader import load
from aiorg.model import Area, EndCause
from aiorg.queries import people_page as page_module
from aiorg.queries.common import Window
from aiorg.queries.people_page import people_page
from tests.test_oracle import CAUSES, FIRMS, _folder, _load, knowledge_bases

LIMITS = (0, 1, 2, 5, 100)
HERE = Path(__file__).parent

FILTERS: list[dict[str, Any]] = [
    {},
    {"cause": EndCause.LEFT},
    {"cause": EndCause.ADVISOR},
    {"cause": EndCause.DEMOTED},
    {"area": Area.RESEARCH},
    {"area": Area.PRODUCT, "cause": EndCause.LEFT},
    {"formal": True},
    {"window": Window.parse("2024", None)},
    {"window": Window.parse(None, "2023-06")},
    {"window": Window.parse("2024-03", "2025-02")},
    {"window": Window.parse("2024", "2025"), "cause": EndCause.LEFT},
    {"window": Window.parse("2024", None), "formal": True, "area": Area.RESEARCH},
    {"as_of": date(2024, 6, 30)},
]


def _same_page(kb: KnowledgeBase, filters: dict[str, Any]) -> None:
    whole = queries.people(kb, **filters)
    for limit in (*LIMITS, None):
        page = people_page(kb, **filters, limit=limit)
        assert page.total == len(whole), (filters, limit)
        assert page.rows == whole[:limit], (filters, limit)


@pytest.mark.parametrize("filters", [*FILTERS, {"left": "openai"}, {"at": "google"}, {"joined": "anthropic"}])
def test_a_page_of_the_bundled_data_is_the_first_rows(bundled_kb: KnowledgeBase, filters: dict[str, Any]) -> None:
    _same_page(bundled_kb, filters)


@pytest.mark.parametrize("filters", FILTERS)
def test_a_page_of_the_multisource_fixture_is_the_first_rows(tmp_path: Path, filters: dict[str, Any]) -> None:
    kb = load(HERE / "fixtures" / "multisource" / "data", cache=Cache(tmp_path / "cache"))
    _same_page(kb, filters)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("people-page")


@settings(max_examples=60, deadline=None)
@given(
    spec=knowledge_bases(),
    cached=st.booleans(),
    firm=st.sampled_from([None, None, None, *FIRMS]),
    cause=st.one_of(st.none(), st.sampled_from(CAUSES)),
    area=st.one_of(st.none(), st.none(), st.sampled_from([a.value for a in Area])),
    formal=st.booleans(),
    since=st.sampled_from([None, None, "2024", "2024-10"]),
    until=st.sampled_from([None, None, "2024-12", "2026"]),
    as_of=st.sampled_from([None, None, None, "2025-01"]),
)
def test_a_page_of_a_generated_kb_is_the_first_rows(
    scratch: Path,
    spec: Any,
    cached: bool,
    firm: str | None,
    cause: str | None,
    area: str | None,
    formal: bool,
    since: str | None,
    until: str | None,
    as_of: str | None,
) -> None:
    kb = _load(spec, _folder(scratch), cached)
    filters: dict[str, Any] = {
        "left": firm,
        "cause": EndCause(cause) if cause else None,
        "area": Area(area) if area else None,
        "formal": formal,
        "window": Window.parse(since, until),
        "as_of": date.fromisoformat(as_of + "-31") if as_of else None,
    }
    try:
        whole = queries.people(kb, **filters)
    except UsageError:
        return
    for limit in (*LIMITS, None):
        page = people_page(kb, **filters, limit=limit)
        assert (page.rows, page.total) == (whole[:limit], len(whole))


# Plain spells (one source) dated 2020 to 2021, and spells another source tells otherwise: one whose
# newer source ends it in 2019 (shown first, so its row sorts first, though its own end is 2025),
# one whose other source writes its end '~2024-06' (the same days as its own 2024-06), one its own
# source calls current and another ends, and one whose other source gives another area.
TOLD = """\
sources:
  - {id: old, title: Fictional old report, kind: article, published: 2024-01-10}
  - {id: new, title: Fictional newer statement, kind: official_statement, published: 2025-05-01}
firms:
  - {id: acme, name: Acme (fictional), source: old, quote: q}
people:
PEOPLE
tenures:
  - {id: moved-early, person: p00, firm: acme, start: 2015, end: 2025-03, end_cause: left, area: research,
     source: old, quote: q, also: [{source: new, quote: q, end: 2019-02}]}
  - {id: about-the-same, person: p01, firm: acme, start: 2016, end: 2024-06, end_cause: left,
     source: old, quote: q, also: [{source: new, quote: q, end: ~2024-06}]}
  - {id: still-or-gone, person: p02, firm: acme, start: 2017, current: true,
     source: old, quote: q, also: [{source: new, quote: q, end_cause: advisor, end: 2019-05}]}
  - {id: other-area, person: p03, firm: acme, start: 2018, end: 2019-07, end_cause: founded, area: product,
     source: old, quote: q, also: [{source: new, quote: q, area: research}]}
SPELLS
"""


def _told_kb(folder: Path) -> KnowledgeBase:
    people = "\n".join(f"  - {{id: p{i:02d}, name: Person {i % 7}, source: old, quote: q}}" for i in range(30))
    spells = "\n".join(
        f"  - {{id: plain-{i:02d}, person: p{i:02d}, firm: acme, start: 2018, end: 202{i % 2}-{1 + i % 12:02d},"
        f" end_cause: {'left' if i % 3 else 'advisor'}, area: {'research' if i % 2 else 'product'},"
        " source: old, quote: q}"
        for i in range(4, 30)
    )
    (folder / "data").mkdir()
    (folder / "data" / "kb.yaml").write_text(TOLD.replace("PEOPLE", people).replace("SPELLS", spells), encoding="utf-8")
    return load(folder / "data", cache=Cache(folder / "cache"))


@pytest.mark.parametrize("filters", FILTERS)
def test_a_spell_another_source_tells_otherwise_sorts_as_shown(tmp_path: Path, filters: dict[str, Any]) -> None:
    kb = _told_kb(tmp_path)
    _same_page(kb, filters)
    if not filters:  # the other source's end, shown first, puts it first; the disputed state next
        assert [row["tenure"] for row in people_page(kb, limit=2).rows] == ["moved-early", "still-or-gone"]


@pytest.mark.parametrize("filters", [f for f in FILTERS if "as_of" not in f])
def test_with_no_firm_filter_the_page_is_read_from_the_columns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, filters: dict[str, Any]
) -> None:
    kb = _told_kb(tmp_path)
    whole = queries.people(kb, **filters)

    def refused(*_: Any, **__: Any) -> Any:
        raise AssertionError("every spell matched one by one")

    monkeypatch.setattr(page_module, "_people", refused)
    page = people_page(kb, **filters, limit=3)
    assert (page.rows, page.total) == (whole[:3], len(whole))
