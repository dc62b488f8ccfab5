"""Review 8d, defect: `draft` writes a deal step `date: null` when its sentence gives no date, and
`accept` merges it as the deal's new last step. A `deals` row then shows the new status beside
the date of the step before it: "agreed, 2025-01" for a deal a January article called a rumour and
a March article called agreed. `deals --since 2025-02` misses it, and `--until 2025-01` lists it
as agreed. FICTIONAL data."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli
from tests.test_review8d_kb import ARTICLE_B, article, draft, write_kb

BODY = """\
deals:
- id: beiming-xingchen-stake
  kind: stake
  buyers: [beiming]
  targets: [xingchen]
  history:
  - date: null
    status: agreed
    certainty: confirmed
    source: fic-b-2025-03
    quote: 北冥科技已同意以6亿美元收购星辰智能20%股份。
  source: fic-b-2025-03
  quote: 北冥科技已同意以6亿美元收购星辰智能20%股份。
  review: accept
"""


def _deals(data: Path, *args: str) -> list[dict[str, object]]:
    result = run_cli("--data", str(data), "deals", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows: list[dict[str, object]] = json.loads(result.stdout)
    return rows


def test_an_undated_new_status_is_not_shown_with_the_previous_steps_date(tmp_path: Path) -> None:
    data = write_kb(tmp_path / "kb")
    path = draft(tmp_path, "fic-b-2025-03", "2025-03-05", article(tmp_path, "b.txt", ARTICLE_B), BODY)
    result = run_cli("--data", str(data), "accept", str(path))
    assert result.exit_code == 0, result.stderr
    (row,) = _deals(data)
    assert row["status"] == "agreed"
    assert row["when"] != "2025-01", row  # January is when it was rumoured, not when it was agreed
    assert [r["deal"] for r in _deals(data, "--since", "2025-02")] == ["beiming-xingchen-stake"]
    # The fix: accept dates the step between the last dated step and its source's publication,
    # marked as an inference. (`--until 2025-01` still lists the deal: its agreement may fall in
    # late January, and a window keeps what may fall inside it.)
    assert row["when"] == "2025-01 to 2025-03-05 (inferred)", row
    text = (data / "deals.yaml").read_text(encoding="utf-8")
    step = text[text.index("- date: 2025-01..2025-03-05") :].split("source:")[0]
    assert "status: agreed" in step and "inferred:" in step and "- date" in step.split("inferred:")[1], step
