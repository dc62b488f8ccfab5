"""s26 review (Chinese-language newsroom): names in the other script, and Taiwan's interpunct.

Fictional knowledge base, as a 繁體 desk writes it: Huang Zhiming (黃志明, traditional only), the
firm Huiyao Tech (輝耀科技, traditional only), Chang Wei (張偉, traditional) and Zhang Wei (张伟,
simplified), two different people.

Defects shown:
- A name typed in simplified characters never finds a record written in traditional ones:
  `person 黄志明` says "no person named '黄志明'" (exit 3), `search 黄志明` says nothing matches,
  `people --left 辉耀` says "no firm named '辉耀'". Each reads as "not in the knowledge base".
  The README promises only traditional→simplified; a reader of either script should find both.
- `person 张伟` silently answers Zhang Wei although Chang Wei's name (張偉) is the same name in
  the other script, while `person 張偉` calls the two ambiguous; `search 张伟` lists one person.
- `‧` (U+2027), the interpunct Taiwan's press writes in foreign names (約翰‧詹南德雷亞), is not a
  separator: `search 约翰‧詹南德雷亚` finds nothing (exit 3) and `person 伊利亚‧苏茨克弗` is taken
  as part of a name rather than the exact one.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import sqlite3
from pathlib import Path

import pytest

from aiorg import names, sync
from aiorg.cache import Cache
from aiorg.errors import NotFoundError
from aiorg.loader import load
from aiorg.store import schema, write
from tests.conftest import one_file_kb, run_cli

KB = """\
sources:
  - id: s1
    title: 測試
    kind: article
    published: 2025-03-10
    file: ../seeds/s1.txt
  - id: s2
    title: 测试二
    kind: article
    published: 2025-06-10
    file: ../seeds/s2.txt
firms:
  - id: huiyao
    name: Huiyao Tech
    name_zh: 輝耀科技
    country: TW
    source: s1
    quote: 輝耀科技
people:
  - id: huang-zhiming
    name: Huang Zhiming
    name_zh: 黃志明
    source: s1
    quote: 執行長黃志明
  - id: zhang-wei-tw
    name: Chang Wei
    name_zh: 張偉
    source: s1
    quote: 張偉
  - id: zhang-wei-cn
    name: Zhang Wei
    name_zh: 张伟
    source: s2
    quote: 张伟
tenures:
  - id: huang-at-huiyao
    person: huang-zhiming
    firm: huiyao
    title_zh: 執行長
    start: 2020
    end: 2024-09
    end_cause: left
    source: s1
    quote: 執行長黃志明
"""

needs_opencc = pytest.mark.skipif(names.simplifier() is None, reason="needs the draft extra's OpenCC")


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("s26-zh-names")
    return one_file_kb(root, KB, {"s1.txt": "執行長黃志明。輝耀科技。張偉。", "s2.txt": "张伟。"})


def test_the_fixture_is_valid(kb: Path) -> None:
    result = run_cli("--data", str(kb), "validate")
    assert result.exit_code == 0, result.stdout + result.stderr


@needs_opencc
def test_a_simplified_name_finds_the_person_written_in_traditional(kb: Path) -> None:
    result = run_cli("--data", str(kb), "person", "黄志明", "--format", "json")
    assert result.exit_code == 0, result.stderr  # today: "no person named '黄志明'", exit 3
    assert json.loads(result.stdout)["person"] == "huang-zhiming"


@needs_opencc
def test_a_simplified_firm_name_finds_the_firm_written_in_traditional(kb: Path) -> None:
    result = run_cli("--data", str(kb), "people", "--left", "辉耀科技", "--format", "json")
    assert result.exit_code == 0, result.stderr  # today: "no firm named '辉耀科技'", exit 3
    assert [row["person"] for row in json.loads(result.stdout)] == ["huang-zhiming"]


@needs_opencc
def test_search_in_simplified_finds_the_traditional_record(kb: Path) -> None:
    result = run_cli("--data", str(kb), "search", "黄志明", "--format", "json")
    assert result.exit_code == 0, result.stderr  # today: exit 3, nothing matching
    assert {row["id"] for row in json.loads(result.stdout)} == {"huang-zhiming"}


@needs_opencc
def test_search_in_simplified_lists_the_same_name_in_traditional_too(kb: Path) -> None:
    result = run_cli("--data", str(kb), "search", "张伟", "--format", "json")
    assert result.exit_code == 0, result.stderr
    # `search 張偉` lists both; `search 张伟` lists only zhang-wei-cn today
    assert {row["id"] for row in json.loads(result.stdout)} == {"zhang-wei-cn", "zhang-wei-tw"}


@needs_opencc
def test_a_simplified_exact_name_held_by_a_traditional_record_too_is_not_silently_one(kb: Path) -> None:
    traditional = run_cli("--data", str(kb), "person", "張偉", "--format", "json")
    assert traditional.exit_code == 3  # ambiguous, as the README says
    simplified = run_cli("--data", str(kb), "person", "张伟", "--format", "json")
    # the same question in the other script must not silently answer one of the two
    assert simplified.exit_code == 3 or "zhang-wei-tw" in simplified.stderr, simplified.stderr


@pytest.mark.parametrize("typed", ["约翰‧詹南德雷亚", "約翰‧詹南德雷亞"])
def test_taiwans_interpunct_is_a_separator_in_search(typed: str) -> None:
    if typed != "约翰‧詹南德雷亚" and names.simplifier() is None:
        pytest.skip("needs the draft extra's OpenCC")
    result = run_cli("search", typed, "--format", "json")
    assert result.exit_code == 0, result.stderr  # today: exit 3, "no ... matching"
    assert {row["id"] for row in json.loads(result.stdout)} == {"john-giannandrea"}


def test_taiwans_interpunct_reads_as_the_exact_name() -> None:
    result = run_cli("person", "伊利亚‧苏茨克弗", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["person"] == "ilya-sutskever"
    assert (
        "matched" not in result.stderr
    )  # today: "note: '伊利亚‧苏茨克弗' matched Ilya Sutskever ..." (a partial match)


@needs_opencc
@pytest.mark.parametrize(("typed", "simple"), [("中國", "中国"), ("美國", "美国"), ("臺灣", "台湾")])
def test_a_country_in_traditional_characters_is_read_like_a_name(typed: str, simple: str) -> None:
    """`firms --country 中國` is "unknown country" (exit 2) while the firm 階躍星辰 is read."""
    typed_result = run_cli("firms", "--country", typed, "--format", "json")
    assert typed_result.exit_code == 0, typed_result.stderr
    assert typed_result.stdout == run_cli("firms", "--country", simple, "--format", "json").stdout


# --- the store's readings in simplified characters (helper's tests for the fix) ---

SEEDS = {"s1.txt": "執行長黃志明。輝耀科技。張偉。陳靜。", "s2.txt": "张伟。"}
CHEN_JING = """\
  - id: chen-jing
    name: Chen Jing
    name_zh: 陳靜
    aliases: [陳靜 (Jing)]
    source: s1
    quote: 陳靜
"""


def _reading_rows(path: Path) -> list[tuple[str, str, str]]:
    """(field, text, normalised) of the store's texts read in simplified characters that a name points at."""
    with contextlib.closing(sqlite3.connect(path)) as db:
        sql = "SELECT field, text, norm FROM texts WHERE field LIKE '%@simplified' AND id IN (SELECT text FROM names)"
        return sorted(db.execute(sql).fetchall())


@needs_opencc
def test_search_says_the_name_matched_as_read_in_simplified_and_shows_it_as_written(kb: Path) -> None:
    result = run_cli("--data", str(kb), "search", "黄志明", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert [(r["id"], r["field"], r["matched"]) for r in json.loads(result.stdout)] == [
        ("huang-zhiming", "Chinese name, read in simplified characters", "黃志明")
    ]


@needs_opencc
def test_search_in_simplified_lists_the_name_written_so_first(kb: Path) -> None:
    result = run_cli("--data", str(kb), "search", "张伟", "--format", "json")
    assert [(r["id"], r["field"]) for r in json.loads(result.stdout)] == [
        ("zhang-wei-cn", "Chinese name"),
        ("zhang-wei-tw", "Chinese name, read in simplified characters"),
    ]


@needs_opencc
def test_a_title_in_traditional_is_found_in_simplified(kb: Path) -> None:
    result = run_cli("--data", str(kb), "search", "执行长", "--format", "json")
    assert result.exit_code == 0, result.stderr  # before: exit 3
    assert [(r["id"], r["field"], r["matched"]) for r in json.loads(result.stdout)] == [
        ("huang-zhiming", "title at Huiyao Tech (輝耀科技), read in simplified characters", "執行長")
    ]


@needs_opencc
def test_part_of_a_traditional_name_typed_in_simplified_is_a_partial_match(kb: Path) -> None:
    result = run_cli("--data", str(kb), "person", "黄志", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["person"] == "huang-zhiming"
    assert "matched Huang Zhiming" in result.stderr  # only part of the name: said so


@needs_opencc
def test_a_store_updated_in_place_holds_the_readings_a_store_written_whole_does(tmp_path: Path) -> None:
    from tests.test_review3_sync import _tables

    data = one_file_kb(tmp_path, KB, SEEDS)
    kept = Cache(tmp_path / "kept")
    load(data, cache=kept)
    yaml = data / "kb.yaml"
    text = yaml.read_text(encoding="utf-8")
    # a person added (the file replaced), then a Chinese name changed in place (one record rewritten)
    for edited in (
        text.replace("tenures:\n", CHEN_JING + "tenures:\n"),
        text.replace("tenures:\n", CHEN_JING + "tenures:\n").replace("name_zh: 張偉\n", "name_zh: 張偉強\n"),
    ):
        yaml.write_text(edited, encoding="utf-8")
        inode = sync.store_path(kept, data).stat().st_ino
        load(data, cache=kept)
        assert sync.store_path(kept, data).stat().st_ino == inode  # updated in place, not written anew
        whole = Cache(tmp_path / f"whole-{len(edited)}")
        load(data, cache=whole)
        updated_store, whole_store = sync.store_path(kept, data), sync.store_path(whole, data)
        with (
            contextlib.closing(sqlite3.connect(updated_store)) as a,
            contextlib.closing(sqlite3.connect(whole_store)) as b,
        ):
            assert _tables(a) == _tables(b)
        rows = _reading_rows(updated_store)
        assert ("name_zh@simplified", "陳靜", "陈静") in rows
        assert ("aliases@simplified", "陳靜 (Jing)", "陈静jing") in rows
        assert rows == _reading_rows(whole_store)
    assert ("name_zh@simplified", "張偉強", "张伟强") in rows and ("name_zh@simplified", "張偉", "张伟") not in rows
    assert names.NameIndex(load(data, cache=kept)).resolve("陈静") == "chen-jing"


def _forget_the_converter() -> None:
    """Whether OpenCC is installed, and what the store's schema and readings were, are cached."""
    names.converter_installed.cache_clear()
    schema.schema_version.cache_clear()
    write.simplified_reading.cache_clear()


@needs_opencc
def test_a_store_says_whether_it_read_names_in_simplified_and_installing_opencc_rebuilds_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = one_file_kb(tmp_path, KB, SEEDS)
    cache = Cache(tmp_path / "cache")
    with_opencc = schema.schema_version()
    try:  # OpenCC not installed:
        real = importlib.util.find_spec
        monkeypatch.setattr(
            importlib.util, "find_spec", lambda name, *rest: None if name == "opencc" else real(name, *rest)
        )
        _forget_the_converter()
        assert schema.schema_version() != with_opencc
        kb_without = load(data, cache=cache)
        assert _reading_rows(sync.store_path(cache, data)) == []  # as before: no readings
        with pytest.raises(NotFoundError):
            names.NameIndex(kb_without).resolve("黄志明")
        kb_without.close()
    finally:
        monkeypatch.undo()
        _forget_the_converter()
    assert schema.schema_version() == with_opencc
    # OpenCC installed now: the store written without it is not read, but written again with the readings
    kb_with = load(data, cache=cache)
    assert ("name_zh@simplified", "黃志明", "黄志明") in _reading_rows(sync.store_path(cache, data))
    assert names.NameIndex(kb_with).resolve("黄志明") == "huang-zhiming"
