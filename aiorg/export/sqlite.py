"""A normalised SQLite database for Datasette: one table per record kind, link tables, FTS on names.

With --focus or --types the database holds the selected records plus every record they
refer to (sources, parents, the other spells a spell follows...), so every foreign key holds.
"""

from __future__ import annotations

import dataclasses
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiorg.dates import FuzzyDate
from aiorg.errors import OutputError
from aiorg.export.files import atomic_path, output_errors
from aiorg.export.sqlite_claims import fill_claims
from aiorg.export.sqlite_fork import Database, open_database
from aiorg.kb import KnowledgeBase
from aiorg.model import DEPARTURE_CAUSES
from aiorg.money import Money
from aiorg.parse import gc_paused

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
    amount_usd REAL, amount_bound TEXT, amount_text TEXT, valuation_usd REAL, valuation_bound TEXT,
    valuation_text TEXT, stake_percent REAL, date TEXT, date_earliest TEXT, date_latest TEXT,
    superseded_by TEXT REFERENCES deals(id), note TEXT, source TEXT NOT NULL REFERENCES sources(id));
CREATE TABLE deal_parties (deal TEXT NOT NULL REFERENCES deals(id), role TEXT NOT NULL,
    firm TEXT REFERENCES firms(id), person TEXT REFERENCES people(id));
CREATE TABLE deal_history (deal TEXT NOT NULL REFERENCES deals(id), step INTEGER NOT NULL, status TEXT NOT NULL,
    date TEXT, date_earliest TEXT, date_latest TEXT, certainty TEXT NOT NULL, note TEXT,
    source TEXT NOT NULL REFERENCES sources(id), PRIMARY KEY (deal, step));
CREATE TABLE deal_conditions (deal TEXT NOT NULL REFERENCES deals(id), step INTEGER NOT NULL, text TEXT NOT NULL,
    years REAL, source TEXT NOT NULL REFERENCES sources(id), PRIMARY KEY (deal, step));
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
           tenures.firm AS firm_id, firms.name AS firm, tenures.title, tenures.end_cause, tenures."end",
           tenures.end_earliest, tenures.end_latest, tenures.certainty, tenures.id AS tenure, tenures.source,
           (SELECT quote FROM quotes WHERE quotes.record = tenures.id AND quotes.record_kind = 'tenures'
            ORDER BY quotes.id LIMIT 1) AS quote
    FROM tenures JOIN people ON people.id = tenures.person JOIN firms ON firms.id = tenures.firm
    WHERE tenures.end_cause IN (__DEPARTURE_CAUSES__);
"""
#: made once the rows are in (one sort each instead of a b-tree insert per row)
INDEXES = """
CREATE INDEX tenures_firm ON tenures(firm);
CREATE INDEX tenures_person ON tenures(person);
CREATE INDEX deal_parties_deal ON deal_parties(deal);
CREATE INDEX quotes_record ON quotes(record);
"""
# the causes that count as leaving, from the model (the same set `people --left` uses)
SCHEMA = SCHEMA.replace("__DEPARTURE_CAUSES__", ", ".join(f"'{cause.value}'" for cause in sorted(DEPARTURE_CAUSES)))


def _date(value: FuzzyDate | None) -> list[Any]:
    if value is None:
        return [None, None, None]
    found = _DATES.get(value.text)
    if found is None or found[0] is not value:  # the codec shares one date per text: few isoformat calls
        earliest = value.earliest.isoformat() if value.earliest else None
        found = _DATES[value.text] = (value, earliest, value.latest.isoformat() if value.latest else None)
    return [value.text, found[1], found[2]]


_DATES: dict[str, tuple[FuzzyDate, str | None, str | None]] = {}


def _money(value: Money | None) -> list[Any]:
    return [None, None, None] if value is None else [value.value, value.bound.value, value.describe()]


def _enum(value: Any) -> Any:
    return None if value is None else value._value_  # .value without the descriptor


def _insert(db: Database, table: str, rows: list[list[Any]]) -> None:
    if rows:
        marks = ", ".join("?" * len(rows[0]))
        db.executemany(f'INSERT INTO "{table}" VALUES ({marks})', rows)


def fill(db: Database, kb: KnowledgeBase) -> None:
    """Create the schema and load every record."""
    db.executescript(SCHEMA)
    kinds = {
        record_id: kind
        for kind in ("firms", "people", "products", "groups")
        for record_id in (r.id for r in kb.records(kind))
    }
    _insert(
        db,
        "sources",
        [
            [
                s.id,
                s.title,
                s.publisher,
                s.author,
                s.published.text if s.published else None,
                s.url,
                s.language,
                s.file,
                s.note,
            ]
            for s in kb.sources
        ],
    )
    _insert(db, "groups", [[g.id, g.name, g.name_zh, g.certainty.value, g.note, g.source] for g in kb.groups])
    firms = sorted(kb.firms, key=lambda f: f.parent is not None)  # parents first, for the foreign key
    _insert(
        db,
        "firms",
        [[f.id, f.name, f.name_zh, f.country, _enum(f.category), f.parent, f.note, f.source] for f in firms],
    )
    _insert(db, "firm_groups", [[f.id, g] for f in kb.firms for g in f.groups])
    _insert(db, "people", [[p.id, p.name, p.name_zh, p.note, p.source] for p in kb.people])
    _insert(
        db,
        "products",
        [[p.id, p.name, p.name_zh, p.kind.value, p.maker, p.category, p.note, p.source] for p in kb.products],
    )
    names = []
    for kind in ("people", "firms", "groups", "products"):
        for record in kb.named(kind):
            for name_type, values in (
                ("name", [record.name]),
                ("name_zh", [record.name_zh]),
                ("alias", record.aliases),
                ("former", getattr(record, "former_names", [])),
            ):
                names += [[None, record.id, kind, value, name_type] for value in values if value]
    _insert(db, "names", names)
    # foreign keys are checked once the rows are in (write_sqlite); the rows keep the order they had
    # when they were checked row by row: a spell that follows another, and a unit, after the rest
    tenures = sorted(kb.tenures, key=lambda t: t.replaces is not None or t.after is not None)
    _insert(
        db,
        "tenures",
        [
            [
                t.id,
                t.person,
                t.firm,
                t.title,
                t.title_zh,
                _enum(t.area),
                _enum(t.kind),
                *_date(t.start),
                *_date(t.end),
                t.state.value,
                _enum(t.end_cause),
                t.certainty.value,
                t.replaces,
                t.after,
                t.note,
                t.source,
            ]
            for t in tenures
        ],
    )
    _insert(
        db,
        "deals",
        [
            [
                d.id,
                d.kind.value,
                d.title,
                d.status.value,
                *_money(d.amount),
                *_money(d.valuation),
                d.stake,
                *_date(d.date),
                d.superseded_by,
                d.note,
                d.source,
            ]
            for d in kb.deals
        ],
    )
    parties = []
    for d in kb.deals:
        for role, ids in (("buyer", d.buyers), ("target", d.targets), ("moved", d.people)):
            for entity in ids:
                is_firm = kinds.get(entity) == "firms"
                parties.append([d.id, role, entity if is_firm else None, None if is_firm else entity])
    _insert(db, "deal_parties", parties)
    _insert(
        db,
        "deal_history",
        [
            [d.id, i, e.status.value, *_date(e.date), e.certainty.value, e.note, e.source]
            for d in kb.deals
            for i, e in enumerate(d.history, 1)
        ],
    )
    _insert(
        db,
        "deal_conditions",
        [[d.id, i, c.text, c.years, c.source] for d in kb.deals for i, c in enumerate(d.conditions, 1)],
    )
    _insert(
        db,
        "events",
        [
            [
                e.id,
                e.kind.value,
                *_date(e.date),
                e.text,
                e.into if kinds.get(e.into or "") == "firms" else None,
                e.into if kinds.get(e.into or "") == "products" else None,
                e.certainty.value,
                e.note,
                e.source,
            ]
            for e in kb.events
        ],
    )
    slots = {"firms": 1, "people": 2, "products": 3, "groups": 4}
    subjects = []
    for e in kb.events:
        for subject in e.subjects:
            row: list[Any] = [e.id, None, None, None, None]
            row[slots[kinds[subject]]] = subject
            subjects.append(row)
    _insert(db, "event_subjects", subjects)
    _insert(
        db,
        "metrics",
        [
            [
                m.id,
                m.subject if kinds.get(m.subject) == "firms" else None,
                m.subject if kinds.get(m.subject) == "products" else None,
                m.metric,
                m.value,
                m.unit,
                m.bound,
                m.as_of.text if m.as_of else None,
                m.certainty.value,
                m.note,
                m.source,
            ]
            for m in kb.metrics
        ],
    )
    _insert(
        db,
        "claims",
        [
            [c.id, c.strategy.value, c.text, c.date.text if c.date else None, c.certainty.value, c.note, c.source]
            for c in kb.claims
        ],
    )
    _insert(
        db,
        "claim_subjects",
        [
            [c.id, s if kinds.get(s) == "firms" else None, s if kinds.get(s) == "groups" else None]
            for c in kb.claims
            for s in c.subjects
        ],
    )
    quotes = []
    for kind in ("groups", "firms", "people", "products", "tenures", "deals", "events", "metrics", "claims"):
        for fact in kb.records(kind):
            for text in getattr(fact, "quote", []):
                quotes.append([None, fact.id, kind, getattr(fact, "source"), text])  # noqa: B009
            for entry in [*getattr(fact, "history", []), *getattr(fact, "conditions", [])]:
                quotes += [[None, fact.id, kind, entry.source, text] for text in entry.quote]
    _insert(db, "quotes", quotes)
    for statement in INDEXES.strip().split("\n"):
        db.execute(statement)
    for table in ("names_fts", "people_fts", "firms_fts"):
        db.execute(f"INSERT INTO {table}({table}) VALUES ('rebuild')")
    fill_claims(db, kb)
    db.commit()


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
            db = open_database(temporary, _setup)  # SQLite's work on the other core, where it can fork
            try:
                with gc_paused():  # fill decodes and holds every record
                    fill(db, part)
                problems = db.finish()
                if problems:  # pragma: no cover - restrict() closes the selection over references
                    raise RuntimeError(f"foreign key problems in the export: {problems[:3]}")
            finally:
                db.abandon()
            with output_errors(out), temporary.open("rb") as written:
                os.fsync(written.fileno())
        except sqlite3.Error as error:
            if not str(getattr(error, "sqlite_errorname", "")).startswith(_WRITE_FAILURES):
                raise
            raise OutputError(f"{out}: cannot write: {error}") from None
    return f"{sum(part.counts().values())} records"
