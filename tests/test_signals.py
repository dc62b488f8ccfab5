"""SIGTERM ends a command as Ctrl-C does: it unwinds (cleaning up), says one line and exits 143."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from aiorg.accept_write import _interrupts_held
from aiorg.cli.signals import sigterm_unwinds
from aiorg.errors import ExitCode, Terminated
from tests.conftest import BUNDLED_DATA, REPO

#: `aiorg stats` made to hang once it has loaded, after checking what a forked child inherits
_DRIVER = """
import importlib, os, signal, sys, time
def hang(kb):
    child = os.fork()
    if child == 0:
        os._exit(0 if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL else 9)
    _, status = os.waitpid(child, 0)
    print("child default" if os.waitstatus_to_exitcode(status) == 0 else "child inherited", flush=True)
    time.sleep(30)
    return []
importlib.import_module("aiorg.queries.stats").stats = hang
from aiorg.cli.main import main
main(sys.argv[1:])
"""


def test_sigterm_exits_143_with_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    argv = [sys.executable, "-c", _DRIVER, "--data", str(BUNDLED_DATA), "stats"]
    process = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        assert process.stdout.readline() == "child default\n"  # forked helpers are not made to unwind
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == ExitCode.TERMINATED
    assert int(ExitCode.TERMINATED) == 143  # documented
    assert err == "aiorg: terminated\n"


def test_the_previous_handler_is_back_after_a_command() -> None:
    before = signal.getsignal(signal.SIGTERM)
    with sigterm_unwinds():
        assert signal.getsignal(signal.SIGTERM) is not before
    assert signal.getsignal(signal.SIGTERM) is before


def test_a_sigterm_held_during_a_rename_pass_is_delivered_after_it() -> None:
    """accept's renames are not cut in half: the signal waits, then reaches the handler in place
    before (the CLI's raises Terminated)."""
    with sigterm_unwinds():
        finished = False
        try:
            with _interrupts_held():
                os.kill(os.getpid(), signal.SIGTERM)
                time.sleep(0.05)  # a signal would be handled by now
                finished = True
        except Terminated:
            pass
        else:
            raise AssertionError("the held SIGTERM was never delivered")
        assert finished
