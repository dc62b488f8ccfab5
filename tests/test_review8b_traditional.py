"""Review 8 (B) defect: a name typed in traditional characters is read in simplified ones only
when nothing at all matches as typed. Once any record carries a traditional alias, that alias
alone answers and the records written in simplified characters silently drop out.

Fictional knowledge base: Zhang Wei (张伟), Zhang Weiqiang (张伟强, alias 張偉強), the firm
Changcheng Cloud (长城云, alias 長城雲) and its unit Changcheng Cloud Research (长城云研究院).

- `aiorg person 張偉` (张伟 in traditional characters, the exact name of Zhang Wei) shows the
  profile of Zhang Weiqiang, a different person: "part of 張偉強" beats "exactly 张伟".
- `aiorg search 張偉` lists Zhang Weiqiang only; `search 張` (the surname) misses Zhang Wei;
  `search 長城` misses the research unit. Each looks like a complete answer.

Suggested fix: in `NameIndex.lookup` (aiorg/names.py), try the simplified reading's exact
match before the typed text's partial match; in `search` (aiorg/cli/query_commands.py), search
both the typed text and its simplified reading and merge the rows (saying so on stderr),
instead of only when the typed text found nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aiorg import names
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
    country: CN
    source: s1
    quote: 长城云
  - id: changcheng-lab
    name: Changcheng Cloud Research
    name_zh: 长城云研究院
    parent: changcheng
    country: CN
    source: s1
    quote: 长城云研究院
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
"""

needs_opencc = pytest.mark.skipif(names.simplifier() is None, reason="needs the draft extra's OpenCC")


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("review8b-trad")
    return one_file_kb(root, KB, {"s1.txt": "长城云研究院首席技术官张伟。张伟强加入北辰。"})


def _search_ids(kb: Path, text: str) -> set[str]:
    result = run_cli("--data", str(kb), "search", text, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return {row["id"] for row in json.loads(result.stdout)}


def test_the_fixture_is_valid(kb: Path) -> None:
    result = run_cli("--data", str(kb), "validate")
    assert result.exit_code == 0, result.stdout + result.stderr


@needs_opencc
def test_a_traditional_exact_name_is_not_taken_for_part_of_anothers_alias(kb: Path) -> None:
    result = run_cli("--data", str(kb), "person", "張偉", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["person"] == "zhang-wei", result.stderr


@needs_opencc
@pytest.mark.parametrize(
    ("typed", "wanted"),
    [
        ("張偉", {"zhang-wei", "zhang-weiqiang"}),
        ("張", {"zhang-wei", "zhang-weiqiang"}),
        ("長城", {"changcheng", "changcheng-lab"}),
    ],
)
def test_search_in_traditional_finds_the_simplified_records_too(kb: Path, typed: str, wanted: set[str]) -> None:
    assert _search_ids(kb, typed) == wanted


def test_search_in_simplified_finds_both(kb: Path) -> None:
    """The same searches typed in simplified characters: the answer the traditional ones should give."""
    assert _search_ids(kb, "张伟") == {"zhang-wei", "zhang-weiqiang"}
    assert _search_ids(kb, "长城") == {"changcheng", "changcheng-lab"}
