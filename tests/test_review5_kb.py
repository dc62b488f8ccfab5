"""Review 5 (an analyst's review): a small FICTIONAL knowledge base, written to a temporary
directory by `write_kb`, and the attacks on strategy, flows, path and the exports that found
nothing wrong, each checked against the YAML below by hand.

The knowledge base is invented: Alpha Intelligence (阿尔法智能) and its unit Alpha Lab (parent),
Beta Tech, Gamma Corp; Zhao Lei (赵磊) moved Alpha -> Beta -> Gamma; Sun Yu's departure from
Alpha Lab is disputed (an article says left, an official statement says advisor); a deal in
CNY with no rate; a deal told by two sources; an "up to" offer by the unit; a superseded agreed
stake; a strategy claim; a firm linked to nothing (Lonely Labs)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_cli

#: path under the knowledge base root -> text
FILES: dict[str, str] = {
    "data/claims.yaml": """\
claims:
  - id: claim-alpha-buy
    subjects: [alpha]
    strategy: buy_talent
    text: Analysts say Alpha chose to trade money for time
    source: s-zh
    quote: 分析认为，阿尔法智能选择了用金钱换时间的策略
""",
    "data/deals.yaml": """\
deals:
  - id: beta-xingchen
    kind: acquisition
    title: Beta Tech agrees to buy Xingchen Data for 5 billion yuan
    buyers: [beta]
    targets: [xingchen]
    amount: 50亿元
    history:
      - status: agreed
        date: 2025-02
        source: s-zh
        quote: 贝塔科技已同意以50亿元人民币收购星辰数据
    source: s-zh
    quote: 贝塔科技已同意以50亿元人民币收购星辰数据
  - id: alpha-omega
    kind: acquisition
    title: Alpha Intelligence acquires Omega Robotics for $1B
    buyers: [alpha]
    targets: [omega]
    amount: 10亿美元
    history:
      - status: completed
        date: 2025-01
        source: s-zh
        quote: 阿尔法智能以10亿美元完成了对奥米伽机器人的收购
        also:
          - source: s-en
            quote: Alpha Intelligence completed its acquisition of Omega Robotics
    source: s-zh
    quote: 阿尔法智能以10亿美元完成了对奥米伽机器人的收购
    also:
      - source: s-en
        quote: Alpha Intelligence completed its acquisition of Omega Robotics for $1 billion.
        amount: $1 billion
  - id: alpha-lab-zhou-offer
    kind: compensation_offer
    title: Alpha Lab offers Zhou Tao up to $100M
    buyers: [alpha-lab]
    targets: [zhou-tao]
    people: [zhou-tao]
    amount: up to 1亿美元
    history:
      - status: offered
        date: 2025-02
        source: s-zh
        quote: 阿尔法实验室向研究员周涛开出高达1亿美元的薪酬
    source: s-zh
    quote: 阿尔法实验室向研究员周涛开出高达1亿美元的薪酬
  - id: gamma-beta-offer
    kind: stake
    title: Gamma Corp agrees to buy a stake in Beta Tech for $300M, later replaced
    buyers: [gamma]
    targets: [beta]
    amount: 3亿美元
    history:
      - status: agreed
        date: 2025-01
        source: s-zh
        quote: 伽马公司曾同意以3亿美元收购贝塔科技的一部分股份
    superseded_by: gamma-beta-stake
    source: s-zh
    quote: 伽马公司曾同意以3亿美元收购贝塔科技的一部分股份
  - id: gamma-beta-stake
    kind: stake
    title: Gamma Corp agrees to buy a stake in Beta Tech for $500M
    buyers: [gamma]
    targets: [beta]
    amount: 5亿美元
    history:
      - status: agreed
        date: 2025-04
        source: s-en
        quote: Gamma Corp agreed to buy a stake in Beta Tech for $500 million.
    source: s-zh
    quote: 后来改为5亿美元并达成协议
""",
    "data/firms.yaml": """\
firms:
  - id: alpha
    name: Alpha Intelligence
    name_zh: 阿尔法智能
    country: CN
    category: startup
    source: s-zh
    quote: 阿尔法智能
  - id: alpha-lab
    name: Alpha Lab
    name_zh: 阿尔法实验室
    category: unit
    parent: alpha
    source: s-zh
    quote: 阿尔法智能（Alpha Intelligence）旗下的阿尔法实验室
  - id: beta
    name: Beta Tech
    name_zh: 贝塔科技
    country: CN
    category: startup
    source: s-zh
    quote: 贝塔科技
  - id: gamma
    name: Gamma Corp
    name_zh: 伽马公司
    country: US
    category: big_tech
    source: s-zh
    quote: 伽马公司
  - id: xingchen
    name: Xingchen Data
    name_zh: 星辰数据
    country: CN
    category: startup
    source: s-zh
    quote: 星辰数据
  - id: omega
    name: Omega Robotics
    name_zh: 奥米伽机器人
    category: startup
    source: s-zh
    quote: 奥米伽机器人
  - id: lonely
    name: Lonely Labs
    name_zh: 孤独实验室
    category: startup
    source: s-zh
    quote: 虚构新闻
""",
    "data/people.yaml": """\
people:
  - id: sun-yu
    name: Sun Yu
    name_zh: 孙宇
    source: s-zh
    quote: 孙宇
  - id: zhao-lei
    name: Zhao Lei
    name_zh: 赵磊
    source: s-zh
    quote: 赵磊
  - id: zhou-tao
    name: Zhou Tao
    name_zh: 周涛
    source: s-zh
    quote: 研究员周涛
  - id: qian-feng
    name: Qian Feng
    name_zh: 钱峰
    source: s-zh
    quote: 钱峰
""",
    "data/sources.yaml": """\
sources:
  - id: s-zh
    title: 阿尔法智能人事变动（虚构）
    kind: article
    publisher: Fictional Daily
    published: 2025-03-01
    language: zh
    file: ../seeds/zh.txt
  - id: s-en
    title: Alpha Intelligence statement (fictional)
    kind: official_statement
    publisher: Alpha Intelligence (fictional)
    published: 2025-05-01
    language: en
    file: ../seeds/en.txt
""",
    "data/tenures.yaml": """\
tenures:
  - id: sun-yu-alpha-lab
    person: sun-yu
    firm: alpha-lab
    title: Head of Alpha Lab
    area: product
    kind: executive
    end: ..2025-03
    end_cause: left
    source: s-zh
    quote: 阿尔法实验室负责人孙宇已经离职
    also:
      - source: s-en
        quote: Sun Yu, the head of Alpha Lab, has moved to an advisor role and has not left Alpha Intelligence.
        end_cause: advisor
  - id: zhao-lei-alpha
    person: zhao-lei
    firm: alpha
    title: Head of product
    title_zh: 产品负责人
    area: product
    kind: executive
    end: 2024
    end_cause: left
    source: s-zh
    quote: 赵磊曾在阿尔法智能担任产品负责人
  - id: zhao-lei-beta
    person: zhao-lei
    firm: beta
    title: Head of commercial
    title_zh: 商业化负责人
    area: commercial
    kind: executive
    start: 2024
    end: 2025
    end_cause: left
    after: zhao-lei-alpha
    source: s-zh
    quote: 后来加入贝塔科技担任商业化负责人
  - id: zhao-lei-gamma
    person: zhao-lei
    firm: gamma
    title: Chief product officer
    area: product
    kind: executive
    start: 2025
    current: true
    after: zhao-lei-beta
    source: s-zh
    quote: 今年又加入了伽马公司
    also:
      - source: s-en
        quote: Zhao Lei joined Gamma Corp as chief product officer.
  - id: qian-feng-alpha-lab
    person: qian-feng
    firm: alpha-lab
    end: 2024
    end_cause: left
    source: s-zh
    quote: 阿尔法实验室的钱峰去年离开后加入了伽马公司
  - id: qian-feng-gamma
    person: qian-feng
    firm: gamma
    start: 2024
    after: qian-feng-alpha-lab
    source: s-zh
    quote: 阿尔法实验室的钱峰去年离开后加入了伽马公司
  - id: sun-yu-gamma
    person: sun-yu
    firm: gamma
    start: 2025
    after: sun-yu-alpha-lab
    source: s-zh
    quote: 孙宇
""",
    "seeds/en.txt": """\
Fictional news: Alpha Intelligence changes (an invented example text)

Sun Yu, the head of Alpha Lab, has moved to an advisor role and has not left Alpha Intelligence.
Alpha Intelligence completed its acquisition of Omega Robotics for $1 billion.
Gamma Corp agreed to buy a stake in Beta Tech for $500 million.
Zhao Lei joined Gamma Corp as chief product officer.
""",
    "seeds/zh.txt": """\
虚构新闻：阿尔法智能的人事变动（完全虚构的示例文本）

阿尔法智能（Alpha Intelligence）旗下的阿尔法实验室负责人孙宇已经离职。
赵磊曾在阿尔法智能担任产品负责人，后来加入贝塔科技担任商业化负责人，
今年又加入了伽马公司。
贝塔科技已同意以50亿元人民币收购星辰数据。阿尔法智能以10亿美元完成了对奥米伽机器人的收购。
阿尔法实验室向研究员周涛开出高达1亿美元的薪酬。伽马公司曾同意以3亿美元收购贝塔科技的一部分股份，后来改为5亿美元并达成协议。
分析认为，阿尔法智能选择了用金钱换时间的策略。
阿尔法实验室的钱峰去年离开后加入了伽马公司。
""",
}


def write_kb(root: Path) -> Path:
    """Write the fictional knowledge base under `root`; returns its data directory."""
    for name, text in FILES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "data"


@pytest.fixture(scope="module")
def kb_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_kb(tmp_path_factory.mktemp("review5"))


def _json(data: Path, *args: str) -> list[dict[str, Any]]:
    result = run_cli("--data", str(data), *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows: list[dict[str, Any]] = json.loads(result.stdout)
    return rows


def _firm(rows: list[dict[str, Any]], firm: str) -> dict[str, Any]:
    (row,) = [r for r in rows if r["firm"] == firm]
    return row


def _evidence(row: dict[str, Any], signal: str) -> list[tuple[object, object]]:
    items = row["evidence"]
    assert isinstance(items, list)
    return sorted((e["record"], e["text"]) for e in items if e["signal"] == signal)


def test_strategy_money_counts_each_deal_once_and_leaves_out_ceilings_cny_and_replaced_deals(kb_data: Path) -> None:
    rows = _json(kb_data, "strategy")
    alpha, beta, gamma = (_firm(rows, f) for f in ("alpha", "beta", "gamma"))
    signals = {f: r["signals"] for f, r in (("alpha", alpha), ("beta", beta), ("gamma", gamma))}
    # $1B told by two sources counts once; the unit's "up to $100M" is a ceiling, never committed
    assert signals["alpha"]["money_committed_usd"] == 1e9
    assert signals["alpha"]["money_offered_ceiling_usd"] == 1e8
    assert [r for r, _ in _evidence(alpha, "money_offered_ceiling_usd")] == ["alpha-lab-zhou-offer"]
    # the unit's offer is the parent's: Zhou Tao is sought by Alpha Intelligence through Alpha Lab
    assert [r for r, _ in _evidence(alpha, "people_sought")] == ["alpha-lab-zhou-offer"]
    # CNY 5B with no rate is not counted, and the evidence says why
    assert signals["beta"]["money_committed_usd"] == 0
    ((record, text),) = _evidence(beta, "money_committed_usd")
    assert record == "beta-xingchen" and "not counted" in str(text) and "exchange rate" in str(text)
    # the replaced $300M stake is not added to the $500M that replaced it
    assert signals["gamma"]["money_committed_usd"] == 5e8
    assert signals["gamma"]["buyer_deals"] == 1
    assert [r for r, _ in _evidence(gamma, "money_committed_usd")] == ["gamma-beta-stake"]
    # derived and stated kept apart; the agreement follows from them
    assert [d["label"] for d in alpha["derived"]] == ["buy_talent", "retrench"]
    assert [s["label"] for s in alpha["stated"]] == ["buy_talent"]
    assert alpha["agreement"] == "partly agree" and _firm(rows, "lonely")["agreement"] == "unclassified"


def test_strategy_window_counts_only_evidence_inside_it(kb_data: Path) -> None:
    rows = _json(kb_data, "strategy", "--since", "2025-03")
    alpha, gamma = _firm(rows, "alpha"), _firm(rows, "gamma")
    assert alpha["signals"]["money_committed_usd"] == 0  # Omega: 2025-01
    assert alpha["signals"]["money_offered_ceiling_usd"] == 0  # offer: 2025-02
    # Zhao Lei's departure (2024) is outside; Sun Yu's end (by 2025-03) may be inside, and counts as
    # shown first: the official statement (s-en) says advisor, outranking the article's "left"
    assert [r for r, _ in _evidence(alpha, "executive_departures")] == []
    assert [r for r, _ in _evidence(alpha, "advisor_moves")] == ["sun-yu-alpha-lab"]
    assert gamma["signals"]["money_committed_usd"] == 5e8  # 2025-04
    matrix = _json(kb_data, "strategy", "--matrix", "--since", "2025-03")
    assert _firm(matrix, "alpha")["money_committed_usd"] == 0 and _firm(matrix, "gamma")["money_committed_usd"] == 5e8


def test_flows_follow_two_moves_and_count_a_unit_for_its_parent(kb_data: Path) -> None:
    def flows(*args: str) -> list[tuple[object, ...]]:
        return [
            (r["origin"], r["destination"], tuple(r["people"]), tuple(r["evidence"]))
            for r in _json(kb_data, "flows", *args)
        ]

    assert flows("--from", "阿尔法智能") == [
        ("alpha-lab", "gamma", ("qian-feng", "sun-yu"), ("qian-feng-gamma", "sun-yu-gamma")),
        ("alpha", "beta", ("zhao-lei",), ("zhao-lei-beta",)),
    ]
    # Zhao Lei moved twice: two flows, never a made-up Alpha -> Gamma one
    assert ("beta", "gamma", ("zhao-lei",), ("zhao-lei-gamma",)) in flows("--to", "Gamma Corp")
    assert not [f for f in flows() if f[0] == "alpha" and f[1] == "gamma"]
    assert flows("--from", "beta", "--to", "alpha") == []


def test_path_cites_each_hop_and_says_when_records_are_not_connected(kb_data: Path) -> None:
    rows = _json(kb_data, "path", "赵磊", "xingchen")
    assert [(r["path"], r["from"], r["relation"], r["to"], r["via"]) for r in rows] == [
        (1, "zhao-lei", "former Head of commercial at", "beta", "zhao-lei-beta"),
        (1, "beta", "buyer in", "beta-xingchen", "beta-xingchen"),
        (1, "beta-xingchen", "targets", "xingchen", "beta-xingchen"),
    ]
    assert {r["source"] for r in rows} == {"s-zh"}
    result = run_cli("--data", str(kb_data), "path", "lonely", "alpha")
    assert result.exit_code == 0 and result.stdout == ""
    assert (
        "Lonely Labs (孤独实验室) and Alpha Intelligence (阿尔法智能) are not connected within 4 hops" in result.stderr
    )


def test_graph_exports_read_back_with_directions_labels_and_provenance(kb_data: Path, tmp_path: Path) -> None:
    import networkx as nx

    for fmt, read in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        out = tmp_path / f"kb.{fmt}"
        assert run_cli("--data", str(kb_data), "export", fmt, str(out)).exit_code == 0
        graph = read(out)
        assert graph.nodes["sun-yu"]["label"] == "Sun Yu (孙宇)" and graph.nodes["alpha-lab"]["type"] == "firm"
        assert all(data["sources"] for _, data in graph.nodes(data=True)), fmt
        assert all(data["sources"] for _, _, data in graph.edges(data=True)), fmt
        edges = {(u, v, d["relation"]): d for u, v, d in graph.edges(data=True)}
        spell = edges[("sun-yu", "alpha-lab", "held_role_at")]  # person -> the firm they left
        assert (spell["end_cause"], spell["sources"], spell["disputed"]) == ("left", "s-zh; s-en", True)
        assert edges[("zhao-lei", "beta", "held_role_at")]["after"] == "zhao-lei-alpha"
        assert ("alpha-lab", "alpha", "part_of") in edges  # unit -> parent
        assert ("gamma", "gamma-beta-stake", "buyer_in") in edges and ("gamma-beta-stake", "beta", "targets") in edges
        assert ("gamma-beta-offer", "gamma-beta-stake", "superseded_by") in edges
        assert edges[("alpha", "alpha-omega", "buyer_in")]["sources"] == "s-zh; s-en"
        assert edges[("alpha", "alpha-omega", "buyer_in")]["disputed"] is False  # 10亿美元 = $1 billion


def test_csv_export_keeps_chinese_and_has_no_edge_type_column(kb_data: Path, tmp_path: Path) -> None:
    import csv

    out = tmp_path / "csv"
    assert run_cli("--data", str(kb_data), "export", "csv", str(out)).exit_code == 0
    with (out / "nodes.csv").open(encoding="utf-8", newline="") as f:
        nodes = {r["id"]: r for r in csv.DictReader(f)}
    with (out / "edges.csv").open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        assert "type" not in (reader.fieldnames or [])  # Gephi would read it as the direction
        edges = list(reader)
    assert nodes["alpha-lab"]["label"] == "Alpha Lab (阿尔法实验室)" and nodes["xingchen"]["name_zh"] == "星辰数据"
    assert all(r["sources"] for r in nodes.values()) and all(r["sources"] for r in edges)
    (spell,) = [r for r in edges if r["key"] == "sun-yu-alpha-lab"]
    assert (spell["source"], spell["target"], spell["disputed"]) == ("sun-yu", "alpha-lab", "true")


def test_sqlite_claims_are_located_where_their_quotes_begin(kb_data: Path, tmp_path: Path) -> None:
    import sqlite3

    out = tmp_path / "kb.db"
    assert run_cli("--data", str(kb_data), "export", "sqlite", str(out)).exit_code == 0
    texts = {"s-zh": FILES["seeds/zh.txt"], "s-en": FILES["seeds/en.txt"]}
    db = sqlite3.connect(out)
    rows = db.execute(
        "SELECT fact, field, value, source, quote, locator, checked, own, disputed FROM source_claims"
    ).fetchall()
    assert rows and all(texts[r[3]][r[5] : r[5] + len(r[4])] == r[4] and r[6] == 1 for r in rows)
    disputed = {(r[0], r[1], r[2], r[3], r[7]) for r in rows if r[8]}
    assert disputed == {
        ("sun-yu-alpha-lab", None, None, "s-zh", 1),
        ("sun-yu-alpha-lab", None, None, "s-en", 0),
        ("sun-yu-alpha-lab", "end_cause", "left", "s-zh", 1),
        ("sun-yu-alpha-lab", "end_cause", "advisor", "s-en", 0),
    }
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
