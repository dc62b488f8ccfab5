"""Review s26: a drafted move must never link two spells `after` each other. A person who left A for
B and later moved back from B to A (a boomerang hire) is drafted as two spells, each `after` the
other: a cycle that `aiorg accept` refuses with "neither in the knowledge base nor kept in this
draft" about a candidate that is kept in the draft. FICTIONAL sentences about the fixture's
invented firms (Xinghe AI / 星河智能, Yunfan Tech / 云帆科技)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.draft_support import require_draft_extra

require_draft_extra()

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "multisource" / "data"
HEAD = "虚构示例：云帆科技招来研究负责人\n\n本文为测试而虚构，其中的人物与公司均不存在。\n\n"
BOOMERANG = {
    "zh": HEAD
    + "星河智能研究负责人秦雨桐2023年离开星河智能，加入云帆科技。"
    + "今年3月，秦雨桐又从云帆科技跳槽到星河智能。",
    "en": (
        "Fictional example: Yunfan Tech hires\n\nThis article is invented for a test; no one in it exists.\n\n"
        "Engineer Nora Whitfield left Xinghe AI and joined Yunfan Tech in 2023. "
        "In March 2025, Nora Whitfield moved from Yunfan Tech to Xinghe AI."
    ),
}


def _spells(text: str) -> list[dict[str, Any]]:
    from aiorg.dates import FuzzyDate
    from aiorg.draft.build import draft
    from aiorg.loader import load

    return [c for c in draft(text, load(FIXTURE), FuzzyDate.parse("2025-06-18")) if c["kind"] == "role_change"]


@pytest.mark.parametrize("lang", sorted(BOOMERANG))
def test_a_boomerang_move_is_not_drafted_as_two_spells_after_each_other(lang: str) -> None:
    from aiorg.draft.output import spell_id

    spells = _spells(BOOMERANG[lang])
    ids = {spell_id(s): s for s in spells}
    for spell in spells:
        after = spell.get("after")
        if after in ids:
            assert ids[after].get("after") != spell_id(spell), (
                f"{spell_id(spell)} is after {after}, and {after} is after {spell_id(spell)}: {spells}"
            )


#: "moved from Xinghe AI to Xinghe AI's rival Yunfan Tech": the firm pair (Xinghe, Xinghe) is taken
#: for the move, so the spell at Xinghe comes `after` itself and the spell at Yunfan is never drafted
SAME_FIRM_TWICE = HEAD + "研究负责人秦雨桐今年3月从星河智能跳槽到星河智能的对手云帆科技。"


def test_a_move_whose_sentence_names_the_firm_left_twice_is_not_a_spell_after_itself() -> None:
    from aiorg.draft.output import spell_id

    spells = _spells(SAME_FIRM_TWICE)
    assert all(s.get("after") != spell_id(s) for s in spells), spells
    assert any(s["firm"] == "yunfan" for s in spells), f"the spell joined at Yunfan Tech is missing: {spells}"
