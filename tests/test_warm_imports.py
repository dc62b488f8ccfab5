"""A warm command opens the store without importing the parser, its converters or PyYAML (~45 ms
of every command's start-up at any size); an edit imports them to read the file."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import BUNDLED_DATA, REPO

_HEAVY = ("yaml", "aiorg.parse", "aiorg.convert", "aiorg.fields", "aiorg.payload")
_DRIVER = f"""
import json, sys
from aiorg.cli import main as cli
cli.exit_process = lambda code: None  # report what was imported instead of leaving at once
cli.main(sys.argv[1:])
sys.stderr.write(json.dumps([m for m in {_HEAVY!r} if m in sys.modules]) + "\\n")
"""


def _imported(data: Path, cache: Path, *args: str) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "XDG_CACHE_HOME": str(cache)}
    argv = [sys.executable, "-c", _DRIVER, "--data", str(data), *args]
    result = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return list(json.loads(result.stderr.strip().splitlines()[-1]))


def test_a_warm_query_imports_no_parser(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(BUNDLED_DATA, data)
    cache = tmp_path / "cache"
    assert set(_imported(data, cache, "people", "--left", "minimax")) == set(_HEAVY)  # cold: parses
    warm = [
        ("people", "--left", "minimax"),
        ("person", "wei-wei"),
        ("firm", "minimax"),
        ("firms",),
        ("stats",),
        ("deals", "--min", "1e9"),
        ("timeline", "--firm", "minimax"),
        ("search", "魏伟"),
        ("flows",),
        ("path", "wei-wei", "minimax"),
        ("sources",),
    ]
    for args in warm:
        assert _imported(data, cache, *args) == [], args
    people = data / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    assert "aiorg.parse" in _imported(data, cache, "stats")  # an edited file is read
