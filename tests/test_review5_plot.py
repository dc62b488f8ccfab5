"""Review 5 defects in `aiorg plot` (the picture a journalist publishes).

1. The credit names only the sources of the drawn nodes' own records: not the sources of the
   drawn role spells, of `also` claims or of deal steps. On the fictional two-source fixture the
   Yunfan–Xinghe deal is drawn as an agreed bubble because Xinghe's official statement
   (fictional-en-2025-03) says it was agreed; the article only says it was rumoured. The credit
   reads "Source: Fictional Daily: “星河智能高管变动（虚构示例）”, 2024-10-08": the statement the
   picture rests on is not credited.

2. A replaced (superseded) agreed deal is drawn as a full bubble of "money agreed" beside the deal
   that replaced it, so the picture shows Gamma agreeing $300M + $500M; `strategy` (rightly)
   counts only the $500M. On the review's own fictional knowledge base (tests/test_review5_kb.py)."""

from __future__ import annotations

from pathlib import Path

from aiorg.export.graphs import select
from aiorg.graph import build_graph
from aiorg.kb import KnowledgeBase
from aiorg.loader import load
from aiorg.plot_scene import Scene, build_scene
from tests.conftest import REPO
from tests.test_plot import PICTURE_TYPES
from tests.test_review5_kb import write_kb

MULTISOURCE = REPO / "tests" / "fixtures" / "multisource" / "data"


def _scene(kb: KnowledgeBase) -> Scene:
    return build_scene(kb, select(build_graph(kb), None, 0, PICTURE_TYPES))


def test_the_credit_names_the_source_a_drawn_bubble_rests_on() -> None:
    kb = load(MULTISOURCE)
    scene = _scene(kb)
    (deal,) = [n for n in scene.nodes if n.id == "yunfan-xinghe-acquisition"]
    assert deal.category == "deal_agreed"  # agreed only on the statement's word
    assert "Xinghe AI statement (fictional example)" in scene.credit, scene.credit


def test_a_replaced_deal_is_not_drawn_as_money_agreed(tmp_path: Path) -> None:
    kb = load(write_kb(tmp_path))
    scene = _scene(kb)
    nodes = {n.id: n for n in scene.nodes}
    assert nodes["gamma-beta-stake"].category == "deal_agreed"
    replaced = nodes["gamma-beta-offer"]
    assert replaced.category != "deal_agreed" or replaced.size < scene.bubble_area(3e8), (
        "the $300M stake replaced by the $500M one is drawn as $300M more money agreed"
    )


def test_a_disputed_advisor_move_is_drawn_as_the_value_shown_first() -> None:
    """The article says Li Ming left; Xinghe's later official statement, shown first, says he
    moved to an advisor role: he is drawn as an advisor, not with a red 'left' arrow."""
    scene = _scene(load(MULTISOURCE))
    (person,) = [n for n in scene.nodes if n.id == "li-ming"]
    assert person.category == "advisor"
    (edge,) = [e for e in scene.edges if {e.source, e.target} == {"li-ming", "xinghe"}]
    assert edge.category == "advisor"
