"""Names the knowledge base already has, found in an article with one Aho-Corasick pass.

Every name, Chinese name, alias and former name of every person, firm, group and product is
read from the store's text table (each distinct text once, not per record), folded as name
lookups fold it (aiorg.names.normalise_name) and put in simplified characters, so a name written
in either script, any width or case, with or without spaces and middle dots, is found. Only
the texts found are then joined to the records that carry them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from aiorg.cache import Cache
from aiorg.draft import deps
from aiorg.draft.text import Article, fold
from aiorg.kb import KnowledgeBase

_KINDS = ("people", "firms", "groups", "products")
_FIELDS = ("name", "name_zh", "aliases", "former_names")
_CJK = re.compile(r"[\u3400-\u9fff]")
_WORD = re.compile(r"[0-9A-Za-z]")
#: bump when the cached name list changes shape
_CACHE_LAYOUT = b"draft-names-1"


@dataclass(frozen=True, slots=True)
class Mention:
    """A name at a place in the article: the records it may be, or none (a discovered name)."""

    start: int
    end: int
    text: str  # as written
    kind: str  # people, firms, groups or products
    ids: tuple[str, ...]  # the records with this name ((): not in the knowledge base)
    cue: str = ""  # for a discovered name, what gave it away


def _usable(norm: str) -> bool:
    """A name long enough to find safely: two Chinese characters, or three letters or digits."""
    if _CJK.search(norm):
        return len(norm) >= 2
    return len(norm) >= 3


class KnownNames:
    """An automaton over every name of a knowledge base."""

    def __init__(self, kb: KnowledgeBase | None, cache: Cache | None = None) -> None:
        self._kb = kb
        self.cache = cache
        self._automaton: Any = None
        self._entries: list[tuple[tuple[int, str], ...]] = []
        self._lengths: list[int] = []
        if kb is None:
            return
        key = ""
        if cache is not None and cache.usable:  # keyed by the store's files: any edit rebuilds it
            files = repr(kb.query("SELECT * FROM files ORDER BY 1")).encode()
            key = cache.digest(_CACHE_LAYOUT, files)
            payload = cache.get("draft-names", key)
            if isinstance(payload, tuple) and len(payload) == 2:
                self._build(payload[0], payload[1])
                return
        names, entries = _names(kb)
        if cache is not None and key:
            cache.put("draft-names", key, (names, entries))
        self._build(names, entries)

    def _build(self, names: list[str], entries: list[tuple[tuple[int, str], ...]]) -> None:
        """An automaton whose values are indexes into the entries (plain ints build ten times faster)."""
        self._entries = entries
        self._lengths = [len(name) for name in names]
        if not names:
            return
        automaton = deps.automaton(ints=True)
        for index, name in enumerate(names):
            automaton.add_word(name, index)
        automaton.make_automaton()
        self._automaton = automaton

    def find(self, article: Article) -> list[Mention]:
        """Every known name in the article, longest first where names overlap, outside noise."""
        if self._automaton is None or self._kb is None:
            return []
        folded, where = _folded(article.simple)
        hits: list[tuple[int, int, tuple[tuple[int, str], ...]]] = []
        for last, index in self._automaton.iter(folded):
            texts = self._entries[index]
            first = last - self._lengths[index] + 1
            start, end = where[first], where[last] + 1
            if _boundaries_ok(article.text, start, end) and not article.is_noise(start, end):
                hits.append((start, end, texts))
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        chosen: list[tuple[int, int, tuple[tuple[int, str], ...]]] = []
        for hit in sorted(hits, key=lambda h: (-(h[1] - h[0]), h[0])):
            if all(hit[1] <= c[0] or c[1] <= hit[0] for c in chosen):
                chosen.append(hit)
        chosen.sort()
        records = self._records({text_id for _, _, texts in chosen for text_id, _ in texts})
        out = []
        for start, end, texts in chosen:
            by_kind: dict[str, list[str]] = {}
            for text_id, kind in texts:
                by_kind.setdefault(kind, []).extend(records.get(text_id, []))
            for kind in _KINDS:  # a name of a person and of a firm: the person first
                if by_kind.get(kind):
                    ids = tuple(dict.fromkeys(by_kind[kind]))
                    out.append(Mention(start, end, article.text[start:end], kind, ids))
                    break
        return out

    def _records(self, text_ids: set[int]) -> dict[int, list[str]]:
        """The ids of the records that carry each of these texts."""
        assert self._kb is not None
        out: dict[int, list[str]] = {}
        wanted = sorted(text_ids)
        for at in range(0, len(wanted), 500):
            chunk = wanted[at : at + 500]
            marks = ", ".join("?" * len(chunk))
            sql = (
                "SELECT t.id, r.id FROM texts t CROSS JOIN names n ON n.text = t.id"
                f" CROSS JOIN records r ON r.kind = t.kind AND r.seq = n.seq WHERE t.id IN ({marks}) ORDER BY n.seq"
            )
            for text_id, record_id in self._kb.query(sql, tuple(chunk)):
                out.setdefault(int(text_id), []).append(str(record_id))
        return out


def _names(kb: KnowledgeBase) -> tuple[list[str], list[tuple[tuple[int, str], ...]]]:
    """Every usable name, folded and simplified, and the (text id, kind) pairs that carry it."""
    rows = kb.query(
        "SELECT id, kind, norm FROM texts WHERE kind IN (?, ?, ?, ?) AND field IN (?, ?, ?, ?)",
        (*_KINDS, *_FIELDS),
    )
    chinese = [(text_id, kind, norm) for text_id, kind, norm in rows if _CJK.search(norm)]
    # one OpenCC call for every Chinese name, joined by line breaks (no dictionary phrase spans one)
    convert = deps.to_simplified().convert
    converted = convert("\n".join(norm for _, _, norm in chinese)).split("\n")
    if len(converted) != len(chinese):  # a conversion crossed a line break: one name at a time
        converted = [convert(norm) for _, _, norm in chinese]
    simple = dict(zip((text_id for text_id, _, _ in chinese), converted, strict=True))
    found: dict[str, list[tuple[int, str]]] = {}
    for text_id, kind, norm in rows:
        key = simple.get(text_id, norm)
        if _usable(key):
            found.setdefault(key, []).append((int(text_id), str(kind)))
    return list(found), [tuple(value) for value in found.values()]


def _folded(text: str) -> tuple[str, list[int]]:
    """The text folded for matching, and where each folded character was in the text."""
    chars: list[str] = []
    where: list[int] = []
    for index, char in enumerate(text):
        folded = fold(char)
        if folded:
            chars.append(folded)
            where.append(index)
    return "".join(chars), where


def _boundaries_ok(text: str, start: int, end: int) -> bool:
    """A name in Latin letters or digits must not run on into a longer word ("Meta" in "Metaverse")."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    if _WORD.match(text[start]) and _WORD.match(before):
        return False
    return not (_WORD.match(text[end - 1]) and _WORD.match(after))


def iter_ids(mentions: list[Mention]) -> Iterator[str]:
    """Every record id the mentions name, each once."""
    yield from dict.fromkeys(i for m in mentions for i in m.ids)
