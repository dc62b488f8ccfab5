"""Review 8d, defect: `accept` matches a role spell by person and firm only, and a deal by kind and
parties only, so a NEW spell (Lin Feng rejoins his old firm as CTO, drafted with an id of its own
and `replaces:` the old spell) or a NEW deal (a second round between the same two firms, with an
id of its own) is written as an `also:` claim on the old record: `replaces` is dropped silently,
the old spell then reads "Chief technology officer ... left 2024-12 | still in the role
(disputed)", and the two rounds' amounts read as one disputed amount. FICTIONAL data."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli
from tests.test_review8d_kb import article, draft, write_kb

#: a FICTIONAL later article: Lin Feng rejoins as CTO; Beiming invests again, a new round
ARTICLE_C = (
    "星辰智能（虚构公司）今日宣布，林峰重新加入公司，出任首席技术官。北冥科技再次入股星辰智能，新一轮金额为8亿美元。\n"
)

REJOIN = """\
tenures:
- id: lin-feng-xingchen-cto
  person: lin-feng
  firm: xingchen
  title: Chief technology officer
  start: 2025-06
  current: true
  replaces: lin-feng-xingchen
  source: fic-c-2025-06
  quote: 林峰重新加入公司，出任首席技术官
  review: accept
"""
SECOND_ROUND = """\
deals:
- id: beiming-xingchen-2025-06-round
  kind: stake
  buyers: [beiming]
  targets: [xingchen]
  amount: 8亿美元
  history:
  - date: 2025-06
    status: completed
    source: fic-c-2025-06
    quote: 北冥科技再次入股星辰智能
  source: fic-c-2025-06
  quote: 北冥科技再次入股星辰智能，新一轮金额为8亿美元
  review: accept
"""


def _accept(tmp_path: Path, body: str) -> Path:
    data = write_kb(tmp_path / "kb")
    path = draft(tmp_path, "fic-c-2025-06", "2025-06-01", article(tmp_path, "c.txt", ARTICLE_C), body)
    result = run_cli("--data", str(data), "accept", str(path))
    assert "Traceback" not in result.stderr
    if result.exit_code == 0:
        assert run_cli("--data", str(data), "validate").exit_code == 0
    return data


def test_a_new_spell_that_replaces_the_old_one_is_not_merged_into_it(tmp_path: Path) -> None:
    data = _accept(tmp_path, REJOIN)
    text = (data / "tenures.yaml").read_text(encoding="utf-8")
    # Either a new spell with its `replaces`, or a refusal that leaves the file alone; never a claim
    # on the old spell that drops `replaces` and makes the old spell "still in the role".
    assert "Chief technology officer" not in text.split("  - id: chen-yu-beiming")[0]
    result = run_cli("--data", str(data), "people", "--left", "xingchen", "--format", "json")
    (row,) = json.loads(result.stdout)
    assert (row["title"], row["cause_text"], row["end"]) == ("Head of product", "left", "2024-12")


def test_a_second_round_between_the_same_firms_is_not_a_disputed_amount_of_the_first(tmp_path: Path) -> None:
    data = _accept(tmp_path, SECOND_ROUND)
    result = run_cli("--data", str(data), "deals", "--format", "json")
    rows = {row["deal"]: row for row in json.loads(result.stdout)}
    first = rows["beiming-xingchen-stake"]
    assert (first["status"], first["amount"], first["disputed"]) == ("rumoured", "~$500M", [])
