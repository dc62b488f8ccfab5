"""Review: a second SIGTERM while the first is being reported (a supervisor that repeats it)
must not change the documented exit code: typer turns a KeyboardInterrupt escaping the group's
handler into Exit(130), so the command said `aiorg: terminated` and exited 130."""

from __future__ import annotations

import os
import subprocess
import sys

from aiorg.errors import ExitCode
from tests.conftest import BUNDLED_DATA, REPO

#: `aiorg stats` made to hang once loaded; the first SIGTERM is sent by the test, the second by
#: the process itself while it writes its one line about the first
_DRIVER = """
import importlib, os, signal, sys, time
def hang(kb):
    print("loaded", flush=True)
    time.sleep(30)
    return []
importlib.import_module("aiorg.queries.stats").stats = hang
import aiorg.cli.main as main
real = main.report
def report(lines):
    real(lines)
    if lines == ["aiorg: terminated"]:
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(0.05)
main.report = report
main.main(sys.argv[1:])
"""


def test_a_second_sigterm_while_reporting_the_first_still_exits_143() -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    argv = [sys.executable, "-c", _DRIVER, "--data", str(BUNDLED_DATA), "stats"]
    process = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        assert process.stdout.readline() == "loaded\n"
        process.terminate()
        _, err = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert err.startswith("aiorg: terminated\n") and "Traceback" not in err
    assert process.returncode in (ExitCode.TERMINATED, -15)  # 143, or ended by the signal itself
