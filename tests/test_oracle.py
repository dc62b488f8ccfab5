"""The real queries against the naive oracle, on random knowledge bases and random options.

Each example writes a generated knowledge base as YAML, loads it the way the CLI does (with and
without the cache's store), and asserts that every listing returns exactly the oracle's rows.
CI runs the "ci" Hypothesis profile; `HYPOTHESIS_PROFILE=long pytest tests/test_oracle.py` runs
2000 examples per test.
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
from aiorg.cache import Cache
from aiorg.errors import UsageError
from aiorg.kb import KnowledgeBase
from aiorg.loader import load
from aiorg.model import Area, DealKind, DealStatus, EndCause, SourceKind
from aiorg.money import Money
from aiorg.names import NameIndex
from aiorg.queries import Basis
from aiorg.queries.flows import flow_answer
from aiorg.queries.search import NAME_MATCHES
from tests import oracle
from tests.conftest import write_spec

FIRMS = ["acme", "acme-lab", "bolt", "core", "dyn"]
PEOPLE = ["ann", "bo", "cy", "di", "张伟"]
DATES = [None, "2023", "2024", "2024-03", "2024-09", "2024-12", "~2025-03", "2024-12..2025-06", "..2025-06",
         "2025-02-15", "2025-06", "2025-07..", "2026-01"]  # fmt: skip
AS_OF = ["2023-06", "2024", "2024-09", "2024-12", "2025-01-01", "2025-03", "2025-06", "2025-07", "2026-12"]
CAUSES = [c.value for c in EndCause]
AMOUNTS = [None, "14.3e9", "up to 1e8", "2B", "数十亿美元", "143亿美元", "100亿元", "€5B", "several billion"]
AMOUNTS += ["约20亿元", "est. 320亿美元", "at least 1e9", "人民币3亿元", "数十万美元"]  # bounds a deal's `value` keeps
QUOTE = "a quote"
#: the sources a record may cite besides "s", every one of a random kind and published date (or none)
OTHER_SOURCES = ["s1", "s2", "s3"]
SOURCE_KINDS = [None, *(k.value for k in SourceKind)]
PUBLISHED = [None, "2024-03", "~2024-12", "2025-01..2025-06", "2025-02-15", "2025-06", "2026"]
STAKES = ["49%", "10%", "100%"]
STEP_DATES = ["2024-03", "2024-12", "2025-05"]


def _also(draw: st.DrawFn, record: dict[str, Any], values: dict[str, list[Any]]) -> None:
    """Up to two more sources for a record (never its own: a source gives one value), each stating
    some of `values` (a value that differs from the record's own, or repeats it), one at most
    marked preferred (the data's explicit choice is one value)."""
    items: list[dict[str, Any]] = []
    others = [source for source in OTHER_SOURCES if source != record.get("source")]
    for index, source in enumerate(draw(st.lists(st.sampled_from(others), max_size=2, unique=True))):
        item: dict[str, Any] = {"source": source, "quote": f"another quote {index}"}
        for name, choices in values.items():
            if draw(st.integers(0, 2)) == 0:
                item[name] = draw(st.sampled_from([*choices, *([record[name]] if record.get(name) else [])]))
        if draw(st.integers(0, 4)) == 0 and not any("preferred" in other for other in items):
            item["preferred"] = "the test prefers it"
        items.append(item)
    if items:
        record["also"] = items


def _later(start: str | None, end: str | None) -> bool:
    if start is None or end is None:
        return True
    s, e = oracle._date(start), oracle._date(end)
    assert s is not None and e is not None
    return not e.before(s)


@st.composite
def knowledge_bases(draw: st.DrawFn) -> dict[str, list[dict[str, Any]]]:
    """A small, valid knowledge base: firms with units, spells of every state, deals of every kind."""
    published = draw(st.sampled_from(["~2025-06", "2025-06-20", "2024-12"]))
    firms = []
    for fid in FIRMS:
        firm: dict[str, Any] = {"id": fid, "name": fid.replace("-", " ").title(), "source": "s", "quote": QUOTE}
        if fid == "acme-lab":
            firm["parent"] = "acme"
            if draw(st.booleans()):  # below Acme only by an inference: a listing on Acme says so
                firm["inferred"] = ["parent"]
        if draw(st.booleans()):
            firm["country"] = draw(st.sampled_from(["CN", "US"]))
        if draw(st.booleans()):
            firm["groups"] = ["gang"]
        firms.append(firm)
    people = [
        {"id": pid if pid.isascii() else "zhang-wei", "name": pid.title() if pid.isascii() else "Zhang Wei",
         **({} if pid.isascii() else {"name_zh": pid}), "source": "s", "quote": QUOTE}
        for pid in PEOPLE
    ]  # fmt: skip
    person_ids = [p["id"] for p in people]
    tenures: list[dict[str, Any]] = []
    for index in range(draw(st.integers(0, 9))):
        person = draw(st.sampled_from(person_ids))
        firm_id = draw(st.sampled_from(FIRMS))
        t: dict[str, Any] = {"id": f"t{index}", "person": person, "firm": firm_id, "source": "s", "quote": QUOTE}
        start, end = draw(st.sampled_from(DATES)), draw(st.sampled_from(DATES))
        state = draw(st.sampled_from(["current", "unknown", "ended", "ended", "ended"]))
        if state == "current":
            t["current"] = True
            end = None
        elif state == "ended":
            t["end_cause"] = draw(st.sampled_from(CAUSES))
        else:
            end = None
        if not _later(start, end):
            start = None
        if start:
            t["start"] = start
        if end:
            t["end"] = end
        if draw(st.booleans()):
            t["area"] = draw(st.sampled_from([a.value for a in Area]))
        if draw(st.integers(0, 3)) == 0:  # a role announced but not yet in effect, or only reported
            t["certainty"] = draw(st.sampled_from(["planned", "reported"]))
        mine = [p for p in tenures if p["person"] == person]
        linked: bool = draw(st.booleans())
        if mine and linked:
            previous = draw(st.sampled_from(mine))
            t["replaces" if previous["firm"] == firm_id else "after"] = previous["id"]
        if draw(st.booleans()):
            _also(draw, t, {"end_cause": CAUSES, "end": [d for d in DATES if d], "start": [d for d in DATES if d],
                            "area": [a.value for a in Area], "current": [True],
                            "certainty": ["planned", "confirmed"]})  # fmt: skip
            for item in t.get("also", []):  # a source that says it is ongoing gives it no end
                if item.get("end") or item.get("end_cause"):
                    item.pop("current", None)
        tenures.append(t)
    deals = []
    for index in range(draw(st.integers(0, 7))):
        buyers = draw(st.lists(st.sampled_from(FIRMS), min_size=1, max_size=2, unique=True))
        targets = draw(st.lists(st.sampled_from(FIRMS + person_ids), max_size=2, unique=True))
        d: dict[str, Any] = {
            "id": f"d{index}",
            "kind": draw(st.sampled_from([k.value for k in DealKind])),
            "buyers": buyers,
            "targets": targets,
            "people": draw(st.lists(st.sampled_from(person_ids), max_size=2, unique=True)),
            "history": [
                {"status": status, "source": "s", "quote": QUOTE, **({"date": when} if when else {})}
                for status, when in zip(
                    draw(st.lists(st.sampled_from([s.value for s in DealStatus]), min_size=1, max_size=2)),
                    sorted(
                        draw(st.lists(st.sampled_from([*STEP_DATES, None]), min_size=2, max_size=2)),
                        key=lambda x: x or "",
                    ),
                    strict=False,
                )
            ],
            "source": "s",
            "quote": QUOTE,
        }
        for field in ("amount", "valuation"):
            value = draw(st.sampled_from(AMOUNTS))
            if value:
                d[field] = value
        if draw(st.booleans()):
            d["stake"] = draw(st.sampled_from(STAKES))
        if draw(st.booleans()):
            _also(draw, d, {"amount": [a for a in AMOUNTS if a], "valuation": [a for a in AMOUNTS if a],
                            "stake": STAKES})  # fmt: skip
        for step in d["history"]:
            if draw(st.integers(0, 2)) == 0:
                _also(draw, step, {"date": STEP_DATES})
        deals.append(d)
    for index, d in enumerate(deals[:-1]):
        if draw(st.booleans()):
            d["superseded_by"] = deals[index + 1]["id"]
    events = [
        {"id": f"e{i}", "kind": "milestone", "subjects": [draw(st.sampled_from(FIRMS + person_ids))],
         "text": "something", "source": "s", "quote": QUOTE,
         **({"date": when} if (when := draw(st.sampled_from(DATES))) else {})}
        for i in range(draw(st.integers(0, 3)))
    ]  # fmt: skip
    products: list[dict[str, Any]] = [
        {"id": "widget", "name": "Widget", "kind": "app", "maker": "acme-lab", "source": "s", "quote": QUOTE}
    ]
    if draw(st.booleans()):  # made by Acme Lab only by an inference
        products[0]["inferred"] = ["maker"]
    metrics = [
        {"id": "m0", "subject": "widget", "metric": "dau", "value": "3500万", "source": "s", "quote": QUOTE,
         **({"as_of": when} if (when := draw(st.sampled_from(DATES))) else {})}
    ]  # fmt: skip
    return {
        "sources": [
            {
                "id": "s",
                "title": "A fictional test source",
                "published": published,
                **({"kind": kind} if (kind := draw(st.sampled_from(SOURCE_KINDS))) else {}),
            },
            *(_source(draw, source_id) for source_id in OTHER_SOURCES),
        ],
        "groups": [{"id": "gang", "name": "The Gang", "source": "s", "quote": QUOTE}],
        "firms": firms,
        "people": people,
        "products": products,
        "tenures": tenures,
        "deals": deals,
        "events": events,
        "metrics": metrics,
        "claims": [],
    }


def _source(draw: st.DrawFn, source_id: str) -> dict[str, Any]:
    source: dict[str, Any] = {"id": source_id, "title": f"Another fictional test source {source_id}"}
    published, kind = draw(st.sampled_from(PUBLISHED)), draw(st.sampled_from(SOURCE_KINDS))
    if published:
        source["published"] = published
    if kind:
        source["kind"] = kind
    return source


def _load(spec: dict[str, list[dict[str, Any]]], folder: Path, cached: bool) -> KnowledgeBase:
    """Write the spec as one YAML file per kind, then load it as the CLI would."""
    data = folder / "data"
    data.mkdir(parents=True, exist_ok=True)
    write_spec(data, spec)
    cache = Cache(folder / "cache") if cached else None
    if cache is not None:
        load(data, cache=cache)  # the second load reads the store
    return load(data, cache=cache)


_counter = iter(range(10**9))


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("oracle")


def _folder(scratch: Path) -> Path:
    return scratch / str(next(_counter))


def _day(text: str | None) -> date | None:
    return as_of_day(text) if text else None


option = st.one_of(st.none(), st.sampled_from(FIRMS))


def _rarely(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[str | None]:
    """A filter that is usually absent, so most examples still have rows to compare."""
    return st.one_of(st.none(), st.none(), st.none(), strategy)


@given(
    spec=knowledge_bases(),
    cached=st.booleans(),
    left=option,
    joined=option,
    at=option,
    cause=st.one_of(st.none(), st.sampled_from(CAUSES)),
    area=st.one_of(st.none(), st.sampled_from([a.value for a in Area])),
    formal=st.booleans(),
    since=st.sampled_from([None, "2024", "2024-10", "2025-03"]),
    until=st.sampled_from([None, "2024-12", "2025", "2026"]),
    as_of=st.sampled_from([None, *AS_OF]),
)
def test_people_equals_the_oracle(scratch: Path, spec: Any, cached: bool, **options: Any) -> None:
    kb = _load(spec, _folder(scratch), cached)
    since, until, as_of = options.pop("since"), options.pop("until"), options.pop("as_of")
    window = queries.Window.parse(since, until)
    expected_kwargs = dict(options, since=window.since, until=window.until, as_of=_day(as_of))
    try:
        rows = queries.people(
            kb,
            **dict(
                options,
                cause=EndCause(options["cause"]) if options["cause"] else None,
                area=Area(options["area"]) if options["area"] else None,
            ),
            window=window,
            as_of=_day(as_of),
        )
    except UsageError:
        return  # contradictions are checked in test_contradictions_are_usage_errors
    assert rows == oracle.people_rows(spec, **expected_kwargs)


@given(
    spec=knowledge_bases(),
    cached=st.booleans(),
    # bounds equal to generated figures, so >= and > differ
    minimum=st.sampled_from([None, "1e8", "2e9", "10e9", "14.3e9", "20e9", "29.1e9"]),
    maximum=st.sampled_from([None, None, None, "1e8", "2e9", "14.3e9", "20e9", "1e12"]),
    basis=st.sampled_from([b.value for b in Basis]),
    party=_rarely(st.sampled_from([*FIRMS, "ann"])),
    kind=_rarely(st.sampled_from([k.value for k in DealKind])),
    status=_rarely(st.sampled_from([s.value for s in DealStatus])),
    since=st.sampled_from([None, None, "2024-06", "2025"]),
    until=st.sampled_from([None, None, "2024-12", "2026"]),
    rates=st.sampled_from([{}, {"CNY": 0.14}, {"CNY": 0.14, "EUR": 1.1}]),
)
def test_deals_equal_the_oracle(scratch: Path, spec: Any, cached: bool, **options: Any) -> None:
    window = queries.Window.parse(options.pop("since"), options.pop("until"))
    if window.since and window.until and window.since > window.until:
        return  # a usage error, tested below
    kb = _load(spec, _folder(scratch), cached)
    low = Money.parse(options.pop("minimum")) if options["minimum"] else None
    high = Money.parse(options.pop("maximum")) if options["maximum"] else None
    options.pop("minimum", None)
    options.pop("maximum", None)
    if low is not None and high is not None and low.value > high.value:
        return
    rows = queries.deals(
        kb,
        minimum=low,
        maximum=high,
        basis=Basis(options["basis"]),
        party=options["party"],
        kind=DealKind(options["kind"]) if options["kind"] else None,
        status=DealStatus(options["status"]) if options["status"] else None,
        window=window,
        rates=options["rates"],
    )
    expected = oracle.deal_rows(
        spec,
        minimum=low.value if low else None,
        maximum=high.value if high else None,
        since=window.since,
        until=window.until,
        **options,
    )
    assert rows == expected


@given(
    spec=knowledge_bases(),
    cached=st.booleans(),
    firm=option,
    person=st.one_of(st.none(), st.sampled_from(["ann", "zhang-wei"])),
    since=st.sampled_from([None, "2024-06", "2025"]),
    until=st.sampled_from([None, "2024-12", "2026"]),
)
def test_timeline_equals_the_oracle(
    scratch: Path, spec: Any, cached: bool, firm: str | None, person: str | None, since: Any, until: Any
) -> None:
    window = queries.Window.parse(since, until)
    if window.since and window.until and window.since > window.until:
        return  # a usage error, tested below
    kb = _load(spec, _folder(scratch), cached)
    rows = queries.timeline(kb, firm=firm, person=person, window=window)
    assert rows == oracle.timeline_rows(spec, firm=firm, person=person, since=window.since, until=window.until)


@given(spec=knowledge_bases(), cached=st.booleans(), origin=option, destination=option)
def test_flows_equal_the_oracle(
    scratch: Path, spec: Any, cached: bool, origin: str | None, destination: str | None
) -> None:
    # knowledge_bases draws the unit's parent link inferred or stated: no move is merged across an inferred one
    kb = _load(spec, _folder(scratch), cached)
    answer = flow_answer(kb, origin=origin, destination=destination)
    expected = oracle.flows(spec, origin=origin, destination=destination, unstated=True)
    assert [(r["origin"], r["destination"], r["people"]) for r in answer.rows] == expected
    for row in answer.rows:  # a side below --from/--to only by an inferred parent link says so
        sides = [
            (
                row["origin_name"],
                bool(origin and row["origin"] and oracle.through_parents(spec, [row["origin"]], [origin])),
            ),
            (
                row["destination_name"],
                bool(destination and oracle.through_parents(spec, [row["destination"]], [destination])),
            ),
        ]
        assert [name.endswith(" (parent inferred)") for name, _ in sides] == [marked for _, marked in sides]
        assert ("parent" in row["inferred"]) == any(marked for _, marked in sides)
    stated = [row for row in answer.rows if row["origin"] is not None]
    assert answer.rows == queries.flows(kb, origin=origin, destination=destination)  # the command's rows
    assert [row["origin_name"] for row in answer.rows if row not in stated] == ["not stated"] * (
        len(answer.rows) - len(stated)
    )
    assert answer.people == len({person for _, _, people in expected for person in people})
    unplaced = oracle.flows_unplaced(spec, origin=origin, destination=destination)
    assert answer.unstated == len({person for person, _ in unplaced})


@given(
    spec=knowledge_bases(),
    cached=st.booleans(),
    group=st.sampled_from([None, "gang"]),
    country=st.sampled_from([None, "CN", "us"]),
    text=st.sampled_from(["a", "Acme", "张", "zhang", "lab", "Wid", "x"]),
)
def test_firms_and_search_equal_the_oracle(
    scratch: Path, spec: Any, cached: bool, group: str | None, country: str | None, text: str
) -> None:
    kb = _load(spec, _folder(scratch), cached)
    rows = queries.firms(kb, group=group, country=country)
    expected = oracle.firms(spec, group=group, country=country)
    assert [(r["firm"], r["people"], r["departures"], r["deals"]) for r in rows] == expected
    found = {r["id"] for r in queries.search(kb, NameIndex(kb), text) if r["field"] in NAME_MATCHES.values()}
    assert found == oracle.search_names(spec, text)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"formal": True, "cause": EndCause.ADVISOR}, "--formal"),
        ({"left": "minimax", "cause": EndCause.DEMOTED}, "not one"),
        ({"window": queries.Window.parse("2026", "2024")}, "after --until"),
        ({"left": "minimax", "joined": "moonshot"}, "different firms"),
    ],
)
def test_contradictions_are_usage_errors(bundled_kb: KnowledgeBase, options: dict[str, Any], message: str) -> None:
    from aiorg.errors import UsageError

    with pytest.raises(UsageError, match=message):
        queries.people(bundled_kb, **options)


def test_a_deal_shows_the_step_date_the_rule_puts_first(scratch: Path) -> None:
    """A step's date is a disputed value like any other: the row's date is the filing's, not the
    article's that the deal's own step cites (found by the oracle: it showed the own date)."""
    spec: dict[str, list[dict[str, Any]]] = {kind: [] for kind in
            ("groups", "people", "products", "tenures", "events", "metrics", "claims")}  # fmt: skip
    spec["sources"] = [
        {"id": "s", "title": "A fictional article", "published": "2024-12", "kind": "article"},
        {"id": "s1", "title": "A fictional filing", "published": "2024-10", "kind": "filing"},
    ]
    spec["firms"] = [{"id": "acme", "name": "Acme", "source": "s", "quote": QUOTE}]
    step = {"status": "agreed", "date": "2024-03", "source": "s", "quote": QUOTE,
            "also": [{"source": "s1", "quote": "another quote", "date": "2024-09"}]}  # fmt: skip
    spec["deals"] = [{"id": "d0", "kind": "acquisition", "buyers": ["acme"], "history": [step], "source": "s",
                      "quote": QUOTE}]  # fmt: skip
    for cached in (False, True):
        rows = queries.deals(_load(spec, _folder(scratch), cached))
        when = "2024-09 | 2024-03 (disputed, 2 sources)"  # every claimed date, as a listing marks one
        assert [(r["date"], r["when"], r["disputed"]) for r in rows] == [("2024-09", when, ["history.date"])]
        assert rows == oracle.deal_rows(spec)


def test_an_undated_departure_counts_from_the_source_that_reports_it(scratch: Path) -> None:
    """A spell its own source (2024-12) calls current, and a later source (2025-06) says ended with
    no date: on 2025-01-31 nobody had reported the departure, so --left cannot list it (found by
    the oracle: the departure was dated by the spell's own, earlier source)."""
    spec: dict[str, list[dict[str, Any]]] = {kind: [] for kind in
            ("groups", "products", "deals", "events", "metrics", "claims")}  # fmt: skip
    spec["sources"] = [{"id": "s", "title": "A fictional article", "published": "2024-12"},
                       {"id": "s1", "title": "A later fictional article", "published": "2025-06"}]  # fmt: skip
    spec["firms"] = [{"id": "acme", "name": "Acme", "source": "s", "quote": QUOTE}]
    spec["people"] = [{"id": "ann", "name": "Ann", "source": "s", "quote": QUOTE}]
    spec["tenures"] = [{"id": "t0", "person": "ann", "firm": "acme", "current": True, "source": "s", "quote": QUOTE,
                        "also": [{"source": "s1", "quote": "another quote", "end_cause": "left"}]}]  # fmt: skip
    kb = _load(spec, _folder(scratch), False)
    before, after = date(2025, 1, 31), date(2025, 7, 1)
    assert queries.people(kb, left="acme", as_of=before) == oracle.people_rows(spec, left="acme", as_of=before) == []
    assert queries.people_undecided(kb, left="acme", as_of=before) == ["t0"]
    rows = queries.people(kb, left="acme", as_of=after)
    assert [(r["state"], r["cause"]) for r in rows] == [("ended", "left")]
    assert rows == oracle.people_rows(spec, left="acme", as_of=after)
