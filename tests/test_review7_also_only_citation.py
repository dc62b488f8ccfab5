"""Review 7 defect: a value that only an `also` source states is cited to the record's own
source, whose quote does not say it; and an untitled spell's evidence reads "from None".

A FICTIONAL knowledge base, as `aiorg accept` writes it: an official statement (s-en) says Liu
Yang joined Horizon AI in 2024 (the spell's own source, no end); a later article (s-36kr),
merged by `accept` as this spell's `also` claim, says he moved to an advisor role. Nobody
disagrees, so nothing is "disputed", and the value shown for `end_cause` is the article's.

- `aiorg strategy horizon` counts the advisor move and its evidence line reads "Liu Yang (刘洋)
  moved to advisor from None; still at the firm, not a departure", cited to s-en with the quote
  "Liu Yang joined Horizon AI in 2024 from Tianqiong Group". The README says the evidence line
  "cites the source of the value shown first": that is s-36kr, "地平线智能产品负责人刘洋改任顾问".
- The `people --left horizon` row says "moved to advisor role" with `source` s-en and that same
  "joined" quote (its `sources` list has s-36kr, but the Source column of a table shows s-en).

Smallest fix: cite a fact by the source of its value shown first (aiorg.claims) also when the
field is stated by one `also` source only, not only when it is disputed (strategy evidence, and
the `source`/`quote` of `people`/`timeline` rows for the field the row is about); in
aiorg/strategy_signals.py write "moved to advisor" without "from …" when the spell has no title.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import one_file_kb, run_cli

EN = "Horizon statement. Liu Yang joined Horizon AI in 2024 from Tianqiong Group.\n"
ZH = "据报道，地平线智能产品负责人刘洋改任顾问。\n"
SEEDS = {"en.txt": EN, "zh.txt": ZH}

KB = """\
sources:
  - id: s-en
    title: Horizon statement (fictional)
    kind: official_statement
    published: 2025-03-15
    file: ../seeds/en.txt
  - id: s-36kr
    title: 地平线智能人事（虚构）
    kind: article
    published: 2025-05-20
    file: ../seeds/zh.txt
firms:
  - id: horizon
    name: Horizon AI
    name_zh: 地平线智能
    source: s-en
    quote: Horizon AI
people:
  - id: liu-yang
    name: Liu Yang
    name_zh: 刘洋
    source: s-en
    quote: Liu Yang joined Horizon AI
tenures:
  - id: liu-yang-hzn
    person: liu-yang
    firm: horizon
    start: 2024
    source: s-en
    quote: Liu Yang joined Horizon AI in 2024 from Tianqiong Group
    also:
      - source: s-36kr
        quote: 地平线智能产品负责人刘洋改任顾问
        end_cause: advisor
"""


@pytest.fixture(scope="module")
def kb_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = one_file_kb(tmp_path_factory.mktemp("review7-also"), KB, SEEDS)
    assert run_cli("--data", str(data), "validate").exit_code == 0
    return data


def _json(data: Path, *args: str) -> list[dict[str, Any]]:
    result = run_cli("--data", str(data), *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows: list[dict[str, Any]] = json.loads(result.stdout)
    return rows


def test_the_advisor_move_is_cited_to_the_source_that_states_it(kb_data: Path) -> None:
    (firm,) = _json(kb_data, "strategy", "horizon")
    (line,) = [e for e in firm["evidence"] if e["signal"] == "advisor_moves"]
    assert (line["source"], line["quote"]) == ("s-36kr", "地平线智能产品负责人刘洋改任顾问"), line


def test_an_untitled_spell_never_reads_none(kb_data: Path) -> None:
    (firm,) = _json(kb_data, "strategy", "horizon")
    texts = [e["text"] for e in firm["evidence"]]
    assert not any("None" in text for text in texts), texts


def test_a_line_about_the_start_is_cited_to_the_source_that_states_the_start(tmp_path: Path) -> None:
    """Only the end line borrows the other source's citation: 'appointed' rests on the statement."""
    data = one_file_kb(tmp_path, KB.replace("    start: 2024\n", "    start: 2024\n    kind: executive\n"), SEEDS)
    (firm,) = _json(data, "strategy", "horizon")
    lines = {e["signal"]: (e["source"], e["quote"]) for e in firm["evidence"]}
    assert lines["leadership_changes"] == ("s-en", "Liu Yang joined Horizon AI in 2024 from Tianqiong Group"), lines
    assert lines["advisor_moves"] == ("s-36kr", "地平线智能产品负责人刘洋改任顾问"), lines


def test_an_end_date_only_another_source_gives_is_cited_to_it(tmp_path: Path) -> None:
    """A row or timeline item dated by an end only the article gives cites the article, not the
    statement that the person joined."""
    data = one_file_kb(tmp_path, KB.replace("        end_cause: advisor\n", "        end: 2025-05\n"), SEEDS)
    article = ("s-36kr", "地平线智能产品负责人刘洋改任顾问")
    (row,) = _json(data, "people")
    assert (row["state"], row["end"], (row["source"], row["quote"])) == ("ended", "2025-05", article), row
    items = {r["kind"]: (r["source"], r["quote"]) for r in _json(data, "timeline")}
    assert items["role_end:ended"] == article, items
    assert items["role_start"] == ("s-en", "Liu Yang joined Horizon AI in 2024 from Tianqiong Group"), items
