"""Review: `--rate RMB=0.14` is a rate for the renminbi. aiorg reads `RMB`, `人民币` and `元` in
amounts as CNY, but `--rate RMB=...` was accepted and then never applied: the CNY deal is not
compared and the note says "give --rate", which the user just did. Either RMB is read as CNY
or it is refused as an unknown currency code (exit 2); a silent no-op is wrong.
Fictional: the multi-source fixture with its deal's amount written in yuan."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO, run_cli

FIXTURE = REPO / "tests" / "fixtures" / "multisource"


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "kb")
    deals = tmp_path / "kb" / "data" / "deals.yaml"
    text = deals.read_text(encoding="utf-8")
    deals.write_text(
        text.replace("amount: 约20亿美元", "amount: 约20亿元").replace("amount: $2.5 billion", "amount: 25亿元")
    )
    assert "amount: 25亿元" in deals.read_text(encoding="utf-8")
    return tmp_path / "kb" / "data"


def test_a_cny_rate_converts_the_yuan_amount(kb: Path) -> None:
    result = run_cli("--data", str(kb), "deals", "--min", "100M", "--rate", "CNY=0.14", "--format", "json")
    assert [r["deal"] for r in json.loads(result.stdout)] == ["yunfan-xinghe-acquisition"]
    without = run_cli("--data", str(kb), "deals", "--min", "100M", "--format", "json")
    assert json.loads(without.stdout) == [] and "figures in CNY were not compared" in without.stderr


@pytest.mark.parametrize("rate", ["RMB=0.14", "rmb=0.14", "人民币=0.14", "元=0.14", "cny=0.14"])
def test_an_rmb_rate_is_the_cny_rate(kb: Path, rate: str) -> None:
    """aiorg reads RMB as CNY (the reviewer allowed either; applying it is what the user meant)."""
    result = run_cli("--data", str(kb), "deals", "--min", "100M", "--rate", rate, "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [(r["deal"], r["value_usd"]) for r in rows] == [("yunfan-xinghe-acquisition", 350_000_000)]  # to the cent
    assert "not compared" not in result.stderr


@pytest.mark.parametrize(
    ("rate", "says"),
    [
        ("XYZ=0.14", "'XYZ' is not a currency amounts are written in; give a rate for CNY, EUR, GBP, HKD, JPY"),
        ("USD=1.1", "amounts in US dollars are compared as they are and take no rate"),
        ("$=1.1", "amounts in US dollars are compared as they are and take no rate"),
    ],
)
def test_a_rate_no_amount_can_use_is_refused(kb: Path, rate: str, says: str) -> None:
    result = run_cli("--data", str(kb), "deals", "--min", "100M", "--rate", rate)
    assert result.exit_code == 2
    assert result.stderr.startswith("aiorg: error: --rate: ") and says in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_one_currency_given_two_rates_is_refused(kb: Path) -> None:
    result = run_cli("--data", str(kb), "deals", "--rate", "RMB=0.14", "--rate", "CNY=0.15")
    assert result.exit_code == 2
    assert result.stderr.strip() == "aiorg: error: --rate: CNY is given two rates, 0.14 and 0.15"
    same = run_cli("--data", str(kb), "deals", "--rate", "RMB=0.14", "--rate", "CNY=0.14")
    assert same.exit_code == 0, same.stderr
