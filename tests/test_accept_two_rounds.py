"""Two funding rounds of one firm drafted from one FICTIONAL article (the second numbered
`…-funding_round-2`) are accepted as two deals: within one draft, a numbered deal whose values
differ from the deal it matches cannot be a dispute (a source cannot dispute itself), so it is
another deal. Each keeps its amount, date and quote."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.draft_support import require_draft_extra

require_draft_extra()

ARTICLES = {
    "zh": "（虚构示例）星火智能于去年9月完成3亿元A轮融资。\n今年3月，星火智能又完成5亿元B轮融资。\n",
    "en": "(Fictional example.) Xinghuo AI raised a $30 million Series A last September.\n"
    "In March, Xinghuo AI raised a $50 million Series B.\n",
}


@pytest.mark.parametrize("lang", sorted(ARTICLES))
def test_two_drafted_rounds_are_accepted_as_two_deals(tmp_path: Path, lang: str) -> None:
    data = tmp_path / "kb" / "data"
    data.mkdir(parents=True)
    article = tmp_path / "fictional.txt"
    article.write_text(ARTICLES[lang], encoding="utf-8")
    out = tmp_path / "draft.yaml"
    drafted = run_cli(
        "--data", str(data), "draft", str(article),
        "--source-id", "fictional-rounds", "--published", "2025-06-20", "--out", str(out),
    )  # fmt: skip
    assert drafted.exit_code == 0, drafted.stderr
    out.write_text(out.read_text(encoding="utf-8").replace("review: pending", "review: accept"), encoding="utf-8")
    accepted = run_cli("--data", str(data), "accept", str(out))
    assert accepted.exit_code == 0, accepted.stderr
    rows = json.loads(run_cli("--data", str(data), "deals", "--format", "json").stdout)
    found = sorted((row["amount"], row["date"]) for row in rows)
    if lang == "zh":
        assert found == [("CNY 300M", "2024-09"), ("CNY 500M", "2025-03")]
    else:
        assert found == [("$30M", "2024-09"), ("$50M", "2025-03")]
    for row in rows:  # each cites its own sentence
        assert ("3" in row["quote"]) == (row["amount"] in ("CNY 300M", "$30M")), row
