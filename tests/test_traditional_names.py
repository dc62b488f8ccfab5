"""A name typed in traditional characters finds the record written in simplified ones (the
bundled data writes the seed article's simplified names), and says how it was read."""

from __future__ import annotations

import pytest

from aiorg import names
from tests.conftest import run_cli


@pytest.mark.parametrize(
    ("typed", "simple", "record"),
    [("張前川", "张前川", "zhang-qianchuan"), ("魏偉", "魏伟", "wei-wei"), ("階躍星辰", "阶跃星辰", "stepfun")],
)
def test_a_traditional_name_finds_the_simplified_record(typed: str, simple: str, record: str) -> None:
    command = "firm" if record == "stepfun" else "person"
    result = run_cli(command, typed, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert f'"{command}": "{record}"' in result.stdout
    assert f"note: {typed!r} read in simplified characters as {simple!r}" in result.stderr


def test_people_left_and_search_read_traditional_names_too() -> None:
    left = run_cli("people", "--left", "階躍星辰", "--format", "json")
    assert left.exit_code == 0 and left.stdout == run_cli("people", "--left", "阶跃星辰", "--format", "json").stdout
    found = run_cli("search", "張", "--format", "json")
    assert found.exit_code == 0 and found.stdout == run_cli("search", "张", "--format", "json").stdout
    assert "read in simplified characters as '张'" in found.stderr


def test_a_name_in_simplified_characters_needs_no_note() -> None:
    result = run_cli("person", "张前川", "--format", "json")
    assert result.exit_code == 0 and "read in simplified" not in result.stderr


def test_without_the_converter_the_error_says_how_to_get_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(names, "simplifier", lambda: None)
    result = run_cli("person", "張前川")
    assert result.exit_code == 3
    assert "no person named '張前川'" in result.stderr and "pip install 'aiorg[draft]'" in result.stderr
