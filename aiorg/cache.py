"""The compiled cache: unchanged YAML is never parsed twice.

Layout (in $AIORG_CACHE_DIR, else $XDG_CACHE_HOME/aiorg, else ~/.cache/aiorg):
  key                  32 random bytes, mode 0600: the per-user MAC key
  files/<digest>       one entry per YAML file, keyed by its bytes
  kb/<digest>.sqlite   one store per data directory (see aiorg.store), not MAC'd: SQLite reads
                       it, and its records are marshal data, which cannot run code
  shown/, as-shown/    what strategy signals count when sources disagree, per file (aiorg.strategy_shown)
  versions/<digest>    every version of the figures of the deals with claims, per file
                       (aiorg.queries.deal_versions)
  strategy/            the strategy signals' parts, each with the files it was made from
                       (aiorg.strategy_parts)
  claim-counts/        how many claims and quoted passages each source has, per file
                       (aiorg.queries.source_counts)
  disputed-rows/       how many `conflicts` rows each record gives, per file
                       (aiorg.queries.conflicts_page)
  timeline-facts/      how many facts `timeline` lists, per file (aiorg.queries.timeline_walk)
  flows/               plain `flows`' first rows and counts, with the files of the kinds they are
                       made from (aiorg.queries.flows)

Every entry is `MAC || marshal(payload)`. The MAC (BLAKE2b keyed with the per-user key, over
the entry's area and content key as well as its body, so an entry copied onto another key is
refused) is checked before anything is decoded, so a corrupt, truncated, foreign or planted entry is
ignored and rebuilt, never trusted. marshal can only rebuild plain data (numbers, strings,
tuples, lists, dicts): no code runs on load. The cache refuses to work in a directory that is
not owned by the current user or that others can write to.

An entry is keyed by the file's content, so an edited, added or removed file is always seen;
editing one file re-reads only that file. Each area keeps to a budget (AREA_BYTES): when an entry
is written, the entries used longest ago are removed until the area fits.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import marshal
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

from aiorg.fingerprint import fingerprint

#: bump LAYOUT when the payload layout (aiorg.loader) changes; a change to the model changes
#: its fingerprint, so entries of an older model are never read
LAYOUT = "6"
FORMAT_VERSION = f"aiorg-cache-{LAYOUT}-{fingerprint()}".encode()
_MAC_SIZE = 32


def default_dir() -> Path:
    """Where the cache lives for this user."""
    explicit = os.environ.get("AIORG_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "aiorg"


class Cache:
    """A content-addressed, authenticated store of plain-data payloads."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._key: bytes | None = None
        self.usable = self._prepare()

    def _prepare(self) -> bool:
        try:
            self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
            info = self.root.stat()
            if info.st_uid != os.getuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
                return False  # someone else could plant entries or a key here
            key_file = self.root / "key"
            if not key_file.exists():
                descriptor, temporary = tempfile.mkstemp(dir=self.root)
                with os.fdopen(descriptor, "wb") as stream:
                    stream.write(os.urandom(32))
                try:
                    os.link(temporary, key_file)  # atomic: never a half-written key
                except FileExistsError:
                    pass  # another process made it first; use theirs
                finally:
                    Path(temporary).unlink(missing_ok=True)
            key_info = key_file.stat()
            if key_info.st_uid != os.getuid() or key_info.st_mode & 0o077:
                return False
            self._key = key_file.read_bytes()
            return len(self._key) == 32
        except OSError:
            return False

    @classmethod
    def beside(cls, store: Path) -> Cache | None:
        """The cache whose `kb/` folder holds this store (aiorg.sync.store_path), for what is
        derived from the store and kept per file; None when the store is elsewhere or the cache
        is not usable."""
        if store.parent.name != "kb":
            return None
        cache = cls(store.parent.parent)
        return cache if cache.usable else None

    @staticmethod
    def digest(*parts: bytes) -> str:
        """A content key."""
        hasher = hashlib.blake2b(FORMAT_VERSION, digest_size=20)
        for part in parts:
            hasher.update(len(part).to_bytes(8, "little"))
            hasher.update(part)
        return hasher.hexdigest()

    def _mac(self, area: str, key: str, body: bytes) -> bytes:
        assert self._key is not None
        hasher = hashlib.blake2b(key=self._key, digest_size=_MAC_SIZE)
        for part in (area.encode(), key.encode()):
            hasher.update(len(part).to_bytes(8, "little"))
            hasher.update(part)
        hasher.update(body)
        return hasher.digest()

    def get(self, area: str, key: str) -> Any | None:
        """The payload stored under `key`, or None if absent, corrupt or not ours."""
        if not self.usable:
            return None
        try:
            blob = (self.root / area / key).read_bytes()
        except OSError:
            return None
        with contextlib.suppress(OSError):
            os.utime(self.root / area / key)  # used: the last entries pruned (see `put`)
        mac, body = blob[:_MAC_SIZE], blob[_MAC_SIZE:]
        if len(mac) != _MAC_SIZE or not hmac.compare_digest(mac, self._mac(area, key, body)):
            return None
        try:
            return marshal.loads(body)
        except (ValueError, EOFError, TypeError):
            return None

    def writable(self, area: str) -> bool:
        """Whether an entry can be written in `area` now (a read-only or full disk cannot take one):
        for entries that cost more to build than to do without."""
        if not self.usable:
            return False
        try:
            folder = self.root / area
            folder.mkdir(mode=0o700, exist_ok=True)
            with tempfile.TemporaryFile(dir=folder) as probe:
                probe.write(b"\0" * 4096)
                probe.flush()
                os.fsync(probe.fileno())
            return True
        except OSError:
            return False

    def put(self, area: str, key: str, payload: Any) -> None:
        """Store a payload atomically, then keep the area within its budget (AREA_BYTES): the
        entries used longest ago go first. Failures only cost speed, so they are silent."""
        if not self.usable:
            return
        try:
            body = marshal.dumps(payload)
            folder = self.root / area
            folder.mkdir(mode=0o700, exist_ok=True)
            descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
            try:
                with os.fdopen(descriptor, "wb") as stream:
                    stream.write(self._mac(area, key, body) + body)
                Path(temporary).replace(folder / key)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
            _prune(folder, AREA_BYTES.get(area, DEFAULT_AREA_BYTES), keep=key)
        except (OSError, ValueError):
            return


#: how many bytes each area of the cache may hold; every edit of a large file or of the knowledge
#: base adds an entry (tens of MB at 100k people), so the oldest are removed beyond this
AREA_BYTES = {"files": 2 << 30}
DEFAULT_AREA_BYTES = 256 << 20


def _prune(folder: Path, budget: int, keep: str) -> None:
    """Remove the entries of `folder` used longest ago (by modification time, which `get` sets)
    until it holds at most `budget` bytes; never `keep`, the entry just written, nor temporaries."""
    entries = []
    for entry in os.scandir(folder):
        if entry.name.startswith(".") or not entry.is_file(follow_symlinks=False):
            continue
        info = entry.stat(follow_symlinks=False)
        entries.append((info.st_mtime_ns, info.st_size, entry.name))
    total = sum(size for _, size, _ in entries)
    for _, size, name in sorted(entries):
        if total <= budget:
            return
        if name != keep:
            with contextlib.suppress(OSError):
                (folder / name).unlink()
                total -= size
