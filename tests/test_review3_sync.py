"""Review: a store updated in place after edits (commit 976e957: an edited one-kind file rewrites
only the records that changed) holds, table by table, what a store written whole from the same
files holds, and a load that fails says the same as a full load, for random sequences of edits to
a copy of the bundled data: records swapped, a field added or changed, a name changed, an id
changed (referenced or not), lines added above records, a record moved to another file."""

from __future__ import annotations

import contextlib
import marshal
import random
import re
import shutil
import sqlite3
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from aiorg import sync
from aiorg.cache import Cache
from aiorg.errors import DataError
from aiorg.loader import load
from tests.conftest import BUNDLED_DATA

_SKIP = {"meta", "texts", "names"}


def _tables(db: sqlite3.Connection) -> dict[str, list[str]]:
    """Every table's rows (records by their values, names by their texts, no text ids, each
    record's number replaced by its id: a file added later is numbered where there is room), sorted."""
    ids: dict[object, str] = {}
    for seq, record_id in db.execute("SELECT seq, id FROM records ORDER BY id"):
        ids[seq] = f"{ids[seq]}|{record_id}" if seq in ids else record_id
    found: dict[str, list[str]] = {}
    tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    for table in tables:
        if table in _SKIP or table.startswith("texts_fts") or table in ("files", "source_texts"):
            continue
        rows = db.execute(f'SELECT * FROM "{table}"').fetchall()
        if table == "records":
            rows = [(kind, i, repr(marshal.loads(data))) for kind, _, i, data, _ in rows]
        else:
            rows = [(ids[row[0]], *row[1:]) for row in rows]
        found[table] = sorted(map(repr, rows))
    found["files"] = sorted(map(repr, db.execute("SELECT name, content_key, targets FROM files")))
    found["source_texts"] = sorted(map(repr, db.execute("SELECT id, path FROM source_texts")))
    names = "SELECT n.seq, t.kind, t.field, t.text, t.norm FROM names n JOIN texts t ON t.id = n.text ORDER BY n.rowid"
    by_seq: dict[object, list[tuple[object, ...]]] = {}
    for seq, *row in db.execute(names):  # a record's names in field order; records in any order
        by_seq.setdefault(ids[seq], []).append(tuple(row))
    found["names"] = sorted(repr(item) for item in by_seq.items())
    # What search finds: texts some name points at (an update keeps a text no name points at any
    # more, as harmless; a store written whole never has one).
    search = (
        "SELECT t.text FROM texts_fts f JOIN texts t ON t.id = f.rowid"
        " WHERE texts_fts MATCH ? AND t.id IN (SELECT text FROM names) ORDER BY 1"
    )
    for word in ('"edited"', '"wang"', '"王"'):
        found[f"search {word}"] = list(map(repr, db.execute(search, (word,))))
    return found


def _blocks(text: str) -> tuple[str, list[str]]:
    head, *records = re.split(r"(?m)^(?=  - id: )", text)
    return head, records


def _edit(data: Path, rng: random.Random, n: int) -> None:
    files = sorted(p for p in data.glob("*.yaml") if p.name != "sources.yaml")
    path = rng.choice(files)
    head, records = _blocks(path.read_text(encoding="utf-8"))
    at = rng.randrange(len(records))
    choice = rng.randrange(9)
    if choice == 0 and len(records) > 1:  # two records swap places
        other = (at + 1) % len(records)
        records[at], records[other] = records[other], records[at]
        records = [r if r.endswith("\n\n") else r.rstrip("\n") + "\n\n" for r in records]
    elif choice == 1:  # a note added or changed
        lines = [line for line in records[at].split("\n") if not line.startswith("    note:")]
        lines.insert(1, f"    note: Review edited note {n}")
        records[at] = "\n".join(lines)
    elif choice == 2:  # a name changed
        records[at] = re.sub(r"(?m)^(    name: ).*$", rf"\g<1>Edited Name {n}", records[at], count=1)
    elif choice == 3:  # an id changed (others may refer to it)
        records[at] = re.sub(r"^  - id: (\S+)", rf"  - id: \g<1>-r{n}", records[at], count=1)
    elif choice == 4:  # lines above every record
        head = f"# review comment {n}\n\n" + head
    elif choice == 5 and len(records) > 1:  # a record moves to a file of its own
        moved = records.pop(at)
        kind = head.strip().split("\n")[-1]
        (data / f"moved-{n}.yaml").write_text(f"{kind}\n{moved}", encoding="utf-8")
    elif choice == 6:  # an id changed to one another record has (this file's or another's)
        taken = re.findall(r"(?m)^  - id: (\S+)$", rng.choice(files).read_text(encoding="utf-8"))
        records[at] = re.sub(r"^  - id: \S+", f"  - id: {rng.choice(taken)}", records[at], count=1)
    elif choice == 7 and "tenures" in head:  # a spell follows another one
        spells = [re.match(r"  - id: (\S+)", r).group(1) for r in records]  # type: ignore[union-attr]
        records[at] = re.sub(r"(?m)^(    firm: .*)$", rf"\1\n    after: {rng.choice(spells)}", records[at], count=1)
    else:  # the record's text changed where no value changes: quoting where no value changes: quoting
        records[at] = re.sub(r"(?m)^(    source: )(\S+)$", r'\1"\2"', records[at], count=1)
    path.write_text(head + "".join(records), encoding="utf-8")


def _outcome(data: Path, cache: Cache) -> tuple[str, dict[str, list[str]] | None]:
    try:
        load(data, cache=cache)
    except DataError as error:
        return str(error), None
    with contextlib.closing(sqlite3.connect(sync.store_path(cache, data))) as db:
        return "", _tables(db)


@settings(max_examples=3, deadline=None)  # ~0.5 s each: up to four edits, two loads each
@given(seed=st.integers(0, 10**6), edits=st.integers(1, 4))
def test_an_updated_store_is_the_store_written_whole(seed: int, edits: int) -> None:
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "kb" / "data"
        shutil.copytree(BUNDLED_DATA, data)
        shutil.copytree(BUNDLED_DATA.parent / "seeds", data.parent / "seeds")
        kept = Cache(Path(tmp) / "kept")
        load(data, cache=kept)
        for n in range(edits):
            _edit(data, rng, n)
            updated = _outcome(data, kept)
            whole = _outcome(data, Cache(Path(tmp) / f"whole-{n}"))
            assert updated[0] == whole[0]
            assert updated[1] == whole[1]
