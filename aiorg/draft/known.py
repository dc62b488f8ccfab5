"""Names the knowledge base already has, found in an article with one Aho-Corasick pass.

Every name, Chinese name, alias and former name of every person, firm, group and product is
read from the store's text table (each distinct text once, not per record), folded as name
lookups fold it (aiorg.names.normalise_name) and put in simplified characters, so a name written
in either script, any width or case, with or without spaces and middle dots, is found. Only
the texts found are then joined to the records that carry them.
"""

from __future__ import annotations

import re
from array import array
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
#: bump when the cached names change shape
_CACHE_LAYOUT = b"draft-names-2"
_AREA = "draft-names"
#: how many first characters of a name the automaton holds (see KnownNames)
_PREFIX = 6


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
    """Every name of a knowledge base, found by an automaton over the names' first characters.

    The automaton holds each name's first _PREFIX characters (a shorter name whole); its value is
    the run of names that start so, and each of those is checked whole where the start is found.
    A name's (text id, kind) pairs are a run of flat arrays. With a cache, the automaton's state
    and the arrays are kept there, keyed by the store's files (any edit rebuilds them) and the
    model: loading them is a few copies of bytes, where building the automaton over 300,000 names
    took a third of a second (and an automaton over the whole names is four times the size)."""

    def __init__(self, kb: KnowledgeBase | None, cache: Cache | None = None) -> None:
        self._kb = kb
        self.cache = cache
        self._automaton: Any = None
        self._groups = array("I", [0])  # the names of group k: [groups[k], groups[k + 1])
        self._joined = ""  # every name, one after another
        self._name_at = array("I", [0])  # name i: joined[name_at[i] : name_at[i + 1]]
        self._entry_at = array("I", [0])  # name i's pairs: [entry_at[i], entry_at[i + 1])
        self._text_ids = array("q")
        self._kinds = b""  # index into _KINDS, per pair
        if kb is None:
            return
        key = ""
        if cache is not None and cache.usable:  # keyed by the store's files: any edit rebuilds it
            files = repr(kb.query("SELECT * FROM files ORDER BY 1")).encode()
            key = cache.digest(_CACHE_LAYOUT, deps.cache_salt(), files)
            payload = cache.get(_AREA, key)
            if isinstance(payload, tuple) and len(payload) == 7:
                try:
                    self._load(payload)
                    return
                except (ValueError, TypeError):
                    pass  # not what this code writes: rebuild it
        payload = _payload(*_names(kb))
        if cache is not None and key:
            cache.put(_AREA, key, payload)
        self._load(payload)

    def _load(self, payload: tuple[Any, ...]) -> None:
        state, groups, joined, name_at, entry_at, text_ids, kinds = payload
        groups, name_at, entry_at = array("I", groups), array("I", name_at), array("I", entry_at)
        text_ids = array("q", text_ids)
        if not isinstance(joined, str) or not isinstance(kinds, bytes) or len(text_ids) != len(kinds):
            raise ValueError("not a names payload")
        ends = ((groups, len(name_at) - 1), (name_at, len(joined)), (entry_at, len(kinds)))
        if len(name_at) != len(entry_at) or any(a[0] != 0 or a[-1] != end for a, end in ends):
            raise ValueError("not a names payload")
        if any(k >= len(_KINDS) for k in set(kinds)):
            raise ValueError("not a names payload")
        self._automaton = deps.automaton_from(state) if len(groups) > 1 else None
        self._groups, self._joined, self._name_at, self._entry_at = groups, joined, name_at, entry_at
        self._text_ids, self._kinds = text_ids, kinds

    def _entries(self, index: int) -> tuple[tuple[int, str], ...]:
        """The (text id, kind) pairs of the name at this index."""
        run = range(self._entry_at[index], self._entry_at[index + 1])
        return tuple((self._text_ids[at], _KINDS[self._kinds[at]]) for at in run)

    def _matches(self, folded: str) -> Iterator[tuple[int, int, int]]:
        """(first, last, name index) of every name in the folded text."""
        groups, joined, name_at = self._groups, self._joined, self._name_at
        for last, group in self._automaton.iter(folded):
            lo, hi = groups[group], groups[group + 1]
            first = last - min(_PREFIX, name_at[lo + 1] - name_at[lo]) + 1
            for index in range(lo, hi):
                a, b = name_at[index], name_at[index + 1]
                if folded[first : first + b - a] == joined[a:b]:
                    yield first, first + b - a - 1, index

    def find(self, article: Article) -> list[Mention]:
        """Every known name in the article, longest first where names overlap, outside noise."""
        if self._automaton is None or self._kb is None:
            return []
        folded, where = _folded(article.simple)
        hits: list[tuple[int, int, tuple[tuple[int, str], ...]]] = []
        for first, last, index in self._matches(folded):
            start, end = where[first], where[last] + 1
            if _boundaries_ok(article.text, start, end) and not article.is_noise(start, end):
                hits.append((start, end, self._entries(index)))
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


def _payload(names: list[str], entries: list[tuple[tuple[int, str], ...]]) -> tuple[Any, ...]:
    """The names in the cached shape (see KnownNames): ordered by their first characters, the
    automaton's state (None without names), where each group and each name starts, every name
    joined, and where each name's (text id, kind) pairs start in the flat arrays of text ids and
    kind codes."""
    order = sorted(range(len(names)), key=lambda i: names[i][:_PREFIX])
    automaton = deps.automaton(ints=True)
    groups, name_at, entry_at = array("I"), array("I", [0]), array("I", [0])
    text_ids, kinds = array("q"), bytearray()
    previous = None
    for at, index in enumerate(order):
        name = names[index]
        if name[:_PREFIX] != previous:
            previous = name[:_PREFIX]
            automaton.add_word(previous, len(groups))
            groups.append(at)
        name_at.append(name_at[-1] + len(name))
        for text_id, kind in entries[index]:
            text_ids.append(text_id)
            kinds.append(_KINDS.index(kind))
        entry_at.append(len(text_ids))
    groups.append(len(order))
    state = None
    if names:
        automaton.make_automaton()
        state = automaton.__reduce__()[1]
    joined = "".join(names[index] for index in order)
    return state, groups.tobytes(), joined, name_at.tobytes(), entry_at.tobytes(), text_ids.tobytes(), bytes(kinds)


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
