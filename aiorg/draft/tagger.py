"""jieba's part-of-speech tagger over only the dictionary words an article holds.

jieba's tagger (jieba.posseg) reads its whole dictionary on first use: about 500,000 entries
(350,000 words and their prefixes) with their frequencies, and every word's tag. That took most of
a draft's time. Cutting a text, the tagger only ever looks up strings written in that text (the
candidate words at each place, the runs it hands to its HMM, single characters), and the
dictionary's total frequency. So a tokenizer that holds just the entries the article contains
cuts and tags the article exactly as the whole dictionary does.

The whole dictionary is kept in the aiorg cache as an Aho-Corasick automaton over every entry,
with each entry's length, frequency and tag in flat arrays: loading it is a few copies of
bytes, and one pass over the article finds every entry it contains. The entry is keyed by
jieba's version and the bytes of its dictionary, so another jieba or dictionary rebuilds it; a
corrupt entry fails the cache's MAC and is rebuilt too. Without a usable cache the tagger is
built over the whole dictionary, as jieba does (same cuts, slower).
"""

from __future__ import annotations

import hashlib
from array import array
from pathlib import Path
from typing import Any

from aiorg.cache import Cache
from aiorg.draft import deps

#: bump when the cached dictionary changes shape
_CACHE_LAYOUT = b"draft-tagger-1"
_AREA = "draft-tagger"


class Dictionary:
    """jieba's dictionary as flat arrays, with an automaton that finds its entries in a text."""

    def __init__(self, payload: tuple[Any, ...]) -> None:
        state, lengths, freqs, tags, self.tag_names, self.total = payload
        if not isinstance(self.tag_names, tuple) or not isinstance(self.total, int):
            raise ValueError("not a dictionary payload")
        self.automaton = deps.automaton_from(state)
        self.lengths = array("I", lengths)
        self.freqs = array("q", freqs)
        self.tags = array("I", tags)
        if not len(self.lengths) == len(self.freqs) == len(self.tags):
            raise ValueError("not a dictionary payload")

    def within(self, text: str) -> tuple[dict[str, int], dict[str, str]]:
        """Every entry written in the text: its frequency, and the tag of each that is a word."""
        freq: dict[str, int] = {}
        tags: dict[str, str] = {}
        lengths, freqs, codes, names = self.lengths, self.freqs, self.tags, self.tag_names
        for last, index in self.automaton.iter(text):
            word = text[last - lengths[index] + 1 : last + 1]
            if word not in freq:
                freq[word] = freqs[index]
                if codes[index]:
                    tags[word] = names[codes[index]]
        return freq, tags

    def tagger(self, text: str) -> Any:
        """A jieba POSTokenizer that cuts and tags any part of `text` as the whole dictionary would."""
        freq, tags = self.within(text)
        return deps.posseg_tokenizer(freq, tags, self.total)


def _payload() -> tuple[Any, ...]:
    """The whole dictionary, read as jieba's tagger reads it, in the cached shape."""
    full = deps.posseg_tokenizer()
    freq: dict[str, int] = full.tokenizer.FREQ
    word_tags: dict[str, str] = full.word_tag_tab
    names: dict[str, int] = {"": 0}
    lengths, freqs, tags = array("I"), array("q"), array("I")
    automaton = deps.automaton(ints=True)
    for index, (word, count) in enumerate(freq.items()):
        automaton.add_word(word, index)
        lengths.append(len(word))
        freqs.append(count)
        tag = word_tags.get(word)
        tags.append(0 if tag is None else names.setdefault(tag, len(names)))
    missing = word_tags.keys() - freq.keys()
    if missing:  # a tagged word the frequencies lack would be lost: never seen in jieba 0.42
        raise ValueError(f"jieba's tags name words its dictionary lacks: {sorted(missing)[:3]}")
    automaton.make_automaton()
    state = automaton.__reduce__()[1]
    return state, lengths.tobytes(), freqs.tobytes(), tags.tobytes(), tuple(names), int(full.tokenizer.total)


def _key(cache: Cache) -> str:
    """The cache key: jieba's version and its dictionary's bytes, and what deps.cache_salt names."""
    version, dictionary = deps.jieba_dictionary()
    digest = hashlib.blake2b(Path(dictionary).read_bytes(), digest_size=20).digest()
    return cache.digest(_CACHE_LAYOUT, deps.cache_salt(), version.encode(), digest)


def dictionary(cache: Cache | None) -> Dictionary | None:
    """jieba's dictionary from the cache, built and cached on first use; None without a usable
    cache, or when the entry is not there and cannot be written (then jieba reads its own)."""
    if cache is None or not cache.usable:
        return None
    try:
        key = _key(cache)
    except OSError:
        return None
    payload = cache.get(_AREA, key)
    if isinstance(payload, tuple) and len(payload) == 6:
        try:
            return Dictionary(payload)
        except (ValueError, TypeError):
            pass  # not what this code writes: rebuild it
    if not cache.writable(_AREA):  # building it costs twice what reading jieba's own does
        return None
    payload = _payload()
    cache.put(_AREA, key, payload)
    return Dictionary(payload)


def tagger(text: str, cache: Cache | None) -> Any:
    """A jieba POSTokenizer that cuts and tags any part of `text` as the whole dictionary would."""
    found = dictionary(cache)
    return deps.posseg_tokenizer() if found is None else found.tagger(text)
