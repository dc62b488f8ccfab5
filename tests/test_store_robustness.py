"""The store under stress: concurrent updates, damaged bytes, killed writers, odd paths, old temporaries."""

from __future__ import annotations

import json
import marshal
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from aiorg import store
from aiorg.cache import Cache
from aiorg.errors import DataError
from aiorg.loader import load
from tests.conftest import REPO, damage_wei_wei, run_cli
from tests.conftest import store_file as store_file_of

ENV = {**os.environ, "PYTHONPATH": str(REPO)}


def _answer(data: Path, cache_dir: Path, *args: str) -> object:
    result = run_cli("--data", str(data), *args, "--format", "json", env={"AIORG_CACHE_DIR": str(cache_dir)})
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


# --- one snapshot per command ---------------------------------------------------------------------

_REPLACER = """
import os, sys, time
from pathlib import Path
from aiorg.cache import Cache
from aiorg.errors import DataError
from aiorg.loader import load
data, cache_dir, a, b = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4]
target = data / "tenures.yaml"
cache = Cache(cache_dir)
for turn in range(10**6):
    temporary = data / ".tenures.tmp"  # not a .yaml name: never read as data
    temporary.write_text(b if turn % 2 == 0 else a, encoding="utf-8")
    temporary.replace(target)
    load(data, cache=cache)  # brings the store up to date while the test reads it
    if turn == 1:
        print("ready", flush=True)
"""


def test_queries_during_concurrent_updates_see_one_state_or_the_other(data: Path, tmp_path: Path) -> None:
    """Each update shifts every spell's position by one, so a query that read the index before an
    update and the rows after it would name the wrong people (as it did, 4 times in 160)."""
    cache_dir = tmp_path / "cache"
    tenures = data / "tenures.yaml"
    state_a = tenures.read_text(encoding="utf-8")
    first_spell = (
        "tenures:\n  - id: zz-first-spell\n    person: mark-zuckerberg\n    firm: minimax\n    title: Tester\n"
        "    end_cause: left\n    source: zimubang-2025-06\n    quote: 据字母榜了解\n"
    )
    state_b = state_a.replace("tenures:\n", first_spell, 1)
    args = ("people", "--left", "minimax")
    expected: list[object] = []
    for state in (state_b, state_a):
        tenures.write_text(state, encoding="utf-8")
        expected.append(_answer(data, tmp_path / f"fresh-{len(expected)}", *args))
    assert expected[0] != expected[1]
    _answer(data, cache_dir, *args)  # a warm store to start from
    replacer = subprocess.Popen(
        [sys.executable, "-c", _REPLACER, str(data), str(cache_dir), state_a, state_b],
        stdout=subprocess.PIPE,
        text=True,
        env=ENV,
    )
    try:
        assert replacer.stdout is not None and replacer.stdout.readline() == "ready\n"
        started = time.monotonic()
        answers: list[object] = []
        while len(answers) < 400 and time.monotonic() < started + 6:
            answers.append(_answer(data, cache_dir, *args))
        assert replacer.poll() is None, "the replacing process crashed"
    finally:
        replacer.kill()
        replacer.communicate()
    assert len(answers) >= 20
    assert all(answer in expected for answer in answers)


def test_a_read_connection_holds_one_transaction(data: Path, tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    load(data, cache=cache)
    db = store.open_for_reading(store_file_of(cache.root))
    assert db.in_transaction


# --- damaged bytes --------------------------------------------------------------------------------


def test_a_damaged_store_never_gives_a_wrong_answer_or_a_crash(data: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    queries = [("people", "--left", "minimax"), ("person", "wei-wei"), ("firm", "minimax")]
    truth = [_answer(data, tmp_path / "fresh", *query) for query in queries]
    assert [_answer(data, cache_dir, *query) for query in queries] == truth
    store_file = store_file_of(cache_dir)
    pristine = store_file.read_bytes()
    rng = random.Random(11)
    for trial in range(40):
        damaged = bytearray(pristine)
        for _ in range(3):
            at = rng.randrange(100, len(damaged))  # past SQLite's header, where damage is silent
            damaged[at] ^= 1 << rng.randrange(8)
        store_file.write_bytes(bytes(damaged))
        for query, expected in zip(queries, truth, strict=True):
            assert _answer(data, cache_dir, *query) == expected, f"trial {trial}: {query}"
            if not store_file.exists() or store_file.read_bytes() != bytes(damaged):
                break  # rebuilt: damage the next trial afresh
            store_file.write_bytes(bytes(damaged))


def test_a_row_that_does_not_match_its_checksum_is_rebuilt_quietly(data: Path, tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    reference = load(data).by_id["wei-wei"]
    load(data, cache=cache).close()  # a command's process ends and lets go of its snapshot
    store_file = store_file_of(cache.root)
    damage_wei_wei(store_file)
    kb = load(data, cache=cache)
    assert kb.by_id["wei-wei"] == reference
    assert kb._store is not None
    fixed = sqlite3.connect(store_file).execute("SELECT data FROM records WHERE id = 'wei-wei'").fetchone()[0]
    assert b"Wei Wai" not in fixed  # the damaged store was replaced


# --- killed writers -------------------------------------------------------------------------------

_CRASH_IN_TRANSACTION = """
import os, signal, sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("PRAGMA cache_size = 1")  # spill at once, so uncommitted pages reach the disk
db.execute("BEGIN")
db.execute("DELETE FROM records")
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_writer_killed_inside_a_transaction_leaves_the_store_as_it_was(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store is updated in place in WAL mode: a writer killed before COMMIT leaves frames that
    SQLite ignores, so the next command reads the store as it was, warm, without rebuilding it."""
    from aiorg import sync

    cache = Cache(tmp_path / "cache")
    reference = load(data).counts()
    load(data, cache=cache).close()  # a command's process ends and lets go of its snapshot
    store_file = store_file_of(cache.root)
    killed = subprocess.run([sys.executable, "-c", _CRASH_IN_TRANSACTION, str(store_file)], check=False, timeout=60)
    assert killed.returncode == -signal.SIGKILL
    monkeypatch.setattr(sync, "store_writer", lambda *_: pytest.fail("the store was written again"))
    monkeypatch.setattr(store, "write_to", lambda *_: pytest.fail("the store was rebuilt"))
    assert load(data, cache=cache).counts() == reference


_KILLED_DURING_UPDATE = """
import sys, time
from pathlib import Path
import aiorg.store as store
from aiorg.cache import Cache
from aiorg.errors import DataError
from aiorg.loader import load
def slow(*args, **kwargs):
    print("ready", flush=True)
    time.sleep(60)
store.insert_file = slow  # a file replaced whole
store.insert_records_at = slow  # or only its changed records
load(Path(sys.argv[1]), cache=Cache(Path(sys.argv[2])))
"""


def test_a_writer_killed_during_an_update_leaves_the_store_usable(data: Path, tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    load(data, cache=cache)
    store_file = store_file_of(cache.root)
    people = data / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8").replace("name: Wei Wei\n", "name: Wei Wei II\n"), "utf-8")
    writer = subprocess.Popen(
        [sys.executable, "-c", _KILLED_DURING_UPDATE, str(data), str(cache.root)],
        stdout=subprocess.PIPE,
        text=True,
        env=ENV,
    )
    assert writer.stdout is not None and writer.stdout.readline() == "ready\n"
    writer.kill()
    writer.wait()
    writer.stdout.close()
    leftovers = [p.name for p in store_file.parent.iterdir() if not p.name.endswith((".tmp", "-wal", "-shm"))]
    assert leftovers == [store_file.name]
    kb = load(data, cache=cache)
    assert kb._store is not None  # updated in place of the store, not a full load
    assert kb.by_id["wei-wei"].name == "Wei Wei II"  # type: ignore[union-attr]


def test_stale_temporary_stores_are_pruned_and_live_ones_kept(data: Path, tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    load(data, cache=cache)
    folder = store_file_of(cache.root).parent
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(dead.stdout)
    old_dead = folder / f".x.{dead_pid}.abc.tmp"
    young_dead = folder / f".x.{dead_pid}.def.tmp"
    old_live = folder / f".x.{os.getpid()}.ghi.tmp"
    ancient_live = folder / f".x.{os.getpid()}.jkl.tmp"
    for path, age in ((old_dead, 120), (young_dead, 5), (old_live, 120), (ancient_live, 4000)):
        path.write_bytes(b"half a store")
        os.utime(path, (time.time() - age, time.time() - age))
    store.prune(folder, keep=store_file_of(cache.root))
    assert sorted(p.name for p in folder.glob("*.tmp")) == sorted([young_dead.name, old_live.name])


_COLD_LOAD_WITH_SLOW_WORKERS = """
import os, sys, time
from pathlib import Path
import aiorg.loader as loader
import aiorg.parse as parse
import aiorg.yamlsource as yamlsource
parse.PARALLEL_BYTES = 1000  # use the pool on a small knowledge base
yamlsource.CHUNK_CHARS = 2000
def slow(chunk, display):
    sys.stdout.write(f"worker {os.getpid()}\\n")  # one write: two workers must not interleave
    sys.stdout.flush()
    time.sleep(60)
parse._convert_chunk = slow
loader.load(Path(sys.argv[1]))
"""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signals are a Linux feature")
def test_pool_workers_die_with_a_killed_cold_load(data: Path) -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", _COLD_LOAD_WITH_SLOW_WORKERS, str(data)], stdout=subprocess.PIPE, text=True, env=ENV
    )
    assert parent.stdout is not None
    worker = int(parent.stdout.readline().split()[1])
    assert worker != parent.pid and _alive(worker)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    parent.stdout.close()  # not communicate(): orphaned workers would hold the pipe open
    deadline = time.monotonic() + 10
    while _alive(worker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(worker)


# --- odd paths and copied entries -----------------------------------------------------------------


@pytest.mark.parametrize("name", ["100%25 sure", "a#b", "what?mode=rw", "x%62"])
def test_a_cache_path_with_uri_characters_reads_its_own_store(data: Path, tmp_path: Path, name: str) -> None:
    decoy = Cache(tmp_path / "xb")  # what 'x%62' would mean if the path were read as a URI
    load(data, cache=decoy)
    people = data / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8").replace("name: Wei Wei\n", "name: Wei Wei II\n"), "utf-8")
    cache = Cache(tmp_path / name)
    load(data, cache=cache)
    warm = load(data, cache=cache)
    assert warm._store is not None
    assert warm.by_id["wei-wei"].name == "Wei Wei II"  # type: ignore[union-attr]


def test_a_cache_entry_copied_onto_another_key_is_refused(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    cache.put("files", "old-key", {"records": "old"})
    cache.put("files", "new-key", {"records": "new"})
    shutil.copyfile(cache.root / "files" / "old-key", cache.root / "files" / "new-key")
    assert cache.get("files", "new-key") is None
    assert cache.get("files", "old-key") == {"records": "old"}


def test_a_writer_that_fails_in_its_child_never_returns_into_the_caller(tmp_path: Path) -> None:
    """An unexpected error while the forked child writes must end the child there: returning
    would run the rest of the parent's command (or test run) a second time."""
    if not hasattr(os, "fork"):
        pytest.skip("the store is written in-process where there is no fork")
    parent = os.getpid()
    marker = tmp_path / "child-returned"

    def broken() -> list[store.FileRows]:
        raise ValueError("not a sqlite3.Error or OSError: nothing expects it")

    try:
        writer = store.BackgroundWriter(tmp_path / "store.sqlite", broken)
    except ValueError:
        assert os.getpid() != parent  # only a child that came back with the error gets here
        marker.write_text("returned")
        os._exit(0)
    assert writer.publish() is False
    assert not marker.exists()


def test_streaming_a_kind_from_a_damaged_store_rebuilds_it(data: Path, tmp_path: Path) -> None:
    """A whole export streams records; a damaged row there is rebuilt like any other read."""
    cache = Cache(tmp_path / "cache")
    reference = [p.name for p in load(data).people]
    load(data, cache=cache).close()
    store_file = store_file_of(cache.root)
    damage_wei_wei(store_file)
    assert [p.name for p in load(data, cache=cache).stream("people", chunk=2)] == reference  # type: ignore[union-attr]


def test_a_damaged_list_of_references_is_never_trusted_by_an_edit(data: Path, tmp_path: Path) -> None:
    """The ids a file refers to are kept apart from its row, with a digest of their own: an edit
    that removes a person other files still name must be refused as a full load refuses it, even
    when the stored list was damaged to say that nothing names him."""
    cache = Cache(tmp_path / "cache")
    load(data, cache=cache).close()
    db = sqlite3.connect(store_file_of(cache.root))
    with db:
        db.execute("UPDATE files SET targets = ?", (marshal.dumps([]),))
    db.close()
    people = data / "people.yaml"
    text = people.read_text(encoding="utf-8")
    record = text[text.index("  - id: wei-wei\n") : text.index("  - id: ming-chaoping\n")]
    people.write_text(text.replace(record, ""), encoding="utf-8")
    with pytest.raises(DataError) as uncached:
        load(data)
    with pytest.raises(DataError) as cached:
        load(data, cache=cache)
    assert "wei-wei" in str(uncached.value)
    assert str(cached.value) == str(uncached.value)
