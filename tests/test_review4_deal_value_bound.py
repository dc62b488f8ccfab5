"""Review: a deal row's `value` (the number that matched --min/--max) keeps its bound, as
`amount` and `valuation` do. On the bundled data, Meta's signing bonuses are "up to $100M"
(a ceiling, README: never money committed), and the SSI valuation is the article's own estimate
(`est. 320亿美元`); `value` showed them as a plain "$100M" and "$32B", which is what a reporter
piping `.value` (as the README's demo does) would quote. A figure converted from another
currency keeps its bound too ("~CNY 1.4B" at 0.14 is "~$196M", not "$196M")."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.conftest import REPO, run_cli


def _rows(*args: str) -> dict[str, dict[str, object]]:
    result = run_cli(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return {str(r["deal"]): r for r in json.loads(result.stdout)}


def test_an_up_to_ceiling_keeps_its_bound_in_value() -> None:
    row = _rows("deals", "--max", "200M")["meta-openai-signing-bonuses"]
    assert (row["amount"], row["matched_on"], row["value_usd"]) == ("up to $100M", "amount", 1e8)
    assert row["value"] == "up to $100M"


def test_an_estimated_valuation_keeps_its_bound_in_value() -> None:
    row = _rows("deals", "--min", "30B")["meta-ssi-acquisition"]
    # the data marks this valuation inferred, and every text showing it says so
    assert (row["valuation"], row["matched_on"], row["value_usd"]) == ("est. $32B (inferred)", "valuation", 32e9)
    assert row["value"] == "est. $32B (inferred)"


def test_a_magnitude_keeps_its_range_in_value() -> None:
    row = _rows("deals", "--min", "1B", "--basis", "amount")["meta-wang-offer"]
    # the $2B–$10B range is aiorg's reading of 数十亿: the data marks the amount inferred
    assert (row["amount"], row["value_usd"]) == ("several ($2B–$10B) (inferred)", 2e9)
    assert row["value"] == "several ($2B–$10B) (inferred)"


def test_a_converted_amount_keeps_its_approximation(tmp_path: Path) -> None:
    """Fictional: the multi-source fixture's deal, its amount written as the Chinese press does."""
    shutil.copytree(REPO / "tests" / "fixtures" / "multisource", tmp_path / "kb")
    deals = tmp_path / "kb" / "data" / "deals.yaml"
    text = deals.read_text(encoding="utf-8")
    assert "amount: 约20亿美元" in text and "amount: $2.5 billion" in text
    deals.write_text(
        text.replace("amount: 约20亿美元", "amount: 约14亿元人民币").replace(
            "amount: $2.5 billion", "amount: 约14亿元"
        ),
        encoding="utf-8",
    )
    data = str(tmp_path / "kb" / "data")
    row = _rows("--data", data, "deals", "--min", "100M", "--rate", "CNY=0.14")["yunfan-xinghe-acquisition"]
    assert (row["amount"], row["matched_on"]) == ("~CNY 1.4B", "amount")
    assert row["value_usd"] == 196_000_000  # 1.4e9 * 0.14, to the cent
    assert row["value"] == "~$196M"
