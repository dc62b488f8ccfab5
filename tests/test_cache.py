"""The compiled cache: never stale, never trusted blindly, and invisible in the answers."""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
from pathlib import Path
from typing import cast

import pytest
import yaml

from aiorg import codec, sync
from aiorg.cache import Cache
from aiorg.errors import DataError
from aiorg.kb import KnowledgeBase
from aiorg.loader import load
from aiorg.model import RECORD_KINDS
from tests.conftest import run_cli


@pytest.fixture
def cache(tmp_path: Path) -> Cache:
    folder = tmp_path / "cache"
    return Cache(folder)


def _answer(data: Path, *args: str, cached: bool = True) -> object:
    flags = [] if cached else ["--no-cache"]
    result = run_cli("--data", str(data), *flags, *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    "args",
    [
        ["people", "--left", "minimax"],
        ["deals", "--min", "10e9"],
        ["flows"],
        ["person", "张前川"],
        ["firm", "月之暗面"],
        ["strategy"],
        ["timeline"],
    ],
)
def test_cached_answers_equal_uncached_ones(data: Path, args: list[str]) -> None:
    fresh = _answer(data, *args, cached=False)
    assert _answer(data, *args) == fresh  # first run: parses and writes the cache
    assert _answer(data, *args) == fresh  # second run: read from the store


def test_warm_load_reads_the_store_lazily(data: Path, cache: Cache) -> None:
    first = load(data, cache=cache)
    second = load(data, cache=cache)
    assert not second._single and not second._all  # nothing decoded until a query asks
    assert second.counts() == first.counts()
    assert second.by_id["wei-wei"] == first.by_id["wei-wei"]
    assert [t.id for t in second.tenures_by_firm["minimax"]] == [t.id for t in first.tenures_by_firm["minimax"]]


def test_an_edited_file_is_always_seen(data: Path, cache: Cache) -> None:
    load(data, cache=cache)
    people = data / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8").replace("name: Wei Wei", "name: Wei Wei II"), encoding="utf-8")
    assert load(data, cache=cache).by_id["wei-wei"].name == "Wei Wei II"  # type: ignore[union-attr]


def test_same_size_same_mtime_edit_is_seen(data: Path, cache: Cache) -> None:
    load(data, cache=cache)
    people = data / "people.yaml"
    before = people.stat()
    people.write_text(people.read_text(encoding="utf-8").replace("name: Wei Wei", "name: Wei Wai"), encoding="utf-8")
    os.utime(people, ns=(before.st_atime_ns, before.st_mtime_ns))  # a tool that restores the mtime
    assert load(data, cache=cache).by_id["wei-wei"].name == "Wei Wai"  # type: ignore[union-attr]


def test_added_and_removed_files_are_seen(data: Path, cache: Cache) -> None:
    load(data, cache=cache)
    extra = data / "extra.yaml"
    extra.write_text(
        "people:\n  - {id: new-person, name: New, source: zimubang-2025-06, quote: 据字母榜了解}\n", encoding="utf-8"
    )
    assert "new-person" in load(data, cache=cache).by_id
    extra.unlink()
    assert "new-person" not in load(data, cache=cache).by_id


def test_errors_keep_their_exact_location_with_a_warm_cache(data: Path, cache: Cache) -> None:
    load(data, cache=cache)
    tenures = data / "tenures.yaml"
    text = tenures.read_text(encoding="utf-8").replace("firm: minimax", "firm: minimx", 1)
    tenures.write_text(text, encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), start=1) if "firm: minimx" in row)
    with pytest.raises(DataError) as caught:
        load(data, cache=cache)
    assert [str(p) for p in caught.value.problems] == [
        f"{tenures}:{line}:11: firm: unknown firms id 'minimx' (did you mean 'minimax'?)"
    ]


def test_corrupt_truncated_and_foreign_entries_are_ignored(data: Path, cache: Cache) -> None:
    reference = load(data).counts()
    load(data, cache=cache)
    entries = list((cache.root / "files").iterdir())
    entries[0].write_bytes(entries[0].read_bytes()[:40])  # truncated
    entries[1].write_bytes(b"\x00" * 32 + b"not marshal at all")  # corrupt
    foreign = Cache(cache.root.parent / "someone-else")
    foreign.put("files", entries[2].name, {"records": {"people": [("evil",)]}})
    entries[2].write_bytes((foreign.root / "files" / entries[2].name).read_bytes())  # MAC'd with another key
    for store_file in (cache.root / "kb").glob("*.sqlite"):
        store_file.write_bytes(b"garbage")
    assert load(data, cache=cache).counts() == reference


def test_cache_refuses_a_directory_others_can_write(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(0o777)
    assert not Cache(folder).usable


def test_no_cache_neither_reads_nor_writes(data: Path, tmp_path: Path) -> None:
    folder = Path(os.environ["AIORG_CACHE_DIR"])
    before = sorted(p.name for p in (folder / "files").iterdir()) if (folder / "files").exists() else []
    moved = data.parent / "moved"
    shutil.copytree(data, moved / "data")
    result = run_cli("--no-cache", "--data", str(moved / "data"), "people", "--left", "minimax")
    assert result.exit_code == 0
    after = sorted(p.name for p in (folder / "files").iterdir()) if (folder / "files").exists() else []
    assert after == before


# --- the store follows edits file by file -------------------------------------------------------


def _snapshot(kb: KnowledgeBase) -> dict[str, list[tuple[object, ...]]]:
    """Every record of every kind as its codec tuple, in order, and every row the store derives
    from them (typed columns, links, edges, names): what two loads must agree on."""
    records = {kind: [codec.encoder(cast(type, type(r)))(r) for r in kb.records(kind)] for kind in RECORD_KINDS}
    return {**records, **_derived(kb)}


def _derived(kb: KnowledgeBase) -> dict[str, list[tuple[object, ...]]]:
    """The store's derived tables in file order, without sequence numbers (an update gives a
    file a new rank, a full write numbers files afresh)."""
    from aiorg.store import schema

    tables: dict[str, list[tuple[object, ...]]] = {}
    for kind in RECORD_KINDS:
        tables[f"table {kind}"] = [row[1:] for row in kb.query(f"SELECT * FROM {kind} ORDER BY seq")]
        for link in schema.kind_tables(kind).links:
            sql = f"SELECT r.id, l.value FROM {link.table} l JOIN records r ON r.seq = l.seq ORDER BY l.seq, l.rowid"
            tables[f"links {link.table}"] = kb.query(sql)
    tables["edges"] = kb.query("SELECT src, dst, label, key FROM edges ORDER BY seq, rowid")
    tables["statements"] = kb.query(
        "SELECT r.id, s.kind, s.field, s.value, s.number, s.currency, s.source FROM statements s"
        " JOIN records r ON r.seq = s.seq AND r.kind = s.kind ORDER BY s.seq, s.rowid"
    )
    tables["names"] = kb.query(
        "SELECT r.id, t.kind, t.field, t.text, t.norm FROM names n JOIN texts t ON t.id = n.text"
        " JOIN records r ON r.seq = n.seq AND r.kind = t.kind ORDER BY n.seq, n.rowid"
    )
    tables["full text"] = kb.query(
        "SELECT DISTINCT t.kind, t.field, t.text FROM texts t JOIN names n ON n.text = t.id"
        " WHERE t.id IN (SELECT rowid FROM texts_fts WHERE texts_fts MATCH 'wei') ORDER BY 1, 2, 3"
    )
    return tables


def _problems(data: Path, cache: Cache | None) -> list[str] | dict[str, list[tuple[object, ...]]]:
    try:
        return _snapshot(load(data, cache=cache))
    except DataError as error:
        return [str(problem) for problem in error.problems]


def test_an_edit_updates_the_store_in_place(data: Path, cache: Cache) -> None:
    load(data, cache=cache)
    (store_file,) = (cache.root / "kb").glob("*.sqlite")
    people = data / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8").replace("name: Wei Wei", "name: Wei Wei II"), encoding="utf-8")
    edited = load(data, cache=cache)
    assert edited._store is not None  # answered from the updated store, not by a full load
    assert edited.by_id["wei-wei"].name == "Wei Wei II"  # type: ignore[union-attr]
    assert list((cache.root / "kb").glob("*.sqlite")) == [store_file]
    assert _snapshot(edited) == _snapshot(load(data))


def test_a_file_added_between_others_keeps_file_order(data: Path, cache: Cache) -> None:
    load(data, cache=cache)
    (data / "m-extra.yaml").write_text(
        "people:\n  - {id: new-person, name: New, source: zimubang-2025-06, quote: 据字母榜了解}\n", encoding="utf-8"
    )
    updated = load(data, cache=cache)
    assert updated._store is not None
    assert _snapshot(updated) == _snapshot(load(data))


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        # the record other files point at is gone
        ("people.yaml", "id: wei-wei", "id: wei-wei-2", "unknown people id 'wei-wei'"),
        # an id now defined in two files
        ("products.yaml", "id: llama-4", "id: minimax", "duplicate id 'minimax'"),
        # a reference from the edited file to nothing
        ("tenures.yaml", "firm: minimax", "firm: minimx", "unknown firms id 'minimx'"),
    ],
)
def test_an_edit_that_breaks_the_knowledge_base_is_reported_and_leaves_the_store_intact(
    data: Path, cache: Cache, file: str, old: str, new: str, expected: str
) -> None:
    before = _snapshot(load(data, cache=cache))
    path = data / file
    original = path.read_text(encoding="utf-8")
    assert old in original
    path.write_text(original.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load(data, cache=cache)
    assert any(expected in str(problem) for problem in caught.value.problems), caught.value.problems
    path.write_text(original, encoding="utf-8")
    restored = load(data, cache=cache)
    assert restored._store is not None
    assert _snapshot(restored) == before


def test_changing_a_spell_rechecks_the_spells_that_follow_it(data: Path, cache: Cache) -> None:
    """A spell in another file that `replaces` the edited one must still be at the same firm."""
    (data / "zz-later.yaml").write_text(
        "tenures:\n"
        "  - {id: later-spell, person: wei-wei, firm: minimax, replaces: wei-wei-minimax-commercial,"
        " source: zimubang-2025-06, quote: 据字母榜了解}\n",
        encoding="utf-8",
    )
    load(data, cache=cache)
    tenures = data / "tenures.yaml"
    spell = "  - id: wei-wei-minimax-commercial\n    person: wei-wei\n    firm: minimax\n"
    text = tenures.read_text(encoding="utf-8")
    assert spell in text
    tenures.write_text(text.replace(spell, spell.replace("firm: minimax", "firm: moonshot")), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load(data, cache=cache)
    assert [p.message for p in caught.value.problems] == [
        "later-spell: replaces wei-wei-minimax-commercial at another firm; use 'after' for a move between firms"
    ]


def test_random_edits_give_the_same_answers_as_a_full_load(data: Path, cache: Cache) -> None:
    """Edit, move, delete and add records and files at random; after every step the cached load
    (incremental store update, or a fallback) must equal a fresh load: same records in the same
    order, or the same problems."""
    rng = random.Random(7)
    load(data, cache=cache)
    for step in range(40):
        files = sorted(data.glob("*.yaml"))
        path = rng.choice(files)
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        kinds = [kind for kind, records in document.items() if records]
        action = rng.choice(["move", "delete", "retarget", "drop-file", "rename-id"])
        if action == "drop-file" and len(files) > 3 and rng.random() < 0.3:
            path.unlink()
        elif kinds:
            kind = rng.choice(kinds)
            records = document[kind]
            record = records.pop(rng.randrange(len(records)))
            if action == "move":
                extra = data / f"{rng.choice('abmz')}-{step}.yaml"
                extra.write_text(yaml.safe_dump({kind: [record]}, allow_unicode=True), encoding="utf-8")
            elif action == "retarget" and "firm" in record:
                record["firm"] = rng.choice(["minimax", "moonshot", "meta", "zhipu"])
                records.append(record)
            elif action == "rename-id":
                record["id"] = f"{record['id']}-{step}"
                records.append(record)
            path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
        assert _problems(data, cache) == _problems(data, None), f"step {step}: {action} in {path.name}"


def test_validate_keeps_a_store_that_holds_these_files(data: Path, cache: Cache) -> None:
    """validate reads every file; a store of exactly these versions is reused, not rewritten
    (writing it is most of a cold load), and one of other versions is replaced."""
    load(data, cache=cache).close()
    (store_file,) = (cache.root / "kb").glob("*.sqlite")
    before = store_file.stat().st_ino
    load(data, cache=cache, check_quotes=True).close()
    assert store_file.stat().st_ino == before
    people = data / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8").replace("name: Wei Wei", "name: Wei Wei II"), encoding="utf-8")
    kb = load(data, cache=cache, check_quotes=True)
    assert kb.by_id["wei-wei"].name == "Wei Wei II"  # type: ignore[union-attr]
    kb.close()
    stored = sqlite3.connect(store_file).execute("SELECT data FROM records WHERE id = 'wei-wei'").fetchone()[0]
    assert b"Wei Wei II" in stored  # the store follows the edit


def _no_whole_store(*_: object) -> None:
    raise AssertionError("the whole store was written again")


def test_valid_edits_update_every_derived_table_as_a_full_load_would(data: Path, cache: Cache) -> None:
    """Edits that keep the knowledge base valid go through the incremental update; after each,
    the store's records and every table derived from them equal a fresh load's."""
    people, tenures, deals = data / "people.yaml", data / "tenures.yaml", data / "deals.yaml"
    # a second (fictional) source, without a text: an also item cites another source than its record's
    sources = data / "sources.yaml"
    sources.write_text(
        sources.read_text(encoding="utf-8")
        + "  - {id: fiction-2025-07, title: A fictional report, published: 2025-07}\n",
        encoding="utf-8",
    )
    also = "    end_cause: demoted\n    also:\n      - {source: fiction-2025-07, quote: 被爆, end_cause: left}\n"
    step_also = "        status: in_talks\n        also: [{source: fiction-2025-07, quote: 谈判, date: 2025-05}]\n"
    edits = [
        (tenures, "    end_cause: demoted\n", also),  # a second source that disagrees
        (
            deals,
            "    amount: 143亿美元\n",
            "    amount: 143亿美元\n    also: [{source: fiction-2025-07, quote: 以143亿美元, amount: $15B}]\n",
        ),
        (deals, "        status: in_talks\n", step_also),  # a source for one step of a deal's history
        (tenures, "end_cause: left}", "end_cause: advisor}"),  # the other source's value changed
        (tenures, also.replace("left", "advisor"), "    end_cause: demoted\n"),  # and gone
        (people, "name: Wei Wei", "name: Wei Weiwei"),  # a new name, and the old one gone
        (people, "aliases: [Zuckerberg, 扎克伯格]", "aliases: [Zuck, 扎克伯格, Weiwei]"),  # a new alias, one reused
        (tenures, "title: Founder", "title: Founder and CEO"),  # a new title
        (tenures, "title: Founder and CEO", "title: Founder"),  # back to a text the store holds
        (people, "name: Wei Weiwei", "name: Wei Wei"),
    ]
    expected_claims = [
        [("end_cause", "left")],
        [("amount", "$15B"), ("end_cause", "left")],
        [("amount", "$15B"), ("history.date", "2025-05"), ("end_cause", "left")],
        [("amount", "$15B"), ("history.date", "2025-05"), ("end_cause", "advisor")],
        *[[("amount", "$15B"), ("history.date", "2025-05")]] * 6,
    ]
    load(data, cache=cache).close()
    for number, (path, old, new) in enumerate(edits):
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        with pytest.MonkeyPatch.context() as patch:  # updated file by file, never written whole
            patch.setattr(sync, "store_writer", _no_whole_store)
            updated = load(data, cache=cache)
        assert _snapshot(updated) == _snapshot(load(data)), f"edit {number}: {new}"
        claimed = updated.query("SELECT s.field, s.value FROM statements s ORDER BY s.seq, s.rowid")
        assert claimed == expected_claims[number], f"edit {number}: {new}"
        updated.close()
    extra = data / "extra.yaml"  # a new file, then the file removed again
    extra.write_text("people:\n- id: new-person\n  name: Weiwei Newman\n  source: zimubang-2025-06\n  quote: 魏伟\n")
    assert _snapshot(load(data, cache=cache)) == _snapshot(load(data))
    extra.unlink()
    assert _snapshot(load(data, cache=cache)) == _snapshot(load(data))


def test_progress_counts_the_files_and_then_the_store(data: Path, cache: Cache) -> None:
    """A first load reports each file read, and then the store it waits for as one more step, so
    the bar is not full while the store is still being written."""
    steps: list[tuple[int, int]] = []
    load(data, cache=cache, progress=lambda done, total: steps.append((done, total))).close()
    files = len(list(data.glob("*.yaml")))
    assert steps == [(n, files + 1) for n in range(1, files + 2)]


def test_validate_after_an_edit_updates_the_store_file_by_file(
    data: Path, cache: Cache, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After an edit, validate replaces only the edited file's rows, as a query would, instead of
    writing the whole store again (which is what a cold load costs)."""
    from aiorg import sync

    load(data, cache=cache, check_quotes=True).close()
    people = data / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8").replace("name: Wei Wei", "name: Wei Wei II"), encoding="utf-8")

    def no_whole_store(*_: object) -> None:
        raise AssertionError("validate wrote the whole store")

    monkeypatch.setattr(sync, "store_writer", no_whole_store)
    kb = load(data, cache=cache, check_quotes=True)
    assert kb.by_id["wei-wei"].name == "Wei Wei II"  # type: ignore[union-attr]
    assert _snapshot(kb) == _snapshot(load(data))
    kb.close()
    (store_file,) = (cache.root / "kb").glob("*.sqlite")
    stored = sqlite3.connect(store_file).execute("SELECT data FROM records WHERE id = 'wei-wei'").fetchone()[0]
    assert b"Wei Wei II" in stored  # the store on disk follows the edit


def test_an_area_keeps_to_its_budget_dropping_what_was_used_longest_ago(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every edit of a large file adds an entry: beyond the area's budget the least recently used
    go, never the one just written, and a pruned entry is simply absent (parsed again)."""
    from aiorg import cache as cache_module

    monkeypatch.setitem(cache_module.AREA_BYTES, "files", 3000)
    cache = Cache(tmp_path / "cache")
    folder = tmp_path / "cache" / "files"
    for number in range(3):
        cache.put("files", f"k{number}", "x" * 900)
        os.utime(folder / f"k{number}", ns=(number * 10**9, number * 10**9))  # k0 oldest
    assert cache.get("files", "k0") == "x" * 900  # used now: the newest
    cache.put("files", "k3", "y" * 900)  # 4 x ~960 bytes > 3000: one must go
    assert sorted(p.name for p in folder.iterdir()) == ["k0", "k2", "k3"]
    assert cache.get("files", "k1") is None
    cache.put("files", "big", "z" * 5000)  # larger than the budget alone: kept, the rest go
    assert sorted(p.name for p in folder.iterdir()) == ["big"]
    assert cache.get("files", "big") == "z" * 5000
