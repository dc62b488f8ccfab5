"""What `accept` refuses to merge as an `also:` claim, and where it puts a deal's new step (review 8d,
defects 1, 2, 4 and 6): each refusal is one located line in the draft, with nothing written; each
merge keeps what the candidate says. FICTIONAL data (the knowledge base of test_review8d_kb)."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from aiorg.accept_steps import Placement, date_of, place
from tests.conftest import run_cli
from tests.test_review8d_kb import article, draft, write_kb

#: a FICTIONAL article that every candidate below quotes
ARTICLE = "星辰智能（虚构公司）称，林峰今年6月重新加入公司。陈宇出任北冥科技顾问。北冥科技已完成对星辰智能的入股。\n"
HEAD_LINES = 5  # the draft's source header


def _accept(tmp_path: Path, body: str, published: str = "2025-07-01") -> tuple[Path, int, str, dict[str, bytes]]:
    data = write_kb(tmp_path / "kb")
    before = {p.name: p.read_bytes() for p in data.iterdir()}
    path = draft(tmp_path, "fic-m-2025-07", published, article(tmp_path, "m.txt", ARTICLE), body)
    result = run_cli("--data", str(data), "accept", str(path))
    assert "Traceback" not in result.stderr
    return data, result.exit_code, result.stderr, before


def _refused_at(tmp_path: Path, body: str, line_of: str, words: str) -> None:
    data, code, stderr, before = _accept(tmp_path, body)
    line = HEAD_LINES + body[: body.index(line_of)].count("\n") + 1
    assert code == 1, stderr
    assert f"draft-fic-m-2025-07.yaml:{line}:" in stderr and words in stderr, stderr
    assert {p.name: p.read_bytes() for p in data.iterdir()} == before


def test_a_rejoin_starting_after_the_old_spell_ended_is_a_new_spell(tmp_path: Path) -> None:
    body = """\
tenures:
- id: lin-feng-xingchen-again
  person: lin-feng
  firm: xingchen
  start: 2025-06
  current: true
  source: fic-m-2025-07
  quote: 林峰今年6月重新加入公司
  review: accept
"""
    data, code, stderr, _ = _accept(tmp_path, body)
    assert code == 0, stderr
    tenures = yaml.safe_load((data / "tenures.yaml").read_text(encoding="utf-8"))["tenures"]
    old = next(t for t in tenures if t["id"] == "lin-feng-xingchen")
    assert "also" not in old
    new = next(t for t in tenures if t["id"] == "lin-feng-xingchen-again")
    assert (new["start"], new["current"], new["source"]) == ("2025-06", True, "fic-m-2025-07")


def test_a_spell_that_replaces_the_matched_one_is_never_merged_into_it(tmp_path: Path) -> None:
    body = """\
tenures:
- id: lin-feng-xingchen
  person: lin-feng
  firm: xingchen
  replaces: lin-feng-xingchen
  source: fic-m-2025-07
  quote: 林峰今年6月重新加入公司
  review: accept
"""
    data, code, stderr, _ = _accept(tmp_path, body)
    assert code == 0, stderr  # its id is taken: a fresh one, pointing at the old spell
    text = (data / "tenures.yaml").read_text(encoding="utf-8")
    new = "  - id: lin-feng-xingchen-2\n    person: lin-feng\n    firm: xingchen\n    replaces: lin-feng-xingchen\n"
    assert new in text
    assert "also:" not in text


def test_a_field_a_claim_cannot_carry_is_refused_not_dropped(tmp_path: Path) -> None:
    body = """\
tenures:
- id: chen-yu-beiming-advisor
  person: chen-yu
  firm: beiming
  title_zh: 顾问
  end_cause: advisor
  source: fic-m-2025-07
  quote: 陈宇出任北冥科技顾问
  review: accept
"""
    _refused_at(tmp_path, body, "- id: chen-yu-beiming-advisor", "title_zh '顾问': chen-yu-beiming has none")


def test_reported_by_on_a_claim_is_refused_not_dropped(tmp_path: Path) -> None:
    body = """\
tenures:
- id: chen-yu-beiming-advisor
  person: chen-yu
  firm: beiming
  end_cause: advisor
  reported_by: [xingchen]
  source: fic-m-2025-07
  quote: 陈宇出任北冥科技顾问
  review: accept
"""
    _refused_at(tmp_path, body, "- id: chen-yu-beiming-advisor", "reported_by [xingchen]")


def test_a_claims_note_is_kept(tmp_path: Path) -> None:
    body = """\
tenures:
- id: chen-yu-beiming-advisor
  person: chen-yu
  firm: beiming
  end_cause: advisor
  note: the article calls him an adviser, not an employee
  source: fic-m-2025-07
  quote: 陈宇出任北冥科技顾问
  review: accept
"""
    data, code, stderr, _ = _accept(tmp_path, body)
    assert code == 0, stderr
    tenures = yaml.safe_load((data / "tenures.yaml").read_text(encoding="utf-8"))["tenures"]
    (claim,) = next(t for t in tenures if t["id"] == "chen-yu-beiming")["also"]
    assert claim == {
        "source": "fic-m-2025-07",
        "quote": "陈宇出任北冥科技顾问",
        "end_cause": "advisor",
        "note": "the article calls him an adviser, not an employee",
    }
    assert run_cli("--data", str(data), "validate").exit_code == 0


def test_a_name_the_record_does_not_have_is_refused_not_dropped(tmp_path: Path) -> None:
    # "Chen Yu" is the record's name, but 陈宇 is not 陈雨: perhaps another person of the same pinyin
    body = "people:\n- id: new-person-陈宇\n  name: Chen Yu\n  name_zh: 陈宇\n"
    body += "  source: fic-m-2025-07\n  quote: 陈宇出任北冥科技顾问\n  review: accept\n"
    _refused_at(tmp_path, body, "- id: new-person-陈宇", "陈宇 is not a name of chen-yu (Chen Yu, 陈雨)")


def test_a_named_candidate_with_a_records_id_and_none_of_its_names_is_refused(tmp_path: Path) -> None:
    body = "people:\n- id: chen-yu\n  name: Lin Yu\n  source: fic-m-2025-07\n  quote: 陈宇\n  review: accept\n"
    _refused_at(tmp_path, body, "- id: chen-yu", "its id is that of people 'chen-yu' (Chen Yu, 陈雨), but none")


def test_a_deal_with_its_own_id_and_another_amount_is_refused(tmp_path: Path) -> None:
    body = """\
deals:
- id: beiming-xingchen-round-b
  kind: stake
  buyers: [beiming]
  targets: [xingchen]
  amount: 8亿美元
  source: fic-m-2025-07
  quote: 北冥科技已完成对星辰智能的入股
  review: accept
"""
    _refused_at(tmp_path, body, "- id: beiming-xingchen-round-b", "another deal, or a disputed value?")


def test_a_step_beside_one_of_its_status_with_another_date_is_refused(tmp_path: Path) -> None:
    body = """\
deals:
- id: beiming-xingchen-stake
  kind: stake
  buyers: [beiming]
  targets: [xingchen]
  history:
  - date: 2025-03
    status: rumoured
    source: fic-m-2025-07
    quote: 北冥科技已完成对星辰智能的入股
  source: fic-m-2025-07
  quote: 北冥科技已完成对星辰智能的入股
  review: accept
"""
    _refused_at(tmp_path, body, "- id: beiming-xingchen-stake", "the same step dated otherwise, or a second one?")


def test_an_agreement_dated_before_the_rumour_is_refused_as_undecidable(tmp_path: Path) -> None:
    body = """\
deals:
- id: beiming-xingchen-stake
  kind: stake
  buyers: [beiming]
  targets: [xingchen]
  history:
  - date: 2024-12
    status: completed
    source: fic-m-2025-07
    quote: 北冥科技已完成对星辰智能的入股
  source: fic-m-2025-07
  quote: 北冥科技已完成对星辰智能的入股
  review: accept
"""
    message = "goes before the deal's last step (rumoured, 2025-01, from a source published 2025-01-10)"
    _refused_at(tmp_path, body, "- id: beiming-xingchen-stake", message)


def test_a_completed_step_from_a_new_source_after_the_rumour_is_the_deals_status(tmp_path: Path) -> None:
    body = """\
deals:
- id: beiming-xingchen-stake
  kind: stake
  buyers: [beiming]
  targets: [xingchen]
  history:
  - date: 2025-06
    status: completed
    source: fic-m-2025-07
    quote: 北冥科技已完成对星辰智能的入股
  source: fic-m-2025-07
  quote: 北冥科技已完成对星辰智能的入股
  review: accept
"""
    data, code, stderr, _ = _accept(tmp_path, body)
    assert code == 0, stderr
    result = run_cli("--data", str(data), "deals", "--format", "json")
    (row,) = json.loads(result.stdout)
    assert (row["status"], row["when"], row["source"]) == ("completed", "2025-06", "fic-m-2025-07")
    again = run_cli("--data", str(data), "accept", str(tmp_path / "draft-fic-m-2025-07.yaml"))
    assert again.exit_code == 0 and "0 records added, 0 claims added" in again.stderr, again.stderr


# --- where a step goes (aiorg.accept_steps.place) ------------------------------------------------

HISTORY = [
    {"status": "rumoured", "date": "2024-06", "source": "a"},
    {"status": "completed", "date": "2025-01", "source": "b"},
]


def _place(step: dict[str, str], published: str = "2025-03-01", older: str = "2025-02-01") -> Placement | str:
    return place(HISTORY, step, lambda _: date_of(older), date_of(published))


def test_a_step_with_a_status_and_an_overlapping_date_is_a_claim_on_that_step() -> None:
    assert _place({"status": "completed", "date": "2025-01-20"}) == Placement(1, True)
    assert _place({"status": "completed"}) == Placement(1, True)  # undated: the last step, of its status


def test_an_undated_step_of_a_status_the_deal_has_left_is_undecidable() -> None:
    assert "the same step, or the deal back at that status?" in str(_place({"status": "rumoured"}))


def test_an_earlier_status_dated_between_two_steps_goes_between_them() -> None:
    # agreed before completed: history, whatever the sources' dates
    assert _place({"status": "agreed", "date": "2024-10"}) == Placement(1, False)


def test_a_status_as_far_on_as_the_last_dated_before_it_needs_the_last_steps_source_to_be_newer() -> None:
    step = {"status": "abandoned", "date": "2024-10"}
    assert isinstance(_place(step), str)  # the last step's source is older: undecidable
    assert isinstance(_place(step, published=""), str)  # this source's date unknown: undecidable
    assert _place(step, older="2025-04-01") == Placement(1, False)  # the last step's source is newer


def test_a_status_seen_again_after_another_step_is_a_new_step() -> None:
    assert _place({"status": "rumoured", "date": "2025-06"}) == Placement(2, False)
