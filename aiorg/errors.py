"""The exception hierarchy and the process exit codes, declared once.

The library raises these; only the CLI turns them into messages and exit codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class ExitCode(IntEnum):
    """Stable, documented process exit codes."""

    OK = 0  # the command did what was asked
    DATA_ERROR = 1  # the knowledge base failed to load or validate
    USAGE_ERROR = 2  # bad option or argument (also Typer/Click's own code)
    NOT_FOUND = 3  # a named person, firm or other entity does not exist
    OUTPUT_ERROR = 4  # the output could not be written (full disk, unwritable path)
    INTERNAL_ERROR = 70  # a bug in aiorg; rerun with --debug for the traceback
    INTERRUPTED = 130  # Ctrl-C
    TERMINATED = 143  # SIGTERM (128 + 15, as a shell reports a process it ended)


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived: the command unwinds as it does for Ctrl-C (every `finally` removes what it
    had half-written, forked helpers are stopped), then exits with ExitCode.TERMINATED."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One located problem in a data file: prints as `path:line:col: message`."""

    path: str
    line: int | None
    column: int | None
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}:{self.column or 1}: {self.message}"

    def sort_key(self) -> tuple[str, int, int]:
        """Order problems by file, then position."""
        return (self.path, self.line or 0, self.column or 0)


class AiorgError(Exception):
    """Base class of every error aiorg raises on purpose."""

    exit_code: ExitCode = ExitCode.INTERNAL_ERROR


class DataError(AiorgError):
    """The knowledge base has one or more located problems."""

    exit_code = ExitCode.DATA_ERROR
    where = "in the knowledge base"

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=Problem.sort_key)
        super().__init__("\n".join(str(p) for p in self.problems))


class OptionFileError(DataError):
    """A file named by an option (such as --rules) has located problems: a usage error."""

    exit_code = ExitCode.USAGE_ERROR

    def __init__(self, option: str, problems: list[Problem]) -> None:
        super().__init__(problems)
        self.where = f"in the {option} file"


class UsageError(AiorgError):
    """A value given on the command line cannot be understood."""

    exit_code = ExitCode.USAGE_ERROR


class NotFoundError(AiorgError):
    """A name matched nothing; carries the closest suggestions."""

    exit_code = ExitCode.NOT_FOUND

    def __init__(self, name: str, suggestions: list[str], kind: str = "entity") -> None:
        self.name = name
        self.suggestions = suggestions
        hint = f"; did you mean {', '.join(repr(s) for s in suggestions)}?" if suggestions else ""
        named = "" if kind.endswith("matching") else " named"
        super().__init__(f"no {kind}{named} {name!r}{hint}")


class AmbiguousNameError(AiorgError):
    """A name matched several entities: every candidate ("Name [id]") is listed, the first
    `shown` by name and the rest counted, never one picked."""

    exit_code = ExitCode.NOT_FOUND
    shown = 12

    def __init__(
        self,
        name: str,
        candidates: list[str],
        noun: str = "records",
        hint: str = "give the id",
        record_ids: list[str] | None = None,
    ) -> None:
        self.name = name
        self.candidates = candidates
        self.record_ids = record_ids or []
        listed = ", ".join(candidates[: self.shown])
        more = len(candidates) - self.shown
        if more > 0:
            listed += f" and {more} more (aiorg search {name!r} lists them)"
        super().__init__(f"{name!r} names {len(candidates)} {noun}: {listed}; {hint}")


class OutputError(AiorgError):
    """Output could not be written."""

    exit_code = ExitCode.OUTPUT_ERROR
