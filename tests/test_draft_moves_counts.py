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


# --- 3. a return to a firm left earlier is a spell of its own; no spell comes after itself --------

#: FICTIONAL: left Xinghe for Yunfan in 2023, back from Yunfan to Xinghe in March (a boomerang)
BOOMERANG = {
    "zh": "星河智能研究负责人秦雨桐2023年离开星河智能，加入云帆科技。今年3月，秦雨桐又从云帆科技跳槽到星河智能。",
    "zh-told-backwards": "今年3月，秦雨桐从云帆科技跳槽到星河智能。"
    "此前，星河智能研究负责人秦雨桐2023年离开星河智能，加入云帆科技。",
    "en": "Engineer Nora Whitfield left Xinghe AI and joined Yunfan Tech in 2023. "
    "In March 2025, Nora Whitfield moved from Yunfan Tech to Xinghe AI.",
}
UNDATED_BOOMERANG = "秦雨桐离开星河智能，加入云帆科技。后来，秦雨桐又从云帆科技跳槽到星河智能。"


def _by_id(spells: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    from aiorg.draft.output import spell_id

    ids = [spell_id(s) for s in spells]
    assert len(set(ids)) == len(ids), f"two drafted spells share an id: {ids}"
    return dict(zip(ids, spells, strict=True))


@pytest.mark.parametrize("name", [*sorted(BOOMERANG), "zh-undated"])
def test_a_return_to_the_firm_left_is_a_spell_of_its_own(name: str) -> None:
    lang = name[:2]
    person = "秦雨桐" if lang == "zh" else "Nora Whitfield"
    text = BOOMERANG.get(name, UNDATED_BOOMERANG)
    spells = _by_id(_spells(_HEAD[lang] + text + "\n", FIXTURE / "data"))
    first, between, back = f"{person}-xinghe-left", f"{person}-yunfan-left", f"{person}-xinghe-joined"
    assert set(spells) == {first, between, back}, spells
    assert "after" not in spells[first]
    assert spells[between]["after"] == first and spells[back]["after"] == between
    held = {r["id"]: r for r in yaml.safe_load(to_yaml_of(spells))["tenures"]}
    assert list(held) == [first, between, back]  # each spell is written before the one after it
    assert held[back]["after"] == between and held[between]["after"] == first
    if name == "zh-undated":
        assert all(s["date"] is None and "start" not in s for s in spells.values())  # no date invented
        return
    assert spells[back]["date"] == "2025-03"  # the return keeps its date
    assert spells[between]["date"] == "2025-03"  # Yunfan was left when Xinghe was joined again
    assert "Xinghe" in spells[back]["quote"] or "星河智能" in spells[back]["quote"]
    if lang == "zh":  # the English roles reader dates neither change of the first sentence
        assert spells[first]["date"] == "2023"
        assert spells[between]["start"] == "2023"  # the 2023 start at Yunfan is kept, as its start
    assert (held[between].get("start"), held[between]["end"]) == (spells[between].get("start"), "2025-03")
    assert held[back]["start"] == "2025-03"


def to_yaml_of(spells: dict[str, dict[str, Any]]) -> str:
    from aiorg.draft.output import to_yaml

    return to_yaml(list(spells.values()), {"id": "fictional-x"})


def test_a_start_and_an_end_at_one_firm_keep_both_dates() -> None:
    """Before: one spell `end: 2020` (the start's date written as its end) and 2023 lost."""
    spells = _spells(_HEAD["zh"] + "秦雨桐2020年加入星河智能。秦雨桐2023年离开星河智能。\n", FIXTURE / "data")
    (spell,) = [s for s in spells if s["person"] == "秦雨桐"]
    assert (spell["firm"], spell["cause"], spell["start"], spell["date"]) == ("xinghe", "left", "2020", "2023")


def test_a_second_stint_ending_the_same_way_gets_its_own_numbered_id() -> None:
    text = (
        "秦雨桐2020年离开星河智能，加入云帆科技。2022年秦雨桐从云帆科技跳槽到星河智能。"
        "2024年秦雨桐又从星河智能跳槽到云帆科技。\n"
    )
    spells = _by_id(_spells(_HEAD["zh"] + text, FIXTURE / "data"))
    chain = ["秦雨桐-xinghe-left", "秦雨桐-yunfan-left", "秦雨桐-xinghe-left-2", "秦雨桐-yunfan-joined"]
    assert list(spells) == chain
    assert [spells[i].get("after") for i in chain] == [None, *chain[:-1]]
    assert [(spells[i].get("start"), spells[i]["date"]) for i in chain] == [
        (None, "2020"),
        ("2020", "2022"),
        ("2022", "2024"),
        (None, "2024"),
    ]


#: the firm left is named again to say what the firm joined is to it
RIVAL = {
    "zh": "研究负责人秦雨桐今年3月从星河智能跳槽到星河智能的对手云帆科技。",
    "en": "Research director Nora Whitfield moved from Xinghe AI to Xinghe AI's rival Yunfan Tech in March 2025.",
}


@pytest.mark.parametrize("lang", sorted(RIVAL))
def test_a_move_to_the_rival_of_the_firm_left_is_to_the_rival(lang: str) -> None:
    person = "秦雨桐" if lang == "zh" else "Nora Whitfield"
    spells = _by_id(_spells(_HEAD[lang] + RIVAL[lang] + "\n", FIXTURE / "data"))
    assert spells[f"{person}-yunfan-joined"]["after"] == f"{person}-xinghe-left", spells
    assert "after" not in spells[f"{person}-xinghe-left"]


def test_a_move_from_a_firm_to_itself_links_nothing() -> None:
    spells = _spells(_HEAD["zh"] + "研究负责人秦雨桐今年3月从星河智能跳槽到星河智能。\n", FIXTURE / "data")
    assert not any("after" in s for s in spells), spells


def _guarded_texts() -> list[str]:
    texts = [
        p.read_text(encoding="utf-8") for d in ("draft_articles", "accept_articles") for p in (HERE / d).glob("*.txt")
    ]
    texts += [_HEAD[lang] + sentence + "\n" for lang, sentence, _ in MOVES.values()]
    texts += [_HEAD[lang] + sentence + "\n" for lang, sentence in NOT_MOVES.values()]
    texts += [_HEAD[name[:2]] + text + "\n" for name, text in [*BOOMERANG.items(), ("zh", UNDATED_BOOMERANG)]]
    return texts + [_HEAD[lang] + text + "\n" for lang, text in RIVAL.items()]


@pytest.mark.parametrize("data", [ROOT / "data", FIXTURE / "data"], ids=["bundled", "fixture"])
def test_no_drafted_spell_comes_after_itself(data: Path) -> None:
    """Over every test article and move sentence: spell ids are unique, each `after` names a spell
    the draft holds or one the knowledge base has, and following `after` never comes back."""
    from aiorg.loader import load

    kb = load(data)
    for text in _guarded_texts():
        spells = _by_id(_spells(text, data))
        for spell_id, spell in spells.items():
            seen = [spell_id]
            at = spell.get("after")
            while at is not None:
                assert at not in seen, f"{' -> '.join([*seen, at])}: a loop of after links"
                assert at in spells or at in kb.by_id, f"{spell_id} is after {at}, which is nowhere"
                seen.append(at)
                at = spells[at].get("after") if at in spells else None


@pytest.mark.parametrize(
    "lang",
    [
        "zh",
        "en",
    ],
)
def test_a_boomerang_reaches_flows_both_ways_after_accept(tmp_path: Path, lang: str) -> None:
    person = "秦雨桐" if lang == "zh" else "Nora Whitfield"
    _, rows = _draft_accept_flows(tmp_path, lang, BOOMERANG[lang])
    moves = {(r["origin"], r["destination"]) for r in rows if r["names"] == [person]}
    assert moves == {("xinghe", "yunfan"), ("yunfan", "xinghe")}, rows


# --- 4. two rounds of one firm are two deals, each quoting its own sentence ----------------------

#: FICTIONAL rounds of an invented firm (星火智能, Xinghuo AI): the text and each round's sentence; the
#: same firm, kind and status, another round name, amount and date
ROUNDS = {
    "zh": (
        "（虚构示例）星火智能于去年9月完成3亿元A轮融资。\n今年3月，星火智能又完成5亿元B轮融资。\n",
        ("星火智能于去年9月完成3亿元A轮融资。", "星火智能又完成5亿元B轮融资。"),
    ),
    "zh_hant": (
        "（虛構示例）星火智能於去年9月完成3億元A輪融資。\n今年3月，星火智能又完成5億元B輪融資。\n",
        ("星火智能於去年9月完成3億元A輪融資。", "星火智能又完成5億元B輪融資。"),
    ),
    "en": (
        "(Fictional example.) Xinghuo AI raised a $30 million Series A last September.\n"
        "In March, Xinghuo AI raised a $50 million Series B.\n",
        ("Xinghuo AI raised a $30 million Series A last September.", "Xinghuo AI raised a $50 million Series B."),
    ),
}
#: each round's amount: as the draft writes it (in simplified characters), its value and currency
_ZH_AMOUNTS = (("3亿元", "300000000", "CNY"), ("5亿元", "500000000", "CNY"))
_AMOUNTS = {"zh": _ZH_AMOUNTS, "zh_hant": _ZH_AMOUNTS}
_AMOUNTS["en"] = (("$30 million", "30000000", "USD"), ("$50 million", "50000000", "USD"))
#: the same round told again: one deal, both sentences its evidence
SAME_ROUND = {
    "zh-again": "（虚构示例）星火智能于去年9月完成3亿元A轮融资。\n去年9月，星火智能的A轮融资由云帆科技领投。\n",
    "zh-no-values": "（虚构示例）星火智能于去年9月完成3亿元A轮融资。\n星火智能此轮融资由云帆科技领投。\n",
    "en-again": "(Fictional example.) Xinghuo AI raised $30 million in a Series A round last September.\n"
    "The Series A round of Xinghuo AI was led by Yunfan Tech.\n",
}


def _deals(text: str) -> list[dict[str, Any]]:
    from aiorg.dates import FuzzyDate
    from aiorg.draft.build import draft

    return [c for c in draft(text, None, FuzzyDate.parse("2025-06-20")) if c["kind"] == "deal"]


@pytest.mark.parametrize("lang", sorted(ROUNDS))
def test_two_rounds_of_one_firm_are_two_deals_each_with_its_own_quote(lang: str) -> None:
    from aiorg.draft.output import sections

    text, sentences = ROUNDS[lang]
    deals = _deals(text)
    assert [(d["quote"], d["also"]) for d in deals] == [(s, []) for s in sentences]
    amounts = _AMOUNTS[lang]
    assert [(d["amount"]["text"], d["amount"]["value"], d["amount"]["currency"]) for d in deals] == list(amounts)
    assert [d["date"] for d in deals] == ["2024-09", "2025-03"]
    assert [d["status"] for d in deals] == [["completed"], ["completed"]]
    records = sections(deals, {"id": "t-2025-06"})["deals"]
    base = records[0]["id"]
    assert [r["id"] for r in records] == [base, f"{base}-2"]  # the second round numbered, not merged
    for record, sentence, amount in zip(records, sentences, amounts, strict=True):
        assert record["quote"] == sentence and record["amount"] == amount[0]
        assert [step["quote"] for step in record["history"]] == [sentence]  # no step cites the other round


@pytest.mark.parametrize("name", sorted(SAME_ROUND))
def test_one_round_told_twice_is_one_deal(name: str) -> None:
    deals = _deals(SAME_ROUND[name])
    assert len(deals) == 1, deals
    (deal,) = deals
    assert deal["amount"]["text"] in ("3亿元", "$30 million") and deal["date"] == "2024-09"
    assert len(deal["also"]) == 1 and deal["also"][0]["quote"] != deal["quote"]


def test_a_deal_agreed_then_completed_stays_one_deal_with_both_steps() -> None:
    text = "（虚构示例）云帆科技今年1月宣布收购星河智能。\n今年4月，云帆科技完成收购星河智能。\n"
    (deal,) = _deals(text)
    assert deal["status"] == ["agreed", "completed"]
    assert [deal["quote"], *(a["quote"] for a in deal["also"])] == [
        "云帆科技今年1月宣布收购星河智能。",
        "云帆科技完成收购星河智能。",
    ]


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        (
            "（虚构示例）云帆科技今年1月宣布收购星河智能。\n今年4月，云帆科技完成收购星河智能。\n",
            ["2025-01", "2025-04"],
        ),
        (
            "（虚构示例）今年4月，云帆科技完成收购星河智能。\n云帆科技今年1月宣布收购星河智能。\n",
            ["2025-01", "2025-04"],
        ),
        ("（虚构示例）云帆科技宣布收购星河智能。\n今年4月，云帆科技完成收购星河智能。\n", [None, "2025-04"]),
    ],
    ids=["in-order", "completion-told-first", "announcement-undated"],
)
def test_each_step_of_a_deal_has_its_own_sentences_date(text: str, dates: list[str | None]) -> None:
    """ "Completed in April" is not dated January because the deal was agreed then, and an undated
    announcement is not dated by the completion: a draft never gives a step a date no sentence of
    it tells. Dated steps are listed in date order, as the loader requires."""
    from aiorg.draft.output import sections

    (deal,) = _deals(text)
    assert (deal["status"], deal["step_dates"]) == (["agreed", "completed"], dates)
    (record,) = sections([deal], {"id": "t-2025-06"})["deals"]
    assert [(step["status"], step.get("date")) for step in record["history"]] == [
        ("agreed", dates[0]),
        ("completed", dates[1]),
    ]


def test_a_deal_told_by_one_sentence_quotes_it_once() -> None:
    """ "raised", "Series C" and "round" are cues of one deal in one sentence: quoted once, not thrice."""
    text = "(Fictional example.) Halcyon AI raised $250 million in a Series C round last month.\n"
    (deal,) = _deals(text)
    assert deal["quote"] == "Halcyon AI raised $250 million in a Series C round last month." and deal["also"] == []


@pytest.mark.parametrize(
    "text",
    [
        ROUNDS["zh"][0],
        "（虚构示例）云帆科技今年1月宣布收购星河智能。\n今年4月，云帆科技完成收购星河智能。\n",
        sorted((ROOT / "seeds").glob("*"))[0].read_text(encoding="utf-8"),
    ],
    ids=["rounds", "two-steps", "seed"],
)
def test_the_yaml_draft_has_no_anchor_or_alias(text: str) -> None:
    """A reviewer editing one quote of an anchored list would silently edit every alias of it."""
    from aiorg.dates import FuzzyDate
    from aiorg.draft.build import draft
    from aiorg.draft.output import to_yaml

    written = to_yaml(draft(text, None, FuzzyDate.parse("2025-06-20")), {"id": "t-2025-06"})
    events = list(yaml.parse(written))
    assert not [e for e in events if getattr(e, "anchor", None)]  # no &anchor, no *alias
    assert "deals" in yaml.safe_load(written)


def test_round_names_are_read_in_one_spelling() -> None:
    from aiorg.draft.facts import round_name

    said = {
        t: round_name(t) for t in ("完成A轮融资", "B+轮", "Pre-A轮", "天使轮", "a Series B", "series b", "a seed round")
    }
    assert said == {
        "完成A轮融资": "a",
        "B+轮": "b+",
        "Pre-A轮": "prea",
        "天使轮": "angel",
        "a Series B": "b",
        "series b": "b",
        "a seed round": "seed",
    }
    assert round_name("完成新一轮融资") is None and round_name("a new funding round") is None
