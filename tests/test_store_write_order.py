"""How a whole store is finished: the order of the last, single-core steps matters for speed."""

from __future__ import annotations

import sqlite3

from aiorg import store
from aiorg.datafiles import data_files
from aiorg.errors import Problem
from aiorg.parse import read_entries
from tests.conftest import BUNDLED_DATA


def _written_with_trace() -> tuple[sqlite3.Connection, list[str]]:
    files, problems = data_files(BUNDLED_DATA)
    found: list[Problem] = []
    entries = read_entries(BUNDLED_DATA, files, None, found, None)
    assert not problems and not found
    db = sqlite3.connect(":memory:", isolation_level=None)
    statements: list[str] = []
    db.set_trace_callback(statements.append)
    store.write_into(db, ((number * store.RANK_STEP, e.store_rows()) for number, e in enumerate(entries, 1)))
    db.set_trace_callback(None)
    return db, statements


def test_the_full_text_index_is_rebuilt_before_the_texts_are_indexed() -> None:
    # With texts_norm in place SQLite reads the texts for the rebuild through that index, in text
    # order, and the rebuild takes four times as long (measured at 100k people).
    _, statements = _written_with_trace()
    rebuild = next(i for i, s in enumerate(statements) if "'rebuild'" in s)
    # (texts_key, made with the table, does not hold norm: the rebuild never reads through it)
    on_norm = [i for i, s in enumerate(statements) if s.strip().startswith("CREATE") and " ON texts(norm" in s]
    assert on_norm and rebuild < min(on_norm)


def test_the_full_text_index_finds_what_a_scan_of_the_texts_finds() -> None:
    db, _ = _written_with_trace()
    norms = [str(norm) for (norm,) in db.execute("SELECT norm FROM texts")]
    probes = sorted({norm[i : i + 3] for norm in norms for i in range(0, max(len(norm) - 2, 0), 5)})
    assert len(probes) > 20
    for probe in probes:
        quoted = '"' + probe.replace('"', '""') + '"'
        found = {int(r) for (r,) in db.execute("SELECT rowid FROM texts_fts WHERE texts_fts MATCH ?", (quoted,))}
        scanned = {int(i) for (i, norm) in db.execute("SELECT id, norm FROM texts") if probe in str(norm)}
        assert found == scanned, probe
