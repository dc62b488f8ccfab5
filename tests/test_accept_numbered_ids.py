"""`accept` and a numbered id (`x-2` beside `x`): the number is how the knowledge base and an editor
name a second record with the same base, so a candidate so numbered, which the knowledge base does
not have, is never bent onto the unnumbered record when it says something else (aiorg.accept_match).
Session 26: a second deal `…-stake-2` with another amount became a disputed amount of the first; a
numbered spell became a claim on the first spell; a numbered namesake became the first person; and a
second deal or spell matching one the same draft adds was dropped as "already there".
FICTIONAL data (the knowledge base of test_review8d_kb)."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.conftest import run_cli
from tests.test_review8d_kb import article, draft, write_kb

#: a FICTIONAL article that every candidate below quotes
ARTICLE = (
    "北冥科技已完成对星辰智能的入股。北冥科技再次以8亿美元入股星辰智能。陈宇出任北冥科技顾问。"
    "另一位名叫陈宇的工程师加入星辰智能。南山实验室获得东海资本2亿元投资，又获得东海资本5亿元投资。\n"
)
HEAD_LINES = 5  # the draft's source header
SOURCE = "fic-n-2025-07"


def _accept(tmp_path: Path, body: str) -> tuple[Path, int, str, str, dict[str, bytes]]:
    data = write_kb(tmp_path / "kb")
    before = {p.name: p.read_bytes() for p in data.iterdir()}
    path = draft(tmp_path, SOURCE, "2025-07-01", article(tmp_path, "n.txt", ARTICLE), body)
    result = run_cli("--data", str(data), "accept", str(path))
    assert "Traceback" not in result.stderr
    return data, result.exit_code, result.stdout, result.stderr, before


def _refused_at(tmp_path: Path, body: str, line_of: str, *words: str) -> str:
    """Accept refuses the candidate at `line_of` with `words`, and writes nothing."""
    data, code, _, stderr, before = _accept(tmp_path, body)
    line = HEAD_LINES + body[: body.index(line_of)].count("\n") + 1
    assert code == 1, stderr
    assert f"draft-{SOURCE}.yaml:{line}:" in stderr, stderr
    for word in words:
        assert word in stderr, stderr
    assert {p.name: p.read_bytes() for p in data.iterdir()} == before
    return stderr


def _records(data: Path, kind: str) -> dict[str, dict[str, object]]:
    loaded = yaml.safe_load((data / f"{kind}.yaml").read_text(encoding="utf-8"))[kind]
    return {str(r["id"]): r for r in loaded}


SECOND_DEAL = f"""\
deals:
- id: beiming-xingchen-stake-2
  kind: stake
  buyers: [beiming]
  targets: [xingchen]
  amount: 8亿美元
  history:
  - status: completed
    date: 2025-06
    source: {SOURCE}
    quote: 北冥科技再次以8亿美元入股星辰智能
  source: {SOURCE}
  quote: 北冥科技再次以8亿美元入股星辰智能
  review: accept
"""


def test_a_numbered_deal_with_another_amount_is_not_made_a_disputed_amount_of_the_first(tmp_path: Path) -> None:
    stderr = _refused_at(
        tmp_path,
        SECOND_DEAL,
        "- id: beiming-xingchen-stake-2",
        "its id 'beiming-xingchen-stake-2' numbers it as another deal than beiming-xingchen-stake",
        "amount '8亿美元' (beiming-xingchen-stake has '~5亿美元')",
        "another deal, or a disputed value?",
    )
    assert "1 claims added" not in stderr


def test_a_numbered_deal_that_gives_no_other_value_is_still_this_sources_claim(tmp_path: Path) -> None:
    """A number is not enough to call a deal another when it says nothing the deal does not: its
    step goes on the deal matched by kind and parties, as before."""
    body = (
        SECOND_DEAL.replace("  amount: 8亿美元\n", "")
        .replace("再次以8亿美元入股", "已完成对")
        .replace("星辰智能\n", "星辰智能的入股\n")
    )
    data, code, _, stderr, _ = _accept(tmp_path, body)
    assert code == 0, stderr
    deals = _records(data, "deals")
    assert set(deals) == {"beiming-xingchen-stake"}
    steps = deals["beiming-xingchen-stake"]["history"]
    assert isinstance(steps, list)
    assert [(s["status"], str(s["date"]), s["source"]) for s in steps] == [
        ("rumoured", "2025-01", "fic-a-2025-01"),
        ("completed", "2025-06", SOURCE),
    ]
    assert "also" not in deals["beiming-xingchen-stake"]


SECOND_SPELL = f"""\
tenures:
- id: chen-yu-beiming-2
  person: chen-yu
  firm: beiming
  title: Advisor
  source: {SOURCE}
  quote: 陈宇出任北冥科技顾问
  review: accept
"""


def test_a_numbered_spell_with_another_title_is_not_made_a_disputed_title_of_the_first(tmp_path: Path) -> None:
    _refused_at(
        tmp_path,
        SECOND_SPELL,
        "- id: chen-yu-beiming-2",
        "its id 'chen-yu-beiming-2' numbers it as another spell than chen-yu-beiming",
        "title 'Advisor' (chen-yu-beiming has 'Chief scientist')",
        "replaces: chen-yu-beiming",
    )


def test_a_numbered_spell_that_replaces_the_first_is_a_new_spell(tmp_path: Path) -> None:
    """The way out the refusal gives: say which spell it follows, and it is written as its own."""
    body = SECOND_SPELL.replace("  title: Advisor\n", "  title: Advisor\n  replaces: chen-yu-beiming\n")
    data, code, _, stderr, _ = _accept(tmp_path, body)
    assert code == 0, stderr
    spells = _records(data, "tenures")
    assert "also" not in spells["chen-yu-beiming"]
    second = spells["chen-yu-beiming-2"]
    assert (second["title"], second["replaces"], second["source"]) == ("Advisor", "chen-yu-beiming", SOURCE)


def test_a_numbered_namesake_is_not_made_the_first_person(tmp_path: Path) -> None:
    body = f"""\
people:
- id: chen-yu-2
  name: Chen Yu
  source: {SOURCE}
  quote: 另一位名叫陈宇的工程师
  review: accept
tenures:
- id: chen-yu-2-xingchen
  person: chen-yu-2
  firm: xingchen
  source: {SOURCE}
  quote: 另一位名叫陈宇的工程师加入星辰智能
  review: accept
"""
    _refused_at(
        tmp_path,
        body,
        "- id: chen-yu-2\n",
        "its id 'chen-yu-2' numbers it as another people record than chen-yu (Chen Yu, 陈雨)",
    )


NEW_FIRMS = f"""\
firms:
- id: nanshan
  name: Nanshan Lab
  name_zh: 南山实验室
  source: {SOURCE}
  quote: 南山实验室
  review: accept
- id: donghai
  name: Donghai Capital
  name_zh: 东海资本
  source: {SOURCE}
  quote: 东海资本
  review: accept
"""


def _new_deal(deal_id: str, amount: str, quote: str) -> str:
    return f"""\
- id: {deal_id}
  kind: stake
  buyers: [donghai]
  targets: [nanshan]
  amount: {amount}
  history:
  - status: completed
    source: {SOURCE}
    quote: {quote}
  source: {SOURCE}
  quote: {quote}
  review: accept
"""


def test_a_numbered_second_deal_beside_one_this_draft_adds_is_a_deal_of_its_own(tmp_path: Path) -> None:
    """One source cannot dispute itself: a numbered deal giving another amount is a second deal
    (aiorg.accept_match.numbered_in_draft), never dropped as already there."""
    first = _new_deal("donghai-nanshan-stake", "2亿元", "南山实验室获得东海资本2亿元投资")
    second = _new_deal("donghai-nanshan-stake-2", "5亿元", "又获得东海资本5亿元投资")
    data, code, _, stderr, _ = _accept(tmp_path, NEW_FIRMS + "deals:\n" + first + second)
    assert code == 0, stderr
    deals = _records(data, "deals")
    assert [d for d in deals if "donghai" in d] == ["donghai-nanshan-stake", "donghai-nanshan-stake-2"]
    assert [str(deals[d]["amount"]) for d in deals if "donghai" in d] == ["2亿元", "5亿元"]


def test_a_deal_told_twice_in_one_draft_under_one_id_is_written_once(tmp_path: Path) -> None:
    first = _new_deal("donghai-nanshan-stake", "2亿元", "南山实验室获得东海资本2亿元投资")
    data, code, _, stderr, _ = _accept(tmp_path, NEW_FIRMS + "deals:\n" + first + first)
    assert code == 0, stderr
    assert [d for d in _records(data, "deals") if "donghai" in d] == ["donghai-nanshan-stake"]
    assert "1 already there" in stderr


def test_a_spell_that_replaces_one_this_draft_adds_is_written_too(tmp_path: Path) -> None:
    body = (
        NEW_FIRMS
        + f"""\
tenures:
- id: lin-feng-nanshan
  person: lin-feng
  firm: nanshan
  end: 2024-06
  end_cause: left
  source: {SOURCE}
  quote: 南山实验室
  review: accept
- id: lin-feng-nanshan-2
  person: lin-feng
  firm: nanshan
  start: 2025-06
  replaces: lin-feng-nanshan
  source: {SOURCE}
  quote: 南山实验室
  review: accept
"""
    )
    data, code, _, stderr, _ = _accept(tmp_path, body)
    assert code == 0, stderr
    spells = _records(data, "tenures")
    assert (spells["lin-feng-nanshan"]["end_cause"], spells["lin-feng-nanshan-2"]["replaces"]) == (
        "left",
        "lin-feng-nanshan",
    )
    assert str(spells["lin-feng-nanshan-2"]["start"]) == "2025-06"


def test_a_second_candidate_with_steps_the_first_lacks_is_not_dropped(tmp_path: Path) -> None:
    """No other value, so not another deal by its number; but its step would be lost as "already there"."""
    first = _new_deal("donghai-nanshan-stake", "2亿元", "南山实验室获得东海资本2亿元投资")
    second = _new_deal("donghai-nanshan-stake-2", "2亿元", "南山实验室获得东海资本2亿元投资")
    second = second.replace("  - status: completed\n", "  - status: in_talks\n    date: 2025-05\n")
    _refused_at(
        tmp_path,
        NEW_FIRMS + "deals:\n" + first + second,
        "- id: donghai-nanshan-stake-2",
        "gives steps donghai-nanshan-stake does not have (in_talks 2025-05)",
        "merge the two candidates",
    )


# --- any id: a candidate matching a record the same draft adds is refused when it says something else


def test_a_second_spell_under_its_own_id_with_a_title_and_start_the_first_lacks_is_refused(tmp_path: Path) -> None:
    """Not numbered, so only the values tell: its title and start were dropped as "already there"."""
    body = (
        NEW_FIRMS
        + f"""\
tenures:
- id: lin-feng-nanshan-left
  person: lin-feng
  firm: nanshan
  end: 2024-06
  end_cause: left
  source: {SOURCE}
  quote: 南山实验室
  review: accept
- id: lin-feng-nanshan-joined
  person: lin-feng
  firm: nanshan
  title: Chief scientist
  start: 2021-03
  source: {SOURCE}
  quote: 南山实验室
  review: accept
"""
    )
    _refused_at(
        tmp_path,
        body,
        "- id: lin-feng-nanshan-joined",
        "it matches spell lin-feng-nanshan-left (this draft adds lin-feng-nanshan-left too)",
        "title 'Chief scientist' (lin-feng-nanshan-left has none); start '2021-03' (lin-feng-nanshan-left has none)",
        "merge the two candidates if they are one spell",
        "add replaces: lin-feng-nanshan-left",
    )


def test_a_deal_told_twice_under_one_id_with_two_amounts_is_refused(tmp_path: Path) -> None:
    first = _new_deal("donghai-nanshan-stake", "2亿元", "南山实验室获得东海资本2亿元投资")
    second = _new_deal("donghai-nanshan-stake", "5亿元", "又获得东海资本5亿元投资")
    body = NEW_FIRMS + "deals:\n" + first + second
    data, code, _, stderr, before = _accept(tmp_path, body)
    second_line = HEAD_LINES + body[: body.rindex("- id: donghai-nanshan-stake")].count("\n") + 1
    assert code == 1, stderr
    assert f"draft-{SOURCE}.yaml:{second_line}:" in stderr, stderr
    assert "amount '5亿元' (donghai-nanshan-stake has '2亿元')" in stderr
    assert "merge the two candidates if they are one deal" in stderr
    assert {p.name: p.read_bytes() for p in data.iterdir()} == before


def test_a_second_candidate_giving_a_step_note_the_first_lacks_is_refused(tmp_path: Path) -> None:
    first = _new_deal("donghai-nanshan-stake", "2亿元", "南山实验室获得东海资本2亿元投资")
    second = first.replace("    source:", "    note: first tranche\n    source:", 1)
    _refused_at(
        tmp_path,
        NEW_FIRMS + "deals:\n" + first + second.replace("- id: donghai-nanshan-stake", "- id: donghai-nanshan-deal"),
        "- id: donghai-nanshan-deal",
        "its completed step's note 'first tranche' (donghai-nanshan-stake's has none)",
    )


def test_a_second_firm_with_a_country_the_first_lacks_is_refused(tmp_path: Path) -> None:
    body = NEW_FIRMS + NEW_FIRMS.split("\n", 1)[1].split("- id: donghai")[0].replace(
        "- id: nanshan", "- id: nanshan-lab\n  country: CN"
    )
    _refused_at(
        tmp_path,
        body,
        "- id: nanshan-lab",
        "it matches firm nanshan (this draft adds nanshan too), and gives country 'CN' (nanshan has none)",
        "merge the two candidates if they are one firm",
    )


def test_a_second_candidate_with_the_same_values_and_another_quote_is_already_there(tmp_path: Path) -> None:
    """Only a value that would be lost refuses it: the same facts quoted twice are written once."""
    first = _new_deal("donghai-nanshan-stake", "2亿元", "南山实验室获得东海资本2亿元投资")
    second = _new_deal("donghai-nanshan-stake", "2亿元", "东海资本2亿元投资")
    spells = f"""\
tenures:
- id: lin-feng-nanshan
  person: lin-feng
  firm: nanshan
  title: Chief scientist
  source: {SOURCE}
  quote: 南山实验室
  review: accept
- id: lin-feng-at-nanshan
  person: lin-feng
  firm: nanshan
  title: Chief scientist
  source: {SOURCE}
  quote: 南山实验室获得
  review: accept
"""
    data, code, _, stderr, _ = _accept(tmp_path, NEW_FIRMS + "deals:\n" + first + second + spells)
    assert code == 0, stderr
    assert "2 already there" in stderr
    assert _records(data, "deals")["donghai-nanshan-stake"]["amount"] == "2亿元"
    written = [s for s in _records(data, "tenures").values() if s.get("firm") == "nanshan"]
    assert [(s["id"], s["title"]) for s in written] == [("lin-feng-nanshan", "Chief scientist")]


def test_a_return_after_the_spell_it_left_for_is_a_spell_of_its_own(tmp_path: Path) -> None:
    """A boomerang: the return to Nanshan comes after the Donghai spell, which comes after the first
    Nanshan spell, so it is not that spell (it was taken for it: refused, or dropped as already there)."""
    body = (
        NEW_FIRMS
        + f"""\
tenures:
- id: lin-feng-nanshan-left
  person: lin-feng
  firm: nanshan
  end_cause: left
  source: {SOURCE}
  quote: 南山实验室
  review: accept
- id: lin-feng-donghai-left
  person: lin-feng
  firm: donghai
  end_cause: left
  after: lin-feng-nanshan-left
  source: {SOURCE}
  quote: 东海资本
  review: accept
- id: lin-feng-nanshan-back
  person: lin-feng
  firm: nanshan
  start: 2025-06
  after: lin-feng-donghai-left
  source: {SOURCE}
  quote: 南山实验室
  review: accept
"""
    )
    data, code, _, stderr, _ = _accept(tmp_path, body)
    assert code == 0, stderr
    spells = _records(data, "tenures")
    back = spells["lin-feng-nanshan-back"]
    assert (back["firm"], str(back["start"]), back["after"]) == ("nanshan", "2025-06", "lin-feng-donghai-left")
    assert spells["lin-feng-donghai-left"]["after"] == "lin-feng-nanshan-left"
    assert "start" not in spells["lin-feng-nanshan-left"]
