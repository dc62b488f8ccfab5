"""The compiled cache: never stale, never trusted blindly, and invisible in the answers."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from aiorg.cache import Cache
from aiorg.errors import DataError
from aiorg.loader import load
from tests.conftest import BUNDLED_DATA, run_cli


@pytest.fixture
def cache(tmp_path: Path) -> Cache:
    folder = tmp_path / "cache"
    return Cache(folder)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    copy = tmp_path / "kb"
    shutil.copytree(BUNDLED_DATA.parent / "data", copy / "data")
    shutil.copytree(BUNDLED_DATA.parent / "seeds", copy / "seeds")
    return copy / "data"


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
    assert second._store is not None and first._store is None
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
