"""claims.any_disputed answers whether claims.disputes finds anything, without building the
claims (an export asks it of every record, its deal steps and conditions): the two must agree on
every record of the fictional multi-source fixture, of a generated knowledge base with two sources
per fact, and of the reference oracle's generated knowledge bases (tests/test_oracle.py)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aiorg.claims import any_disputed, disputes
from aiorg.kb import KnowledgeBase
from aiorg.loader import load
from aiorg.model import RECORD_KINDS, Attestation, EndCause, Tenure
from tests.test_oracle import _load, knowledge_bases

sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))
from generate import generate

FIXTURE = Path(__file__).parent / "fixtures" / "multisource" / "data"
_counter = iter(range(10**9))


def _parts(kb: KnowledgeBase) -> Iterator[Any]:
    """Every record, and each deal's steps and conditions."""
    for kind in RECORD_KINDS:
        for record in kb.records(kind):
            yield record
            yield from getattr(record, "history", ())
            yield from getattr(record, "conditions", ())


def _agree(kb: KnowledgeBase) -> int:
    disputed = 0
    for part in _parts(kb):
        assert any_disputed(part) == bool(disputes(part)), part
        disputed += any_disputed(part)
    return disputed


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("any-disputed")


def test_the_fixture_and_a_two_source_knowledge_base(scratch: Path) -> None:
    fixture = load(FIXTURE)
    assert _agree(fixture) > 0
    generate(200, scratch / "two", sources=2)
    two = load(scratch / "two" / "data")
    assert _agree(two) > 10


@given(spec=knowledge_bases(), cached=st.booleans())
def test_generated_knowledge_bases(scratch: Path, spec: Any, cached: bool) -> None:
    kb = _load(spec, scratch / str(next(_counter)), cached)
    try:
        _agree(kb)
    finally:
        kb.close()


@pytest.mark.parametrize(
    ("told", "disputed"),
    [
        ({"end_cause": EndCause.LEFT}, True),  # current, and another source ends it without saying so
        ({"current": False}, True),
        ({"current": True}, False),
        ({"title": "CTO"}, False),  # a value only the other source gives: nothing against it
    ],
)
def test_a_spell_called_current_by_one_source(told: dict[str, Any], disputed: bool) -> None:
    spell = Tenure(id="t", person="p", firm="f", current=True, source="a", quote=["q"],
                   also=[Attestation(source="b", quote=["q"], **told)])  # fmt: skip
    assert bool(disputes(spell)) is disputed
    assert any_disputed(spell) is disputed


def test_an_export_never_builds_every_claim_to_find_a_dispute(monkeypatch: pytest.MonkeyPatch) -> None:
    """A node's `disputed` flag asks any_disputed, which stops at the first disagreement, never
    claims.disputes, which builds every claim of every record (a quarter of an export's time
    with two sources per fact)."""
    from aiorg import claims, graph

    def refused(record: Any) -> dict[str, Any]:
        raise AssertionError("disputes() built every claim to find a flag")

    monkeypatch.setattr(claims, "disputes", refused)
    monkeypatch.setattr(graph, "disputes", refused, raising=False)  # should graph import it again
    kb = load(FIXTURE)
    flags = [graph.provenance(record)[1] for kind in RECORD_KINDS for record in kb.records(kind)]
    assert any(flags)
