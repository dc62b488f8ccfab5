"""`aiorg sources` counts each source's claims and passages from counts kept per file in the cache
(aiorg.queries.source_counts): they must be exactly what the walk over every claim counts.

The walk below is the naive oracle: every record of every kind, decoded, every claim it carries
(aiorg.queries.sources.citations), one claim each, its passages one each. Checked on the bundled
data, on a copy of the fictional multi-source fixture whose claims quote several passages, and on
generated knowledge bases (tests/test_oracle.py's, with claims quoting one or two passages and
deals with conditions), with and without a cache, read twice (the second time from the cache),
and after a file is edited (its counts are made again; the others' are read back).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aiorg.cache import Cache
from aiorg.kb import KnowledgeBase
from aiorg.loader import load
from aiorg.model import RECORD_KINDS
from aiorg.queries import source_counts
from aiorg.queries.sources import citations, claim_counts, sources
from tests.conftest import BUNDLED_DATA, write_spec
from tests.test_oracle import knowledge_bases

FIXTURE = Path(__file__).parent / "fixtures" / "multisource"


def walk(kb: KnowledgeBase) -> dict[str, tuple[int, int]]:
    """The oracle: (claims, passages) of each source, by decoding every record."""
    counts: dict[str, tuple[int, int]] = {}
    for kind in RECORD_KINDS:
        if kind == "sources":
            continue
        for record in kb.records(kind):
            for cited in citations(record):
                claims, passages = counts.get(cited.source, (0, 0))
                counts[cited.source] = (claims + 1, passages + len(cited.quote))
    return counts


def _entries(cache_dir: Path) -> list[Path]:
    folder = cache_dir / source_counts.AREA
    return sorted(path for path in folder.iterdir() if not path.name.startswith(".")) if folder.exists() else []


def test_the_bundled_data_counts_as_the_walk(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    for _ in range(2):  # counted and kept, then read back
        kb = load(BUNDLED_DATA, cache=cache)
        try:
            assert kb.store_file() is not None
            assert claim_counts(kb) == walk(kb)
            assert any(passages > claims for claims, passages in walk(kb).values())
        finally:
            kb.close()
    assert _entries(tmp_path / "cache")  # kept: one entry per file


def test_a_store_in_memory_counts_as_the_walk() -> None:
    kb = load(BUNDLED_DATA, cache=None)
    try:
        assert kb.store_file() is None
        assert claim_counts(kb) == walk(kb)
    finally:
        kb.close()


def test_the_several_passages_fixture_counts_as_the_walk_and_after_an_edit(tmp_path: Path) -> None:
    """The fictional fixture, a firm's own claim made to quote two passages: the counts kept
    before the edit are not read for the edited file."""
    shutil.copytree(FIXTURE, tmp_path / "kb")
    data = tmp_path / "kb" / "data"
    cache = Cache(tmp_path / "cache")
    kb = load(data, cache=cache)
    before = claim_counts(kb)
    assert before == walk(kb)
    kb.close()
    firms = data / "firms.yaml"
    text = firms.read_text(encoding="utf-8")
    assert "    quote: 星河智能\n" in text
    edited = text.replace("    quote: 星河智能\n", "    quote: [星河智能, 产品负责人李明]\n", 1)
    firms.write_text(edited, encoding="utf-8")
    kb = load(data, cache=cache)
    try:
        after = claim_counts(kb)
        assert after == walk(kb)
        assert after != before  # one more passage
        rows = {row["source"]: (row["claims"], row["passages"]) for row in sources(kb)}
        assert all(rows[source] == pair for source, pair in after.items())
    finally:
        kb.close()


def test_a_damaged_entry_is_not_trusted(tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    cache = Cache(cache_dir)
    kb = load(BUNDLED_DATA, cache=cache)
    try:
        truth = walk(kb)
        assert claim_counts(kb) == truth
        for entry in _entries(cache_dir):  # a payload of another shape under the right key and MAC
            cache.put(source_counts.AREA, entry.name, {"someone": (1, -1)})
        assert claim_counts(kb) == truth
        for entry in _entries(cache_dir):  # flipped bytes: the MAC refuses them
            entry.write_bytes(entry.read_bytes()[:-1] + b"\0")
        assert claim_counts(kb) == truth
    finally:
        kb.close()


@st.composite
def quoted_knowledge_bases(draw: st.DrawFn) -> dict[str, list[dict[str, Any]]]:
    """tests/test_oracle.py's knowledge bases, some claims quoting two passages, some deals with
    conditions (with `also` items of their own)."""
    spec = draw(knowledge_bases())
    items: list[dict[str, Any]] = []
    for kind, records in spec.items():
        if kind != "sources":
            for record in records:
                items += [record, *record.get("also", ())]
                for step in record.get("history", ()):
                    items += [step, *step.get("also", ())]
    for item in items:
        if "quote" in item and draw(st.integers(0, 3)) == 0:
            item["quote"] = [item["quote"], "a second passage"]
    for deal in spec["deals"]:
        for number in range(draw(st.integers(0, 2))):
            condition: dict[str, Any] = {"text": f"condition {number}", "source": "s", "quote": "a condition"}
            if draw(st.booleans()):
                condition["also"] = [{"source": "s1", "quote": ["one", "two"]}]
            deal.setdefault("conditions", []).append(condition)
    return spec


_counter = iter(range(10**9))


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("source-counts")


@given(spec=quoted_knowledge_bases(), cached=st.booleans(), edited=st.sampled_from(["deals", "tenures", "firms"]))
def test_generated_knowledge_bases_count_as_the_walk(scratch: Path, spec: Any, cached: bool, edited: str) -> None:
    folder = scratch / str(next(_counter))
    data = folder / "data"
    data.mkdir(parents=True)
    write_spec(data, spec)
    cache = Cache(folder / "cache") if cached else None
    for _ in range(2):  # counted (and kept, with a cache), then read back
        kb = load(data, cache=cache)
        try:
            assert claim_counts(kb) == walk(kb)
        finally:
            kb.close()
    if spec[edited]:  # one more passage in one file: that file is counted again
        first = spec[edited][0]
        first["quote"] = [*([first["quote"]] if isinstance(first["quote"], str) else first["quote"]), "one more"]
        write_spec(data, spec)
        kb = load(data, cache=cache)
        try:
            assert claim_counts(kb) == walk(kb)
        finally:
            kb.close()
