"""The SQLite export's table of claims: one row for every source's word on every fact, so
Datasette users can facet on the source, the field, or whether it is disputed.

A record (and each step of a deal's history, and each condition) is stated by its own source
and by each item of its `also` list. Each of them gets a row for the fact as a whole, and, where
the fact has more than one source, one row for each disputable field each gives a value
(aiorg.claims.statements); a fact with one source has its fields in its own table. A quote is located
in its source's archived text when the knowledge base has that text: `locator` is the
character offset where it begins there, and `checked` says the quote was found. A quote whose
source has no archived text, or that is not found in it, is unchecked (`checked` 0, no
locator): never treated as verified.

The table is named `source_claims`: the database's `claims` table holds strategy claims.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from aiorg import codec
from aiorg.checks import normalise_for_quotes, quote_in_text
from aiorg.claims import disputed_in, statements, value_text
from aiorg.export.sqlite_bind import NULL, bindable
from aiorg.export.sqlite_share import part_rows
from aiorg.model import RECORD_KINDS, Condition, Deal, StatusEntry

if TYPE_CHECKING:
    from aiorg.kb import KnowledgeBase

TABLE = "source_claims"
#: the kinds whose records carry claims, with the column (a foreign key) that names the record
FACT_COLUMNS = {
    "groups": "group",
    "firms": "firm",
    "people": "person",
    "products": "product",
    "tenures": "tenure",
    "deals": "deal",
    "events": "event",
    "metrics": "metric",
    "claims": "claim",
}
QUOTE_JOIN = " … "  # a quote of several passages, as the graph exports write it

SCHEMA = f"""
CREATE TABLE {TABLE} (id INTEGER PRIMARY KEY, fact TEXT NOT NULL, fact_kind TEXT NOT NULL, part TEXT,
    step INTEGER, field TEXT, value TEXT, source TEXT NOT NULL REFERENCES sources(id), quote TEXT NOT NULL,
    locator INTEGER, checked INTEGER NOT NULL, own INTEGER NOT NULL, preferred TEXT, disputed INTEGER NOT NULL,
    {", ".join(f'"{column}" TEXT REFERENCES {kind}(id)' for kind, column in FACT_COLUMNS.items())});
"""
#: made once the rows are in (faster than keeping them up to date row by row)
INDEXES = f"""
CREATE INDEX {TABLE}_fact ON {TABLE}(fact);
CREATE INDEX {TABLE}_source ON {TABLE}(source);
"""

#: one row: fact, part, step, field, value, source, quote passages, own, preferred, disputed
_Claim = tuple[str, str | None, int | None, str | None, str | None, str, tuple[str, ...], bool, str | None, bool]


def _part_claims(fact: str, part: Any, name: str | None, step: int | None) -> Iterator[_Claim]:
    """The claims of one sourced part of a record: the record itself (name None), or a deal's
    history step or condition. Each source states the part as a whole (a step its status, a
    condition its text), then each field it gives a value."""
    whole_field = {"history": "status", "condition": "text"}.get(name or "")
    whole_value = value_text(getattr(part, whole_field)) if whole_field else None
    whole = (fact, name, step, whole_field, whole_value)
    if not part.also:  # one source: its word on the whole part, fields as in its table
        yield *whole, part.source, tuple(part.quote), True, None, False
        return
    # the statements once, and each value's text once, for the rows and for the dispute rule
    said = [(claim, value_text(claim.value)) for claim in statements(part)]
    disputed = disputed_in(said)
    yield *whole, part.source, tuple(part.quote), True, None, bool(disputed)
    for item in part.also:
        yield *whole, item.source, tuple(item.quote), False, item.preferred, bool(disputed)
    derived = getattr(type(part), "DERIVED", ())
    for claim, text in said:
        if claim.own and claim.field in derived:
            continue  # a deal's date is its latest step's, stated by that step's source (a row of its own)
        if claim.implied:
            continue  # `current: false` read from an end: the source's own words are its end rows
        yield (
            fact,
            name,
            step,
            claim.field,
            text,
            claim.source,
            claim.quote,
            claim.own,
            claim.preferred,
            claim.field in disputed,
        )


def record_claims(record: Any) -> Iterator[_Claim]:
    """Every claim on a record, its deal history steps and conditions included."""
    yield from _part_claims(record.id, record, None, None)
    if isinstance(record, Deal):
        for step, entry in enumerate(record.history, 1):
            yield from _part_claims(record.id, entry, "history", step)
        for step, condition in enumerate(record.conditions, 1):
            yield from _part_claims(record.id, condition, "condition", step)


def locate(quote: str, text: str) -> int | None:
    """Where a quote begins in a text as it is (white space matches any run of white space;
    a quote with '…' begins where its first part does), or None when it is not there."""
    if not quote_in_text(quote, normalise_for_quotes(text)):
        return None
    parts = [normalise_for_quotes(p) for p in re.split(r"…|\.\.\.", quote)]
    first = next(part for part in parts if part)
    match = re.search(r"\s+".join(re.escape(word) for word in first.split(" ")), text)
    return match.start() if match else None


class _Locator:
    """(locator, checked) of a source's quote, each source's text read once and each quote searched once."""

    def __init__(self, texts: dict[str, Path]) -> None:
        self.paths = texts
        self.texts: dict[str, str | None] = {}
        self.found: dict[tuple[str, tuple[str, ...]], tuple[int | None, int]] = {}

    def _text(self, source: str) -> str | None:
        if source not in self.texts:
            path = self.paths.get(source)
            self.texts[source] = None  # no text, or none readable: its quotes are unchecked
            if path is not None:
                try:
                    with path.open(encoding="utf-8", newline="") as stream:  # offsets count characters as they are
                        self.texts[source] = stream.read()
                except (OSError, UnicodeDecodeError):
                    pass
        return self.texts[source]

    def __call__(self, source: str, quote: tuple[str, ...]) -> tuple[int | None, int]:
        key = (source, quote)
        found = self.found.get(key)
        if found is None:
            text = self._text(source)
            offsets = [locate(passage, text) for passage in quote] if text is not None and quote else [None]
            found = self.found[key] = (offsets[0], 1) if None not in offsets else (None, 0)
        return found


#: the staging tables where each kind's quotes and claims wait, in the order they are made, until
#: they are put into `quotes` and TABLE in the order of FACT_COLUMNS (see `assemble`)
QUOTES_STAGE = "quotes_stage"
CLAIMS_STAGE = "claims_stage"
_CLAIM_COLUMNS = "fact, fact_kind, part, step, field, value, source, quote, locator, checked, own, preferred, disputed"
_QUOTE_COLUMNS = "record, record_kind, source, quote"
_RUN = 65536  # rows inserted at a time


def create_stages(db: sqlite3.Connection, schema: str) -> None:
    """The two staging tables, in database `schema` ('temp', or a forked part's 'main')."""
    db.execute(f"CREATE TABLE {schema}.{QUOTES_STAGE} ({_QUOTE_COLUMNS})")
    db.execute(f"CREATE TABLE {schema}.{CLAIMS_STAGE} ({_CLAIM_COLUMNS})")


class _Stager:
    """The rows of one kind's quotes and claims, put into the stages of `schema` a run at a time,
    in the order they are added.

    Values the same for every row (the kind; for a record with one source and no parts, which
    nearly all are, its one claim's empty part, step, field and value, own, no preference, not
    disputed) are written by the statement, not bound for each row: binding is most of the cost."""

    def __init__(self, db: sqlite3.Connection, schema: str, kind: str, where: _Locator) -> None:
        self.db, self.where = db, where
        self.quotes = f"INSERT INTO {schema}.{QUOTES_STAGE} VALUES (?, '{kind}', ?, ?)"
        self.simple = (
            f"INSERT INTO {schema}.{CLAIMS_STAGE} VALUES (?, '{kind}', NULL, NULL, NULL, NULL, ?, ?, ?, ?, 1, NULL, 0)"
        )
        self.full = (
            f"INSERT INTO {schema}.{CLAIMS_STAGE} VALUES (?1, '{kind}', {', '.join(f'?{n}' for n in range(2, 13))})"
        )
        self.quoted: list[tuple[Any, ...]] = []
        self.run: list[tuple[Any, ...]] = []
        self.run_full = False  # whether `run` holds rows of `full` (else of `simple`)

    def _start(self, is_full: bool) -> None:
        if is_full != self.run_full or len(self.run) >= _RUN:
            if self.run:
                self.db.executemany(self.full if self.run_full else self.simple, self.run)
            self.run, self.run_full = [], is_full

    def add_simple(self, record_id: str, source: str, quote: tuple[str, ...]) -> None:
        """The one claim of a record with one source and no parts (the row record_claims gives)."""
        self._start(False)
        locator, checked = self.where(source, quote)
        self.run.append((record_id, source, QUOTE_JOIN.join(quote), NULL if locator is None else locator, checked))

    def add_full(self, record: Any) -> None:
        """Every claim record_claims gives on a record."""
        self.add_claims(record_claims(record))

    def add_claims(self, claims: Iterable[_Claim]) -> None:
        """These claims (record_claims' rows), each a row of `full`."""
        self._start(True)
        run = self.run
        said: dict[tuple[str, tuple[str, ...]], tuple[str, Any, int]] = {}  # a quote joined, located once a record
        for fact, part, step, field, value, source, quote, own, preferred, disputed in claims:
            found = said.get((source, quote))
            if found is None:
                locator, checked = self.where(source, quote)
                found = said[source, quote] = (QUOTE_JOIN.join(quote), NULL if locator is None else locator, checked)
            joined, located, checked = found
            row = (fact, part, step, field, value, source, joined, located, checked, 1 if own else 0, preferred)
            run.append(bindable((*row, 1 if disputed else 0)))

    def add_quotes(self, quoted: list[tuple[str, str, str]]) -> None:
        """(record, source, passage) of each passage a record quotes."""
        self.quoted += quoted
        if len(self.quoted) >= _RUN:
            self.db.executemany(self.quotes, self.quoted)
            self.quoted = []

    def finish(self) -> None:
        if self.run:
            self.db.executemany(self.full if self.run_full else self.simple, self.run)
        if self.quoted:
            self.db.executemany(self.quotes, self.quoted)


def stage_kind(db: sqlite3.Connection, schema: str, kb: KnowledgeBase, kind: str, where: _Locator) -> None:
    """Put the quotes and the claims of every record of `kind` into the stages of `schema`, in order."""
    stager = _Stager(db, schema, kind, where)
    for record in kb.records(kind):  # decoded already, for the record tables
        sourced: Any = record  # every kind here is sourced
        record_id = sourced.id
        quoted = [(record_id, sourced.source, text) for text in sourced.quote]
        for entry in [*getattr(sourced, "history", []), *getattr(sourced, "conditions", [])]:
            quoted += [(record_id, entry.source, text) for text in entry.quote]
        if sourced.also or type(sourced) is Deal:
            stager.add_full(record)
        else:  # nearly all: one source, one claim
            stager.add_simple(record_id, sourced.source, tuple(sourced.quote))
        stager.add_quotes(quoted)
    stager.finish()


def stage_tuples(db: sqlite3.Connection, schema: str, kind: str, rows: list[tuple[Any, ...]], where: _Locator) -> None:
    """stage_kind for records given as their codec tuples (aiorg.codec's layout): a record any
    part of which has more sources is decoded for record_claims, the rest are not. A deal's steps
    and conditions (its parts) each state their status or text as a whole (_part_claims)."""
    cls = cast(type, RECORD_KINDS[kind])
    decode = codec.decoder(cls)
    id_at, source_at, quote_at, also_at = (codec.field_index(cls, name) for name in ("id", "source", "quote", "also"))
    parts = _Parts() if cls is Deal else None
    stager = _Stager(db, schema, kind, where)
    for row in rows:
        record_id, source, quote = row[id_at], row[source_at], row[quote_at]
        quoted = [(record_id, source, text) for text in quote]
        if parts is None:
            if row[also_at]:
                stager.add_full(decode(row))
            else:
                stager.add_simple(record_id, source, tuple(quote))
        else:
            quoted += parts.quoted(row)
            if row[also_at] or parts.more_sources(row):
                stager.add_full(decode(row))
            else:
                stager.add_claims(parts.claims(row))
        stager.add_quotes(quoted)
    stager.finish()


class _Parts:
    """A deal's parts (history steps, conditions) read from its tuple."""

    def __init__(self) -> None:
        self.id_at, self.source_at, self.quote_at = (codec.field_index(Deal, n) for n in ("id", "source", "quote"))
        #: (where the deal keeps them, their name in a claim, where a part keeps its source, quote,
        #: `also` and the value it states as a whole)
        self.kinds: tuple[tuple[int, str, int, int, int, int], ...] = tuple(
            (
                codec.field_index(Deal, field),
                name,
                *(codec.field_index(part, n) for n in ("source", "quote", "also", whole)),
            )  # type: ignore[misc]
            for field, name, part, whole in (
                ("history", "history", StatusEntry, "status"),
                ("conditions", "condition", Condition, "text"),
            )
        )

    def quoted(self, row: tuple[Any, ...]) -> list[tuple[str, str, str]]:
        record_id = row[self.id_at]
        return [
            (record_id, part[source], text)
            for at, _, source, quote, _, _ in self.kinds
            for part in row[at]
            for text in part[quote]
        ]

    def more_sources(self, row: tuple[Any, ...]) -> bool:
        return any(part[also] for at, _, _, _, also, _ in self.kinds for part in row[at])

    def claims(self, row: tuple[Any, ...]) -> list[_Claim]:
        """record_claims of a deal none of whose parts has more sources: its own word on it, then
        each step's on its status and each condition's on its text (value_text of an enum or a
        text is the text the tuple holds)."""
        record_id = row[self.id_at]
        found: list[_Claim] = [
            (record_id, None, None, None, None, row[self.source_at], tuple(row[self.quote_at]), True, None, False)
        ]
        for at, name, source, quote, _, whole in self.kinds:
            field = "status" if name == "history" else "text"
            for step, part in enumerate(row[at], 1):
                claim = (record_id, name, step, field, str(part[whole]), part[source], tuple(part[quote]))
                found.append(cast(_Claim, (*claim, True, None, False)))
        return found


#: where a kind's stage rows are: (database, whether read chunk by chunk: sqlite_share.part_rows)
Place = tuple[str, bool]


def _runs(stage_of: dict[str, tuple[Place, ...]]) -> list[tuple[Place, str]]:
    """(place, "'kind', ...") of each run of kinds, in FACT_COLUMNS order, staged in one place:
    its rows are read in one scan (a stage holds its kinds' rows in that order). A kind staged in
    two places has its rows in the first, then in the second."""
    runs: list[tuple[Place, list[str]]] = []
    for kind in FACT_COLUMNS:
        for place in stage_of[kind]:
            if runs and runs[-1][0] == place and not place[1]:
                runs[-1][1].append(kind)
            else:
                runs.append((place, [kind]))
    return [(place, ", ".join(f"'{kind}'" for kind in kinds)) for place, kinds in runs]


def _rows(place: Place, table: str, which: str, columns: str, where: str) -> str:
    """SELECT of `columns` from the stage `table` in `place`, where `where`, in the order staged."""
    schema, chunked = place
    if chunked:  # the SHARED kind's rows alone
        return part_rows(schema, table, which, columns)
    return f"SELECT {columns} FROM {schema}.{table} WHERE {where} ORDER BY rowid"


def assemble_quotes(db: sqlite3.Connection, stage_of: dict[str, tuple[Place, ...]]) -> None:
    """Fill `quotes` from the stages, kind by kind in FACT_COLUMNS order (`stage_of`: where each
    kind's rows are); the ids are given in that order, as if inserted row by row."""
    for place, kinds in _runs(stage_of):
        select = _rows(place, QUOTES_STAGE, "quotes", _QUOTE_COLUMNS, f"record_kind IN ({kinds})")
        db.execute(f"INSERT INTO main.quotes ({_QUOTE_COLUMNS}) {select}")


def assemble_claims(db: sqlite3.Connection, stage_of: dict[str, tuple[Place, ...]]) -> None:
    """Create TABLE and fill it from the stages as `assemble_quotes` does, then index it."""
    _script(db, SCHEMA)
    columns = ", ".join(f'"{column}"' for column in FACT_COLUMNS.values())
    for place, kinds in _runs(stage_of):
        select = _rows(place, CLAIMS_STAGE, "claims", f"{_CLAIM_COLUMNS}, {_facts(kinds)}", f"fact_kind IN ({kinds})")
        db.execute(f"INSERT INTO main.{TABLE} ({_CLAIM_COLUMNS}, {columns}) {select}")
    _script(db, INDEXES)


def _facts(kinds: str) -> str:
    """The fact again as its own kind's foreign key, for the rows of these kinds ("'kind', ..."):
    a run of one kind puts it in that kind's column without a CASE for every column of every row
    (at 100k people, the spells' 300k rows went in in 0.14 CPU-s, not 0.20); the columns of the
    kinds not in the run are NULL."""
    found = [kind for kind in FACT_COLUMNS if f"'{kind}'" in kinds.split(", ")]
    if len(found) == 1:
        return ", ".join("fact" if kind in found else "NULL" for kind in FACT_COLUMNS)
    cases = (f"CASE WHEN fact_kind = '{kind}' THEN fact END" if kind in found else "NULL" for kind in FACT_COLUMNS)
    return ", ".join(cases)


def _script(db: sqlite3.Connection, script: str) -> None:
    """Run statements one by one: executescript would commit the export's one transaction half-way."""
    for statement in script.split(";\n"):
        if statement.strip():
            db.execute(statement)
