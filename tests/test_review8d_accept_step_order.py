"""Review 8d, defects in where `accept` puts a deal's new status step.

1. A later source says a rumoured deal had in fact been agreed, and dates the
agreement before the rumour's own date (the rumour was reported in January 2025; the firm's March
statement says it was agreed in December 2024). `accept` places the new step by date, before the
rumour, and a deal's status is its last step: the deal still reads "rumoured", `deals --status
agreed` misses it and no money is committed, though the newest source says it was agreed.
`accept` should not leave a status the newest source has overtaken as the deal's current one
(or should refuse and say why, writing nothing).

2. A status the deal had before and reaches again (talks rejected in January, resumed in June) is
matched to the old step by its status word alone and written as an `also:` claim on it, its June
date a disputed date of the January step: the deal still reads "rejected". FICTIONAL data."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli
from tests.test_review8d_kb import article, draft, write_kb

#: a FICTIONAL statement dating the agreement before the rumour's report
ARTICLE_H = "星辰智能（虚构公司）证实，北冥科技早在2024年12月已同意入股星辰智能。\n"

BODY = """\
deals:
- id: beiming-xingchen-stake
  kind: stake
  buyers: [beiming]
  targets: [xingchen]
  history:
  - date: 2024-12
    status: agreed
    source: fic-h-2025-03
    quote: 北冥科技早在2024年12月已同意入股星辰智能
  source: fic-h-2025-03
  quote: 北冥科技早在2024年12月已同意入股星辰智能
  review: accept
"""


def test_an_agreement_dated_before_the_rumour_does_not_leave_the_deal_rumoured(tmp_path: Path) -> None:
    data = write_kb(tmp_path / "kb")
    before = (data / "deals.yaml").read_bytes()
    path = draft(tmp_path, "fic-h-2025-03", "2025-03-05", article(tmp_path, "h.txt", ARTICLE_H), BODY)
    result = run_cli("--data", str(data), "accept", str(path))
    assert "Traceback" not in result.stderr
    if result.exit_code != 0:  # refused: nothing written
        assert (data / "deals.yaml").read_bytes() == before
        return
    listed = run_cli("--data", str(data), "deals", "--format", "json")
    (row,) = json.loads(listed.stdout)
    assert row["status"] == "agreed", (row["status"], row["source"])


REJECTED = """\
deals:
  - id: beiming-xingchen-stake
    kind: stake
    buyers: [beiming]
    targets: [xingchen]
    history:
      - status: in_talks
        date: 2025-01
        source: fic-a-2025-01
        quote: 北冥科技据传正在洽谈入股星辰智能
      - status: rejected
        date: 2025-02
        source: fic-a-2025-01
        quote: 北冥科技据传正在洽谈入股星辰智能
    source: fic-a-2025-01
    quote: 北冥科技据传正在洽谈入股星辰智能
"""
#: a FICTIONAL report that talks resumed
ARTICLE_R = "知情人士称，北冥科技6月重新与星辰智能展开入股谈判。\n"
RESUMED = """\
deals:
- id: beiming-xingchen-stake
  kind: stake
  buyers: [beiming]
  targets: [xingchen]
  history:
  - date: 2025-06
    status: in_talks
    certainty: rumoured
    source: fic-r-2025-06
    quote: 北冥科技6月重新与星辰智能展开入股谈判
  source: fic-r-2025-06
  quote: 北冥科技6月重新与星辰智能展开入股谈判
  review: accept
"""


def test_talks_resumed_after_a_rejection_are_the_deals_status(tmp_path: Path) -> None:
    data = write_kb(tmp_path / "kb")
    (data / "deals.yaml").write_text(REJECTED, encoding="utf-8")
    before = (data / "deals.yaml").read_bytes()
    path = draft(tmp_path, "fic-r-2025-06", "2025-06-20", article(tmp_path, "r.txt", ARTICLE_R), RESUMED)
    result = run_cli("--data", str(data), "accept", str(path))
    assert "Traceback" not in result.stderr
    if result.exit_code != 0:  # refused: nothing written
        assert (data / "deals.yaml").read_bytes() == before
        return
    listed = run_cli("--data", str(data), "deals", "--format", "json")
    (row,) = json.loads(listed.stdout)
    assert (row["status"], row["when"]) == ("in_talks", "2025-06"), (row["status"], row["when"], row["disputed"])
