"""Names found the way people type them (issue 13), on the bundled data and on small knowledge bases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aiorg.errors import ExitCode
from tests.conftest import run_cli

ZHANGS = (
    "Zhang Fan (张帆) [zhang-fan], Zhang Xinhao (张心皓) [zhang-xinhao], "
    "Zhang Qianchuan (张前川) [zhang-qianchuan], Zhang Yiming (张一鸣) [zhang-yiming]"
)


def _kb(tmp_path: Path, people: list[str], firms: list[str] = ()) -> str:  # type: ignore[assignment]
    data = tmp_path / "data"
    data.mkdir()
    lines = ["sources:\n  - {id: s, title: T}\n", "people:\n", *(f"  - {{{p}, source: s, quote: q}}\n" for p in people)]
    if firms:
        lines += ["firms:\n", *(f"  - {{{f}, source: s, quote: q}}\n" for f in firms)]
    (data / "kb.yaml").write_text("".join(lines), encoding="utf-8")
    return str(data)


def test_a_surname_shared_by_several_people_lists_them_all() -> None:
    result = run_cli("person", "Zhang")
    assert result.exit_code == ExitCode.NOT_FOUND and result.stdout == ""
    assert result.stderr == f"aiorg: error: 'Zhang' names 4 people: {ZHANGS}; give the id or the full name\n"


def test_a_piece_of_a_chinese_name_finds_the_one_person() -> None:
    result = run_cli("person", "苏茨克弗", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["person"] == "ilya-sutskever"
    assert result.stderr == "note: '苏茨克弗' matched Ilya Sutskever (伊利亚·苏茨克弗) [ilya-sutskever]\n"


@pytest.mark.parametrize(
    "name", ["Baichuan Intelligence", "Baichuan Technology", "baichuan inc", "百川智", "百川智能科技", "Baichuan 百川"]
)
def test_the_distinctive_word_of_a_firm_finds_it(name: str) -> None:
    result = run_cli("firm", name, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["firm"] == "baichuan"
    assert result.stderr == f"note: {name!r} matched Baichuan AI (百川智能) [baichuan]\n"


@pytest.mark.parametrize("name", ["AI", "Intelligence Technology", "智能科技", "Foo Intelligence"])
def test_generic_words_alone_match_nothing(name: str) -> None:
    result = run_cli("firm", name)
    assert result.exit_code == ExitCode.NOT_FOUND and result.stdout == ""
    assert result.stderr.startswith(f"aiorg: error: no firm named {name!r}")
    assert "Safe Superintelligence" not in result.stderr or name == "Intelligence Technology"


def test_generic_words_do_not_make_a_suggestion() -> None:
    assert run_cli("firm", "Foo Intelligence").stderr == "aiorg: error: no firm named 'Foo Intelligence'\n"


def test_suggestions_rank_by_shared_words() -> None:
    result = run_cli("firm", "Baichuan Intellgence Labz")
    assert result.exit_code == ExitCode.NOT_FOUND
    assert result.stderr.startswith(
        "aiorg: error: no firm named 'Baichuan Intellgence Labz'; did you mean 'Baichuan AI (百川智能)'"
    )


def test_a_group_typed_for_a_firm_points_to_firms_group() -> None:
    result = run_cli("firm", "六小龙")
    assert result.exit_code == ExitCode.NOT_FOUND and result.stdout == ""
    assert result.stderr == (
        "aiorg: error: '六小龙' is a group (id six-dragons), not a firm;"
        " list its firms with: aiorg firms --group six-dragons\n"
    )


def test_a_firm_typed_for_a_person_points_to_firm() -> None:
    result = run_cli("person", "MiniMax")
    assert result.stderr == "aiorg: error: 'MiniMax' is a firm (id minimax), not a person; see: aiorg firm minimax\n"


def test_an_exact_name_wins_over_a_partial_match(tmp_path: Path) -> None:
    data = _kb(tmp_path, ["id: li, name: Li", "id: li-wei, name: Li Wei", "id: li-na, name: Li Na"])
    result = run_cli("--data", data, "person", "li", "--format", "json")
    assert json.loads(result.stdout)["person"] == "li" and result.stderr == ""


def test_two_people_sharing_a_surname_never_resolve_silently(tmp_path: Path) -> None:
    data = _kb(tmp_path, ["id: a, name: Chen Hao, name_zh: 陈浩", "id: b, name: Chen Jing, name_zh: 陈静"])
    for command in (["person", "Chen"], ["path", "chen", "a"], ["timeline", "--person", "CHEN"]):
        result = run_cli("--data", data, *command)
        assert result.exit_code == ExitCode.NOT_FOUND, command
        assert "Chen Hao (陈浩) [a], Chen Jing (陈静) [b]; give the id or the full name" in result.stderr, command
        assert result.stdout == ""
    assert run_cli("--data", data, "person", "陈").exit_code == ExitCode.NOT_FOUND  # one character: too little


def test_every_word_must_match(tmp_path: Path) -> None:
    data = _kb(tmp_path, ["id: a, name: Chen Hao Ran", "id: b, name: Chen Jing", "id: c, name: Hao Chen"])
    assert json.loads(run_cli("--data", data, "person", "hao chen", "--format", "json").stdout)["person"] == "c"
    result = run_cli("--data", data, "person", "chen hao")  # both words in two names: never one of them
    assert result.exit_code == ExitCode.NOT_FOUND
    assert result.stderr.endswith("Chen Hao Ran [a], Hao Chen [c]; give the id or the full name\n")
    result = run_cli("--data", data, "person", "ran chen", "--format", "json")
    assert json.loads(result.stdout)["person"] == "a"
    assert result.stderr == "note: 'ran chen' matched Chen Hao Ran [a]\n"


def test_an_exact_alias_says_whose_other_names_hold_it(tmp_path: Path) -> None:
    data = _kb(tmp_path, ["id: a, name: Wang A, aliases: [Wang]", "id: b, name: Wang Bo", "id: c, name: Bo Li"])
    result = run_cli("--data", data, "person", "wang", "--format", "json")
    assert json.loads(result.stdout)["person"] == "a"
    assert result.stderr == "note: 'wang' is a name of Wang A [a]; the names of 1 other also hold it (first: b)\n"
    bundled = run_cli("person", "Wang", "--format", "json")  # nobody else in the bundled data is a Wang
    assert json.loads(bundled.stdout)["person"] == "alexandr-wang" and bundled.stderr == ""
