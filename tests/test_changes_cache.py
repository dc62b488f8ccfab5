"""aiorg changes with the file cache: a file most of whose records changed is read whole, from
the loader's file cache when that version is there (and put there when parsed); a damaged or
misplaced entry is never trusted. Fictional records (see tests/changes_kb.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from aiorg import changes as changes_module
from aiorg.cache import Cache
from aiorg.changes import changes
from aiorg.cli import main
from aiorg.payload import cached_payload
from tests.changes_kb import Files, base, commit, git, new_repo, write
from tests.conftest import run_cli


@pytest.fixture(autouse=True)
def _no_outer_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    entry = ("aiorg.cli.change_commands", "What changed in the knowledge base between two git revisions.")
    monkeypatch.setitem(main.COMMAND_INDEX, "changes", main.COMMAND_INDEX.get("changes", entry))


def _people(names: list[str]) -> list[dict[str, Any]]:
    return [{"id": f"p-{i}", "name": name, "source": "s1", "quote": name} for i, name in enumerate(names)]


def _renamed_everyone(tmp_path: Path) -> Path:
    """Twelve people, then every one of them renamed: people.yaml changes nearly everywhere."""
    files = base()
    files["people.yaml"]["people"] += _people([f"Ada Vale {i}" for i in range(12)])
    data = new_repo(tmp_path / "kb", files)
    files["people.yaml"]["people"] = files["people.yaml"]["people"][:2] + _people([f"Bo Reed {i}" for i in range(12)])
    write(data, files)
    commit(data.parent)
    return data


def _key(data: Path, revision: str, name: str) -> str:
    """The cache key of a file's bytes at a revision."""
    raw = git(data.parent, "cat-file", "blob", f"{revision}:data/{name}").encode()
    return Cache.digest(raw)


def _no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> object:
        raise AssertionError("parsed, though the file cache holds this version")

    monkeypatch.setattr(changes_module, "parse_bytes", refuse)


_FIRST = {"change": "changed", "kind": "people", "record": "p-0", "name": "Bo Reed 0", "field": "name"}
_FIRST |= {"before": "Ada Vale 0", "after": "Bo Reed 0", "summary": "Bo Reed 0: name 'Ada Vale 0' → 'Bo Reed 0'"}


def _check(rows: list[dict[str, Any]]) -> None:
    named = [row for row in rows if row["field"] == "name"]
    assert named[0] == _FIRST | {"source": "s1", "since": rows[0]["since"], "until": rows[0]["until"]}
    assert [row["after"] for row in named] == [f"Bo Reed {i}" for i in sorted(map(str, range(12)))]


def test_a_cached_version_gives_the_feed_a_parsed_one_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = _renamed_everyone(tmp_path)
    parsed = changes(data, "HEAD~1", "HEAD").rows
    _check(parsed)
    cache = Cache(tmp_path / "cache")
    assert changes(data, "HEAD~1", "HEAD", cache).rows == parsed  # parses both versions and keeps them
    for revision in ("HEAD~1", "HEAD"):
        payload = cached_payload(cache, _key(data, revision, "people.yaml"))
        assert payload is not None
        assert len(payload["records"]["people"]) == 14
    _no_parsing(monkeypatch)
    assert changes(data, "HEAD~1", "HEAD", cache).rows == parsed


def test_a_cached_version_serves_the_working_tree_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The loader keys a file on disk by its bytes as git does a blob: the same entry serves both."""
    data = _renamed_everyone(tmp_path)
    cache = Cache(tmp_path / "cache")
    committed = changes(data, "HEAD~1", "HEAD", cache).rows
    _no_parsing(monkeypatch)
    on_disk = changes(data, "HEAD~1", None, cache).rows
    assert [{**row, "until": None} for row in on_disk] == [{**row, "until": None} for row in committed]
    assert on_disk[0]["until"] == "working tree"


def _entry(cache: Cache, key: str) -> Path:
    return cache.root / "files" / key


def test_a_damaged_entry_is_not_trusted(tmp_path: Path) -> None:
    data = _renamed_everyone(tmp_path)
    parsed = changes(data, "HEAD~1", "HEAD").rows
    cache = Cache(tmp_path / "cache")
    changes(data, "HEAD~1", "HEAD", cache)
    entry = _entry(cache, _key(data, "HEAD~1", "people.yaml"))
    blob = entry.read_bytes()
    assert b"Ada Vale 0" in blob
    entry.write_bytes(blob.replace(b"Ada Vale 0", b"Ada Xale 0"))  # still marshal data, but its MAC no longer matches
    assert changes(data, "HEAD~1", "HEAD", cache).rows == parsed
    assert cached_payload(cache, _key(data, "HEAD~1", "people.yaml")) is not None  # parsed again and kept


def test_an_entry_moved_onto_another_version_is_not_trusted(tmp_path: Path) -> None:
    """The later version's entry copied over the earlier one's would say nothing changed, if read."""
    data = _renamed_everyone(tmp_path)
    parsed = changes(data, "HEAD~1", "HEAD").rows
    cache = Cache(tmp_path / "cache")
    changes(data, "HEAD~1", "HEAD", cache)
    later = _entry(cache, _key(data, "HEAD", "people.yaml")).read_bytes()
    _entry(cache, _key(data, "HEAD~1", "people.yaml")).write_bytes(later)
    rows = changes(data, "HEAD~1", "HEAD", cache).rows
    assert rows == parsed
    _check(rows)


def test_a_file_whose_records_mostly_went_keeps_the_one_left(tmp_path: Path) -> None:
    """Most of the earlier version's records are removed, so that version is read whole; the later
    one must then be read whole too, or the record both keep would look removed."""
    files: Files = base()
    files["people.yaml"]["people"] += _people([f"Ada Vale {i}" for i in range(12)])
    data = new_repo(tmp_path / "kb", files)
    files["people.yaml"]["people"] = files["people.yaml"]["people"][:1]
    write(data, files)
    commit(data.parent)
    rows = changes(data, "HEAD~1", "HEAD", Cache(tmp_path / "cache")).rows
    removed = [f"p-{i}" for i in sorted(map(str, range(12)))] + ["p-kim"]
    assert [(row["change"], row["record"]) for row in rows] == [("removed", i) for i in removed]
    assert "p-lin" not in {row["record"] for row in rows}


def test_the_command_uses_the_cache_unless_told_not_to(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = _renamed_everyone(tmp_path)
    cache_dir = tmp_path / "cli-cache"
    monkeypatch.setenv("AIORG_CACHE_DIR", str(cache_dir))
    first = run_cli("--data", str(data), "changes", "--since", "HEAD~1", "--until", "HEAD", "--format", "json")
    assert first.exit_code == 0, first.stderr
    key = _key(data, "HEAD~1", "people.yaml")
    assert cached_payload(Cache(cache_dir), key) is not None
    _entry(Cache(cache_dir), key).unlink()
    again = run_cli(
        "--no-cache", "--data", str(data), "changes", "--since", "HEAD~1", "--until", "HEAD", "--format", "json"
    )
    assert again.stdout == first.stdout
    assert not _entry(Cache(cache_dir), key).exists()
