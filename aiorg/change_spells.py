"""Telling apart two role spells of one person at one firm in the change feed.

"Zhang Xinhao's spell at StepFun" names no spell when he has two there (a product role, then an
advisor role): the rows of each then name it by its title ("as 'Internal advisor'"), or by its id
when another of those spells has the same title or it has none. A spell is named so when another
spell of its person at its firm is in the knowledge base at either revision, changed or not.

The other spells are found without loading either revision: among the records already parsed
(every record of a file parsed whole, every changed one), else, as a spell that did not change
is at the later revision, by the `person:` lines of the later revision's files that hold role
spells, each line's record block then looked up by its id (aiorg.changes.Side.lookup).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, KeysView, Sequence
from concurrent.futures import Executor
from typing import TYPE_CHECKING, Any

from aiorg import codec
from aiorg.changes_blocks import block_at
from aiorg.model import Tenure

if TYPE_CHECKING:
    from aiorg.changes import Encoded, Pair, Side

#: a `person:` key, written any way (`person: x`, `"person": "x"`, in a flow mapping); no `\b`
#: before it, so the engine skips to each `person` (a 45 MB file of spells: 0.19 s, not 0.65 s)
_PERSON = rb"person['\"]? *: *['\"]?"
_ANY_PERSON = re.compile(_PERSON + rb"([a-z0-9][a-z0-9._-]*)")
#: an `id:` key, written any way: every one in a spell's block (or in a file of another shape)
_ANY_ID = re.compile(rb"\bid['\"]? *: *['\"]?([a-z0-9][a-z0-9._-]*)")
_AT = {name: codec.field_index(Tenure, name) for name in ("id", "person", "firm", "title", "title_zh")}

#: (id, firm, title) of a spell
Spell = tuple[str, str, str | None]


def spell_names(
    pairs: Sequence[Pair], parsed: tuple[Encoded, Encoded], sides: tuple[Side, Side], pool: Executor | None
) -> dict[str, str]:
    """For each role spell among the pairs that shares its person and firm with another spell at
    either revision, how its rows tell it apart: "as 'Internal advisor'" or "[its-id]"."""
    spells = {r.id: r for pair in pairs for r in pair if isinstance(r, Tenure)}
    if not spells:
        return {}
    people = {spell.person for spell in spells.values()}
    groups: dict[tuple[str, str], dict[str, set[str | None]]] = {}  # (person, firm) -> id -> titles
    found = [spell for encoded in parsed for spell in _parsed_spells(encoded, people)]
    # A spell in neither revision's parsed records did not change: it is at the later one too.
    found += _other_spells(sides[1], parsed[1].keys(), people, pool)
    for person, (spell_id, firm, title) in found:
        groups.setdefault((person, firm), {}).setdefault(spell_id, set()).add(title)
    names: dict[str, str] = {}
    for spell_id, spell in spells.items():
        group = groups.get((spell.person, spell.firm), {})
        if not group.keys() - {spell_id}:
            continue
        title = spell.title or spell.title_zh
        others = {t for other, titles in group.items() if other != spell_id for t in titles}
        names[spell_id] = f"as '{title}'" if title and title not in others else f"[{spell_id}]"
    return names


def _parsed_spells(encoded: Encoded, people: set[str]) -> Iterator[tuple[str, Spell]]:
    """(person, spell) of the role spells of these people among one revision's parsed records."""
    for kind, row in encoded.values():
        if kind == "tenures" and row[_AT["person"]] in people:
            yield row[_AT["person"]], _spell(row)


def _other_spells(
    side: Side, parsed: KeysView[str], people: set[str], pool: Executor | None
) -> list[tuple[str, Spell]]:
    """(person, spell) of the other role spells of these people at one revision: each `person:`
    line's record block in the files not parsed whole, looked up by the ids in it (every id in a
    file of another shape)."""
    ids: set[str] = set()
    # a few people: their ids in the pattern (0.08 s for that file); many: every `person:`, then a set
    names = b"|".join(re.escape(i.encode()) for i in sorted(people))
    few = re.compile(_PERSON + b"(" + names + rb")(?![a-z0-9._-])") if len(people) <= 16 else None
    for path, raw in side.files().items():
        if (path in side.parts and side.parts[path] is None) or b"tenures" not in raw:
            continue  # parsed whole (its spells are parsed already), or holds no spell
        for match in (few or _ANY_PERSON).finditer(raw):
            if few is not None or match.group(1).decode() in people:
                block = block_at(raw, side.tops(path, raw), match.start())
                ids.update(i.decode() for i in _ANY_ID.findall(block[1] if block is not None else raw))
    return [
        (record.person, (record.id, record.firm, record.title or record.title_zh))
        for record in side.lookup(ids - parsed, pool).values()
        if isinstance(record, Tenure) and record.person in people
    ]


def _spell(row: Any) -> Spell:
    return row[_AT["id"]], row[_AT["firm"]], row[_AT["title"]] or row[_AT["title_zh"]]
