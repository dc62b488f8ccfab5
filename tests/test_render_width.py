"""Every command's table output fits the terminal at 60, 80, 120 and 200 columns (CJK counted as
two cells), piped output fits the documented default, and the headline commands do not wrap in a
real 80x24 terminal."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import pytest

from aiorg.layout import PIPED_WIDTH, cell_width
from tests.conftest import REPO, run_cli

COMMANDS = [
    ["people"],
    ["people", "--left", "minimax"],
    ["person", "魏伟"],
    ["person", "Alexandr Wang"],
    ["firms"],
    ["firm", "meta"],
    ["firm", "minimax"],
    ["deals"],
    ["deals", "--min", "10e9"],
    ["timeline"],
    ["timeline", "--firm", "meta"],
    ["search", "产品"],
    ["search", "Wang"],
    ["path", "Daniel Gross", "Meta"],
    ["flows"],
    ["strategy"],
    ["strategy", "meta"],
    ["strategy", "--matrix"],
    ["strategy", "--labels"],
    ["stats"],
]


def _widest(text: str) -> int:
    return max((cell_width(line) for line in text.splitlines()), default=0)


@pytest.mark.parametrize("columns", [60, 80, 120, 200])
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_every_table_fits_the_terminal(args: list[str], columns: int) -> None:
    result = run_cli(*args, env={"COLUMNS": str(columns), "NO_COLOR": "1"})
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip()
    assert _widest(result.stdout) <= columns


def test_piped_output_uses_the_documented_width() -> None:
    env = {key: value for key, value in os.environ.items() if key != "COLUMNS"}
    result = subprocess.run(
        [sys.executable, "-m", "aiorg", "deals"],
        capture_output=True,
        text=True,
        env={**env, "PYTHONPATH": str(REPO)},
        timeout=60,
        check=False,
    )
    assert result.returncode == 0
    assert PIPED_WIDTH - 10 < _widest(result.stdout) <= PIPED_WIDTH


def test_hidden_columns_are_named_on_stderr() -> None:
    result = run_cli("people", "--left", "minimax", env={"COLUMNS": "80"})
    assert "Source" not in result.stdout and "zimubang" not in result.stdout
    assert result.stderr == ("note: hidden to fit 80 columns: Title, Certainty, Source (--format json has all)\n")


def test_below_sixty_columns_rows_are_vertical() -> None:
    result = run_cli("people", "--left", "minimax", env={"COLUMNS": "59"})
    assert "┌" not in result.stdout
    assert "Cause / state  moved to advisor role (has not formally" in result.stdout
    assert "Source         zimubang-2025-06" in result.stdout


@pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux (apt install tmux)")
@pytest.mark.parametrize("args", [["people", "--left", "minimax"], ["deals", "--min", "10e9"], ["firm", "meta"]])
def test_headline_commands_do_not_wrap_in_a_real_80x24_terminal(args: list[str]) -> None:
    """The command runs in a tmux pane of 80x24, writing to the terminal itself (so its width
    comes from the terminal). tmux marks a screen line that continues the one above when text
    wrapped; joining those (-J) must change nothing, and the screen must hold the answer."""
    server = f"aiorg-test-{os.getpid()}-{args[0]}"
    tmux = ["tmux", "-L", server, "-f", "/dev/null"]
    env = {key: value for key, value in os.environ.items() if key not in ("COLUMNS", "LINES", "TMUX")}
    env.update(PYTHONPATH=str(REPO), LANG="C.UTF-8", LC_ALL="C.UTF-8")
    quoted = " ".join(f"'{a}'" for a in args)
    shell = f"{sys.executable} -m aiorg {quoted}; echo __DONE__; sleep 60"
    subprocess.run([*tmux, "new-session", "-d", "-x", "80", "-y", "24", shell], env=env, check=True)

    def capture(*options: str) -> str:
        command = [*tmux, "capture-pane", "-p", "-S", "-", *options]
        return subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout

    try:
        for _ in range(600):
            screen = capture()
            if "__DONE__" in screen:
                break
            time.sleep(0.1)
        joined = capture("-J")
    finally:
        subprocess.run([*tmux, "kill-server"], env=env, check=False)
    assert "__DONE__" in screen, screen
    assert screen.rstrip().count("\n") > 3
    assert joined == screen
