"""`aiorg plot`: a picture a journalist can publish (labels, bubbles, colours, legend, credit)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aiorg.export.graphs import select
from aiorg.graph import build_graph
from aiorg.kb import KnowledgeBase
from aiorg.loader import load
from aiorg.model import Deal
from aiorg.plot_labels import Anchor, place_labels
from aiorg.plot_scene import UNSIZED_DEAL, Scene, build_scene, person_category, wrap_words
from tests.conftest import run_cli

PICTURE_TYPES = frozenset({"person", "firm", "deal", "group"})  # what `aiorg plot` draws by default

FICTIONAL = """
sources:
  - {id: gazette, title: The Fictional Gazette, publisher: Gazette Press, published: 2021-02}
firms:
  - {id: orbit, name: Orbit Labs, name_zh: 轨道实验室, source: gazette, quote: q}
  - {id: quark, name: Quark AI, source: gazette, quote: q}
  - {id: vega, name: Vega Capital, source: gazette, quote: q}
  - {id: umbra, name: Umbra, source: gazette, quote: q}
people:
  - {id: ada, name: Ada Fictional, name_zh: 艾达, source: gazette, quote: q}
tenures:
  - {id: ada-umbra, person: ada, firm: umbra, title: CEO, start: 2019, end: 2020, end_cause: left,
     source: gazette, quote: q}
deals:
  - id: quark-round
    kind: funding_round
    title: Quark AI raises $2B
    buyers: [vega]
    targets: [quark]
    amount: $2B
    valuation: $32B
    history:
      - {date: 2021-01, status: completed, source: gazette, quote: q}
    source: gazette
    quote: q
  - id: orbit-buys-quark-stake
    kind: stake
    title: Orbit Labs buys a stake in Quark AI for $8B
    buyers: [orbit]
    targets: [quark]
    amount: $8B
    history:
      - {date: 2021-02, status: agreed, source: gazette, quote: q}
    source: gazette
    quote: q
  - id: orbit-offer
    kind: compensation_offer
    title: Orbit Labs offers Ada Fictional $50B
    buyers: [orbit]
    targets: [ada]
    people: [ada]
    amount: $50B
    history:
      - {date: 2021-02, status: offered, source: gazette, quote: q}
    source: gazette
    quote: q
"""


@pytest.fixture(scope="module")
def fictional(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KnowledgeBase]:
    folder = tmp_path_factory.mktemp("fictional")
    (folder / "kb.yaml").write_text(FICTIONAL, encoding="utf-8")
    kb = load(folder)
    yield kb
    kb.close()


def _scene(kb: KnowledgeBase, focus: str | None = None, depth: int = 2) -> Scene:
    return build_scene(kb, select(build_graph(kb), focus, depth, PICTURE_TYPES), focus, depth)


def _rendered(kb: KnowledgeBase, focus: str | None = None, depth: int = 2) -> tuple[Any, Scene]:
    from aiorg.plot import render

    figure, scene, notes = render(kb, select(build_graph(kb), focus, depth, PICTURE_TYPES), focus, depth)
    assert notes == []  # the CJK font of the plot extra is installed for the tests
    figure.canvas.draw()
    return figure, scene


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


def _texts(figure: Any, prefix: str) -> dict[str, Any]:
    return {str(t.get_gid())[len(prefix) :]: t for t in figure.findobj() if str(t.get_gid() or "").startswith(prefix)}


def _full_name(kb: KnowledgeBase, node_id: str) -> str:
    record = kb.by_id[node_id]
    return record.title or node_id if isinstance(record, Deal) else kb.name_of(node_id)


@pytest.mark.parametrize("focus", [None, "meta", "minimax"])
def test_labels_never_overlap_and_are_never_cut(bundled_kb: KnowledgeBase, focus: str | None) -> None:
    figure, scene = _rendered(bundled_kb, focus)
    renderer = figure.canvas.get_renderer()
    labels = _texts(figure, "label:")
    assert sorted(labels) == sorted(n.id for n in scene.nodes)
    page = figure.bbox
    boxes = {}
    for node_id, text in labels.items():
        assert text.get_text().replace("\n", " ") == _full_name(bundled_kb, node_id)
        box = text.get_window_extent(renderer)
        assert page.x0 <= box.x0 and box.x1 <= page.x1 and page.y0 <= box.y0 and box.y1 <= page.y1, node_id
        boxes[node_id] = box
    for (a, box_a), (b, box_b) in itertools.combinations(sorted(boxes.items()), 2):
        assert not box_a.overlaps(box_b), (a, b)
    assert figure.get_size_inches()[0] * figure.dpi == 1600


def test_placement_refuses_rather_than_overlaps() -> None:
    crowd = [Anchor(f"n{i}", 50.0, 50.0, 4.0, 60.0, 12.0) for i in range(6)]
    roomy = place_labels(crowd, [], [], (0.0, 0.0, 400.0, 400.0))
    assert roomy is not None
    for a, b in itertools.combinations(roomy.values(), 2):
        assert not (a.box[0] < b.box[2] and b.box[0] < a.box[2] and a.box[1] < b.box[3] and b.box[1] < a.box[3])
    assert place_labels(crowd, [], [], (0.0, 0.0, 100.0, 40.0)) is None


@given(
    st.lists(st.sampled_from(["Meta", "buys", "49%", "Safe", "Superintelligence", "(苏茨克弗)", "$14.3B"])),
    st.integers(4, 30),
)
def test_wrapping_never_cuts_a_word(words: list[str], width: int) -> None:
    text = " ".join(words)
    assert " ".join(wrap_words(text, width)) == text


def test_bubbles_are_sized_by_money_agreed_not_valuation(fictional: KnowledgeBase) -> None:
    figure, scene = _rendered(fictional)
    sizes = {n.id: n.size for n in scene.nodes}
    assert scene.biggest_agreed_usd == 8e9  # the $50B offer is not agreed, the $32B is a valuation
    assert sizes["quark-round"] == pytest.approx(scene.bubble_area(2e9))
    assert sizes["quark-round"] == pytest.approx(sizes["orbit-buys-quark-stake"] / 4)
    assert sizes["orbit-offer"] == UNSIZED_DEAL
    drawn = sorted(round(float(s), 3) for c in figure.axes[0].collections for s in c.get_sizes())
    assert round(scene.bubble_area(2e9), 3) in drawn and round(scene.bubble_area(32e9), 3) not in drawn
    key = _texts(figure, "legend:")["sizes"]
    assert "money agreed" in key.get_title().get_text()
    assert [t.get_text() for t in key.get_texts()] == ["$200M", "$1B", "$5B"]  # round sizes up to the biggest


def test_bundled_ssi_round_is_a_2b_bubble(bundled_kb: KnowledgeBase) -> None:
    scene = _scene(bundled_kb)
    sizes = {n.id: n.size for n in scene.nodes}
    assert scene.biggest_agreed_usd == 14.3e9
    assert sizes["ssi-2025-04-round"] == pytest.approx(scene.bubble_area(2e9))
    assert sizes["meta-ssi-acquisition"] == UNSIZED_DEAL  # rejected; its $32B is a valuation


def test_left_only_when_the_firm_left_is_drawn(bundled_kb: KnowledgeBase, fictional: KnowledgeBase) -> None:
    meta = {n.id: n.category for n in _scene(bundled_kb, "meta").nodes}
    assert "github" not in meta and meta["nat-friedman"] == "sought"
    whole = {n.id: n.category for n in _scene(bundled_kb).nodes}
    assert whole["nat-friedman"] == "left" and "github" in whole
    assert person_category(fictional, "ada", frozenset({"orbit", "orbit-offer"})) == "sought"
    assert person_category(fictional, "ada", frozenset({"umbra", "orbit-offer"})) == "left"


def test_arrows_point_the_way_people_and_money_move(bundled_kb: KnowledgeBase) -> None:
    edges = sorted((e.source, e.target, e.category) for e in _scene(bundled_kb, "minimax", 1).edges)
    assert edges == [
        ("minimax", "four-strong", "member"),
        ("minimax", "six-dragons", "member"),
        ("minimax", "wei-wei", "left"),
        ("zhang-qianchuan", "minimax", "advisor"),
    ]
    whole = {(e.source, e.target): e.category for e in _scene(bundled_kb).edges}
    assert whole[("github", "nat-friedman")] == "left"
    assert whole[("meta", "meta-scale-stake")] == "deal_agreed"
    assert whole[("meta-scale-stake", "alexandr-wang")] == "deal_agreed"
    assert whole[("meta", "meta-ssi-acquisition")] == "deal_failed"
    assert whole[("meta-gross-friedman-recruitment", "nat-friedman")] == "deal_pending"
    assert whole[("sam-altman", "openai")] == "role"


def test_title_credit_and_a_legend_of_only_what_is_drawn(bundled_kb: KnowledgeBase) -> None:
    figure, _ = _rendered(bundled_kb, "minimax", 1)
    texts = _texts(figure, "")
    assert texts["title"].get_text() == "People, firms and groups around MiniMax"
    assert texts["subtitle"].get_text() == (
        "Arrows show who left and who became an advisor. Everything within 1 step of MiniMax."
    )
    assert texts["credit"].get_text().startswith("Source: 字母榜 (Zimubang), DoNews: “在大模型竞赛中")
    assert texts["credit"].get_text().endswith("Chart: aiorg")
    legends = _texts(figure, "legend:")
    assert sorted(legends) == ["edges", "nodes"]  # no deal is drawn, so no bubble key
    assert [t.get_text() for t in legends["nodes"].get_texts()] == [
        "Firm",
        "Group of firms",
        "Person who left a firm shown",
        "Person moved to an advisor role",
    ]
    assert [t.get_text() for t in legends["edges"].get_texts()] == [
        "Left the firm (firm → person)",
        "Moved to an advisor role (person → firm)",
        "Member, part or maker of",
    ]


def test_plot_without_a_cjk_font_still_draws_and_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import aiorg.plot

    monkeypatch.setattr(aiorg.plot, "cjk_font", lambda: None)
    out = tmp_path / "no-font.png"
    result = run_cli("plot", str(out), "--focus", "minimax")
    assert result.exit_code == 0, result.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "fonts-noto-cjk" in result.stderr and "aiorg[plot]" in result.stderr


def test_plot_is_deterministic(tmp_path: Path) -> None:
    first, second = tmp_path / "a.png", tmp_path / "b.png"
    assert run_cli("plot", str(first), "--focus", "meta").exit_code == 0
    assert run_cli("plot", str(second), "--focus", "meta").exit_code == 0
    assert first.read_bytes() == second.read_bytes()
