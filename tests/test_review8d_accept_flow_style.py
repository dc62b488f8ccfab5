"""Review 8d, defects with records an editor wrote in YAML's flow style (valid data: `validate`
passes both files):

1. A deal whose `history:` is a flow list (`history: [{status: rumoured, ...}]`): a new status
   step from the draft is skipped without a word, and the summary counts the deal as "already
   there" (it never cited the new source): the deal stays "rumoured" though the firm's statement
   says the deal was completed. It should be refused at the candidate's line, naming the inline
   list (as `accept` does for an inline list of records), with nothing written.
2. A record whose `also:` is a flow list: `accept` stops with "aiorg: internal error: ValueError:
   ... 'also' is not a block list" and exit 70, which README reserves for bugs; it should be a
   located problem, exit 1 (nothing is written either way). FICTIONAL data."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_cli
from tests.test_review8d_kb import ARTICLE_B, ARTICLE_E, DEALS, SOURCES, TENURES, article, draft, write_kb

STEP = """\
deals:
- id: beiming-xingchen-stake
  kind: stake
  buyers: [beiming]
  targets: [xingchen]
  history:
  - date: 2025-08
    status: completed
    source: fic-e-2025-08
    quote: 北冥科技与星辰智能的入股交易已经完成
  source: fic-e-2025-08
  quote: 北冥科技与星辰智能的入股交易已经完成
  review: accept
"""
CLAIM = """\
tenures:
- id: lin-feng-xingchen
  person: lin-feng
  firm: xingchen
  end_cause: left
  source: fic-e-2025-08
  quote: 林峰已于2024年12月离职
  review: accept
"""
FLOW_HISTORY = DEALS.replace(
    """    history:
      - status: rumoured
        date: 2025-01
        certainty: rumoured
        source: fic-a-2025-01
        quote: 北冥科技据传正在洽谈入股星辰智能
""",
    "    history: [{status: rumoured, date: 2025-01, certainty: rumoured, source: fic-a-2025-01,"
    " quote: 北冥科技据传正在洽谈入股星辰智能}]\n",
)
FLOW_ALSO = TENURES.replace(
    "    quote: 星辰智能产品负责人林峰已于2024年12月离职\n",
    "    quote: 星辰智能产品负责人林峰已于2024年12月离职\n"
    "    also: [{source: fic-b-2025-03, quote: 林峰并未离职，而是改任产品顾问, end_cause: advisor}]\n",
)
MORE = (
    "  - id: fic-b-2025-03\n    title: 星辰声明（虚构）\n    published: 2025-03-05\n"
    "    file: ../seeds/fic-b-2025-03.txt\n"
)


def test_a_new_step_for_a_deal_with_an_inline_history_is_never_skipped_silently(tmp_path: Path) -> None:
    data = write_kb(tmp_path / "kb")
    (data / "deals.yaml").write_text(FLOW_HISTORY, encoding="utf-8")
    assert run_cli("--data", str(data), "validate").exit_code == 0
    path = draft(tmp_path, "fic-e-2025-08", "2025-08-01", article(tmp_path, "e.txt", ARTICLE_E), STEP)
    result = run_cli("--data", str(data), "accept", str(path))
    assert "Traceback" not in result.stderr
    if result.exit_code == 0:  # merged: the deal now has the step
        assert "completed" in (data / "deals.yaml").read_text(encoding="utf-8")
        assert "1 already there" not in result.stderr
    else:  # refused at the candidate, nothing written
        assert result.exit_code == 1 and "draft-fic-e-2025-08.yaml:7:" in result.stderr, result.stderr
        assert (data / "deals.yaml").read_text(encoding="utf-8") == FLOW_HISTORY


def test_a_claim_on_a_record_with_an_inline_also_list_is_a_located_problem_not_an_internal_error(
    tmp_path: Path,
) -> None:
    data = write_kb(tmp_path / "kb")
    (tmp_path / "kb" / "seeds" / "fic-b-2025-03.txt").write_text(ARTICLE_B, encoding="utf-8")
    (data / "sources.yaml").write_text(SOURCES + MORE, encoding="utf-8")
    (data / "tenures.yaml").write_text(FLOW_ALSO, encoding="utf-8")
    assert run_cli("--data", str(data), "validate").exit_code == 0
    path = draft(tmp_path, "fic-e-2025-08", "2025-08-01", article(tmp_path, "e.txt", ARTICLE_E), CLAIM)
    result = run_cli("--data", str(data), "accept", str(path))
    assert "Traceback" not in result.stderr
    assert (data / "tenures.yaml").read_text(encoding="utf-8") == FLOW_ALSO
    assert result.exit_code == 1, result.stderr
    assert "internal error" not in result.stderr
    assert "tenures.yaml" in result.stderr and "also" in result.stderr
