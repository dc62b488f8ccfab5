"""Run one command as a separate process and measure it: wall time, peak RSS, exit status.

A failure or a timeout is recorded, never raised, so one broken command cannot end a long run.
"""

from __future__ import annotations

import contextlib
import os
import signal
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

OK, FAILED, TIMEOUT = "ok", "FAILED", "TIMEOUT"


@dataclass(frozen=True)
class Run:
    """One process: wall seconds, peak RSS in MB, and how it ended."""

    seconds: float
    rss_mb: float
    status: str = OK
    message: str = ""


@dataclass(frozen=True)
class Measurement:
    """The median wall time and the largest peak RSS over `runs` good runs, or why there are none."""

    seconds: float
    rss_mb: float
    runs: int
    status: str = OK
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.status == OK


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:160]
    return ""


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def run_once(command: list[str], env: dict[str, str], timeout: float) -> Run:
    """Run `command` with stdout to /dev/null; peak RSS is ru_maxrss from os.wait4.

    ru_maxrss is the largest single process among the command and the children it waited for
    (pool workers included), not their sum. The command runs in its own process group so a
    timeout can end it together with its workers.
    """
    with tempfile.TemporaryFile() as stderr:
        started = time.perf_counter()
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            env=env,
            start_new_session=True,
        )
        timed_out = threading.Event()

        def expire() -> None:
            timed_out.set()
            _kill_group(process.pid)

        timer = threading.Timer(timeout, expire)
        timer.daemon = True
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        except BaseException:  # Ctrl-C: the child is in its own session and would outlive us
            _kill_group(process.pid)
            os.waitpid(process.pid, 0)
            process.returncode = -signal.SIGKILL
            raise
        finally:
            timer.cancel()
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        rss_mb = usage.ru_maxrss / 1024
        if timed_out.is_set():
            return Run(elapsed, rss_mb, TIMEOUT, f"killed after {timeout:g} s")
        if process.returncode != 0:
            stderr.seek(0)
            text = stderr.read().decode("utf-8", errors="replace")
            first = _first_line(text)
            return Run(
                elapsed,
                rss_mb,
                FAILED,
                f"exit {process.returncode}: {first}" if first else f"exit {process.returncode}",
            )
        return Run(elapsed, rss_mb)


def measure(
    command: list[str],
    env: dict[str, str],
    runs: int,
    timeout: float,
    warmup: int = 0,
    before_each: Callable[[], None] | None = None,
) -> Measurement:
    """Median of `runs` runs after `warmup` runs; `before_each` runs before every run.

    The first failed or timed-out run ends the measurement: repeating a 300 s timeout helps nobody.
    """
    times: list[float] = []
    peaks: list[float] = []
    for index in range(warmup + runs):
        if before_each is not None:
            before_each()
        run = run_once(command, env, timeout)
        if run.status != OK:
            return Measurement(run.seconds, run.rss_mb, len(times), run.status, run.message)
        if index >= warmup:
            times.append(run.seconds)
            peaks.append(run.rss_mb)
    return Measurement(statistics.median(times), max(peaks), runs)
