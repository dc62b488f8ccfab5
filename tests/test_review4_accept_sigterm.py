"""Review: SIGTERM at any point of `aiorg accept` leaves data/ wholly old or wholly new, with no
temporary or backup file beside it, says one line and exits 143 (aiorg.accept_write's rename
pass holds the signal, then delivers it to the CLI's handler)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, run_cli

HERE = Path(__file__).resolve().parent
ARTICLE = HERE / "accept_articles" / "fictional-xinghe-2025-05.txt"

#: `aiorg accept` with SIGTERM sent to itself at the n-th call of one step of accept_write
_DRIVER = """
import os, signal, sys
from aiorg import accept_write
step, nth = sys.argv[1], int(sys.argv[2])
real = getattr(accept_write, step)
calls = []
def hooked(*args, **kwargs):
    calls.append(1)
    if len(calls) == nth:
        os.kill(os.getpid(), signal.SIGTERM)
    return real(*args, **kwargs)
setattr(accept_write, step, hooked)
from aiorg.cli.main import main
main(sys.argv[3:])
"""


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes], dict[str, bytes]]:
    """A fixture knowledge base, a draft with every candidate accepted, and data/ before and after
    an uninterrupted accept."""
    root = tmp_path_factory.mktemp("accept")
    shutil.copytree(HERE / "fixtures" / "multisource", root / "kb")
    data = root / "kb" / "data"
    draft = root / "draft.yaml"
    made = run_cli(
        "--data", str(data), "draft", str(ARTICLE), "--source-id", "fictional-news-2025-05",
        "--published", "2025-05-20", "--out", str(draft),
    )  # fmt: skip
    assert made.exit_code == 0, made.stderr
    draft.write_text(draft.read_text(encoding="utf-8").replace("review: pending", "review: accept"), encoding="utf-8")
    before = _snapshot(data)
    shutil.copytree(root / "kb", root / "whole")
    done = run_cli("--data", str(root / "whole" / "data"), "accept", str(draft))
    assert done.exit_code == 0, done.stderr
    after = _snapshot(root / "whole" / "data")
    assert len([name for name in after if after[name] != before.get(name)]) >= 2  # several files renamed
    return root, before, after


@pytest.mark.parametrize(("step", "nth"), [("_temporary", 1), ("_temporary", 2), ("_backup", 1), ("_backup", 2)])
def test_sigterm_during_accept_leaves_data_old_or_new(
    prepared: tuple[Path, dict[str, bytes], dict[str, bytes]], tmp_path: Path, step: str, nth: int
) -> None:
    root, before, after = prepared
    shutil.copytree(root / "kb", tmp_path / "kb")
    data = tmp_path / "kb" / "data"
    env = {**os.environ, "PYTHONPATH": str(REPO), "AIORG_CACHE_DIR": str(tmp_path / "cache")}
    argv = [sys.executable, "-c", _DRIVER, step, str(nth), "--data", str(data), "accept", str(root / "draft.yaml")]
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stderr) == (143, "aiorg: terminated\n")
    now = _snapshot(data)
    # renames are held until the pass ends: before it, nothing changed; once it started, all of it
    assert now == (before if step == "_temporary" else after)
    again = run_cli("--data", str(data), "validate", env={"AIORG_CACHE_DIR": str(tmp_path / "cache")})
    assert again.exit_code == 0, again.stderr
