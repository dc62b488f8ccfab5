"""Review 7 defect: a cycle in firms' `parent` links loads as valid, and `strategy` then drops
the firms in it without a word.

A FICTIONAL knowledge base: Tianqiong Lab's parent is Tianqiong Group, and (by a slip in review)
Tianqiong Group's parent is Tianqiong Lab. `aiorg validate` says "ok"; `aiorg strategy` lists
neither firm (a listed firm must have no parent), so its advisor move disappears from every
strategy answer, and `aiorg strategy tianqiong` answers "no results", exit 0. A firm that is its
own parent does the same. `firm X` shows each as the other's unit.

Smallest fix (aiorg/checks.py, beside the reference checks): follow each firm's `parent` chain
and report a cycle as one problem at the firm whose `parent` closes it
(`data/x.yaml:LINE:COL: parent: 'tianqiong-lab' makes a cycle: tianqiong -> tianqiong-lab ->
tianqiong`), exit 1, like any other reference problem.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from aiorg.checks import parent_cycles
from tests.conftest import one_file_kb, run_cli, store_file

TEXT = "天穹集团旗下的天穹实验室研究负责人王芳改任顾问。\n"

KB = """\
sources:
  - id: s-zh
    title: 天穹实验室人事变动（虚构）
    published: 2024-10-08
    file: ../seeds/zh.txt
firms:
  - id: tianqiong
    name: Tianqiong Group
    name_zh: 天穹集团
    parent: {group_parent}
    source: s-zh
    quote: 天穹集团
  - id: tianqiong-lab
    name: Tianqiong Lab
    name_zh: 天穹实验室
    parent: tianqiong
    source: s-zh
    quote: 天穹集团旗下的天穹实验室
people:
  - id: wang-fang
    name: Wang Fang
    name_zh: 王芳
    source: s-zh
    quote: 研究负责人王芳
tenures:
  - id: wang-fang-lab
    person: wang-fang
    firm: tianqiong-lab
    title: Head of research
    kind: executive
    end: 2024-10
    end_cause: advisor
    source: s-zh
    quote: 天穹实验室研究负责人王芳改任顾问
"""


@pytest.mark.parametrize("group_parent", ["tianqiong-lab", "tianqiong"])
def test_a_parent_cycle_is_a_located_problem(tmp_path: Path, group_parent: str) -> None:
    result = run_cli("--data", str(_kb(tmp_path, group_parent)), "validate")
    assert result.exit_code == 1, (result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert any("kb.yaml:" in line and "parent" in line and "cycle" in line for line in lines), result.stderr
    assert "Traceback" not in result.stderr


def _kb(root: Path, group_parent: str | None) -> Path:
    text = KB.format(group_parent=group_parent) if group_parent else KB.replace("    parent: {group_parent}\n", "")
    return one_file_kb(root, text, {"zh.txt": TEXT})


@pytest.mark.parametrize(
    ("group_parent", "cycle"),
    [("tianqiong-lab", "tianqiong -> tianqiong-lab -> tianqiong"), ("tianqiong", "tianqiong -> tianqiong")],
)
def test_the_cycle_is_told_once_at_the_parent_field_that_closes_it(
    tmp_path: Path, group_parent: str, cycle: str
) -> None:
    data = _kb(tmp_path, group_parent)
    result = run_cli("--data", str(data), "validate")
    assert result.exit_code == 1
    problems = [line for line in result.stderr.splitlines() if "cycle" in line]
    # line 10 of kb.yaml is Tianqiong Group's `parent:`, its value at column 13
    assert problems == [f"{data / 'kb.yaml'}:10:13: parent: {group_parent!r} makes a cycle: {cycle}"], result.stderr


def test_a_firm_leading_into_a_cycle_is_not_in_it() -> None:
    parents = {"a": "b", "b": "c", "c": "b", "d": "a", "e": "e", "f": None}
    assert list(parent_cycles(["a", "d", "e", "f", "c"], parents.get)) == [["b", "c"], ["e"]]
    assert list(parent_cycles(["d"], {"d": "a", "a": "g"}.get)) == []  # a chain, no cycle


def test_an_edit_that_makes_a_cycle_is_caught_and_the_store_keeps_its_last_good_state(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    env = {"AIORG_CACHE_DIR": str(cache)}
    data = _kb(tmp_path, None)
    first = run_cli("--data", str(data), "firm", "tianqiong", env=env)
    assert first.exit_code == 0 and "Part of" not in first.stdout, first.stderr
    _kb(tmp_path, "tianqiong-lab")  # the edit: Tianqiong Group's parent is now its own lab
    after = run_cli("--data", str(data), "firm", "tianqiong", env=env)
    assert after.exit_code == 1, after.stdout
    expected = (
        f"{data / 'kb.yaml'}:10:13: parent: 'tianqiong-lab' makes a cycle: tianqiong -> tianqiong-lab -> tianqiong"
    )
    assert expected in after.stderr.splitlines()
    db = sqlite3.connect(store_file(cache))
    try:
        assert db.execute("SELECT parent FROM firms WHERE id = 'tianqiong'").fetchone() == (None,)
    finally:
        db.close()
