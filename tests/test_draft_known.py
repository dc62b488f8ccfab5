"""The names a knowledge base already has, found in an article (aiorg.draft.known): the automaton
over the names' first characters finds exactly every place every name is written, and its cached
form is rebuilt when corrupt or of another shape."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aiorg.cache import Cache
from aiorg.draft import deps, known
from aiorg.draft.text import Article
from aiorg.kb import KnowledgeBase
from tests.draft_support import SEED, XINGHE, require_draft_extra

require_draft_extra()  # the drafting libraries are imported lazily: the modules above import without them


def _index(names: list[str]) -> known.KnownNames:
    """KnownNames over these names (each its own text id, a person's), with no knowledge base behind."""
    index = known.KnownNames(None)
    index._load(known._payload(names, [((i, "people"),) for i in range(len(names))]))
    return index


def _every_place(names: list[str], text: str) -> set[tuple[int, int, str]]:
    """(first, last, name) of every place each name is written, found one name at a time."""
    out = set()
    for name in names:
        at = text.find(name)
        while at >= 0:
            out.add((at, at + len(name) - 1, name))
            at = text.find(name, at + 1)
    return out


def _found(index: known.KnownNames, names: list[str], text: str) -> set[tuple[int, int, str]]:
    joined = index._joined
    return {(a, b, joined[index._name_at[i] : index._name_at[i + 1]]) for a, b, i in index._matches(text)}


def test_every_place_of_every_bundled_name_is_found(bundled_kb: KnowledgeBase) -> None:
    names, _ = known._names(bundled_kb)
    for text in (SEED, XINGHE):
        folded, _ = known._folded(Article.read(text).simple)
        expected = _every_place(names, folded)
        assert expected, "the article names no bundled record"
        assert _found(_index(names), names, folded) == expected


def test_names_sharing_their_first_characters_are_each_checked_whole() -> None:
    names = ["星河", "星河智", "星河智算", "星河智算科技", "星河智算科技集团", "星河智算科技公司", "abc", "abcdefgh"]
    text = "星河智算科技集团和星河智算科技公司，星河智算科，abcdefg abcdefgh"
    found = _found(_index(names), names, text)
    assert found == _every_place(names, text)
    assert (0, 7, "星河智算科技集团") in found and (18, 21, "星河智算") in found
    assert not any(name == "星河智算科技" and a == 18 for a, _, name in found)  # 星河智算科 is not it


@given(
    st.lists(st.text(alphabet="甲乙丙ab", min_size=2, max_size=9), max_size=30, unique=True),
    st.text(alphabet="甲乙丙ab ", max_size=80),
)
def test_any_names_in_any_text_are_found_exactly(names: list[str], text: str) -> None:
    index = _index(names)
    if not names:
        assert index._automaton is None
        return
    assert _found(index, names, text) == _every_place(names, text)


def _same(payload: Any, expected: tuple[Any, ...]) -> bool:
    """The same names payload (an automaton's state may be laid out differently each build)."""
    if not isinstance(payload, tuple) or payload[1:] != expected[1:]:
        return False
    return deps.automaton_from(payload[0]) is not None


def test_a_corrupt_cached_name_index_is_rebuilt(
    bundled_kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    article = Article.read(SEED)
    cache = Cache(tmp_path)
    first = known.KnownNames(bundled_kb, cache)
    expected = [(m.start, m.end, m.kind, m.ids) for m in first.find(article)]
    assert len(expected) > 30
    (entry,) = (tmp_path / "draft-names").iterdir()
    key = entry.name
    payload = cache.get("draft-names", key)
    assert isinstance(payload, tuple)
    builds: list[int] = []
    real = known._names

    def counted(kb: KnowledgeBase) -> Any:
        builds.append(1)
        return real(kb)

    monkeypatch.setattr(known, "_names", counted)
    good = entry.read_bytes()

    def again() -> list[tuple[int, int, str, tuple[str, ...]]]:
        return [(m.start, m.end, m.kind, m.ids) for m in known.KnownNames(bundled_kb, cache).find(article)]

    assert again() == expected and not builds  # read from the cache
    for broken in (good[: len(good) // 2], good[:40] + bytes([good[40] ^ 1]) + good[41:], b""):
        entry.write_bytes(broken)
        built = len(builds)
        assert again() == expected
        assert len(builds) == built + 1
        assert _same(cache.get("draft-names", key), payload)  # rebuilt and written again
    state, groups, joined, name_at, entry_at, text_ids, kinds = payload
    odd: tuple[Any, ...]
    for odd in (
        ("not", "a", "names", "payload", 1, 2, 3),
        (state, groups, joined[:-1], name_at, entry_at, text_ids, kinds),
        (state, groups, joined, name_at, entry_at, text_ids, kinds[:-1]),
        (state, groups, joined, name_at, entry_at, text_ids, b"\x09" * len(kinds)),
        (state, groups[:-4], joined, name_at, entry_at, text_ids, kinds),
        (state, [], joined),
    ):
        cache.put("draft-names", key, odd)
        built = len(builds)
        assert again() == expected
        assert len(builds) == built + 1
        assert _same(cache.get("draft-names", key), payload)


def test_the_name_index_is_rebuilt_when_the_code_or_libraries_that_shape_it_change(
    bundled_kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cached index is a dump of pyahocorasick's nodes over names OpenCC folded as aiorg's
    drafting code folds them: another version of either library, or of that code, rebuilds it."""
    from importlib import metadata

    salt = deps.cache_salt().decode()
    for distribution in deps.LIBRARIES.values():
        assert f"{distribution}={metadata.version(distribution)}" in salt
    cache = Cache(tmp_path)
    known.KnownNames(bundled_kb, cache)
    builds: list[int] = []
    real = known._names

    def counted(kb: KnowledgeBase) -> Any:
        builds.append(1)
        return real(kb)

    monkeypatch.setattr(known, "_names", counted)
    known.KnownNames(bundled_kb, cache)
    assert not builds  # the same code and libraries: read from the cache
    monkeypatch.setattr(deps, "cache_salt", lambda: salt.replace("pyahocorasick=", "pyahocorasick=0.").encode())
    known.KnownNames(bundled_kb, cache)
    assert builds == [1]
    assert len(list((tmp_path / "draft-names").iterdir())) == 2


def test_the_salt_covers_the_source_of_every_drafting_module(monkeypatch: pytest.MonkeyPatch) -> None:
    """A change to how names are folded or indexed (known.py, text.py, ...) changes every key."""
    before = deps.cache_salt()
    deps.cache_salt.cache_clear()
    real = Path.read_bytes

    def edited(path: Path) -> bytes:
        data = real(path)
        return data + b"# edited\n" if path.name == "known.py" else data

    monkeypatch.setattr(Path, "read_bytes", edited)
    try:
        assert deps.cache_salt() != before
    finally:
        deps.cache_salt.cache_clear()
