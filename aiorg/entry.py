"""The `aiorg` console script and `python -m aiorg`: Ctrl-C exits 130 from the first instant.

aiorg.cli.main sets up its Ctrl-C handling only once it has imported Typer and Click
(a few tenths of a second); a Ctrl-C before that would otherwise end the process with a Python
traceback and SIGINT. This module imports nothing heavy itself, so start-up time is unchanged.
"""

from __future__ import annotations

import sys


def run() -> None:
    """Import the CLI and run it; a Ctrl-C before the CLI handles it is "aiorg: interrupted", exit 130."""
    try:
        from aiorg.cli.main import main

        main()
    except KeyboardInterrupt:
        # main() exits on its own (os._exit) once it runs, so this is an interrupt that came
        # before its handlers: while importing, or between the import and main's own `try`.
        # (Not aiorg.errors.Terminated: SIGTERM keeps its default action until main() runs.)
        sys.stderr.write("aiorg: interrupted\n")
        raise SystemExit(130) from None  # ExitCode.INTERRUPTED, without importing aiorg.errors here
