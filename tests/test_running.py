"""aiorg as a real process: pipes, full disks, narrow encodings, NO_COLOR and Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from aiorg.errors import ExitCode
from tests.conftest import REPO

ENV = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "120"}


def _aiorg(*args: str) -> list[str]:
    return [sys.executable, "-m", "aiorg", *args]


def test_closed_pipe_is_quiet() -> None:
    shell = f"{' '.join(_aiorg('people', '--format', 'csv'))} | head -1"
    result = subprocess.run(
        ["bash", "-o", "pipefail", "-c", shell], capture_output=True, text=True, env=ENV, timeout=60, check=False
    )
    assert result.stderr == ""
    assert result.returncode == 0
    assert len(result.stdout.splitlines()) == 1


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_full_disk_is_one_line_and_non_zero() -> None:
    with Path("/dev/full").open("w") as full:
        result = subprocess.run(
            _aiorg("people"), stdout=full, stderr=subprocess.PIPE, text=True, env=ENV, timeout=60, check=False
        )
    assert result.returncode == ExitCode.OUTPUT_ERROR
    assert result.stderr == "aiorg: error: cannot write output: No space left on device\n"


@pytest.mark.parametrize("env", [{"PYTHONIOENCODING": "ascii"}, {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0"}])
def test_narrow_encodings_degrade_visibly(env: dict[str, str]) -> None:
    result = subprocess.run(
        _aiorg("people", "--left", "minimax", "--format", "csv"),
        capture_output=True,
        env={**ENV, **env},
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert b"\\u9b4f\\u4f1f" in result.stdout  # 魏伟, escaped rather than a crash
    assert result.stderr == b""


def test_no_color_is_honoured_even_when_forced_to_a_terminal() -> None:
    forced = subprocess.run(
        _aiorg("people", "--left", "minimax"),
        capture_output=True,
        text=True,
        env={**ENV, "NO_COLOR": "1", "FORCE_COLOR": "1"},
        timeout=60,
        check=False,
    )
    assert "\x1b[" not in forced.stdout


def _interrupt(tmp_path: Path, script: str) -> subprocess.CompletedProcess[str]:
    """Run `script` (which prints 'ready' to stderr when it is busy), then press Ctrl-C."""
    process = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV, cwd=tmp_path
    )
    assert process.stderr is not None
    assert process.stderr.readline() == "ready\n"
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=30)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def test_ctrl_c_exits_130_with_one_line(tmp_path: Path) -> None:
    script = (
        "import sys, time, aiorg.queries.people_page as q\n"
        "def slow(*a, **k):\n    print('ready', file=sys.stderr, flush=True)\n    time.sleep(30)\n"
        "q.people_page = slow\n"
        "from aiorg.cli.main import main\nmain(['people'])\n"
    )
    result = _interrupt(tmp_path, script)
    assert result.returncode == ExitCode.INTERRUPTED
    assert result.stderr == "aiorg: interrupted\n"


def test_ctrl_c_during_export_leaves_no_temporary_file(tmp_path: Path) -> None:
    (tmp_path / "out.graphml").write_text("previous", encoding="utf-8")
    script = (
        "import sys, time, aiorg.export.graphs as graphs\n"
        "def slow(value):\n    print('ready', file=sys.stderr, flush=True)\n    time.sleep(30)\n"
        "graphs._graphml_value = slow\n"
        "from aiorg.cli.main import main\nmain(['export', 'graphml', 'out.graphml'])\n"
    )
    result = _interrupt(tmp_path, script)
    assert result.returncode == ExitCode.INTERRUPTED
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.graphml"]
    assert (tmp_path / "out.graphml").read_text(encoding="utf-8") == "previous"


def test_help_imports_neither_networkx_nor_the_yaml_stack() -> None:
    """Nor any command module: `aiorg --help` lists commands from COMMAND_INDEX."""
    heavy = ("networkx", "yaml", "sqlite3", "matplotlib", "aiorg.loader", "aiorg.cli.query_commands", "aiorg.render")
    script = (
        "import sys\n"
        "from aiorg.cli.main import app\n"
        "app(['--help'], prog_name='aiorg', standalone_mode=False)\n"
        f"heavy = sorted(m for m in {heavy!r} if m in sys.modules)\n"
        "print('imported:' + ','.join(heavy), file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=ENV, timeout=60, check=False
    )
    assert "Usage: aiorg" in result.stdout
    assert result.stderr.strip().splitlines()[-1] == "imported:"
