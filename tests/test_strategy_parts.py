"""The strategy matrix's parts kept beside the store (aiorg.strategy_parts): after any edit, the
matrix is the one the naive algorithm gives for the edited knowledge base, and only the parts
made from the edited files are made again.

Each example writes a generated knowledge base (one YAML file per kind), asks for the matrix with
a cache (which keeps the parts), replaces the files of some kinds with those of a second
generated knowledge base, and asks again with the same cache."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import aiorg
from aiorg import strategy, strategy_parts, strategy_sql, strategy_tables
from aiorg.cache import Cache
from aiorg.errors import DataError
from aiorg.kb import KnowledgeBase
from aiorg.loader import load
from aiorg.queries import ANY_TIME, Window, deal_keys, deal_versions
from aiorg.queries.kept import store_identity
from aiorg.strategy import load_rules
from aiorg.strategy_parts import EVERY, kinds_read
from aiorg.strategy_tables import ALIAS
from tests.conftest import write_spec
from tests.test_strategy_sql import WINDOWS, naive_matrix, strategy_knowledge_bases

Spec = dict[str, list[dict[str, Any]]]
KINDS = ["firms", "tenures", "deals", "events", "metrics", "claims", "products", "groups", "sources"]
RULES = load_rules()


_counter = iter(range(10**9))


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("strategy-parts")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    first=strategy_knowledge_bases(),
    second=strategy_knowledge_bases(),
    edited=st.lists(st.sampled_from(KINDS), min_size=1, max_size=3, unique=True),
    window=WINDOWS,
    limit=st.sampled_from([None, 0, 1, 2]),
)
def test_after_an_edit_the_matrix_is_the_naive_one(
    scratch: Path,
    first: Spec,
    second: Spec,
    edited: list[str],
    window: tuple[str | None, str | None],
    limit: int | None,
) -> None:
    span = Window.parse(*window)

    def before(kb: KnowledgeBase) -> None:
        assert strategy.matrix(kb, window=span, rules=RULES) == naive_matrix(kb, window=span, rules=RULES)

    def after(kb: KnowledgeBase) -> None:
        expected = naive_matrix(kb, window=span, rules=RULES)
        assert strategy.matrix(kb, window=span, rules=RULES) == expected
        page, total = strategy.matrix_page(kb, window=span, rules=RULES, limit=limit)
        assert (page, total) == (expected if limit is None else expected[:limit], len(expected))

    checked_across_an_edit(scratch / str(next(_counter)), first, second, edited, before, after)


def checked_across_an_edit(
    folder: Path,
    first: Spec,
    second: Spec,
    edited: list[str],
    before: Callable[[KnowledgeBase], None],
    after: Callable[[KnowledgeBase], None],
) -> None:
    """Write `first` as one file per kind, check it (`before`) with a cache, replace the files of
    the `edited` kinds with `second`'s, and check it again (`after`) with the same cache. An
    example whose mix names records it lacks is not one (Hypothesis's assume)."""
    data, cache = folder / "data", Cache(folder / "cache")
    write_spec(data, first)
    load(data, cache=cache).close()  # the second load reads the store
    kb = load(data, cache=cache)
    try:
        before(kb)
    finally:
        kb.close()
    write_spec(data, {kind: second.get(kind, []) for kind in edited})
    try:
        kb = load(data, cache=cache)
    except DataError:  # the second knowledge base's records name what the first one's lack
        assume(False)
    try:
        after(kb)
    finally:
        kb.close()


def _bundled_copy(tmp_path: Path) -> tuple[Path, Cache]:
    data = tmp_path / "data"
    data.mkdir()
    for file in Path("data").glob("*.yaml"):
        (data / file.name).write_bytes(file.read_bytes())
    (tmp_path / "seeds").symlink_to(Path("seeds").resolve())
    return data, Cache(tmp_path / "cache")


def test_an_edit_makes_again_only_the_parts_made_from_the_edited_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data, cache = _bundled_copy(tmp_path)
    made: list[str] = []
    column = strategy_sql._column

    def counted(kb: KnowledgeBase, window: Window, signal: Any) -> dict[str, float]:
        made.append(signal.name)
        return column(kb, window, signal)

    monkeypatch.setattr(strategy_sql, "_column", counted)

    def matrix() -> list[dict[str, Any]]:
        kb = load(data, cache=cache)
        try:
            return strategy.matrix(kb)
        finally:
            kb.close()

    before = matrix()
    assert sorted(made) == sorted(strategy.MATRIX_SIGNALS)  # each made once, and kept
    made.clear()
    assert matrix() == before
    assert made == []
    events = data / "events.yaml"
    events.write_text(events.read_text(encoding="utf-8").replace("kind: pivot", "kind: milestone"), encoding="utf-8")
    after = matrix()
    assert sorted(made) == ["departure_waves", "pivots", "product_cutbacks", "reorganisations"]
    assert after != before  # a pivot fewer
    kb = load(data, cache=None)
    try:
        assert after == strategy.matrix(kb)  # as made from scratch, with no part kept
    finally:
        kb.close()
    # the stated labels, made again after the claims changed while every signal is kept, depend on
    # the claims and the firms' families, not on every file (the tables as shown are made first)
    claims = data / "claims.yaml"
    claims.write_text(claims.read_text(encoding="utf-8").replace("strategy: buy_talent", "strategy: pivot"), "utf-8")
    made.clear()
    assert matrix() != after
    assert made == []
    kb = load(data, cache=cache)
    try:
        kept = strategy_sql.parts(kb, ANY_TIME)
        assert kept.kept_kinds("stated labels") == ["claims", "firms"]
        assert kept.kept_kinds("listed firms") == ["firms"]
        assert kept.kept_kinds("executive_departures") == ["firms", "tenures"]
        assert kept.kept_kinds("pivots") == ["events", "firms"]
    finally:
        kb.close()


def test_kinds_read() -> None:
    assert kinds_read([("tenures", "main"), ("sqlite_master", "main"), ("json_each", "main")]) == {"tenures"}
    assert kinds_read([("deals", "main"), ("meta", "main")]) == {"deals"}  # the store's id is in every key
    assert kinds_read([("deals_buyers", "main"), ("firms_groups", "main")]) == {"deals", "firms"}
    # a kind's table as shown also depends on the sources, whose kinds and dates rank the claims
    assert kinds_read([("tenures_as_shown", "temp")]) == {"tenures", "sources"}
    assert kinds_read([("deals", ALIAS)]) == {"deals", "sources"}
    # a table no one kind decides: every file
    assert kinds_read([("tenures", "main"), ("records", "main")]) == {EVERY}
    assert kinds_read([("anything", "temp")]) == {EVERY}


def test_a_watch_sees_every_table_read_even_by_a_statement_compiled_before_it(tmp_path: Path) -> None:
    data, cache = _bundled_copy(tmp_path)
    kb = load(data, cache=cache)
    try:
        sql = "SELECT count(*) FROM tenures t JOIN firms f ON f.id = t.firm"
        kb.query(sql)  # compiled now, and kept in the connection's statement cache
        with kb.watching() as first:
            kb.query(sql)
        assert {("tenures", "main"), ("firms", "main")} <= first
        with kb.watching() as outer:
            kb.query("SELECT count(*) FROM deals_buyers")
            kb.query(sql)  # compiled again for this watch, and kept
            with kb.watching() as inner:
                kb.query(sql)
        assert {("tenures", "main"), ("firms", "main")} <= inner
        assert ("deals_buyers", "main") not in inner
        assert {("tenures", "main"), ("firms", "main"), ("deals_buyers", "main")} <= outer
        # records decoded earlier are read from memory: a watch sees that as the table of every record
        kb.records("firms")
        with kb.watching() as seen:
            kb.records("firms")
        assert kinds_read(seen) == {EVERY}

        # a remembered value tells a later watch what its making read
        def twice() -> list[tuple[Any, ...]]:
            raise AssertionError("made twice")

        kb.remembered("test", lambda: kb.query("SELECT count(*) FROM events"))
        with kb.watching() as seen:
            kb.remembered("test", twice)
        assert kinds_read(seen) == {"events"}
    finally:
        kb.close()


def test_no_cache_means_no_parts_kept(tmp_path: Path) -> None:
    data, _ = _bundled_copy(tmp_path)
    kb = load(data, cache=None)
    try:
        assert strategy_parts.Parts(kb, ANY_TIME, before=lambda: None).cache is None
        assert strategy.matrix_page(kb, limit=2) == (strategy.matrix(kb)[:2], len(strategy.matrix(kb)))
    finally:
        kb.close()


SHOWN_BY_SOURCE = {
    "sources": """\
sources:
  - {id: statement, title: A fictional statement, kind: official_statement, published: 2025-01}
  - {id: report, title: A fictional report, kind: article, published: 2025-02}
""",
    "kb": """\
firms:
  - {id: xinghe, name: Xinghe, source: statement, quote: q}
people:
  - {id: ann, name: Ann, source: statement, quote: q}
tenures:
  - {id: t1, person: ann, firm: xinghe, title: Head of product, kind: executive, area: product, end: 2025-01,
     end_cause: advisor, source: statement, quote: q, also: [{source: report, quote: r, end_cause: left}]}
""",
}


@pytest.mark.parametrize("copy", [True, False], ids=["as-shown copy", "no copy (TEMP tables)"])
def test_a_part_depends_on_the_sources_wherever_they_decide_the_value_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, copy: bool
) -> None:
    """The statement's `advisor` is shown first, the report's `left` when the statement becomes a
    social post. Without the as-shown copy (a full disk), the spells' table is read as it is (no
    row differs from its own yet), so what was read does not name the sources: the part must
    depend on them all the same (they are in a file of their own here)."""
    if not copy:
        monkeypatch.setattr(strategy_tables, "attach", lambda *args: None)
    data = tmp_path / "data"
    data.mkdir()
    for name, text in SHOWN_BY_SOURCE.items():
        (data / f"{name}.yaml").write_text(text, encoding="utf-8")
    cache = Cache(tmp_path / "cache")

    def signals(cached: bool) -> tuple[float, float]:
        kb = load(data, cache=cache if cached else None)
        try:
            (row,) = strategy.matrix(kb)
            return row["executive_departures"], row["advisor_moves"]
        finally:
            kb.close()

    assert signals(True) == (0.0, 1.0)
    sources = SHOWN_BY_SOURCE["sources"].replace("kind: official_statement", "kind: social_post")
    (data / "sources.yaml").write_text(sources, encoding="utf-8")  # the spells' file is as it was
    assert signals(False) == (1.0, 0.0)
    assert signals(True) == (1.0, 0.0)


def _modules_run(call: Any) -> set[str]:
    """The aiorg modules whose Python functions run during `call()`."""
    root = str(Path(aiorg.__file__).parent) + os.sep
    ran: set[str] = set()

    def profile(frame: Any, event: str, _: Any) -> None:
        if event == "call" and frame.f_code.co_filename.startswith(root):
            ran.add(frame.f_code.co_filename[len(root) :].removesuffix(".py").replace(os.sep, "/"))

    sys.setprofile(profile)
    try:
        call()
    finally:
        sys.setprofile(None)
    return ran


#: code that runs while a kept value is made but decides nothing in it: the cache, and reading the code
_KEEPING = {"cache", "fingerprint"}


@pytest.mark.parametrize("data", ["tests/fixtures/multisource/data", "data"])
def test_the_kept_values_keys_hold_every_module_whose_code_makes_them(tmp_path: Path, data: str) -> None:
    """A kept part or deal version is made again after an upgrade only if its key holds the code
    that made it (strategy_parts.CODE, deal_versions.CODE): every module whose code runs while it
    is made must be named there (the stated labels' SQL once lived in a module that was not)."""
    rules = load_rules()
    kb = load(Path(data), cache=Cache(tmp_path / "cache"))
    try:
        ran = _modules_run(lambda: strategy.matrix_page(kb, rules=rules, limit=1))
        assert "strategy_sql" in ran  # the parts were made, not read from the cache
        assert ran - _KEEPING <= set(strategy_parts.CODE)
        path = kb.store_file()
        assert path is not None
        versions = deal_versions._Versions(kb, Cache(tmp_path / "cache"), store_identity(kb).decode())
        ran = _modules_run(versions.every)
        if kb.query(deal_keys.TOLD_OTHERWISE):  # the fixture has deals whose sources disagree on figures
            assert "queries/deal_match" in ran  # the versions were found, not read from the cache
        assert ran - _KEEPING <= set(deal_versions.CODE)
    finally:
        kb.close()
