"""The site's deals_over matches a deal on any source's figure, as `aiorg deals --min` does.

A fictional knowledge base: a filing's $1B is shown first and a report says $20B; a valuation of
$5B shown first with a report's $30B; a deal in yuan whose report gives $1B. deals_over read only
the figures shown first, so `usd=1e10` left out the deals the CLI lists on the report's figures.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from aiorg.money import Money
from aiorg.queries import deals
from aiorg.serve.canned import DEALS_OVER
from aiorg.serve.plugins.aiorg_site import norm, usd
from aiorg.serve.site import build_database
from tests.test_oracle import _load
from tests.test_pages import figures_spec


@pytest.mark.parametrize("typed", ["5e8", "2e9", "1e10", "2.5e10", "4e10"])
def test_deals_over_matches_on_every_source_figure_as_deals_min(tmp_path: Path, typed: str) -> None:
    kb = _load(figures_spec(), tmp_path, False)
    build_database(kb, tmp_path / "aiorg.db")
    db = sqlite3.connect(tmp_path / "aiorg.db")
    db.row_factory = sqlite3.Row
    db.create_function("aiorg_norm", 1, norm, deterministic=True)
    db.create_function("aiorg_usd", 1, usd, deterministic=True)
    rows = [dict(row) for row in db.execute(DEALS_OVER.sql, {"usd": typed})]
    expected = deals(kb, minimum=Money.parse(typed))
    assert [(r["deal"], r["matched_on"], r["value_usd"]) for r in rows] == [
        (e["deal"], e["matched_on"], e["value_usd"]) for e in expected
    ]
    if typed == "1e10":  # the report's figures: the CLI lists them, and so must the site
        assert [r["deal"] for r in rows] == ["valued", "told", "plain"]
