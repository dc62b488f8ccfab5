"""The deals listing works out what the claims on a field tell once per set of claims
(aiorg.queries.deal_tuples.Ranks): what it keeps must be what it would work out afresh, for every
set of claims in a listing, however alike (the same values from other sources, or with another
preferred source; values that are equal but not the same: 0.0 and -0.0, 15 and 15.0)."""

from __future__ import annotations

from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from aiorg.dates import FuzzyDate
from aiorg.kb import KnowledgeBase
from aiorg.model import Record, Source, SourceKind
from aiorg.queries import deal_tuples
from aiorg.queries.common import source_lookup

SOURCES = ["s", "s1", "s2"]
VALUES: dict[str, list[Any]] = {
    "amount": [(2e9, "USD", "exact", None), (3e9, "USD", "exact", None), (3, "USD", "exact", None),
               (3.0, "USD", "exact", None), (1e9, "USD", "several", 1e10), (14.3e9, "USD", "exact", None),
               (14.30001e9, "USD", "exact", None), (1e10, "CNY", "approx", None)],
    "valuation": [(2e9, "USD", "exact", None), (5e9, "EUR", "up_to", None)],
    "stake": [0.0, -0.0, 15, 15.0, 49.0],
    "title": ["A deal", "Another title"],
}  # fmt: skip
TWO, THREE = VALUES["amount"][:2]
CLAIM = st.tuples(st.sampled_from(SOURCES), st.sampled_from([None, None, "the test prefers it"]))


@st.composite
def _claim_sets(draw: st.DrawFn) -> tuple[str, Any, list[deal_tuples._Claim]]:
    """A field, a deal's own value of it (or none) and the claims on it: its own first, then others'."""
    name = draw(st.sampled_from(sorted(VALUES)))
    raw = draw(st.one_of(st.none(), st.sampled_from(VALUES[name])))
    said: list[deal_tuples._Claim] = [(raw, draw(st.sampled_from(SOURCES)), None, True)] if raw is not None else []
    for source, preferred in draw(st.lists(CLAIM, min_size=1, max_size=3)):
        said.append((draw(st.sampled_from(VALUES[name])), source, preferred, False))
    return name, raw, said


def _ranks() -> deal_tuples.Ranks:
    sources: list[Record] = [
        Source(id="s", title="t"),
        Source(id="s1", title="t1", kind=SourceKind.FILING, published=FuzzyDate.parse("2024-03")),
        Source(id="s2", title="t2", kind=SourceKind.FILING, published=FuzzyDate.parse("2025-01")),
    ]
    return deal_tuples.Ranks(source_lookup(KnowledgeBase.in_memory({"sources": sources}, {}, "test")))


@given(st.lists(_claim_sets(), min_size=1, max_size=12))
@example(
    [
        ("stake", 0.0, [(0.0, "s", None, True), (49.0, "s1", None, False)]),
        ("stake", -0.0, [(-0.0, "s", None, True), (49.0, "s1", None, False)]),
        ("amount", None, [((3, "USD", "exact", None), "s", None, False), (TWO, "s1", None, False)]),
        ("amount", None, [((3.0, "USD", "exact", None), "s", None, False), (TWO, "s1", None, False)]),
        ("amount", None, [(THREE, "s", None, False), (TWO, "s1", None, False)]),
        ("amount", None, [(THREE, "s", "the test prefers it", False), (TWO, "s1", None, False)]),
        ("amount", None, [(THREE, "s2", None, False), (TWO, "s1", None, False)]),
    ]
)
def test_what_claims_tell_is_worked_out_afresh_every_time(cases: list[tuple[str, Any, list[Any]]]) -> None:
    ranks = _ranks()
    for name, raw, said in cases:
        kept = ranks.field(name, raw, said)
        fresh = deal_tuples._field(name, raw, said, ranks.source_of)
        assert repr(kept) == repr(fresh)  # repr: 15 is not 15.0, nor -0.0 0.0
