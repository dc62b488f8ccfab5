"""An OpenCC upgrade rebuilds the store's readings in simplified characters.

The store keeps each traditional-character name also as OpenCC reads it in simplified ones, for
search. Another OpenCC may read a name otherwise, so the store's schema version names the OpenCC
installed (aiorg.opencc_install), and a store written under another one is written again, not
searched with stale readings. The knowledge base and both "OpenCC" readers here are fictional.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import sqlite3
from collections.abc import Iterator
from importlib.machinery import ModuleSpec
from pathlib import Path

import pytest

from aiorg import names, opencc_install, sync
from aiorg.cache import Cache
from aiorg.loader import load
from aiorg.store import schema, write
from tests.conftest import one_file_kb

KB = """\
# FICTIONAL: one invented source and one invented person whose name is written in traditional characters.
sources:
  - id: s1
    title: 測試（虛構）
    kind: article
    published: 2025-03-10
    file: ../seeds/s1.txt
people:
  - id: huang-zhiming
    name: Huang Zhiming
    name_zh: 黃志明
    source: s1
    quote: 執行長黃志明
"""

#: what two made-up versions of OpenCC read the name as (the second reads it otherwise)
OLD, NEW = {"黃志明": "黄志明"}, {"黃志明": "黄志鸣"}


@pytest.fixture
def forget() -> Iterator[None]:
    """Which OpenCC is installed, and the store's schema and readings, are cached per process."""

    def clear() -> None:
        opencc_install.installed_version.cache_clear()
        names.converter_installed.cache_clear()
        schema.schema_version.cache_clear()
        write.simplified_reading.cache_clear()

    clear()
    yield
    clear()


def _as_if_installed(monkeypatch: pytest.MonkeyPatch, version: str, readings: dict[str, str]) -> None:
    """As if this OpenCC were installed and read names so (the real one need not be installed)."""
    monkeypatch.setattr(opencc_install, "installed_version", lambda: version)
    monkeypatch.setattr(names, "converter_installed", lambda: True)
    monkeypatch.setattr(names, "stored_reading", readings.get)
    schema.schema_version.cache_clear()
    write.simplified_reading.cache_clear()


def _readings(store: Path) -> list[tuple[str, str]]:
    with contextlib.closing(sqlite3.connect(store)) as db:
        sql = "SELECT text, norm FROM texts WHERE field = 'name_zh@simplified'"
        return sorted(db.execute(sql).fetchall())


def _schema(store: Path) -> str:
    with contextlib.closing(sqlite3.connect(store)) as db:
        (found,) = db.execute("SELECT value FROM meta WHERE name = 'schema'").fetchone()
        return str(found)


@pytest.mark.usefixtures("forget")
def test_a_store_written_under_another_opencc_is_rebuilt_with_the_new_readings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = one_file_kb(tmp_path, KB, {"s1.txt": "（虛構）執行長黃志明。"})
    cache = Cache(tmp_path / "cache")
    store = sync.store_path(cache, data)
    _as_if_installed(monkeypatch, "opencc-1.1.9", OLD)
    old_version = schema.schema_version()
    load(data, cache=cache).close()
    assert _readings(store) == [("黃志明", "黄志明")] and _schema(store) == old_version

    _as_if_installed(monkeypatch, "opencc-1.4.2", NEW)  # the upgrade: nothing in the data changed
    assert schema.schema_version() != old_version
    load(data, cache=cache).close()
    assert _readings(store) == [("黃志明", "黄志鸣")]  # rebuilt, not the stale reading
    assert _schema(store) == schema.schema_version()


@pytest.mark.usefixtures("forget")
def test_without_opencc_the_version_plays_no_part(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(names, "converter_installed", lambda: False)
    monkeypatch.setattr(opencc_install, "installed_version", lambda: "opencc-1.1.9")
    without = schema.schema_version()
    assert without.endswith("-as-written")
    schema.schema_version.cache_clear()
    monkeypatch.setattr(opencc_install, "installed_version", lambda: "opencc-1.4.2")
    assert schema.schema_version() == without


# --- how the installed version is told, without importing OpenCC ------------------------------


def _fake_install(monkeypatch: pytest.MonkeyPatch, site: Path) -> Path:
    """A made-up OpenCC package in `site`, found there by find_spec (whatever is really installed)."""
    package = site / "opencc"
    package.mkdir(parents=True)
    init = package / "__init__.py"
    init.write_text("# a fictional stand-in for OpenCC\n", encoding="utf-8")
    spec = ModuleSpec("opencc", None, origin=str(init), is_package=True)
    spec.submodule_search_locations = [str(package)]
    _finding(monkeypatch, spec)
    return init


def _finding(monkeypatch: pytest.MonkeyPatch, spec: ModuleSpec | None) -> None:
    """find_spec('opencc') answers `spec`; any other module is found as it is."""
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda n, *rest: spec if n == "opencc" else real(n, *rest))


@pytest.mark.usefixtures("forget")
def test_the_version_is_read_from_the_metadata_folder_beside_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_install(monkeypatch, tmp_path)
    (tmp_path / "opencc-1.1.9.dist-info").mkdir()
    (tmp_path / "jieba-0.42.1.dist-info").mkdir()  # another library's is not OpenCC's
    assert opencc_install.installed_version() == "opencc-1.1.9"
    (tmp_path / "opencc-1.1.9.dist-info").rename(tmp_path / "opencc-1.4.2.dist-info")
    opencc_install.installed_version.cache_clear()
    assert opencc_install.installed_version() == "opencc-1.4.2"


@pytest.mark.usefixtures("forget")
def test_without_a_metadata_folder_an_upgraded_module_file_still_tells(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    init = _fake_install(monkeypatch, tmp_path)
    before = opencc_install.installed_version()
    assert before is not None and before.startswith("__init__.py:")
    init.write_text("# a fictional stand-in for OpenCC, upgraded\n", encoding="utf-8")
    os.utime(init, ns=(1, 1))
    opencc_install.installed_version.cache_clear()
    assert opencc_install.installed_version() not in (before, None)


@pytest.mark.usefixtures("forget")
def test_not_installed_is_none(monkeypatch: pytest.MonkeyPatch) -> None:
    _finding(monkeypatch, None)
    assert opencc_install.installed_version() is None


def test_a_warm_command_does_not_import_opencc() -> None:
    """Telling the version reads a folder's names: it imports neither OpenCC nor importlib.metadata."""
    import subprocess
    import sys

    probe = (
        "import sys; from aiorg.opencc_install import installed_version; installed_version();"
        "print(sorted(m for m in ('opencc', 'importlib.metadata') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
