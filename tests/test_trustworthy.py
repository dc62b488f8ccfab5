"""Issue 11's reproductions on the bundled data: each failed on the main it was filed against."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date

import pytest

from aiorg import network, queries
from aiorg.errors import ExitCode
from aiorg.kb import KnowledgeBase
from aiorg.model import EndCause
from tests.conftest import REPO, run_cli


def _who(rows: list[dict[str, object]]) -> list[object]:
    return [row["person"] for row in rows]


def test_as_of_combines_with_left(bundled_kb: KnowledgeBase) -> None:
    # Both MiniMax departures happened before July 2025.
    assert _who(queries.people(bundled_kb, left="minimax", as_of=date(2025, 7, 31))) == [
        "zhang-qianchuan",
        "wei-wei",
    ]
    # By the end of 2024 張前川 had moved to advisor (2024-09); Wei Wei left between 2024-12 and
    # 2025-06, so the dates cannot say, and he is named as undecided rather than listed.
    assert _who(queries.people(bundled_kb, left="minimax", as_of=date(2024, 12, 31))) == ["zhang-qianchuan"]
    assert queries.people_undecided(bundled_kb, left="minimax", as_of=date(2024, 12, 31)) == [
        "wei-wei-minimax-commercial"
    ]
    assert "zhang-qianchuan" in _who(queries.people(bundled_kb, cause=EndCause.ADVISOR, as_of=date(2025, 7, 31)))


def test_as_of_hides_a_later_end(bundled_kb: KnowledgeBase) -> None:
    rows = queries.people(bundled_kb, at="minimax", as_of=date(2024, 6, 30))
    assert {(r["person"], r["state"], r["cause"], r["end"]) for r in rows} == {
        ("zhang-qianchuan", "current", None, None),
        ("wei-wei", "current", None, None),
    }


def test_as_of_cli_names_undecided_spells() -> None:
    result = run_cli("people", "--as-of", "2024-12", "--left", "minimax", "--format", "json")
    assert result.exit_code == ExitCode.OK
    assert "wei-wei-minimax-commercial" in result.stderr
    assert "no named departures" not in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["people", "--left", ""],
        ["people", "--joined", " "],
        ["people", "--at", ""],
        ["people", "--since", ""],
        ["people", "--until", ""],
        ["deals", "--party", ""],
        ["timeline", "--firm", ""],
        ["timeline", "--person", ""],
        ["flows", "--from", ""],
        ["firms", "--group", ""],
        ["export", "json", "-", "--focus", ""],
        ["strategy", ""],
        ["search", ""],
        ["--data", "", "people"],
    ],
)
def test_empty_values_are_usage_errors(args: list[str]) -> None:
    result = run_cli(*args)
    assert result.exit_code == ExitCode.USAGE_ERROR, result.stdout
    assert result.stdout == ""
    assert result.stderr.startswith("aiorg: error: ") and "empty value" in result.stderr
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["deals", "--min", "20e9", "--max", "10e9"], "--min $20B is more than --max $10B"),
        (["people", "--since", "2026", "--until", "2024"], "--since 2026-01-01 is after --until 2024-12-31"),
        (["people", "--formal", "--cause", "advisor"], "--formal keeps only causes left and founded"),
        (["people", "--left", "minimax", "--joined", "moonshot"], "different firms"),
        (["people", "--left", "minimax", "--at", "moonshot"], "different firms"),
        (["deals", "--min", "100亿元"], "--min is in CNY"),
        (["deals", "--min", "¥10B"], "--min is in CNY"),
        (["deals", "--min", "€10B"], "--min is in EUR"),
        (["people", "--since", "2025-13"], "--since: '2025-13' has no month 13"),
    ],
)
def test_contradictions_and_currencies_are_one_line_usage_errors(args: list[str], message: str) -> None:
    result = run_cli(*args)
    assert result.exit_code == ExitCode.USAGE_ERROR
    assert result.stdout == ""
    assert result.stderr.startswith("aiorg: error: ") and message in result.stderr


def test_a_rate_makes_other_currencies_comparable() -> None:
    result = run_cli("deals", "--min", "100亿元", "--rate", "CNY=0.14", "--format", "json")
    assert result.exit_code == ExitCode.OK
    assert "meta-scale-stake" in result.stdout  # $14.3B >= 100亿元 at 0.14 USD/CNY ($1.4B)


def test_path_lists_every_connection_shortest_first(bundled_kb: KnowledgeBase) -> None:
    rows = network.connections(bundled_kb, "daniel-gross", "meta")
    paths: dict[int, list[str]] = {}
    for row in rows:
        paths.setdefault(int(row["path"]), []).append(str(row["to"]))
    assert next(iter(paths.values())) == ["meta-gross-friedman-recruitment", "meta"]
    assert ["ssi", "meta-ssi-acquisition", "meta"] in paths.values()  # Gross is CEO of the SSI Meta bid for
    assert [len(p) for p in paths.values()] == sorted(len(p) for p in paths.values())


def test_unconnected_records_are_said_to_be() -> None:
    result = run_cli("path", "meta", "apple", "--max-hops", "2")
    assert result.exit_code == ExitCode.OK
    assert result.stdout == ""
    assert "not connected within 2 hops" in result.stderr


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "aiorg", *args], cwd=REPO, env=env, capture_output=True, timeout=60, check=False
    )


def test_ascii_locale_reads_chinese_arguments() -> None:
    env = {**os.environ, "LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONIOENCODING": ""}
    result = _run("person", "魏伟", env=env)
    assert result.returncode == 0, result.stderr
    assert b"wei-wei" in result.stdout


@pytest.mark.parametrize("args", [["person", "魏伟"], ["firm", "meta"], ["strategy"]])
def test_a_reader_that_stops_early_is_not_an_error(args: list[str]) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "aiorg", *args], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # gone before the first line is written, like `| head` on a slow start
    try:
        assert process.wait(timeout=60) == 0
        assert process.stderr.read() == b""
    finally:
        process.stderr.close()
