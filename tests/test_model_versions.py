"""The cache and store versions come from the model: changing it rebuilds them, never crashes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import aiorg
from aiorg.fingerprint import fingerprint

PACKAGE = Path(aiorg.__file__).parent
BUNDLED = PACKAGE.parent / "data"
NEW_FIELD = '    nickname: str | None = _f("what friends call them")\n'


def _changed_package(root: Path, edit: str) -> Path:
    """A copy of aiorg whose model has one more field on Person."""
    copy = root / "aiorg"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    model = copy / "model.py"
    text = model.read_text(encoding="utf-8")
    anchor = '    former_names: list[str] = _f("names no longer used", factory=list)\n'
    assert anchor in text
    model.write_text(text.replace(anchor, anchor + edit, 1), encoding="utf-8")
    return root


def _run(args: list[str], cache: Path, path: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "AIORG_CACHE_DIR": str(cache), "COLUMNS": "120"}
    if path is not None:
        env["PYTHONPATH"] = str(path)
    command = [sys.executable, "-c", "from aiorg.cli.main import main; main()", "--data", str(BUNDLED), *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=False, cwd=path or Path.cwd())


def test_a_new_field_rebuilds_old_caches_instead_of_crashing(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    before = _run(["people", "--left", "minimax", "--format", "json"], cache)
    assert before.returncode == 0, before.stderr
    assert _run(["person", "魏伟", "--format", "json"], cache).returncode == 0  # the store is warm now
    changed = _changed_package(tmp_path / "new", NEW_FIELD)
    after = _run(["people", "--left", "minimax", "--format", "json"], cache, changed)
    assert after.returncode == 0, after.stderr
    assert after.stdout == before.stdout
    profile = _run(["person", "魏伟", "--format", "json"], cache, changed)
    assert profile.returncode == 0 and "Wei Wei" in profile.stdout, profile.stderr
    # and back: the old model does not read the new model's entries either
    assert _run(["people", "--left", "minimax", "--format", "json"], cache).stdout == before.stdout


def test_the_fingerprint_sees_a_new_field(tmp_path: Path) -> None:
    changed = _changed_package(tmp_path / "new", NEW_FIELD)
    probe = "from aiorg.fingerprint import fingerprint; print(fingerprint())"
    env = {**os.environ, "PYTHONPATH": str(changed)}
    result = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True, cwd=changed
    )
    assert result.stdout.strip() != fingerprint()


def test_the_store_version_follows_its_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reordering or adding a column in the derived tables changes the store version, so an
    old store is rebuilt instead of being updated with rows in the wrong columns."""
    from aiorg.store import schema

    before = schema.schema_version()
    original = schema.create_tables
    monkeypatch.setattr(schema, "create_tables", lambda: original().replace("seq INTEGER PRIMARY KEY", "seq INTEGER"))
    schema.schema_version.cache_clear()
    try:
        assert schema.schema_version() != before
    finally:
        monkeypatch.undo()
        schema.schema_version.cache_clear()
    assert schema.schema_version() == before


@pytest.mark.parametrize("module", ["money", "store/schema"])
def test_the_fingerprint_sees_a_change_in_how_text_is_read(tmp_path: Path, module: str) -> None:
    """How text is read (数十万 as 20万-100万) is code, not the model's shape: a change in a module
    that turns text into stored values makes old caches and stores unreadable, not wrong."""
    changed = _changed_package(tmp_path / "new", "")
    reader = changed / "aiorg" / f"{module}.py"
    reader.write_text(reader.read_text(encoding="utf-8") + "\n# read another way\n", encoding="utf-8")
    probe = "from aiorg.fingerprint import fingerprint; print(fingerprint())"
    env = {**os.environ, "PYTHONPATH": str(changed)}
    result = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True, cwd=changed
    )
    assert result.stdout.strip() != fingerprint()


def test_every_reader_module_is_there() -> None:
    from aiorg.fingerprint import READERS

    assert all((PACKAGE / f"{name}.py").is_file() for name in READERS)
