"""Review 8d, defect: when `accept` adds a source's claim to a deal's history step (a second source
for a status the deal has), `changes` reports it as a change of the whole `history`, written out
raw ("history '(source=fic-a-2025-01, date=2025-01, status=rumoured, ...)' → '(...also=(source=
fic-i-2025-02, ...)...)'"), and cites the step's own, older source (fic-a-2025-01) for it: the
feed attributes the new article's claim to the first article. Found on a copy of the bundled data
(a fictional wire report confirming Meta's agreed Scale AI stake: the row cited zimubang-2025-06);
shown here on the FICTIONAL knowledge base of test_review8d_kb."""

from __future__ import annotations

import json
from pathlib import Path

from tests.changes_kb import commit, git
from tests.conftest import run_cli
from tests.test_review8d_kb import article, draft, write_kb

#: a FICTIONAL second report of the same rumour
ARTICLE_I = "另有消息称，北冥科技正洽谈入股星辰智能。\n"

BODY = """\
deals:
- id: beiming-xingchen-stake
  kind: stake
  buyers: [beiming]
  targets: [xingchen]
  history:
  - date: 2025-01
    status: rumoured
    certainty: rumoured
    source: fic-i-2025-02
    quote: 北冥科技正洽谈入股星辰智能
  source: fic-i-2025-02
  quote: 北冥科技正洽谈入股星辰智能
  review: accept
"""


def test_a_second_source_for_a_deal_step_is_cited_to_that_source(tmp_path: Path) -> None:
    root = tmp_path / "kb"
    data = write_kb(root)
    git(tmp_path, "init", "-q", str(root))
    commit(root, "first")
    path = draft(tmp_path, "fic-i-2025-02", "2025-02-01", article(tmp_path, "i.txt", ARTICLE_I), BODY)
    assert run_cli("--data", str(data), "accept", str(path)).exit_code == 0
    assert "    also:\n" not in (data / "deals.yaml").read_text(encoding="utf-8").split("history:")[0]
    result = run_cli("--data", str(data), "changes", "--since", "HEAD", "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = [r for r in json.loads(result.stdout) if r["record"] == "beiming-xingchen-stake"]
    assert rows, "the new claim on the deal is reported"
    assert {r["source"] for r in rows} == {"fic-i-2025-02"}, [(r["field"], r["source"], r["summary"]) for r in rows]
    assert not [r["summary"] for r in rows if "(source=" in r["summary"]]  # facts, not a raw dump
