"""The store's tables, derived from the model: nothing here names a record field.

Every record kind gets
- a row in `records`: its codec tuple (the one source of truth, checksummed);
- a row in its own table, named by the kind (`tenures`, `deals`, ...), with one typed column
  per scalar field and per DERIVED property, for filtering and aggregates in SQL:
    text, enum -> TEXT;  number -> REAL;  yes/no -> INTEGER;
    date -> `<f>_lo`, `<f>_hi` (earliest and latest possible day, ISO, NULL when open);
    money -> `<f>_value`, `<f>_currency`, `<f>_bound`;
- a row per value in `<kind>_<field>` for each field holding a list of ids;
- rows in `edges` for the graph edges its EdgeSpecs declare (plus its citation);
- a row in `names` per text in its SEARCHED_FIELDS, pointing at that text in `texts`, which
  holds each distinct (kind, field, text) once, with a trigram full-text index over it; a text
  with Chinese characters that reads otherwise in simplified characters (黃志明 is 黄志明) gets a
  second row, under the field + READ_SIMPLIFIED, whose normalised form is that reading, so both
  scripts find it. The reading needs OpenCC (the `draft` extra): without it there are no such
  rows, and the schema version says which, and which OpenCC read them, so installing the extra
  or upgrading OpenCC rebuilds the store;
- a row in `<kind>_<field>` per item of a list of sourced parts (a deal's `history` steps and
  `conditions`): its place in the list (`at`) and a typed column per scalar field, as above;
- a row in `statements` per value an `also` item (one more source) states, on the record or on
  one of its steps (`history.date`, `part` its place in the list): the value as text
  (aiorg.claims.value_text), for money and numbers as a number, and for dates as `lo`, `hi`,
  so that a filter can match on every claimed value; the dates are indexed in each field's
  chronological order (CLAIMED_ORDER), as every date column is, for the plain `timeline`.
Fields that refer to records, and fields declared `index=True`, are indexed.

Readers use the typed tables to narrow a query, for counts (`stats`, a firm's counts, the
strategy signals, how many rows a long listing left out), for the names a listing shows beside
ids, and to order the single-source deals of a money filter: the rows a query shows are decoded
from `records`, whose checksums are verified (and a deal shown must match as its columns said),
so a damaged typed row can drop a candidate or miscount, but never alter a row shown.
"""

from __future__ import annotations

import dataclasses
import operator
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import Enum
from functools import cache, lru_cache
from typing import Any, cast

from aiorg import codec
from aiorg.dates import FuzzyDate
from aiorg.fingerprint import fingerprint
from aiorg.model import NAMED_KINDS, RECORD_KINDS, SEARCHED_FIELDS
from aiorg.money import Money

#: bump when how rows are written changes; the tables themselves are hashed (see schema_version)
LAYOUT = "12"  # 9: published stores are in WAL mode and updated in place; 10: text paths absolute;
# 11: names normalised with ‧ (U+2027) as a separator; 12: texts in traditional characters also
# kept as read in simplified ones (see READ_SIMPLIFIED)
#: the suffix of the field under which a searched text is also kept as read in simplified characters
#: ("name_zh" + READ_SIMPLIFIED): the row holds the text as written and, as its normalised form,
#: that reading, so typing 黄志明 finds the record whose Chinese name is written 黃志明
READ_SIMPLIFIED = "@simplified"
#: the edge from a node record to the source it cites (aiorg.graph uses the same name)
SOURCED_FROM = "sourced_from"


@dataclass(frozen=True, slots=True)
class Column:
    """One typed column of a kind's table."""

    name: str
    sql: str  # TEXT, REAL or INTEGER
    read: Callable[[tuple[Any, ...], Any], Any]  # (codec tuple, decoded record or None) -> value
    indexed: bool
    at: int | None = None  # where the codec tuple holds the value as it is, if it does


@dataclass(frozen=True, slots=True)
class Link:
    """A list field of ids, kept one row per value in its own table."""

    kind: str
    field: str
    at: int  # position in the codec tuple

    @property
    def table(self) -> str:
        return f"{self.kind}_{self.field}"


@dataclass(frozen=True, slots=True)
class KindTables:
    """Everything the store derives for one record kind."""

    kind: str
    cls: type
    columns: tuple[Column, ...]  # the values read as they are first, then the converted ones
    links: tuple[Link, ...]
    needs_record: bool  # a DERIVED property needs the decoded record
    plain: Callable[[tuple[Any, ...]], tuple[Any, ...]]  # the values of the leading plain columns
    converted: tuple[Column, ...]


@cache
def _fuzzy(text: str) -> FuzzyDate:
    return FuzzyDate.parse(text)


def _money_part(at: int, part: int) -> Callable[[tuple[Any, ...], Any], Any]:
    return lambda row, _: None if row[at] is None else row[at][part]


def _property(name: str) -> Callable[[tuple[Any, ...], Any], Any]:
    def read(_: tuple[Any, ...], record: Any) -> Any:
        value = getattr(record, name)
        if isinstance(value, FuzzyDate):
            return value.text
        return value.value if isinstance(value, Enum) else value

    return read


def columns_for(name: str, hint: Any, at: int | None, indexed: bool) -> Iterator[Column]:
    """The typed columns of field `name` (type `hint`, at `at` in the codec tuple, None for a
    derived property): a date's two bounds, money's three parts, else one column."""
    hint = codec.unwrap_optional(hint)
    read_at: Callable[[tuple[Any, ...], Any], Any] = (lambda row, _: row[at]) if at is not None else _property(name)
    if hint is FuzzyDate and at is not None:  # the codec keeps a date as its text (read as it is: 1.2M of them at 100k)
        yield Column(f"{name}_lo", "TEXT", lambda row, _: earliest_day(row[at]), indexed)
        yield Column(f"{name}_hi", "TEXT", lambda row, _: latest_day(row[at]), indexed)
    elif hint is FuzzyDate:  # a derived one is read from the record
        yield Column(f"{name}_lo", "TEXT", lambda row, record: earliest_day(read_at(row, record)), indexed)
        yield Column(f"{name}_hi", "TEXT", lambda row, record: latest_day(read_at(row, record)), indexed)
    elif hint is Money:
        assert at is not None
        yield Column(f"{name}_value", "REAL", _money_part(at, 0), indexed)
        yield Column(f"{name}_currency", "TEXT", _money_part(at, 1), False)
        yield Column(f"{name}_bound", "TEXT", _money_part(at, 2), False)
    elif hint is bool:
        yield Column(name, "INTEGER", read_at, indexed, at)
    elif hint in (float, int):
        yield Column(name, "REAL", read_at, indexed, at)
    elif hint is str or (isinstance(hint, type) and issubclass(hint, Enum)):
        yield Column(name, "TEXT", read_at, indexed, at)  # an enum's codec value is its text


@cache
def _bound(text: str | None, latest: bool) -> str | None:
    """The earliest or latest day a date's text allows, ISO; None when open or undated."""
    if text is None:
        return None
    day = _fuzzy(text).latest if latest else _fuzzy(text).earliest
    return day.isoformat() if day else None


@cache
def earliest_day(text: str | None) -> str | None:
    """The earliest day a date's text allows, ISO (None when open or undated)."""
    return _bound(text, False)


@cache
def latest_day(text: str | None) -> str | None:
    """The latest day a date's text allows, ISO (None when open or undated)."""
    return _bound(text, True)


@cache
def kind_tables(kind: str) -> KindTables:
    """The typed columns and link tables of one kind, from its dataclass."""
    cls = cast(type, RECORD_KINDS[kind])
    hints = typing.get_type_hints(cls)
    columns: list[Column] = []
    links: list[Link] = []
    for at, item in enumerate(dataclasses.fields(cls)):
        hint = hints[item.name]
        indexed = bool(item.metadata.get("ref")) or bool(item.metadata.get("index")) or item.name == "id"
        if typing.get_origin(codec.unwrap_optional(hint)) is list:
            if typing.get_args(codec.unwrap_optional(hint))[0] is str and item.metadata.get("ref"):
                links.append(Link(kind, item.name, at))
            continue
        columns.extend(columns_for(item.name, hint, at, indexed))
    derived = tuple(getattr(cls, "DERIVED", ()))
    for name in derived:
        returned = typing.get_type_hints(getattr(cls, name).fget)["return"]
        columns.extend(columns_for(name, returned, None, True))
    plain = [c for c in columns if c.at is not None]
    converted = tuple(c for c in columns if c.at is None)
    getter = operator.itemgetter(*(c.at for c in plain), plain[0].at)  # always a tuple, one too long
    width = len(plain)
    return KindTables(
        kind,
        cls,
        (*plain, *converted),
        tuple(links),
        bool(derived),
        lambda row: getter(row)[:width],
        converted,
    )


def create_tables() -> str:
    """The SQL that creates every table (indexes come after the rows: see `create_indexes`)."""
    from aiorg.store.claim_rows import part_tables  # it reads this module's columns

    statements = [
        "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
        # The list of ids a file refers to is last, with a digest of its own: it runs to megabytes
        # and only an edit that removes ids reads it (a row's later columns would sit behind it).
        "CREATE TABLE files (rank INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, content_key TEXT NOT NULL,"
        " stat_key TEXT NOT NULL, targets_checksum BLOB NOT NULL, checksum BLOB NOT NULL, targets BLOB NOT NULL)",
        "CREATE TABLE records (kind TEXT NOT NULL, seq INTEGER NOT NULL, id TEXT NOT NULL, data BLOB NOT NULL,"
        " checksum BLOB NOT NULL, PRIMARY KEY (kind, seq)) WITHOUT ROWID",
        "CREATE TABLE source_texts (id TEXT PRIMARY KEY, path TEXT NOT NULL, rank INTEGER NOT NULL,"
        " checksum BLOB NOT NULL)",
        "CREATE TABLE edges (seq INTEGER NOT NULL, src TEXT NOT NULL, dst TEXT NOT NULL, label TEXT NOT NULL,"
        " key TEXT NOT NULL)",
        # Titles repeat ("Engineer" on 60k spells): each distinct text is stored and indexed once.
        "CREATE TABLE texts (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, field TEXT NOT NULL, text TEXT NOT NULL,"
        " norm TEXT NOT NULL)",
        "CREATE UNIQUE INDEX texts_key ON texts(kind, field, text)",
        "CREATE VIRTUAL TABLE texts_fts USING fts5(norm, content='texts', content_rowid='id', tokenize='trigram')",
        "CREATE TABLE names (seq INTEGER NOT NULL, text INTEGER NOT NULL)",  # rowid order: field order
        # what more sources state (see statement_rows); money: number in its currency
        "CREATE TABLE statements (seq INTEGER NOT NULL, kind TEXT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL,"
        " number REAL, currency TEXT, source TEXT NOT NULL, part INTEGER, lo TEXT, hi TEXT)",
    ]
    for kind in RECORD_KINDS:
        tables = kind_tables(kind)
        columns = "".join(f', "{c.name}" {c.sql}' for c in tables.columns)
        statements.append(f"CREATE TABLE {kind} (seq INTEGER PRIMARY KEY{columns})")
        for link in tables.links:
            statements.append(f"CREATE TABLE {link.table} (seq INTEGER NOT NULL, value TEXT NOT NULL)")
        for part in part_tables(kind):
            columns = "".join(f', "{c.name}" {c.sql}' for c in part.columns)
            statements.append(f"CREATE TABLE {part.table} (seq INTEGER NOT NULL, at INTEGER NOT NULL{columns})")
    return ";\n".join(statements) + ";"


def create_indexes() -> str:
    """The SQL that indexes the typed columns, link tables, edges and names."""
    from aiorg.store.claim_rows import part_tables  # it reads this module's columns

    statements = [
        "CREATE UNIQUE INDEX records_id ON records(id)",
        "CREATE INDEX edges_seq ON edges(seq)",
        "CREATE INDEX edges_src ON edges(src)",
        "CREATE INDEX edges_dst ON edges(dst)",
        "CREATE INDEX names_seq ON names(seq)",
        "CREATE INDEX names_text ON names(text)",
        "CREATE INDEX texts_norm ON texts(norm)",
        "CREATE INDEX statements_seq ON statements(seq)",
        "CREATE INDEX statements_value ON statements(kind, field, value, seq)",
        "CREATE INDEX statements_number ON statements(kind, field, number)",
        f"CREATE INDEX statements_order ON statements(kind, field, {CLAIMED_ORDER})",
    ]
    for kind in RECORD_KINDS:
        tables = kind_tables(kind)
        statements += kind_indexes(kind)
        for link in tables.links:
            statements.append(f"CREATE INDEX {link.table}__value ON {link.table}(value, seq)")
            statements.append(f"CREATE INDEX {link.table}__seq ON {link.table}(seq)")
        for part in part_tables(kind):
            statements.append(f"CREATE INDEX {part.table}__seq ON {part.table}(seq, at)")
            for name in dated_columns(part.columns):
                statements.append(f"CREATE INDEX {part.table}__{name}_order ON {part.table}({chronological(name)})")
    return ";\n".join(statements) + ";"


def kind_indexes(kind: str, table: str | None = None, schema_name: str = "") -> list[str]:
    """The SQL indexing a kind's typed table (or a copy of it named `table`, in `schema_name`)."""
    tables, table = kind_tables(kind), table or kind
    prefix = f"{schema_name}." if schema_name else ""
    statements = []
    for column in tables.columns:
        if column.indexed and column.name != "id":
            statements.append(f'CREATE INDEX {prefix}{table}__{column.name} ON {table}("{column.name}")')
    for name in dated_columns(tables.columns):
        statements.append(f"CREATE INDEX {prefix}{table}__{name}_order ON {table}({chronological(name)})")
    for number, fields in enumerate(getattr(tables.cls, "COVERING", ())):
        columns = ", ".join(f'"{field}"' for field in fields)
        statements.append(f"CREATE INDEX {prefix}{table}__covering{number} ON {table}({columns})")
    return statements


def dated_columns(columns: tuple[Column, ...]) -> list[str]:
    """The date fields among a table's columns (those kept as `<f>_lo`, `<f>_hi`)."""
    names = [column.name for column in columns]
    return [name[:-3] for name in names if name.endswith("_lo") and f"{name[:-3]}_hi" in names]


def chronological(name: str) -> str:
    """SQL of date field `name`'s chronological order (aiorg.dates.FuzzyDate.sort_key): its earliest
    day, then its latest (an open end last); every date column is indexed in this order."""
    return f'COALESCE("{name}_lo", "{name}_hi"), COALESCE("{name}_hi", \'{OPEN_END}\')'


#: how the latest day of a date with an open end is ordered (after every day)
OPEN_END = "9999-12-31"
#: SQL of the chronological order of a date another source gives (`statements.lo`, `hi`), as `chronological`
CLAIMED_ORDER = f"COALESCE(lo, hi), COALESCE(hi, '{OPEN_END}')"


def typed_row(tables: KindTables, seq: int, row: tuple[Any, ...]) -> tuple[Any, ...]:
    """The kind-table row of one record."""
    record = codec.decoder(tables.cls)(row) if tables.needs_record else None
    return (seq, *tables.plain(row), *[column.read(row, record) for column in tables.converted])


@dataclass(frozen=True, slots=True)
class _RowPlan:
    """Where in a kind's codec tuple its id, citation, edge endpoints and searched texts are."""

    id_at: int
    source_at: int | None
    edges: tuple[tuple[int | None, int | None, str], ...]  # (from, to, label); None is the record itself
    texts: tuple[tuple[str, int], ...]  # (field, position)


@cache
def _plan(kind: str) -> _RowPlan:
    cls = RECORD_KINDS[kind]
    names = codec.field_names(cast(type, cls))
    hints = typing.get_type_hints(cls)

    def at(name: str) -> int | None:
        return None if name == "self" else names.index(name)

    texts = tuple(
        (name, names.index(name))
        for name in SEARCHED_FIELDS
        if name in names
        and codec.unwrap_optional(hints[name]) in (str, list[str])  # an enum is not a name
        and (name != "id" or kind in NAMED_KINDS)  # a spell's or a deal's id is nobody's name
    )
    source_at = names.index("source") if cls.NODE and cls.NODE != "source" else None
    edges = tuple((at(spec.source), at(spec.target), spec.label) for spec in cls.EDGES)
    return _RowPlan(names.index("id"), source_at, edges, texts)


def _values(row: tuple[Any, ...], at: int) -> list[str]:
    value = row[at]
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def edge_rows(kind: str, seq: int, row: tuple[Any, ...]) -> Iterator[tuple[int, str, str, str, str]]:
    """The graph edges a record declares: (seq, from, to, label, key), keyed as aiorg.graph keys them."""
    plan = _plan(kind)
    record_id = row[plan.id_at]
    is_node = bool(RECORD_KINDS[kind].NODE)
    for source_at, target_at, label in plan.edges:
        sources = [record_id] if source_at is None else _values(row, source_at)
        targets = [record_id] if target_at is None else _values(row, target_at)
        for source in sources:
            for target in targets:
                key = f"{record_id}:{label}:{source}:{target}" if is_node else record_id
                yield seq, source, target, label, key
    if plan.source_at is not None and row[plan.source_at]:
        yield seq, record_id, row[plan.source_at], SOURCED_FROM, f"{record_id}:{SOURCED_FROM}"


def name_fields(kind: str) -> tuple[tuple[str, int], ...]:
    """(field, position in the codec tuple) of each searched field of a kind, in field order."""
    return _plan(kind).texts


def name_texts(kind: str, row: tuple[Any, ...]) -> Iterator[tuple[str, str]]:
    """(field, text) for each searched text of a record, in field order."""
    for field, at in _plan(kind).texts:
        value = row[at]
        for text in value if isinstance(value, list) else [value]:
            if text:
                yield field, text


def normalised(text: str) -> str:
    """A text as name lookups compare it (see aiorg.names.normalise_name), cached."""
    return _normalised(text)


@lru_cache(maxsize=1 << 16)  # titles repeat: "Engineer", "CEO", "首席科学家"
def _normalised(text: str) -> str:
    from aiorg.names import normalise_name  # names reads a KnowledgeBase, which reads a store

    return normalise_name(text)


@cache
def schema_version() -> str:
    """The layout, the model's fingerprint, a digest of the tables and indexes derived from it,
    and whether texts are read in simplified characters and by which OpenCC (installed, and its
    version, checked without importing it): a store written under any other schema is never read
    or updated, so one written before the `draft` extra was installed, or before OpenCC was
    upgraded, is written again, with the readings of the OpenCC installed now."""
    import hashlib

    from aiorg.names import converter_installed
    from aiorg.opencc_install import installed_version

    tables = hashlib.blake2b((create_tables() + create_indexes()).encode(), digest_size=6).hexdigest()
    readings = f"t2s {installed_version()}" if converter_installed() else "as-written"
    return f"{LAYOUT}-{fingerprint()}-{tables}-{readings}"
