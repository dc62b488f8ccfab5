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

T = TypeVar("T")


def beside_store(kb: KnowledgeBase) -> Cache | None:
    """The cache beside the knowledge base's store; None for a store in memory, or elsewhere."""
    path = kb.store_file()
    return Cache.beside(path) if path is not None else None


@functools.cache
def code_salt(modules: tuple[str, ...]) -> bytes:
    """What kept values also depend on: the source of the modules that decide them."""
    return b"\0".join(module_source(name) for name in modules)


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
    for rank, name, content in kb.query("SELECT rank, name, content_key FROM files ORDER BY rank"):
        key = Cache.digest(salt, str(name).encode(), str(content).encode())
        kept = valid(cache.get(area, key)) if cache is not None else None
        if kept is None:
            kept = make(int(rank))
            if cache is not None:
                cache.put(area, key, kept)
        found.append((int(rank), kept))
    return found
