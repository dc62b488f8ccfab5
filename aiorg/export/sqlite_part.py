"""Part of the SQLite export made on the other core: a forked process makes the rows of some
record kinds and writes them into a database file of its own, which the export then copies
into its database with SQL (INSERT ... SELECT: SQLite copies the rows, nothing is bound again).

The process sees the knowledge base without copying it (as aiorg.export.split's does) and opens
its own connection to its file after the fork: no SQLite connection is shared between processes.
An SQLite error there (a full disk) comes back as the same sqlite3.Error, its sqlite_errorname
kept, raised by `finish`; any other failure there is a RuntimeError.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import signal
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import IO

from aiorg.store import die_with_parent


class Part:
    """A forked process running `make` on a connection to `path` (after `setup`), then committing."""

    def __init__(
        self,
        path: Path,
        setup: Callable[[sqlite3.Connection], object],
        make: Callable[[sqlite3.Connection], None],
    ) -> None:
        result_read, result_write = os.pipe()
        parent = os.getpid()
        try:
            self._pid = os.fork()
        except OSError:
            os.close(result_read)
            os.close(result_write)
            raise
        if self._pid == 0:  # pragma: no cover - the forked process (its work is checked by the tables)
            os.close(result_read)
            code = 1
            try:
                die_with_parent(parent)  # an export killed outright leaves no process writing its part
                with os.fdopen(result_write, "wb") as result:
                    code = _run(path, setup, make, result)
            finally:
                os._exit(code)
        os.close(result_write)
        self._result: IO[bytes] = os.fdopen(result_read, "rb")
        self._done = False

    def finish(self) -> None:
        """Wait for the process to be done. Raises the sqlite3.Error it met, if any."""
        data = self._result.read()
        self._result.close()
        _, status = os.waitpid(self._pid, 0)
        self._done = True
        try:
            outcome = marshal.loads(data)
        except (EOFError, ValueError, TypeError):
            outcome = None
        if not isinstance(outcome, tuple) or not outcome:
            raise RuntimeError(f"the process making part of the database ended early (status {status})")
        if outcome[0] == "error":
            _, kind, name, message = outcome
            error = getattr(sqlite3, kind, sqlite3.Error)(message)
            error.sqlite_errorname = name
            raise error

    def abandon(self) -> None:
        """End the process without waiting for its work (an error or Ctrl-C here)."""
        if self._done:
            return
        self._done = True
        with contextlib.suppress(OSError):
            os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
        with contextlib.suppress(OSError):
            self._result.close()


def _run(
    path: Path,
    setup: Callable[[sqlite3.Connection], object],
    make: Callable[[sqlite3.Connection], None],
    result: IO[bytes],
) -> int:
    """In the forked process: make the part, then report. Returns the exit code."""
    try:
        db = sqlite3.connect(path)
        try:
            setup(db)
            make(db)
            db.commit()
        finally:
            db.close()
    except sqlite3.Error as error:
        name = str(getattr(error, "sqlite_errorname", ""))
        result.write(marshal.dumps(("error", type(error).__name__, name, str(error))))
        return 0
    result.write(marshal.dumps(("ok",)))
    return 0


def start_part(
    path: Path, setup: Callable[[sqlite3.Connection], object], make: Callable[[sqlite3.Connection], None]
) -> Part | None:
    """A forked process making the part in `path`, or None where no process can be forked."""
    if hasattr(os, "fork"):
        with contextlib.suppress(OSError):  # no process to spare: the caller makes it here
            return Part(path, setup, make)
    return None
