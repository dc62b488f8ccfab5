"""The bundled knowledge base holds the seed article's facts, sourced and honest about doubt."""

from __future__ import annotations

import json

import pytest

from aiorg.kb import KnowledgeBase
from aiorg.model import Certainty, Deal, DealStatus, EndCause, EventKind, Sourced, SpellState, Tenure
from aiorg.money import Bound
from tests.conftest import BUNDLED_DATA, REPO, run_cli


def test_validate_passes_on_bundled_data() -> None:
    result = run_cli("--data", str(BUNDLED_DATA), "validate")
    assert result.exit_code == 0, result.stderr
    assert "every quote found" in result.stderr
    assert result.stdout == ""


def test_seed_article_is_in_seeds() -> None:
    assert (REPO / "seeds" / "000_a8261eb4c3cf4880.txt").read_text(encoding="utf-8").startswith("在大模型竞赛中")


def test_every_named_person_is_present(bundled_kb: KnowledgeBase) -> None:
    names_zh = {p.name_zh for p in bundled_kb.people}
    for name in [
        "约翰·詹南德雷亚",
        "马克·扎克伯格",
        "伊利亚·苏茨克弗",
        "丹尼尔·格罗斯",
        "纳特·弗里德曼",
        "科拉伊·卡武克奥卢",
        "桑达尔·皮查伊",
        "张帆",
        "魏伟",
        "明超平",
        "张心皓",
        "张前川",
        "洪涛",
        "山姆·奥特曼",
        "梁文锋",
        "张一鸣",
    ]:
        assert name in names_zh
    assert "Alexandr Wang" in {p.name for p in bundled_kb.people}


def test_the_six_little_dragons(bundled_kb: KnowledgeBase) -> None:
    members = {f.id for f in bundled_kb.firms if "six-dragons" in f.groups}
    assert members == {"zhipu", "moonshot", "stepfun", "minimax", "baichuan", "01ai"}


def _tenure(kb: KnowledgeBase, tenure_id: str) -> Tenure:
    return next(t for t in kb.tenures if t.id == tenure_id)


def test_advisor_move_is_not_a_formal_departure(bundled_kb: KnowledgeBase) -> None:
    product = _tenure(bundled_kb, "zhang-xinhao-stepfun-product")
    advisor = _tenure(bundled_kb, "zhang-xinhao-stepfun-advisor")
    assert product.end_cause is EndCause.ADVISOR
    assert advisor.replaces == product.id and advisor.state is SpellState.CURRENT


def test_demotion_is_reported_not_confirmed(bundled_kb: KnowledgeBase) -> None:
    spell = _tenure(bundled_kb, "giannandrea-apple-svp")
    assert spell.end_cause is EndCause.DEMOTED
    assert spell.certainty is Certainty.REPORTED


def test_departure_dates_keep_their_uncertainty(bundled_kb: KnowledgeBase) -> None:
    assert _tenure(bundled_kb, "wei-wei-minimax-commercial").end.text == "2024-12..2025-06"  # type: ignore[union-attr]
    assert _tenure(bundled_kb, "zhang-qianchuan-minimax-product").end.text == "2024-09"  # type: ignore[union-attr]
    assert _tenure(bundled_kb, "ming-chaoping-moonshot-product").end.approximate  # type: ignore[union-attr]


def test_meta_scale_deal_keeps_three_numbers_apart(bundled_kb: KnowledgeBase) -> None:
    deal = next(d for d in bundled_kb.deals if d.id == "meta-scale-stake")
    assert deal.amount is not None and deal.amount.value == pytest.approx(14.3e9)
    assert deal.stake == 49
    assert deal.valuation is None  # the article does not state it
    assert deal.status is DealStatus.AGREED
    assert [c.years for c in deal.conditions if c.years] == [5]


def test_superseded_offers_are_kept(bundled_kb: KnowledgeBase) -> None:
    offers = {d.id: d for d in bundled_kb.deals}
    assert offers["meta-wang-offer"].amount.bound is Bound.SEVERAL  # type: ignore[union-attr]
    assert offers["meta-wang-offer"].superseded_by == "meta-scale-stake"
    assert offers["wang-scale-ask"].status is DealStatus.ASKED
    assert offers["meta-ssi-acquisition"].status is DealStatus.REJECTED
    assert offers["apple-perplexity-acquisition"].status is DealStatus.RUMOURED


def test_metrics_have_as_of_dates(bundled_kb: KnowledgeBase) -> None:
    values = {(m.subject, m.metric): m.value for m in bundled_kb.metrics}
    assert values[("gemini", "dau")] == 3.5e7
    assert values[("gemini", "mau")] == 3.5e8
    assert values[("chatgpt", "dau")] == 1.6e8
    assert values[("chatgpt", "mau")] == 6e8
    assert all(m.as_of is not None for m in bundled_kb.metrics if m.metric in ("dau", "mau"))


def test_no_quote_carries_a_watermark_fragment(bundled_kb: KnowledgeBase) -> None:
    fragments = ("型竞", "争美", "国抢", "中国裁人")
    records = [
        *bundled_kb.people,
        *bundled_kb.firms,
        *bundled_kb.tenures,
        *bundled_kb.deals,
        *bundled_kb.events,
        *bundled_kb.metrics,
        *bundled_kb.claims,
        *bundled_kb.products,
        *bundled_kb.groups,
    ]
    for record in records:
        for quote in record.quote:
            assert not any(f in quote for f in fragments), (getattr(record, "id", "?"), quote)


def _all_sourced(kb: KnowledgeBase) -> list[tuple[str, Sourced]]:
    """Every sourced record and every deal step and condition, each with a readable id."""
    found: list[tuple[str, Sourced]] = []
    for kind in ("groups", "firms", "people", "products", "tenures", "deals", "events", "metrics", "claims"):
        for record in kb.records(kind):
            assert isinstance(record, Sourced)
            found.append((getattr(record, "id", "?"), record))
            if isinstance(record, Deal):
                found += [(f"{record.id} step {i}", step) for i, step in enumerate(record.history)]
                found += [(f"{record.id} condition {i}", c) for i, c in enumerate(record.conditions)]
    return found


def test_reported_by_names_only_outlets_the_quote_credits(bundled_kb: KnowledgeBase) -> None:
    """An outlet is credited only where its own quote names it (The Information is not behind the $20B ask)."""
    firms = {f.id: f for f in bundled_kb.firms}
    for where, record in _all_sourced(bundled_kb):
        for outlet in record.reported_by:
            names = [n for n in (firms[outlet].name, firms[outlet].name_zh) if n]
            assert any(n in q for n in names for q in record.quote), (where, outlet, record.quote)


def test_every_inference_says_why(bundled_kb: KnowledgeBase) -> None:
    for where, record in _all_sourced(bundled_kb):
        if record.inferred or getattr(record, "certainty", None) is Certainty.INFERRED:
            assert record.note, where


def test_signing_bonuses_were_offered_not_rejected(bundled_kb: KnowledgeBase) -> None:
    deal = next(d for d in bundled_kb.deals if d.id == "meta-openai-signing-bonuses")
    assert [step.status for step in deal.history] == [DealStatus.OFFERED]
    assert deal.amount is not None and deal.amount.bound is Bound.UP_TO
    statement = next(e for e in bundled_kb.events if e.id == "altman-on-meta-offers")
    assert statement.kind is EventKind.STATEMENT and "sam-altman" in statement.subjects
    assert any("到目前为止,我们最优秀的那些人都没有接受" in q for q in statement.quote)
    assert "so far" in statement.text


def test_ssi_price_is_an_estimated_valuation_not_an_amount(bundled_kb: KnowledgeBase) -> None:
    deals = {d.id: d for d in bundled_kb.deals}
    attempt = deals["meta-ssi-acquisition"]
    assert attempt.amount is None
    assert attempt.valuation is not None and attempt.valuation.bound is Bound.ESTIMATE
    assert attempt.valuation.value == pytest.approx(32e9) and "valuation" in attempt.inferred
    assert [s.reported_by for s in attempt.history] == [["cnbc"], []]  # CNBC: the attempt, not the refusal
    assert "valuation" in deals["ssi-2025-04-round"].inferred  # the article states the price, not the valuation


def test_the_information_is_credited_only_with_the_mid_april_approach(bundled_kb: KnowledgeBase) -> None:
    credited = {where for where, record in _all_sourced(bundled_kb) if "the-information" in record.reported_by}
    assert credited == {"meta-wang-offer", "meta-wang-offer step 0"}


def test_unstated_links_are_marked_as_inferences(bundled_kb: KnowledgeBase) -> None:
    firms = {f.id: f for f in bundled_kb.firms}
    assert firms["deepmind"].parent == "google" and "parent" in firms["deepmind"].inferred
    assert "aliases" in firms["meta-superintelligence-team"].inferred  # the AI lab and the team read as one
    assert "超级智能实验室" not in firms["meta-superintelligence-team"].aliases  # a name the article never uses


def test_ming_chaoping_keeps_both_spells_but_no_unstated_move(bundled_kb: KnowledgeBase) -> None:
    moonshot = _tenure(bundled_kb, "ming-chaoping-moonshot-product")
    assert moonshot.after is None
    assert _tenure(bundled_kb, "ming-chaoping-bytedance-pm").firm == "bytedance"
    result = run_cli("flows", "--from", "字节", "--format", "json")
    assert json.loads(result.stdout) == []


def test_wei_wei_departure_is_dated_by_its_quote(bundled_kb: KnowledgeBase) -> None:
    spell = _tenure(bundled_kb, "wei-wei-minimax-commercial")
    assert any(q.startswith("从去年12月至今") and "魏伟" in q for q in spell.quote)
    assert spell.end is not None and spell.end.text == "2024-12..2025-06"


def test_zhang_xinhao_has_not_left(bundled_kb: KnowledgeBase) -> None:
    spell = _tenure(bundled_kb, "zhang-xinhao-stepfun-product")
    assert spell.end_cause is EndCause.ADVISOR  # not left
    assert any("尚未离职" in q for q in spell.quote)
    assert spell.reported_by == ["zimubang"]  # 字母榜获悉
