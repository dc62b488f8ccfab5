"""Values derived from each file of a knowledge base, kept in the cache beside its store, one
entry per file version (aiorg.queries.source_counts, aiorg.queries.conflicts_page): a command
reads one entry per file, and an edit makes again only the edited file's."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from aiorg.cache import Cache
from aiorg.fingerprint import module_source
from aiorg.kb import KnowledgeBase
from aiorg.model import RECORD_KINDS
from aiorg.store.write import rank_range

T = TypeVar("T")


def beside_store(kb: KnowledgeBase) -> Cache | None:
    """The cache beside the knowledge base's store; None for a store in memory, or elsewhere."""
    path = kb.store_file()
    return Cache.beside(path) if path is not None else None


def store_identity(kb: KnowledgeBase) -> bytes:
    """What tells the store apart from any other: its file's name (one per data directory) and
    the id it was given when written whole (aiorg.store.write.begin_whole), so that what was
    kept beside a damaged store is not used once it is rebuilt from the files."""
    path = kb.store_file()
    made = kb.query("SELECT value FROM meta WHERE name = 'made'")
    return f"{path.name if path else ''}\0{made[0][0] if made else ''}".encode()


@functools.cache
def code_salt(modules: tuple[str, ...]) -> bytes:
    """What kept values also depend on: the source of the modules that decide them."""
    return b"\0".join(module_source(name) for name in modules)


def files_holding(kb: KnowledgeBase, kind: str) -> tuple[tuple[int, str], ...]:
    """The files (rank, content key) holding records of `kind`, in rank order."""
    if kind not in RECORD_KINDS:
        raise ValueError(f"not a record kind: {kind!r}")
    sql = (
        f"SELECT rank, content_key FROM files WHERE EXISTS (SELECT 1 FROM {kind}"
        " WHERE seq >= rank * ?1 AND seq < (rank + 1) * ?1) ORDER BY rank"
    )
    return tuple((int(rank), str(key)) for rank, key in kb.query(sql, (rank_range(1)[0],)))


def made_from(kb: KnowledgeBase, area: str, name: str, salt: bytes, kinds: tuple[str, ...], make: Callable[[], T]) -> T:
    """The value `name`, made by `make` from records of these kinds only: kept in `area` of the
    cache beside the store under the files holding them (their ranks and contents) and `salt`,
    so an edit of any of those files makes it again and an edit of any other keeps it (without
    a cache, made each time)."""
    cache = beside_store(kb)
    if cache is None:
        return make()
    held = sorted({file for kind in kinds for file in files_holding(kb, kind)})
    parts = [salt, store_identity(kb), name.encode()]
    key = Cache.digest(*parts, *(f"{rank}\0{content}".encode() for rank, content in held))
    kept = cache.get(area, key)
    if isinstance(kept, tuple) and len(kept) == 1:
        return kept[0]  # type: ignore[no-any-return]
    value = make()
    cache.put(area, key, (value,))
    return value


def per_file(
    kb: KnowledgeBase,
    cache: Cache | None,
    area: str,
    salt: bytes,
    make: Callable[[int], T],
    valid: Callable[[Any], T | None],
) -> list[tuple[int, T]]:
    """(rank, value) of each file, in file order: the value kept in `area` under the file's name,
    content and `salt` when `valid` accepts it, else `make(rank)`, kept (without a cache, made)."""
    found = []
    store = store_identity(kb)
    for rank, name, content in kb.query("SELECT rank, name, content_key FROM files ORDER BY rank"):
        key = Cache.digest(salt, store, str(name).encode(), str(content).encode())
        kept = valid(cache.get(area, key)) if cache is not None else None
        if kept is None:
            kept = make(int(rank))
            if cache is not None:
                cache.put(area, key, kept)
        found.append((int(rank), kept))
    return found
