"""jieba's tagger over only the dictionary entries an article holds (aiorg.draft.tagger): it cuts and
tags exactly as the whole dictionary does, its cached dictionary is keyed by jieba's version and
dictionary, a corrupt entry is rebuilt, and a warm draft never reads the whole dictionary."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aiorg.cache import Cache
from aiorg.dates import FuzzyDate
from aiorg.draft import deps, tagger
from aiorg.draft.build import draft
from aiorg.draft.cues import SURNAMES
from aiorg.draft.text import Article, simplified
from tests.draft_support import BRIGHTWATER, SEED, XINGHE, require_draft_extra

require_draft_extra()  # the drafting libraries are imported lazily: the modules above import without them

#: characters the property test writes texts with: the seed's, and Latin letters, digits, spaces and marks
ALPHABET = "".join(sorted(set(SEED))) + "AZaz09 .+#&_\n"


@pytest.fixture(scope="module")
def warm(tmp_path_factory: pytest.TempPathFactory) -> Cache:
    """A cache holding jieba's dictionary (built once for the module)."""
    folder = tmp_path_factory.mktemp("tagger-cache")
    folder.chmod(0o700)
    cache = Cache(folder)
    assert tagger.dictionary(cache) is not None
    return cache


@pytest.fixture(scope="module")
def loaded(warm: Cache) -> tagger.Dictionary:
    """The cached dictionary, loaded once for the module."""
    found = tagger.dictionary(warm)
    assert found is not None
    return found


def _cuts(pos: Any, text: str) -> list[tuple[str, str]]:
    return [(word, flag) for word, flag in pos.cut(text)]


def _same_as_whole(text: str, cache: Cache) -> None:
    """The article's tagger cuts each line, and every piece drafting cuts, as the whole dictionary does,
    and knows every string of up to eight characters of the text exactly as the whole dictionary does."""
    whole = deps.posseg_tokenizer()
    mine = tagger.tagger(text, cache)
    assert len(mine.tokenizer.FREQ) < len(whole.tokenizer.FREQ) // 10  # only what the text holds
    assert mine.tokenizer.total == whole.tokenizer.total
    article = Article.read(text)
    pieces = [article.simple[p.start : p.end] for s in article.sentences for p in s.pieces]
    for part in [*text.split("\n"), *pieces]:
        assert _cuts(mine, part) == _cuts(whole, part), part
    for start in range(len(text)):
        for end in range(start + 1, min(start + 8, len(text)) + 1):
            word = text[start:end]
            assert (word in mine.tokenizer.FREQ) == (word in whole.tokenizer.FREQ), word
            assert mine.tokenizer.FREQ.get(word) == whole.tokenizer.FREQ.get(word), word
            assert mine.word_tag_tab.get(word) == whole.word_tag_tab.get(word), word


@pytest.mark.parametrize("text", [SEED, XINGHE, BRIGHTWATER], ids=["seed", "xinghe", "brightwater"])
def test_an_articles_tagger_cuts_and_tags_as_the_whole_dictionary(text: str, warm: Cache) -> None:
    _same_as_whole(simplified(text), warm)


def test_the_names_drafting_looks_for_are_tagged_as_before(warm: Cache) -> None:
    """Content, not only sameness: the seed's nr/nt words that drafting reads are there."""
    words = {(word, flag) for word, flag in tagger.tagger(simplified(SEED), warm).cut(simplified(SEED))}
    whole = {(word, flag) for word, flag in deps.posseg_tokenizer().cut(simplified(SEED))}
    tagged = {pair for pair in whole if pair[1] in ("nr", "nt")}
    assert tagged and tagged <= words


@given(st.text(alphabet=ALPHABET, min_size=1, max_size=60))
def test_any_text_is_cut_as_the_whole_dictionary_cuts_it(loaded: tagger.Dictionary, text: str) -> None:
    whole = deps.posseg_tokenizer()
    mine = loaded.tagger(text)
    assert _cuts(mine, text) == _cuts(whole, text)


def test_without_a_usable_cache_the_whole_dictionary_is_read(tmp_path: Path) -> None:
    assert tagger.tagger("星河智算", None) is deps.posseg_tokenizer()
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o777)
    folder.chmod(0o777)  # others could plant entries: the cache refuses to work here
    assert not Cache(folder).usable
    assert tagger.tagger("星河智算", Cache(folder)) is deps.posseg_tokenizer()


def test_the_cached_dictionary_is_keyed_by_jiebas_version_and_dictionary(
    warm: Cache, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    version, path = deps.jieba_dictionary()
    own = tagger._key(warm)
    copy = tmp_path / "dict.txt"
    copy.write_bytes(Path(path).read_bytes())
    monkeypatch.setattr(deps, "jieba_dictionary", lambda: (version, str(copy)))
    assert tagger._key(warm) == own  # the same bytes elsewhere: the same key
    copy.write_bytes(Path(path).read_bytes() + "星河智算 3 nt\n".encode())
    edited = tagger._key(warm)
    assert edited != own
    monkeypatch.setattr(deps, "jieba_dictionary", lambda: ("0.43", str(path)))
    assert tagger._key(warm) not in (own, edited)


def test_a_corrupt_cached_dictionary_is_rebuilt(warm: Cache, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    payload = warm.get("draft-tagger", tagger._key(warm))
    assert isinstance(payload, tuple)
    builds: list[int] = []

    def build() -> tuple[Any, ...]:
        builds.append(1)
        return payload

    monkeypatch.setattr(tagger, "_payload", build)
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    cache = Cache(folder)
    key = tagger._key(cache)
    entry = folder / "draft-tagger" / key
    text = simplified(XINGHE)
    expected = _cuts(deps.posseg_tokenizer(), text)

    assert _cuts(tagger.tagger(text, cache), text) == expected and len(builds) == 1
    assert _cuts(tagger.tagger(text, cache), text) == expected and len(builds) == 1  # read, not built
    good = entry.read_bytes()
    for broken in (good[: len(good) // 2], good[:40] + bytes([good[40] ^ 1]) + good[41:], b""):
        entry.write_bytes(broken)
        assert _cuts(tagger.tagger(text, cache), text) == expected
        assert cache.get("draft-tagger", key) == payload  # rebuilt and written again
    # entries a MAC vouches for but of another shape (an older layout, say) are rebuilt too
    state, lengths, freqs, tags, names, total = payload
    for odd in (
        ("not", "a", "dictionary", 1, 2, 3),
        (state, lengths[:-4], freqs, tags, names, total),
        (state, lengths, freqs, tags, list(names), total),
        (1, 2),
    ):
        cache.put("draft-tagger", key, odd)
        built = len(builds)
        assert _cuts(tagger.tagger(text, cache), text) == expected
        assert len(builds) == built + 1
        assert cache.get("draft-tagger", key) == payload


def test_a_warm_draft_never_reads_the_whole_dictionary(warm: Cache, monkeypatch: pytest.MonkeyPatch) -> None:
    jieba = pytest.importorskip("jieba")
    posseg = pytest.importorskip("jieba.posseg")

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("read jieba's whole dictionary")

    monkeypatch.setattr(jieba.Tokenizer, "initialize", refuse)
    monkeypatch.setattr(jieba.Tokenizer, "gen_pfdict", refuse)
    monkeypatch.setattr(posseg.POSTokenizer, "load_word_tag", refuse)
    monkeypatch.setattr(tagger, "_payload", refuse)
    real = deps.posseg_tokenizer

    def only_part(freq: Any = None, tags: Any = None, total: int = 0) -> Any:
        if freq is None:
            refuse()
        return real(freq, tags, total)

    monkeypatch.setattr(deps, "posseg_tokenizer", only_part)
    found = draft(XINGHE, None, FuzzyDate.parse("2025-06"), cache=warm)
    tagged = {c["name"] for c in found if c["kind"] == "person" and c.get("cue") == "person name (jieba nr)"}
    assert tagged == {"林維安", "郭子謙"}  # the people only the tagger's nr tag finds


def test_only_pieces_that_can_hold_a_kept_name_are_cut(warm: Cache, monkeypatch: pytest.MonkeyPatch) -> None:
    """A piece with no surname and no word organisations end with is not cut, and cutting it would
    have kept nothing: the names found are the same."""
    from aiorg.draft import discover

    article = Article.read(SEED)
    pieces = [article.simple[p.start : p.end] for s in article.sentences for p in s.pieces]
    whole = deps.posseg_tokenizer()
    skipped = [p for p in pieces if not discover._TAGGABLE.search(p)]
    assert len(skipped) >= 10
    for piece in skipped:
        for word, flag in whole.cut(piece):
            assert not (flag == "nr" and len(word) == 3 and word[0] in SURNAMES), (piece, word)
            assert not (flag == "nt" and discover._ORGANISATION_END.search(word)), (piece, word)
    cut: list[str] = []
    real = tagger.tagger

    def recording(text: str, cache: Cache | None) -> Any:
        pos = real(text, cache)
        original = pos.cut

        def cut_and_note(sentence: str, HMM: bool = True) -> Any:  # noqa: N803 (jieba's name)
            cut.append(sentence)
            return original(sentence, HMM)

        pos.cut = cut_and_note
        return pos

    monkeypatch.setattr(discover, "tagger", recording)
    found: list[tuple[int, int, str]] = []
    discover._tagged(article, lambda start, end, kind, cue: found.append((start, end, kind)), warm)
    assert sorted(cut) == sorted(p for p in pieces if p not in skipped)
    names = {article.text[a:b] for a, b, _ in found}
    assert {"张一鸣", "梁文锋"} <= names


def test_a_cache_that_cannot_take_the_dictionary_reads_jiebas_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Building the cached dictionary costs twice what jieba's own load does: with a full or
    read-only cache, where it could never be kept, it is not built at all."""
    import tempfile

    cache = Cache(tmp_path / "full")

    def no_room(*args: Any, **kwargs: Any) -> Any:
        raise OSError(28, "No space left on device")

    def refuse() -> Any:
        raise AssertionError("built the cached dictionary")

    monkeypatch.setattr(tempfile, "TemporaryFile", no_room)
    monkeypatch.setattr(tagger, "_payload", refuse)
    assert tagger.dictionary(cache) is None
    assert tagger.tagger("星河智算", cache) is deps.posseg_tokenizer()


@pytest.mark.parametrize(("text", "firm"), [("北京大学发布报告。", "北京大学"), ("星河实验室完成融资。", "星河实验室")])
def test_a_piece_with_an_organisation_word_and_no_surname_is_still_tagged(warm: Cache, text: str, firm: str) -> None:
    """Pieces without a surname are skipped only when they hold no organisation word either: a
    firm jieba tags nt (北京大学) has no surname in it."""
    found = draft(text, None, FuzzyDate.parse("2025-06"), cache=warm)
    assert firm in {c["name"] for c in found if c["kind"] == "firm"}
