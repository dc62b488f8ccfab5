"""A wrong --section lists every name the option takes, the shared prefixes (`deals`: buyer and
target) included, and each listed name works."""

from __future__ import annotations

from tests.conftest import run_cli


def test_a_wrong_section_lists_the_prefix_that_names_several() -> None:
    result = run_cli("firm", "月之暗面", "--section", "交易")
    assert result.exit_code == 2
    listed = result.stderr.split("choose from ", 1)[1].strip().split(", ")
    assert listed[:2] == ["people", "deals"]
    for name in listed:
        assert run_cli("firm", "月之暗面", "--section", name, "--format", "json").exit_code == 0, name
