"""Review 8 (a journalist's review of sources, time and change), round A: `--known-as-of` attacks
that found nothing wrong, each checked by hand against the FICTIONAL knowledge base below.

An article (s-a, 2024-10-08) reports Li Ming's departure from Xinghe AI, Chen Jing in post there,
a rumoured Yunfan-Xinghe deal at ~$2B and a retrench claim; Xinghe's official statement (s-b,
2025-03-15, the same day as the DATE asked) says Li Ming moved to an advisor role and the deal was
agreed at $2.5B; a social post dated only by month (s-m, 2025-02) says Chen Jing left; a later
article (s-late, 2025-06-01) is the only source of Zhao Lei, his move from Xinghe to Yunfan,
Beiming Robotics and a $300M round; an interview dated only by year (s-y, "2025", no text) is the
only source of a lean_efficiency claim.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_cli

SEEDS: dict[str, str] = {
    "a.txt": """\
星河智能产品负责人李明已经离职。云帆科技据传正洽谈收购星河智能，作价约20亿美元。陈静是星河智能商业化负责人。星河智能正在收缩资源。
""",
    "b.txt": """\
Li Ming, head of product at Xinghe AI, has moved to an advisor role.
Yunfan Tech agreed to acquire Xinghe AI for $2.5 billion.
""",
    "late.txt": """\
Zhao Lei left Xinghe AI and joined Yunfan Tech as chief scientist.
Yunfan Tech invested $300 million in Beiming Robotics.
Yunfan Tech is buying talent.
""",
    "m.txt": """\
陈静已从星河智能离职。
""",
}

FILES: dict[str, str] = {
    "claims.yaml": """\
claims:
  - id: c-xh-retrench
    subjects: [xinghe]
    strategy: retrench
    text: Xinghe is cutting back
    source: s-a
    quote: 星河智能正在收缩资源
  - id: c-yf-buy
    subjects: [yunfan]
    strategy: buy_talent
    text: Yunfan buys talent
    source: s-late
    quote: Yunfan Tech is buying talent
  - id: c-yf-y
    subjects: [yunfan]
    strategy: lean_efficiency
    text: Yunfan is lean (year-only source)
    source: s-y
    quote: lean
""",
    "deals.yaml": """\
deals:
  - id: yf-xh
    kind: acquisition
    buyers: [yunfan]
    targets: [xinghe]
    amount: 约20亿美元
    history:
      - status: rumoured
        date: 2024-10
        source: s-a
        quote: 云帆科技据传正洽谈收购星河智能
      - status: agreed
        date: 2025-03-15
        source: s-b
        quote: Yunfan Tech agreed to acquire Xinghe AI
    source: s-a
    quote: 云帆科技据传正洽谈收购星河智能，作价约20亿美元
    also:
      - source: s-b
        quote: Yunfan Tech agreed to acquire Xinghe AI for $2.5 billion
        amount: $2.5 billion
  - id: yf-bm
    kind: funding_round
    buyers: [yunfan]
    targets: [beiming]
    amount: $300 million
    history:
      - status: completed
        date: 2025-05
        source: s-late
        quote: Yunfan Tech invested $300 million in Beiming Robotics
    source: s-late
    quote: Yunfan Tech invested $300 million in Beiming Robotics
""",
    "firms.yaml": """\
firms:
  - id: xinghe
    name: Xinghe AI
    name_zh: 星河智能
    source: s-a
    quote: 星河智能
  - id: yunfan
    name: Yunfan Tech
    name_zh: 云帆科技
    source: s-a
    quote: 云帆科技
  - id: beiming
    name: Beiming Robotics
    source: s-late
    quote: Beiming Robotics
""",
    "people.yaml": """\
people:
  - id: li-ming
    name: Li Ming
    name_zh: 李明
    source: s-a
    quote: 李明
  - id: chen-jing
    name: Chen Jing
    name_zh: 陈静
    source: s-a
    quote: 陈静
  - id: zhao-lei
    name: Zhao Lei
    name_zh: 赵磊
    source: s-late
    quote: Zhao Lei
""",
    "sources.yaml": """\
sources:
  - id: s-a
    title: 星河智能高管变动（虚构）
    kind: article
    published: 2024-10-08
    language: zh
    file: ../seeds/a.txt
  - id: s-b
    title: Xinghe statement (fictional)
    kind: official_statement
    published: 2025-03-15
    language: en
    file: ../seeds/b.txt
  - id: s-late
    title: Fictional report on Yunfan (late)
    kind: article
    published: 2025-06-01
    language: en
    file: ../seeds/late.txt
  - id: s-m
    title: 陈静离职（虚构，只有月份）
    kind: social_post
    published: 2025-02
    language: zh
    file: ../seeds/m.txt
  - id: s-y
    title: Year-only source (fictional)
    kind: interview
    published: "2025"
    language: en
""",
    "tenures.yaml": """\
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
  - id: chen-xinghe
    person: chen-jing
    firm: xinghe
    title: Head of commercial
    area: commercial
    kind: executive
    current: true
    source: s-a
    quote: 陈静是星河智能商业化负责人
    also:
      - source: s-m
        quote: 陈静已从星河智能离职
        end_cause: left
        end: 2025-02
  - id: zhao-xinghe
    person: zhao-lei
    firm: xinghe
    end: ..2025-06
    end_cause: left
    kind: executive
    area: product
    source: s-late
    quote: Zhao Lei left Xinghe AI
  - id: zhao-yunfan
    person: zhao-lei
    firm: yunfan
    title: Chief scientist
    start: ..2025-06
    after: zhao-xinghe
    current: true
    source: s-late
    quote: joined Yunfan Tech as chief scientist
""",
}


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("r8a-known")
    (root / "data").mkdir()
    (root / "seeds").mkdir()
    for name, text in SEEDS.items():
        (root / "seeds" / name).write_text(text, encoding="utf-8")
    for name, text in FILES.items():
        (root / "data" / name).write_text(text, encoding="utf-8")
    assert run_cli("--data", str(root / "data"), "validate").exit_code == 0
    return root / "data"


def _json(data: Path, *args: str) -> Any:
    result = run_cli("--data", str(data), *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def _sources(data: Path, day: str) -> list[str]:
    return [row["source"] for row in _json(data, "sources", "--known-as-of", day)]


def test_a_source_counts_on_its_day_and_by_its_precision(data: Path) -> None:
    assert _sources(data, "2025-03-14") == ["s-a", "s-m"]  # the month-only post from March on
    assert _sources(data, "2025-03-15") == ["s-a", "s-b", "s-m"]  # published that very day
    assert _sources(data, "2025-01") == ["s-a"]
    assert _sources(data, "2025-11") == ["s-a", "s-b", "s-late", "s-m"]
    assert _sources(data, "2025-12") == ["s-a", "s-b", "s-late", "s-m", "s-y"]  # "2025": by 31 December
    assert _sources(data, "2025") == ["s-a", "s-b", "s-late", "s-m", "s-y"]


def test_a_dispute_only_one_side_of_which_was_known_is_not_disputed_then(data: Path) -> None:
    early = "--known-as-of", "2024-12"
    (li, chen) = _json(data, "people", *early)
    assert (li["person"], li["cause"], li["cause_text"], li["disputed"], li["sources"]) == (
        "li-ming",
        "left",
        "left",
        [],
        ["s-a"],
    )
    assert (chen["state"], chen["cause_text"], chen["disputed"]) == ("current", "", [])
    assert run_cli("--data", str(data), "conflicts", *early, "--format", "json").stdout.strip() == "[]"
    (firm,) = _json(data, "strategy", "xinghe", *early)
    assert [(e["signal"], e["source"]) for e in firm["evidence"]] == [("executive_departures", "s-a")]
    (deal,) = _json(data, "deals", *early)
    assert (deal["status"], deal["amount"], deal["disputed"], deal["source"]) == ("rumoured", "~$2B", [], "s-a")
    # on the statement's day both sides are known: disputed, the statement's value first
    (li,) = [r for r in _json(data, "people", "--known-as-of", "2025-03-15") if r["person"] == "li-ming"]
    assert (li["cause"], li["cause_text"], li["disputed"]) == (
        "advisor",
        "advisor | left (disputed, 2 sources)",
        ["end_cause"],
    )


def test_a_fact_only_a_later_source_gives_is_nowhere(data: Path) -> None:
    known = "--known-as-of", "2025-03"
    counts = {row["kind"]: row["count"] for row in _json(data, "stats", *known)}
    assert {k: counts[k] for k in ("sources", "firms", "people", "tenures", "deals", "claims")} == {
        "sources": 3,  # s-a, s-b, s-m
        "firms": 2,  # not Beiming
        "people": 2,  # not Zhao Lei
        "tenures": 2,
        "deals": 1,  # not the $300M round
        "claims": 1,  # not buy_talent (s-late) nor lean_efficiency (s-y)
    }
    assert [(r["firm"], r["people"], r["departures"], r["deals"]) for r in _json(data, "firms", *known)] == [
        ("xinghe", 2, 1, 1),
        ("yunfan", 0, 0, 1),
    ]
    firm = _json(data, "firm", "yunfan", *known)
    assert [d["deal"] for d in firm["deals_as_buyer"]] == ["yf-xh"]
    assert firm["people_joined"] == [] and firm["claims"] == []
    (yunfan,) = _json(data, "strategy", "yunfan", *known)
    assert yunfan["stated"] == [] and yunfan["signals"]["money_committed_usd"] == 2.5e9
    assert {e["record"] for e in yunfan["evidence"]} == {"yf-xh"}
    assert run_cli("--data", str(data), "flows", *known, "--format", "json").stdout.strip() == "[]"
    assert {r["record"] for r in _json(data, "timeline", *known)} == {"yf-xh", "li-xinghe", "chen-xinghe"}
    assert [r["source"] for r in _json(data, "sources", *known)] == ["s-a", "s-b", "s-m"]
    assert {r["source"]: r["claims"] for r in _json(data, "sources", *known)} == {"s-a": 9, "s-b": 3, "s-m": 1}
    for args in (("person", "zhao-lei"), ("person", "赵磊"), ("person", "Zhao"), ("firm", "Beiming Robotics")):
        result = run_cli("--data", str(data), *args, *known)
        assert result.exit_code == 3 and "no source published by 2025-03-31" in result.stderr, (args, result.stderr)
    late = run_cli("--data", str(data), "source", "s-late", *known)
    assert late.exit_code == 3 and "not certainly published by 2025-03-31" in late.stderr
    # once it is known, it is there
    (flow,) = _json(data, "flows", "--known-as-of", "2025-06")
    assert (flow["origin"], flow["destination"], flow["people"]) == ("xinghe", "yunfan", ["zhao-lei"])


def test_as_of_with_known_as_of(data: Path) -> None:
    rows = _json(data, "people", "--as-of", "2025-01", "--known-as-of", "2025-03")
    assert [(r["person"], r["state"], r["cause"]) for r in rows] == [
        ("li-ming", "ended", "advisor"),
        ("chen-jing", "current", None),
    ]
    # left in February by the month-only post, known in March
    rows = _json(data, "people", "--left", "xinghe", "--as-of", "2025-03", "--known-as-of", "2025-03")
    assert [(r["person"], r["cause"], r["end"]) for r in rows] == [
        ("li-ming", "advisor", "..2024-10"),
        ("chen-jing", "left", "2025-02"),
    ]
    assert (rows[1]["source"], rows[1]["quote"]) == ("s-m", "陈静已从星河智能离职")
