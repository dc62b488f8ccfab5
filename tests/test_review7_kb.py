"""Review 7 (an analyst's review, round 3): attacks that found nothing wrong, each checked by
hand against the FICTIONAL knowledge base below.

Tianqiong Group (天穹集团, formerly 天空科技) and its unit Tianqiong Lab (天穹实验室); Horizon AI
(地平线智能, alias HZN); Spark Data (星火数据). Chen Hua (陈华, aliases Hua Chen and 陈博士) left
the group in 2020 (the date disputed: 2020 in one article, 2019 in a later one), rejoined at the
lab in 2021 and ended that spell by 2024-10, which an article and a social post call a departure
and the group's official statement a move to advisor; he then joined Horizon AI (a social post).
Wang Fang (王芳) moved to an advisor role at the lab. Liu Yang (刘洋) moved from the group to
Horizon AI. Horizon AI's acquisition of Spark Data was a rumour at ~$1B (article, 2024-10),
agreed at $1.2B (official statement, 2025-03), and $1.5B in a social post (2025-06).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_cli

#: path under the knowledge base root -> text
FILES: dict[str, str] = {
    "data/deals.yaml": """\
deals:
  - id: horizon-spark
    kind: acquisition
    title: Horizon AI acquires Spark Data
    buyers: [horizon]
    targets: [spark]
    amount: 约10亿美元
    history:
      - status: rumoured
        date: 2024-10
        source: s-zh
        quote: 地平线智能据传正洽谈收购星火数据
      - status: agreed
        date: 2025-03
        source: s-en
        quote: Horizon AI agreed to acquire Spark Data
    source: s-zh
    quote: 地平线智能据传正洽谈收购星火数据，作价约10亿美元
    also:
      - source: s-en
        quote: Horizon AI agreed to acquire Spark Data for $1.2 billion
        amount: $1.2 billion
      - source: s-post
        quote: Horizon AI paid $1.5 billion for Spark Data
        amount: $1.5 billion
""",
    "data/firms.yaml": """\
firms:
  - id: tianqiong
    name: Tianqiong Group
    name_zh: 天穹集团
    former_names: [天空科技]
    country: CN
    category: big_tech
    source: s-zh
    quote: 天穹集团原名天空科技
  - id: tianqiong-lab
    name: Tianqiong Lab
    name_zh: 天穹实验室
    parent: tianqiong
    country: CN
    category: lab
    source: s-zh
    quote: 天穹集团旗下的天穹实验室
  - id: horizon
    name: Horizon AI
    name_zh: 地平线智能
    aliases: [HZN]
    country: CN
    category: startup
    source: s-zh
    quote: 地平线智能
  - id: spark
    name: Spark Data
    name_zh: 星火数据
    country: CN
    category: startup
    source: s-zh
    quote: 星火数据
""",
    "data/people.yaml": """\
people:
  - id: chen-hua
    name: Chen Hua
    name_zh: 陈华
    aliases: [Hua Chen, 陈博士]
    source: s-zh
    quote: 首席科学家陈华
  - id: wang-fang
    name: Wang Fang
    name_zh: 王芳
    source: s-zh
    quote: 研究负责人王芳
  - id: liu-yang
    name: Liu Yang
    name_zh: 刘洋
    source: s-en
    quote: Liu Yang joined Horizon AI
""",
    "data/sources.yaml": """\
sources:
  - id: s-zh
    title: 天穹集团高管变动
    kind: article
    published: 2024-10-08
    language: zh
    file: ../seeds/zh-2024.txt
  - id: s-en
    title: Tianqiong statement
    kind: official_statement
    published: 2025-03-15
    language: en
    file: ../seeds/en-2025.txt
  - id: s-post
    title: A post
    kind: social_post
    published: 2025-06-01
    language: en
    file: ../seeds/post-2025.txt
  - id: s-zh2
    title: 另一篇报道
    kind: article
    published: 2024-11
    file: ../seeds/zh-2024.txt
""",
    "data/tenures.yaml": """\
tenures:
  - id: chen-hua-tq-1
    person: chen-hua
    firm: tianqiong
    title: Researcher
    kind: employee
    area: research
    start: 2018
    end: 2020
    end_cause: left
    source: s-zh
    quote: 陈华曾于2018年至2020年在天穹集团任研究员
    also:
      - source: s-zh2
        quote: 陈华曾于2018年至2020年在天穹集团任研究员
        end: 2019
  - id: chen-hua-tq-2
    person: chen-hua
    firm: tianqiong-lab
    title: Chief scientist
    kind: executive
    area: research
    start: 2021
    end: ..2024-10
    end_cause: left
    source: s-zh
    quote: 天穹实验室首席科学家陈华已经离职
    also:
      - source: s-en
        quote: Chen Hua, chief scientist of Tianqiong Lab, has moved to an advisor role and has not left
        end_cause: advisor
      - source: s-post
        quote: Chen Hua has left Tianqiong Lab for good
        end_cause: left
  - id: wang-fang-lab
    person: wang-fang
    firm: tianqiong-lab
    title: Head of research
    kind: executive
    area: research
    end: 2024-10
    end_cause: advisor
    source: s-zh
    quote: 天穹实验室研究负责人王芳改任顾问
  - id: liu-yang-tq
    person: liu-yang
    firm: tianqiong
    end: 2024
    end_cause: left
    source: s-en
    quote: Liu Yang joined Horizon AI in 2024 from Tianqiong Group
  - id: liu-yang-hzn
    person: liu-yang
    firm: horizon
    start: 2024
    after: liu-yang-tq
    source: s-en
    quote: Liu Yang joined Horizon AI in 2024 from Tianqiong Group
  - id: chen-hua-hzn
    person: chen-hua
    firm: horizon
    start: 2025
    after: chen-hua-tq-2
    source: s-post
    quote: Chen Hua has left Tianqiong Lab for good
""",
    "seeds/en-2025.txt": """\
Tianqiong Group statement.
Chen Hua, chief scientist of Tianqiong Lab, has moved to an advisor role and has not left.
Wang Fang remains head of research at Tianqiong Lab.
Horizon AI agreed to acquire Spark Data for $1.2 billion.
Liu Yang joined Horizon AI in 2024 from Tianqiong Group.
""",
    "seeds/post-2025.txt": """\
Rumour: Chen Hua has left Tianqiong Lab for good. Horizon AI paid $1.5 billion for Spark Data.
""",
    "seeds/zh-2024.txt": """\
据晚报报道，天穹集团旗下的天穹实验室首席科学家陈华已经离职。陈华曾于2018年至2020年在天穹集团任研究员，2021年重返天穹集团。天穹集团原名天空科技。天穹实验室研究负责人王芳改任顾问。地平线智能据传正洽谈收购星火数据，作价约10亿美元。
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
    return write_kb(tmp_path_factory.mktemp("review7"))


def _json(data: Path, *args: str) -> Any:
    result = run_cli("--data", str(data), *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_validate_finds_every_quote(kb_data: Path) -> None:
    result = run_cli("--data", str(kb_data), "validate")
    assert result.exit_code == 0, result.stderr
    assert "18 records" in result.stdout + result.stderr
    assert "every quote found in its source" in result.stdout + result.stderr


def test_conflicts_lists_each_disputed_fact_once_in_the_readme_order(kb_data: Path) -> None:
    rows = _json(kb_data, "conflicts")
    got = [(r["record"], r["field"], r["claim"], r["shown"], r["value"], r["source"]) for r in rows]
    assert got == [
        # two articles: the more recently published is shown first
        ("chen-hua-tq-1", "end", 1, True, "2019", "s-zh2"),
        ("chen-hua-tq-1", "end", 2, False, "2020", "s-zh"),
        # an official statement outweighs an article and a later social post
        ("chen-hua-tq-2", "end_cause", 1, True, "advisor", "s-en"),
        ("chen-hua-tq-2", "end_cause", 2, False, "left", "s-zh"),
        ("chen-hua-tq-2", "end_cause", 3, False, "left", "s-post"),
        ("horizon-spark", "amount", 1, True, "$1.2B", "s-en"),
        ("horizon-spark", "amount", 2, False, "~$1B", "s-zh"),
        ("horizon-spark", "amount", 3, False, "$1.5B", "s-post"),
    ]
    quotes = {(r["record"], r["source"]): r["quote"] for r in rows}
    assert quotes[("horizon-spark", "s-post")] == "Horizon AI paid $1.5 billion for Spark Data"
    assert quotes[("chen-hua-tq-2", "s-zh")] == "天穹实验室首席科学家陈华已经离职"
    assert {r["sources"] for r in rows if r["record"] != "chen-hua-tq-1"} == {3}


def test_conflicts_known_as_of_hides_later_sources(kb_data: Path) -> None:
    rows = _json(kb_data, "conflicts", "--known-as-of", "2025-04")
    got = [(r["record"], r["claim"], r["value"], r["source"], r["sources"]) for r in rows]
    assert got == [
        ("chen-hua-tq-1", 1, "2019", "s-zh2", 2),
        ("chen-hua-tq-1", 2, "2020", "s-zh", 2),
        ("chen-hua-tq-2", 1, "advisor", "s-en", 2),
        ("chen-hua-tq-2", 2, "left", "s-zh", 2),
        ("horizon-spark", 1, "$1.2B", "s-en", 2),
        ("horizon-spark", 2, "~$1B", "s-zh", 2),
    ]
    assert _json(kb_data, "conflicts", "--known-as-of", "2024-10") == []


def test_a_preferred_source_is_shown_first(tmp_path: Path) -> None:
    data = write_kb(tmp_path)
    deals = data / "deals.yaml"
    deals.write_text(
        deals.read_text(encoding="utf-8").replace(
            "        amount: $1.5 billion\n",
            "        amount: $1.5 billion\n        preferred: the buyer's later filing gives this figure\n",
        ),
        encoding="utf-8",
    )
    rows = [r for r in _json(data, "conflicts") if r["record"] == "horizon-spark"]
    assert [(r["value"], r["source"], r["preferred"]) for r in rows] == [
        ("$1.5B", "s-post", "the buyer's later filing gives this figure"),
        ("$1.2B", "s-en", None),
        ("~$1B", "s-zh", None),
    ]


def test_sources_counts_are_the_claims_source_lists(kb_data: Path) -> None:
    counts = {r["source"]: r["claims"] for r in _json(kb_data, "sources")}
    assert counts == {"s-zh": 11, "s-en": 6, "s-post": 3, "s-zh2": 1}
    for source, count in counts.items():
        assert len(_json(kb_data, "source", source)) == count
    by_record = {(r["record"], r["part"]): (r["fields"], r["locator"]) for r in _json(kb_data, "source", "s-en")}
    assert by_record[("chen-hua-tq-2", None)] == (["end_cause: advisor"], 27)
    assert by_record[("horizon-spark", None)] == (["amount: $1.2B"], 171)
    assert by_record[("liu-yang", None)] == (["record"], 229)
    text = FILES["seeds/en-2025.txt"]
    assert text.index("Horizon AI agreed to acquire Spark Data for $1.2 billion") == 171


def test_firm_headers_count_the_rows_they_head(kb_data: Path) -> None:
    firms = {r["firm"]: (r["people"], r["departures"], r["deals"]) for r in _json(kb_data, "firms")}
    assert firms == {"horizon": (2, 0, 1), "spark": (0, 0, 1), "tianqiong": (3, 4, 0), "tianqiong-lab": (2, 2, 0)}
    group = _json(kb_data, "firm", "天空科技")
    assert group["firm"] == "tianqiong" and group["units"] == ["tianqiong-lab"]
    assert sorted(r["tenure"] for r in group["people_left"]) == [
        "chen-hua-tq-1", "chen-hua-tq-2", "liu-yang-tq", "wang-fang-lab",
    ]  # fmt: skip
    assert len({r["person"] for r in group["people_left"] + group["people_joined"]}) == 3


def test_two_spells_of_one_person_and_as_of(kb_data: Path) -> None:
    at = _json(kb_data, "people", "--at", "tianqiong", "--as-of", "2019")
    assert sorted(r["tenure"] for r in at) == ["chen-hua-tq-1", "liu-yang-tq", "wang-fang-lab"]
    states = {r["tenure"]: (r["state"], r["when"], r["disputed"]) for r in at}
    assert states["liu-yang-tq"] == ("current", "not stated", [])
    # one source ends it in 2019, another in 2020: still there on 2019-12-31 by the second, and
    # the row says the end is disputed
    assert states["chen-hua-tq-1"] == ("ended", "2019 | 2020 (disputed, 2 sources)", ["end"])
    result = run_cli("--data", str(kb_data), "people", "--at", "tianqiong", "--as-of", "2022", "--format", "json")
    assert sorted(r["tenure"] for r in json.loads(result.stdout)) == ["liu-yang-tq", "wang-fang-lab"]
    assert "chen-hua-tq-2" in result.stderr  # "by 2024-10" may be before or after 2022: undecided
    left = _json(kb_data, "people", "--left", "tianqiong", "--as-of", "2020")
    assert [r["tenure"] for r in left] == ["chen-hua-tq-1"]


def test_a_person_by_alias_in_both_scripts(kb_data: Path) -> None:
    for name in ("陈博士", "Hua Chen", "陈华", "CHEN HUA"):
        profile = _json(kb_data, "person", name)
        assert profile["person"] == "chen-hua"
        assert [r["tenure"] for r in profile["career"]] == ["chen-hua-tq-1", "chen-hua-tq-2", "chen-hua-hzn"]


def test_flows_from_a_parent_include_its_unit_and_mark_the_disputed_move(kb_data: Path) -> None:
    rows = _json(kb_data, "flows", "--from", "天空科技", "--to", "HZN")
    got = [(r["origin"], r["destination"], r["people"], r["status"], r["evidence"]) for r in rows]
    assert got == [
        ("tianqiong", "horizon", ["liu-yang"], ["moved"], ["liu-yang-hzn"]),
        (
            "tianqiong-lab",
            "horizon",
            ["chen-hua"],
            ["moved (chen-hua: end_cause disputed, 3 sources)"],
            ["chen-hua-hzn"],
        ),
    ]
    known = _json(kb_data, "flows", "--known-as-of", "2025-04")
    assert [(r["origin"], r["people"]) for r in known] == [("tianqiong", ["liu-yang"])]


def test_path_same_record_and_no_path(kb_data: Path) -> None:
    same = run_cli("--data", str(kb_data), "path", "陈华", "Hua Chen")
    assert same.exit_code == 2 and same.stderr.startswith("aiorg: error:") and "same record" in same.stderr
    far = run_cli("--data", str(kb_data), "path", "wang-fang", "spark", "--max-hops", "2", "--format", "json")
    assert far.exit_code == 0 and json.loads(far.stdout) == []
    assert "not connected within 2 hops" in far.stderr


def test_path_through_an_alias(kb_data: Path) -> None:
    rows = _json(kb_data, "path", "HZN", "天空科技", "--max-hops", "2")
    assert [(r["path"], r["from"], r["to"], r["via"], r["source"]) for r in rows] == [
        (1, "horizon", "chen-hua", "chen-hua-hzn", "s-post"),
        (1, "chen-hua", "tianqiong", "chen-hua-tq-1", "s-zh"),
        (2, "horizon", "liu-yang", "liu-yang-hzn", "s-en"),
        (2, "liu-yang", "tianqiong", "liu-yang-tq", "s-en"),
    ]


def test_timeline_orders_years_before_months_and_role_ends_first(kb_data: Path) -> None:
    rows = _json(kb_data, "timeline")
    got = [(r["date"], r["kind"], r["record"]) for r in rows]
    assert got == [
        ("2018", "role_start", "chen-hua-tq-1"),
        ("2019", "role_end:left", "chen-hua-tq-1"),  # the later article's date is shown first
        ("2021", "role_start", "chen-hua-tq-2"),
        ("2024", "role_end:left", "liu-yang-tq"),
        ("2024", "role_start", "liu-yang-hzn"),
        ("2024-10", "role_end:advisor", "wang-fang-lab"),
        ("2024-10", "deal:rumoured", "horizon-spark"),
        ("..2024-10", "role_end:advisor", "chen-hua-tq-2"),
        ("2025", "role_start", "chen-hua-hzn"),
        ("2025-03", "deal:agreed", "horizon-spark"),
    ]


def test_stats_count_what_the_listings_return(kb_data: Path) -> None:
    stats = {r["kind"]: r["count"] for r in _json(kb_data, "stats")}
    assert stats["tenures"] == len(_json(kb_data, "people")) == 6
    assert stats["firms"] == len(_json(kb_data, "firms")) == 4
    assert stats["deals"] == len(_json(kb_data, "deals")) == 1
    assert stats["sources"] == len(_json(kb_data, "sources")) == 4
    assert stats["people"] == 3
    # nodes: 4 sources, 4 firms, 3 people, 1 deal
    assert stats["graph nodes"] == 12
