"""Where exports go, and how they get there without ever leaving a half-written result.

- A regular file is written to a temporary file beside it, then renamed into place.
- A directory export (csv, neo4j-csv) is written into a temporary directory beside the
  target, then swapped in whole; a failure leaves the previous directory as it was.
- A FIFO or a character device (a pipe, /dev/stdout, a terminal) is written as a stream:
  it is never replaced by a regular file.
- A symbolic link is followed: the file it points at is replaced atomically and the link
  stays a link. A block device, socket or other special file is refused.
- Any failure to write (a full disk, a read-only file system) is an OutputError naming the
  path; a failure or Ctrl-C leaves no temporary file or directory behind.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from aiorg.errors import OutputError


@contextlib.contextmanager
def output_errors(out: Path) -> Iterator[None]:
    """Turn an OSError raised while writing `out` into a one-line OutputError naming it."""
    try:
        yield
    except BrokenPipeError:
        raise  # the reader went away: the CLI ends quietly
    except OSError as error:
        reason = error.strerror or str(error)
        raise OutputError(f"{out}: cannot write: {reason}") from None


def _mode(out: Path) -> int | None:
    """The file type of what `out` names (symlinks followed), or None if nothing is there."""
    try:
        return out.stat().st_mode
    except FileNotFoundError:
        return None
    except OSError as error:
        raise OutputError(f"{out}: {error.strerror}") from None


def is_stream(out: Path) -> bool:
    """True if `out` is a FIFO or a character device, written in place as a stream."""
    mode = _mode(out)
    return mode is not None and (stat.S_ISFIFO(mode) or stat.S_ISCHR(mode))


def resolve(out: Path) -> Path:
    """The path that is really replaced: a symbolic link's final target, else `out` itself."""
    return Path(os.path.realpath(out)) if out.is_symlink() else out


def check_target(out: Path, directory: bool = False) -> None:
    """Fail early, in one line, if `out` cannot be written."""
    parent = out.parent
    if not parent.is_dir():
        raise OutputError(f"{out}: cannot write: no such directory {parent}")
    mode = _mode(out)
    if mode is not None and not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise OutputError(f"{out}: not a regular file or directory; aiorg will not replace it")
    if directory and mode is not None and not stat.S_ISDIR(mode):
        raise OutputError(f"{out}: exists and is not a directory")
    if not directory and mode is not None and stat.S_ISDIR(mode):
        raise OutputError(f"{out}: is a directory; give a file name")
    if not os.access(parent, os.W_OK):
        raise OutputError(f"{out}: cannot write: directory {parent} is not writable")


def _permissions(path: Path, bits: int) -> None:
    """Give a new file or directory the usual permissions (mkstemp/mkdtemp make it private)."""
    umask = os.umask(0)
    os.umask(umask)
    path.chmod(bits & ~umask)


@contextlib.contextmanager
def _stream(out: Path) -> Iterator[IO[bytes]]:
    with output_errors(out), out.open("wb") as stream:
        yield stream
        stream.flush()


@contextlib.contextmanager
def atomic_binary(out: Path) -> Iterator[IO[bytes]]:
    """Yield a binary stream whose content replaces `out` only if the block completes."""
    if is_stream(out):
        with _stream(out) as stream:
            yield stream
        return
    out = resolve(out)
    check_target(out)
    with output_errors(out):
        descriptor, temporary = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with output_errors(out):
            with os.fdopen(descriptor, "wb") as stream:
                yield stream
                stream.flush()
                os.fsync(stream.fileno())
            _permissions(Path(temporary), 0o666)
            Path(temporary).replace(out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def atomic_text(out: Path | None) -> Iterator[IO[str]]:
    """A UTF-8 text stream to `out`, atomically; `None` means stdout."""
    if out is None:
        with output_errors(Path("-")):
            yield sys.stdout
            sys.stdout.flush()
        return
    with (
        atomic_binary(out) as raw,
        output_errors(out),
        open(raw.fileno(), "w", encoding="utf-8", newline="", closefd=False) as text,
    ):
        yield text
        text.flush()


@contextlib.contextmanager
def atomic_path(out: Path) -> Iterator[Path]:
    """A temporary path beside `out` (for libraries that want a file name); renamed into place on success."""
    if is_stream(out):
        raise OutputError(f"{out}: a pipe or device; this format needs a regular file")
    out = resolve(out)
    check_target(out)
    with output_errors(out):
        descriptor, temporary = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
        os.close(descriptor)
    try:
        yield Path(temporary)
        with output_errors(out):
            _permissions(Path(temporary), 0o666)
            Path(temporary).replace(out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _exchange(first: Path, second: Path) -> bool:
    """Swap two directories in one step (Linux renameat2 RENAME_EXCHANGE); False if unsupported."""
    import ctypes
    import errno

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(second))


@contextlib.contextmanager
def atomic_directory(out: Path, owned: Callable[[str], bool]) -> Iterator[Path]:
    """A temporary directory beside `out` that replaces `out` as a whole if the block completes.

    owned: the file names an export of this format writes. An existing `out` holding anything
    else is refused, so a directory export never deletes a user's other files.
    """
    out = resolve(out)
    check_target(out, directory=True)
    if out.is_dir():
        foreign = sorted(p.name for p in out.iterdir() if not (p.is_file() and owned(p.name)))
        if foreign:
            raise OutputError(f"{out}: holds other files ({', '.join(foreign[:3])}); give a new or empty directory")
    with output_errors(out):
        temporary = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    old = temporary.with_name(temporary.name + ".old")
    try:
        try:
            yield temporary
        except OutputError as error:  # name the file the user asked for, not the temporary one
            raise OutputError(str(error).replace(str(temporary), str(out), 1)) from None
        with output_errors(out):
            for path in temporary.iterdir():
                with path.open("rb") as written:
                    os.fsync(written.fileno())
            _permissions(temporary, 0o777)
            if not out.exists():
                temporary.rename(out)
            elif _exchange(temporary, out):
                shutil.rmtree(temporary)
            else:  # no atomic exchange here: two renames, with the old directory kept until the new is in place
                out.rename(old)
                temporary.rename(out)
                shutil.rmtree(old)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        if old.exists() and not out.exists():
            old.rename(out)
        raise
