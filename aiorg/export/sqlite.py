"""A normalised SQLite database for Datasette: one table per record kind, link tables, FTS on names.

With --focus or --types the database holds the selected records plus every record they
refer to (sources, parents, the other spells a spell follows...), so every foreign key holds.
"""

from __future__ import annotations

import dataclasses
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiorg.datafiles import gc_paused
from aiorg.errors import OutputError
from aiorg.export.files import atomic_path, output_errors
from aiorg.export.sqlite_bind import bindable_rows
from aiorg.export.sqlite_check import foreign_key_problems
from aiorg.export.sqlite_claims import (
    CLAIMS_STAGE,
    FACT_COLUMNS,
    QUOTES_STAGE,
    Place,
    _Locator,
    assemble_claims,
    assemble_quotes,
    create_stages,
    stage_kind,
    stage_tuples,
)
from aiorg.export.sqlite_part import Part, start_part
from aiorg.export.sqlite_rows import (
    NAMED_NEEDED,
    NAMES_ORDER,
    TABLES,
    TUPLE_KINDS,
    kind_rows,
    name_rows,
    named_kinds,
    tuple_rows,
)
from aiorg.export.sqlite_share import SHARED, Share, Stage, create_chunks, stage_back, stage_front
from aiorg.kb import KnowledgeBase
from aiorg.model import DEPARTURE_CAUSES, RECORD_KINDS

if TYPE_CHECKING:
    from aiorg.export.whole import ExportGraph

SCHEMA = """
CREATE TABLE sources (id TEXT PRIMARY KEY, title TEXT NOT NULL, publisher TEXT, author TEXT, published TEXT,
    url TEXT, language TEXT, file TEXT, note TEXT);
CREATE TABLE groups (id TEXT PRIMARY KEY, name TEXT NOT NULL, name_zh TEXT, certainty TEXT, note TEXT,
    source TEXT REFERENCES sources(id));
CREATE TABLE firms (id TEXT PRIMARY KEY, name TEXT NOT NULL, name_zh TEXT, country TEXT, category TEXT,
    parent TEXT REFERENCES firms(id), note TEXT, source TEXT REFERENCES sources(id));
CREATE TABLE firm_groups (firm TEXT NOT NULL REFERENCES firms(id), "group" TEXT NOT NULL REFERENCES groups(id),
    PRIMARY KEY (firm, "group"));
CREATE TABLE people (id TEXT PRIMARY KEY, name TEXT NOT NULL, name_zh TEXT, note TEXT,
    source TEXT REFERENCES sources(id));
CREATE TABLE products (id TEXT PRIMARY KEY, name TEXT NOT NULL, name_zh TEXT, kind TEXT NOT NULL,
    maker TEXT NOT NULL REFERENCES firms(id), category TEXT, note TEXT, source TEXT REFERENCES sources(id));
CREATE TABLE names (id INTEGER PRIMARY KEY, entity_id TEXT NOT NULL, entity_kind TEXT NOT NULL,
    name TEXT NOT NULL, name_type TEXT NOT NULL);
CREATE TABLE tenures (id TEXT PRIMARY KEY, person TEXT NOT NULL REFERENCES people(id),
    firm TEXT NOT NULL REFERENCES firms(id), title TEXT, title_zh TEXT, area TEXT, kind TEXT,
    start TEXT, start_earliest TEXT, start_latest TEXT, "end" TEXT, end_earliest TEXT, end_latest TEXT,
    state TEXT NOT NULL, end_cause TEXT, certainty TEXT NOT NULL, replaces TEXT REFERENCES tenures(id),
    after TEXT REFERENCES tenures(id), note TEXT, source TEXT NOT NULL REFERENCES sources(id));
CREATE TABLE deals (id TEXT PRIMARY KEY, kind TEXT NOT NULL, title TEXT, status TEXT NOT NULL,
    amount_usd REAL, amount_bound TEXT, amount_text TEXT, amount_currency TEXT, valuation_usd REAL,
    valuation_bound TEXT, valuation_text TEXT, valuation_currency TEXT, stake_percent REAL, date TEXT,
    date_earliest TEXT, date_latest TEXT, superseded_by TEXT REFERENCES deals(id), inferred TEXT, note TEXT,
    source TEXT NOT NULL REFERENCES sources(id));
CREATE TABLE deal_parties (deal TEXT NOT NULL REFERENCES deals(id), role TEXT NOT NULL,
    firm TEXT REFERENCES firms(id), person TEXT REFERENCES people(id));
CREATE TABLE deal_history (deal TEXT NOT NULL REFERENCES deals(id), step INTEGER NOT NULL, status TEXT NOT NULL,
    date TEXT, date_earliest TEXT, date_latest TEXT, certainty TEXT NOT NULL, inferred TEXT, note TEXT,
    source TEXT NOT NULL REFERENCES sources(id), PRIMARY KEY (deal, step));
CREATE TABLE deal_conditions (deal TEXT NOT NULL REFERENCES deals(id), step INTEGER NOT NULL, text TEXT NOT NULL,
    years REAL, inferred TEXT, source TEXT NOT NULL REFERENCES sources(id), PRIMARY KEY (deal, step));
CREATE TABLE events (id TEXT PRIMARY KEY, kind TEXT NOT NULL, date TEXT, date_earliest TEXT, date_latest TEXT,
    text TEXT NOT NULL, into_firm TEXT REFERENCES firms(id), into_product TEXT REFERENCES products(id),
    certainty TEXT NOT NULL, note TEXT, source TEXT NOT NULL REFERENCES sources(id));
CREATE TABLE event_subjects (event TEXT NOT NULL REFERENCES events(id), firm TEXT REFERENCES firms(id),
    person TEXT REFERENCES people(id), product TEXT REFERENCES products(id), "group" TEXT REFERENCES groups(id));
CREATE TABLE metrics (id TEXT PRIMARY KEY, firm TEXT REFERENCES firms(id), product TEXT REFERENCES products(id),
    metric TEXT NOT NULL, value REAL NOT NULL, unit TEXT, bound TEXT, as_of TEXT, certainty TEXT NOT NULL,
    note TEXT, source TEXT NOT NULL REFERENCES sources(id));
CREATE TABLE claims (id TEXT PRIMARY KEY, strategy TEXT NOT NULL, text TEXT NOT NULL, date TEXT,
    certainty TEXT NOT NULL, note TEXT, source TEXT NOT NULL REFERENCES sources(id));
CREATE TABLE claim_subjects (claim TEXT NOT NULL REFERENCES claims(id), firm TEXT REFERENCES firms(id),
    "group" TEXT REFERENCES groups(id));
CREATE TABLE quotes (id INTEGER PRIMARY KEY, record TEXT NOT NULL, record_kind TEXT NOT NULL,
    source TEXT NOT NULL REFERENCES sources(id), quote TEXT NOT NULL);
CREATE VIRTUAL TABLE names_fts USING fts5(name, content="names", content_rowid="id");
CREATE VIRTUAL TABLE people_fts USING fts5(name, name_zh, content="people");
CREATE VIRTUAL TABLE firms_fts USING fts5(name, name_zh, content="firms");
CREATE VIEW departures AS
    SELECT tenures.person AS person_id, people.name AS person, people.name_zh AS person_zh,
           tenures.firm AS firm_id, firms.name AS firm, tenures.title, tenures.end_cause,
           (SELECT group_concat(value, ' | ') FROM (SELECT DISTINCT value FROM source_claims
            WHERE fact = tenures.id AND field = 'end_cause' ORDER BY own DESC, id)) AS claimed_causes,
           EXISTS (SELECT 1 FROM source_claims WHERE fact = tenures.id AND field = 'end_cause' AND disputed)
            AS cause_disputed,
           tenures."end", tenures.end_earliest, tenures.end_latest, tenures.certainty, tenures.id AS tenure,
           tenures.source,
           (SELECT quote FROM quotes WHERE quotes.record = tenures.id AND quotes.record_kind = 'tenures'
            ORDER BY quotes.id LIMIT 1) AS quote
    FROM tenures JOIN people ON people.id = tenures.person JOIN firms ON firms.id = tenures.firm
    WHERE tenures.end_cause IN (__DEPARTURE_CAUSES__) OR EXISTS (SELECT 1 FROM source_claims
        WHERE fact = tenures.id AND field = 'end_cause' AND value IN (__DEPARTURE_CAUSES__));
"""
#: (table, index) made once the rows are in (one sort each instead of a b-tree insert per row)
INDEXES = (
    ("tenures", "CREATE INDEX tenures_firm ON tenures(firm)"),
    ("tenures", "CREATE INDEX tenures_person ON tenures(person)"),
    ("deal_parties", "CREATE INDEX deal_parties_deal ON deal_parties(deal)"),
    ("quotes", "CREATE INDEX quotes_record ON quotes(record)"),
)
# the causes that count as leaving, from the model (the same set `people --left` uses)
SCHEMA = SCHEMA.replace("__DEPARTURE_CAUSES__", ", ".join(f"'{cause.value}'" for cause in sorted(DEPARTURE_CAUSES)))


#: the kinds whose rows a forked process makes (aiorg.export.sqlite_part): the spells, two thirds
#: of the records at 100k people, their tables, quotes and claims; this process makes the rest.
#: The deals are made here: forked too, their tables cost the other process about 1.5 CPU-s at
#: 100k people (it reads them and the names of their parties again), here about 0.7, and this
#: process used to wait 1.6 s for the other (main 3.8 CPU-s before the copy, forked part 5.3;
#: now about 4.5 and 3.8)
FORKED = ("tenures",)
#: the FORKED kinds whose quotes and claims are staged here all the same (the deals': each step and
#: condition has claims of its own), should the deals be forked again
STAGED_HERE = ("deals",)
#: (full-text index, the table it indexes)
_FULL_TEXT = (("names_fts", "names"), ("people_fts", "people"), ("firms_fts", "firms"))
_PART = "part"  # the forked process's database, once attached
_HERE = "temp"  # the stages of the kinds made here (in memory)


def _insert(db: sqlite3.Connection, table: str, rows: list[list[Any]]) -> None:
    if rows:
        marks = ", ".join("?" * len(rows[0]))
        db.executemany(f'INSERT INTO main."{table}" VALUES ({marks})', bindable_rows(rows))


def _make(
    db: sqlite3.Connection,
    kb: KnowledgeBase,
    kinds: tuple[str, ...],
    staged: tuple[str, ...],
    stages: str,
    share: Share | None = None,
) -> None:
    """Insert the rows of these kinds' own tables, and stage the quotes and claims of the `staged`
    kinds in `stages`, kind by kind in RECORD_KINDS order (a stage holds its kinds in that order);
    with a `share`, only the SHARED kind's chunks taken from the back (aiorg.export.sqlite_share)."""
    named = named_kinds(kb, tuple({kind for wanted in kinds for kind in NAMED_NEEDED.get(wanted, ())}))
    where = _Locator(kb.source_texts)
    for kind in RECORD_KINDS:
        tables, stage = kind in kinds, kind in staged and kind in FACT_COLUMNS
        if kind in TUPLE_KINDS and (tables or stage):  # read, not decoded (the spells and the deals)
            records = [row for _, row in kb.stream_tuples(kind)]
            if tables:
                for table, rows in tuple_rows(kind, records, named).items():
                    _insert(db, table, rows)
            if stage and share is not None and kind == SHARED:
                tables_of = (QUOTES_STAGE, CLAIMS_STAGE)
                stage_back(db, stages, records, share, _stager(kind, where), tables_of)
            elif stage:
                stage_tuples(db, stages, kind, records, where)
            continue
        if tables:
            for table, rows in kind_rows(kb, kind, named).items():
                _insert(db, table, rows)
        if stage:
            stage_kind(db, stages, kb, kind, where)


def _stager(kind: str, where: _Locator) -> Stage:
    """stage_tuples of these records of `kind`."""
    return lambda db, stages, records: stage_tuples(db, stages, kind, records, where)


def _shared(forked: tuple[str, ...]) -> bool:
    """Whether the SHARED kind's quotes and claims are staged by both processes (when the forked
    process makes them, from its records' tuples)."""
    return SHARED in _staged_there(forked) and SHARED in TUPLE_KINDS


def _staged_there(forked: tuple[str, ...]) -> tuple[str, ...]:
    """The forked kinds whose quotes and claims the forked process stages too (not STAGED_HERE)."""
    return tuple(kind for kind in forked if kind not in STAGED_HERE)


def _make_part(db: sqlite3.Connection, kb: KnowledgeBase, share: Share | None = None) -> None:
    """In the forked process: the FORKED kinds' tables (made as the export's are, so that SQLite
    copies them as they are) and stages, in a database of their own; with a `share` (made before
    the fork), the SHARED kind's chunks it takes from the back."""
    db.executescript(SCHEMA)
    create_stages(db, "main")
    create_chunks(db, "main")
    _make(db, kb, FORKED, _staged_there(FORKED), "main", share)
    tables = {table for kind in FORKED for table in TABLES[kind]}
    for table, index in INDEXES:  # copied with the rows (the export makes the same index before copying)
        if table in tables:
            db.execute(index)


def fill(db: sqlite3.Connection, kb: KnowledgeBase) -> None:
    """Create the schema and load every record: the FORKED kinds' rows made by a forked process
    (in a file next to the database) where one can be forked, the rest here at the same time."""
    db.execute("PRAGMA temp_store = MEMORY")  # the stages made here
    found = db.execute("PRAGMA database_list").fetchall()
    folder = Path(found[0][2]).parent if found and found[0][2] else None
    handle, name = tempfile.mkstemp(prefix=".aiorg-part-", suffix=".db", dir=folder)
    os.close(handle)
    path = Path(name)
    part = None
    share = Share() if _shared(FORKED) and hasattr(os, "fork") else None
    try:
        part = start_part(path, _setup, lambda connection: _make_part(connection, kb, share))
        _fill(db, kb, FORKED if part is not None else (), part, path, share if part is not None else None)
    finally:
        if part is not None:
            part.abandon()
        path.unlink(missing_ok=True)


def _fill(
    db: sqlite3.Connection,
    kb: KnowledgeBase,
    forked: tuple[str, ...],
    part: Part | None,
    path: Path,
    share: Share | None,
) -> None:
    db.executescript(SCHEMA)
    create_stages(db, _HERE)
    there = _staged_there(forked)
    here = tuple(kind for kind in RECORD_KINDS if kind not in forked)
    _make(db, kb, here, tuple(kind for kind in RECORD_KINDS if kind not in there), _HERE)
    _insert(db, "names", [row for kind in NAMES_ORDER for row in name_rows(kb, kind)])
    copied = [table for kind in forked for table in TABLES[kind]]
    for index, content in _FULL_TEXT:  # while the other process works, where their rows are in
        if content not in copied:
            db.execute(f"INSERT INTO {index}({index}) VALUES ('rebuild')")
    before = max((i + 1 for i, (table, _) in enumerate(INDEXES) if table in copied), default=0)
    if share is not None:  # this process's kinds are made: the shared kind's chunks the other has not taken
        stage_front(db, _HERE, kb, share, _stager(SHARED, _Locator(kb.source_texts)))
    if part is not None:
        part.finish()
        db.commit()  # a database is attached outside a transaction
        db.execute(f"ATTACH DATABASE ? AS {_PART}", (str(path),))
        # the indexes of the copied tables first (and, to keep the schema's order, those before
        # them): an empty table with the same columns and indexes as the forked process's is
        # filled by copying the table and its indexes whole
        for _, index in INDEXES[:before]:
            db.execute(index)
        for table in copied:
            db.execute(f'INSERT INTO main."{table}" SELECT * FROM {_PART}."{table}"')
        for index, content in _FULL_TEXT:
            if content in copied:
                db.execute(f"INSERT INTO {index}({index}) VALUES ('rebuild')")
    stage_of: dict[str, tuple[Place, ...]] = {
        kind: ((_PART, False),) if kind in there else ((_HERE, False),) for kind in FACT_COLUMNS
    }
    if share is not None:  # this process's chunks of it first (from the front), then the other's
        stage_of[SHARED] = ((_HERE, False), (_PART, True))
    assemble_quotes(db, stage_of)
    for _, index in INDEXES[before:]:
        db.execute(index)
    assemble_claims(db, stage_of)
    db.commit()
    if part is not None:
        db.execute(f"DETACH DATABASE {_PART}")


def _references(value: Any) -> Iterator[str]:
    """The ids a record (or a history entry or condition in it) refers to, from the model's `ref`s."""
    for f in dataclasses.fields(value):
        item = getattr(value, f.name)
        items = item if isinstance(item, list) else [item]
        if f.metadata.get("ref"):
            yield from (str(i) for i in items if i)
        else:
            for entry in items:
                if dataclasses.is_dataclass(entry) and not isinstance(entry, type):
                    yield from _references(entry)


def restrict(kb: KnowledgeBase, graph: ExportGraph) -> KnowledgeBase:
    """The records in the (focused) graph, as nodes or as edges, and every record they refer to."""
    if graph.whole:  # every record: no need to build the graph to find that out
        return kb
    by_id = kb.by_id
    keep = {node for node, _ in graph.nodes if node in by_id}
    keep |= {str(d.get("record", k)) for _, _, k, d in graph.edges if d.get("record", k) in by_id}
    todo = list(keep)
    while todo:
        for ref in _references(by_id[todo.pop()]):
            if ref not in keep and ref in by_id:
                keep.add(ref)
                todo.append(ref)
    if len(keep) == len(by_id):
        return kb
    return kb.subset(keep)


_CACHE_KB = 256 * 1024
#: SQLite result codes that mean the output could not be written, not a bug in aiorg
_WRITE_FAILURES = ("SQLITE_FULL", "SQLITE_IOERR", "SQLITE_CANTOPEN", "SQLITE_READONLY", "SQLITE_NOTADB")


def _setup(db: sqlite3.Connection) -> None:
    # the whole database fits in SQLite's page cache (about 180 MB at 100k people), so the
    # transaction is written once at COMMIT, not spilled and re-read; the file's bytes are the same
    db.execute(f"PRAGMA cache_size = -{_CACHE_KB}")
    # pages of 16 KB (SQLite's default is 4 KB), set before the first table: a tenth fewer pages
    # to write and index at 100k people, 4% faster there (8 and 32 KB were slower)
    db.execute("PRAGMA page_size = 16384")
    # nobody reads the temporary file before it is renamed into place, so it needs no
    # journal; it is synced once, when it is complete (write_sqlite)
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")


def write_sqlite(kb: KnowledgeBase, graph: ExportGraph, out: Path | None) -> str:
    """Write the database atomically (it needs a file, not stdout); says how many records it holds."""
    if out is None:
        from aiorg.errors import UsageError

        raise UsageError("sqlite needs a file name, not '-'")
    part = restrict(kb, graph)
    with atomic_path(out) as temporary:
        try:
            db = sqlite3.connect(temporary)
            try:
                _setup(db)
                with gc_paused():  # fill decodes and holds every record
                    fill(db, part)
                problems = foreign_key_problems(db, temporary)
                if problems:  # pragma: no cover - restrict() closes the selection over references
                    raise RuntimeError(f"foreign key problems in the export: {problems[:3]}")
            finally:
                db.close()
            with output_errors(out), temporary.open("rb") as written:
                os.fsync(written.fileno())
        except sqlite3.Error as error:
            if not str(getattr(error, "sqlite_errorname", "")).startswith(_WRITE_FAILURES):
                raise
            raise OutputError(f"{out}: cannot write: {error}") from None
    return f"{sum(part.counts().values())} records"
