"""The SQLite export's database written by a forked process, so that SQLite's work (inserting,
indexing, full-text search, the foreign key check) runs on one core while this one decodes the
records and makes the rows on the other.

`ForkedDatabase` takes the calls `fill` makes on a connection (execute, executemany,
executescript, commit) and sends them, in order, to a process that runs them on its own
connection to the file: the same statements on the same rows in the same order, so the same
tables. Rows cross the pipe marshalled (plain lists of text, numbers and None: cheap to send, as
records or attribute dicts are not). The process opens its connection after the fork: no SQLite
connection is shared between processes. The file is synced here once the process is done.

An SQLite error there (a full disk) comes back as the same sqlite3.Error (its sqlite_errorname
kept), raised by `finish`, so the export reports it as it did before. Where a process cannot be
forked (Windows, or the system refuses one), `open_database` gives a `LocalDatabase` that does the
same work on this core.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import signal
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any, Protocol

_ROWS = 16384  # rows a frame carries: SQLite starts on them while the next are made
_BUFFER = 1 << 20


class Database(Protocol):
    """What `fill` calls on a connection: a sqlite3.Connection or a ForkedDatabase."""

    def execute(self, sql: str, parameters: Sequence[Any] = ..., /) -> object: ...

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]], /) -> object: ...

    def executescript(self, script: str, /) -> object: ...

    def commit(self) -> object: ...


class ForkedDatabase:
    """A connection to `path` held by a forked process; `setup` runs on it first (the pragmas)."""

    def __init__(self, path: Path, setup: Callable[[sqlite3.Connection], object]) -> None:
        calls_read, calls_write = os.pipe()
        result_read, result_write = os.pipe()
        try:
            self._pid = os.fork()
        except OSError:
            for descriptor in (calls_read, calls_write, result_read, result_write):
                os.close(descriptor)
            raise
        if self._pid == 0:  # pragma: no cover - the forked process (its work is checked by the tables)
            os.close(calls_write)
            os.close(result_read)
            code = 1
            try:
                with os.fdopen(calls_read, "rb", buffering=_BUFFER) as calls, os.fdopen(result_write, "wb") as result:
                    code = _serve(path, setup, calls, result)
            finally:
                os._exit(code)
        os.close(calls_read)
        os.close(result_write)
        self._calls: IO[bytes] = os.fdopen(calls_write, "wb", buffering=_BUFFER)
        self._result = os.fdopen(result_read, "rb")
        self._broken = False  # the process ended early (an error it reports at finish)
        self._done = False

    def _send(self, call: tuple[Any, ...]) -> None:
        if self._broken:
            return
        data = marshal.dumps(call)
        try:
            self._calls.write(len(data).to_bytes(8, "little"))
            self._calls.write(data)
        except BrokenPipeError:
            self._broken = True

    def execute(self, sql: str, parameters: Sequence[Any] = ()) -> None:
        """Run one statement there (its rows, if any, are not read back)."""
        self._send(("execute", sql, list(parameters)))

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run a statement for each row there, in order."""
        rows = list(rows)
        for start in range(0, len(rows), _ROWS):
            self._send(("executemany", sql, rows[start : start + _ROWS]))

    def executescript(self, script: str) -> None:
        """Run a script there."""
        self._send(("executescript", script))

    def commit(self) -> None:
        """Commit there."""
        self._send(("commit",))

    def finish(self) -> list[tuple[Any, ...]]:
        """Wait for every call to be run, the foreign keys checked and the file closed; the foreign
        key problems found. Raises the sqlite3.Error the process met, if any."""
        self._send(("finish",))
        with contextlib.suppress(BrokenPipeError):
            self._calls.close()
        data = self._result.read()
        self._result.close()
        _, status = os.waitpid(self._pid, 0)
        self._done = True
        try:
            outcome = marshal.loads(data)
        except (EOFError, ValueError, TypeError):
            outcome = None
        if not isinstance(outcome, tuple) or not outcome:
            raise RuntimeError(f"the process writing the database ended early (status {status})")
        if outcome[0] == "error":
            _, kind, name, message = outcome
            error = getattr(sqlite3, kind, sqlite3.Error)(message)
            error.sqlite_errorname = name
            raise error
        if os.waitstatus_to_exitcode(status) != 0:  # pragma: no cover - it reported success
            raise RuntimeError(f"the process writing the database failed (status {status})")
        return [tuple(problem) for problem in outcome[1]]

    def abandon(self) -> None:
        """End the process without waiting for its work (an error or Ctrl-C here)."""
        if self._done:
            return
        self._done = True
        with contextlib.suppress(OSError):
            os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
        for stream in (self._calls, self._result):
            with contextlib.suppress(OSError):
                stream.close()


def _serve(path: Path, setup: Callable[[sqlite3.Connection], object], calls: IO[bytes], result: IO[bytes]) -> int:
    """In the forked process: run the calls until `finish`, then report. Returns the exit code."""
    try:
        db = sqlite3.connect(path)
        try:
            setup(db)
            while True:
                head = calls.read(8)
                if len(head) != 8:
                    return 1  # the other process went away: nothing to report to
                call = marshal.loads(calls.read(int.from_bytes(head, "little")))
                if call[0] == "finish":
                    break
                getattr(db, call[0])(*call[1:])
            problems = [list(row) for row in db.execute("PRAGMA foreign_key_check").fetchall()]
        finally:
            db.close()
    except sqlite3.Error as error:
        name = str(getattr(error, "sqlite_errorname", ""))
        result.write(marshal.dumps(("error", type(error).__name__, name, str(error))))
        return 0
    result.write(marshal.dumps(("ok", problems)))
    return 0


class LocalDatabase:
    """The same calls run here, on one core, for where no process can be forked."""

    def __init__(self, path: Path, setup: Callable[[sqlite3.Connection], object]) -> None:
        self._db = sqlite3.connect(path)
        setup(self._db)
        self.execute = self._db.execute
        self.executemany = self._db.executemany
        self.executescript = self._db.executescript
        self.commit = self._db.commit

    def finish(self) -> list[tuple[Any, ...]]:
        """The foreign key problems found; the file is closed."""
        try:
            return [tuple(row) for row in self._db.execute("PRAGMA foreign_key_check").fetchall()]
        finally:
            self._db.close()

    def abandon(self) -> None:
        """Close the connection (an error or Ctrl-C here)."""
        self._db.close()


def open_database(path: Path, setup: Callable[[sqlite3.Connection], object]) -> ForkedDatabase | LocalDatabase:
    """A forked process's connection to `path`, or one here where no process can be forked."""
    if hasattr(os, "fork"):
        with contextlib.suppress(OSError):  # no process to spare: do the work here
            return ForkedDatabase(path, setup)
    return LocalDatabase(path, setup)
