"""`firms --country` takes an ISO code, an English name or a Chinese name (issue 13)."""

from __future__ import annotations

import json

import pytest

from aiorg.countries import COUNTRIES, country_code, parse_country
from aiorg.errors import ExitCode, UsageError
from tests.conftest import run_cli

CHINESE = ["01ai", "baichuan", "bytedance", "deepseek", "minimax", "moonshot", "stepfun", "zhipu"]
AMERICAN = ["apple", "google", "meta"]


def _firms(*args: str) -> list[str]:
    result = run_cli("firms", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return [row["firm"] for row in json.loads(result.stdout)]


@pytest.mark.parametrize("country", ["CN", "cn", "China", "china", "中国", "ＣＮ", "People's Republic of China"])
def test_china_however_it_is_written(country: str) -> None:
    assert _firms("--country", country) == CHINESE


@pytest.mark.parametrize("country", ["US", "USA", "United States", "united  states", "美国", "U.S."])
def test_the_united_states_however_it_is_written(country: str) -> None:
    assert _firms("--country", country) == AMERICAN


def test_a_known_country_without_firms_is_empty_not_an_error() -> None:
    result = run_cli("firms", "--country", "France", "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout) == []


@pytest.mark.parametrize("country", ["Narnia", "C N", "中", "ZZ"])
def test_an_unknown_country_is_a_usage_error_listing_the_known_ones(country: str) -> None:
    result = run_cli("firms", "--country", country)
    assert result.exit_code == ExitCode.USAGE_ERROR and result.stdout == ""
    assert result.stderr.startswith(
        f"aiorg: error: --country: unknown country {country!r}; known: CN (China, 中国), US (United States, 美国), "
    )
    assert result.stderr.count("\n") == 1


def test_a_country_only_the_data_writes_is_accepted_as_written() -> None:
    assert parse_country("atlantis", ["CN", "Atlantis"]) == "Atlantis"
    with pytest.raises(UsageError, match=r"known: CN .*, Atlantis$"):
        parse_country("Lemuria", ["CN", "Atlantis"])


def test_every_spelling_in_the_table_names_one_country() -> None:
    spellings = [spelling.casefold() for code, names in COUNTRIES for spelling in (code, *names)]
    assert len(spellings) == len(set(spellings))
    for code, names in COUNTRIES:
        assert all(country_code(name) == code for name in (code, *names))
        assert any(not name.isascii() for name in names), code  # a Chinese name for each
