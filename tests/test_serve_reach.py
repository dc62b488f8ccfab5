"""The site's canned questions mark what the CLI marks: a row there only through a unit below the
firm asked about by an inferred parent link (or a product whose maker is inferred) says so, for
that firm only.

The site keeps each departure once (departed_spells), as a query on its top firm listed it; since
the CLI marks such rows, that row carried the top firm's mark into the answer for the unit itself.
It is now kept as the unit's own query gives it, and who_left, flows and timeline write the mark
for the firm asked about (firm_families.through, firm_products.through). Compared with the
CLI's answers for every firm of the fictional knowledge base of tests/test_listing_reach.py."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest

from aiorg.kb import KnowledgeBase
from aiorg.loader import load
from aiorg.queries import flows, people, timeline
from aiorg.serve.canned import FLOWS, TIMELINE, WHO_LEFT
from tests.conftest import write_spec
from tests.test_listing_reach import MARK, SPEC
from tests.test_review5_serve_disputes import as_cli_row
from tests.test_serve_queries import open_site

FIRMS = [firm["id"] for firm in SPEC["firms"]]


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    data = tmp_path_factory.mktemp("reach") / "data"
    write_spec(data, SPEC)
    return load(data)


@pytest.fixture(scope="module")
def site(kb: KnowledgeBase, tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    db = open_site(kb, tmp_path_factory.mktemp("site") / "aiorg.db")
    yield db
    db.close()


def _ask(db: sqlite3.Connection, sql: str, **params: str) -> list[dict[str, Any]]:
    return [dict(row) for row in db.execute(sql, params)]


@pytest.mark.parametrize("firm", FIRMS)
def test_who_left_marks_as_people_left(site: sqlite3.Connection, kb: KnowledgeBase, firm: str) -> None:
    assert [as_cli_row(row) for row in _ask(site, WHO_LEFT.sql, firm=firm)] == people(kb, left=firm)


def test_who_left_marks_only_for_the_firm_asked(site: sqlite3.Connection) -> None:
    hold = {row["firm"]: row["firm_name"] for row in _ask(site, WHO_LEFT.sql, firm="hold")}
    assert hold["toe"] == "Toe" + MARK
    toe = _ask(site, WHO_LEFT.sql, firm="toe")
    assert [(row["firm_name"], json.loads(row["inferred"])) for row in toe] == [("Toe", [])]


@pytest.mark.parametrize("firm", FIRMS)
def test_flows_mark_as_the_cli(site: sqlite3.Connection, kb: KnowledgeBase, firm: str) -> None:
    def key(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
        return [(r["origin"], r["origin_name"], r["destination"], r["destination_name"], r["count"]) for r in rows]

    to = _ask(site, FLOWS.sql, **{"from": "", "to": firm})
    assert key(to) == key(flows(kb, destination=firm)), firm
    origin = _ask(site, FLOWS.sql, **{"from": firm, "to": ""})
    assert key(origin) == key([row for row in flows(kb, origin=firm) if row["origin"] is not None]), firm


@pytest.mark.parametrize("firm", FIRMS)
def test_timeline_marks_as_the_cli(site: sqlite3.Connection, kb: KnowledgeBase, firm: str) -> None:
    got = _ask(site, TIMELINE.sql, firm=firm, person="")
    assert [(r["record"], r["text"]) for r in got] == [(r["record"], r["text"]) for r in timeline(kb, firm=firm)]


def test_marks_are_there_to_compare(site: sqlite3.Connection) -> None:
    """The comparisons above meet every kind of mark."""
    texts = [r["text"] for r in _ask(site, TIMELINE.sql, firm="hold", person="")]
    assert any(t.endswith(MARK) for t in texts) and any(t.endswith(" (maker inferred)") for t in texts)
    names = [r["destination_name"] for r in _ask(site, FLOWS.sql, **{"from": "", "to": "hold"})]
    assert "Toe" + MARK in names
