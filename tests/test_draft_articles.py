"""The fictional articles of tests/draft_articles, drafted against the bundled knowledge base and an
empty one, scored against their hand-written golden files (*.expected.json)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from aiorg.dates import FuzzyDate
from aiorg.draft.build import draft
from aiorg.draft.output import to_yaml
from aiorg.draft.score import gold_from_file, score
from aiorg.kb import KnowledgeBase
from aiorg.loader import load
from tests.draft_support import ARTICLES, ROOT, require_draft_extra

require_draft_extra()  # the drafting libraries are imported lazily: the modules above import without them

GOLDEN = sorted(ARTICLES.glob("*.expected.json"))


@pytest.fixture(scope="module")
def bundled() -> KnowledgeBase:
    return load(ROOT / "data")


def _draft(golden: Path, kb: KnowledgeBase | None) -> tuple[str, list[dict[str, Any]]]:
    meta = json.loads(golden.read_text(encoding="utf-8"))
    text = (ARTICLES / meta["article"]).read_text(encoding="utf-8")
    return text, draft(text, kb, FuzzyDate.parse(meta["published"]))


def test_both_articles_have_golden_files() -> None:
    assert {g.name for g in GOLDEN} == {"en_brightwater.expected.json", "zh_hant_xinghe.expected.json"}
    for golden in GOLDEN:
        text = (ARTICLES / json.loads(golden.read_text(encoding="utf-8"))["article"]).read_text(encoding="utf-8")
        assert 1500 <= len(text) <= 3000
        assert "虛構" in text.splitlines()[0] or "Fictional" in text.splitlines()[0]


@pytest.mark.parametrize("golden", GOLDEN, ids=lambda g: g.name.split(".")[0])
@pytest.mark.parametrize("run", ["bundled", "empty"])
def test_scores_meet_the_targets(golden: Path, run: str, bundled: KnowledgeBase) -> None:
    text, candidates = _draft(golden, bundled if run == "bundled" else None)
    scores = score(candidates, gold_from_file(golden))
    for kind in ("people", "firms", "role_changes", "deals"):
        s = scores[kind]
        assert s.recall >= 0.8 and s.precision >= 0.7, (kind, s.wrong, s.missed)
    for candidate in candidates:  # every quote verbatim at its offset
        for item in [candidate, *candidate.get("also", [])]:
            assert text[item["offset"] : item["offset"] + len(item["quote"])] == item["quote"]


def test_traditional_names_resolve_to_bundled_records(bundled: KnowledgeBase) -> None:
    _, candidates = _draft(ARTICLES / "zh_hant_xinghe.expected.json", bundled)
    known = {c["name_as_written"]: c["id"] for c in candidates if c["kind"] in ("person", "firm") and c["existing"]}
    assert known == {"張前川": "zhang-qianchuan", "MiniMax": "minimax", "字節跳動": "bytedance"}


def _roles(candidates: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(c["person"], c["firm"]): c for c in candidates if c["kind"] == "role_change"}


def test_a_founder_leaves_the_firm_left_not_the_one_founded() -> None:
    _, candidates = _draft(ARTICLES / "zh_hant_xinghe.expected.json", None)
    roles = _roles(candidates)
    assert roles[("郭子谦", "星河智算")]["cause"] == "founded"
    assert not any(firm == "深蓝序列" for _, firm in roles)


def test_a_firm_not_named_with_the_change_is_the_articles_firm_marked_inferred() -> None:
    _, candidates = _draft(ARTICLES / "en_brightwater.expected.json", None)
    roles = _roles(candidates)
    demoted = roles[("Tom Alvarez", "Brightwater Labs")]
    assert demoted["cause"] == "demoted" and demoted["firm_inferred"] and demoted["confidence"] == 0.5
    assert not roles[("Elena Petrova", "Halcyon AI")]["firm_inferred"]  # named: joined Halcyon AI
    rendered = to_yaml(candidates, {"id": "x", "title": "t", "published": "2025-06-18", "url": None, "file": "a"})
    assert "inferred:\n  - firm" in rendered


def test_valuation_written_before_its_money_is_kept_apart() -> None:
    for name, amount, valuation in (
        ("en_brightwater", "250000000", "3000000000"),  # "at a valuation of $3 billion"
        ("zh_hant_xinghe", "300000000", "2500000000"),  # "…融資，投後估值達25億美元"
    ):
        _, candidates = _draft(ARTICLES / f"{name}.expected.json", None)
        funding = next(c for c in candidates if c["kind"] == "deal" and c["deal_kind"] == "funding_round")
        assert (funding["amount"]["value"], funding["valuation"]["value"]) == (amount, valuation)


def test_english_names_keep_their_capitals_and_surnames_join_the_full_name() -> None:
    _, candidates = _draft(ARTICLES / "en_brightwater.expected.json", None)
    people = {c["name_as_written"]: c.get("written", []) for c in candidates if c["kind"] == "person"}
    assert set(people) == {"Maya Okafor", "Daniel Reyes", "Priya Natarajan", "Tom Alvarez", "Elena Petrova"}
    assert "Okafor" in people["Maya Okafor"]
    firms = {c["name_as_written"] for c in candidates if c["kind"] == "firm"}
    assert "Seattle AI" not in firms and "Brightwater" not in firms
