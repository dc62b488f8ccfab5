"""One kind's records grouped by the value of some of their fields (KnowledgeBase.tenures_by_person
and the like): the keys and each group's records come from the store's field indexes, and a
group's records are decoded only when it is first asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Generic, TypeVar

from aiorg.store import Store

R = TypeVar("R")


class Grouping(Mapping[str, list[R]], Generic[R]):
    """A grouping of one kind's records by the value(s) of `fields`, decoding only the groups asked
    for with `record_at` (a record by its sequence number); a group asked for again is served
    from memory, which the store's watches are told of as a read of the tables `from_memory`."""

    def __init__(
        self,
        store: Store,
        kind: str,
        fields: tuple[str, ...],
        record_at: Callable[[int], R],
        from_memory: tuple[tuple[str, str], ...],
    ) -> None:
        self._store, self._kind, self._fields = store, kind, fields
        self._record_at, self._from_memory = record_at, from_memory
        self._done: dict[str, list[R]] = {}

    def _positions(self, key: str) -> list[int]:
        return sorted({p for field in self._fields for p in self._store.positions(self._kind, field, key)})

    def _keys(self) -> list[str]:
        return sorted({k for field in self._fields for k in self._store.keys(self._kind, field)})

    def __getitem__(self, key: str) -> list[R]:
        if key not in self._done:
            positions = self._positions(key)
            if not positions:
                raise KeyError(key)
            self._done[key] = [self._record_at(i) for i in positions]
        else:
            self._store.note(self._from_memory)
        return self._done[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys())

    def __len__(self) -> int:
        return len(self._keys())
