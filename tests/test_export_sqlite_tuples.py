"""The SQLite export makes the spells' and deals' rows, quotes and claims from their codec tuples
(aiorg.export.sqlite_rows.tuple_rows, aiorg.export.sqlite_claims.stage_tuples), decoding only a
record with more sources (for a deal: for it, a step or a condition) for its claims: each must
give what the decoded records give, row for row, for records of any field values (every spell
state, dates of every shape, money of every kind, steps and conditions, other sources)."""

from __future__ import annotations

import dataclasses
import sqlite3
import types
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aiorg import codec
from aiorg.export import sqlite_claims
from aiorg.export.sqlite_claims import CLAIMS_STAGE, QUOTES_STAGE, _Locator, create_stages, stage_kind, stage_tuples
from aiorg.export.sqlite_rows import TUPLE_KINDS, kind_rows, named_kinds, tuple_rows
from aiorg.kb import KnowledgeBase
from aiorg.model import Attestation, Deal, Tenure
from tests.test_export_rows import records

KINDS = {"tenures": Tenure, "deals": Deal}
#: the kind of some of the ids records.py's texts give (a deal's party is a firm, else a person)
NAMED = {"a": "firms", "Wei Wei": "people", "魏伟": "firms"}


def _numbered(spells: list[Any]) -> list[Any]:
    """The records with ids of their own (a knowledge base holds one record per id)."""
    return [dataclasses.replace(spell, id=f"r{i}") for i, spell in enumerate(spells)]


def _kb(kind: str, spells: list[Any]) -> KnowledgeBase:
    return KnowledgeBase.in_memory({kind: spells}, {}, "records")


def test_every_tuple_kind_is_tested_here() -> None:
    assert set(TUPLE_KINDS) == set(KINDS)


@pytest.mark.parametrize("kind", list(KINDS))
@given(data=st.data())
def test_rows_from_tuples_are_those_of_the_decoded_records(kind: str, data: st.DataObject) -> None:
    """Spells of every state; deals of any steps, conditions, figures and parties."""
    spells = _numbered(data.draw(st.lists(records(KINDS[kind]), max_size=8)))
    kb = _kb(kind, spells)
    try:
        tuples = [row for _, row in kb.stream_tuples(kind)]
        assert tuple_rows(kind, tuples, NAMED) == kind_rows(kb, kind, NAMED)
    finally:
        kb.close()


def _stages(stage: Any) -> tuple[list[Any], list[Any]]:
    db = sqlite3.connect(":memory:")
    create_stages(db, "main")
    stage(db)
    found = (
        db.execute(f"SELECT rowid, * FROM {QUOTES_STAGE} ORDER BY rowid").fetchall(),
        db.execute(f"SELECT rowid, * FROM {CLAIMS_STAGE} ORDER BY rowid").fetchall(),
    )
    db.close()
    return found


@pytest.mark.parametrize("kind", list(KINDS))
@given(data=st.data(), run=st.sampled_from([1, 2, 65536]))
def test_claims_from_tuples_are_those_of_the_decoded_records(kind: str, data: st.DataObject, run: int) -> None:
    """Records with and without other sources (a deal's: for itself, a step or a condition)."""
    spells = _numbered(data.draw(st.lists(records(KINDS[kind]), max_size=8)))
    kb = _kb(kind, spells)
    old_run = sqlite_claims._RUN
    sqlite_claims._RUN = run  # runs cut anywhere
    try:
        tuples = [row for _, row in kb.stream_tuples(kind)]
        where = _Locator({})
        got = _stages(lambda db: stage_tuples(db, "main", kind, tuples, where))
        want = _stages(lambda db: stage_kind(db, "main", kb, kind, where))
        assert got == want
    finally:
        sqlite_claims._RUN = old_run
        kb.close()


def test_the_bundled_spells_give_the_same_rows_and_stages(bundled_kb: KnowledgeBase, tmp_path: Path) -> None:
    texts = _Locator(bundled_kb.source_texts)
    for kind in TUPLE_KINDS:
        tuples = [row for _, row in bundled_kb.stream_tuples(kind)]
        named = named_kinds(bundled_kb)
        assert tuple_rows(kind, tuples, named) == kind_rows(bundled_kb, kind, named)
        got = _stages(lambda db, k=kind, t=tuples: stage_tuples(db, "main", k, t, texts))
        want = _stages(lambda db, k=kind: stage_kind(db, "main", bundled_kb, k, texts))
        assert got == want and any(row[-4] == 1 for row in got[1])  # some quote found in its text


def test_only_spells_with_more_sources_are_decoded(monkeypatch: pytest.MonkeyPatch) -> None:
    spell = Tenure(id="t0", person="p", firm="f", source="s", quote=["q"])
    other = dataclasses.replace(spell, id="t1", also=[Attestation(source="s2", quote=["another"])])
    decoded: list[str] = []
    real = codec.decoder(Tenure)

    def counted(row: tuple[Any, ...]) -> Any:
        decoded.append(row[codec.field_index(Tenure, "id")])
        return real(row)

    reader = types.SimpleNamespace(decoder=lambda cls: counted, field_index=codec.field_index)
    monkeypatch.setattr("aiorg.export.sqlite_claims.codec", reader)
    tuples = [codec.encoder(Tenure)(spell), codec.encoder(Tenure)(other)]
    _stages(lambda db: stage_tuples(db, "main", "tenures", tuples, _Locator({})))
    assert decoded == ["t1"]
