"""Every command's rows have exactly the keys aiorg.queries.shapes declares, in JSON and CSV alike;
an empty answer is `[]` in JSON and the header in CSV; a profile's CSV is the list you ask for."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from aiorg.errors import ExitCode
from aiorg.queries import shapes
from tests.conftest import run_cli

LISTINGS: list[tuple[list[str], tuple[str, ...]]] = [
    (["people"], shapes.SPELL),
    (["deals"], shapes.DEAL),
    (["timeline"], shapes.TIMELINE),
    (["search", "Wang"], shapes.SEARCH),
    (["path", "meta", "ssi"], shapes.PATH),
    (["flows"], shapes.FLOW),
    (["firms"], shapes.FIRM),
    (["stats"], shapes.STAT),
    (["strategy"], shapes.STRATEGY),
    (["strategy", "--matrix"], shapes.matrix()),
    (["strategy", "--labels"], shapes.LABEL),
]


def _json(*args: str) -> Any:
    result = run_cli(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def _csv(*args: str, fmt: str = "csv") -> tuple[list[str], list[dict[str, str]]]:
    result = run_cli(*args, "--format", fmt)
    assert result.exit_code == 0, result.stderr
    text = result.stdout.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""))
    header, *lines = list(reader)
    return header, [dict(zip(header, line, strict=True)) for line in lines]


@pytest.mark.parametrize(("args", "keys"), LISTINGS, ids=[" ".join(a) for a, _ in LISTINGS])
def test_json_and_csv_rows_have_the_declared_keys(args: list[str], keys: tuple[str, ...]) -> None:
    rows = _json(*args)
    assert rows and all(tuple(row) == keys for row in rows)
    header, lines = _csv(*args)
    assert tuple(header) == keys
    assert [line[keys[0]] for line in lines] == ["" if row[keys[0]] is None else str(row[keys[0]]) for row in rows]


def test_profile_sections_have_the_declared_keys() -> None:
    person = _json("person", "wei-wei")
    firm = _json("firm", "meta")
    expected = {
        "career": shapes.SPELL,
        "quotes": shapes.QUOTE,
        "people_joined": shapes.SPELL,
        "deals_as_buyer": shapes.DEAL,
        "products": shapes.PRODUCT,
        "metrics": shapes.METRIC,
        "claims": shapes.CLAIM,
        "events": shapes.EVENT,
    }
    for key, keys in expected.items():
        rows = person.get(key) or firm.get(key)
        assert rows, key
        assert all(tuple(row) == keys for row in rows), key


@pytest.mark.parametrize(
    ("args", "keys"),
    [
        (["people", "--left", "minimax", "--cause", "founded"], shapes.SPELL),
        (["deals", "--min", "1e15"], shapes.DEAL),
        (["flows", "--from", "apple"], shapes.FLOW),
        (["firm", "apple", "--section", "products"], shapes.PRODUCT),
    ],
)
def test_an_empty_answer_is_an_empty_list_or_the_header(args: list[str], keys: tuple[str, ...]) -> None:
    result = run_cli(*args, "--format", "json")
    assert (result.exit_code, result.stdout) == (ExitCode.OK, "[]\n")
    result = run_cli(*args, "--format", "csv")
    assert (result.exit_code, result.stdout) == (ExitCode.OK, ",".join(keys) + "\n")


def test_a_profile_csv_gives_the_section_asked_for() -> None:
    """`firm apple --format csv` printed the empty 'people who left' header and lost Apple's deals."""
    json_profile = _json("firm", "apple")
    header, lines = _csv("firm", "apple", "--section", "deals")
    assert tuple(header) == ("section", *shapes.DEAL)
    expected = [("deals_as_buyer", d["deal"]) for d in json_profile["deals_as_buyer"]]
    expected += [("deals_as_target", d["deal"]) for d in json_profile["deals_as_target"]]
    assert expected and [(line["section"], line["deal"]) for line in lines] == expected
    header, lines = _csv("firm", "apple", "--section", "deals_as_buyer")
    assert tuple(header) == shapes.DEAL
    assert [line["deal"] for line in lines] == [d["deal"] for d in json_profile["deals_as_buyer"]]
    assert _json("firm", "apple", "--section", "deals_as_buyer") == json_profile["deals_as_buyer"]


def test_a_profile_csv_without_a_section_asks_for_one() -> None:
    result = run_cli("firm", "apple", "--format", "csv")
    assert result.exit_code == ExitCode.USAGE_ERROR
    assert result.stderr.startswith("aiorg: error: a profile's csv output is one list: choose it with --section (")
    result = run_cli("person", "wei-wei", "--section", "nope")
    assert result.exit_code == ExitCode.USAGE_ERROR
    assert result.stderr == "aiorg: error: --section: no section 'nope'; choose from career, deals, events, quotes\n"


def test_strategy_csv_has_the_json_keys_and_values() -> None:
    rows = _json("strategy")
    header, lines = _csv("strategy")
    assert tuple(header) == tuple(rows[0])
    for row, line in zip(rows, lines, strict=True):
        assert json.loads(line["derived"] or "[]") == row["derived"]
        assert json.loads(line["signals"]) == row["signals"]
        assert line["agreement"] == row["agreement"]


def test_excel_csv_has_a_bom_and_crlf_and_the_same_rows() -> None:
    from typer.testing import CliRunner

    from aiorg.cli.main import app

    raw = CliRunner().invoke(app, ["people", "--left", "minimax", "--format", "excel"]).stdout_bytes
    assert raw.startswith("\ufeffperson,name,name_zh,".encode())
    assert raw.count(b"\r\n") == raw.count(b"\n") == 3
    assert "魏伟".encode() in raw
    assert _csv("people", "--left", "minimax", fmt="excel") == _csv("people", "--left", "minimax")
