"""Many sources per fact: every claim is kept, disagreements are found, and the value shown first
follows the documented rule (aiorg.claims), on the fictional knowledge base in
tests/fixtures/multisource and on hand-built records."""

from __future__ import annotations

from pathlib import Path

import pytest

from aiorg import claims
from aiorg.dates import FuzzyDate
from aiorg.kb import KnowledgeBase
from aiorg.loader import load
from aiorg.model import Attestation, EndCause, Source, SourceKind, Tenure

FIXTURE = Path(__file__).parent / "fixtures" / "multisource" / "data"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load(FIXTURE)


def _lookup(kb: KnowledgeBase) -> claims.SourceLookup:
    return lambda source_id: next((s for s in kb.sources if s.id == source_id), None)


def test_the_fixture_keeps_both_sides_of_each_dispute(kb: KnowledgeBase) -> None:
    tenure = next(t for t in kb.tenures if t.id == "li-ming-xinghe-product")
    deal = next(d for d in kb.deals if d.id == "yunfan-xinghe-acquisition")
    assert {f: [(c.source, claims.value_text(c.value)) for c in cs] for f, cs in claims.disputes(tenure).items()} == {
        "end_cause": [("fictional-zh-2024-10", "left"), ("fictional-en-2025-03", "advisor")]
    }
    assert {f: [(c.source, claims.value_text(c.value)) for c in cs] for f, cs in claims.disputes(deal).items()} == {
        "amount": [("fictional-zh-2024-10", "~$2B"), ("fictional-en-2025-03", "$2.5B")]
    }
    assert claims.sources_of(deal) == ["fictional-zh-2024-10", "fictional-en-2025-03"]
    # The firm's own statement outranks the report: it is shown first.
    assert claims.dispute_note(claims.disputes(tenure)["end_cause"], _lookup(kb)) == (
        "advisor | left (disputed, 2 sources)"
    )
    assert claims.shown_value(tenure, "end_cause", _lookup(kb)) is EndCause.ADVISOR
    assert claims.claimed_values(tenure, "end_cause") == [EndCause.LEFT, EndCause.ADVISOR]


def _source(source_id: str, kind: SourceKind | None, published: str | None) -> Source:
    return Source(id=source_id, title=source_id, kind=kind, published=FuzzyDate.parse(published) if published else None)


def _spell(own: str, *others: tuple[str, str, str | None]) -> Tenure:
    return Tenure(
        id="t",
        person="p",
        firm="f",
        end_cause=EndCause(own),
        source="own",
        quote=["q"],
        also=[Attestation(source=s, quote=["q"], end_cause=EndCause(v), preferred=why) for s, v, why in others],
    )


@pytest.mark.parametrize(
    ("sources", "spell", "shown"),
    [
        # 1. an explicit choice wins, whatever the kinds and dates
        (
            [_source("own", SourceKind.FILING, "2025-06"), _source("b", SourceKind.SOCIAL_POST, "2020")],
            _spell("left", ("b", "advisor", "the filing was later corrected")),
            "advisor",
        ),
        # 2. then the weightier kind of source
        (
            [_source("own", SourceKind.ARTICLE, "2025-06"), _source("b", SourceKind.FILING, "2020")],
            _spell("left", ("b", "advisor", None)),
            "advisor",
        ),
        # a source with no kind weighs as an article; a social post weighs less
        (
            [_source("own", None, "2020"), _source("b", SourceKind.SOCIAL_POST, "2025")],
            _spell("left", ("b", "advisor", None)),
            "left",
        ),
        # 3. then the most recent
        (
            [_source("own", SourceKind.ARTICLE, "2024-10"), _source("b", SourceKind.ARTICLE, "2025-03")],
            _spell("left", ("b", "advisor", None)),
            "advisor",
        ),
        # an undated source counts as the oldest
        (
            [_source("own", SourceKind.ARTICLE, None), _source("b", SourceKind.ARTICLE, "2020")],
            _spell("left", ("b", "advisor", None)),
            "advisor",
        ),
        # 4. then the record's own source
        (
            [_source("own", SourceKind.ARTICLE, "2025"), _source("b", SourceKind.ARTICLE, "2025")],
            _spell("left", ("b", "advisor", None)),
            "left",
        ),
    ],
)
def test_the_value_shown_first_follows_the_rule(sources: list[Source], spell: Tenure, shown: str) -> None:
    lookup = {s.id: s for s in sources}.get
    assert claims.shown_value(spell, "end_cause", lookup) is EndCause(shown)


def test_agreeing_sources_are_not_a_dispute() -> None:
    spell = _spell("left", ("b", "left", None))
    assert claims.disputes(spell) == {}
    assert [(c.field, c.source) for c in claims.statements(spell) if c.field == "end_cause"] == [
        ("end_cause", "own"),
        ("end_cause", "b"),
    ]
