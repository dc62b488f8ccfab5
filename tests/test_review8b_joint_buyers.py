"""Review 8 (B) defect: a deal bought jointly by unrelated firms credits each of them with the
whole amount as "money committed", and nothing says the amount is shared.

Fictional knowledge base: three unrelated firms (Beichen 北辰, Nanxing 南星, Dongyue 东岳)
agree to buy Changcheng Lab (长城实验室) together for 15亿美元 ($1.5B). The source says only the
total; no firm's share is stated.

`aiorg strategy --matrix` shows money_committed_usd = 1,500,000,000 for each of the three
(read down the column: $4.5B committed), and `aiorg strategy 北辰`'s evidence line reads
"$1.5B — Changcheng Lab acquisition [agreed]": a reporter writes "Beichen committed $1.5B".
That is an inference the data does not make (the share is not stated), and it is not marked.

Suggested fix (aiorg/strategy_signals.py / strategy_evidence.py): when a counted deal has
buyers outside the firm's own family, say so in the evidence ("$1.5B, jointly with Nanxing
(南星), Dongyue (东岳); share not stated") — or leave such amounts out of money_committed_usd
and list them in the evidence as left out, as amounts in other currencies already are.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import one_file_kb, run_cli

KB = """\
sources:
  - id: s1
    title: 三家公司收购长城实验室
    kind: article
    published: 2024-10-08
    file: ../seeds/s1.txt
firms:
  - {id: beichen, name: Beichen, name_zh: 北辰, country: CN, source: s1, quote: 北辰}
  - {id: nanxing, name: Nanxing, name_zh: 南星, country: CN, source: s1, quote: 南星}
  - {id: dongyue, name: Dongyue, name_zh: 东岳, country: CN, source: s1, quote: 东岳}
  - {id: cc-lab, name: Changcheng Lab, name_zh: 长城实验室, country: CN, source: s1, quote: 长城实验室}
deals:
  - id: cc-lab-buy
    kind: acquisition
    title: Changcheng Lab acquisition
    buyers: [beichen, nanxing, dongyue]
    targets: [cc-lab]
    amount: 15亿美元
    history:
      - status: agreed
        date: 2024-10
        source: s1
        quote: 北辰、南星与东岳三家公司同意以15亿美元共同收购长城实验室
    source: s1
    quote: 北辰、南星与东岳三家公司同意以15亿美元共同收购长城实验室
"""


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("review8b-joint")
    return one_file_kb(root, KB, {"s1.txt": "北辰、南星与东岳三家公司同意以15亿美元共同收购长城实验室。"})


def _strategy(kb: Path, firm: str) -> dict[str, Any]:
    result = run_cli("--data", str(kb), "strategy", firm, "--format", "json")
    assert result.exit_code == 0, result.stderr
    (row,) = json.loads(result.stdout)
    assert isinstance(row, dict)
    return row


def test_the_fixture_is_valid(kb: Path) -> None:
    result = run_cli("--data", str(kb), "validate")
    assert result.exit_code == 0, result.stdout + result.stderr


def test_the_deal_lists_all_three_buyers(kb: Path) -> None:
    result = run_cli("--data", str(kb), "deals", "--format", "json")
    (deal,) = json.loads(result.stdout)
    assert deal["buyers"] == ["beichen", "nanxing", "dongyue"]
    assert deal["amount"] == "$1.5B"


@pytest.mark.parametrize(("firm", "others"), [("beichen", ("Nanxing", "Dongyue")), ("dongyue", ("Beichen", "Nanxing"))])
def test_a_shared_amount_is_not_credited_whole_to_one_buyer_unmarked(
    kb: Path, firm: str, others: tuple[str, ...]
) -> None:
    row = _strategy(kb, firm)
    committed = row["signals"]["money_committed_usd"]
    if committed < 1.5e9:
        return  # the shared amount is left out (or split): nothing is claimed for this firm alone
    (line,) = [e for e in row["evidence"] if e["signal"] == "money_committed_usd"]
    assert all(other in line["text"] for other in others), line["text"]
