"""`draft` reads "left and founded" as a departure to found a firm (end_cause founded), not a
plain departure: "离职并创办", "辞职后创立", "left … and founded". FICTIONAL articles."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import run_cli
from tests.draft_support import require_draft_extra


@pytest.mark.parametrize(
    "text",
    [
        "据报道，前MiniMax产品负责人刘明已于2025年3月离职并创办了一家新公司星尘科技。\n",
        "MiniMax研究负责人刘明于2025年3月辞职后创立星尘科技。\n",
        "Jane Roe, the head of research at MiniMax, left MiniMax in March 2025 and founded Stardust Labs.\n",
    ],
    ids=["zh-left-and-founded", "zh-resigned-then-founded", "en-left-and-founded"],
)
def test_left_and_founded_is_a_departure_to_found(tmp_path: Path, text: str) -> None:
    require_draft_extra()
    article = tmp_path / "article.txt"
    article.write_text(text, encoding="utf-8")
    result = run_cli("draft", str(article), "--source-id", "fiction-2025-06", "--published", "2025-06")
    assert result.exit_code == 0, result.stderr
    drafted: dict[str, Any] = yaml.safe_load(result.stdout)
    (spell,) = [t for t in drafted["tenures"] if t["firm"] == "minimax"]
    assert spell["end_cause"] == "founded", spell


def test_leaving_to_join_a_firm_someone_founded_is_not_founding(tmp_path: Path) -> None:
    require_draft_extra()
    article = tmp_path / "article.txt"
    article.write_text("MiniMax产品负责人刘明于2025年3月离职，后加入了王强创办的星尘科技。\n", encoding="utf-8")
    result = run_cli("draft", str(article), "--source-id", "fiction-2025-06", "--published", "2025-06")
    assert result.exit_code == 0, result.stderr
    drafted: dict[str, Any] = yaml.safe_load(result.stdout)
    causes = [t.get("end_cause") for t in drafted.get("tenures", []) if t["firm"] == "minimax"]
    assert "founded" not in causes, drafted.get("tenures")
