"""`aiorg draft` (session 26): the note says what the written file holds, and a move the article
states ("left A and joined B", "从A跳槽到B") gives the spell at B an `after:` naming the spell at A,
so that `aiorg flows` shows it once the draft is accepted. The articles written here are FICTIONAL."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from aiorg.cli import main
from tests.conftest import run_cli
from tests.draft_support import ARTICLES, ROOT, require_draft_extra

require_draft_extra()

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "fixtures" / "multisource"  # fictional: Xinghe AI (星河智能), Yunfan Tech (云帆科技), Li Ming (李明)

#: "wrote 4 candidates (2 people, 1 tenure, 1 deal) and the source record to out.yaml"
_WROTE = re.compile(
    r"wrote (?P<total>\d+) candidates?(?: \((?P<parts>[^;)]*)(?:; (?P<known>[^)]*) already in the knowledge base)?\))?"
    r"(?P<source> and the source record)? to (?P<path>.+)"
)
#: the nouns of the note, as the kinds (JSON) and sections (YAML) they count
_JSON_KINDS = {"person": "person", "people": "person", "role change": "role_change", "role changes": "role_change"}
_JSON_KINDS |= {w: k for k in ("firm", "group", "product", "deal", "metric", "date") for w in (k, f"{k}s")}
_YAML_SECTIONS = {"person": "people", "people": "people", "tenure": "tenures", "tenures": "tenures"}
_YAML_SECTIONS |= {w: f"{k}s" for k in ("firm", "group", "product", "deal", "metric") for w in (k, f"{k}s")}


def _counts(listed: str | None, nouns: dict[str, str]) -> Counter[str]:
    out: Counter[str] = Counter()
    for part in re.split(r", | and ", listed or ""):
        if part:
            number, noun = part.split(" ", 1)
            out[nouns[noun]] += int(number)
    return out


@pytest.fixture(autouse=True)
def registered(monkeypatch: pytest.MonkeyPatch) -> None:
    """`accept`, registered as aiorg.cli.main will register it (if it is not yet)."""
    if "accept" not in main.COMMAND_INDEX:
        summary = "Merge the candidates a reviewer kept in a draft into the knowledge base, validated first."
        monkeypatch.setitem(main.COMMAND_INDEX, "accept", ("aiorg.cli.accept_commands", summary))


# --- 1. the note counts what the file holds ------------------------------------------------------


@pytest.mark.parametrize("fmt", ["yaml", "json"])
@pytest.mark.parametrize("article", sorted(ARTICLES.glob("*.txt")), ids=lambda p: p.stem)
@pytest.mark.parametrize("data", [ROOT / "data", FIXTURE / "data"], ids=["bundled", "fixture"])
def test_the_note_counts_the_records_the_file_holds(tmp_path: Path, fmt: str, article: Path, data: Path) -> None:
    out = tmp_path / f"draft.{fmt}"
    args = ("--data", str(data), "draft", str(article), "--source-id", "fictional-x", "--published", "2025-06-18")
    result = run_cli(*args, "--format", fmt, "--out", str(out))
    assert result.exit_code == 0, result.stderr
    (line,) = [line for line in result.stderr.splitlines() if line.startswith("wrote ")]
    said = _WROTE.fullmatch(line)
    assert said is not None, line
    assert said["path"] == str(out)
    if fmt == "json":
        written = json.loads(out.read_text(encoding="utf-8"))
        assert said["source"] is None  # JSON holds the candidates only
        assert _counts(said["parts"], _JSON_KINDS) == Counter(c["kind"] for c in written)
        assert _counts(said["known"], _JSON_KINDS) == Counter(c["kind"] for c in written if c.get("existing"))
    else:
        held = yaml.safe_load(out.read_text(encoding="utf-8"))
        written = [r for section, records in held.items() if section != "sources" for r in records]
        assert said["source"] is not None and len(held["sources"]) == 1 and said["known"] is None
        assert _counts(said["parts"], _YAML_SECTIONS) == Counter({s: len(r) for s, r in held.items() if s != "sources"})
        assert all(r["review"] == "pending" for r in written)  # every one counted is a candidate
    assert int(said["total"]) == len(written) > 0


# --- 2. a stated move gives the spell joined its `after` -----------------------------------------

#: FICTIONAL sentences (Xinghe AI / 星河智能 and Yunfan Tech / 云帆科技 are the fixture's invented firms)
_HEAD = {"zh": "虚构示例：云帆科技招来研究负责人\n\n本文为测试而虚构，其中的人物与公司均不存在。\n\n"}
_HEAD["en"] = "Fictional example: Yunfan Tech hires\n\nThis article is invented for a test; no one in it exists.\n\n"
MOVES = {
    "zh-jump": ("zh", "星河智能研究负责人秦雨桐今年3月从星河智能跳槽到云帆科技。", "秦雨桐"),
    "zh-left-joined": ("zh", "星河智能研究负责人秦雨桐今年3月离开星河智能，加入云帆科技。", "秦雨桐"),
    "zh-quit-then": ("zh", "星河智能研究负责人秦雨桐今年3月从星河智能离职后加入云帆科技。", "秦雨桐"),
    "en-left-joined": (
        "en",
        "Nora Whitfield, the head of research at Xinghe AI, left Xinghe AI and joined Yunfan Tech.",
        "Nora Whitfield",
    ),
    "en-moved-from": (
        "en",
        "Research director Nora Whitfield moved from Xinghe AI to Yunfan Tech in March 2025.",
        "Nora Whitfield",
    ),
    "en-joined-from": (
        "en",
        "Research director Nora Whitfield joined Yunfan Tech from Xinghe AI in March 2025.",
        "Nora Whitfield",
    ),
}
#: two changes the text does not tie into one move: no `after`
NOT_MOVES = {
    "zh-two-sentences": ("zh", "星河智能研究负责人秦雨桐去年离开星河智能。今年3月，秦雨桐加入云帆科技。"),
    "zh-two-people": ("zh", "星河智能研究负责人秦雨桐离开星河智能，云帆科技总监赵磊加入星河智能。"),
    "zh-something-between": ("zh", "星河智能研究负责人秦雨桐2021年离开星河智能，在大学任教三年后又加入云帆科技。"),
    "zh-denied": ("zh", "星河智能研究负责人秦雨桐否认将从星河智能跳槽到云帆科技。"),
    "en-two-sentences": (
        "en",
        "Research director Nora Whitfield left Xinghe AI in 2023. In 2025 Nora Whitfield joined Yunfan Tech.",
    ),
    "en-something-between": (
        "en",
        "Research director Nora Whitfield left Xinghe AI in 2021, taught for three years and joined Yunfan Tech.",
    ),
    "en-denied": ("en", "Research director Nora Whitfield denied that she moved from Xinghe AI to Yunfan Tech."),
}


def _spells(text: str, data: Path | None) -> list[dict[str, Any]]:
    from aiorg.dates import FuzzyDate
    from aiorg.draft.build import draft
    from aiorg.loader import load

    kb = load(data) if data is not None else None
    return [c for c in draft(text, kb, FuzzyDate.parse("2025-06-18")) if c["kind"] == "role_change"]


@pytest.mark.parametrize("name", sorted(MOVES))
def test_a_stated_move_links_the_spell_joined_to_the_spell_left(name: str) -> None:
    from aiorg.draft.output import spell_id, to_yaml

    lang, sentence, person = MOVES[name]
    spells = _spells(_HEAD[lang] + sentence + "\n", FIXTURE / "data")
    left = next(s for s in spells if s["person"] == person and s["firm"] == "xinghe")
    joined = next(s for s in spells if s["person"] == person and s["firm"] == "yunfan")
    assert left["cause"] == "left" and joined["cause"] == "joined"
    assert joined["after"] == spell_id(left) and "after" not in left
    assert spells.index(left) < spells.index(joined)  # the spell named is written first
    # the YAML names the spell left by its drafted id, which aiorg accept maps to the id it gives it
    held = yaml.safe_load(to_yaml([left, joined], {"id": "fictional-x"}))["tenures"]
    assert [r["id"] for r in held] == [spell_id(left), spell_id(joined)]
    assert held[1]["after"] == spell_id(left)


@pytest.mark.parametrize("name", sorted(NOT_MOVES))
def test_changes_the_text_does_not_tie_into_a_move_get_no_after(name: str) -> None:
    lang, sentence = NOT_MOVES[name]
    spells = _spells(_HEAD[lang] + sentence + "\n", FIXTURE / "data")
    assert not any("after" in s for s in spells), spells


def _kb_copy(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "kb")
    return tmp_path / "kb" / "data"


def _draft_accept_flows(tmp_path: Path, lang: str, sentence: str) -> tuple[str, list[dict[str, Any]]]:
    """Draft the FICTIONAL article into a copy of the fixture, accept every candidate, and read flows."""
    data = _kb_copy(tmp_path)
    article = tmp_path / f"fictional-move-{lang}.txt"
    article.write_text(_HEAD[lang] + sentence + "\n", encoding="utf-8")
    out = tmp_path / "draft.yaml"
    args = ("--data", str(data), "draft", str(article), "--source-id", f"fictional-move-{lang}")
    drafted = run_cli(*args, "--published", "2025-06-18", "--out", str(out))
    assert drafted.exit_code == 0, drafted.stderr
    text = out.read_text(encoding="utf-8")
    out.write_text(text.replace("review: pending", "review: accept"), encoding="utf-8")
    accepted = run_cli("--data", str(data), "accept", str(out))
    assert accepted.exit_code == 0, accepted.stderr
    shown = run_cli("--data", str(data), "flows", "--format", "json")
    assert shown.exit_code == 0, shown.stderr
    return text, json.loads(shown.stdout)


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        ("zh", "星河智能前产品负责人李明今年3月从星河智能跳槽到云帆科技。"),
        ("en", "Li Ming, the former head of product at Xinghe AI, left Xinghe AI and joined Yunfan Tech in March."),
    ],
    ids=["zh", "en"],
)
def test_a_known_persons_move_reaches_flows_after_accept(tmp_path: Path, lang: str, sentence: str) -> None:
    text, rows = _draft_accept_flows(tmp_path, lang, sentence)
    assert "after: li-ming-xinghe-product" in text  # the spell the knowledge base has at the firm left
    moves = [(r["origin"], r["destination"], r["people"]) for r in rows]
    assert ("xinghe", "yunfan", ["li-ming"]) in moves


@pytest.mark.parametrize("name", ["zh-jump", "en-left-joined"])
def test_a_new_persons_move_reaches_flows_after_accept(tmp_path: Path, name: str) -> None:
    lang, sentence, person = MOVES[name]
    _, rows = _draft_accept_flows(tmp_path, lang, sentence)
    moves = [(r["origin"], r["destination"], r["names"]) for r in rows]
    assert ("xinghe", "yunfan", [person]) in moves
