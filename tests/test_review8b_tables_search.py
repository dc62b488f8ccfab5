"""Review 8 (B): attacks on 80-column tables and on `search` that found nothing wrong, checked
by hand against the FICTIONAL knowledge base below: a firm with a long English and Chinese name
and a unit, a person with a six-character Chinese name (欧阳诸葛明远) and a long title, two
people sharing a surname and a two-character prefix (张伟, 张伟强), and one deal bought by six
firms for 15亿美元 ($1.5B).
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from tests.conftest import one_file_kb, run_cli

BUYERS = {
    "beichen": ("Beichen Intelligence", "北辰"),
    "nanxing": ("Nanxing", "南星"),
    "dongyue": ("Dongyue", "东岳"),
    "xiling": ("Xiling", "西岭"),
    "zhongyuan": ("Zhongyuan", "中原"),
    "haichuan": ("Haichuan", "海川"),
}

KB = (
    """\
sources:
  - id: s1
    title: 长城云智能科技集团有限公司高管大变动：首席执行官兼首席科学家离职，六家公司联合收购研究院
    kind: article
    published: 2024-10-08
    file: ../seeds/s1.txt
firms:
  - id: changcheng
    name: Changcheng Cloud Intelligence Technology Group Co Ltd
    name_zh: 长城云智能科技集团有限公司
    aliases: [ＣＣＣ]
    country: CN
    source: s1
    quote: 长城云智能科技集团有限公司
  - id: changcheng-lab
    name: Changcheng Cloud Research Institute
    name_zh: 长城云研究院
    parent: changcheng
    country: CN
    source: s1
    quote: 长城云研究院
"""
    + "".join(
        f"  - {{id: {i}, name: {n}, name_zh: {z}, country: CN, source: s1, quote: {z}}}\n"
        for i, (n, z) in BUYERS.items()
    )
    + """\
people:
  - {id: ouyang, name: Ouyang Zhuge Mingyuan, name_zh: 欧阳诸葛明远, source: s1, quote: 欧阳诸葛明远}
  - {id: zhang-wei, name: Zhang Wei, name_zh: 张伟, source: s1, quote: 首席技术官张伟改任顾问}
  - {id: zhang-weiqiang, name: Zhang Weiqiang, name_zh: 张伟强, source: s1, quote: 张伟强加入北辰}
tenures:
  - id: ouyang-lab
    person: ouyang
    firm: changcheng-lab
    title: Chief Executive Officer and Chief Scientist of the Research Institute
    title_zh: 首席执行官兼首席科学家
    kind: executive
    end: ..2024-10
    end_cause: left
    source: s1
    quote: 长城云研究院首席执行官兼首席科学家欧阳诸葛明远已经离职
  - id: zhang-wei-lab
    person: zhang-wei
    firm: changcheng-lab
    title: CTO
    title_zh: 首席技术官
    kind: executive
    end: 2024-10
    end_cause: advisor
    source: s1
    quote: 首席技术官张伟改任顾问
  - {id: zhang-weiqiang-bc, person: zhang-weiqiang, firm: beichen, start: 2024, source: s1, quote: 张伟强加入北辰}
deals:
  - id: six-buy-lab
    kind: acquisition
    title: Six firms jointly acquire Changcheng Cloud Research Institute for one and a half billion US dollars
    buyers: [beichen, nanxing, dongyue, xiling, zhongyuan, haichuan]
    targets: [changcheng-lab]
    amount: 15亿美元
    history:
      - status: agreed
        date: 2024-10
        source: s1
        quote: 北辰、南星、东岳、西岭、中原与海川六家公司联合以15亿美元收购长城云研究院
    source: s1
    quote: 北辰、南星、东岳、西岭、中原与海川六家公司联合以15亿美元收购长城云研究院
"""
)

SEED = (
    "长城云智能科技集团有限公司旗下的长城云研究院首席执行官兼首席科学家欧阳诸葛明远已经离职。"
    "长城云研究院首席技术官张伟改任顾问。张伟强加入北辰。"
    "北辰、南星、东岳、西岭、中原与海川六家公司联合以15亿美元收购长城云研究院。"
)


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return one_file_kb(tmp_path_factory.mktemp("review8b-tables"), KB, {"s1.txt": SEED})


def _cells(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


def test_the_fixture_is_valid(kb: Path) -> None:
    result = run_cli("--data", str(kb), "validate")
    assert result.exit_code == 0, result.stdout + result.stderr


COMMANDS = [
    ("people",),
    ("people", "--left", "changcheng"),
    ("deals",),
    ("firms",),
    ("firm", "changcheng"),
    ("person", "ouyang"),
    ("timeline",),
    ("sources",),
    ("search", "首席"),
    ("path", "ouyang", "beichen"),
    ("strategy", "--matrix"),
]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_80_columns_no_line_wider_nothing_cut_and_hidden_columns_named(kb: Path, args: tuple[str, ...]) -> None:
    result = run_cli("--data", str(kb), *args, env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines and all(_cells(line) <= 80 for line in lines)
    assert "…" not in result.stdout  # nothing cut with an ellipsis (no quote here has one)
    for note in (n for n in result.stderr.splitlines() if "hidden" in n):
        assert note.startswith("note: hidden to fit 80 columns: ") and note.endswith("(--format json has all)")


def test_80_columns_deals_keep_the_amount_and_every_buyer(kb: Path) -> None:
    out = run_cli("--data", str(kb), "deals", env={"COLUMNS": "80"}).stdout
    assert "six-buy-lab" in out and "$1.5B" in out and "$1.5\n" not in out
    flat = "".join(out.split())
    for name, zh in BUYERS.values():
        assert "".join(f"{name} ({zh})".split()) in flat


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("张伟", {"zhang-wei", "zhang-weiqiang"}),  # a whole name that is also part of another
        ("张", {"zhang-wei", "zhang-weiqiang"}),  # a one-character surname
        ("诸葛", {"ouyang"}),  # the middle of a Chinese name
        ("ccc", {"changcheng"}),  # a full-width alias typed half-width
        ("ＯＵＹＡＮＧ", {"ouyang"}),  # full-width, upper case
        ("Chief-Executive", {"ouyang"}),  # a title, with a separator the name has as a space
        ("云研究院", {"changcheng-lab"}),
    ],
)
def test_search_finds_what_a_grep_finds(kb: Path, text: str, ids: set[str]) -> None:
    result = run_cli("--data", str(kb), "search", text, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert {row["id"] for row in json.loads(result.stdout)} == ids


@pytest.mark.parametrize(("text", "code"), [("   ", 2), ("\u3000", 2), ("...", 3), ("·", 3), ("长" * 300, 3)])
def test_search_for_nothing_or_punctuation_is_one_line_error(kb: Path, text: str, code: int) -> None:
    result = run_cli("--data", str(kb), "search", text, "--format", "json")
    assert result.exit_code == code
    assert result.stdout == ""
    assert result.stderr.startswith("aiorg: error: ") and result.stderr.count("\n") == 1


def test_an_ambiguous_part_lists_every_candidate(kb: Path) -> None:
    result = run_cli("--data", str(kb), "firm", "长城")
    assert result.exit_code == 3
    assert "[changcheng]" in result.stderr and "[changcheng-lab]" in result.stderr
