"""Second review of the whole exports made on two cores (aiorg.export.split, aiorg.export.sqlite_part):
a reader of stdout that goes away early ends the export quietly with no process left behind, and an
output directory that does not exist is one error line and exit 4, with no process left behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from aiorg.errors import ExitCode
from tests.conftest import BUNDLED_DATA, run_cli


def _group_gone(group: int) -> bool:
    """Whether no process of this process group is left (after a short grace)."""
    for _ in range(50):
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    os.killpg(group, signal.SIGKILL)  # do not leave it running for the other tests
    return False


@pytest.mark.parametrize("fmt", ["json", "graphml"])
def test_a_reader_that_stops_early_ends_the_export_quietly(fmt: str) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "aiorg", "export", fmt, "-", "--data", str(BUNDLED_DATA)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        env=dict(os.environ),
    )
    assert process.stdout is not None and process.stderr is not None
    head = process.stdout.read(100)
    process.stdout.close()  # `| head -c 100`
    stderr = process.stderr.read()
    process.stderr.close()
    code = process.wait(timeout=60)
    assert len(head) == 100
    assert (code, stderr) == (0, b"")
    assert _group_gone(process.pid)


@pytest.mark.parametrize("fmt", ["json", "graphml", "sqlite"])
def test_a_missing_output_directory_is_one_line_and_exit_4(fmt: str, tmp_path: Path) -> None:
    target = tmp_path / "missing" / f"out.{fmt}"
    result = run_cli("export", fmt, str(target), "--data", str(BUNDLED_DATA))
    assert result.exit_code == ExitCode.OUTPUT_ERROR
    assert int(ExitCode.OUTPUT_ERROR) == 4
    assert result.stderr.splitlines() == [f"aiorg: error: {target}: cannot write: no such directory {target.parent}"]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fmt", ["json", "graphml", "sqlite"])
def test_a_file_where_the_directory_should_be_is_one_line_and_exit_4(fmt: str, tmp_path: Path) -> None:
    (tmp_path / "plain").write_text("not a directory")
    target = tmp_path / "plain" / f"out.{fmt}"
    result = run_cli("export", fmt, str(target), "--data", str(BUNDLED_DATA))
    assert result.exit_code == ExitCode.OUTPUT_ERROR
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"aiorg: error: {target}: ")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["plain"]
