"""s26 review (Chinese-language newsroom): `draft` folds two funding rounds of one firm into one.

A FICTIONAL article reports two rounds of 星火智能: an A round of 3亿元 in September last year
and a B round of 5亿元 in March. `aiorg draft` proposes ONE funding_round, amount 3亿元, dated
2024-09, whose quote is a list holding both sentences (in YAML, an anchor `&id001` and alias
`*id001`). Accepted, the knowledge base has a CNY 300M round that cites "星火智能又完成5亿元B轮融资"
as its evidence (`aiorg source` lists it under the record and its completed step), and the B round,
its amount and its date are gone. The English article behaves the same ($30M A, $50M B).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.draft_support import require_draft_extra

require_draft_extra()

ARTICLES = {
    "zh": "（虚构示例）星火智能于去年9月完成3亿元A轮融资。\n今年3月，星火智能又完成5亿元B轮融资。\n",
    "zh_hant": "（虛構示例）星火智能於去年9月完成3億元A輪融資。\n今年3月，星火智能又完成5億元B輪融資。\n",
    "en": "(Fictional example.) Xinghuo AI raised a $30 million Series A last September.\n"
    "In March, Xinghuo AI raised a $50 million Series B.\n",
}


@pytest.mark.parametrize("lang", sorted(ARTICLES))
def test_two_rounds_are_not_folded_into_one(tmp_path: Path, lang: str) -> None:
    (tmp_path / "data").mkdir()
    article = tmp_path / "a.txt"
    article.write_text(ARTICLES[lang], encoding="utf-8")
    result = run_cli(
        "--data", str(tmp_path / "data"), "draft", str(article),
        "--source-id", "t-2025-06", "--published", "2025-06-20", "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    deals = [c for c in json.loads(result.stdout) if c["kind"] == "deal"]
    for deal in deals:  # no candidate may cite the other round's sentence as its own evidence
        quotes = [deal["quote"], *(also["quote"] for also in deal["also"])]
        assert not (any("3" in q and ("A轮" in q or "A輪" in q or "Series A" in q) for q in quotes)
                    and any("B轮" in q or "B輪" in q or "Series B" in q for q in quotes)), deal  # fmt: skip
    amounts = sorted(float(d["amount"]["value"]) for d in deals if d["amount"])
    assert len(amounts) == 2, deals  # today: one candidate, 3亿元 / $30M; the B round is lost
