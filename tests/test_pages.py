"""Long listings show their first rows: a page is the whole answer's first rows, in its order,
with the whole answer's count; a table shows 100 rows unless --limit says otherwise, and json,
csv and excel hold every row. The page functions are checked against the oracle's whole answer
on random knowledge bases, and the CLI on a generated knowledge base with hundreds of rows."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aiorg.cli.options import TABLE_ROWS
from aiorg.money import Money
from aiorg.names import NameIndex
from aiorg.queries import Basis
from aiorg.queries.deals_page import deals_page
from aiorg.queries.profiles import firms_page
from aiorg.queries.search import NAME_MATCHES, search, search_page
from tests import oracle
from tests.conftest import run_cli
from tests.test_oracle import FIRMS, _folder, _load, knowledge_bases

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))
from generate import generate  # noqa: E402


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pages")


@given(
    spec=knowledge_bases(),
    cached=st.booleans(),
    limit=st.one_of(st.none(), st.integers(0, 3)),
    minimum=st.sampled_from([None, "1e8", "2e9", "14.3e9"]),
    basis=st.sampled_from([b.value for b in Basis]),
    party=st.one_of(st.none(), st.sampled_from(FIRMS)),
)
def test_a_deals_page_is_the_oracles_first_rows(
    scratch: Path, spec: Any, cached: bool, limit: int | None, minimum: str | None, basis: str, party: str | None
) -> None:
    kb = _load(spec, _folder(scratch), cached)
    low = Money.parse(minimum) if minimum else None
    page = deals_page(kb, minimum=low, basis=Basis(basis), party=party, limit=limit)
    expected = oracle.deal_rows(
        spec,
        minimum=low.value if low else None,
        maximum=None,
        basis=basis,
        party=party,
        kind=None,
        status=None,
        since=None,
        until=None,
        rates={},
    )
    assert page.total == len(expected)
    assert page.rows == (expected if limit is None else expected[:limit])


@given(
    spec=knowledge_bases(),
    limit=st.integers(0, 3),
    minimum=st.sampled_from([None, "1e8", "2e9", "14.3e9"]),
    maximum=st.sampled_from([None, "3e9", "2e10"]),
    basis=st.sampled_from([b.value for b in Basis]),
    rates=st.sampled_from([{}, {"CNY": 0.14}, {"CNY": 0.14, "EUR": 1.1}]),
)
def test_a_deals_page_ordered_on_the_kept_versions_is_the_oracles(
    scratch: Path,
    spec: Any,
    limit: int,
    minimum: str | None,
    maximum: str | None,
    basis: str,
    rates: dict[str, float],
) -> None:
    """With a money filter alone and a store in a cache, the deals another source gives a figure
    for are ordered on their versions kept beside the store (aiorg.queries.deal_versions): the
    count and the page must be the oracle's, when the versions are found and when they are read."""
    folder = _folder(scratch)
    low, high = (Money.parse(bound) if bound else None for bound in (minimum, maximum))
    expected = oracle.deal_rows(
        spec,
        minimum=low.value if low else None,
        maximum=high.value if high else None,
        basis=basis,
        party=None,
        kind=None,
        status=None,
        since=None,
        until=None,
        rates=rates,
    )
    if low is not None and high is not None and low.value > high.value:
        return  # refused: nothing can match
    for _ in range(2):  # found and kept, then read from the cache
        kb = _load(spec, folder, True)
        page = deals_page(kb, minimum=low, maximum=high, basis=Basis(basis), rates=rates, limit=limit)
        assert page.total == len(expected)
        assert page.rows == expected[:limit]


def _deal(deal_id: str, source: str = "s", **figures: Any) -> dict[str, Any]:
    history = [{"status": "agreed", "date": "2025-01", "source": source, "quote": "a quote"}]
    return {"id": deal_id, "kind": "stake", "buyers": ["acme"], "targets": ["bolt"], "history": history,
            "source": source, "quote": "a quote", **figures}  # fmt: skip


def figures_spec() -> dict[str, list[dict[str, Any]]]:
    """A fictional knowledge base of deals whose figures sources disagree on: a filing's figures
    are shown first, a report's differ (aiorg.queries.deal_versions; the site's deals_over)."""
    return {
        "sources": [
            {"id": "s", "title": "A fictional filing", "kind": "filing", "published": "2025-01"},
            {"id": "r", "title": "A fictional report", "kind": "article", "published": "2024-06"},
        ],
        "firms": [{"id": firm, "name": firm.title(), "source": "s", "quote": "a quote"} for firm in ("acme", "bolt")],
        "deals": [
            _deal("told", amount="1e9", also=[{"source": "r", "quote": "another", "amount": "2e10"}]),
            _deal("plain", amount="1.5e10"),
            _deal("small", amount="1e8", also=[{"source": "r", "quote": "another", "amount": "2e8"}]),
            _deal("valued", valuation="5e9", also=[{"source": "r", "quote": "another", "valuation": "3e10"}]),
            _deal("yuan", amount="人民币1000亿元", also=[{"source": "r", "quote": "another", "amount": "1e9"}]),
        ],
    }


def test_a_deal_matched_only_by_a_figure_not_shown_is_ordered_by_it(scratch: Path) -> None:
    """A filing says $1B and is shown first; a report says $20B. `--min 10e9` matches the report's
    figure, so the deal is listed first on it, above a $15B deal, and counted, when the versions
    are found and when they are read from the cache (a page that kept only the shown version
    left it out)."""
    spec = figures_spec()
    folder = _folder(scratch)
    for _ in range(2):
        kb = _load(spec, folder, True)
        page = deals_page(kb, minimum=Money.parse("10e9"), basis=Basis.AMOUNT, limit=1)
        assert (page.total, [row["deal"] for row in page.rows]) == (2, ["told"])
        page = deals_page(kb, minimum=Money.parse("10e9"), limit=5)
        assert [row["deal"] for row in page.rows] == ["valued", "told", "plain"]
        page = deals_page(kb, maximum=Money.parse("5e8"), limit=5)
        assert [row["deal"] for row in page.rows] == ["small"]
        # At a rate for yuan, the filing's 人民币1000亿元 is $14B: it matches, on the filing's figure.
        page = deals_page(kb, minimum=Money.parse("10e9"), basis=Basis.AMOUNT, rates={"CNY": 0.14}, limit=5)
        assert [(row["deal"], row["value_usd"]) for row in page.rows] == [
            ("told", 2e10),
            ("plain", 1.5e10),
            ("yuan", 1.4e10),
        ]
    # An edit of the file: the versions of the deal edited are found again, the others' are kept.
    # (Kept versions that said `small` cannot match would show `told`, which checks out.)
    spec["deals"][2]["amount"] = "2e10"
    kb = _load(spec, folder, True)
    page = deals_page(kb, minimum=Money.parse("10e9"), basis=Basis.AMOUNT, limit=1)
    assert (page.total, [row["deal"] for row in page.rows]) == (3, ["small"])
    page = deals_page(kb, maximum=Money.parse("5e8"), limit=5)
    assert [row["deal"] for row in page.rows] == ["small"]
    # the versions kept for the deals not edited, read again for a rate
    page = deals_page(kb, minimum=Money.parse("10e9"), basis=Basis.AMOUNT, rates={"CNY": 0.14}, limit=5)
    assert [(row["deal"], row["value_usd"]) for row in page.rows] == [
        ("small", 2e10),
        ("told", 2e10),
        ("plain", 1.5e10),
        ("yuan", 1.4e10),
    ]


@given(
    spec=knowledge_bases(),
    cached=st.booleans(),
    limit=st.one_of(st.none(), st.integers(0, 4)),
    group=st.sampled_from([None, "gang"]),
    country=st.sampled_from([None, "CN", "us"]),
)
def test_a_firms_page_is_the_oracles_first_rows(
    scratch: Path, spec: Any, cached: bool, limit: int | None, group: str | None, country: str | None
) -> None:
    kb = _load(spec, _folder(scratch), cached)
    page = firms_page(kb, group=group, country=country, limit=limit)
    expected = oracle.firms(spec, group=group, country=country)
    assert page.total == len(expected)
    shown = expected if limit is None else expected[:limit]
    assert [(r["firm"], r["people"], r["departures"], r["deals"]) for r in page.rows] == shown


@given(
    spec=knowledge_bases(),
    cached=st.booleans(),
    limit=st.one_of(st.none(), st.integers(0, 4)),
    text=st.sampled_from(["a", "c", "ac", "张", "伟", "-", "o"]),
)
def test_a_search_page_is_the_whole_answers_first_rows(
    scratch: Path, spec: Any, cached: bool, limit: int | None, text: str
) -> None:
    """Every match is ranked before the page is cut, and the rows shown are the whole answer's."""
    kb = _load(spec, _folder(scratch), cached)
    whole = search(kb, NameIndex(kb), text)
    assert {r["id"] for r in whole if r["field"] in NAME_MATCHES.values()} == oracle.search_names(spec, text)
    page = search_page(kb, NameIndex(kb), text, limit=limit)
    assert page.total == len(whole)
    assert page.rows == (whole if limit is None else whole[:limit])


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A generated knowledge base with hundreds of firms, deals and search matches."""
    root = tmp_path_factory.mktemp("big")
    generate(1200, root / "kb")
    return str(root / "kb" / "data")


# (command, the key that names a row, what the note calls the rows)
LISTINGS = [
    (("firms",), "firm", "firms, by name"),
    (("deals",), "deal", "deals, largest first"),
    (("search", "智能"), "id", "matches, best first"),
    (("strategy", "--matrix"), "firm", "firms, by name"),
]
#: slower listings, checked once: the table's note against the whole json
SLOW = [
    (("strategy", "--no-evidence"), "firms, by name"),
    (("timeline",), "facts, earliest first"),
    (("people",), "role spells, earliest first"),
]


@pytest.mark.parametrize(("command", "key", "what"), LISTINGS)
def test_json_holds_every_row_and_a_table_the_first_hundred(
    big: str, command: tuple[str, ...], key: str, what: str
) -> None:
    whole = run_cli("--data", big, *command, "--format", "json")
    assert whole.exit_code == 0, whole.stderr
    rows = json.loads(whole.stdout)
    assert "showing" not in whole.stderr
    if len(rows) <= TABLE_ROWS:
        pytest.skip(f"{' '.join(command)} has only {len(rows)} rows here")
    table = run_cli("--data", big, *command)
    assert table.exit_code == 0, table.stderr
    assert f"note: showing the first {TABLE_ROWS} of {len(rows):,} {what}; --limit 0 shows all" in table.stderr
    every = run_cli("--data", big, *command, "--limit", "0")
    assert "showing" not in every.stderr
    assert every.stdout.count("\n") > table.stdout.count("\n")
    three = run_cli("--data", big, *command, "--format", "json", "--limit", "3")
    assert json.loads(three.stdout) == rows[:3]
    assert f"note: showing the first 3 of {len(rows):,} {what}" in three.stderr
    seven = run_cli("--data", big, *command, "--format", "csv", "--limit", "7")
    read = list(csv.DictReader(io.StringIO(seven.stdout)))
    assert [r[key] for r in read] == [str(r[key]) for r in rows[:7]]


@pytest.mark.parametrize(("command", "what"), SLOW)
def test_a_slow_listings_table_says_how_many_rows_it_left_out(big: str, command: tuple[str, ...], what: str) -> None:
    rows = json.loads(run_cli("--data", big, *command, "--format", "json").stdout)
    assert len(rows) > TABLE_ROWS
    table = run_cli("--data", big, *command)
    assert f"note: showing the first {TABLE_ROWS} of {len(rows):,} {what}; --limit 0 shows all" in table.stderr


def test_the_table_shows_the_first_rows_of_the_json(big: str) -> None:
    rows = json.loads(run_cli("--data", big, "deals", "--format", "json").stdout)
    table = run_cli("--data", big, "deals", "--limit", "5").stdout
    shown = [line.split("│")[1].strip() for line in table.splitlines() if line.startswith("│ deal-")]
    assert shown == [row["deal"] for row in rows[:5]]


def test_a_negative_limit_is_a_usage_error(big: str) -> None:
    result = run_cli("--data", big, "deals", "--limit", "-1")
    assert result.exit_code == 2
    assert "--limit" in result.stderr
