"""Review 5 defects in `aiorg draft` on short FICTIONAL articles (candidates a reviewer is asked
to trust: each should state only what its quote says).

1. A deal's status is invented when no status cue is found: any deal with an amount becomes
   `completed` (the comment on STATUS_CUES_ZH says "agreed"), any without one `rumoured`; and
   同意 (agreed) is no cue. "伽马公司同意以8亿美元收购阿尔法智能" is drafted as completed,
   "伽马公司已同意收购阿尔法智能" as rumoured.
2. Anonymous sourcing is drafted as `confirmed`: "people familiar with the matter said" and
   "据知情人士透露" are not reporting cues.
3. A watermark piece that does not recur in its chain stays in a quote: in a chain
   大模 … 型竞 … 争美 … 国抢 … 中国裁人 … 大模 … 型竞 … 争美 … 国抢, the one 中国裁人 is quoted.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_cli
from tests.test_review5_kb import write_kb


@pytest.fixture(scope="module")
def kb_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_kb(tmp_path_factory.mktemp("review5-draft"))


def _draft(kb_data: Path, tmp_path: Path, text: str) -> list[dict[str, Any]]:
    article = tmp_path / "article.txt"
    article.write_text("（虚构示例，非真实新闻。）\n" + text + "\n", encoding="utf-8")
    result = run_cli(
        "--data", str(kb_data), "draft", str(article), "--source-id", "fictional-5",
        "--published", "2025-06-10", "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    rows: list[dict[str, Any]] = json.loads(result.stdout)
    body = article.read_text(encoding="utf-8")
    for row in rows:  # what held already: quotes verbatim at their offsets
        assert body[row["offset"] : row["offset"] + len(row["quote"])] == row["quote"]
    return rows


def _deal(rows: list[dict[str, Any]]) -> dict[str, Any]:
    (deal,) = [r for r in rows if r["kind"] == "deal"]
    return deal


@pytest.mark.parametrize(
    "text",
    ["伽马公司同意以8亿美元收购阿尔法智能。", "伽马公司已同意收购阿尔法智能。"],
)
def test_an_agreed_deal_is_drafted_as_agreed(kb_data: Path, tmp_path: Path, text: str) -> None:
    assert _deal(_draft(kb_data, tmp_path, text))["status"] == ["agreed"]


@pytest.mark.parametrize(
    "text",
    [
        "Gamma Corp agreed to acquire Omega Robotics for $2 billion, people familiar with the matter said.",
        "据知情人士透露，伽马公司已达成协议，以8亿美元收购阿尔法智能10%的股份。",
    ],
)
def test_anonymous_sourcing_is_not_drafted_as_confirmed(kb_data: Path, tmp_path: Path, text: str) -> None:
    assert _deal(_draft(kb_data, tmp_path, text))["certainty"] != "confirmed"


def test_a_watermark_piece_seen_once_in_its_chain_is_not_quoted(kb_data: Path, tmp_path: Path) -> None:
    text = (
        "据报道，阿尔法智能大模商业化负责人孙宇型竞已于今年3月离职。伽马公司争美宣布以8亿美元收购阿尔法智能"
        "10%的股份国抢，交易已经完成。\n赵磊中国裁人于上周被伽马公司任命为总裁大模。贝塔科技型竞表示，"
        "其研究负责人争美钱峰已经离职国抢。"
    )
    quotes = [r["quote"] for r in _draft(kb_data, tmp_path, text)]
    assert not [q for q in quotes if "中国裁人" in q], quotes
