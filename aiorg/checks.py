"""Checks across records: each id defined once, references to records of the right kind, links
between role spells, no cycle of firms' parents, and quotes found verbatim in their sources."""

from __future__ import annotations

import itertools
import operator
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from aiorg import codec
from aiorg.errors import Problem
from aiorg.kb import Location
from aiorg.model import RECORD_KINDS, Firm, Source, Tenure
from aiorg.names import did_you_mean

if TYPE_CHECKING:  # types only: listing quotes' places (aiorg.queries.sources) needs no parser
    from aiorg.convert import QuoteCheck
    from aiorg.fields import Reference
    from aiorg.parse import FileEntry


@dataclass(slots=True)
class Placed:
    """Where every id is defined and what kind it is, from the payloads of every file.

    Where each id sits is worked out only when a message needs it (see `location`): a clean
    knowledge base of half a million records never builds half a million locations."""

    kinds: dict[str, str] = field(default_factory=dict)
    source_texts: dict[str, Path] = field(default_factory=dict)
    source_hashes: dict[str, str] = field(default_factory=dict)  # source id -> its `sha256`, where given
    entries: list[FileEntry] = field(default_factory=list)
    _locations: dict[str, Location] | None = None

    def kind_of(self, record_id: str) -> str | None:
        """The kind of the record with this id."""
        return self.kinds.get(record_id)

    def location(self, record_id: str) -> Location | None:
        """Where the record with this id is (first) defined."""
        if self._locations is None:
            self._locations = {}
            for entry, kind, rows in _batches(self.entries):
                for record_id_at, (line, column) in zip(_ids(kind, rows), entry.payload["lines"][kind], strict=True):
                    self._locations.setdefault(record_id_at, Location(entry.display, line, column))
        return self._locations.get(record_id)


def _batches(entries: list[FileEntry]) -> Iterator[tuple[FileEntry, str, list[tuple[Any, ...]]]]:
    for entry in entries:
        for kind, rows in entry.payload["records"].items():
            yield entry, kind, rows


def _ids(kind: str, rows: list[tuple[Any, ...]]) -> Iterator[str]:
    return map(operator.itemgetter(codec.field_index(cast(type, RECORD_KINDS[kind]), "id")), rows)


def _source_hashes(entry: FileEntry) -> dict[str, str]:
    at = codec.field_index(Source, "sha256")
    return {row[0]: row[at] for row in entry.payload["records"].get("sources", ()) if row[at]}


def assemble(entries: list[FileEntry], problems: list[Problem]) -> Placed:
    """Place every record of every file, catching ids defined twice."""
    placed = Placed(entries=entries)
    for entry in entries:
        placed.source_texts.update(entry.source_texts())
        placed.source_hashes.update(_source_hashes(entry))
    kinds = placed.kinds
    for _, kind, rows in _batches(entries):
        before = len(kinds)
        kinds.update(zip(_ids(kind, rows), itertools.repeat(kind)))
        if len(kinds) != before + len(rows):  # an id defined twice: place them one by one
            return _assemble_with_duplicates(entries, problems)
    return placed


def _assemble_with_duplicates(entries: list[FileEntry], problems: list[Problem]) -> Placed:
    placed = Placed(entries=entries)
    for entry in entries:
        placed.source_texts.update(entry.source_texts())
        placed.source_hashes.update(_source_hashes(entry))
    locations: dict[str, Location] = {}
    for entry, kind, rows in _batches(entries):
        for record_id, (line, column) in zip(_ids(kind, rows), entry.payload["lines"][kind], strict=True):
            previous = locations.get(record_id)
            if previous is not None:
                message = f"duplicate id {record_id!r} (first defined at {previous.path}:{previous.line})"
                problems.append(Problem(entry.display, line, column, message))
                continue
            locations[record_id] = Location(entry.display, line, column)
            placed.kinds[record_id] = kind
    placed._locations = locations
    return placed


def cross_check(placed: Placed, entries: list[FileEntry], check_quotes: bool, problems: list[Problem]) -> None:
    """References, links between role spells and (with check_quotes) quotes, across every file."""
    broken = {record_id for e in entries for record_id in e.payload["broken"]}
    # A file whose text could not be read (a YAML syntax error, a bad byte) may define any id: an
    # "unknown id" elsewhere would be noise burying the real problem, so those wait until it reads. An
    # empty or wrongly shaped file was read, defines nothing, and holds nothing back.
    read = {e.display for e in entries}
    lost = {e.display for e in entries if e.payload.get("unread")} | ({p.path for p in problems} - read)
    for e in entries if broken or not _all_references_fit(placed, entries) else ():
        references = [ref for ref in e.payload["refs"] if ref[0] not in broken] if broken else e.payload["refs"]
        problems.extend(_check_references(placed, e.display, references, unknown=not lost))
    at = operator.itemgetter(*(codec.field_index(Tenure, name) for name in _SPELL_FIELDS))
    spells: dict[str, Spell] = {}
    for e in entries:
        rows = e.payload["records"].get("tenures", ())
        before = len(spells)
        spells.update(zip(_ids("tenures", rows), map(at, rows), strict=True))
        if len(spells) != before + len(rows):  # a spell id twice (already a problem): the first one counts
            spells = {}
            for every in entries:
                every_rows = every.payload["records"].get("tenures", ())
                for spell_id, row in zip(_ids("tenures", every_rows), every_rows, strict=True):
                    spells.setdefault(spell_id, at(row))
            break
    for spell_id, message in link_problems(spells.values(), spells.get):
        loc = placed.location(spell_id)
        assert loc is not None  # every spell was placed
        problems.append(Problem(loc.path, loc.line, loc.column, f"{spell_id}: {message}"))
    problems.extend(_parent_cycle_problems(placed, entries))
    if check_quotes:
        problems.extend(check_quotes_in_sources(placed, [(e.display, e.payload["quotes"]) for e in entries]))
        problems.extend(check_archived_texts(placed))


_TARGET_AND_KINDS = operator.itemgetter(0, 1)
_TARGET = operator.itemgetter(0)
_KINDS = operator.itemgetter(1)


def _all_references_fit(placed: Placed, entries: list[FileEntry]) -> bool:
    """The common case, in one pass at C speed: every reference names a record of a kind it
    allows. When not, the caller finds and reports each miss."""
    found: set[tuple[str | None, tuple[str, ...]]] = set()
    for entry in entries:
        references = entry.payload["refs"]
        found.update(zip(map(placed.kinds.get, map(_TARGET, references)), map(_KINDS, references), strict=True))
    return all(kind is not None and kind in kinds for kind, kinds in found)


def _check_references(kb: Placed, path: str, references: list[Reference], unknown: bool = True) -> list[Problem]:
    """A problem for each reference to a record of another kind, and (with `unknown`) to no record."""
    problems = []
    candidates: dict[tuple[str, ...], list[str]] = {}  # ids of each set of kinds, built only on a miss
    # Most references repeat (every spell names its person, firm and source): look each pair up once.
    kind_of = kb.kinds.get
    wrong = {pair for pair in set(map(_TARGET_AND_KINDS, references)) if kind_of(pair[0]) not in pair[1]}
    for target, kinds, line, column, field_name in references if wrong else ():
        if (target, kinds) not in wrong:
            continue
        found = kb.kind_of(target)
        if found is None and not unknown:
            continue
        if found is None:
            if kinds not in candidates:
                candidates[kinds] = [i for i, kind in kb.kinds.items() if kind in kinds]
            hint = did_you_mean(target, candidates[kinds])
            message = f"{field_name}: unknown {' or '.join(kinds)} id {target!r}{hint}"
        else:
            message = f"{field_name}: {target!r} is a {found} record, expected {' or '.join(kinds)}"
        problems.append(Problem(path, line, column, message))
    return problems


# Checks that span fields of one record run as each record is converted; checks that link two
# records run on the plain columns below, so a 100k-person knowledge base is not decoded for them.

_SPELL_FIELDS = ("id", "person", "firm", "replaces", "after")
#: (id, person, firm, replaces, after) of one role spell
Spell = tuple[str, str, str, str | None, str | None]


def link_problems(spells: Iterable[Spell], spell_of: Callable[[str], Spell | None]) -> Iterator[tuple[str, str]]:
    """(spell id, message) for every `replaces` or `after` link that joins spells it should not."""
    for spell_id, person, firm, replaces, after in spells:
        for link, target in (("replaces", replaces), ("after", after)):
            previous = spell_of(target) if target else None
            if previous is not None and previous[1] != person:
                yield spell_id, f"{link} {target}, which is another person's spell"
        replaced = spell_of(replaces) if replaces else None
        if replaced is not None and replaced[2] != firm:
            yield spell_id, f"replaces {replaces} at another firm; use 'after' for a move between firms"


def parent_cycles(starts: Iterable[str], parent_of: Callable[[str], str | None]) -> Iterator[list[str]]:
    """Each cycle of firms' `parent` links reached from the firms `starts`, once, as the firms in
    it in the order the links run (a firm that is its own parent is a cycle of one).

    A cycle that an edit made runs through every firm whose `parent` changed, and so through each
    new parent: after an edit, starting from those finds it."""
    done: set[str] = set()
    for start in starts:
        path: dict[str, int] = {}  # firm -> its place on this walk
        firm: str | None = start
        while firm is not None and firm not in done and firm not in path:
            path[firm] = len(path)
            firm = parent_of(firm)
        if firm is not None and firm in path:  # the walk came back to itself
            yield list(path)[path[firm] :]
        done.update(path)


def _parent_cycle_problems(placed: Placed, entries: list[FileEntry]) -> Iterator[Problem]:
    """A problem for each cycle of `parent` links, at the `parent` field of its firm defined
    first (in file order), naming every firm in the cycle."""
    id_at, parent_at = codec.field_index(Firm, "id"), codec.field_index(Firm, "parent")
    parents: dict[str, str] = {}
    order: dict[str, int] = {}
    for entry in entries:
        for row in entry.payload["records"].get("firms", ()):
            order.setdefault(row[id_at], len(order))
            if row[parent_at] is not None and placed.kinds.get(row[parent_at]) == "firms":
                parents.setdefault(row[id_at], row[parent_at])
    for cycle in parent_cycles(parents, parents.get):
        first = min(cycle, key=order.__getitem__)
        at = cycle.index(first)
        ring = [*cycle[at:], *cycle[:at], first]
        path, line, column = _parent_field(placed, first, parents[first])
        yield Problem(path, line, column, f"parent: {parents[first]!r} makes a cycle: {' -> '.join(ring)}")


def _parent_field(placed: Placed, firm_id: str, parent: str) -> tuple[str, int | None, int | None]:
    """Where a firm's `parent` field is: the first `parent` reference to its parent at or after
    the line the firm starts on, in its file (the firm itself, when it cannot be told)."""
    loc = placed.location(firm_id)
    assert loc is not None  # every firm was placed
    entry = next((e for e in placed.entries if e.display == loc.path), None)
    refs = entry.payload["refs"] if entry is not None else ()
    lines = [(r[2], r[3]) for r in refs if r[4] == "parent" and r[0] == parent and r[2] >= loc.line]
    line, column = min(lines, default=(loc.line, loc.column))
    return loc.path, line, column


_WHITESPACE = re.compile(r"\s+")


def normalise_for_quotes(text: str) -> str:
    """Collapse runs of white space, so line wrapping in YAML never breaks a quote."""
    return _WHITESPACE.sub(" ", text).strip()


def _parts(quote: str) -> list[str]:
    return [part for part in (normalise_for_quotes(p) for p in re.split(r"…|\.\.\.", quote)) if part]


def quote_in_text(quote: str, text: str) -> bool:
    """True if every '…'-separated part of `quote` appears in `text`, in order."""
    position = 0
    for part in _parts(quote):
        found = text.find(part, position)
        if found < 0:
            return False
        position = found + len(part)
    return True


def locate(quote: str, text: str) -> int | None:
    """The locator of a quote: the character offset in `text` (a source's text as it is, not
    normalised) where the quote begins, or None when it is not there. White space matches any
    run of white space, and a quote with '…' begins where its first part does (each later part
    must still follow, as `quote_in_text` requires)."""
    position, start = 0, None
    for part in _parts(quote):
        pattern = r"\s+".join(re.escape(word) for word in part.split(" "))
        match = re.compile(pattern).search(text, position)
        if match is None:
            return None
        start = match.start() if start is None else start
        position = match.end()
    return start


_SOURCE_AND_QUOTE = operator.itemgetter(0, 1)


def _readable(path: Path | None) -> bool:
    """A source's text can be checked: it has a `file`, and the file is there (a knowledge base
    may be shared without its archived texts). A file that is there but cannot be read is a problem."""
    return path is not None and path.exists()


def _all_quotes_found(kb: Placed, quotes_by_file: list[tuple[str, list[QuoteCheck]]]) -> bool:
    """The common case, each distinct (source, quote) searched once: every quoted source with a
    text holds each of its quotes. When not, the caller reports every problem in order."""
    pairs: set[tuple[str, str]] = set()
    for _, quotes in quotes_by_file:
        pairs.update(map(_SOURCE_AND_QUOTE, quotes))
    texts: dict[str, str] = {}
    for source in {source for source, _ in pairs}:
        path = kb.source_texts.get(source)
        if path is None or not _readable(path):
            continue  # unchecked: counted by `quote_tally`, never treated as found
        try:
            texts[source] = normalise_for_quotes(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            return False
    return all(quote_in_text(quote, texts[source]) for source, quote in pairs if source in texts)


def check_quotes_in_sources(kb: Placed, quotes_by_file: list[tuple[str, list[QuoteCheck]]]) -> list[Problem]:
    """Every quote must appear verbatim in its source's text file, when the source has one that is
    there; the quotes of a source without its text are unchecked (see `quote_tally`), not problems."""
    if _all_quotes_found(kb, quotes_by_file):
        return []
    problems = []
    texts: dict[str, str | None] = {}
    found: dict[tuple[str, str], bool] = {}  # many records quote the same passage: search it once
    checks = ((path, *check) for path, quotes in quotes_by_file for check in quotes)
    for path_of_quotes, source, quote, line, column in checks:
        if source not in texts:
            path = kb.source_texts.get(source)
            texts[source] = None
            if path is not None and _readable(path):
                try:
                    texts[source] = normalise_for_quotes(path.read_text(encoding="utf-8"))
                except (OSError, UnicodeDecodeError) as error:
                    loc = kb.location(source)
                    assert loc is not None  # a source with a text file was placed
                    message = f"cannot read source text {path}: {error}"
                    problems.append(Problem(loc.path, loc.line, loc.column, message))
        text = texts[source]
        if text is None:
            continue
        verdict = found.get((source, quote))
        if verdict is None:
            verdict = found[(source, quote)] = quote_in_text(quote, text)
        if not verdict:
            message = f"quote not found verbatim in source {source!r}: {quote[:40]!r}"
            problems.append(Problem(path_of_quotes, line, column, message))
    return problems


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file's bytes, in hex."""
    import hashlib

    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_archived_texts(kb: Placed) -> list[Problem]:
    """A source that gives `sha256` must have an archived text with exactly those bytes."""
    problems = []
    for source, declared in sorted(kb.source_hashes.items()):
        path = kb.source_texts.get(source)
        loc = kb.location(source)
        if path is None or not path.exists() or loc is None:
            continue  # no text to hash: its quotes are unchecked, and counted as such
        try:
            actual = sha256_of(path)
        except OSError:
            continue  # reported by the quote check
        if actual != declared.strip().lower():
            message = f"source {source!r}: the SHA-256 of its text {path} is {actual}, not {declared!r} as given"
            problems.append(Problem(loc.path, loc.line, loc.column, message))
    return problems
