"""The SQLite store of a data directory: written whole after a full load, then kept up to date
file by file, with the cross-file checks limited to what the changed files can affect."""

from __future__ import annotations

import bisect
import contextlib
import itertools
import math
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiorg import codec, store
from aiorg.cache import Cache
from aiorg.datafiles import display_path, stat_digest
from aiorg.errors import Problem
from aiorg.kb import KnowledgeBase
from aiorg.model import Firm, Tenure
from aiorg.store import Store

# The parser, its payloads and the cross-file checks are imported where a file is read or an
# edit checked, not here: a warm command opens the store without them (see aiorg.datafiles).
if TYPE_CHECKING:
    from aiorg.checks import Spell
    from aiorg.fields import Reference
    from aiorg.parse import FileEntry


def store_path(cache: Cache, data_dir: Path) -> Path:
    return cache.root / "kb" / f"{Cache.digest(str(data_dir.resolve()).encode())}.sqlite"


def store_writer(path: Path) -> store.StreamWriter | None:
    """Start writing the store for this data directory; the files are sent to it as they are
    parsed, and it is put in place once the cross-checks pass (see `published`)."""
    if not hasattr(os, "fork"):
        return None  # written in this process once the data is read: see `whole_store_writer`
    try:
        path.parent.mkdir(mode=0o700, exist_ok=True)
        return store.StreamWriter(path)
    except (OSError, sqlite3.Error):
        return None  # the cache only ever costs speed


def whole_store_writer(path: Path, entries: list[FileEntry]) -> store.BackgroundWriter | None:
    """Write the store from payloads already read (where the writer cannot be forked early)."""
    try:
        path.parent.mkdir(mode=0o700, exist_ok=True)
        return store.BackgroundWriter(path, lambda: (entry.store_rows() for entry in entries))
    except (OSError, sqlite3.Error):
        return None


def published(writer: store.BackgroundWriter | store.StreamWriter, path: Path) -> KnowledgeBase | None:
    """The knowledge base from the store the writer wrote, once it is in place; None if it
    could not be written or read."""
    if not writer.publish():
        return None
    store.prune(path.parent, keep=path)
    try:
        return KnowledgeBase(store=Store(store.open_for_reading(path)))
    except sqlite3.Error:
        return None


def current_store(path: Path, entries: list[FileEntry]) -> KnowledgeBase | None:
    """The knowledge base from the store if it holds exactly these files at these versions."""
    try:
        db = store.open_for_reading(path)
    except sqlite3.Error:
        return None
    try:
        versions = store.versions(db)
        known = {name: version.content_key for name, (_, version) in versions.items()}
        if known == {entry.name: entry.key for entry in entries}:
            ranks = {name: rank for name, (rank, _) in versions.items()}
            return KnowledgeBase(store=Store(db, lambda: _rewritten(path, entries, ranks)))
    except sqlite3.Error:
        pass
    db.close()
    return None


def updated_store(path: Path, entries: list[FileEntry]) -> KnowledgeBase | None:
    """The knowledge base from the store after replacing the rows of the files that changed
    since it was written; None if that cannot be done (the caller keeps the answer in memory)."""
    try:
        db = store.open_for_reading(path)
        known = store.versions(db)
        db.close()
    except sqlite3.Error:
        return None
    names = {entry.name for entry in entries}
    stale = [e for e in entries if e.name not in known or known[e.name][1].content_key != e.key]
    gone = [name for name in known if name not in names]
    if not _update_store(path, stale, gone):  # the files were just read: not again
        return None
    return current_store(path, entries)


def in_memory(entries: list[FileEntry]) -> KnowledgeBase:
    """The knowledge base in a store of its own in memory: the same tables, the same queries."""
    db = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    store.write_into(db, ((number * store.RANK_STEP, entry.store_rows()) for number, entry in enumerate(entries, 1)))
    return KnowledgeBase(store=Store(db))


def load_from_store(
    data_dir: Path, files: list[Path], cache: Cache, progress: Callable[[int, int], None] | None
) -> KnowledgeBase | None:
    """The knowledge base from its store, bringing the store up to date first if files changed;
    None when there is no usable store or the changes need a full load."""
    path = store_path(cache, data_dir)
    try:
        db = store.open_for_reading(path)
        known = store.versions(db)
    except sqlite3.Error:
        return None  # absent, damaged or of another version: the full load writes a new one
    names = {path.relative_to(data_dir).as_posix(): path for path in files}
    stale = [p for name, p in names.items() if name not in known or known[name][1].stat_key != stat_digest(p)]
    gone = [name for name in known if name not in names]
    if stale or gone:
        from aiorg.parse import read_entries

        db.close()
        problems: list[Problem] = []
        earlier = {name: known[name][1].content_key for name in names if name in known}
        entries = read_entries(data_dir, stale, cache, problems, progress, earlier=earlier)
        if problems or not _update_store(path, entries, gone):
            return None  # a full load reports the problems, together with any in other files
        try:
            db = store.open_for_reading(path)
            known = store.versions(db)
        except sqlite3.Error:
            return None
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used: store.prune keeps it
    try:
        return KnowledgeBase(store=Store(db, lambda: _rebuilt(path, data_dir, cache, known)))
    except sqlite3.Error:  # cannot happen: the rebuilt store was written from verified payloads
        return None


def _rewritten(path: Path, entries: list[FileEntry], ranks: dict[str, int]) -> sqlite3.Connection:
    """A new store from the files just read (the versions a damaged store holds, at its ranks), put
    in its place: how a command that read every file (`validate`) recovers from a damaged store."""
    return _replaced(path, [(ranks[entry.name], entry.store_rows()) for entry in entries])


def _replaced(path: Path, rows: list[tuple[int, store.FileRows]]) -> sqlite3.Connection:
    """The store at `path` written anew from these (rank, rows), and opened for reading."""
    temporary = store.temporary_next_to(path)
    try:
        store.write_to(temporary, sorted(rows, key=lambda item: item[0]))
        store.publish(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return store.open_for_reading(path)


def _rebuilt(
    path: Path, data_dir: Path, cache: Cache, known: dict[str, tuple[int, store.FileVersion]]
) -> sqlite3.Connection:
    """A new store holding the same snapshot as a damaged one (same files, versions and ranks, so
    the positions a query has already seen still mean the same records), put in its place.

    The payloads come from the file cache, which is authenticated, keyed by the versions the
    store recorded; a file no longer cached is read again if it is still that version."""
    from aiorg.parse import FileEntry, read_entries
    from aiorg.payload import cached_payload

    rows = []
    for name, (rank, version) in sorted(known.items(), key=lambda item: item[1][0]):
        file = data_dir / name
        payload = cached_payload(cache, version.content_key)
        if payload is None:
            problems: list[Problem] = []
            read = read_entries(data_dir, [file], cache, problems, None)
            if problems or [e.key for e in read] != [version.content_key]:
                raise sqlite3.DatabaseError("the store is damaged and its files changed; run the command again")
            payload = read[0].payload
        entry = FileEntry(file, display_path(file), name, version.content_key, version.stat_key, payload)
        rows.append((rank, entry.store_rows()))
    return _replaced(path, rows)


class _NeedsFullLoadError(Exception):
    """The change cannot be applied to the store on its own."""


def _update_store(path: Path, entries: list[FileEntry], gone: list[str]) -> bool:
    """Replace the rows of these (edited or added) files and of removed ones in one transaction
    on the store itself, if the result is consistent; False (and the store untouched) otherwise."""
    try:
        db = store.open_for_update(path)
    except (sqlite3.Error, OSError):
        return False
    try:
        known = store.versions(db)  # again: another process may have updated it meanwhile
        changed = [e for e in entries if e.name not in known or known[e.name][1].content_key != e.key]
        for entry in entries:
            if entry.name in known and known[entry.name][1].content_key == entry.key:
                # touched, not changed: remember its new stat
                store.touch_file(db, known[entry.name][0], store.FileVersion(entry.name, entry.key, entry.stat_key))
        # An edited file of one kind keeps its rows but those of the records that changed; any
        # other is replaced whole. Everything is removed before anything is added (an id may move).
        rows = {entry.name: entry.store_rows() for entry in changed}
        edits = {name: store.changed_records(db, known[name][0], rows[name]) for name in rows if name in known}
        whole = [name for name in rows if edits.get(name) is None]
        parts = [(name, known[name][0], positions) for name, positions in edits.items() if positions is not None]
        previous: dict[str, str] = {}  # ids the removed records had -> their kinds
        for name in [*gone, *whole]:
            if name in known:
                previous.update(store.delete_file(db, known[name][0]))
        for name, rank, positions in parts:
            previous.update(store.delete_records(db, rank, rows[name], positions))
        for name, rank, positions in parts:
            store.insert_records_at(db, rank, rows[name], positions)
        for name in whole:
            new_rank = known[name][0] if name in known else store.free_rank(db, name)
            if new_rank is None:
                raise _NeedsFullLoadError
            store.insert_file(db, new_rank, rows[name])
        refs, spell_ids = _what_changed(changed, edits)
        if not _still_consistent(db, refs, spell_ids, previous):
            raise _NeedsFullLoadError
        db.execute("COMMIT")
        return True
    except (sqlite3.Error, OSError, _NeedsFullLoadError):  # IntegrityError: an id defined twice
        if db.in_transaction:
            db.execute("ROLLBACK")
        return False
    finally:
        db.close()


def _what_changed(changed: list[FileEntry], edits: dict[str, list[int] | None]) -> tuple[list[Reference], set[str]]:
    """The references and spell ids of the changed records: every record of a file replaced whole,
    only the rewritten ones of a file whose changed records alone were replaced (see
    store.changed_records): the others were checked when the store was written."""
    id_at = codec.field_index(Tenure, "id")
    refs: list[Reference] = []
    spell_ids: set[str] = set()
    for entry in changed:
        positions = edits.get(entry.name)
        tenures = entry.payload["records"].get("tenures", ())
        made = _references_of(entry.payload, positions) if positions is not None else None
        refs.extend(entry.payload["refs"] if made is None else made)
        if positions is None:
            spell_ids.update(row[id_at] for row in tenures)
        elif tenures:  # a file of spells only (see store.changed_records)
            spell_ids.update(tenures[at][id_at] for at in positions)
    return refs, spell_ids


def _references_of(payload: dict[str, Any], positions: list[int]) -> list[Reference] | None:
    """The references the records at these positions of a one-kind file make, told by the lines
    each record spans; None when two records start on one line (a flow list), which lines cannot
    tell apart."""
    ((kind, _),) = payload["records"].items()
    starts = [line for line, _ in payload["lines"][kind]]
    if any(later <= earlier for earlier, later in itertools.pairwise(starts)):
        return None
    refs = payload["refs"]
    spans = [(starts[at], starts[at + 1] if at + 1 < len(starts) else math.inf) for at in sorted(set(positions))]
    if len(spans) <= _FEW:  # a pass over the references per record: no look-up per reference
        return [ref for low, high in spans for ref in refs if low <= ref[2] < high]
    chosen = set(positions)
    return [ref for ref in refs if bisect.bisect_right(starts, ref[2]) - 1 in chosen]


#: up to how many changed records `_references_of` finds the references of one record at a time
_FEW = 8


def _still_consistent(
    db: sqlite3.Connection, refs: list[Reference], spell_ids: set[str], previous: dict[str, str]
) -> bool:
    """The cross-file checks a full load runs, limited to what the changed records can affect.

    The store held a consistent knowledge base before, so only these can have broken: references
    from the changed records (`refs`); references from anywhere to ids the changes removed (or gave
    another kind); and the links between changed spells (`spell_ids`, and those in `previous`) and
    the spells they name or that name them. (Checks within one record ran when it was converted.)
    """
    from aiorg.checks import link_problems, parent_cycles

    kb = KnowledgeBase(store=Store(db))
    wanted = {(reference[0], reference[1]) for reference in refs}
    kind_of = kb.kinds_of([*(target for target, _ in wanted), *previous]).get
    if any(kind_of(target) not in kinds for target, kinds in wanted):
        return False
    vanished = [record_id for record_id, kind in previous.items() if kind_of(record_id) != kind]
    if store.referenced(db, vanished):
        return False
    # Spells of the changed records, spells they used to be, and spells that link to any of them.
    touched = {record_id for record_id, kind in previous.items() if kind == "tenures"} | spell_ids
    followers = {t.id for spell_id in touched for t in kb.tenures_by_link.get(spell_id, [])}

    def spell_of(spell_id: str) -> Spell | None:
        spell = kb.by_id.get(spell_id)
        if not isinstance(spell, Tenure):
            return None
        return spell.id, spell.person, spell.firm, spell.replaces, spell.after

    spells = (spell for spell_id in touched | followers if (spell := spell_of(spell_id)) is not None)
    if next(link_problems(spells, spell_of), None) is not None:
        return False

    def parent_of(firm_id: str) -> str | None:
        firm = kb.by_id.get(firm_id)
        return firm.parent if isinstance(firm, Firm) else None

    # A cycle of `parent` links an edit made runs through a changed firm's new parent.
    parents = [reference[0] for reference in refs if reference[4] == "parent"]
    return next(parent_cycles(parents, parent_of), None) is None
