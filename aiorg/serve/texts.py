"""The archived texts a site build read, so that a reused build is one whose quotes were checked
against the texts as they are now.

A quote's `checked` (found / not found / unchecked) and its locator depend on the source's text
file (its `file` field), not only on the YAML. A build records the paths of every text the
knowledge base points to (texts.json in its folder) and is named by a digest of each text's
state: its bytes' digest, or that it is missing or unreadable. Before reusing a build, the
recorded paths are read again and the digest recomputed: an edited, removed, restored or
unreadable text names another build, which is then made.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

from aiorg.cache import Cache

#: the file in a build's folder listing the texts it read
MANIFEST = "texts.json"
#: a text's state when its file is not there, or cannot be read
MISSING = "missing"
UNREADABLE = "unreadable"


def text_state(path: Path) -> str:
    """'blake2b:<hex>' of the file's bytes, else MISSING or UNREADABLE (never raises)."""
    hasher = hashlib.blake2b(digest_size=32)
    try:
        with path.open("rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                hasher.update(block)
    except (FileNotFoundError, NotADirectoryError):
        return MISSING
    except OSError:  # a folder in its place, no permission, an I/O error
        return UNREADABLE
    return f"blake2b:{hasher.hexdigest()}"


def texts_key(paths: Iterable[str]) -> str:
    """A digest of each text's path and its state now."""
    parts: list[bytes] = []
    for path in sorted(set(paths)):
        parts += [path.encode(), text_state(Path(path)).encode()]
    return Cache.digest(b"site-texts", *parts)


def write_manifest(folder: Path, paths: Iterable[str]) -> None:
    """Record in a build's folder the texts it read."""
    body = {"texts": sorted(set(paths))}
    (folder / MANIFEST).write_text(json.dumps(body, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def read_manifest(folder: Path) -> list[str] | None:
    """The texts a build read, or None when its record is not there or not as written."""
    try:
        body = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    paths = body.get("texts") if isinstance(body, dict) else None
    if not isinstance(paths, list) or not all(isinstance(path, str) for path in paths):
        return None
    return paths
