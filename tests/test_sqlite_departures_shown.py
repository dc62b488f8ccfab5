"""The SQLite export's `departures` shows, per role spell, what `aiorg people --left` shows: the
cause shown first, every claimed cause in the rule's order, the date shown and its dispute note,
and which fields are disputed (s27 persona review: it showed the spell's own source's values,
claimed causes own source first, and no flag on a disputed end date).

The disputes fixture below is FICTIONAL: every person, firm, source and quote is invented."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import BUNDLED_DATA, run_cli

SOURCES = """\
# FICTIONAL sources for a test: every one is invented.
sources:
  - id: qinghe-zh-2024-11
    title: 青禾智能高管变动（虚构示例）
    publisher: Fictional Qinghe Daily
    kind: article
    published: 2024-11-05
    language: zh
  - id: harbour-en-2025-01
    title: Qinghe AI executives (fictional example)
    publisher: Fictional Harbour Gazette
    kind: article
    published: 2025-01-20
    language: en
  - id: qinghe-statement-2025-03
    title: Qinghe AI statement (fictional example)
    publisher: Qinghe AI (fictional)
    kind: official_statement
    published: 2025-03-10
    language: en
"""
FIRMS = """\
firms:
  - id: qinghe
    name: Qinghe AI
    name_zh: 青禾智能
    country: CN
    category: startup
    source: qinghe-zh-2024-11
    quote: 青禾智能
  - id: qinghe-lab
    name: Qinghe Lab
    name_zh: 青禾实验室
    country: CN
    parent: qinghe
    source: qinghe-zh-2024-11
    quote: 青禾实验室
"""
PEOPLE = """\
people:
  - id: lin-xia
    name: Lin Xia
    name_zh: 林霞
    source: qinghe-zh-2024-11
    quote: 林霞
  - id: mark-ellis
    name: Mark Ellis
    source: harbour-en-2025-01
    quote: Mark Ellis
  - id: gao-feng
    name: Gao Feng
    name_zh: 高峰
    source: qinghe-zh-2024-11
    quote: 高峰
  - id: song-yu
    name: Song Yu
    name_zh: 宋雨
    source: qinghe-zh-2024-11
    quote: 宋雨
"""
TENURES = """\
tenures:
  # the own source says left, a newer article says founded, preferred: founded is shown first
  - id: lin-xia-qinghe-cto
    person: lin-xia
    firm: qinghe
    title: CTO
    end: ..2024-11
    end_cause: left
    source: qinghe-zh-2024-11
    quote: 青禾智能首席技术官林霞已离开公司
    also:
      - source: harbour-en-2025-01
        quote: Qinghe AI's former CTO Lin Xia left to found her own start-up
        end_cause: founded
        preferred: she is quoted on record saying so
  # end disputed (2024-10 own, 2024-09 newer) and cause disputed (left, advisor)
  - id: gao-feng-qinghe-research
    person: gao-feng
    firm: qinghe
    title: Head of research
    end: 2024-10
    end_cause: left
    source: qinghe-zh-2024-11
    quote: 青禾智能研究负责人高峰已于2024年10月离职
    also:
      - source: harbour-en-2025-01
        quote: Gao Feng left Qinghe AI in September 2024
        end: 2024-09
        end_cause: left
      - source: qinghe-statement-2025-03
        quote: Gao Feng has moved to an advisor role at Qinghe AI
        end_cause: advisor
  # at a unit: its own source says demoted, another says left (a departure by any claim)
  - id: mark-ellis-qinghe-lab
    person: mark-ellis
    firm: qinghe-lab
    title: Lab director
    end: 2024-12
    end_cause: demoted
    source: harbour-en-2025-01
    quote: Mark Ellis was moved out of the lab director job
    also:
      - source: qinghe-statement-2025-03
        quote: Mark Ellis left Qinghe Lab
        end_cause: left
  # one source, undisputed
  - id: song-yu-qinghe-product
    person: song-yu
    firm: qinghe
    title: Head of product
    end: 2024-08
    end_cause: left
    source: qinghe-zh-2024-11
    quote: 产品负责人宋雨8月离职
  # still in the role: no departure
  - id: song-yu-qinghe-lab
    person: song-yu
    firm: qinghe-lab
    title: Adviser
    start: 2024-09
    source: qinghe-zh-2024-11
    quote: 宋雨9月加入青禾实验室
"""

#: departures column -> the CLI's json key of the same meaning (the names the columns had are kept)
SAME = {
    "person_id": "person",
    "person": "name",
    "person_zh": "name_zh",
    "firm_id": "firm",
    "title": "title",
    "end_cause": "cause",
    "end": "end",
    "certainty": "certainty",
    "tenure": "tenure",
    "source": "source",
    "quote": "quote",
    "cause_text": "cause_text",
    "when": "when",
    "disputed": "disputed",
    "checked": "checked",
}


@pytest.fixture(scope="module")
def disputes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("fictional-disputes") / "data"
    data.mkdir()
    for name, text in (("sources", SOURCES), ("firms", FIRMS), ("people", PEOPLE), ("tenures", TENURES)):
        (data / f"{name}.yaml").write_text(text, encoding="utf-8")
    return data


def _departures(data: Path, out: Path, *options: str) -> list[dict[str, Any]]:
    result = run_cli("--data", str(data), *options, "export", "sqlite", str(out))
    assert result.exit_code == 0, result.stderr
    db = sqlite3.connect(out)
    db.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in db.execute("SELECT * FROM departures ORDER BY tenure")]
    finally:
        db.close()


def _cli_rows(data: Path, firms: list[str], *options: str) -> dict[str, dict[str, Any]]:
    """tenure -> the json row `aiorg people --left FIRM` gives it, over the firms given."""
    found: dict[str, dict[str, Any]] = {}
    for firm in firms:
        result = run_cli("--data", str(data), *options, "people", "--left", firm, "--format", "json")
        assert result.exit_code == 0, result.stderr
        for row in json.loads(result.stdout):
            assert found.setdefault(row["tenure"], row) == row
    return found


def _firms(data: Path) -> list[str]:
    result = run_cli("--data", str(data), "firms", "--format", "json")
    assert result.exit_code == 0, result.stderr
    return [row["firm"] for row in json.loads(result.stdout)]


def _assert_agree(rows: list[dict[str, Any]], cli: dict[str, dict[str, Any]]) -> None:
    assert sorted(row["tenure"] for row in rows) == sorted(cli)
    for row in rows:
        shown = cli[row["tenure"]]
        both = [column for column in SAME if column in row]  # the values first, then the columns
        got = {column: json.loads(row[column]) if column == "disputed" else row[column] for column in both}
        assert got == {column: shown[SAME[column]] for column in both}, row["tenure"]
        assert set(SAME) <= set(row)
        assert row["cause_disputed"] == ("end_cause" in shown["disputed"])
        assert row["end_disputed"] == ("end" in shown["disputed"])
        if "end_cause" in shown["disputed"]:  # the claimed causes, in the order the CLI lists them
            assert row["claimed_causes"] == shown["cause_text"].rsplit(" (disputed", 1)[0]


def test_bundled_departures_are_the_cli_rows(tmp_path: Path) -> None:
    rows = _departures(BUNDLED_DATA, tmp_path / "kb.db")
    assert rows
    _assert_agree(rows, _cli_rows(BUNDLED_DATA, _firms(BUNDLED_DATA)))


@pytest.mark.parametrize("known", [(), ("--known-as-of", "2025-01-20"), ("--known-as-of", "2024-12-31")])
def test_disputed_departures_are_the_cli_rows(disputes: Path, tmp_path: Path, known: tuple[str, ...]) -> None:
    rows = _departures(disputes, tmp_path / "kb.db", *known)
    _assert_agree(rows, _cli_rows(disputes, ["qinghe", "qinghe-lab"], *known))


def test_disputed_departures_show_the_rule_first(disputes: Path, tmp_path: Path) -> None:
    """The values themselves, read against the README's rule (preferred, then kind, then newest)."""
    rows = {row["tenure"]: row for row in _departures(disputes, tmp_path / "kb.db")}
    assert set(rows) == {
        "lin-xia-qinghe-cto",
        "gao-feng-qinghe-research",
        "mark-ellis-qinghe-lab",
        "song-yu-qinghe-product",
    }
    lin = rows["lin-xia-qinghe-cto"]
    assert (lin["end_cause"], lin["claimed_causes"], lin["cause_disputed"]) == ("founded", "founded | left", 1)
    assert (lin["source"], lin["end_disputed"]) == ("harbour-en-2025-01", 0)
    gao = rows["gao-feng-qinghe-research"]
    assert (gao["end_cause"], gao["claimed_causes"]) == ("advisor", "advisor | left")  # a statement outranks
    assert (gao["end"], gao["end_earliest"], gao["end_latest"]) == ("2024-09", "2024-09-01", "2024-09-30")
    assert gao["when"] == "2024-09 | 2024-10 (disputed, 2 sources)"
    assert (gao["end_disputed"], json.loads(gao["disputed"])) == (1, ["end", "end_cause"])
    mark = rows["mark-ellis-qinghe-lab"]
    assert (mark["firm"], mark["end_cause"], mark["claimed_causes"]) == ("Qinghe Lab", "left", "left | demoted")
    song = rows["song-yu-qinghe-product"]
    assert (song["end_cause"], song["claimed_causes"], song["cause_disputed"], song["disputed"]) == (
        "left",
        None,
        0,
        "[]",
    )
