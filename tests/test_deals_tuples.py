"""The deals listing reads most deals straight from their record tuples (aiorg.queries.deal_tuples)
and decodes the rest: both paths must give the same rows, byte for byte, whatever the sources say.

Each example builds a random knowledge base of deals in memory (other sources that repeat a value,
give another, give one where the deal has none, a value that differs but reads the same, preferred
sources, sources of every kind and date, disputed titles and step dates, conditions with sources,
parties without a record or a Chinese name) and runs the same listing twice: as it is, and with
every deal sent through the decoded path.
"""

from __future__ import annotations

from typing import Any
from unittest import mock

from hypothesis import given
from hypothesis import strategies as st

from aiorg import queries
from aiorg.dates import FuzzyDate
from aiorg.kb import KnowledgeBase
from aiorg.model import (
    Attestation,
    Certainty,
    Condition,
    Deal,
    DealKind,
    DealStatus,
    Firm,
    Person,
    Record,
    Source,
    SourceKind,
    StatusEntry,
)
from aiorg.money import Bound, Money, to_usd
from aiorg.queries import Basis, deal_tuples
from aiorg.queries.common import Window

SOURCES = ["s", "s1", "s2", "s3"]
FIRMS = ["acme", "bolt", "core"]
PEOPLE = ["ann", "bo"]
PARTIES = [*FIRMS, *PEOPLE, "ghost"]  # "ghost" has no record: its id stands for its name
AMOUNTS = [
    Money(14.3e9),
    Money(14.30001e9),  # another value that reads the same ('$14.3B'): not a disagreement
    Money(2e9, "USD", Bound.APPROX),
    Money(1e8, "USD", Bound.UP_TO),
    Money(1e9, "USD", Bound.SEVERAL, 1e10),
    Money(1e10, "CNY"),
    Money(5e9, "EUR"),
    Money(3.5e7),
]
STAKES = [49.0, 10.0, 100.0, 0.0]
TITLES = ["A deal", "Another title"]
DATES = ["2024-03", "2024-12", "~2025-05", "2024..2025", "..2025-06", "2025-07.."]
QUOTES = [[], ["a quote"], ["first", "second"]]


def _maybe(draw: st.DrawFn, choices: list[Any], odds: int = 2) -> Any:
    """One of `choices`, or None (one time in `odds`)."""
    return None if draw(st.integers(0, odds - 1)) == 0 else draw(st.sampled_from(choices))


def _items(draw: st.DrawFn, own: dict[str, Any], fields: dict[str, list[Any]]) -> list[Attestation]:
    """Up to two more sources, each giving some fields a value: often the record's own."""
    items = []
    for source in draw(st.lists(st.sampled_from(SOURCES), max_size=2, unique=True)):
        values: dict[str, Any] = {}
        for name, choices in fields.items():
            pick = draw(st.integers(0, 3))
            if pick == 0 and own.get(name) is not None:
                values[name] = own[name]
            elif pick == 1:
                values[name] = draw(st.sampled_from(choices))
        preferred = "the test prefers it" if draw(st.integers(0, 4)) == 0 else None
        items.append(Attestation(source=source, quote=draw(st.sampled_from(QUOTES)), preferred=preferred, **values))
    return items


def _step(draw: st.DrawFn) -> StatusEntry:
    own = {"date": _maybe(draw, [FuzzyDate.parse(d) for d in DATES], 3), "certainty": draw(st.sampled_from(Certainty))}
    also = _items(draw, own, {"date": [FuzzyDate.parse(d) for d in DATES], "certainty": list(Certainty)})
    return StatusEntry(
        status=draw(st.sampled_from(DealStatus)),
        source=draw(st.sampled_from(SOURCES)),
        quote=draw(st.sampled_from(QUOTES)),
        also=also if draw(st.integers(0, 2)) == 0 else [],
        **own,
    )


@st.composite
def deal_kbs(draw: st.DrawFn) -> KnowledgeBase:
    """A knowledge base of a few parties, sources and deals, in memory."""
    sources: list[Record] = [
        Source(
            id=source,
            title=f"fictional source {source}",
            kind=_maybe(draw, list(SourceKind)),
            published=_maybe(draw, [FuzzyDate.parse(d) for d in ["2024-03", "~2024-12", "2025-01..2025-06", "2026"]]),
        )
        for source in SOURCES
    ]
    firms: list[Record] = [
        Firm(id=f, name=f.title(), name_zh=_maybe(draw, ["甲公司", "乙"]), source="s", quote=["q"]) for f in FIRMS
    ]
    people: list[Record] = [
        Person(id=p, name=p.title(), name_zh=_maybe(draw, ["张伟"]), source="s", quote=["q"]) for p in PEOPLE
    ]
    deals: list[Record] = []
    for index in range(draw(st.integers(1, 6))):
        own: dict[str, Any] = {
            "title": _maybe(draw, TITLES),
            "amount": _maybe(draw, AMOUNTS),
            "valuation": _maybe(draw, AMOUNTS, 3),
            "stake": _maybe(draw, STAKES),
        }
        fields: dict[str, list[Any]] = {"title": TITLES, "amount": AMOUNTS, "valuation": AMOUNTS, "stake": STAKES}
        if draw(st.integers(0, 5)) == 0:  # a source that dates the deal itself: the decoded path only
            fields["date"] = [FuzzyDate.parse(d) for d in DATES]
        history = [_step(draw) for _ in range(draw(st.integers(1, 3)))]
        conditions = [
            Condition(
                text=f"condition {n}",
                source=draw(st.sampled_from(SOURCES)),
                quote=["q"],
                also=[Attestation(source=s, quote=["q"]) for s in draw(st.lists(st.sampled_from(SOURCES), max_size=1))],
            )
            for n in range(draw(st.integers(0, 2)))
        ]
        deals.append(
            Deal(
                id=f"d{index}",
                kind=draw(st.sampled_from(DealKind)),
                buyers=draw(st.lists(st.sampled_from(PARTIES), max_size=2, unique=True)),
                targets=draw(st.lists(st.sampled_from(PARTIES), max_size=2, unique=True)),
                people=draw(st.lists(st.sampled_from(PEOPLE), max_size=1)),
                history=history,
                conditions=conditions,
                superseded_by=_maybe(draw, ["d0", "d9"], 3),
                source=draw(st.sampled_from(SOURCES)),
                quote=draw(st.sampled_from(QUOTES)),
                also=_items(draw, own, fields) if draw(st.integers(0, 3)) else [],
                **own,
            )
        )
    records: dict[str, list[Record]] = {"sources": sources, "firms": firms, "people": people, "deals": deals}
    return KnowledgeBase.in_memory(records, {}, "test")


def _decoded_only(row: tuple[Any, ...]) -> bool:
    return False


@given(
    kb=deal_kbs(),
    # 14.300005e9 lies between two values that read the same ('$14.3B'), which are one value
    minimum=st.sampled_from([None, None, "1e9", "10e9", "14.300005e9", "1000000000CNY"]),
    maximum=st.sampled_from([None, None, "1e9", "20e9"]),
    basis=st.sampled_from(Basis),
    party=st.sampled_from([None, None, "acme", "ann"]),
    kind=st.one_of(st.none(), st.none(), st.sampled_from(DealKind)),
    status=st.one_of(st.none(), st.none(), st.sampled_from(DealStatus)),
    window=st.sampled_from([Window(), Window(), Window.parse("2024-06", None), Window.parse(None, "2024-12")]),
    rates=st.sampled_from([{}, {"CNY": 0.14}, {"CNY": 0.14, "EUR": 1.1}]),
)
def test_rows_read_from_tuples_equal_the_decoded_rows(kb: KnowledgeBase, **options: Any) -> None:
    rates = options["rates"]
    for bound in ("minimum", "maximum"):
        options[bound] = Money.parse(options[bound]) if options[bound] else None
    low, high = (to_usd(options[b], rates) if options[b] else 0.0 for b in ("minimum", "maximum"))
    if low is None or high is None or (options["maximum"] and low > high):
        return  # a usage error
    fast = queries.deals(kb, **options)
    with mock.patch.object(deal_tuples, "readable", _decoded_only):
        slow = queries.deals(kb, **options)
    assert fast == slow
    assert [list(row) for row in fast] == [list(row) for row in slow]  # the keys in the same order too


@given(kb=deal_kbs())
def test_every_deal_shown_unfiltered_is_the_same_either_way(kb: KnowledgeBase) -> None:
    """Without filters every deal is shown: the tuple path reads most of them."""
    fast = queries.deals(kb)
    with mock.patch.object(deal_tuples, "readable", _decoded_only):
        assert queries.deals(kb) == fast
    assert sorted(row["deal"] for row in fast) == sorted(deal.id for deal in kb.deals)


@given(kb=deal_kbs())
def test_names_read_from_tuples_equal_name_of(kb: KnowledgeBase) -> None:
    ids = [*PARTIES, "d0", "s"]
    assert kb.names_of(ids) == {i: kb.name_of(i) for i in ids}


def test_the_tuple_path_reads_deals_whose_sources_disagree() -> None:
    """The fast path is not only for deals with one source: a disputed amount is read from the tuple."""
    deal = Deal(
        id="d",
        kind=DealKind.ACQUISITION,
        buyers=["acme"],
        amount=Money(2e9),
        history=[StatusEntry(status=DealStatus.AGREED, source="s", quote=["q"])],
        source="s",
        quote=["q"],
        also=[Attestation(source="s1", quote=["q1"], amount=Money(3e9))],
    )
    sources: list[Record] = [Source(id="s", title="t"), Source(id="s1", title="t1", kind=SourceKind.FILING)]
    kb = KnowledgeBase.in_memory({"sources": sources, "deals": [deal]}, {}, "test")
    ((_, row),) = kb.select_tuples("deals")
    assert deal_tuples.readable(row)
    (listed,) = queries.deals(kb, minimum=Money(2.5e9))
    assert listed["amount"] == "$3B | $2B (disputed, 2 sources)"  # the filing is shown first
    assert listed["value"] == "$3B (disputed, 2 sources)"
    assert listed["disputed"] == ["amount"]


def test_two_values_that_read_the_same_are_one_version() -> None:
    """'$14.3B' from two sources is one value (aiorg.queries.common._options compares the text), so a
    bound that lies between the two numbers matches only the deal's own one, on either path."""
    deals: list[Record] = [
        Deal(
            id=f"d{number}",
            kind=DealKind.ACQUISITION,
            amount=Money(own),
            history=[StatusEntry(status=DealStatus.AGREED, source="s", quote=["q"])],
            source="s",
            quote=["q"],
            also=[Attestation(source="s1", quote=["q1"], amount=Money(other))],
        )
        for number, (own, other) in enumerate([(14.3e9, 14.30001e9), (14.30001e9, 14.3e9)])
    ]
    sources: list[Record] = [Source(id="s", title="t"), Source(id="s1", title="t1", kind=SourceKind.FILING)]
    kb = KnowledgeBase.in_memory({"sources": sources, "deals": deals}, {}, "test")
    fast = queries.deals(kb, minimum=Money(14.300005e9))
    with mock.patch.object(deal_tuples, "readable", _decoded_only):
        assert queries.deals(kb, minimum=Money(14.300005e9)) == fast
    assert [(row["deal"], row["value_usd"], row["disputed"]) for row in fast] == [("d1", 14.30001e9, [])]
