"""Review 7 defect: `aiorg draft` swaps buyer and target when the buyer is named after the cue
("was acquired by X", "a bid from X"), proposing a deal that never happened, at confidence 0.7,
with nothing marked inferred.

On a FICTIONAL knowledge base that knows Tianqiong Group and Spark Data:
- "Spark Data was acquired by Tianqiong Group for $2 billion." is drafted as an acquisition with
  buyers [spark] and targets [tianqiong]: Spark Data buying Tianqiong;
- "Spark Data rejected a $2 billion takeover bid from Tianqiong Group last week." and "Spark
  Data turned down an acquisition offer from Tianqiong Group" likewise.
`accept` then merges it as `spark-tianqiong-acquisition`. (The Chinese passive
"星火数据被天穹集团以20亿美元收购" proposed no deal at all, which was safe; it is now drafted
with the buyer after 被.)

Where: aiorg/draft/facts.py, the acquisition/stake branch takes the first firm after the cue as
the target and the last one before it as the buyer. Smallest fix: when the text between the cue
and the firm after it is an agent marker (`by`, `from`, 被 before the firm), swap the two; when
the order cannot be told, propose the deal with its parties marked `inferred: [buyers, targets]`
(or no deal), never a confident reversed one.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import one_file_kb, run_cli

pytest.importorskip("jieba")

TEXT = "天穹集团与星火数据。\n"

KB = """\
sources:
  - id: s-zh
    title: 虚构示例
    published: 2024-10-08
    file: ../seeds/zh.txt
firms:
  - id: tianqiong
    name: Tianqiong Group
    name_zh: 天穹集团
    source: s-zh
    quote: 天穹集团
  - id: spark
    name: Spark Data
    name_zh: 星火数据
    source: s-zh
    quote: 星火数据
"""


@pytest.fixture(scope="module")
def kb_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return one_file_kb(tmp_path_factory.mktemp("review7-draft"), KB, {"zh.txt": TEXT})


def _deals(kb_data: Path, tmp_path: Path, text: str) -> list[dict[str, Any]]:
    article = tmp_path / "article.txt"
    article.write_text("(A fictional example, not real news.)\n" + text + "\n", encoding="utf-8")
    result = run_cli(
        "--data", str(kb_data), "draft", str(article), "--source-id", "fictional-7",
        "--published", "2025-06-10", "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    rows: list[dict[str, Any]] = json.loads(result.stdout)
    return [r for r in rows if r["kind"] == "deal"]


@pytest.mark.parametrize(
    "text",
    [
        "Spark Data was acquired by Tianqiong Group for $2 billion.",
        "Spark Data rejected a $2 billion takeover bid from Tianqiong Group last week.",
        "Spark Data turned down an acquisition offer from Tianqiong Group worth $2 billion.",
    ],
)
def test_the_buyer_named_after_by_or_from_is_the_buyer(kb_data: Path, tmp_path: Path, text: str) -> None:
    for deal in _deals(kb_data, tmp_path, text):
        assert "spark" not in deal["buyers"], deal
        assert "tianqiong" not in deal["targets"], deal


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Spark Data was acquired by Tianqiong Group for $2 billion.", "completed"),
        ("Spark Data rejected a $2 billion takeover bid from Tianqiong Group last week.", "rejected"),
        ("Spark Data turned down an acquisition offer from Tianqiong Group worth $2 billion.", "rejected"),
        ("Tianqiong Group acquired Spark Data for $2 billion.", "completed"),  # the active order, unchanged
    ],
)
def test_the_parties_of_a_deal_named_after_its_cue_are_read_in_their_order(
    kb_data: Path, tmp_path: Path, text: str, status: str
) -> None:
    (deal,) = _deals(kb_data, tmp_path, text)
    assert (deal["buyers"], deal["targets"]) == (["tianqiong"], ["spark"])
    assert (deal["status"], deal["confidence"], deal["parties_inferred"]) == ([status], 0.7, False)
    assert deal["amount"]["value"] == "2000000000"


@pytest.mark.parametrize(
    "text", ["星火数据被天穹集团以20亿美元收购。", "星火数据由天穹集团收购。", "天穹集团收购星火数据。"]
)
def test_the_chinese_passive_names_the_buyer_after_bei(kb_data: Path, tmp_path: Path, text: str) -> None:
    (deal,) = _deals(kb_data, tmp_path, text)
    assert (deal["buyers"], deal["targets"], deal["parties_inferred"]) == (["tianqiong"], ["spark"], False)


def test_a_bare_from_leaves_the_order_open_and_marks_the_parties_a_guess(kb_data: Path, tmp_path: Path) -> None:
    """In "bought assets from X" X may be the seller: the draft keeps the written order, marked a guess."""
    (deal,) = _deals(kb_data, tmp_path, "Tianqiong Group bought assets from Spark Data.")
    assert (deal["buyers"], deal["targets"], deal["parties_inferred"]) == (["tianqiong"], ["spark"], True)
    article = tmp_path / "article.txt"
    result = run_cli(
        "--data", str(kb_data), "draft", str(article), "--source-id", "fictional-7",
        "--published", "2025-06-10", "--format", "yaml",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    (record,) = yaml.safe_load(result.stdout)["deals"]
    assert record["inferred"] == ["buyers", "targets"]
    assert "guess" in record["note"]


def test_a_target_from_outside_the_clause_is_marked_a_guess(kb_data: Path, tmp_path: Path) -> None:
    (deal,) = _deals(kb_data, tmp_path, "Spark Data, founded in 2019, was acquired by Tianqiong Group.")
    assert (deal["buyers"], deal["targets"], deal["parties_inferred"]) == (["tianqiong"], ["spark"], True)
