"""Review 5 defects in `aiorg strategy`.

1. Disputes are invisible. Signals read only each record's own source. On the fictional
   two-source fixture, Li Ming's end at Xinghe AI is `left` in an article and `advisor` in
   Xinghe's later official statement (shown first by the README's rule, and `people --left`
   says `advisor | left (disputed, 2 sources)`). `strategy xinghe` counts him as an executive
   departure with the evidence "Li Ming (李明), Head of product: left", and derives `retrench`
   from it: no word that the firm's own statement says he is still there as an advisor
   ("a move to advisor is not a departure"). Yunfan's money committed is the article's ~$2B
   with no word of the statement's $2.5B.

2. A window drops a replaced deal whose replacement is outside it. "A superseded step counts
   via its successor", but when the successor falls outside --since/--until, the step inside
   the window counts nowhere. Bundled data: Meta's mid-April 2025 offer to Alexandr Wang
   (2025-04-11..2025-04-20) is inside `--until 2025-04`; its successor, the Scale AI stake, is
   dated later, so `strategy meta --until 2025-04` reports people_sought 0 and no evidence of
   the offer at all."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import BUNDLED_DATA, REPO, run_cli

MULTISOURCE = REPO / "tests" / "fixtures" / "multisource" / "data"


def _strategy(*args: str) -> dict[str, Any]:
    result = run_cli(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    (row,) = json.loads(result.stdout)
    return dict(row)


def test_a_disputed_departure_is_not_shown_as_a_plain_one() -> None:
    row = _strategy("--data", str(MULTISOURCE), "strategy", "xinghe")
    texts = [e["text"] for e in row["evidence"] if e["record"] == "li-ming-xinghe-product"]
    assert texts, row["evidence"]
    assert all("advisor" in text and "disputed" in text for text in texts), texts


def test_a_disputed_amount_is_shown_as_disputed() -> None:
    row = _strategy("--data", str(MULTISOURCE), "strategy", "yunfan")
    (text,) = [e["text"] for e in row["evidence"] if e["signal"] == "money_committed_usd"]
    assert "$2.5B" in text and "disputed" in text, text


def test_an_offer_inside_the_window_counts_when_its_replacement_is_outside() -> None:
    row = _strategy("--data", str(BUNDLED_DATA), "strategy", "meta", "--until", "2025-04")
    records = {e["record"] for e in row["evidence"]}
    assert "meta-wang-offer" in records, sorted(records)
    assert row["signals"]["people_sought"] >= 1  # Meta sought Alexandr Wang in mid-April 2025
