"""`conflicts` a page at a time (aiorg.queries.conflicts_page): the page is exactly the first rows
of the whole answer, with its total, whether each file's count of rows is counted now or read
from the cache; an entry that does not match its records is not trusted.
Every knowledge base written here is FICTIONAL."""

from __future__ import annotations

import shutil
from array import array
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aiorg.cache import Cache
from aiorg.kb import KnowledgeBase
from aiorg.loader import load
from aiorg.queries import conflicts_page as page_module
from aiorg.queries.conflicts import DISPUTABLE_KINDS, conflicts
from aiorg.queries.conflicts_page import conflicts_page
from tests.test_oracle import _folder, _load, knowledge_bases
from tests.test_timeline_walk import _generated, sql_steps

LIMITS = (0, 1, 2, 5, 100)
HERE = Path(__file__).parent
KINDS: list[list[str] | None] = [None, ["tenures"], ["deals"], ["deals", "tenures"]]


def _same(kb: KnowledgeBase, kinds: list[str] | None = None) -> None:
    whole = conflicts(kb, kinds)
    for limit in (*LIMITS, None):
        page = conflicts_page(kb, kinds, limit)
        shown = _whole_facts(whole, limit)
        assert (page.rows, page.total) == (whole[:shown], len(whole)), (kinds, limit)


def _whole_facts(rows: list[dict[str, Any]], limit: int | None) -> int:
    """At least `limit` rows, and then up to a fact's last claim (the rule, written again)."""
    if limit is None or limit >= len(rows):
        return len(rows)
    fact = [(row["kind"], row["record"], row["field"]) for row in rows]
    shown = limit
    while 0 < shown < len(rows) and fact[shown] == fact[shown - 1]:
        shown += 1
    return shown


def test_the_bundled_data(bundled_kb: KnowledgeBase) -> None:
    _same(bundled_kb)


@pytest.mark.parametrize("kinds", KINDS)
def test_the_multisource_fixture_counted_then_kept(tmp_path: Path, kinds: list[str] | None) -> None:
    data = HERE / "fixtures" / "multisource" / "data"
    _same(load(data, cache=Cache(tmp_path / "cache")), kinds)  # counted, and kept
    _same(load(data, cache=Cache(tmp_path / "cache")), kinds)  # read from the cache


# Three files, each with spells and deals whose sources disagree, or not.
FILE = """\
sources:
  - {id: fx-src-a, title: Fictional report, kind: article, published: 2024-01-10}
  - {id: fx-src-b, title: Fictional statement, kind: official_statement, published: 2025-05-01}
firms:
  - {id: fx-acme, name: Acme FX (fictional), source: fx-src-a, quote: q}
  - {id: fx-beta, name: Beta FX (fictional), source: fx-src-a, quote: q}
people:
  - {id: fx-p, name: Person FX, source: fx-src-a, quote: q}
tenures:
  - {id: fx-t1, person: fx-p, firm: fx-acme, start: 2015, end: 2020-03, end_cause: left,
     source: fx-src-a, quote: q, also: [{source: fx-src-b, quote: q, end: 2019-02, end_cause: advisor}]}
  - {id: fx-t2, person: fx-p, firm: fx-beta, start: 2020-04, end: 2021, end_cause: left,
     source: fx-src-a, quote: q, also: [{source: fx-src-b, quote: q, end: 2021}]}
  - {id: fx-t3, person: fx-p, firm: fx-acme, start: 2022, current: true,
     source: fx-src-a, quote: q, also: [{source: fx-src-b, quote: q, end_cause: left}]}
deals:
  - {id: fx-d1, kind: acquisition, buyers: [fx-acme], targets: [fx-beta], amount: $2B,
     history: [{status: rumoured, date: 2024-03, source: fx-src-a, quote: q,
                also: [{source: fx-src-b, quote: q, date: 2024-05}]}],
     source: fx-src-a, quote: q, also: [{source: fx-src-b, quote: q, amount: $2.5B}]}
"""


def _three_files(folder: Path) -> Path:
    data = folder / "data"
    data.mkdir()
    for name in ("a", "b", "c"):
        (data / f"{name}.yaml").write_text(FILE.replace("fx-", f"{name}-"), encoding="utf-8")
    return data


def test_pages_across_files(tmp_path: Path) -> None:
    data = _three_files(tmp_path)
    kb = load(data, cache=Cache(tmp_path / "cache"))
    whole = conflicts(kb)
    assert len(whole) > 12  # several files' rows
    for kinds in KINDS:
        _same(kb, kinds)
    fact = [(row["record"], row["field"]) for row in whole]
    ends = {len(whole)} | {n for n in range(1, len(whole)) if fact[n] != fact[n - 1]}
    for limit in range(len(whole) + 2):
        rows = conflicts_page(kb, None, limit).rows
        assert rows == whole[: len(rows)] and len(rows) >= min(limit, len(whole))
        assert len(rows) in ends or not rows  # never one side of a dispute only
        assert len(rows) == min(limit, len(whole)) or limit not in ends


def test_a_warm_page_decodes_only_the_records_shown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = _three_files(tmp_path)
    whole = conflicts(load(data, cache=Cache(tmp_path / "cache")))
    conflicts_page(load(data, cache=Cache(tmp_path / "cache")), None, 1)  # counted, and kept
    kb = load(data, cache=Cache(tmp_path / "cache"))

    def refused(*_: Any) -> Any:
        raise AssertionError("counted again")

    monkeypatch.setattr(page_module, "_count", refused)
    page = conflicts_page(kb, None, 2)
    assert (page.rows, page.total) == (whole[: _whole_facts(whole, 2)], len(whole))


def test_an_entry_that_does_not_match_is_not_trusted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = _three_files(tmp_path)
    kb = load(data, cache=Cache(tmp_path / "cache"))
    whole = conflicts(kb)
    wrong = []
    for rank, counts in page_module._file_counts(kb):
        more = {
            kind: (places, array("Q", [n + 1 for n in array("Q", rows)]).tobytes())
            for kind, (places, rows) in counts.items()
        }
        wrong.append((rank, more))
    monkeypatch.setattr(page_module, "_file_counts", lambda _: wrong)
    page = conflicts_page(kb, None, 3)
    assert (page.rows, page.total) == (whole[: _whole_facts(whole, 3)], len(whole))


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("conflicts-page")


@settings(max_examples=60, deadline=None)
@given(spec=knowledge_bases(), cached=st.booleans(), kinds=st.sampled_from([None, *([k] for k in DISPUTABLE_KINDS)]))
def test_a_generated_kb(scratch: Path, spec: Any, cached: bool, kinds: list[str] | None) -> None:
    _same(_load(spec, _folder(scratch), cached), kinds)


def _steps(kb: KnowledgeBase) -> int:
    """How many hundreds of SQLite instructions a first page runs."""
    return sql_steps(kb, lambda: conflicts_page(kb, limit=10))


def test_an_edit_of_a_file_of_no_disputed_spell_does_not_list_every_statement(tmp_path: Path) -> None:
    """After an edit of events.yaml, counting its disputed facts listed every statement on every
    spell and deal (0.5 s at 100k people with two sources per fact, 3x a warm page): a kind the
    file holds no record of is not looked for."""
    data, cache = tmp_path / "data", Cache(tmp_path / "cache")
    shutil.copytree(_generated(tmp_path, 1500, 2), data)
    conflicts_page(load(data, cache=cache), limit=10)  # every file's counts are kept
    warm = load(data, cache=cache)
    steps = _steps(warm)
    warm.close()
    events = data / "events.yaml"
    events.write_text(events.read_text(encoding="utf-8").replace("text: Reorganised", "text: Reorganised again", 1))
    edited = load(data, cache=cache)
    try:
        assert _steps(edited) <= 2 * steps, steps
        page, whole = conflicts_page(edited, limit=5), conflicts(edited)
        assert (page.rows, page.total) == (whole[: _whole_facts(whole, 5)], len(whole))
    finally:
        edited.close()
