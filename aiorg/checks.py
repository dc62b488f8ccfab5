"""Checks across records: each id defined once, references to records of the right kind, links
between role spells, and quotes found verbatim in their sources."""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from aiorg import codec
from aiorg.convert import QuoteCheck
from aiorg.errors import Problem
from aiorg.fields import Reference
from aiorg.kb import Location
from aiorg.model import RECORD_KINDS, Tenure
from aiorg.names import did_you_mean
from aiorg.parse import FileEntry


@dataclass(slots=True)
class Placed:
    """Where every id is defined and what kind it is, from the payloads of every file."""

    locations: dict[str, Location] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    source_texts: dict[str, Path] = field(default_factory=dict)

    def kind_of(self, record_id: str) -> str | None:
        """The kind of the record with this id."""
        return self.kinds.get(record_id)


def assemble(entries: list[FileEntry], problems: list[Problem]) -> Placed:
    """Place every record of every file, catching ids defined twice."""
    placed = Placed()
    for entry in entries:
        placed.source_texts.update(entry.source_texts())
        for kind, rows in entry.payload["records"].items():
            id_at = codec.field_index(cast(type, RECORD_KINDS[kind]), "id")
            for row, (line, column) in zip(rows, entry.payload["lines"][kind], strict=True):
                _place(placed, kind, row[id_at], Location(entry.display, line, column), problems)
    return placed


def _place(placed: Placed, kind: str, record_id: str, location: Location, problems: list[Problem]) -> None:
    """Record where an id is defined; a problem if it is defined already."""
    previous = placed.locations.get(record_id)
    if previous is not None:
        message = f"duplicate id {record_id!r} (first defined at {previous.path}:{previous.line})"
        problems.append(Problem(location.path, location.line, location.column, message))
        return
    placed.locations[record_id] = location
    placed.kinds[record_id] = kind


def cross_check(placed: Placed, entries: list[FileEntry], check_quotes: bool, problems: list[Problem]) -> None:
    """References, links between role spells and (with check_quotes) quotes, across every file."""
    broken = {record_id for e in entries for record_id in e.payload["broken"]}
    for e in entries:
        references = [ref for ref in e.payload["refs"] if ref[0] not in broken] if broken else e.payload["refs"]
        problems.extend(_check_references(placed, e.display, references))
    at = operator.itemgetter(*(codec.field_index(Tenure, name) for name in _SPELL_FIELDS))
    id_at = codec.field_index(Tenure, "id")
    spells: dict[str, Spell] = {}
    for e in entries:
        for row in e.payload["records"].get("tenures", ()):
            spells.setdefault(row[id_at], at(row))
    for spell_id, message in link_problems(spells.values(), spells.get):
        loc = placed.locations[spell_id]
        problems.append(Problem(loc.path, loc.line, loc.column, f"{spell_id}: {message}"))
    if check_quotes:
        problems.extend(check_quotes_in_sources(placed, [(e.display, e.payload["quotes"]) for e in entries]))


_TARGET_AND_KINDS = operator.itemgetter(0, 1)


def _check_references(kb: Placed, path: str, references: list[Reference]) -> list[Problem]:
    problems = []
    candidates: dict[tuple[str, ...], list[str]] = {}  # ids of each set of kinds, built only on a miss
    # Most references repeat (every spell names its person, firm and source): look each pair up once.
    wrong = {pair for pair in set(map(_TARGET_AND_KINDS, references)) if kb.kind_of(pair[0]) not in pair[1]}
    for target, kinds, line, column, field_name in references if wrong else ():
        if (target, kinds) not in wrong:
            continue
        found = kb.kind_of(target)
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


_WHITESPACE = re.compile(r"\s+")


def normalise_for_quotes(text: str) -> str:
    """Collapse runs of white space, so line wrapping in YAML never breaks a quote."""
    return _WHITESPACE.sub(" ", text).strip()


def quote_in_text(quote: str, text: str) -> bool:
    """True if every '…'-separated part of `quote` appears in `text`, in order."""
    position = 0
    for part in (normalise_for_quotes(p) for p in re.split(r"…|\.\.\.", quote)):
        if not part:
            continue
        found = text.find(part, position)
        if found < 0:
            return False
        position = found + len(part)
    return True


def check_quotes_in_sources(kb: Placed, quotes_by_file: list[tuple[str, list[QuoteCheck]]]) -> list[Problem]:
    """Every quote must appear verbatim in its source's text file."""
    problems = []
    texts: dict[str, str | None] = {}
    found: dict[tuple[str, str], bool] = {}  # many records quote the same passage: search it once
    checks = ((path, *check) for path, quotes in quotes_by_file for check in quotes)
    for path_of_quotes, source, quote, line, column in checks:
        if source not in texts:
            path = kb.source_texts.get(source)
            try:
                texts[source] = normalise_for_quotes(path.read_text(encoding="utf-8")) if path else None
            except (OSError, UnicodeDecodeError) as error:
                loc = kb.locations[source]
                problems.append(Problem(loc.path, loc.line, loc.column, f"cannot read source text {path}: {error}"))
                texts[source] = None
                continue
            if path is None:
                missing = kb.locations.get(source)
                if missing:
                    problems.append(
                        Problem(
                            missing.path,
                            missing.line,
                            missing.column,
                            f"source {source!r} has no 'file', so its quotes cannot be checked",
                        )
                    )
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
