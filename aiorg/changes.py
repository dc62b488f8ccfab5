"""What changed in the knowledge base between two git revisions, as a feed of semantic rows.

Two whole knowledge bases are never loaded. git names the data files that differ; each such
file, in the usual shape (top-level `kind:` keys over lists of two-space `  - ` records), is cut
into record blocks, and only the blocks whose text is not found in the other version are parsed
(all the changed blocks of one kind as one small document, so a large change is parsed in
chunks on every core, as a load is). A file of another shape is parsed whole, and so is a file
most of whose records changed: that version is then taken from the file cache the loader keeps
(aiorg.cache, keyed by the file's bytes) when it is there, and put there when parsed. Records are
matched by id across every changed file, so a record moved between files is not "removed and
added", and two versions are compared in their encoded form (so `143亿美元` and `$14.3B` are the
same amount). Names for the rows are looked up by id in the files of the later revision (then
the earlier one) without parsing them. What a difference means is decided in aiorg.change_rows.

`compare` reads and parses; `Compared.part` finds the differences of the records whose keys (the
feed's order) lie in a range, so a large feed can be made in two parts on two cores
(aiorg.changes_json); `changes` is the whole feed at once.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from aiorg import codec
from aiorg.cache import Cache
from aiorg.change_rows import CHANGE_KEYS as CHANGE_KEYS  # re-exported: the rows' keys
from aiorg.change_rows import Row, named_needs, needed_ids, order_of, record_order, row_tuples
from aiorg.change_rows import rows_for as rows_for
from aiorg.change_spells import spell_names
from aiorg.change_values import ranking_ids
from aiorg.changes_blocks import (
    ID_LINES,
    Block,
    block_at,
    changed_blocks,
    document,
    find_ids,
    has_id_key,
    split_blocks,
    top_lines,
)
from aiorg.datafiles import gc_paused
from aiorg.errors import DataError, Problem
from aiorg.gitrevs import Repo, Revision
from aiorg.model import RECORD_KINDS, Record
from aiorg.parse import PARALLEL_BYTES, Parsed, parse_bytes
from aiorg.payload import cached_payload

#: a record's kind and encoded form
Entry = tuple[str, tuple[Any, ...]]
#: (kind, encoded record) by record id
Encoded = dict[str, Entry]


@dataclass(frozen=True, slots=True)
class ChangeFeed:
    """The rows of a change feed (each as its values in the order of CHANGE_KEYS) and the two
    revisions it runs between."""

    tuples: list[Row]
    since: Revision
    until: Revision

    @property
    def rows(self) -> list[dict[str, Any]]:
        """The rows as dicts (made anew on each call: a feed of everything holds millions)."""
        return [dict(zip(CHANGE_KEYS, row, strict=True)) for row in self.tuples]


def changes(data_dir: Path, since: str, until: str | None = None, cache: Cache | None = None) -> ChangeFeed:
    """Every semantic change to the knowledge base in `data_dir` from revision `since` to `until`
    (None: the working tree, uncommitted edits included). `cache`: the file cache, for the files
    parsed whole (see the module's docstring)."""
    found = compare(data_dir, since, until, cache).part()
    with gc_paused():
        return ChangeFeed(found.rows(), found.since, found.until)


#: the share of a feed's work that goes before Compared.middle's key: more than half, as the part
#: after it is done in a forked child, which pays for copying every page it touches (at 100k
#: people, everything changed: cut at 0.5, the child took 23.9 CPU-s and this process 18.0 s;
#: at 0.58, 19.2 s and 21.2 s)
FIRST_SHARE = 0.55
#: where a record's rows go in the feed (change_rows.record_order)
Key = tuple[int, str]
Pair = tuple[Record | None, Record | None]


@dataclass(frozen=True, slots=True)
class Differences:
    """The two versions of each record that differs (None where absent), in the feed's order,
    the records their rows name, the sources that rank the earlier versions' claims where they
    differ at the earlier revision (None: not there yet), the two revisions, and how rows tell
    apart two spells of a person at a firm (aiorg.change_spells): a feed (or a part of one)
    before its rows are made."""

    pairs: list[Pair]
    found: dict[str, Record]
    then: dict[str, Record | None]
    since: Revision
    until: Revision
    spells: dict[str, str]

    def rows(self, start: int = 0, stop: int | None = None) -> list[Row]:
        """The rows of pairs[start:stop], in the feed's order."""
        lookup, since, until = self.found.get, self.since.label, self.until.label
        then, spells = self.then, self.spells
        earlier = (lambda i: then[i] if i in then else lookup(i)) if then else lookup
        pairs = self.pairs[start:stop]
        return [row for pair in pairs for row in row_tuples(*pair, lookup, since, until, earlier, spells)]


@dataclass(frozen=True, slots=True)
class Compared:
    """Both revisions' changed records, parsed (encoded, by id), and what is needed to look up
    others: a feed is made from this in parts, each the records whose keys lie in a range."""

    old: Encoded
    new: Encoded
    sides: tuple[Side, Side]  # (before, after)

    def part(self, low: Key | None = None, high: Key | None = None) -> Differences:
        """The differences of the records whose key is at least `low` and below `high` (None: no bound)."""
        before, after = self.sides
        with gc_paused(), _pool(before.size() + after.size()) as pool:
            pairs = _differing(self.old, self.new, low, high)
            found = _resolver(pairs, (self.new, self.old), (after, before), pool)
            spells = spell_names(pairs, (self.old, self.new), self.sides, pool)
            # pairs in the feed's order, so the rows need no sort (a record's rows share its sort key)
            pairs.sort(key=lambda pair: record_order(pair[1] if pair[1] is not None else cast(Record, pair[0])))
        return Differences(pairs, found, _then(pairs, self.old, self.new), before.revision, after.revision, spells)

    def middle(self, at_least: int) -> Key | None:
        """A key that cuts the work of the feed in two (FIRST_SHARE before it), from a sample of
        the differing records, each weighed by its rows (one per differing field, about); None
        when fewer than about `at_least` records differ."""
        ids = list(self.old.keys() | self.new.keys())
        step = max(1, len(ids) // 4096)
        weighed: list[tuple[Key, int]] = []
        for i in ids[::step]:
            was, now = self.old.get(i), self.new.get(i)
            if was != now:
                entry = cast(Entry, now if now is not None else was)
                fields = zip(was[1], now[1], strict=False) if was is not None and now is not None else ()
                weighed.append((order_of(entry[0], i), 1 + sum(a != b for a, b in fields)))
        if len(weighed) * step < at_least:
            return None
        weighed.sort()
        first, total = sum(weight for _, weight in weighed) * FIRST_SHARE, 0
        for key, weight in weighed:
            total += weight
            if total >= first:
                return key
        return None


def compare(data_dir: Path, since: str, until: str | None = None, cache: Cache | None = None) -> Compared:
    """Read and parse what differs between the two revisions (see `changes`)."""
    if not data_dir.is_dir():
        raise DataError([Problem(str(data_dir), None, None, "no such data directory")])
    repo = Repo(data_dir)
    first, last = repo.resolve(since), repo.resolve(until)
    repo.check_order(first, last)
    changed = repo.changed_files(first, last)
    before = Side(repo, first, repo.read(first, [c.path for c in changed if c.before]), cache)
    after = Side(repo, last, repo.read(last, [c.path for c in changed if c.after]), cache)
    for path in before.raw.keys() & after.raw.keys():
        was, now = before.raw[path], after.raw[path]
        parts = changed_blocks(was, now, (before.tops(path, was), after.tops(path, now)))
        # Both versions whole, or both by blocks: a record left out of one side only would look removed or added.
        whole = _mostly(parts[0], was) or _mostly(parts[1], now)
        before.parts[path], after.parts[path] = (None, None) if whole else parts
    for side in (before, after):
        for path in side.raw.keys() - side.parts.keys():
            blocks = split_blocks(side.raw[path], tops=side.tops(path, side.raw[path]))
            side.parts[path] = None if _mostly(blocks, side.raw[path]) else blocks
    with gc_paused(), _pool(before.size() + after.size()) as pool:
        return Compared(before.parse(pool), after.parse(pool), (before, after))


def _mostly(blocks: list[Block] | None, raw: bytes) -> bool:
    """Whether the blocks to parse are most of a file (or it is parsed whole anyway)."""
    return blocks is None or 2 * sum(len(block) for _, block in blocks) >= len(raw)


def _differing(old: Encoded, new: Encoded, low: Key | None, high: Key | None) -> list[Pair]:
    """(before, after) for every record whose encoded form differs and whose key is in [low,
    high); a kind change is two pairs (removed, added), each with its own key."""
    pairs: list[tuple[Entry | None, Entry | None]] = []
    for record_id in old.keys() | new.keys():
        was, now = old.get(record_id), new.get(record_id)
        if was == now:
            continue
        if was is not None and now is not None and was[0] != now[0]:
            pairs += [pair for pair in [(was, None), (None, now)] if _inside(pair, record_id, low, high)]
        elif _inside((was, now), record_id, low, high):
            pairs.append((was, now))
    return [(_decoded(was) if was else None, _decoded(now) if now else None) for was, now in pairs]


def _inside(pair: tuple[Entry | None, Entry | None], record_id: str, low: Key | None, high: Key | None) -> bool:
    if low is None and high is None:
        return True
    entry = pair[1] if pair[1] is not None else pair[0]
    assert entry is not None
    key = order_of(entry[0], record_id)
    return (low is None or key >= low) and (high is None or key < high)


def _decoded(entry: Entry) -> Record:
    kind, row = entry
    return cast(Record, codec.decoder(cast(type, RECORD_KINDS[kind]))(row))


def _then(pairs: list[Pair], old: Encoded, new: Encoded) -> dict[str, Record | None]:
    """The sources ranking the earlier versions' claims that differ between the revisions, as they
    were at the earlier one (None: not there yet); the others are the same at both."""
    ids = {i for was, _ in pairs if was is not None for i in ranking_ids(was)}
    return {i: _decoded(old[i]) if i in old else None for i in ids if i in old or i in new}


def _resolver(
    pairs: list[Pair],
    parsed: tuple[Encoded, Encoded],
    sides: tuple[Side, Side],
    pool: Executor | None,
) -> dict[str, Record]:
    """The records the rows name (a spell's person and firm, the spell it came after), then what
    they need of those (that spell's firm), from the later side first: among the records parsed
    already, else looked up by id."""
    decoded = ({r.id: r for _, r in pairs if r}, {r.id: r for r, _ in pairs if r})
    found: dict[str, Record] = {}
    pending = {i for pair in pairs for record in pair if record is not None for i in needed_ids(record)}
    for round_ in range(2):
        for encoded, known in zip(parsed, decoded, strict=True):
            for i in pending - found.keys():
                if i in encoded:
                    found[i] = known.get(i) or _decoded(encoded[i])
        for side in sides:
            found.update(side.lookup(pending - found.keys(), pool))
        if round_ == 0:
            pending = {i for named in pending if (r := found.get(named)) for i in named_needs(r)} - found.keys()
    return found


@dataclass
class Side:
    """One revision's changed files: their bytes, and the record blocks of them to parse."""

    repo: Repo
    revision: Revision
    raw: dict[str, bytes]
    cache: Cache | None = None
    #: per path: the blocks to parse, or None to parse the whole file
    parts: dict[str, list[Block] | None] = field(default_factory=dict)
    _all_files: dict[str, bytes] | None = None
    _index: dict[str, tuple[str, int]] | None = None
    _tops: dict[str, list[int]] = field(default_factory=dict)

    def display(self, path: str) -> str:
        """How messages name a file at this revision: `data/people.yaml at 1a2b3c4d5e`."""
        return f"{path} at {self.revision.label}"

    def size(self) -> int:
        """Bytes to parse."""
        return sum(
            len(self.raw[path]) if parts is None else sum(len(block) for _, block in parts)
            for path, parts in self.parts.items()
        )

    def parse(self, pool: Executor | None) -> Encoded:
        """Parse the changed blocks (those of each kind as one document) and the files parsed
        whole; DataError with located problems if a record does not convert."""
        by_kind: dict[str, list[bytes]] = {}
        paths_of: dict[str, list[str]] = {}
        out: Encoded = {}
        for path, parts in self.parts.items():
            if parts is None:
                self._add(out, self._whole(self.raw[path], self.display(path), pool), [path])
                continue
            for kind, block in parts:
                by_kind.setdefault(kind, []).append(block)
                paths_of.setdefault(kind, []).append(path)
        for kind, blocks in by_kind.items():
            parsed = self._parsed(document(kind, blocks), f"changed {kind} at {self.revision.label}", pool)
            self._add(out, parsed, sorted(set(paths_of[kind])))
        return out

    def _parsed(self, raw: bytes, display: str, pool: Executor | None) -> Parsed:
        return parse_bytes(raw, display, pool if len(raw) > PARALLEL_BYTES else None)

    def _whole(self, raw: bytes, display: str, pool: Executor | None) -> Parsed:
        """A whole file: from the file cache when this version is there (the entry's MAC is checked
        before it is read), else parsed and put there, as a load does, if it has no problems."""
        if self.cache is None:
            return self._parsed(raw, display, pool)
        key = Cache.digest(raw)
        payload = cached_payload(self.cache, key)
        if payload is not None:
            return Parsed(payload, [])
        parsed = self._parsed(raw, display, pool)
        if not parsed.problems:
            self.cache.put("files", key, parsed.cache_entry())
        return parsed

    def _add(self, out: Encoded, parsed: Parsed, paths: list[str]) -> None:
        if parsed.problems:
            problems: list[Problem] = []
            for path in paths:  # parsed again whole, so each problem has its true place
                problems += self._parsed(self.raw[path], self.display(path), None).problems
            raise DataError(problems or parsed.problems)
        for kind, rows in parsed.payload["records"].items():
            at = codec.field_index(RECORD_KINDS[kind], "id")
            for row in rows:
                out[row[at]] = (kind, tuple(row))

    # --- looking records up by id, for the names in the rows ------------------------------

    def lookup(self, ids: set[str], pool: Executor | None) -> dict[str, Record]:
        """The records with these ids at this revision, found by their `id:` line, parsing only
        their blocks (a file of another shape is parsed whole)."""
        if not ids:
            return {}
        files = self.files()
        by_kind: dict[str, list[bytes]] = {}
        whole: set[str] = set()
        for path, offset in self._locate(ids, files).values():
            block = block_at(files[path], self.tops(path, files[path]), offset)
            if block is None:
                whole.add(path)
            else:
                by_kind.setdefault(block[0], []).append(block[1])
        found: Encoded = {}
        with contextlib.suppress(DataError):  # a record that does not convert has no name to give
            for kind, blocks in by_kind.items():
                self._add(found, self._parsed(document(kind, blocks), f"{kind} at {self.revision.label}", pool), [])
        # An id with no id line of the usual forms (a flow mapping that does not begin with it): its file, whole.
        whole |= {path for path, raw in files.items() if has_id_key(ids - found.keys(), raw)}
        for path in sorted(whole):
            with contextlib.suppress(DataError):
                self._add(found, self._whole(files[path], self.display(path), pool), [])
        return {i: _decoded(found[i]) for i in ids if i in found}

    def files(self) -> dict[str, bytes]:
        """Every data file at this revision, by path (read once)."""
        if self._all_files is None:
            paths = self.repo.files(self.revision)
            self._all_files = {p: self.raw[p] for p in paths if p in self.raw}
            self._all_files |= self.repo.read(self.revision, [p for p in paths if p not in self.raw])
        return self._all_files

    def _locate(self, ids: set[str], files: dict[str, bytes]) -> dict[str, tuple[str, int]]:
        """(path, offset of its id line) for each id found."""
        if len(ids) > 16 and self._index is None:  # many names: index every id line once
            self._index = {}
            for path, raw in files.items():
                for match in ID_LINES.finditer(b"\n" + raw):
                    self._index.setdefault(match.group(1).decode(), (path, match.start()))
        if self._index is not None:
            return {i: self._index[i] for i in ids if i in self._index}
        return find_ids(ids, files)

    def tops(self, path: str, raw: bytes) -> list[int]:
        """The file's top-level lines (see top_lines), found once."""
        if path not in self._tops:
            self._tops[path] = top_lines(raw)
        return self._tops[path]


@contextlib.contextmanager
def _pool(size: int) -> Iterator[Executor | None]:
    """Worker processes when there is much to parse, as a first load uses."""
    if size <= PARALLEL_BYTES or (os.cpu_count() or 1) < 2:
        yield None
        return
    pool = ProcessPoolExecutor(
        mp_context=multiprocessing.get_context("fork"), initializer=_start_worker, initargs=(os.getpid(),)
    )
    try:
        yield pool
    finally:
        pool.shutdown()


def _start_worker(parent: int) -> None:
    """A worker only composes and converts chunks, whose objects reference counting frees, so the
    cycle collector is off: parsing people.yaml at 100k people took 7.4-7.9 s of CPU with it,
    4.7-5.0 s without."""
    from aiorg import store

    store.die_with_parent(parent)
    gc.disable()
