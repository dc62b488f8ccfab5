"""How a command's process starts and ends: its arguments and streams made safe, its errors
as stderr lines, and its exit code (aiorg.errors.ExitCode), written once everything is flushed."""

from __future__ import annotations

import os
import sys


def report(lines: list[str]) -> None:
    for line in lines:
        sys.stderr.write(line + "\n")
    sys.stderr.flush()


def error_lines(error: BaseException) -> list[str]:
    """The stderr lines for an error raised while running a command."""
    from aiorg.errors import AiorgError, DataError, Terminated

    if isinstance(error, DataError):
        count = len(error.problems)
        plural = "s" if count != 1 else ""
        return [str(p) for p in error.problems] + [f"aiorg: {count} problem{plural} found {error.where}"]
    if isinstance(error, AiorgError):
        return [f"aiorg: error: {error}"]
    if isinstance(error, KeyboardInterrupt):
        return ["aiorg: terminated" if isinstance(error, Terminated) else "aiorg: interrupted"]
    return [f"aiorg: internal error: {type(error).__name__}: {error} (rerun with --debug for the traceback)"]


def interrupted_code(error: BaseException) -> int:
    from aiorg.errors import ExitCode, Terminated

    return ExitCode.TERMINATED if isinstance(error, Terminated) else ExitCode.INTERRUPTED


def undo_surrogates(arg: str) -> str:
    """Under an ASCII locale (LC_ALL=C) Python decodes UTF-8 arguments such as 魏伟 to surrogate
    escapes; decode their bytes as UTF-8, which is what every terminal here sends."""
    try:
        return arg.encode("utf-8", "surrogateescape").decode("utf-8")
    except UnicodeError:
        return arg.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def tolerate_narrow_encodings() -> None:
    """On an ASCII or Latin-1 terminal, show Chinese as escapes instead of crashing."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


def silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def exit_process(code: int) -> None:
    """Flush what is left (a full disk shows up here) and exit without teardown noise."""
    from aiorg.errors import ExitCode

    try:
        sys.stdout.flush()
    except BrokenPipeError:
        silence_stdout()
    except OSError as error:
        silence_stdout()
        if code == ExitCode.OK:
            report([f"aiorg: error: cannot write output: {error.strerror or error}"])
            code = ExitCode.OUTPUT_ERROR
    sys.stderr.flush()
    # Everything is written: skip tearing down a large knowledge base object by object (seconds at 100k).
    os._exit(code)
