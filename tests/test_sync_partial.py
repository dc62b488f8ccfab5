"""After an edit, only the changed records of a one-kind file are rewritten in the store, and the
store holds what a store written whole from the same files holds."""

from __future__ import annotations

import marshal
import re
import sqlite3
from pathlib import Path
from typing import Any, cast

import pytest

from aiorg import codec, sync
from aiorg.cache import Cache
from aiorg.errors import DataError
from aiorg.loader import load
from aiorg.model import RECORD_KINDS
from aiorg.store import write

#: every table a record's rows are in, but texts (ids are numbered as texts are met) and files
_TABLES = ("records", "edges", "statements", "source_texts", "events", "events_subjects", "events_reported_by")


def _store(cache: Cache, data: Path) -> sqlite3.Connection:
    return sqlite3.connect(sync.store_path(cache, data))


def _content(db: sqlite3.Connection) -> dict[str, list[tuple[object, ...]]]:
    tables: dict[str, list[tuple[object, ...]]] = {t: sorted(db.execute(f"SELECT * FROM {t}")) for t in _TABLES}
    # A record's bytes depend on which of its values marshal found shared; its values do not.
    records = db.execute("SELECT kind, seq, id, data FROM records")
    tables["records"] = sorted(
        (kind, seq, record_id, repr(marshal.loads(data))) for kind, seq, record_id, data in records
    )
    names = "SELECT n.seq, t.kind, t.field, t.text, t.norm FROM names n JOIN texts t ON t.id = n.text ORDER BY n.rowid"
    by_seq: dict[object, list[tuple[object, ...]]] = {}
    for row in db.execute(names):
        by_seq.setdefault(row[0], []).append(row)
    tables["names"] = sorted(row for rows in by_seq.values() for row in rows)  # each record's in field order
    tables["names_order"] = sorted(tuple(rows) for rows in by_seq.values())
    tables["files"] = sorted(db.execute("SELECT rank, name, content_key, targets FROM files"))
    search = "SELECT t.text FROM texts_fts f JOIN texts t ON t.id = f.rowid WHERE texts_fts MATCH ? ORDER BY 1"
    tables["search"] = list(db.execute(search, ('"Reorganised"',))) + list(db.execute(search, ('"llama"',)))
    return tables


def _edit(data: Path, old: str, new: str) -> None:
    events = data / "events.yaml"
    text = events.read_text(encoding="utf-8")
    assert text.count(old) == 1
    events.write_text(text.replace(old, new), encoding="utf-8")


def test_an_edited_record_alone_is_rewritten_and_the_store_is_as_if_written_whole(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = Cache(tmp_path / "cache")
    load(data, cache=cache)
    written: list[str] = []
    insert = write.insert_records

    def counted(db: sqlite3.Connection, kind: str, first: int, rows: list[tuple[Any, ...]], texts: write.Texts) -> None:
        id_at = codec.field_index(cast(type, RECORD_KINDS[kind]), "id")
        written.extend(row[id_at] for row in rows)
        insert(db, kind, first, rows, texts)

    monkeypatch.setattr(write, "insert_records", counted)
    _edit(data, "text: DeepSeek R1 goes viral\n", "text: DeepSeek R1 goes viral, Llama trails (Reorganised)\n")
    kb = load(data, cache=cache)
    assert kb._store is not None  # updated in place, not loaded again whole
    assert written == ["deepseek-r1-viral"]  # not the file's other 24 events
    monkeypatch.setattr(write, "insert_records", insert)
    fresh = Cache(tmp_path / "fresh")
    load(data, cache=fresh)
    with _store(cache, data) as updated, _store(fresh, data) as whole:
        assert _content(updated) == _content(whole)


def test_a_reference_an_edit_breaks_is_still_reported_at_its_place(data: Path, tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    load(data, cache=cache)
    _edit(data, "subjects: [deepseek-r1, deepseek]\n", "subjects: [deepseek-r1, deepseek-nowhere]\n")
    with pytest.raises(DataError) as error:
        load(data, cache=cache)
    assert "events.yaml" in str(error.value) and "deepseek-nowhere" in str(error.value)


def test_a_record_added_replaces_the_file_whole_as_before(data: Path, tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    load(data, cache=cache)
    added = "  - id: r1-again\n    kind: milestone\n    subjects: [deepseek]\n    text: Reorganised\n"
    added += "    source: zimubang-2025-06\n    quote: DeepSeek\n"
    _edit(data, "  - id: deepseek-r1-viral\n", added + "  - id: deepseek-r1-viral\n")
    assert load(data, cache=cache)._store is not None
    fresh = Cache(tmp_path / "fresh")
    load(data, cache=fresh)
    with _store(cache, data) as updated, _store(fresh, data) as whole:
        assert _content(updated) == _content(whole)
        assert updated.execute("SELECT count(*) FROM records WHERE id = 'r1-again'").fetchone() == (1,)


@pytest.mark.parametrize("retitled", [0, 9], ids=["alone", "with-nine-others-edited"])
@pytest.mark.parametrize(
    ("old", "line"), [("[llama-1, meta]", 5), ("[meta, llama-4, deepseek-r1]", 14), ("[apple]", 280)]
)
def test_a_broken_reference_is_found_in_any_record_of_an_edit(
    data: Path, tmp_path: Path, old: str, line: int, retitled: int
) -> None:
    """The first, a middle and the last record of the file, alone or among ten edited records
    (sync._references_of looks the references up per record, or by line for many records)."""
    cache = Cache(tmp_path / "cache")
    load(data, cache=cache)
    events = data / "events.yaml"
    lines = events.read_text(encoding="utf-8").splitlines(keepends=True)
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, "[nowhere-firm]")
    plain = re.compile(r"    text: [A-Za-z][^:#]*\n")  # a plain one-line text, which can take more words
    texts = [at for at, text in enumerate(lines) if plain.fullmatch(text)]
    assert len(texts) >= retitled
    for at in texts[-retitled:] if retitled else []:
        lines[at] = lines[at].rstrip("\n") + " (edited)\n"
    events.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(DataError) as error:
        load(data, cache=cache)
    assert f"events.yaml:{line}:" in str(error.value) and "nowhere-firm" in str(error.value)


def test_a_broken_reference_on_a_records_first_line_is_found(data: Path, tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    load(data, cache=cache)
    _edit(data, "  - id: apple-behind-in-ai\n    kind: statement\n    subjects: [apple]\n",
          "  - subjects: [nowhere-firm]\n    id: apple-behind-in-ai\n    kind: statement\n")  # fmt: skip
    with pytest.raises(DataError) as error:
        load(data, cache=cache)
    assert "events.yaml:278:" in str(error.value) and "nowhere-firm" in str(error.value)


def test_an_unchanged_record_is_its_stored_bytes(data: Path, tmp_path: Path) -> None:
    """An edit finds the changed records by comparing bytes: a record read again, from the cache or
    parsed, must be the very bytes the store holds (else every record is compared by its repr,
    2 s for the spells at 100k people)."""
    from aiorg.datafiles import data_files
    from aiorg.parse import read_entries

    cache = Cache(tmp_path / "cache")
    load(data, cache=cache)
    files, _ = data_files(data)
    for reading in (cache, None):  # each file's payload from the cache, then parsed again
        rows = {}
        for entry in read_entries(data, files, reading, [], None):
            ((kind, kind_rows),) = entry.store_rows().records.items()
            rows.update(
                {(kind, row[codec.field_index(cast(type, RECORD_KINDS[kind]), "id")]): row for row in kind_rows}
            )
        with _store(cache, data) as db:
            stored = list(db.execute("SELECT kind, id, data FROM records"))
        assert len(stored) == len(rows) > 100
        assert all(
            marshal.dumps(rows[(kind, record_id)], write.RECORD_MARSHAL) == data for kind, record_id, data in stored
        )
