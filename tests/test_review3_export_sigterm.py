"""Review: `aiorg export sqlite` stopped by SIGTERM (a `kill`, a CI timeout, systemd) while its
forked part is at work. The process making the spells' and deals' part must not outlive the
export (before 8b57287 the forked SQLite writer ended when its pipe closed), and nothing the
export made beside the output may be left there."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import BUNDLED_DATA, REPO

#: the export of the bundled data, its forked part slowed down so that SIGTERM comes while it works
_DRIVER = """
import sys, time
from aiorg.export import sqlite
real = sqlite._make_part
def slow(db, kb, share=None):
    real(db, kb, share)
    db.commit()
    time.sleep(20)
sqlite._make_part = slow
from aiorg.cli.main import main
main(sys.argv[1:])
"""


def _part_process(parent: int, folder: Path) -> int | None:
    """The child of `parent` holding a `.aiorg-part-*` file of `folder` open."""
    found = subprocess.run(["pgrep", "-P", str(parent)], capture_output=True, text=True).stdout.split()
    for pid in found:
        try:
            targets = [str(fd.readlink()) for fd in Path(f"/proc/{pid}/fd").iterdir()]
        except OSError:
            continue
        if any(t.startswith(str(folder / ".aiorg-part-")) for t in targets):
            return int(pid)
    return None


def _sigterm_mid_export(tmp_path: Path, number: int = signal.SIGTERM) -> tuple[int, list[str]]:
    """(the part's process id, the files beside the output) a moment after the signal (SIGTERM)."""
    out = tmp_path / "out"
    out.mkdir()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    argv = [sys.executable, "-c", _DRIVER, "--data", str(BUNDLED_DATA), "export", "sqlite", str(out / "kb.db")]
    process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    part = None
    try:
        deadline = time.monotonic() + 30
        while part is None and time.monotonic() < deadline and process.poll() is None:
            part = _part_process(process.pid, out)
            time.sleep(0.02)
        assert part is not None, "no forked part seen"
        time.sleep(0.3)
        process.send_signal(number)
        process.wait(10)
        time.sleep(0.5)
        return part, sorted(p.name for p in out.iterdir())
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_sigterm_leaves_no_part_process(tmp_path: Path) -> None:
    part, _ = _sigterm_mid_export(tmp_path)
    try:
        assert not _alive(part), "the forked part outlives the export it was making"
    finally:
        if _alive(part):
            os.kill(part, signal.SIGKILL)


def test_sigterm_leaves_no_part_file(tmp_path: Path) -> None:
    part, left = _sigterm_mid_export(tmp_path)
    if _alive(part):
        os.kill(part, signal.SIGKILL)
    assert [name for name in left if name.startswith(".aiorg-part-")] == []


def test_sigkill_leaves_no_part_process(tmp_path: Path) -> None:
    """Killed outright, the export cannot clean up, but its forked part dies with it."""
    part, _ = _sigterm_mid_export(tmp_path, signal.SIGKILL)
    try:
        assert not _alive(part), "the forked part outlives the export that was killed"
    finally:
        if _alive(part):
            os.kill(part, signal.SIGKILL)
