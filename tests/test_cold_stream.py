"""A first load writes its store while the files are still being parsed: each chunk's records go
to the writer as they arrive. The store must be the one the whole-store writer makes from the
same payloads, also when a chunk has to be parsed again with its whole file."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest

from aiorg import parse, store, sync, yamlsource
from aiorg.cache import Cache
from aiorg.datafiles import data_files
from aiorg.loader import load
from aiorg.parse import read_entries

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))
from generate import generate  # noqa: E402


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    generate(300, tmp_path / "kb")
    monkeypatch.setattr(yamlsource, "CHUNK_CHARS", 16 * 1024)  # tenures, people and deals in chunks
    monkeypatch.setattr(parse, "PARALLEL_BYTES", 100 * 1024)  # and tenures on the pool
    return tmp_path / "kb" / "data"


def _dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows, records as their bytes (store.write.RECORD_MARSHAL), but the store's own
    id, new for every store written whole."""
    db = sqlite3.connect(path)
    tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    dump = {table: db.execute(f'SELECT * FROM "{table}"').fetchall() for table in tables}
    assert [name for name, _ in dump["meta"]] == ["schema", "made"]
    dump["meta"] = [row for row in dump["meta"] if row[0] != "made"]
    assert len(dump["records"]) > 1000 and dump["texts"] and dump["names"] and dump["edges"]
    return dump


def _whole(data: Path, tmp_path: Path) -> dict[str, list[tuple[object, ...]]]:
    """The store as the whole-store writer writes it from the payloads."""
    files, problems = data_files(data)
    entries = read_entries(data, files, None, problems, None)
    assert not problems
    target = tmp_path / "whole.sqlite"
    store.write_to(target, ((n * store.RANK_STEP, e.store_rows()) for n, e in enumerate(entries, start=1)))
    return _dump(target)


def _streamed(data: Path, cache: Cache) -> dict[str, list[tuple[object, ...]]]:
    load(data, cache=cache).close()
    (written,) = (cache.root / "kb").glob("*.sqlite")
    return _dump(written)


def test_the_store_written_while_parsing_is_the_whole_store(data: Path, tmp_path: Path) -> None:
    assert _streamed(data, Cache(tmp_path / "cache")) == _whole(data, tmp_path)
    assert not list((tmp_path / "cache" / "kb").glob(".*"))  # no spool or temporary left behind


def test_a_chunk_parsed_again_whole_replaces_what_was_sent(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = _whole(data, tmp_path)
    monkeypatch.setattr(parse, "PARALLEL_BYTES", 1 << 30)  # in this process, so the failure below is seen
    real = yamlsource.compose_chunk
    calls = iter(range(1000))

    def third_fails(chunk: str) -> object:
        if next(calls) == 2:
            raise yamlsource.ChunkFailedError
        return real(chunk)

    monkeypatch.setattr(parse, "compose_chunk", third_fails)
    assert _streamed(data, Cache(tmp_path / "cache")) == expected


def test_the_writer_starts_before_the_first_file_is_parsed(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[str] = []
    real = sync.store_writer

    def noted(*args: object) -> object:
        events.append("writer")
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(sync, "store_writer", noted)
    load(data, cache=Cache(tmp_path / "cache"), progress=lambda done, total: events.append(f"{done}/{total}")).close()
    assert events[:2] == ["writer", "1/8"]


def test_a_problem_discards_the_writer_and_publishes_nothing(data: Path, tmp_path: Path) -> None:
    tenures = data / "tenures.yaml"
    tenures.write_text(tenures.read_text(encoding="utf-8").replace("person: person-7\n", "person: nobody\n", 1))
    cache = Cache(tmp_path / "cache")
    with pytest.raises(Exception, match="nobody"):
        load(data, cache=cache)
    assert list((cache.root / "kb").glob("*")) == []


def test_a_writer_that_gives_up_costs_only_the_store(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the forked writer fails (a full disk, a SQLite error), its pipe closes: the load still
    answers, from memory, and publishes nothing."""
    import aiorg.store.files as files

    def fails(*_: object) -> None:
        raise sqlite3.OperationalError("disk full")

    monkeypatch.setattr(files, "begin_whole", fails)  # in the child, which is forked after this
    cache = Cache(tmp_path / "cache")
    kb = load(data, cache=cache)
    assert sum(kb.counts().values()) > 1000
    assert [p.name for p in (cache.root / "kb").glob("*")] == []
