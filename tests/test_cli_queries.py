"""The query commands: exit codes, rows, JSON shape, and JSON equal to the library's answer."""

from __future__ import annotations

import csv
import io
import json
import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from aiorg import network, queries
from aiorg.errors import ExitCode
from aiorg.kb import KnowledgeBase
from aiorg.model import EndCause
from aiorg.money import Money
from aiorg.names import NameIndex
from aiorg.queries.flows import flow_answer
from tests.conftest import run_cli

GOLDEN = Path(__file__).parent / "golden"


def _json(*args: str) -> Any:
    result = run_cli(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_people_json_equals_the_library(bundled_kb: KnowledgeBase) -> None:
    assert _json("people", "--left", "minimax") == queries.people(bundled_kb, left="minimax")
    assert _json("people", "--cause", "advisor") == queries.people(bundled_kb, cause=EndCause.ADVISOR)
    assert _json("people", "--at", "minimax", "--as-of", "2025-01-01") == queries.people(
        bundled_kb, at="minimax", as_of=date(2025, 1, 1)
    )


def test_other_listings_json_equals_the_library(bundled_kb: KnowledgeBase) -> None:
    assert _json("deals", "--min", "10e9") == queries.deals(bundled_kb, minimum=Money.parse("10e9"))
    assert _json("timeline", "--firm", "stepfun") == queries.timeline(bundled_kb, firm="stepfun")
    assert _json("flows") == queries.flows(bundled_kb) == flow_answer(bundled_kb).rows
    assert _json("firms") == queries.firms(bundled_kb)
    assert _json("search", "冒泡鸭") == queries.search(bundled_kb, NameIndex(bundled_kb), "冒泡鸭")
    assert _json("path", "meta", "ssi") == network.connections(bundled_kb, "meta", "ssi")
    assert _json("person", "wei-wei") == queries.person_profile(bundled_kb, "wei-wei")
    assert _json("firm", "minimax") == queries.firm_profile(bundled_kb, "minimax")


def test_people_row_shape() -> None:
    rows = _json("people", "--left", "minimax")
    assert isinstance(rows, list)
    assert list(rows[0]) == [
        "person",
        "name",
        "name_zh",
        "firm",
        "firm_name",
        "title",
        "title_zh",
        "area",
        "kind",
        "state",
        "cause",
        "cause_text",
        "formal_departure",
        "start",
        "end",
        "when",
        "certainty",
        "disputed",
        "inferred",
        "tenure",
        "source",
        "sources",
        "quote",
        "checked",
    ]


def test_csv_has_the_same_rows_and_order_as_json() -> None:
    rows = _json("deals")
    result = run_cli("deals", "--format", "csv")
    assert result.exit_code == 0
    parsed = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["deal"] for r in parsed] == [r["deal"] for r in rows]
    assert list(parsed[0]) == list(rows[0])


@pytest.mark.parametrize("name", ["minimax", "MiniMax", "MINIMAX", "ＭｉｎｉＭａｘ", " minimax "])
def test_names_resolve_case_and_width_insensitively(name: str) -> None:
    assert _json("firm", name)["firm"] == "minimax"


@pytest.mark.parametrize(
    ("name", "record"),
    [
        ("月之暗面", "moonshot"),
        ("moonshot", "moonshot"),
        ("Moonshot AI", "moonshot"),
        ("Facebook", "meta"),
        ("零一万物", "01ai"),
        ("01.AI", "01ai"),
        ("SSI", "ssi"),
        ("字节", "bytedance"),
        ("谷歌", "google"),
    ],
)
def test_firm_names_in_both_scripts(name: str, record: str) -> None:
    assert _json("firm", name)["firm"] == record


@pytest.mark.parametrize(
    ("name", "record"),
    [
        ("张前川", "zhang-qianchuan"),
        ("zhang qianchuan", "zhang-qianchuan"),
        ("扎克伯格", "mark-zuckerberg"),
        ("约翰詹南德雷亚", "john-giannandrea"),
    ],
)
def test_person_names_in_both_scripts(name: str, record: str) -> None:
    assert _json("person", name)["person"] == record


def test_unknown_person_suggests() -> None:
    result = run_cli("person", "Zhang Qianchaun")
    assert result.exit_code == ExitCode.NOT_FOUND
    assert "did you mean 'Zhang Qianchuan (张前川)'" in result.stderr
    assert result.stdout == ""


def test_ambiguous_name_lists_candidates(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "kb.yaml").write_text(
        "sources:\n  - {id: s, title: T}\n"
        "people:\n"
        "  - {id: wang-a, name: Wang A, aliases: [Wang], source: s, quote: q}\n"
        "  - {id: wang-b, name: Wang B, aliases: [Wang], source: s, quote: q}\n",
        encoding="utf-8",
    )
    result = run_cli("--data", str(data), "person", "wang")
    assert result.exit_code == ExitCode.NOT_FOUND
    assert result.stderr == "aiorg: error: 'wang' names 2 people: Wang A [wang-a], Wang B [wang-b]; give the id\n"


@pytest.mark.parametrize(
    "amount", ["10e9", "1e10", "10B", "10bn", "$10 billion", "100亿", "100亿美元", "10,000,000,000"]
)
def test_money_options_accept_what_people_type(amount: str) -> None:
    assert [r["deal"] for r in _json("deals", "--min", amount)][:1] == ["meta-ssi-acquisition"]
    assert len(_json("deals", "--min", amount)) == 6


@pytest.mark.parametrize("amount", ["1.4e10", "$14.3 billion", "143亿", "143亿美元"])
def test_money_options_around_14_billion(amount: str) -> None:
    rows = _json("deals", "--min", amount, "--basis", "amount")
    # $14.3B itself is "at least" 14.3B, so the Scale AI stake is in range for every spelling.
    assert [r["deal"] for r in rows] == ["wang-scale-ask", "meta-scale-stake"]


@pytest.mark.parametrize("junk", ["abc", "1e", "ten billion", "$"])
def test_money_junk_is_a_usage_error(junk: str) -> None:
    result = run_cli("deals", "--min", junk)
    assert result.exit_code == ExitCode.USAGE_ERROR
    assert result.stderr.startswith("aiorg: error: --min: ") and result.stdout == ""


def test_bad_choice_is_a_usage_error_with_a_suggestion() -> None:
    result = run_cli("deals", "--status", "agred")
    assert result.exit_code == ExitCode.USAGE_ERROR
    assert "did you mean 'agreed'?" in result.stderr


def test_no_named_departures_says_so_on_stderr() -> None:
    result = run_cli("people", "--left", "01ai", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []
    assert "six-dragons-executive-departures" in result.stderr


def test_search_with_no_match_suggests() -> None:
    result = run_cli("search", "moonsht")
    assert result.exit_code == ExitCode.NOT_FOUND
    assert "did you mean 'Moonshot AI (月之暗面)'?" in result.stderr


def test_rich_markup_in_data_prints_literally(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "kb.yaml").write_text(
        "sources:\n  - {id: s, title: T}\nfirms:\n  - {id: f, name: '[bold red]Evil[/] Co', source: s, quote: q}\n",
        encoding="utf-8",
    )
    result = run_cli("--data", str(data), "firms")
    assert result.exit_code == 0
    assert "[bold red]Evil[/] Co" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["people", "--left", "minimax"],
        ["deals", "--min", "10e9"],
        ["path", "meta", "ssi"],
        ["flows"],
        ["timeline", "--person", "张心皓"],
    ],
    ids=lambda args: "_".join(a.strip("-") for a in args),
)
def test_golden_tables(args: list[str]) -> None:
    result = run_cli(*args, env={"COLUMNS": "120", "NO_COLOR": "1"})
    assert result.exit_code == 0
    golden = GOLDEN / ("_".join(a.strip("-") for a in args) + ".txt")
    if os.environ.get("AIORG_UPDATE_GOLDEN"):  # regenerate on purpose, then review the diff
        golden.write_text(result.stdout, encoding="utf-8")
    assert golden.exists(), f"missing golden file {golden.name}; run with AIORG_UPDATE_GOLDEN=1 and review it"
    assert result.stdout == golden.read_text(encoding="utf-8")
