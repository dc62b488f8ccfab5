"""A deal bought jointly (buyers of more than one family) is no one buyer's money committed: its
share is not stated. It is left out of `money_committed_usd`, listed in the evidence as left out
with the other buyers named, and still counted as a buyer deal. A firm buying with its own unit
buys alone: the amount counts, once.

A FICTIONAL knowledge base: Beichen (北辰) with its unit Beichen Lab; Nanxing (南星) with its unit
Nanxing Lab; Dongyue (东岳); an investor, Wang Fang (王芳).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from aiorg import strategy, strategy_query
from aiorg.loader import load
from tests.conftest import one_file_kb, run_cli

TEXT = (
    "三家公司同意共同收购长城实验室。北辰与北辰实验室收购星火。北辰与南星实验室投资月光。"
    "东岳与王芳投资海风。东岳以5亿欧元收购云杉。"
)
KB = """\
sources:
  - {id: s1, title: 收购（虚构）, kind: article, published: 2024-10-08, file: ../seeds/s1.txt}
firms:
  - {id: beichen, name: Beichen, name_zh: 北辰, source: s1, quote: 北辰}
  - {id: beichen-lab, name: Beichen Lab, name_zh: 北辰实验室, parent: beichen, source: s1, quote: 北辰实验室}
  - {id: nanxing, name: Nanxing, name_zh: 南星, source: s1, quote: 南星}
  - {id: nanxing-lab, name: Nanxing Lab, name_zh: 南星实验室, parent: nanxing, source: s1, quote: 南星实验室}
  - {id: dongyue, name: Dongyue, name_zh: 东岳, source: s1, quote: 东岳}
  - {id: cc-lab, name: Changcheng Lab, name_zh: 长城实验室, source: s1, quote: 长城实验室}
people:
  - {id: wang-fang, name: Wang Fang, name_zh: 王芳, source: s1, quote: 王芳}
deals:
  - id: cc-lab-buy
    kind: acquisition
    title: Changcheng Lab acquisition
    buyers: [beichen, nanxing, dongyue]
    targets: [cc-lab]
    amount: 15亿美元
    history: [{status: agreed, date: 2024-10, source: s1, quote: 三家公司同意共同收购长城实验室}]
    source: s1
    quote: 三家公司同意共同收购长城实验室
  - id: spark
    kind: acquisition
    title: Spark acquisition
    buyers: [beichen, beichen-lab]
    amount: 10亿美元
    history: [{status: completed, date: 2024-11, source: s1, quote: 北辰与北辰实验室收购星火}]
    source: s1
    quote: 北辰与北辰实验室收购星火
  - id: moonlight
    kind: funding_round
    title: Moonlight round
    buyers: [beichen, nanxing-lab]
    amount: 2亿美元
    history: [{status: completed, date: 2024-12, source: s1, quote: 北辰与南星实验室投资月光}]
    source: s1
    quote: 北辰与南星实验室投资月光
  - id: sea-breeze
    kind: funding_round
    title: Sea Breeze round
    buyers: [dongyue, wang-fang]
    amount: 3亿美元
    history: [{status: completed, date: 2025-01, source: s1, quote: 东岳与王芳投资海风}]
    source: s1
    quote: 东岳与王芳投资海风
  - id: spruce
    kind: acquisition
    title: Spruce acquisition
    buyers: [dongyue, nanxing]
    amount: 5亿欧元
    history: [{status: agreed, date: 2025-02, source: s1, quote: 东岳以5亿欧元收购云杉}]
    source: s1
    quote: 东岳以5亿欧元收购云杉
"""


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = one_file_kb(tmp_path_factory.mktemp("strategy-joint"), KB, {"s1.txt": TEXT})
    assert run_cli("--data", str(folder), "validate").exit_code == 0
    return folder


def _row(data: Path, firm: str) -> dict[str, Any]:
    result = run_cli("--data", str(data), "strategy", firm, "--format", "json")
    assert result.exit_code == 0, result.stderr
    (row,) = json.loads(result.stdout)
    assert isinstance(row, dict)
    return row


def _money_lines(row: dict[str, Any]) -> dict[str, str]:
    return {e["record"]: e["text"] for e in row["evidence"] if e["signal"] == "money_committed_usd"}


def test_a_joint_amount_is_left_out_and_the_others_are_named(data: Path) -> None:
    beichen = _row(data, "beichen")
    # the deal with its own unit counts, once; the deals with Nanxing (and Dongyue) do not
    assert beichen["signals"]["money_committed_usd"] == 1e9
    assert beichen["signals"]["buyer_deals"] == 3
    assert _money_lines(beichen) == {
        "cc-lab-buy": "not counted: $1.5B, jointly with Nanxing (南星), Dongyue (东岳); share not stated [agreed]"
        " — Changcheng Lab acquisition",
        "spark": "$1B — Spark acquisition [completed]",
        "moonlight": "not counted: $200M, jointly with Nanxing Lab (南星实验室); share not stated [completed]"
        " — Moonlight round",
    }


def test_a_unit_of_another_firm_or_a_person_makes_it_joint(data: Path) -> None:
    nanxing = _row(data, "nanxing")  # through its unit, Nanxing Lab, in the Moonlight round
    assert nanxing["signals"]["money_committed_usd"] == 0
    assert _money_lines(nanxing)["moonlight"] == (
        "not counted: $200M, jointly with Beichen (北辰); share not stated [completed] — Moonlight round"
    )
    dongyue = _row(data, "dongyue")
    assert dongyue["signals"]["money_committed_usd"] == 0 and dongyue["signals"]["buyer_deals"] == 3
    lines = _money_lines(dongyue)
    assert lines["sea-breeze"] == (
        "not counted: $300M, jointly with Wang Fang (王芳); share not stated [completed] — Sea Breeze round"
    )
    # another reason comes first: the amount would not count for one buyer either
    assert lines["spruce"] == (
        "not counted: EUR 500M is not in USD and no exchange rate is known [agreed] — Spruce acquisition"
    )


@pytest.mark.parametrize("few", [0, strategy_query.FEW])
def test_the_matrix_and_each_firm_agree(data: Path, few: int) -> None:
    """Read for all firms in one pass (the matrix, or FEW = 0) or for a few firms' families."""
    kb = load(data)
    default, strategy_query.FEW = strategy_query.FEW, few
    try:
        matrix = {row["firm"]: row["money_committed_usd"] for row in strategy.matrix(kb)}
        one = {firm: strategy.classify(kb, firm=firm)[0]["signals"]["money_committed_usd"] for firm in matrix}
    finally:
        strategy_query.FEW = default
        kb.close()
    assert matrix == one == {"beichen": 1e9, "dongyue": 0.0, "nanxing": 0.0}


def test_the_matrix_table_shows_no_shared_amount(data: Path) -> None:
    result = run_cli("--data", str(data), "strategy", "--matrix", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = {line.split(",")[0]: line.split(",")[3] for line in result.stdout.removeprefix("\ufeff").splitlines()[1:]}
    assert rows == {"beichen": "1000000000", "dongyue": "0", "nanxing": "0"}
