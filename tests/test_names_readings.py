"""A name typed in traditional characters is read in both scripts at once (review 8 B): an exact
name in either beats part of one in either, two exact names in different records are ambiguous,
and `search` lists the records of both readings, the closest first, saying how it read the text.
A search hit says which field of the record matched: name, Chinese name, alias, former name or id.

Fictional knowledge base: Zhang Wei (张伟), Zhang Weiqiang (张伟强, alias 張偉強), Li Ming (李明,
alias 李鸣), the firm Liming Lab (黎明实验室) whose alias 李鳴 is 李鸣 in traditional characters,
and Changcheng Cloud (长城云, alias 長城雲, former name Great Wall Cloud) where Zhang Wei is
首席技术官.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aiorg import names
from aiorg.errors import AmbiguousNameError
from aiorg.loader import load
from tests.conftest import one_file_kb, run_cli

KB = """\
sources:
  - id: s1
    title: 长城云
    kind: article
    published: 2024-10-08
    file: ../seeds/s1.txt
firms:
  - id: changcheng
    name: Changcheng Cloud
    name_zh: 长城云
    aliases: [長城雲]
    former_names: [Great Wall Cloud]
    country: CN
    source: s1
    quote: 长城云
  - id: liming-lab
    name: Liming Lab
    name_zh: 黎明实验室
    aliases: [李鳴]
    country: CN
    source: s1
    quote: 黎明实验室
people:
  - id: zhang-wei
    name: Zhang Wei
    name_zh: 张伟
    source: s1
    quote: 首席技术官张伟
  - id: zhang-weiqiang
    name: Zhang Weiqiang
    name_zh: 张伟强
    aliases: [張偉強]
    source: s1
    quote: 张伟强加入北辰
  - id: li-ming
    name: Li Ming
    name_zh: 李明
    aliases: [李鸣]
    source: s1
    quote: 李明
tenures:
  - id: zhang-wei-at-changcheng
    person: zhang-wei
    firm: changcheng
    title_zh: 首席技术官
    start: 2023
    source: s1
    quote: 首席技术官张伟
"""

needs_opencc = pytest.mark.skipif(names.simplifier() is None, reason="needs the draft extra's OpenCC")


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("names-readings")
    return one_file_kb(root, KB, {"s1.txt": "长城云。黎明实验室。首席技术官张伟。张伟强加入北辰。李明。"})


def _search(kb: Path, text: str) -> tuple[list[dict[str, str]], str]:
    result = run_cli("--data", str(kb), "search", text, "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows: list[dict[str, str]] = json.loads(result.stdout)
    return rows, result.stderr


def test_the_fixture_is_valid(kb: Path) -> None:
    result = run_cli("--data", str(kb), "validate")
    assert result.exit_code == 0, result.stdout + result.stderr


@needs_opencc
def test_an_exact_name_read_in_simplified_says_how_and_who_else_holds_it(kb: Path) -> None:
    result = run_cli("--data", str(kb), "person", "張偉", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["person"] == "zhang-wei"
    assert "read in simplified characters as '张伟'" in result.stderr
    assert "also hold it (first: zhang-weiqiang)" in result.stderr


@needs_opencc
def test_an_exact_name_in_each_script_of_two_records_is_ambiguous(kb: Path) -> None:
    """李鳴 is exactly the firm's alias as typed, and exactly Li Ming's alias 李鸣 read in
    simplified characters: neither is picked. Asked for a person, the firm is out of the running."""
    with pytest.raises(AmbiguousNameError) as raised:
        names.NameIndex(load(kb)).lookup("李鳴")
    assert sorted(raised.value.record_ids) == ["li-ming", "liming-lab"]
    result = run_cli("--data", str(kb), "person", "李鳴", "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)["person"] == "li-ming"
    assert "read in simplified characters as '李鸣'" in result.stderr


@needs_opencc
def test_part_of_a_name_in_either_script_is_still_found(kb: Path) -> None:
    match = names.NameIndex(load(kb)).lookup("偉強", ("people",))
    assert (match.record_id, match.partial) == ("zhang-weiqiang", True)


@needs_opencc
def test_search_lists_the_exact_name_first_and_notes_the_reading(kb: Path) -> None:
    rows, stderr = _search(kb, "張偉")
    assert [(r["id"], r["field"], r["matched"]) for r in rows] == [
        ("zhang-wei", "Chinese name", "张伟"),
        ("zhang-weiqiang", "alias", "張偉強"),  # the alias as typed
    ]
    assert "note: '張偉' searched as typed and read in simplified characters as '张伟'" in stderr


@needs_opencc
def test_search_reads_titles_in_simplified_too(kb: Path) -> None:
    rows, _ = _search(kb, "首席技術官")
    assert [(r["id"], r["field"], r["matched"]) for r in rows] == [
        ("zhang-wei", "title at Changcheng Cloud (长城云)", "首席技术官")
    ]


def test_a_simplified_search_needs_no_note(kb: Path) -> None:
    rows, stderr = _search(kb, "张伟")
    assert {r["id"] for r in rows} == {"zhang-wei", "zhang-weiqiang"} and "simplified" not in stderr


@pytest.mark.parametrize(
    ("text", "field", "matched"),
    [
        ("Great Wall", "former name", "Great Wall Cloud"),
        ("長城雲", "alias", "長城雲"),
        ("长城云", "Chinese name", "长城云"),
        ("Changcheng Cloud", "name", "Changcheng Cloud"),
        ("changcheng", "id", "changcheng"),
    ],
)
def test_search_says_which_field_matched(kb: Path, text: str, field: str, matched: str) -> None:
    """長城雲 is the alias as typed and the Chinese name read in simplified characters: the text as
    typed is shown. `changcheng` is all of the id and part of the name: the closer id is shown."""
    rows, _ = _search(kb, text)
    assert (rows[0]["id"], rows[0]["field"], rows[0]["matched"]) == ("changcheng", field, matched)


def test_a_name_that_reads_as_the_id_is_shown_as_the_name(kb: Path) -> None:
    entries = names.NameIndex(load(kb)).search("Li Ming")
    assert [(e.record_id, e.field, e.name) for e in entries] == [
        ("li-ming", "name", "Li Ming"),
        ("liming-lab", "name", "Liming Lab"),
    ]
