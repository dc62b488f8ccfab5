"""Find people, firms, groups and products by any of their names, in either script."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from aiorg.errors import AmbiguousNameError, NotFoundError
from aiorg.kb import KnowledgeBase
from aiorg.model import NAMED_KINDS

# Separators people type or omit freely: "Scale AI" = "ScaleAI", "01.AI" = "01AI", "约翰·詹南德雷亚" = "约翰詹南德雷亚".
_SEPARATORS = re.compile(r"[\s·•・.\-_'’()（）]+")


def normalise_name(text: str) -> str:
    """Case-, width- and separator-insensitive form of a name."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", text).casefold())


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the closest choice, or ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


@dataclass(frozen=True, slots=True)
class NameEntry:
    """One name of one record."""

    record_id: str
    kind: str
    name: str


class NameIndex:
    """Every name (id, English, Chinese, alias, former name) of every named record."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self._kb = kb
        self._by_key: dict[str, dict[str, NameEntry]] = defaultdict(dict)
        self._indexed: set[str] = set()

    def _index(self, kinds: tuple[str, ...]) -> None:
        """Index the names of these kinds (once each): a firm lookup never reads 100k people."""
        for kind in kinds:
            if kind in self._indexed:
                continue
            self._indexed.add(kind)
            for record in self._kb.named(kind):
                names = [
                    record.id,
                    record.name,
                    getattr(record, "name_zh", None),
                    *getattr(record, "aliases", ()),
                    *getattr(record, "former_names", ()),
                ]
                for name in names:
                    if name:
                        self._by_key[normalise_name(name)].setdefault(record.id, NameEntry(record.id, kind, name))

    def resolve(self, text: str, kinds: tuple[str, ...] = NAMED_KINDS) -> str:
        """The id of the one record of `kinds` called `text`; raise if none or several."""
        exact = text.strip()
        if self._kb.kind_of(exact) in kinds:
            return exact  # an exact id always wins, and needs no name index (the common case in scripts)
        self._index(kinds)
        key = normalise_name(text)
        matches = [e for e in self._by_key.get(key, {}).values() if e.kind in kinds]
        if len(matches) == 1:
            return matches[0].record_id
        if len(matches) > 1:
            raise AmbiguousNameError(text, sorted(f"{m.record_id} ({self._kb.name_of(m.record_id)})" for m in matches))
        label = " or ".join(k.rstrip("s") if k != "people" else "person" for k in kinds)
        raise NotFoundError(text, self.suggest(text, kinds), label)

    def suggest(self, text: str, kinds: tuple[str, ...] = NAMED_KINDS, limit: int = 3) -> list[str]:
        """The closest known names, for 'did you mean'."""
        self._index(kinds)
        candidates = {
            key: entries for key, entries in self._by_key.items() if any(e.kind in kinds for e in entries.values())
        }
        close = difflib.get_close_matches(normalise_name(text), list(candidates), n=limit, cutoff=0.5)
        out: list[str] = []
        for key in close:
            for entry in candidates[key].values():
                display = self._kb.name_of(entry.record_id)
                if display not in out and entry.kind in kinds:
                    out.append(display)
        return out[:limit]

    def search(self, text: str) -> list[NameEntry]:
        """Every name containing `text` (normalised), best first."""
        needle = normalise_name(text)
        if not needle:
            return []
        self._index(NAMED_KINDS)
        hits = [
            (key.find(needle), len(key), entry)
            for key, entries in self._by_key.items()
            if needle in key
            for entry in entries.values()
        ]
        hits.sort(key=lambda hit: (hit[0], hit[1]))
        seen: dict[tuple[str, str], NameEntry] = {}
        for _, _, entry in hits:
            seen.setdefault((entry.record_id, entry.name), entry)
        return list(seen.values())
