"""Review (Chinese-language newsroom), fixed: amounts in yuan, rates, and money typed in 繁體.

Fictional knowledge base: three funding rounds, 稀宇科技 (xiyu) 人民币3亿元, 月芯智能 (yuexin)
1.5万亿元, 輝耀科技 (huiyao) 5亿美元.

Defects shown (each test failed before its fix):
- `deals --max 4200万美元 --rate CNY=0.14` answers "no results", though 人民币3亿元 at 0.14 is
  exactly $42M: the converted figure is 42000000.00000001 and fails `<=`. The same float noise
  is written to JSON/CSV/Excel as value_usd (42000000.00000001, 210000000000.00003).
- `--rate CNY=7.2` (the rate the Chinese press quotes: 1美元兑7.2元) is taken silently as 7.2 US
  dollars per yuan: 人民币3亿元 becomes "$2.16B", 1.5万亿元 "$10.8T". A yuan has never been
  worth more than a dollar; such a rate should be refused or at least flagged.
- `deals` (no --min/--max) lists "largest first" with the CNY 1.5T round below the $500M one and
  says nothing: the note "figures in CNY were not compared" appears only with --min/--max.
- `deals --min 100億美元` (億, the traditional form of 亿) is refused as "not an amount", while
  names in traditional characters are read; `draft` itself reads 億 in a traditional article.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aiorg.money import Money, MoneyParseError
from tests.conftest import one_file_kb, run_cli

KB = """\
sources:
  - id: s1
    title: 测试
    kind: article
    published: 2025-06-10
    file: ../seeds/s1.txt
firms:
  - id: huiyao
    name: Huiyao Tech
    name_zh: 輝耀科技
    source: s1
    quote: 輝耀科技
  - id: xiyu
    name: MiniMax
    name_zh: 稀宇科技
    source: s1
    quote: 稀宇科技
  - id: yuexin
    name: Yuexin AI
    name_zh: 月芯智能
    source: s1
    quote: 月芯智能
deals:
  - id: xiyu-round
    kind: funding_round
    targets: [xiyu]
    amount: 人民币3亿元
    source: s1
    quote: 稀宇科技完成人民币3亿元融资
    history:
      - status: completed
        date: 2024-09
        source: s1
        quote: 稀宇科技完成人民币3亿元融资
  - id: yuexin-round
    kind: funding_round
    targets: [yuexin]
    amount: 1.5万亿元
    source: s1
    quote: 月芯智能估值1.5万亿元
    history:
      - status: completed
        date: 2025-05
        source: s1
        quote: 月芯智能估值1.5万亿元
  - id: huiyao-round
    kind: funding_round
    targets: [huiyao]
    amount: 5亿美元
    source: s1
    quote: 輝耀科技完成5亿美元融资
    history:
      - status: completed
        date: 2024-11
        source: s1
        quote: 輝耀科技完成5亿美元融资
"""

TEXT = "輝耀科技。稀宇科技。月芯智能。稀宇科技完成人民币3亿元融资。月芯智能估值1.5万亿元。輝耀科技完成5亿美元融资。"


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return one_file_kb(tmp_path_factory.mktemp("s26-zh-money"), KB, {"s1.txt": TEXT})


def _deals(kb: Path, *args: str) -> tuple[list[dict[str, object]], str]:
    result = run_cli("--data", str(kb), "deals", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows: list[dict[str, object]] = json.loads(result.stdout)
    return rows, result.stderr


def test_the_fixture_is_valid(kb: Path) -> None:
    result = run_cli("--data", str(kb), "validate")
    assert result.exit_code == 0, result.stdout + result.stderr


def test_a_yuan_amount_exactly_at_max_is_kept(kb: Path) -> None:
    rows, stderr = _deals(kb, "--max", "4200万美元", "--rate", "CNY=0.14")
    assert "xiyu-round" in [row["deal"] for row in rows], stderr  # today: "note: no results"


def test_a_converted_value_is_written_without_float_noise(kb: Path) -> None:
    rows, _ = _deals(kb, "--rate", "CNY=0.14")
    values = {row["deal"]: row["value_usd"] for row in rows}
    assert values["xiyu-round"] == 42_000_000  # today: 42000000.00000001
    assert values["yuexin-round"] == 210_000_000_000  # today: 210000000000.00003


def test_an_inverted_yuan_rate_is_not_taken_silently(kb: Path) -> None:
    result = run_cli("--data", str(kb), "deals", "--rate", "CNY=7.2", "--format", "json")
    # 7.2 is yuan per dollar; taken as dollars per yuan it makes 人民币3亿元 "$2.16B"
    assert result.exit_code == 2 or "7.2" in result.stderr, result.stdout[:300]


def test_largest_first_says_which_figures_it_could_not_rank(kb: Path) -> None:
    rows, stderr = _deals(kb)
    assert rows[0]["deal"] == "huiyao-round"  # a $500M round above a CNY 1.5T one
    assert "CNY" in stderr, "the listing must say the CNY figures were not ranked"  # today: stderr is empty


def test_traditional_yi_reads_as_simplified(kb: Path) -> None:
    typed = run_cli("--data", str(kb), "deals", "--min", "1億美元", "--format", "json")
    simple = run_cli("--data", str(kb), "deals", "--min", "1亿美元", "--format", "json")
    assert simple.exit_code == 0
    assert typed.exit_code == 0, typed.stderr  # today: "'1億美元' is not an amount", exit 2
    assert typed.stdout == simple.stdout


@pytest.mark.parametrize("text", ["1,5亿美元", "1,50亿", "$14,3 billion", "14,3 billion"])
def test_a_comma_that_is_not_a_thousands_separator_is_refused(text: str) -> None:
    """Today every comma is dropped: '1,5亿美元' reads as $1.5B (not $150M, nor an error) and
    '$14,3 billion' as $143B, so `deals --min '$14,3 billion'` silently answers "no results"."""
    with pytest.raises(MoneyParseError):
        Money.parse(text)


def test_thousands_separators_still_read() -> None:
    assert Money.parse("1,000亿美元").value == 1e11
    assert Money.parse("1,000,000").value == 1e6
