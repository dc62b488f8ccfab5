"""Second review of the deals listing read from record tuples (aiorg.queries.deal_tuples): on the
multi-source fixture plus deals whose sources disagree on a step's date, a stake and an amount,
every listing (--known-as-of between the sources' publication dates, --party on a person, --rate,
money filters on the implied valuation) is the same row for row whether the deals are read from
their tuples or all decoded, and with or without the SQL narrowing of a money filter."""

from __future__ import annotations

import importlib
import json
import shutil
from pathlib import Path
from unittest import mock

import pytest

from aiorg.queries import deal_tuples
from tests.conftest import REPO, run_cli

FIXTURE = REPO / "tests" / "fixtures" / "multisource"
_DEALS = importlib.import_module("aiorg.queries.deals_page")

MORE_DEALS = """
  # a step whose other source gives another date (so this deal is decoded)
  - id: yunfan-li-offer
    kind: compensation_offer
    title: Yunfan offers Li Ming a package
    buyers: [yunfan]
    targets: [li-ming]
    people: [li-ming]
    amount: 1亿元
    history:
      - status: offered
        date: 2024-10
        source: fictional-zh-2024-10
        quote: 云帆科技据传正洽谈收购星河智能
        also:
          - source: fictional-en-2025-03
            quote: Yunfan Tech agreed to acquire Xinghe AI
            date: 2025-02
    source: fictional-zh-2024-10
    quote: 云帆科技据传正洽谈收购星河智能
  # a stake, an amount and a step's certainty that later sources state otherwise
  - id: xinghe-stake
    kind: stake
    title: Yunfan takes a stake in Xinghe
    buyers: [yunfan]
    targets: [xinghe]
    stake: 10
    amount: 5亿美元
    history:
      - status: in_talks
        date: 2024-10-01
        source: fictional-zh-2024-10
        quote: 云帆科技据传正洽谈收购星河智能
      - status: completed
        source: fictional-podcast-2025-04
        quote: a podcast
        also:
          - source: fictional-en-2025-03
            quote: Yunfan Tech agreed to acquire Xinghe AI
            certainty: reported
    source: fictional-zh-2024-10
    quote: 云帆科技据传正洽谈收购星河智能
    also:
      - source: fictional-en-2025-03
        quote: Yunfan Tech agreed to acquire Xinghe AI
        stake: 20
        valuation: 100亿元
      - source: fictional-podcast-2025-04
        quote: a podcast
        amount: 6亿美元
"""

LISTINGS = [
    [],
    ["--known-as-of", "2024-12-01"],
    ["--known-as-of", "2025-03-14"],
    ["--known-as-of", "2025-03-15"],
    ["--known-as-of", "2025-04-02"],
    ["--party", "li-ming"],
    ["--party", "Li Ming", "--rate", "CNY=0.14", "--min", "1M"],
    ["--rate", "CNY=0.14", "--basis", "valuation", "--min", "1B"],
    ["--min", "450M", "--max", "550M"],
    ["--min", "550M", "--max", "700M"],
    ["--basis", "valuation", "--min", "2B", "--max", "3B"],
    ["--basis", "valuation", "--min", "2B", "--max", "3B", "--known-as-of", "2025-03-20"],
    ["--min", "2.2B", "--known-as-of", "2024-12-01"],
    ["--status", "completed", "--known-as-of", "2025-03-20"],
    ["--since", "2025-01"],
    ["--until", "2024-12"],
]


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("multisource") / "data"
    shutil.copytree(FIXTURE / "data", folder)
    shutil.copytree(FIXTURE / "seeds", folder.parent / "seeds")
    with (folder / "deals.yaml").open("a", encoding="utf-8") as stream:
        stream.write(MORE_DEALS)
    return folder


def _listing(data: Path, options: list[str]) -> list[dict[str, object]]:
    result = run_cli("deals", "--data", str(data), "--format", "json", *options)
    assert result.exit_code == 0, result.stderr
    rows: list[dict[str, object]] = json.loads(result.stdout)
    return rows


@pytest.mark.parametrize("options", LISTINGS, ids=lambda o: " ".join(o) or "all")
def test_tuples_decoded_and_unnarrowed_listings_are_the_same(data: Path, options: list[str]) -> None:
    quick = _listing(data, options)
    with mock.patch.object(deal_tuples, "readable", lambda row: False):
        decoded = _listing(data, options)
    with mock.patch.object(_DEALS, "narrowing", lambda *args: ("", ())):
        unnarrowed = _listing(data, options)
    assert quick == decoded
    assert quick == unnarrowed


def test_a_step_date_another_source_disputes_is_flagged(data: Path) -> None:
    (row,) = _listing(data, ["--party", "li-ming"])
    assert row["deal"] == "yunfan-li-offer"
    assert "history.date" in row["disputed"]  # type: ignore[operator]
    assert row["sources"] == ["fictional-zh-2024-10", "fictional-en-2025-03"]


def test_before_the_later_source_only_the_first_ones_figures_are_told(data: Path) -> None:
    rows = {row["deal"]: row for row in _listing(data, ["--known-as-of", "2024-12-01"])}
    stake = rows["xinghe-stake"]
    assert (stake["amount"], stake["stake_percent"], stake["status"]) == ("$500M", 10.0, "in_talks")
    assert stake["disputed"] == []
    assert stake["sources"] == ["fictional-zh-2024-10"]
