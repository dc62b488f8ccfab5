"""Review: `aiorg validate` on a store with a damaged record row. Every other command rebuilds
the store (aiorg.sync.load_from_store gives its Store a `recover`); validate reads the store
through sync.current_store, whose Store has none, so the damage surfaced as an internal error."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from tests.conftest import BUNDLED_DATA, run_cli


def _flip_a_byte_of_every_kind(cache: Path) -> None:
    (path,) = (cache / "kb").glob("*.sqlite")
    db = sqlite3.connect(path)
    for (kind,) in db.execute("SELECT DISTINCT kind FROM records").fetchall():
        seq, data = db.execute("SELECT seq, data FROM records WHERE kind = ? ORDER BY seq LIMIT 1", (kind,)).fetchone()
        changed = bytearray(data)
        changed[len(changed) // 2] ^= 1
        db.execute("UPDATE records SET data = ? WHERE kind = ? AND seq = ?", (bytes(changed), kind, seq))
    db.commit()
    db.close()


def test_validate_on_a_damaged_store_checks_the_files_not_crashes(tmp_path: Path) -> None:
    shutil.copytree(BUNDLED_DATA, tmp_path / "data")
    env = {"AIORG_CACHE_DIR": str(tmp_path / "cache")}
    data = str(tmp_path / "data")
    first = run_cli("--data", data, "validate", env=env)
    assert first.exit_code == 0, first.stderr
    _flip_a_byte_of_every_kind(tmp_path / "cache")
    again = run_cli("--data", data, "validate", env=env)
    assert "internal error" not in again.stderr
    assert (again.exit_code, again.stderr) == (first.exit_code, first.stderr)
