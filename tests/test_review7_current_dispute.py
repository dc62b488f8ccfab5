"""Review 7 defect: two sources disagree on whether a role spell is still running, and aiorg
hides it.

A FICTIONAL knowledge base: a report (article, 2024-10) says Wang Fang (王芳), head of research
at Tianqiong Lab, moved to an advisor role in 2024-10; the lab's later official statement says
she "remains head of research" (`current: true`). One source ends the spell, the other says it
is ongoing. The README promises "aiorg shows the disagreement, never hides it" and "filters match
on every claimed value", yet:

- `conflicts` lists nothing for the spell (the `current` claim has nobody stating `current:
  false`, and `end`/`end_cause` have one value each, so no field is "disputed");
- the `people` row says `disputed: []`, state `ended`;
- `people --at tianqiong-lab` (who is at the lab) does not find her, though the weightiest
  source says she is there;
- when the official statement is the record's own source, the row says `ended`, cause advisor,
  and quotes "Wang Fang remains head of research at Tianqiong Lab" as its evidence.

Smallest fix (aiorg/claims.py): treat a source's `current: true` as disputing another source's
`end`/`end_cause` (and `current: false` likewise), e.g. derive a per-source spell state and
count `current` as disputed when the sources' states differ, so `conflicts`, `disputed`, the
`cause_text` and the filters all see it; or, if that is not wanted, refuse the combination in
the loader as `convert.py` already refuses it within one record ("is marked current but also has
an end").
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import one_file_kb, run_cli

ZH = "天穹集团旗下的天穹实验室研究负责人王芳改任顾问。\n"
EN = "Tianqiong statement. Wang Fang remains head of research at Tianqiong Lab.\n"

HEAD = """\
sources:
  - id: s-zh
    title: 天穹实验室人事变动（虚构）
    kind: article
    published: 2024-10-08
    file: ../seeds/zh.txt
  - id: s-en
    title: Tianqiong statement (fictional)
    kind: official_statement
    published: 2025-03-15
    file: ../seeds/en.txt
firms:
  - id: tianqiong
    name: Tianqiong Group
    name_zh: 天穹集团
    source: s-zh
    quote: 天穹集团
  - id: tianqiong-lab
    name: Tianqiong Lab
    name_zh: 天穹实验室
    parent: tianqiong
    source: s-zh
    quote: 天穹集团旗下的天穹实验室
people:
  - id: wang-fang
    name: Wang Fang
    name_zh: 王芳
    source: s-zh
    quote: 研究负责人王芳
tenures:
  - id: wang-fang-lab
    person: wang-fang
    firm: tianqiong-lab
    title: Head of research
    kind: executive
"""

ARTICLE_OWN = """\
    end: 2024-10
    end_cause: advisor
    source: s-zh
    quote: 天穹实验室研究负责人王芳改任顾问
    also:
      - source: s-en
        quote: Wang Fang remains head of research at Tianqiong Lab
        current: true
"""

STATEMENT_OWN = """\
    current: true
    source: s-en
    quote: Wang Fang remains head of research at Tianqiong Lab
    also:
      - source: s-zh
        quote: 天穹实验室研究负责人王芳改任顾问
        end: 2024-10
        end_cause: advisor
"""


def _kb(root: Path, spell: str) -> Path:
    return one_file_kb(root, HEAD + spell, {"zh.txt": ZH, "en.txt": EN})


@pytest.fixture(scope="module", params=["article-own", "statement-own"])
def kb_data(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    spell = ARTICLE_OWN if request.param == "article-own" else STATEMENT_OWN
    data = _kb(tmp_path_factory.mktemp("review7-current"), spell)
    assert run_cli("--data", str(data), "validate").exit_code == 0
    return data


def _json(data: Path, *args: str) -> list[dict[str, Any]]:
    result = run_cli("--data", str(data), *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows: list[dict[str, Any]] = json.loads(result.stdout)
    return rows


def test_conflicts_lists_a_spell_one_source_ends_and_another_calls_current(kb_data: Path) -> None:
    rows = _json(kb_data, "conflicts")
    mine = [r for r in rows if r["record"] == "wang-fang-lab"]
    assert {r["source"] for r in mine} == {"s-zh", "s-en"}, rows


def test_the_people_row_says_the_spell_is_disputed(kb_data: Path) -> None:
    (row,) = _json(kb_data, "person", "wang-fang", "--section", "career")
    assert row["disputed"] != [], row


def test_at_finds_a_spell_a_source_calls_current(kb_data: Path) -> None:
    rows = _json(kb_data, "people", "--at", "tianqiong-lab")
    assert [r["tenure"] for r in rows] == ["wang-fang-lab"]


def test_the_timeline_keeps_the_end_a_source_gives_and_marks_it_disputed(kb_data: Path) -> None:
    (row,) = [r for r in _json(kb_data, "timeline") if r["record"] == "wang-fang-lab"]
    assert (row["date"], row["kind"]) == ("2024-10", "role_end:advisor"), row
    assert row["text"].endswith("ends — still in the role | moved to advisor role (has not formally left) "
                                "(disputed, 2 sources)"), row  # fmt: skip
    assert "current" in row["disputed"], row


def test_strategy_marks_the_dispute_on_whether_the_role_is_held(tmp_path: Path) -> None:
    """The report is preferred, so the move is counted; its line says the statement disagrees."""
    preferred = STATEMENT_OWN.replace("        end: 2024-10\n", "        end: 2024-10\n        preferred: a test\n")
    (firm,) = _json(_kb(tmp_path, preferred), "strategy", "tianqiong")  # the lab rolls up to its group
    (line,) = [e for e in firm["evidence"] if e["record"] == "wang-fang-lab"]
    assert line["signal"] == "advisor_moves", line
    assert "current: moved to advisor role (has not formally left) | still in the role" in line["text"], line
    assert line["source"] == "s-zh", line  # the preferred report, shown first


def test_the_export_claims_only_what_each_source_says(kb_data: Path) -> None:
    from aiorg.export.sqlite_claims import record_claims
    from aiorg.loader import load

    (tenure,) = [t for t in load(kb_data, cache=None).tenures if t.id == "wang-fang-lab"]
    said = {(claim[3], claim[4], claim[5]) for claim in record_claims(tenure)}
    assert ("current", "true", "s-en") in said
    assert not [c for c in said if c[0] == "current" and c[1] == "false"], said  # read from an end, not stated


def test_one_source_saying_both_ongoing_and_ended_disputes_nothing(tmp_path: Path) -> None:
    """An `also` item with `current: true` and an end (the loader refuses that on a record) is one
    source's word: it does not dispute itself, and the end it gives is shown."""
    both = ARTICLE_OWN.replace("        current: true\n", "        current: true\n        end: 2024-11\n")
    data = _kb(tmp_path, both.replace("    end: 2024-10\n    end_cause: advisor\n", ""))
    (row,) = _json(data, "person", "wang-fang", "--section", "career")
    assert (row["state"], row["end"], row["disputed"]) == ("ended", "2024-11", []), row
