"""Review 8 (a journalist's review of sources, time and change), defects: a row cites a source
that does not state the value the row shows.

A FICTIONAL knowledge base: an article (s-a, 2024-10) says Li Ming left Xinghe AI and that Yunfan
Tech is said to be buying Xinghe AI for about $2B; Xinghe's official statement (s-b, 2025-03) says
he moved to an advisor role and that the deal was agreed; a social post (s-post, 2025-04) says the
deal closed at $3 billion.

- The value shown first for Li Ming's end cause is the statement's `advisor` (official statement
  outranks article), yet the `people` row, the person's career and the `timeline` row cite the
  article, with the quote "星河智能产品负责人李明已经离职" (has left), beside `cause: advisor`.
  `strategy` evidence for the same fact cites s-b and its advisor quote, as the README says.
- The value shown first for the deal's amount is the article's ~$2B (article outranks social
  post), yet the `deals` row cites the social post (its last status step), whose word is $3B.
  `strategy` evidence for the same money cites s-a, the source of ~$2B.

Smallest fix: a listing row cites the claim of the value it shows first, as `strategy` evidence
does (aiorg.claims.ranked over the claims giving the shown value): in aiorg/queries/people.py
`cited(...)` returns None whenever the record's own source states the field, even when the shown
value is another source's; there, and in aiorg/queries/deals.py (`latest.source` /
`latest.quote`) and the timeline role-end rows, cite the top-ranked claim that gives the value
the row shows (for a deal row, the value that matched, else the amount shown).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import one_file_kb, run_cli

A = "星河智能产品负责人李明已经离职。云帆科技据传正洽谈收购星河智能，作价约20亿美元。\n"
B = "Li Ming, head of product at Xinghe AI, has moved to an advisor role. Yunfan Tech agreed to acquire Xinghe AI.\n"
POST = "Heard Yunfan Tech closed the Xinghe AI deal at $3 billion.\n"

KB = """\
sources:
  - {id: s-a, title: 星河智能高管变动（虚构）, kind: article, published: 2024-10-08, file: ../seeds/a.txt}
  - {id: s-b, title: Xinghe statement, kind: official_statement, published: 2025-03-15, file: ../seeds/b.txt}
  - {id: s-post, title: A post (fictional), kind: social_post, published: 2025-04-01, file: ../seeds/post.txt}
firms:
  - {id: xinghe, name: Xinghe AI, name_zh: 星河智能, source: s-a, quote: 星河智能}
  - {id: yunfan, name: Yunfan Tech, name_zh: 云帆科技, source: s-a, quote: 云帆科技}
people:
  - {id: li-ming, name: Li Ming, name_zh: 李明, source: s-a, quote: 李明}
tenures:
  - id: li-xinghe
    person: li-ming
    firm: xinghe
    title: Head of product
    area: product
    kind: executive
    end: ..2024-10
    end_cause: left
    source: s-a
    quote: 星河智能产品负责人李明已经离职
    also:
      - source: s-b
        quote: Li Ming, head of product at Xinghe AI, has moved to an advisor role
        end_cause: advisor
deals:
  - id: yf-xh
    kind: acquisition
    buyers: [yunfan]
    targets: [xinghe]
    amount: 约20亿美元
    history:
      - {status: rumoured, date: 2024-10, source: s-a, quote: 云帆科技据传正洽谈收购星河智能}
      - {status: agreed, date: 2025-03-15, source: s-b, quote: Yunfan Tech agreed to acquire Xinghe AI}
      - {status: completed, date: 2025-04, source: s-post, quote: Heard Yunfan Tech closed the Xinghe AI deal}
    source: s-a
    quote: 云帆科技据传正洽谈收购星河智能，作价约20亿美元
    also:
      - source: s-post
        quote: Heard Yunfan Tech closed the Xinghe AI deal at $3 billion
        amount: $3 billion
"""

#: what each source says: the text of its archived file
TEXT = {"s-a": A, "s-b": B, "s-post": POST}


def _kb(tmp_path: Path) -> Path:
    data = one_file_kb(tmp_path, KB, {"a.txt": A, "b.txt": B, "post.txt": POST})
    assert run_cli("--data", str(data), "validate").exit_code == 0
    return data


def _json(data: Path, *args: str) -> Any:
    result = run_cli("--data", str(data), *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_the_values_shown_first_as_checked_by_hand(tmp_path: Path) -> None:
    """The premise: advisor and ~$2B are shown first, and strategy cites their sources."""
    data = _kb(tmp_path)
    (row,) = _json(data, "people")
    assert row["cause"] == "advisor" and row["cause_text"] == "advisor | left (disputed, 2 sources)"
    (deal,) = _json(data, "deals")
    assert deal["amount"] == "~$2B | $3B (disputed, 2 sources)" and deal["amount_usd"] == 2e9
    evidence = {e["signal"]: e for firm in _json(data, "strategy") for e in firm["evidence"]}
    assert evidence["advisor_moves"]["source"] == "s-b"
    assert evidence["money_committed_usd"]["source"] == "s-a"


def test_a_people_row_cites_a_source_that_gives_its_cause(tmp_path: Path) -> None:
    data = _kb(tmp_path)
    rows = [*_json(data, "people"), *_json(data, "person", "li-ming")["career"]]
    for row in rows:
        assert row["cause"] == "advisor"
        # cited to the article whose quote says "has left" (已经离职), not to the statement
        assert row["source"] == "s-b", row
        assert row["quote"] in TEXT["s-b"] and "advisor" in row["quote"], row


def test_a_timeline_role_end_cites_a_source_that_gives_its_cause(tmp_path: Path) -> None:
    data = _kb(tmp_path)
    (row,) = [r for r in _json(data, "timeline") if r["record"] == "li-xinghe"]
    assert row["kind"] == "role_end:advisor"
    assert row["source"] == "s-b", row
    assert "advisor" in row["quote"], row


def test_a_deals_row_cites_a_source_that_gives_its_value(tmp_path: Path) -> None:
    data = _kb(tmp_path)
    (deal,) = _json(data, "deals")
    assert deal["value"] == "~$2B (disputed, 2 sources)"
    # cited to the social post, whose word is $3B, not ~$2B
    assert deal["source"] == "s-a", deal
    assert deal["quote"] in TEXT["s-a"] and "20亿美元" in deal["quote"], deal
