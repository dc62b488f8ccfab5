"""Disagreement shown, never hidden: filters match on every value any source gives, rows show the
value the documented rule puts first and say the field is disputed (fictional fixture)."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from aiorg import queries
from aiorg.kb import KnowledgeBase
from aiorg.loader import load
from aiorg.model import EndCause
from aiorg.money import Money
from aiorg.queries.common import Window
from tests.conftest import REPO, run_cli

FIXTURE = REPO / "tests" / "fixtures" / "multisource"

#: added to a copy of the fixture: the reverse case (its own source says demoted, another left),
#: and a deal step whose date the other source gives differently. FICTIONAL, like the fixture.
EXTRA = """\
people:
  - id: wang-fang
    name: Wang Fang
    source: fictional-zh-2024-10
    quote: 星河智能
tenures:
  - id: wang-fang-xinghe-cto
    person: wang-fang
    firm: xinghe
    title: CTO
    end: 2024-09
    end_cause: demoted
    source: fictional-zh-2024-10
    quote: 星河智能
    also:
      - source: fictional-en-2025-03
        quote: Xinghe AI
        end_cause: left
        end: 2025-02
deals:
  - id: xinghe-round
    kind: funding_round
    buyers: [yunfan]
    targets: [xinghe]
    amount: $100M
    stake: 10%
    history:
      - status: completed
        date: 2023-05
        source: fictional-zh-2024-10
        quote: 星河智能
        also:
          - {source: fictional-en-2025-03, quote: Xinghe AI, date: 2024-02}
    source: fictional-zh-2024-10
    quote: 星河智能
    also:
      - {source: fictional-en-2025-03, quote: Xinghe AI, stake: 5%}
"""


@pytest.fixture(scope="module")
def fixture_kb() -> KnowledgeBase:
    return load(FIXTURE / "data")


@pytest.fixture(scope="module")
def extended(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("disputes")
    shutil.copytree(FIXTURE, folder / "kb")
    (folder / "kb" / "data" / "zz-extra.yaml").write_text(EXTRA, encoding="utf-8")
    return folder / "kb" / "data"


def _spells(rows: list[dict[str, object]]) -> list[object]:
    return [row["tenure"] for row in rows]


def test_left_finds_a_departure_another_source_calls_an_advisor_move(fixture_kb: KnowledgeBase) -> None:
    (row,) = queries.people(fixture_kb, left="xinghe")
    assert row["tenure"] == "li-ming-xinghe-product"
    # the firm's official statement outranks the article: advisor is shown first, left is kept
    assert row["cause"] == "advisor"
    assert row["cause_text"] == "advisor | left (disputed, 2 sources)"
    assert row["formal_departure"] is False
    assert row["disputed"] == ["end_cause"]
    assert row["sources"] == ["fictional-zh-2024-10", "fictional-en-2025-03"]
    assert _spells(queries.people(fixture_kb, left="xinghe", formal=True)) == ["li-ming-xinghe-product"]
    assert _spells(queries.people(fixture_kb, cause=EndCause.ADVISOR)) == ["li-ming-xinghe-product"]
    assert _spells(queries.people(fixture_kb, cause=EndCause.LEFT)) == ["li-ming-xinghe-product"]
    assert queries.people(fixture_kb, cause=EndCause.DEMOTED) == []


def test_left_finds_a_demotion_another_source_calls_a_departure(extended: Path) -> None:
    kb = load(extended)
    for found in (
        queries.people(kb, left="xinghe"),  # through the firm's spells
        queries.people(kb, cause=EndCause.LEFT),  # through the store's narrowing
        queries.people(kb, formal=True),
    ):
        assert "wang-fang-xinghe-cto" in _spells(found)
    row = next(r for r in queries.people(kb, left="xinghe") if r["tenure"] == "wang-fang-xinghe-cto")
    # both sources are of different kinds: the official statement's values are shown first
    assert (row["cause"], row["end"]) == ("left", "2025-02")
    assert row["cause_text"] == "left | demoted (disputed, 2 sources)"
    assert row["disputed"] == ["end", "end_cause"]
    assert _spells(queries.people(kb, cause=EndCause.DEMOTED)) == ["wang-fang-xinghe-cto"]
    # each source's end date is a claimed value too
    assert "wang-fang-xinghe-cto" in _spells(queries.people(kb, left="xinghe", window=Window.parse("2025-02", None)))
    assert "wang-fang-xinghe-cto" in _spells(queries.people(kb, left="xinghe", window=Window.parse(None, "2024-09")))
    # as of a day between the two ends, one source has it ended (demoted), the other running
    (row,) = [r for r in queries.people(kb, at="xinghe", as_of=date(2024, 12, 1)) if r["person"] == "wang-fang"]
    assert row["state"] == "current"
    assert "wang-fang-xinghe-cto" in _spells(queries.people(kb, cause=EndCause.DEMOTED, as_of=date(2024, 12, 1)))


def test_money_filters_match_every_claimed_amount(fixture_kb: KnowledgeBase) -> None:
    deal = "yunfan-xinghe-acquisition"
    (high,) = queries.deals(fixture_kb, minimum=Money.parse("2.2e9"))
    (low,) = queries.deals(fixture_kb, maximum=Money.parse("2.2e9"))
    assert high["deal"] == low["deal"] == deal
    assert (high["value_usd"], low["value_usd"]) == (2.5e9, 2e9)  # the number that matched
    assert low["value"] == "~$2B (disputed, 2 sources)"  # the claim that matched is "约20亿美元"
    assert low["amount"] == high["amount"] == "$2.5B | ~$2B (disputed, 2 sources)"  # shown first: $2.5B
    assert low["amount_usd"] == 2.5e9
    assert low["disputed"] == ["amount"]
    assert queries.deals(fixture_kb, minimum=Money.parse("2.6e9")) == []
    assert queries.deals(fixture_kb, maximum=Money.parse("1.9e9")) == []


def test_deal_filters_match_other_sources_stakes_and_step_dates(extended: Path) -> None:
    kb = load(extended)
    # $100M for 10% implies $1B, for 5% (the other source) $2B
    assert [r["deal"] for r in queries.deals(kb, minimum=Money.parse("1.5e9"), maximum=Money.parse("2.1e9"))] == [
        "xinghe-round",  # $2B each: by id
        "yunfan-xinghe-acquisition",
    ]
    row = next(r for r in queries.deals(kb, minimum=Money.parse("1.5e9")) if r["deal"] == "xinghe-round")
    assert (row["matched_on"], row["value_usd"]) == ("implied valuation", 2e9)
    assert row["stake_percent"] == 5.0  # the official statement's stake is shown first
    assert row["disputed"] == ["stake", "history.date"]
    # the step's other source dates it 2024-02, its own 2023-05: either date is in a window
    for since, until in (("2024-01", "2024-03"), ("2023-05", "2023-05")):
        assert "xinghe-round" in [r["deal"] for r in queries.deals(kb, window=Window.parse(since, until))]
    assert "xinghe-round" not in [r["deal"] for r in queries.deals(kb, window=Window.parse("2024-06", "2024-12"))]


def test_rows_name_the_disputed_fields_and_every_source_in_json_and_csv() -> None:
    data = str(FIXTURE / "data")
    result = run_cli("--data", data, "people", "--left", "xinghe", "--format", "json")
    assert result.exit_code == 0, result.stderr
    (row,) = json.loads(result.stdout)
    assert row["disputed"] == ["end_cause"]
    csv = run_cli("--data", data, "deals", "--format", "csv").stdout.splitlines()
    header = csv[0].split(",")
    assert "disputed" in header and "sources" in header
    assert '"$2.5B | ~$2B (disputed, 2 sources)"' in csv[1]


def test_undisputed_rows_have_empty_disputed_lists(bundled_kb: KnowledgeBase) -> None:
    rows = queries.people(bundled_kb, left="minimax")
    assert rows and all(row["disputed"] == [] and row["sources"] == [row["source"]] for row in rows)


def test_conflicts_lists_every_side_of_every_disputed_fact(fixture_kb: KnowledgeBase, extended: Path) -> None:
    from aiorg.queries import shapes
    from aiorg.queries.conflicts import conflicts

    rows = conflicts(fixture_kb)
    assert all(tuple(row) == shapes.CONFLICT for row in rows)
    assert [
        (r["record"], r["field"], r["claim"], r["shown"], r["value"], r["source"], r["source_kind"]) for r in rows
    ] == [
        ("li-ming-xinghe-product", "end_cause", 1, True, "advisor", "fictional-en-2025-03", "official_statement"),
        ("li-ming-xinghe-product", "end_cause", 2, False, "left", "fictional-zh-2024-10", "article"),
        ("yunfan-xinghe-acquisition", "amount", 1, True, "$2.5B", "fictional-en-2025-03", "official_statement"),
        ("yunfan-xinghe-acquisition", "amount", 2, False, "~$2B", "fictional-zh-2024-10", "article"),
    ]
    assert rows[1]["quote"] == "星河智能产品负责人李明已经离职" and rows[1]["published"] == "2024-10-08"
    assert [r["record"] for r in conflicts(fixture_kb, ["deals"])] == ["yunfan-xinghe-acquisition"] * 2
    facts = {(r["record"], r["field"]) for r in conflicts(load(extended))}
    assert {("xinghe-round", "stake"), ("xinghe-round", "history[1].date"), ("wang-fang-xinghe-cto", "end")} <= facts


def test_conflicts_refuses_an_unknown_kind(fixture_kb: KnowledgeBase) -> None:
    from aiorg.errors import UsageError
    from aiorg.queries.conflicts import conflicts

    with pytest.raises(UsageError, match="'deal' is not one of"):
        conflicts(fixture_kb, ["deal"])
    assert conflicts(fixture_kb, ["firms"]) == []
