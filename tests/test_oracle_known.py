"""--known-as-of against its naive oracle (tests/oracle_known.py), on random knowledge bases.

Each example takes a generated knowledge base (tests/test_oracle.py), gives it several sources
published at different, partial or missing dates, spreads its records, deal steps and `also`
items (each with values of its own) over them, and asks every listing of the view that
aiorg.known builds for a random day what the oracle answers from its own view.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aiorg import queries
from aiorg.asof import as_of_day
from aiorg.errors import UsageError
from aiorg.known import known_as_of
from aiorg.model import EndCause
from aiorg.money import Money
from aiorg.names import NameIndex
from aiorg.queries.search import NAME_MATCHES
from tests import oracle, oracle_known
from tests.test_oracle import AMOUNTS, AS_OF, CAUSES, DATES, FIRMS, _load, knowledge_bases

SOURCES = ["s", "s1", "s2", "s3"]
PUBLISHED = [None, "2024-03", "2024-12-15", "~2024-06", "~2024-12", "2025", "~2025-02-28", "..2024-09",
             "2024-10..2025-01", "~2024-11..2025-03", "2025-06..", "2025-06"]  # fmt: skip
KNOWN_AS_OF = ["2023-12", "2024-03", "2024-06", "2024-09", "2024-12", "2025-01", "2025-02", "2025-03",
               "2025-06", "2025-12", "2026-06"]  # fmt: skip
KINDS = [None, "filing", "official_statement", "interview", "article", "social_post"]
#: per kind, the values an `also` item may state
ALSO_VALUES: dict[str, dict[str, list[Any]]] = {
    "tenures": {
        "end_cause": CAUSES,
        "area": ["product", "research"],
        "certainty": ["reported", "rumoured"],
        "start": ["2024-03", "~2024-06"],
        "end": ["2024-09", "..2025-01"],
        "title": ["Advisor"],
    },
    "deals": {"amount": [a for a in AMOUNTS if a], "stake": ["20%"]},
    "steps": {"date": ["2024-06", "2025-01"], "certainty": ["rumoured"]},
    "events": {"date": [d for d in DATES if d], "certainty": ["reported"]},
    "metrics": {"value": [7, "1.6亿"], "as_of": ["2024-12"]},
}


def _attest(draw: st.DrawFn, record: dict[str, Any], values: str, sources: list[str], stated: bool) -> None:
    """Give a record (or a deal step) its own source and up to two `also` items with values."""
    own = draw(st.sampled_from(sources))
    record["source"] = own
    others = draw(st.lists(st.sampled_from([s for s in sources if s != own]), max_size=2, unique=True))
    also: list[dict[str, Any]] = []
    for index, source in enumerate(others):
        item: dict[str, Any] = {"source": source, "quote": f"quote {index}"}
        for name, choices in ALSO_VALUES.get(values, {}).items() if stated else ():
            if draw(st.booleans()):
                item[name] = draw(st.sampled_from(choices))
        if draw(st.integers(0, 5)) == 0 and not any("preferred" in other for other in also):
            item["preferred"] = "the test prefers it"  # one at most: the data's explicit choice is one value
        if draw(st.booleans()):
            item["note"] = f"note of {source}"
        also.append(item)
    if also:
        record["also"] = also
    elif record.get("also"):  # the knowledge base's own `also` items (tests/test_oracle.py), never the new own source
        kept = [item for item in record["also"] if item["source"] != own]
        if kept:
            record["also"] = kept
        else:
            del record["also"]


@st.composite
def multisource_bases(draw: st.DrawFn, stated: bool = True) -> dict[str, list[dict[str, Any]]]:
    """A generated knowledge base whose facts come from several sources of several dates; with
    `stated` False the `also` items state no values of their own (tests/oracle.py's listings do
    not read them: a disputed value is another test's subject)."""
    spec = draw(knowledge_bases())
    sources = []
    for source_id in SOURCES:
        source: dict[str, Any] = {"id": source_id, "title": f"Fictional test source {source_id}"}
        published, kind = draw(st.sampled_from(PUBLISHED)), draw(st.sampled_from(KINDS))
        if published:
            source["published"] = published
        if kind:
            source["kind"] = kind
        sources.append(source)
    spec["sources"] = sources
    for kind in oracle_known.KINDS[1:]:
        for record in spec[kind]:
            _attest(draw, record, kind, SOURCES, stated)
            for step in record.get("history", []):
                _attest(draw, step, "steps", SOURCES, stated)
    return spec


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("oracle-known")


_counter = iter(range(10**9))


def _view(scratch: Path, spec: Any, cached: bool, day: date) -> Any:
    return known_as_of(_load(spec, scratch / str(next(_counter)), cached), day)


@given(
    spec=multisource_bases(),
    cached=st.booleans(),
    known=st.sampled_from(KNOWN_AS_OF),
    left=st.one_of(st.none(), st.sampled_from(FIRMS)),
    joined=st.one_of(st.none(), st.none(), st.sampled_from(FIRMS)),
    at=st.one_of(st.none(), st.none(), st.sampled_from(FIRMS)),
    as_of=st.sampled_from([None, None, *AS_OF]),
    until=st.sampled_from([None, None, "2024-03", "2024-09", "2025"]),
)
def test_people_known_as_of_equals_the_oracle(
    scratch: Path, spec: Any, cached: bool, known: str, as_of: str | None, until: str | None, **firms: Any
) -> None:
    """Whole rows, so a disputed start or end (claimed by `also` items) is checked where the row
    shows it: `start` and `end` of the version it describes, `when` listing every claimed date."""
    day = as_of_day(known)
    view = _view(scratch, spec, cached, day)
    when = as_of_day(as_of) if as_of else None
    window = queries.Window.parse(None, until)
    try:
        rows = queries.people(view, **firms, as_of=when, window=window)
    except UsageError:
        return  # contradictory options (test_oracle.py checks them)
    expected = oracle.people_rows(oracle_known.known_spec(spec, day), **firms, as_of=when, until=window.until)
    assert rows == expected


@given(
    spec=multisource_bases(),
    cached=st.booleans(),
    known=st.sampled_from(KNOWN_AS_OF),
    firm=st.one_of(st.none(), st.sampled_from(FIRMS)),
    person=st.sampled_from([None, None, "ann", "zhang-wei"]),
    since=st.sampled_from([None, "2024-06", "2024-09", "2025"]),
    until=st.sampled_from([None, "2024-09", "2024-12", "2026"]),
)
def test_timeline_known_as_of_equals_the_oracle(
    scratch: Path, spec: Any, cached: bool, known: str, firm: str | None, person: str | None, since: Any, until: Any
) -> None:
    """Each fact dated and told by the values the sources known by then show first, every
    disputed value listed, and a window matching any date those sources give."""
    window = queries.Window.parse(since, until)
    if window.since and window.until and window.since > window.until:
        return  # a usage error (test_oracle.py)
    day = as_of_day(known)
    rows = queries.timeline(_view(scratch, spec, cached, day), firm=firm, person=person, window=window)
    expected = oracle.timeline_rows(
        oracle_known.known_spec(spec, day), firm=firm, person=person, since=window.since, until=window.until
    )
    assert rows == expected


@given(spec=multisource_bases(), cached=st.booleans(), known=st.sampled_from(KNOWN_AS_OF))
def test_every_listing_known_as_of_equals_the_oracle(scratch: Path, spec: Any, cached: bool, known: str) -> None:
    day = as_of_day(known)
    view = _view(scratch, spec, cached, day)
    expected = oracle_known.known_spec(spec, day)
    assert [s.id for s in view.sources] == [s["id"] for s in expected["sources"]]
    for kind in oracle_known.KINDS:
        assert [r.id for r in view.records(kind)] == [r["id"] for r in expected[kind]], kind
    deals = queries.deals(view, rates={"CNY": 0.14, "EUR": 1.1})
    assert [(r["deal"], r["matched_on"], r["value_usd"]) for r in deals] == oracle.deals(
        expected, rates={"CNY": 0.14, "EUR": 1.1}
    )
    statuses = {d["id"]: d["history"][-1]["status"] for d in expected["deals"]}
    assert [(r["deal"], r["status"]) for r in deals] == [(r["deal"], statuses[r["deal"]]) for r in deals]
    timeline = queries.timeline(view)
    assert [(r["record"], r["kind"], r["date"]) for r in timeline] == oracle.timeline(expected)
    flows = queries.flows(view)
    assert [(r["origin"], r["destination"], r["people"]) for r in flows] == oracle.flows(expected, unstated=True)
    firms = queries.firms(view)
    assert [(r["firm"], r["people"], r["departures"], r["deals"]) for r in firms] == oracle.firms(expected)
    found = {r["id"] for r in queries.search(view, NameIndex(view), "a") if r["field"] in NAME_MATCHES.values()}
    assert found == oracle.search_names(expected, "a")


@given(spec=multisource_bases(), known=st.sampled_from(KNOWN_AS_OF))
def test_the_values_a_view_shows_are_the_known_sources_values(scratch: Path, spec: Any, known: str) -> None:
    day = as_of_day(known)
    view = _view(scratch, spec, False, day)
    expected = {r["id"]: r for r in oracle_known.known_spec(spec, day)["tenures"]}
    for tenure in view.tenures:
        want = expected[tenure.id]
        assert tenure.source == want["source"]
        assert [a.source for a in tenure.also] == [a["source"] for a in want.get("also", [])]
        assert tenure.end_cause == (EndCause(want["end_cause"]) if want.get("end_cause") else None)
        assert (tenure.replaces, tenure.after) == (want.get("replaces"), want.get("after"))
    steps = {r["id"]: r["history"] for r in oracle_known.known_spec(spec, day)["deals"]}
    deals = {r["id"]: r for r in oracle_known.known_spec(spec, day)["deals"]}
    for deal in view.deals:
        assert [(s.status.value, s.source) for s in deal.history] == [
            (s["status"], s["source"]) for s in steps[deal.id]
        ]
        want = deals[deal.id]
        amount = Money.parse(want["amount"]) if want.get("amount") else None
        assert (deal.source, deal.amount) == (want["source"], amount)
