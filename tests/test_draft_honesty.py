"""A drafted candidate states only what its quote says: a deal status no word gives is marked a
guess, anonymous sourcing is not `confirmed`, and no watermark piece is quoted (review 5).
Every article here is fictional."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from aiorg.dates import FuzzyDate
from aiorg.draft.build import draft
from aiorg.draft.output import to_yaml
from aiorg.draft.watermark import watermark_spans
from tests.draft_support import require_draft_extra

require_draft_extra()

PUBLISHED = FuzzyDate.parse("2025-06-10")


def _draft(text: str) -> list[dict[str, Any]]:
    note = "(A fictional example.)" if text.isascii() else "（虚构示例，非真实新闻。）"
    return draft(note + "\n" + text + "\n", None, PUBLISHED)


def _deals(text: str) -> list[dict[str, Any]]:
    return [r for r in _draft(text) if r["kind"] == "deal"]


def _deal(text: str) -> dict[str, Any]:
    (deal,) = _deals(text)
    return deal


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("欧米伽资本同意以5亿美元收购泽塔科技。", "agreed"),
        ("欧米伽资本已同意收购泽塔科技。", "agreed"),
        ("欧米伽资本与泽塔科技达成协议，以5亿美元收购泽塔科技。", "agreed"),
        ("Omega Capital agreed to acquire Zeta Labs for $500 million.", "agreed"),
        ("Omega Capital signed a deal to buy Zeta Labs for $500 million.", "agreed"),
        ("欧米伽资本已收购泽塔科技。", "completed"),
        ("Omega Capital acquired Zeta Labs for $500 million in 2023.", "completed"),
        ("泽塔科技董事会不同意欧米伽资本以5亿美元收购泽塔科技。", "rejected"),
    ],
)
def test_a_status_word_gives_the_status(text: str, status: str) -> None:
    deal = _deal(text)
    assert (deal["status"], deal["status_inferred"]) == ([status], False)


@pytest.mark.parametrize(
    ("text", "guess"),
    [
        ("欧米伽资本以5亿美元收购泽塔科技。", "agreed"),  # a price: agreed, not completed
        ("Omega Capital will buy Zeta Labs for $500 million.", "agreed"),
        ("欧米伽资本收购泽塔科技。", "rumoured"),
    ],
)
def test_a_status_no_word_gives_is_a_marked_guess(text: str, guess: str) -> None:
    deal = _deal(text)
    assert (deal["status"], deal["status_inferred"]) == ([guess], True)
    (record,) = yaml.safe_load(to_yaml([deal], {"id": "fictional"}))["deals"]
    (step,) = record["history"]
    assert step["status"] == guess
    assert step["inferred"] == ["status"]
    assert "guess" in step["note"]


def test_a_status_word_of_another_deal_in_the_sentence_is_not_this_ones() -> None:
    deals = _deals("在泽塔科技完成新一轮融资之后，欧米伽资本以5亿美元收购泽塔科技。")
    statuses = {d["deal_kind"]: (d["status"], d["status_inferred"]) for d in deals}
    assert statuses == {"funding_round": (["completed"], False), "acquisition": (["agreed"], True)}


def test_a_deal_named_again_without_a_status_word_adds_no_step() -> None:
    deal = _deal("欧米伽资本试图收购泽塔科技。这笔收购将耗资5亿美元。")
    assert (deal["status"], deal["status_inferred"]) == (["offered"], False)


def test_a_stated_status_replaces_the_guess_of_an_earlier_mention() -> None:
    deal = _deal("欧米伽资本以5亿美元收购泽塔科技。泽塔科技董事会拒绝了这笔收购。")
    assert (deal["status"], deal["status_inferred"]) == (["rejected"], False)


@pytest.mark.parametrize(
    "text",
    [
        "Omega Capital agreed to buy a 20% stake in Zeta Labs for $100 million, people familiar with the matter said.",
        "Omega Capital agreed to buy Zeta Labs for $500 million, according to sources.",
        "Omega Capital agreed to buy Zeta Labs for $500 million, two people said.",
        "据消息人士透露，欧米伽资本已达成协议，以5亿美元收购泽塔科技。",
        "据知情人士称，欧米伽资本已同意以5亿美元收购泽塔科技。",
    ],
)
def test_anonymous_sourcing_is_rumoured(text: str) -> None:
    deal = _deal(text)
    assert deal["certainty"] == "rumoured"
    (record,) = yaml.safe_load(to_yaml([deal], {"id": "fictional"}))["deals"]
    assert [step["certainty"] for step in record["history"]] == ["rumoured"]


@pytest.mark.parametrize(
    ("text", "certainty"),
    [
        ("据悉，欧米伽资本已同意以5亿美元收购泽塔科技。", "reported"),
        ("Omega Capital agreed in May to buy Zeta Labs for $500 million.", "confirmed"),  # May the month
    ],
)
def test_other_sourcing_keeps_its_certainty(text: str, certainty: str) -> None:
    assert _deal(text)["certainty"] == certainty


# a chain of one and a half cycles: 中国裁人 is strewn once, between pieces that recur
CHAIN = (
    "泽塔科技大模今年的收入型竞翻了一番，争美其研究团队国抢扩大到五十人。欧米伽资本中国裁人在上周宣布大模"
    "投资计划，型竞首席执行官周宁争美表示国抢会继续招聘。"
)


def test_a_watermark_piece_seen_once_between_recurring_ones_is_a_fragment() -> None:
    pieces = [CHAIN[a:b] for a, b in watermark_spans(CHAIN)]
    assert pieces == ["大模", "型竞", "争美", "国抢", "中国裁人", "大模", "型竞", "争美", "国抢"]


def test_a_phrase_word_after_the_last_piece_of_a_chain_is_the_articles_own() -> None:
    text = CHAIN + "周宁说，中国市场是下一步的重点。"
    spans = watermark_spans(text)
    assert [text[a:b] for a, b in spans][-1] == "国抢"
    assert all(b <= len(CHAIN) for _, b in spans)  # the 中国 of 中国市场 is left alone


def test_no_quote_holds_a_watermark_piece_seen_once() -> None:
    quotes = [r["quote"] for r in _draft(CHAIN)]
    assert quotes
    assert not [q for q in quotes if "中国裁人" in q or "国抢" in q], quotes


# names and role changes against an empty knowledge base (review 5, defect 11)


def _names(rows: list[dict[str, Any]], kind: str) -> list[str]:
    return [r["name_as_written"] for r in rows if r["kind"] == kind]


def _changes(rows: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    return [(r["person"], r["firm"], r["cause"]) for r in rows if r["kind"] == "role_change"]


def test_a_name_ends_where_the_name_ends() -> None:
    rows = _draft("欧米伽智能研究负责人吴敏已于今年2月离职。")
    assert _names(rows, "person") == ["吴敏"]  # not 吴敏已
    assert _names(rows, "firm") == ["欧米伽智能"]  # not 米伽智能
    assert _changes(rows) == [("吴敏", "欧米伽智能", "left")]


def test_a_transliterated_firm_name_is_whole() -> None:
    rows = _draft("德尔塔资本同意以5亿美元收购泽塔科技。")
    assert _names(rows, "firm") == ["德尔塔资本", "泽塔科技"]


def test_the_quote_of_a_role_change_holds_the_words_that_state_it() -> None:
    text = (
        "据报道，泽塔科技大模研究负责人吴敏型竞已于今年2月离职。欧米伽智能争美宣布以5亿美元收购泽塔科技国抢，"
        "交易已经完成。\n德尔塔公司中国裁人的研究负责人周宁大模已经离职型竞，争美其继任者尚未确定国抢。"
    )
    rows = _draft(text)
    changes = [r for r in rows if r["kind"] == "role_change"]
    assert {(r["person"], r["cause"]) for r in changes} >= {("吴敏", "left")}
    for change in changes:
        assert "离职" in change["quote"], change
    assert not [r["quote"] for r in rows if any(p in r["quote"] for p in ("大模", "型竞", "争美", "国抢"))]


@pytest.mark.parametrize(
    ("text", "change"),
    [
        ("周宁于今年5月加入泽塔科技。", ("周宁", "泽塔科技", "joined")),
        ("吴敏于上周被德尔塔公司任命为总裁。", ("吴敏", "德尔塔公司", "appointed")),
        ("Nora Quinn, the head of research at Zeta Labs, has left the company.", ("Nora Quinn", "Zeta Labs", "left")),
        ("Ivan Holt was promoted to president of Zeta Labs last week.", ("Ivan Holt", "Zeta Labs", "appointed")),
        ("In April Mira Sato joined Zeta Labs as chief technology officer.", ("Mira Sato", "Zeta Labs", "joined")),
    ],
)
def test_a_role_change_is_found(text: str, change: tuple[str, str, str]) -> None:
    assert _changes(_draft(text)) == [change]
