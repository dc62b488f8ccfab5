"""`people --at FIRM` never presents a spell of unknown state as a stated current role.

A spell that began and that no source ends or calls current (`state: unknown`) is listed by
`--at`, since nothing says it ended, and its row says "end not stated" in `cause_text`, so a
table, CSV and JSON read alike. A stated-current spell, a planned one (its Certainty says so) and
one whose state sources dispute (its note says so) are unchanged, and so is every other listing
of the same spell: `--left`, `--joined`, a profile's career.

The knowledge base below is FICTIONAL: an invented report about an invented firm.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aiorg import queries
from aiorg.asof import as_of_day
from aiorg.model import Area
from aiorg.queries.people import NO_END
from tests import oracle
from tests.conftest import one_file_kb, run_cli
from tests.test_oracle import AS_OF, FIRMS, _folder, _load, knowledge_bases

SEED = (
    "虚构报道：北辰智能首席技术官张伟于2023年加入。北辰计划由欧阳明远出任首席执行官。"
    "李娜目前仍担任北辰研究负责人。陈华2022年加入北辰，2024年6月离职。\n"
)

KB = """\
sources:
  - {id: s1, title: 北辰人事（虚构）, kind: article, published: 2024-10-08, file: ../seeds/s1.txt}
firms:
  - {id: beichen, name: Beichen, name_zh: 北辰智能, country: CN, source: s1, quote: 北辰智能}
people:
  - {id: zhang-wei, name: Zhang Wei, name_zh: 张伟, source: s1, quote: 张伟}
  - {id: ouyang, name: Ouyang Mingyuan, name_zh: 欧阳明远, source: s1, quote: 欧阳明远}
  - {id: li-na, name: Li Na, name_zh: 李娜, source: s1, quote: 李娜}
  - {id: chen-hua, name: Chen Hua, name_zh: 陈华, source: s1, quote: 陈华}
tenures:
  - {id: zhang-wei-bc, person: zhang-wei, firm: beichen, title: CTO, start: 2023,
     source: s1, quote: 北辰智能首席技术官张伟于2023年加入}
  - {id: ouyang-bc, person: ouyang, firm: beichen, title: CEO, start: 2024-10, certainty: planned,
     source: s1, quote: 北辰计划由欧阳明远出任首席执行官}
  - {id: li-na-bc, person: li-na, firm: beichen, title: Head of research, current: true,
     source: s1, quote: 李娜目前仍担任北辰研究负责人}
  - {id: chen-hua-bc, person: chen-hua, firm: beichen, title: VP, start: 2022, end: 2024-06, end_cause: left,
     source: s1, quote: 陈华2022年加入北辰，2024年6月离职}
"""


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = one_file_kb(tmp_path_factory.mktemp("people-at"), KB, {"s1.txt": SEED})
    assert run_cli("--data", str(data), "validate").exit_code == 0
    return data


def _out(kb: Path, *args: str) -> str:
    result = run_cli("--data", str(kb), *args, env={"COLUMNS": "80", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.stderr
    return result.stdout


def _causes(kb: Path, *args: str) -> dict[str, str]:
    """tenure -> cause_text of each JSON row."""
    return {row["tenure"]: row["cause_text"] for row in json.loads(_out(kb, *args, "--format", "json"))}


def test_a_spell_no_source_ends_or_calls_current_says_so(kb: Path) -> None:
    assert _causes(kb, "people", "--at", "beichen") == {
        "zhang-wei-bc": NO_END,  # began 2023, no end stated: not a stated current role
        "ouyang-bc": "",  # planned: its Certainty says so; it may not have begun
        "li-na-bc": "",  # stated current
    }
    assert NO_END == "end not stated"


def test_json_csv_and_the_table_agree(kb: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(_out(kb, "people", "--at", "beichen", "--format", "csv"))))
    assert {row["tenure"]: row["cause_text"] for row in rows}["zhang-wei-bc"] == NO_END
    table = _out(kb, "people", "--at", "beichen")
    (line,) = [line for line in table.splitlines() if line.startswith("│ Zhang Wei")]
    assert "end not" in line or NO_END in line, table
    assert max(len(line) for line in table.splitlines()) <= 80


def test_as_of_and_known_as_of_say_so_too(kb: Path) -> None:
    # on 2024-01 Chen Hua's spell (ended 2024-06) was running: current then, no mark; Li Na's
    # has no start, so it is taken to exist already; Ouyang's planned one starts later
    assert _causes(kb, "people", "--at", "beichen", "--as-of", "2024-01") == {
        "zhang-wei-bc": NO_END,
        "chen-hua-bc": "",
        "li-na-bc": "",
    }
    known = _causes(kb, "--known-as-of", "2024-12", "people", "--at", "beichen")
    assert known["zhang-wei-bc"] == NO_END and known["li-na-bc"] == ""


def test_the_other_listings_and_the_profiles_are_unchanged(kb: Path) -> None:
    assert _causes(kb, "people", "--joined", "beichen")["zhang-wei-bc"] == ""
    career = json.loads(_out(kb, "person", "zhang-wei", "--section", "career", "--format", "json"))
    assert [row["cause_text"] for row in career] == [""]
    profile = json.loads(_out(kb, "firm", "beichen", "--format", "json"))
    assert NO_END not in json.dumps(profile, ensure_ascii=False)
    assert NO_END not in _out(kb, "firm", "beichen") + _out(kb, "person", "zhang-wei")


def test_the_help_says_what_at_lists() -> None:
    result = run_cli("people", "--help", env={"COLUMNS": "200"})
    assert "no end stated" in " ".join(result.stdout.split())


@given(
    spec=knowledge_bases(),
    cached=st.booleans(),
    at=st.sampled_from(FIRMS),
    joined=st.one_of(st.none(), st.none(), st.sampled_from(FIRMS)),
    area=st.one_of(st.none(), st.none(), st.sampled_from([a.value for a in Area])),
    as_of=st.sampled_from([None, None, *AS_OF]),
)
def test_at_equals_the_oracle(
    scratch: Path, spec: Any, cached: bool, at: str, joined: str | None, area: str | None, as_of: str | None
) -> None:
    """--at alone (test_oracle.py draws it beside --left, which mostly makes it a usage error or empty)."""
    kb = _load(spec, _folder(scratch), cached)
    day = as_of_day(as_of) if as_of else None
    firms = oracle.family(spec, at) & (oracle.family(spec, joined) if joined else oracle.family(spec, at))
    if not firms:
        return  # --at and --joined name unrelated firms: a usage error (test_oracle.py checks it)
    rows = queries.people(kb, at=at, joined=joined, area=Area(area) if area else None, as_of=day)
    assert rows == oracle.people_rows(spec, at=at, joined=joined, area=area, as_of=day)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("people-at-oracle")
