"""The store as files: private temporaries, atomic publication, read-only snapshots, pruning,
and the background process that writes a whole store while the loader checks the data.

The published store is never written in place: a full load writes a private temporary file, an
update copies the store to one, and either is renamed over the store once complete. So a
reader sees one version for its whole command, and a process killed while writing leaves only
a temporary file (pruned later), never a hot journal.
"""

from __future__ import annotations

import contextlib
import ctypes
import marshal
import os
import signal
import sqlite3
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from aiorg.store.schema import schema_version
from aiorg.store.write import (
    RANK_STEP,
    FileRows,
    FileVersion,
    begin_whole,
    delete_file,
    finish_whole,
    first_seq,
    insert_file_row,
    insert_records,
    insert_source_texts,
    write_to,
)

_TEMPORARY_SUFFIX = ".tmp"
STALE_TEMPORARY_SECONDS = 600  # older than any write; a writer that still lives past this is stuck


def die_with_parent(parent: int) -> None:
    """In a child process: be killed when `parent` dies, so a killed load leaves no workers behind
    (Linux; elsewhere a no-op). Exits at once if the parent is already gone."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            pr_set_pdeathsig = 1
            ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


class _ForkedWriter:
    """A store written by a forked child, put in place only if the load's checks pass: what
    BackgroundWriter and StreamWriter share (forking, waiting, publishing, discarding)."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._temporary = temporary_next_to(path)
        self._pid: int | None = None
        self._written = False

    def _fork(self, work: Callable[[], bool], in_child: Callable[[], None] = lambda: None) -> None:
        """Run `work` in a child that dies with this process and never returns into its code."""
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the child: write, then leave without running any of the parent's clean-up
            written = False
            try:
                in_child()
                die_with_parent(parent)
                written = work()
            finally:  # whatever happens, the child never returns into the parent's code
                os._exit(0 if written else 1)
        self._pid = pid

    def _done_sending(self) -> None:
        """Tell the child nothing more is coming (a writer that is sent its input)."""

    def _close(self) -> None:
        """Release what the parent holds for the child (a writer that is sent its input)."""

    def publish(self) -> bool:
        """Wait for the store and put it in place; False if it could not be written."""
        if self._pid is not None:
            self._done_sending()
            _, status = os.waitpid(self._pid, 0)
            self._pid = None
            self._written = os.waitstatus_to_exitcode(status) == 0
        self._close()
        if self._written:
            publish(self._temporary, self._path)
        return self._written

    def discard(self) -> None:
        """Stop writing (the load failed or was interrupted) and remove any unfinished store."""
        if self._pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
            self._pid = None
        self._close()
        self._temporary.unlink(missing_ok=True)


class BackgroundWriter(_ForkedWriter):
    """Writes a whole store in a forked process while the loader runs its checks and answers,
    and puts it in place only if the checks pass.

    A fork sees the parsed payloads without copying them and writes on the other core, with no
    GIL between it and the checks; where there is no fork, the store is written here and now.
    """

    def __init__(self, path: Path, files: Callable[[], Iterable[FileRows]]) -> None:
        super().__init__(path)
        ranked = lambda: ((number * RANK_STEP, rows) for number, rows in enumerate(files(), start=1))  # noqa: E731
        if not hasattr(os, "fork"):
            self._written = self._write(ranked)
            return
        self._fork(lambda: self._write(ranked))

    def _write(self, files: Callable[[], Iterable[tuple[int, FileRows]]]) -> bool:
        try:
            write_to(self._temporary, files())
            return True
        except (sqlite3.Error, OSError, KeyboardInterrupt):
            return False  # a store that cannot be written only costs speed


class StreamWriter(_ForkedWriter):
    """Writes a whole store in a forked process while the files are still being parsed, and puts
    it in place only if the checks pass.

    The process is forked before parsing begins, so it holds little of the parent's memory. The
    parent appends each parsed piece (a chunk of a file's records, then the file's own row) to a
    private spool file and tells the child by one byte on a pipe, which never blocks the parser;
    the child inserts the rows as they come, so by the end of parsing only the last file's tail,
    the indexes and the full-text index remain to write. Pieces of one file arrive in file order;
    a file whose chunks have to be parsed again whole is dropped and sent again.
    """

    _PART, _DROP, _FILE, _END = b"p", b"d", b"f", b"e"

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self._spool_path = temporary_next_to(path)
        self._spool = self._spool_path.open("wb")
        reader, self._notify = os.pipe()
        self._fork(lambda: self._serve(reader), in_child=lambda: os.close(self._notify))
        os.close(reader)

    # --- the parent's side ---

    def _send(self, tag: bytes, message: Any) -> None:
        if self._pid is None or self._notify < 0:
            return
        body = marshal.dumps(message)
        try:
            self._spool.write(len(body).to_bytes(8, "little") + body)
            self._spool.flush()
            os.write(self._notify, tag)
        except OSError:  # the child has given up (its pipe is closed), or the disk is full
            self._close()  # publish() then reports the store as not written; the load goes on

    def part(self, rank: int, payload: bytes) -> None:
        """A marshalled payload (a dict holding 'records') of a file's next records."""
        self._send(self._PART, (rank, payload))

    def drop(self, rank: int) -> None:
        """Forget the records sent so far for this file: they will be sent again."""
        self._send(self._DROP, rank)

    def file(self, rank: int, rows: FileRows) -> None:
        """The file's own row, once all its records are sent (`rows.records` is not read)."""
        version = rows.version
        texts = {key: str(value) for key, value in rows.source_texts.items()}
        self._send(self._FILE, (rank, version.name, version.content_key, version.stat_key, list(rows.targets), texts))

    def _done_sending(self) -> None:
        with contextlib.suppress(OSError):
            os.write(self._notify, self._END)

    def _close(self) -> None:
        if self._notify >= 0:  # never twice: the number may belong to another file by then
            with contextlib.suppress(OSError):
                os.close(self._notify)
            self._notify = -1
        self._spool.close()
        self._spool_path.unlink(missing_ok=True)

    # --- the child's side ---

    def _serve(self, reader: int) -> bool:
        try:
            db = sqlite3.connect(self._temporary)
            with self._spool_path.open("rb") as spool:
                self._spool.close()
                texts = begin_whole(db)
                written: dict[tuple[int, str], int] = {}  # records of each file and kind so far
                while (tag := os.read(reader, 1)) != self._END:
                    if not tag:
                        return False  # the parent is gone, or gave up without telling us
                    size = int.from_bytes(spool.read(8), "little")
                    message = marshal.loads(spool.read(size))
                    if tag == self._PART:
                        rank, payload = message
                        for kind, rows in marshal.loads(payload)["records"].items():
                            done = written.get((rank, kind), 0)
                            insert_records(db, kind, first_seq(rank) + done, rows, texts)
                            written[(rank, kind)] = done + len(rows)
                    elif tag == self._DROP:
                        delete_file(db, message)
                        written = {key: count for key, count in written.items() if key[0] != message}
                    else:
                        rank, name, content, stat, targets, source_texts = message
                        rows = FileRows(FileVersion(name, content, stat), {}, set(targets), source_texts)
                        insert_file_row(db, rank, rows)
                        insert_source_texts(db, rank, rows)
                finish_whole(db)
                db.execute("PRAGMA journal_mode = WAL")  # see write.write_to
                db.close()
            return True
        except (sqlite3.Error, OSError, KeyboardInterrupt, ValueError, EOFError):
            return False  # a store that cannot be written only costs speed


def temporary_next_to(path: Path) -> Path:
    """A private temporary name beside the store, naming the process that owns it (see prune)."""
    # Private: two aiorg processes may build the same store at once.
    descriptor, name = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.stem}.{os.getpid()}.", suffix=_TEMPORARY_SUFFIX
    )
    os.close(descriptor)
    return Path(name)


def publish(temporary: Path, path: Path) -> None:
    """Put a complete store in place of the old one, atomically.

    A journal, WAL or shared-memory file beside the old store belongs to the old file; SQLite
    would otherwise apply it to the new one, or refuse to read it. They go first."""
    for leftover in ("-journal", "-wal", "-shm"):
        Path(f"{path}{leftover}").unlink(missing_ok=True)
    temporary.replace(path)


def uri(path: Path, mode: str) -> str:
    """The URI that opens (or attaches) a SQLite file in `mode` (ro, rw, rwc)."""
    # A file name may hold '%', '#' or '?': unescaped, SQLite would read another file.
    return f"file:{urllib.parse.quote(str(path.absolute()))}?mode={mode}"


def open_for_update(path: Path) -> sqlite3.Connection:
    """A connection to the store with a write transaction begun, to change it in place.

    The store is in WAL mode: a reader's transaction keeps seeing the version it began with while
    an update commits, readers never wait for a writer, and a writer killed before COMMIT leaves
    nothing behind but WAL frames SQLite ignores. Two writers take turns (BEGIN IMMEDIATE)."""
    db = sqlite3.connect(uri(path, "rw"), uri=True, isolation_level=None, check_same_thread=False, timeout=30)
    try:
        db.execute("PRAGMA synchronous = NORMAL")  # WAL: durable at checkpoints, never corrupt
        db.execute("BEGIN IMMEDIATE")
        _check_schema(db)
        if str(db.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
            raise sqlite3.DatabaseError("not a store of this version (not in WAL mode)")
    except BaseException:
        db.close()
        raise
    return db


def open_for_reading(path: Path) -> sqlite3.Connection:
    """A read-only connection inside one read transaction, held for the whole command; sqlite3.Error
    if the file is not a store of this version."""
    db = sqlite3.connect(uri(path, "ro"), uri=True, isolation_level=None, check_same_thread=False)
    try:
        db.execute("BEGIN")
        _check_schema(db)
    except BaseException:
        db.close()
        raise
    return db


def _check_schema(db: sqlite3.Connection) -> None:
    try:
        found = db.execute("SELECT value FROM meta WHERE name = 'schema'").fetchone()
    except UnicodeDecodeError as error:  # a damaged byte in the version's text
        raise sqlite3.DatabaseError("not a store of this version") from error
    if found is None or found[0] != schema_version():
        raise sqlite3.DatabaseError("not a store of this version")


def prune(folder: Path, keep: Path, limit: int = 16) -> None:
    """Keep the stores of the most recently used data directories, and remove temporary stores
    that no live process is writing (or that are older than any write takes)."""
    now = time.time()
    for temporary in folder.glob(f".*{_TEMPORARY_SUFFIX}"):
        with contextlib.suppress(OSError, ValueError):
            owner = int(temporary.name.split(".")[2])
            age = now - temporary.stat().st_mtime
            if age > STALE_TEMPORARY_SECONDS or (age > 60 and not _alive(owner)):
                temporary.unlink()
    stores = []
    for candidate in folder.glob("*.sqlite"):
        with contextlib.suppress(OSError):
            stores.append((candidate.stat().st_mtime, candidate))
    for _, old in sorted(stores, reverse=True)[limit:]:
        if old != keep:
            old.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
