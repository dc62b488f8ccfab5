"""Write a merge: validate the whole knowledge base on a staged copy, then replace each changed
file atomically, all in one quick pass.

1. The data directory is copied to a hidden directory beside it (same parent, so a source's
   `file: ../seeds/...` finds the same text) and the new texts are written there. A write
   that fails there (a full disk) is one OutputError naming the data directory and the first
   failure's errno text; the copy is removed again.
2. The article, when new, is written to `seeds/` (a new file; nothing there is replaced).
3. The staged copy is loaded exactly as `aiorg validate` does (every quote checked). Any problem
   raises DataError, reported against the real file names; the new article is removed again and
   nothing in the data directory has changed.
4. Each changed file is written to a temporary file beside it and flushed to disk; only then are
   they renamed over the originals, one after another, with Ctrl-C held back until the pass is
   done. A file changed by someone else since it was read stops the merge before any rename.
   If a rename fails midway, the files already replaced are put back from hard-linked backups.

What remains: a power cut or SIGKILL during the rename pass (a few renames) can leave some
files merged and others not; the backups (`.NAME.accept-backup`) are kept until the pass ends,
so such a merge can be undone by hand.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from aiorg.accept_yaml import Origin
from aiorg.datafiles import display_path
from aiorg.errors import DataError, OutputError, Problem


@dataclass(slots=True)
class Plan:
    """The merged text of every changed or new data file (real paths), and the article to archive;
    where each item the draft adds is in the merged texts, and the draft's name as shown."""

    texts: dict[Path, str]
    seed: tuple[Path, bytes] | None
    origins: dict[Path, list[Origin]] = field(default_factory=dict)
    draft: str = ""


def apply(data_dir: Path, plan: Plan, dry_run: bool = False) -> None:
    """Validate the merged knowledge base, then (unless dry_run) write it; raise DataError or
    OutputError with the data directory unchanged."""
    if not plan.texts and plan.seed is None:
        return
    originals = {path: path.read_bytes() if path.exists() else None for path in plan.texts}
    created_seed = _archive(plan.seed)
    merged = False
    try:
        _validate_staged(data_dir, plan)
        if not dry_run:
            _replace(plan, originals)
            merged = True
    finally:
        if created_seed is not None and not merged and _unchanged(originals):
            created_seed.unlink(missing_ok=True)


def _unchanged(originals: dict[Path, bytes | None]) -> bool:
    return all((path.read_bytes() if path.exists() else None) == raw for path, raw in originals.items())


def _archive(seed: tuple[Path, bytes] | None) -> Path | None:
    """Write the article to seeds/ when it is not there yet; the path written, or None."""
    if seed is None:
        return None
    path, text = seed
    with _written(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = _temporary(path, text)
        try:
            os.link(temporary, path)  # fails rather than replace a file that appeared meanwhile
        finally:
            temporary.unlink(missing_ok=True)
    return path


def _validate_staged(data_dir: Path, plan: Plan) -> None:
    from aiorg.loader import load

    real = data_dir.resolve()
    with _written(real.parent):
        stage = Path(tempfile.mkdtemp(prefix=f".{real.name}.accept-", dir=real.parent))
    try:
        staged = stage  # a sibling of the data directory: `../seeds/...` names the same files
        with _staging(data_dir, stage):
            shutil.copytree(real, staged, symlinks=True, dirs_exist_ok=True)
            for path, text in plan.texts.items():
                target = staged / path.resolve().relative_to(real)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8", newline="")
        try:
            load(staged, check_quotes=True, cache=None)
        except DataError as error:
            raise DataError([_located(problem, staged, data_dir, plan) for problem in error.problems]) from None
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _located(problem: Problem, staged: Path, data_dir: Path, plan: Plan) -> Problem:
    """A problem found in the staged copy, named after the real file; one in an item the draft
    adds is named after the candidate's line in the draft (the merged line is in no real file)."""
    shown = display_path(staged)
    path = problem.path
    message = problem.message.replace(str(staged), str(data_dir))
    if not path.startswith(shown):
        return Problem(path, problem.line, problem.column, message)
    relative = path[len(shown) :].lstrip("/")
    path = display_path(data_dir) + path[len(shown) :]
    real = (data_dir / relative).resolve()
    added = next((ranges for file, ranges in plan.origins.items() if file.resolve() == real), [])
    line = problem.line
    tag = next((tag for first, last, tag in added if line is not None and first <= line <= last), None)
    if tag is not None:
        return Problem(plan.draft, tag, None, f"{message} (this candidate, as merged into {path})")
    return Problem(path, problem.line, problem.column, message)


def _replace(plan: Plan, originals: dict[Path, bytes | None]) -> None:
    temporaries: dict[Path, Path] = {}
    backups: dict[Path, Path] = {}
    try:
        for path, text in plan.texts.items():
            target = path.resolve()
            temporaries[target] = _temporary(target, text.encode("utf-8"))
        for path, raw in originals.items():
            now = path.read_bytes() if path.exists() else None
            if now != raw:
                raise OutputError(f"{display_path(path)}: changed while merging; nothing was merged, run accept again")
        with _interrupts_held():
            replaced: list[Path] = []
            try:
                for target, temporary in temporaries.items():
                    if target.exists():
                        backups[target] = _backup(target)
                    with _written(target):
                        temporary.replace(target)
                    replaced.append(target)
            except BaseException:
                for target in replaced:  # put back what was replaced
                    if target in backups:
                        backups.pop(target).replace(target)
                    else:
                        target.unlink(missing_ok=True)
                raise
            for directory in {target.parent for target in temporaries}:
                _sync_directory(directory)
    finally:
        for temporary in temporaries.values():
            temporary.unlink(missing_ok=True)
        for backup in backups.values():
            backup.unlink(missing_ok=True)


def _temporary(target: Path, data: bytes) -> Path:
    """`data` in a new temporary file beside `target`, flushed to disk."""
    with _written(target):
        descriptor, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(descriptor, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            mode = target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~_umask()
            Path(name).chmod(mode)
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise
    return Path(name)


def _backup(target: Path) -> Path:
    backup = target.with_name(f".{target.name}.accept-backup")
    backup.unlink(missing_ok=True)
    with _written(target):
        try:
            os.link(target, backup)
        except OSError:
            shutil.copy2(target, backup)
    return backup


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _sync_directory(directory: Path) -> None:
    with contextlib.suppress(OSError):
        descriptor = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


@contextlib.contextmanager
def _written(path: Path) -> Iterator[None]:
    """An OSError while writing near `path` as a one-line OutputError naming it."""
    try:
        yield
    except OSError as error:
        raise OutputError(f"{display_path(path)}: cannot write: {_reason(error)}") from None


@contextlib.contextmanager
def _staging(data_dir: Path, stage: Path) -> Iterator[None]:
    """An OSError while copying the data directory to `stage` or writing the merged texts there
    as one OutputError naming the data directory (the hidden staging directory means nothing
    to the user)."""
    try:
        yield
    except OSError as error:
        reason = _reason(error).replace(str(stage), display_path(data_dir))
        message = f"{display_path(data_dir)}: cannot copy it to check the merge: {reason}; nothing was merged"
        raise OutputError(message) from None


_ERRNO = re.compile(r"\[Errno (\d+)\]")


def _reason(error: OSError) -> str:
    """An OSError's text without its file names: for shutil.Error (copytree's list of every file
    that failed, as (source, destination, message) tuples), the first failure's errno text."""
    if isinstance(error, shutil.Error):
        failures = error.args[0] if error.args and isinstance(error.args[0], list) else []
        first = str(failures[0][-1]) if failures and isinstance(failures[0], tuple) else ""
        number = _ERRNO.match(first)
        return os.strerror(int(number.group(1))) if number else "a file could not be copied"
    return error.strerror or str(error)


@contextlib.contextmanager
def _interrupts_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM back for the rename pass (main thread only), then deliver the first
    that came to the handler that was there before (the CLI's turns SIGTERM into Terminated)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    held = (signal.SIGINT, signal.SIGTERM)
    previous = {number: signal.signal(number, lambda number, frame: received.append(number)) for number in held}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    if received:
        signal.raise_signal(received[0])
