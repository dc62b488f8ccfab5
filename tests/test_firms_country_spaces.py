"""Review s26 (pre-existing, kept by firms_page): `firms --country CN` misses a firm whose country is
an ASCII spelling with a doubled space, which aiorg.countries.same_country (the rule the docstring
promises: "a firm's country may be written any known way") counts as China. The SQL pre-filter
compares lower(country) with the folded spellings, and folding also collapses spaces. FICTIONAL data."""

from __future__ import annotations

import json
from pathlib import Path

from aiorg.countries import same_country
from tests.conftest import one_file_kb, run_cli

KB = """\
sources:
  - id: s1
    title: fictional
    kind: article
    published: 2025-01-10
    language: zh
    file: ../seeds/s.txt
firms:
  - id: alpha
    name: Alpha
    country: CN
    source: s1
    quote: 甲
  - id: gamma
    name: Gamma
    country: "People's  Republic of China"
    source: s1
    quote: 乙
"""


def test_a_country_written_with_a_doubled_space_is_found_as_same_country_says(tmp_path: Path) -> None:
    data = one_file_kb(tmp_path, KB, {"s.txt": "甲乙。\n"})
    assert same_country("People's  Republic of China", "CN")
    result = run_cli("--data", str(data), "firms", "--country", "CN", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert [row["firm"] for row in json.loads(result.stdout)] == ["alpha", "gamma"]
