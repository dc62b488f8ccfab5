"""Atomic output: write to a temporary file beside the target, then rename it into place.

A failure or Ctrl-C leaves the previous export untouched and no temporary file behind.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from aiorg.errors import OutputError


def check_target(out: Path, directory: bool = False) -> None:
    """Fail early, in one line, if `out` cannot be written."""
    parent = out.parent
    if not parent.is_dir():
        raise OutputError(f"{parent}: no such directory")
    if directory and out.exists() and not out.is_dir():
        raise OutputError(f"{out}: exists and is not a directory")
    if not directory and out.is_dir():
        raise OutputError(f"{out}: is a directory; give a file name")
    writable = out if directory and out.exists() else parent
    if not os.access(writable, os.W_OK):
        raise OutputError(f"{writable}: not writable")


def _publish(temporary: str, out: Path) -> None:
    """Give the new file the usual permissions (mkstemp makes it private), then move it into place."""
    umask = os.umask(0)
    os.umask(umask)
    Path(temporary).chmod(0o666 & ~umask)
    Path(temporary).replace(out)


@contextlib.contextmanager
def atomic_binary(out: Path) -> Iterator[IO[bytes]]:
    """Yield a binary stream whose content replaces `out` only if the block completes."""
    check_target(out)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        _publish(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def atomic_text(out: Path | None) -> Iterator[IO[str]]:
    """A UTF-8 text stream to `out`, atomically; `None` means stdout."""
    if out is None:
        yield sys.stdout
        return
    with atomic_binary(out) as raw, open(raw.fileno(), "w", encoding="utf-8", newline="", closefd=False) as text:
        yield text
        text.flush()


@contextlib.contextmanager
def atomic_path(out: Path) -> Iterator[Path]:
    """A temporary path beside `out` (for libraries that want a file name); renamed into place on success."""
    check_target(out)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    os.close(descriptor)
    try:
        yield Path(temporary)
        _publish(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def ensure_directory(out: Path) -> None:
    """Create an output directory (not its parents), or fail in one line."""
    check_target(out, directory=True)
    try:
        out.mkdir(exist_ok=True)
    except OSError as error:
        raise OutputError(f"{out}: cannot create directory: {error.strerror}") from None
