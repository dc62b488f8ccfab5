"""Review 8d, defects in hand edits that `validate` accepts and that change the value shown first
without a word (FICTIONAL data):
- two `also` items of one fact both marked `preferred:` with different values: the explicit
  choice the data format promises is silently replaced by the kind/date rule;
- a source `published` in the future (a typo, 2052 for 2025): it is "the most recent" for ever and
  wins every dispute it takes part in;
- an `also` item citing the record's own source with another value: one source contradicting
  itself, listed as "(disputed, 2 sources)" with three values.
Each should be one located problem (`path:line:col: message`), exit 1."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_cli
from tests.test_review8d_kb import ARTICLE_B, write_kb

ARTICLE_C = "星辰智能（虚构公司）今日宣布，林峰重新加入公司，出任首席技术官。\n"
MORE_SOURCES = """\
  - id: fic-b-2025-03
    title: 星辰声明（虚构）
    published: 2025-03-05
    file: ../seeds/fic-b-2025-03.txt
  - id: fic-c-2025-06
    title: 林峰回归（虚构）
    published: 2025-06-01
    file: ../seeds/fic-c-2025-06.txt
"""
OWN = "    quote: 星辰智能产品负责人林峰已于2024年12月离职\n"


def _kb(tmp_path: Path, also: str, published_b: str = "2025-03-05") -> Path:
    data = write_kb(tmp_path / "kb")
    seeds = tmp_path / "kb" / "seeds"
    (seeds / "fic-b-2025-03.txt").write_text(ARTICLE_B, encoding="utf-8")
    (seeds / "fic-c-2025-06.txt").write_text(ARTICLE_C, encoding="utf-8")
    sources = data / "sources.yaml"
    extra = MORE_SOURCES.replace("published: 2025-03-05", f"published: {published_b}")
    sources.write_text(sources.read_text(encoding="utf-8") + extra, encoding="utf-8")
    tenures = data / "tenures.yaml"
    tenures.write_text(tenures.read_text(encoding="utf-8").replace(OWN, OWN + also), encoding="utf-8")
    return data


def _validate(data: Path) -> tuple[int, str]:
    result = run_cli("--data", str(data), "validate")
    assert "Traceback" not in result.stderr
    return result.exit_code, result.stderr


def test_two_preferred_sources_with_different_values_for_one_field_are_refused(tmp_path: Path) -> None:
    also = """\
    also:
      - source: fic-b-2025-03
        quote: 林峰并未离职，而是改任产品顾问
        end_cause: advisor
        preferred: the firm's own word
      - source: fic-c-2025-06
        quote: 林峰重新加入公司
        end_cause: founded
        preferred: the latest word
"""
    code, stderr = _validate(_kb(tmp_path, also))
    assert code == 1, stderr
    assert "tenures.yaml:" in stderr and "preferred" in stderr


def test_a_source_published_in_the_future_is_refused(tmp_path: Path) -> None:
    also = """\
    also:
      - source: fic-b-2025-03
        quote: 林峰并未离职，而是改任产品顾问
        end_cause: advisor
"""
    data = _kb(tmp_path, also, published_b="2952-03-05")
    code, stderr = _validate(data)
    assert code == 1, stderr
    assert "sources.yaml:" in stderr and "2952-03-05" in stderr


def test_an_also_item_citing_the_records_own_source_is_refused(tmp_path: Path) -> None:
    also = """\
    also:
      - source: fic-a-2025-01
        quote: 林峰已于2024年12月离职
        end_cause: founded
"""
    code, stderr = _validate(_kb(tmp_path, also))
    assert code == 1, stderr
    assert "tenures.yaml:" in stderr and "fic-a-2025-01" in stderr
