"""Review 8d, defect: a full disk while `accept` copies the knowledge base to its staging directory
leaves data/ and seeds/ as they were (good), but the error is shutil.Error's list of tuples: every
file's source and staging path and the errno text again, over a kilobyte on one line, naming the
hidden `.data.accept-*` directory and calling it "cannot write output". Found on a real full
tmpfs (`unshare -m`, `mount -t tmpfs -o size=2m`, filled to a few pages); simulated here by a copy
that fails with ENOSPC. FICTIONAL data."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_cli
from tests.test_review8d_kb import ARTICLE_E, article, draft, write_kb

BODY = """\
tenures:
- id: lin-feng-xingchen
  person: lin-feng
  firm: xingchen
  end_cause: left
  source: fic-e-2025-08
  quote: 林峰已于2024年12月离职
  review: accept
"""


def test_a_full_disk_while_staging_is_one_short_line_and_nothing_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = write_kb(tmp_path / "kb")
    path = draft(tmp_path, "fic-e-2025-08", "2025-08-01", article(tmp_path, "e.txt", ARTICLE_E), BODY)
    before = {p: p.read_bytes() for p in sorted((tmp_path / "kb").rglob("*")) if p.is_file()}
    copytree = shutil.copytree

    def full(src: str, dst: str, *, follow_symlinks: bool = True) -> Any:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), dst)

    def staging(src: Any, dst: Any, *args: Any, **kwargs: Any) -> Any:
        return copytree(src, dst, *args, **{**kwargs, "copy_function": full})

    monkeypatch.setattr(shutil, "copytree", staging)
    result = run_cli("--data", str(data), "accept", str(path))
    monkeypatch.undo()
    assert result.exit_code == 4, result.stderr
    after = {p: p.read_bytes() for p in sorted((tmp_path / "kb").rglob("*")) if p.is_file()}
    assert after == before  # nothing written, the archived article removed again
    assert not [p for p in (tmp_path / "kb").iterdir() if p.name.startswith(".")]
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("aiorg: error: ")
    assert "No space left on device" in lines[0]
    assert ".accept-" not in lines[0] and "[(" not in lines[0], lines[0]
    assert len(lines[0]) < 200, len(lines[0])
