"""The data directory's YAML files: which there are, how each is named in messages, and what
identifies a version of one without reading it. Everything a warm command needs before it
opens the store, kept apart from the parser so that such a command never imports it (PyYAML,
the converters and the cross-file checks take ~45 ms to import)."""

from __future__ import annotations

import contextlib
import gc
import stat
from collections.abc import Iterator
from pathlib import Path

from aiorg.cache import Cache
from aiorg.errors import Problem

YAML_SUFFIXES = (".yaml", ".yml")


def data_files(data_dir: Path) -> tuple[list[Path], list[Problem]]:
    """Every YAML file under `data_dir`, in a stable order, and a problem for each YAML name that is
    not a regular file inside it (a FIFO, a dangling link, a link out of the directory)."""
    root = data_dir.resolve()
    files, problems = [], []
    for path in sorted(p for p in data_dir.rglob("*") if p.suffix in YAML_SUFFIXES):
        try:
            info = path.stat()  # follows links, never opens: a FIFO cannot block us here
            outside = path.is_symlink() and not path.resolve().is_relative_to(root)
        except OSError as error:
            missing = isinstance(error, FileNotFoundError)
            message = "is a symbolic link to a missing file" if missing else f"cannot read: {error.strerror}"
        else:
            if stat.S_ISDIR(info.st_mode):
                continue
            if outside:
                message = "is a symbolic link to a file outside the data directory; copy the file in instead"
            elif not stat.S_ISREG(info.st_mode):
                message = "is not a regular file (a FIFO, socket or device); only regular files are read"
            else:
                files.append(path)
                continue
        problems.append(Problem(str(Path(display_path(path.parent)) / path.name), None, None, message))
    return files, problems


def display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many objects that all stay alive.

    Loading allocates millions of objects and frees almost none, so every collection is
    wasted work (2-5x the load time at 100k people). Collection resumes afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def stat_digest(path: Path) -> str:
    """What identifies a file's version without reading it: any write changes ctime."""
    try:
        info = path.stat()
    except OSError:
        return ""  # matches no stored version, so the file is read
    parts = (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev)
    return Cache.digest(repr(parts).encode())
