"""The bundled data marks every reading the seed article does not state in words.

A persona review found values the article only implies shown as if it stated them: dates worked
out from "recently" (近期) or "at almost the same time" (几乎…同一时期), a deal status read into a
refusal of "the lure of high pay", the $2B–$10B range aiorg reads into 数十亿 (several billion),
and an unnamed PhD student's opinion shown as a confirmed strategy claim. Each is now marked
(`inferred:` with a note, or `certainty: reported`) and says so where a person reads it.
"""

from __future__ import annotations

import pytest

from aiorg import queries
from aiorg.kb import KnowledgeBase
from aiorg.model import Certainty, Claim, Deal, DealStatus, Event, Metric, Tenure
from tests.conftest import cli_json, cli_text


def _record(kb: KnowledgeBase, record_id: str) -> object:
    return kb.by_id[record_id]


@pytest.mark.parametrize(
    ("record_id", "field"),
    [
        ("ming-chaoping-moonshot-product", "end"),  # 几乎与张前川改任顾问同一时期
        ("zhang-qianchuan-minimax-product", "end"),  # 去年9月 dates the report, 随后 the change
        ("zhang-qianchuan-minimax-advisor", "start"),
        ("kavukcuoglu-google-chief-ai-architect", "start"),  # 几乎在…同一时期
        ("google-gemini-reorganisation", "date"),
        ("altman-on-meta", "date"),  # 近期
        ("altman-on-meta-offers", "date"),
        ("meta-deepseek-worry", "date"),  # 1月份…爆火后: after January
        ("llama-4-tuned-version", "date"),  # dated by the release paragraph's order
        ("llama-4-overfitting-allegation", "date"),
        ("chatgpt-dau-2025-03", "as_of"),  # 作为对比, after Gemini's 截至2025年3月
        ("chatgpt-mau-2025-03", "as_of"),
        ("meta-wang-offer", "amount"),  # 数十亿美元 read as $2B–$10B
    ],
)
def test_a_value_worked_out_from_the_wording_is_marked_inferred_with_a_note(
    bundled_kb: KnowledgeBase, record_id: str, field: str
) -> None:
    record = _record(bundled_kb, record_id)
    assert isinstance(record, Tenure | Event | Metric | Deal)
    assert field in record.inferred, record_id
    assert record.note, record_id


def test_the_ssi_refusal_is_read_as_a_rejection_and_says_so(bundled_kb: KnowledgeBase) -> None:
    deal = _record(bundled_kb, "meta-ssi-acquisition")
    assert isinstance(deal, Deal)
    offered, rejected = deal.history
    assert rejected.status is DealStatus.REJECTED and "status" in rejected.inferred and rejected.note
    assert any("高薪诱惑" in q for q in rejected.quote)
    assert "status" in offered.inferred and offered.note  # 试图收购: an attempt, no offer in words
    assert "lure of high pay" in (deal.title or "")  # the title says what was refused, in the article's words
    row = next(r for r in queries.deals(bundled_kb) if r["deal"] == "meta-ssi-acquisition")
    assert row["status_text"] == "rejected (inferred)" and "history.status" in row["inferred"]
    assert "Status      rejected (inferred)" in cli_text("deals", "--min", "10e9")
    steps = [r for r in queries.timeline(bundled_kb, firm="ssi") if r["record"] == "meta-ssi-acquisition"]
    assert [r["text"].rsplit(" — ", 1)[1] for r in steps] == ["offered (inferred)", "rejected (inferred)"]


def test_the_several_billion_range_is_marked_wherever_the_amount_is_shown(bundled_kb: KnowledgeBase) -> None:
    row = next(r for r in cli_json("deals") if r["deal"] == "meta-wang-offer")
    assert row["amount"] == "several ($2B–$10B) (inferred)" and row["value"] == row["amount"]
    assert "amount" in row["inferred"]
    for args in (["deals"], ["person", "alexandr-wang"], ["firm", "meta"]):
        text = cli_text(*args)
        assert "several ($2B–$10B) (inferred)" in text, args
        assert "several ($2B–$10B)\n" not in text, args


def test_dates_read_from_relative_wording_say_so_in_the_listings(bundled_kb: KnowledgeBase) -> None:
    moonshot = next(r for r in cli_json("person", "ming-chaoping")["career"] if r["firm"] == "moonshot")
    assert moonshot["when"] == "c. 2024-09 (inferred)"
    career = cli_text("person", "ming-chaoping").split("Sources")[0]  # the cell wraps: 'c. 2024-09', '(inferred)'
    assert "c. 2024-09" in career and "(inferred)" in career
    left = {r["name_zh"]: r["when"] for r in cli_json("people", "--left", "minimax")}
    assert left["张前川"] == "2024-09 (inferred)"
    when = {r["record"]: r["when"] for r in queries.timeline(bundled_kb)}
    assert when["altman-on-meta"] == "c. 2025-06 (inferred)"
    assert when["google-gemini-reorganisation"] == "c. 2025-06 (inferred)"
    assert when["chatgpt-dau-2025-03"] == "2025-03 (inferred)"
    assert when["gemini-dau-2025-03"] == "2025-03"  # 截至2025年3月 is stated for Gemini: unmarked


def test_an_anonymous_phd_students_view_is_reported_not_confirmed(bundled_kb: KnowledgeBase) -> None:
    claim = _record(bundled_kb, "claim-bytedance-deepseek-mission")
    assert isinstance(claim, Claim)
    assert claim.certainty is Certainty.REPORTED and claim.note and "PhD" in claim.note
    stated = cli_json("strategy", "bytedance")[0]["stated"]
    assert {s["claim"]: s["certainty"] for s in stated}["claim-bytedance-deepseek-mission"] == "reported"
