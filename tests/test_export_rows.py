"""A whole graph export reads most records straight from their codec tuples (aiorg.export.whole's
_Rows, aiorg.export.flat_rows) and decodes the rest (a record with more than one source for a
part, sources, metrics): both must give exactly what the decoded record gives, attribute order
and types included, on any record the model allows and on random knowledge bases."""

from __future__ import annotations

import dataclasses
import types
import typing
from enum import Enum
from itertools import count
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aiorg import codec
from aiorg.codec import unwrap_optional
from aiorg.dates import FuzzyDate
from aiorg.export import whole as whole_module
from aiorg.export.flat_rows import row_flattener
from aiorg.export.whole import whole_graph
from aiorg.graph import _label, flattener, provenance
from aiorg.kb import KnowledgeBase
from aiorg.model import (
    RECORD_TYPES,
    Attestation,
    Condition,
    Deal,
    DealKind,
    DealStatus,
    EndCause,
    Metric,
    Record,
    Source,
    StatusEntry,
    Tenure,
)
from aiorg.money import Bound, Money
from tests.test_graph_store import graphs
from tests.test_oracle import _load

DATES = ["2024", "2024-03", "2025-02-15", "~2025-05", "2024..2025", "..2025-06", "2025-07..", "2024-12..2025-06"]
MONEY = [
    Money(14.3e9),
    Money(2e9, "USD", Bound.APPROX),
    Money(1e8, "USD", Bound.UP_TO),
    Money(1e9, "USD", Bound.SEVERAL, 1e10),
    Money(1e10, "CNY"),
    Money(5e9, "EUR"),
]
TEXTS = ["a", "Wei Wei", "魏伟", "a & b <c>", "x; y", ""]


def _value(draw: st.DrawFn, hint: Any, name: str) -> Any:
    """A value of a field's declared type (None sometimes, where the field may be None)."""
    optional = unwrap_optional(hint) is not hint
    hint = unwrap_optional(hint)
    if optional and draw(st.integers(0, 2)) == 0:
        return None
    if typing.get_origin(hint) is list:
        item = typing.get_args(hint)[0]
        least = 1 if name == "history" else 0
        return [_value(draw, item, name) for _ in range(draw(st.integers(least, 3)))]
    if hint is str:
        return draw(st.sampled_from(TEXTS))
    if hint is bool:
        return draw(st.booleans())
    if hint is float:
        return draw(st.sampled_from([0.0, 49.0, 1.5, 3.5e7, 100.0]))
    if hint is FuzzyDate:
        return FuzzyDate.parse(draw(st.sampled_from(DATES)))
    if hint is Money:
        return draw(st.sampled_from(MONEY))
    if isinstance(hint, type) and issubclass(hint, Enum):
        return draw(st.sampled_from(list(hint)))
    if hint in (StatusEntry, Condition, Attestation):
        return _record(draw, hint)
    raise AssertionError(f"teach the test to make a {hint}")


def _record(draw: st.DrawFn, cls: type) -> Any:
    hints = typing.get_type_hints(cls)
    values = {f.name: _value(draw, hints[f.name], f.name) for f in dataclasses.fields(cls)}
    return cls(**values)


@st.composite
def records(draw: st.DrawFn, cls: type) -> Record:
    """A record of this class, each field any value its type allows (lists of several items,
    `also` items, deal steps and conditions with sources of their own, a spell of any state)."""
    return typing.cast(Record, _record(draw, cls))


def _items(attributes: dict[str, Any]) -> list[tuple[str, Any, type]]:
    return [(name, value, type(value)) for name, value in attributes.items()]


def _flattened(record: Record) -> tuple[list[tuple[str, Any, type]], list[tuple[str, Any, type]]]:
    """(from the tuple, from the decoded record) of a record's flattened attributes."""
    cls = typing.cast(type, type(record))
    row = codec.encoder(cls)(record)
    decoded = codec.decoder(cls)(row)  # what an export decodes the stored tuple to
    flatten_row = row_flattener(cls)
    assert flatten_row is not None
    got: dict[str, Any] = {}
    want: dict[str, Any] = {}
    flatten_row(row, got)
    flattener(cls)(decoded, want)
    return _items(got), _items(want)


@pytest.mark.parametrize("cls", RECORD_TYPES, ids=lambda cls: cls.__name__)
@given(data=st.data())
def test_a_tuple_flattens_as_its_decoded_record(cls: type, data: st.DataObject) -> None:
    got, want = _flattened(data.draw(records(cls)))
    assert got == want


@pytest.mark.parametrize("cause", [None, EndCause.LEFT])
@pytest.mark.parametrize("end", [None, "2025-06"])
@pytest.mark.parametrize("current", [None, True, False])
def test_a_spell_tuple_has_the_state_of_its_record(
    cause: EndCause | None, end: str | None, current: bool | None
) -> None:
    day = FuzzyDate.parse(end) if end else None
    spell = Tenure(id="t", person="p", firm="f", source="s", quote=[], end_cause=cause, end=day, current=current)
    got, want = _flattened(spell)
    assert got == want and ("state", spell.state.value, str) in got


def _plain(record: Any) -> Any:
    """The record with one source a part: every `also` list emptied."""
    record.also = []
    for part in [*getattr(record, "history", []), *getattr(record, "conditions", [])]:
        part.also = []
    return record


@pytest.mark.parametrize("cls", [c for c in RECORD_TYPES if c not in (Source, Metric)], ids=lambda c: c.__name__)
@given(data=st.data())
def test_a_tuple_gives_the_label_and_provenance_of_its_record(cls: type, data: st.DataObject) -> None:
    record = data.draw(records(cls))
    rows = whole_module._Rows.of(cls, whole_module._Plan(typing.cast(KnowledgeBase, None), cls))
    assert rows is not None
    encode = codec.encoder(cls)
    parts = [record, *getattr(record, "history", []), *getattr(record, "conditions", [])]
    assert rows.plain(encode(record)) == (not any(part.also for part in parts))
    record = _plain(record)
    row = encode(record)
    assert rows.plain(row)
    assert (rows.sources(row), False) == provenance(record)
    assert rows.label(row) == _label(typing.cast(KnowledgeBase, None), record)


def test_every_record_class_is_read_from_its_tuple() -> None:
    assert all(row_flattener(cls) is not None for cls in RECORD_TYPES)


def _parts(kb: KnowledgeBase) -> tuple[list[Any], list[Any]]:
    nodes, edges = whole_graph(kb)
    return [(n, _items(d)) for n, d in nodes], [(u, v, k, _items(d)) for u, v, k, d in edges]


def _all_decoded(kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> tuple[list[Any], list[Any]]:
    with monkeypatch.context() as patched:
        patched.setattr(whole_module._Rows, "of", classmethod(lambda cls, record_class, plan: None))
        return _parts(kb)


_scratch = count()


@given(spec=graphs())
def test_random_knowledge_bases_give_the_graph_of_their_decoded_records(
    tmp_path_factory: pytest.TempPathFactory, spec: Any
) -> None:
    """Spells of every state, deals with other sources for the deal or a step, repeated parties."""
    kb = _load(spec, tmp_path_factory.mktemp(f"rows{next(_scratch)}"), False)
    try:
        with pytest.MonkeyPatch.context() as monkeypatch:
            assert _parts(kb) == _all_decoded(kb, monkeypatch)
    finally:
        kb.close()


def test_the_bundled_graph_is_that_of_its_decoded_records(
    bundled_kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert any(d.conditions for d in bundled_kb.records("deals"))  # type: ignore[union-attr]
    assert _parts(bundled_kb) == _all_decoded(bundled_kb, monkeypatch)


def test_only_records_with_more_sources_sources_and_metrics_are_decoded(
    bundled_kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bundled records have one source a part: only its sources and metrics are decoded."""
    decoded: list[str] = []
    real = codec.decoder

    def watched(cls: type) -> Any:
        decode = real(cls)

        def counted(row: tuple[Any, ...]) -> Any:
            decoded.append(cls.__name__)
            return decode(row)

        return counted

    reader = types.SimpleNamespace(decoder=watched, field_names=codec.field_names, field_index=codec.field_index)
    monkeypatch.setattr("aiorg.export.whole.codec", reader)  # the knowledge base's own decoding is not counted
    whole_graph(bundled_kb)
    assert decoded and set(decoded) == {"Source", "Metric"}


def test_a_deal_with_another_source_for_a_step_is_decoded() -> None:
    step = StatusEntry(source="s", quote=[], status=_status())
    other = StatusEntry(source="s", quote=[], status=_status(), also=[Attestation(source="s2", quote=["q"])])
    plan = whole_module._Plan(typing.cast(KnowledgeBase, None), Deal)
    rows = whole_module._Rows.of(Deal, plan)
    assert rows is not None
    encode = codec.encoder(Deal)
    assert rows.plain(encode(Deal(id="d", kind=_kind(), source="s", quote=[], history=[step])))
    assert not rows.plain(encode(Deal(id="d", kind=_kind(), source="s", quote=[], history=[step, other])))
    condition = Condition(source="s", quote=[], text="t", also=[Attestation(source="s2", quote=[])])
    assert not rows.plain(
        encode(Deal(id="d", kind=_kind(), source="s", quote=[], history=[step], conditions=[condition]))
    )
    also = [Attestation(source="s2", quote=[])]
    assert not rows.plain(encode(Deal(id="d", kind=_kind(), source="s", quote=[], history=[step], also=also)))


def _status() -> DealStatus:
    return next(iter(DealStatus))


def _kind() -> DealKind:
    return next(iter(DealKind))
