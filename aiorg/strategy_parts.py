"""The parts of `strategy --matrix` kept beside the store, each with the files it was made from.

The matrix needs every listed firm's signals: a pass over every role spell and deal (a third of
a second at 100k people). Each part (one signal's values per family, the listed firms, the
labels sources state) is kept in the cache beside the store (area `strategy`) together with
what it was made from, found by watching it being made (KnowledgeBase.watching): the tables
SQLite compiled statements to read, as the record kinds they hold, and for each kind the files
holding records of it, by rank and content key. A part is used again while every one of those
kinds is held by the same files at the same content, so an edit of events.yaml makes again only
the signals that read events.

A table that is no one kind's (the `records` table every record is in, the files table, a TEMP
table of unknown making) makes a part depend on every file. A kind's table as shown (the
restated copy, aiorg.strategy_shown) also depends on the sources, which rank the claims. Its
making is done before any part is watched (`before`), so that what it reads is not taken for
what a part reads: the copy itself is read through the kind's restated table. The key holds the
code that decides the values, so an upgrade makes every part again.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from aiorg.cache import Cache
from aiorg.fingerprint import module_source
from aiorg.kb import KnowledgeBase
from aiorg.model import RECORD_KINDS
from aiorg.queries import Window
from aiorg.queries.kept import files_holding, store_identity
from aiorg.store.schema import kind_tables
from aiorg.strategy_tables import ALIAS

T = TypeVar("T")
#: the cache area the parts are kept in
AREA = "strategy"
#: the kind that stands for every file (a part read a table no one kind's records decide)
EVERY = "*"
#: what SQLite reports reading that no record decides: the schema, JSON's table functions, and the
#: store's meta table (its version and own id, which the part's key holds: queries.kept.store_identity)
_IGNORED = frozenset({"sqlite_master", "sqlite_temp_master", "sqlite_schema", "sqlite_temp_schema", "json_each",
                      "json_tree", "meta"})  # fmt: skip
#: a part's dependencies: (kind, the files holding its records as (rank, content key))
Depends = tuple[tuple[str, tuple[tuple[int, str], ...]], ...]


def _tables() -> dict[tuple[str, str], frozenset[str]]:
    """(table, schema) -> the kinds whose files decide its rows."""
    found: dict[tuple[str, str], frozenset[str]] = {}
    for kind in RECORD_KINDS:
        own, shown = frozenset({kind}), frozenset({kind, "sources"})
        found[(kind, "main")] = own
        for link in kind_tables(kind).links:
            found[(link.table, "main")] = own
        found[(kind, ALIAS)] = shown
        found[(f"restated_{kind}", "temp")] = shown
        found[(f"{kind}_as_shown", "temp")] = shown
    return found


_TABLES = _tables()


def kinds_read(seen: Iterable[tuple[str, str]]) -> frozenset[str]:
    """The kinds whose files decide what these tables held: EVERY for a table no kind's alone."""
    kinds: set[str] = set()
    for table, schema in seen:
        if table in _IGNORED:
            continue
        found = _TABLES.get((table, schema))
        if found is None:
            return frozenset({EVERY})
        kinds |= found
    return frozenset(kinds)


class Parts:
    """The parts of one knowledge base's matrix in one window, from the cache or made there."""

    def __init__(self, kb: KnowledgeBase, window: Window, before: Callable[[], object]) -> None:
        self.kb, self.before = kb, before
        path = kb.store_file()
        self.cache = Cache.beside(path) if path is not None else None  # none in memory: made each time
        self.store = store_identity(kb) if path is not None else b""
        self.window = f"{window.since}\0{window.until}"
        self._held: dict[str, tuple[tuple[int, str], ...]] = {}
        self._statements: frozenset[str] | None = None
        self._ready = False

    def _key(self, name: str) -> str:
        return Cache.digest(_code_salt(), self.store, name.encode(), self.window.encode())

    def kept_kinds(self, name: str) -> list[str] | None:
        """The kinds the kept part `name` was made from (None: none is kept)."""
        kept = self.cache.get(AREA, self._key(name)) if self.cache is not None else None
        return [kind for kind, _ in kept[0]] if isinstance(kept, tuple) and len(kept) == 2 else None

    def get(self, name: str, make: Callable[[], T]) -> T:
        """The part `name`: kept, if what it was made from is unchanged, else made (and kept)."""
        if self.cache is None:
            return make()
        key = self._key(name)
        kept = self.cache.get(AREA, key)
        if isinstance(kept, tuple) and len(kept) == 2 and self._current(kept[0]):
            return kept[1]  # type: ignore[no-any-return]
        if not self._ready:
            self.before()
            self._ready = True
        with self.kb.watching() as seen:
            value = make()
        kinds = kinds_read(seen)
        if kinds & self._disputed():  # which value is shown first depends on the sources, even where
            kinds |= {"sources"}  # none differs from its record's own (the kind's table was read as it is)
        depends = tuple((kind, self.held(kind)) for kind in sorted(kinds))
        self.cache.put(AREA, key, (depends, value))
        return value

    def _current(self, depends: Any) -> bool:
        """Whether every kind a part depends on is held by the same files as when it was made."""
        try:
            return all(self.held(kind) == tuple(map(tuple, files)) for kind, files in depends)
        except (TypeError, ValueError):  # not an entry of this format
            return False

    def _disputed(self) -> frozenset[str]:
        """The kinds some `also` item states a value for (a statement row), read once."""
        if self._statements is None:
            self._statements = frozenset(
                kind
                for kind in RECORD_KINDS
                if self.kb.query("SELECT 1 FROM statements WHERE kind = ? LIMIT 1", (kind,))
            )
        return self._statements

    def held(self, kind: str) -> tuple[tuple[int, str], ...]:
        """The files (rank, content key) holding records of `kind` (EVERY: every file), in rank order."""
        found = self._held.get(kind)
        if found is None:
            if kind == EVERY:
                rows = self.kb.query("SELECT rank, content_key FROM files ORDER BY rank")
                found = tuple((int(rank), str(key)) for rank, key in rows)
            else:
                found = files_holding(self.kb, kind)
            self._held[kind] = found
        return found


#: the code that decides the parts and reads them from the store (a test checks that every module
#: whose code runs while a part is made is here)
CODE = ("strategy_parts", "strategy_sql", "strategy_query", "strategy_scans", "strategy_signals",
        "strategy_facts", "strategy_shown", "strategy_tables", "strategy_joint", "strategy_evidence", "strategy",
        "claims", "queries/common", "queries/inferred", "queries/kept", "store/schema", "store/write", "store/read",
        "store/files", "codec", "model", "money", "dates", "kb")  # fmt: skip


@functools.cache
def _code_salt() -> bytes:
    """What the parts also depend on: the code that decides them (CODE)."""
    return b"\0".join(module_source(name) for name in CODE)
