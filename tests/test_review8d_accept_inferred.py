"""Review 8d, defect: a candidate merged into a record already there becomes an `also:` item that
keeps only its quote and disputable values; its `inferred:` list, `note` and `reported_by` are
dropped silently. An end date the editor marked as inferred (the article's publication day) and a
firm inferred from what the article is about become a plain sourced claim, which then wins as the
latest source: `conflicts` and `people --left` show an inference as a stated fact. FICTIONAL data."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.conftest import run_cli
from tests.test_review8d_kb import article, draft, write_kb

#: a FICTIONAL article that names no firm and no date
ARTICLE_D = "据知情人士透露，陈雨已经离开。\n"

BODY = """\
tenures:
- id: chen-yu-beiming-left
  person: chen-yu
  firm: beiming
  end_cause: left
  end: ..2025-07-01
  certainty: rumoured
  inferred: [firm, end]
  note: the article names no firm and no date; Beiming is the firm it is about, the end its publication day
  reported_by: [xingchen]
  source: fic-d-2025-07
  quote: 陈雨已经离开
  review: accept
"""


def test_an_inferred_claim_merged_as_also_stays_marked_or_is_refused(tmp_path: Path) -> None:
    data = write_kb(tmp_path / "kb")
    path = draft(tmp_path, "fic-d-2025-07", "2025-07-01", article(tmp_path, "d.txt", ARTICLE_D), BODY)
    before = (data / "tenures.yaml").read_bytes()
    result = run_cli("--data", str(data), "accept", str(path))
    assert "Traceback" not in result.stderr
    if result.exit_code != 0:  # refusing (nothing written) is an honest answer too
        assert (data / "tenures.yaml").read_bytes() == before
        return
    tenures = yaml.safe_load((data / "tenures.yaml").read_text(encoding="utf-8"))["tenures"]
    spell = next(t for t in tenures if t["id"] == "chen-yu-beiming")
    (claim,) = spell["also"]
    assert claim["source"] == "fic-d-2025-07"
    assert claim.get("inferred") == ["firm", "end"] or "inferred" in str(claim.get("note", "")), claim
    assert claim.get("note"), claim  # the editor's reason is kept with the claim
