"""An edited file is parsed again only where it changed: the chunks whose text is unchanged come
from the cache entry of its previous version. The result must be exactly a fresh parse's."""

from __future__ import annotations

import marshal
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from aiorg import yamlsource
from aiorg.cache import Cache
from aiorg.parse import Parsed, parse_bytes, parse_whole
from aiorg.payload import Reusable, reusable_chunks
from tests.conftest import converted_chunks


def _person(number: int, name: str = "") -> str:
    return (
        f"  - id: p{number}\n    name: {name or f'Person {number}'}\n    name_zh: 人{number}\n"
        f"    source: s\n    quote: q{number}\n\n"
    )


def _file(records: list[str]) -> bytes:
    return ("# people\npeople:\n" + "".join(records)).encode()


def _reuse_of(parsed: Parsed, tmp_path: Path) -> Reusable:
    cache = Cache(tmp_path / "cache")
    cache.put("files", "earlier", parsed.cache_entry())
    return reusable_chunks(cache, "earlier")


edits = st.lists(
    st.tuples(st.sampled_from(["rename", "insert", "delete"]), st.integers(0, 59), st.sampled_from(["Ann", "NO"])),
    min_size=1,
    max_size=3,
)


@given(changes=edits)
@example(changes=[("insert", 15, "NO"), ("insert", 15, "NO")])  # one id broken in two chunks
def test_an_edited_file_parses_as_if_fresh(
    tmp_path_factory: pytest.TempPathFactory, changes: list[tuple[str, int, str]]
) -> None:
    tmp_path = tmp_path_factory.mktemp("reuse")
    records = [_person(n) for n in range(60)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(yamlsource, "CHUNK_CHARS", 300)
        before = parse_bytes(_file(records), "people.yaml")
        assert before.manifest is not None and len(before.manifest) > 5 and not before.problems
        for change, at, name in changes:
            if change == "rename":
                records[at % len(records)] = _person(at, name)
            elif change == "insert":
                records.insert(at % (len(records) + 1), _person(100 + at, name))
            elif len(records) > 1:
                del records[at % len(records)]
        raw = _file(records)
        calls = converted_chunks(patch)
        after = parse_bytes(raw, "people.yaml", reuse=_reuse_of(before, tmp_path))
    fresh = parse_whole(raw.decode(), "people.yaml")
    assert after.payload == fresh.payload
    assert [str(p) for p in after.problems] == [str(p) for p in fresh.problems]
    assert after.manifest is not None and len(calls) < len(after.manifest)  # not everything again


def test_only_the_chunk_that_changed_is_parsed_and_lines_below_an_insert_move(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(yamlsource, "CHUNK_CHARS", 300)
    records = [_person(n) for n in range(60)]
    before = parse_bytes(_file(records), "people.yaml")
    assert before.manifest is not None
    calls = converted_chunks(monkeypatch)
    records[30] = _person(30, "Renamed")
    renamed = parse_bytes(_file(records), "people.yaml", reuse=_reuse_of(before, tmp_path))
    assert len(calls) == 1
    records.insert(10, _person(99))  # six more lines above everything after it
    calls.clear()
    inserted = parse_bytes(_file(records), "people.yaml", reuse=_reuse_of(renamed, tmp_path))
    assert 1 <= len(calls) <= 2
    fresh = parse_whole(_file(records).decode(), "people.yaml")
    assert inserted.payload == fresh.payload
    assert inserted.payload["lines"]["people"][-1] == fresh.payload["lines"]["people"][-1]
    assert [marshal.loads(blob) for blob in inserted.chunks or []][-1]["lines"] != [
        marshal.loads(blob) for blob in renamed.chunks or []
    ][-1]["lines"]  # the last chunk was reused, its lines moved
