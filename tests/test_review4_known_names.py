"""Review: under --known-as-of, the exact name of a record that only later sources report is
exit 3 saying so (README "What we knew when"), even when part of that name also fits a record
known then. Here 星河科技 / Xinghe Labs (reported only in April 2025) shares its distinctive word
with 星河智能 / Xinghe AI (reported in 2024); the other words are ones many firms share (科技,
Labs), so a partial match in the March 2025 view would quietly answer about the wrong firm.
Fictional records, built on tests/fixtures/multisource."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO, run_cli

FIXTURE = REPO / "tests" / "fixtures" / "multisource"

LATER_FIRM = """
  - id: xinghe-labs
    name: Xinghe Labs
    name_zh: 星河科技
    source: fictional-podcast-2025-04
    quote: Xinghe Labs
"""


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "kb")
    data = tmp_path / "kb" / "data"
    with (data / "firms.yaml").open("a", encoding="utf-8") as f:
        f.write(LATER_FIRM)
    return data


@pytest.mark.parametrize("name", ["Xinghe Labs", "星河科技"])
def test_the_whole_knowledge_base_answers_the_exact_name(kb: Path, name: str) -> None:
    result = run_cli("--data", str(kb), "firm", name, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert '"firm": "xinghe-labs"' in result.stdout


@pytest.mark.parametrize("name", ["Xinghe Labs", "星河科技"])
def test_a_later_firms_exact_name_is_not_taken_for_a_known_firm(kb: Path, name: str) -> None:
    result = run_cli("--data", str(kb), "firm", name, "--known-as-of", "2025-03", "--format", "json")
    assert '"firm": "xinghe"' not in result.stdout, "answered about Xinghe AI (星河智能), another firm"
    assert result.exit_code == 3
    assert "xinghe-labs" in result.stderr and "2025-03-31" in result.stderr


def test_people_left_a_later_firm_does_not_list_another_firms_departures(kb: Path) -> None:
    result = run_cli("--data", str(kb), "people", "--left", "星河科技", "--known-as-of", "2025-03", "--format", "json")
    assert "li-ming" not in result.stdout, "Li Ming left Xinghe AI (星河智能), not 星河科技"
    assert result.exit_code == 3


@pytest.mark.parametrize(
    ("name", "named"),
    [
        ("fictional-en-2025-03", "source 'fictional-en-2025-03' was"),
        ("Xinghe AI statement (fictional example)", "names the source 'fictional-en-2025-03', which was"),
    ],
)
def test_a_source_published_later_says_so_instead_of_suggesting_another(name: str, named: str) -> None:
    result = run_cli("--data", str(FIXTURE / "data"), "source", name, "--known-as-of", "2024-12")
    assert result.exit_code == 3 and result.stdout == ""
    assert named in result.stderr and "not certainly published by 2024-12-31" in result.stderr, result.stderr
    assert "did you mean" not in result.stderr


def test_a_source_known_then_is_listed() -> None:
    result = run_cli("--data", str(FIXTURE / "data"), "source", "fictional-zh-2024-10", "--known-as-of", "2024-12")
    assert result.exit_code == 0 and "fictional-zh-2024-10" not in result.stderr
    assert "li-ming" in result.stdout


def test_a_partial_name_of_a_firm_known_then_still_answers(kb: Path) -> None:
    result = run_cli("--data", str(kb), "people", "--left", "星河", "--known-as-of", "2025-03", "--format", "json")
    assert result.exit_code == 0 and "li-ming" in result.stdout
    assert "matched Xinghe AI" in result.stderr
