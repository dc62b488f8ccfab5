"""Review 6 (0a42715): the fingerprint's READERS, read as files beside fingerprint.py.

1. Code that decides stored values but is not in READERS: a deal's `date` and `status` are
   properties in model.py that the store keeps as typed columns (Deal.DERIVED), and each
   `statements` row holds aiorg.claims.value_text of the value another source states. Changing
   either leaves the fingerprint as it was, so a store built by the old code is read as current.
2. aiorg imported from a zip (a zipapp, or any zip importer): READERS cannot be read as files,
   and every command fails with "aiorg: error: cannot write output: Not a directory" (exit 4),
   where before 0a42715 it answered."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import aiorg
from aiorg.fingerprint import fingerprint

PACKAGE = Path(aiorg.__file__).parent
FIXTURE = PACKAGE.parent / "tests" / "fixtures" / "multisource" / "data"

#: (module, text in it, what it becomes): each changes a value the store keeps
EDITS = {
    "deal-date": (
        "model.py",
        "        for entry in reversed(self.history):\n            if entry.date is not None:",
        "        for entry in self.history:\n            if entry.date is not None:",
    ),
    "value-text": ("claims.py", 'return f"{value:g}"', 'return f"{value:.1f}"'),
}


def _fingerprint_of(root: Path) -> str:
    probe = "from aiorg.fingerprint import fingerprint; print(fingerprint())"
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True, cwd=root
    ).stdout.strip()


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_code_that_makes_a_stored_value_changes_the_fingerprint(tmp_path: Path, edit: str) -> None:
    module, old, new = EDITS[edit]
    copy = tmp_path / "aiorg"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    text = (copy / module).read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{module} no longer holds the code this test edits"
    (copy / module).write_text(text.replace(old, new), encoding="utf-8")
    assert _fingerprint_of(tmp_path) != fingerprint()


def test_aiorg_runs_from_a_zip(tmp_path: Path) -> None:
    archive = tmp_path / "aiorg.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in sorted(PACKAGE.rglob("*")):
            if "__pycache__" not in path.parts:
                zipped.write(path, path.relative_to(PACKAGE.parent).as_posix())
    (tmp_path / "cache").mkdir(mode=0o700)
    env = {**os.environ, "PYTHONPATH": str(archive), "AIORG_CACHE_DIR": str(tmp_path / "cache"), "COLUMNS": "200"}
    command = [sys.executable, "-c", "from aiorg.cli.main import main; main()", "--data", str(FIXTURE)]
    result = subprocess.run(
        [*command, "people", "--format", "json"], env=env, capture_output=True, text=True, check=False, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert '"li-ming"' in result.stdout
