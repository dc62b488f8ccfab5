"""Review 8d, defect: a person or firm candidate whose id is that of a record of its kind is merged
into that record as this source's claim even when none of its names is one of the record's: a
candidate "Zhao Min / 赵敏" given the id `chen-yu` (a slip, or a slug that collides) is written as
a claim on Chen Yu (陈雨), its names dropped, its quote about someone else now cited for Chen Yu.
A spell or deal candidate whose id is taken gets a fresh id; a named one should be refused (or
made a new record) when its names and the record's have nothing in common. FICTIONAL data."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_cli
from tests.test_review8d_kb import article, draft, write_kb

#: a FICTIONAL article naming a new person
ARTICLE_G = "星辰智能（虚构公司）宣布，赵敏出任产品负责人。\n"

BODY = """\
people:
- id: chen-yu
  name: Zhao Min
  name_zh: 赵敏
  source: fic-g-2025-08
  quote: 赵敏出任产品负责人
  review: accept
"""


def test_a_candidate_named_otherwise_is_not_merged_into_the_record_whose_id_it_took(tmp_path: Path) -> None:
    data = write_kb(tmp_path / "kb")
    path = draft(tmp_path, "fic-g-2025-08", "2025-08-01", article(tmp_path, "g.txt", ARTICLE_G), BODY)
    result = run_cli("--data", str(data), "accept", str(path))
    assert "Traceback" not in result.stderr
    people = (data / "people.yaml").read_text(encoding="utf-8")
    chen = people.split("  - id: chen-yu\n")[1].split("\n  - id: ")[0]
    assert "赵敏" not in chen, chen  # no claim about 赵敏 is cited for Chen Yu
    if result.exit_code == 0:  # made a record of her own, under a fresh id
        assert "    name: Zhao Min\n    name_zh: 赵敏\n" in people
