"""Role changes gathered into spells: the changes an article tells of one person at one firm are
one spell, unless they cannot be one stint there. A change joins the person's latest spell at the
firm that it fits, else it starts a new spell (its own id), so a return to a firm left earlier
("left A for B ... moved from B back to A") is a spell of its own, and no fact is lost:

- a start dated certainly after the spell's end, or an end dated certainly before its start, or
  a second start or end whose date cannot be the first one's, is another stint;
- a start moved into from another firm than the spell's own start came from is another stint;
- a change that would put the spell `after` itself, directly or through other spells, is another
  stint.

A spell's `date` is the date of its cause (its end, where it has one); `start` is the date of a
start it also holds. Its `after` is the spell holding the departure its start was moved from.
"""

from __future__ import annotations

from dataclasses import replace

from aiorg.draft.facts import CAUSE_RANK, Fact
from aiorg.draft.values import DateMention

#: the causes that start a spell; every other cause ends one
STARTS = ("joined", "appointed")


class Spells:
    """The spells of one article, built one role change at a time, in text order."""

    def __init__(self, keys: dict[int, str]) -> None:
        self._keys = keys
        self._spells: list[Fact] = []
        self._members: dict[int, list[Fact]] = {}  # id(spell) -> its changes, as read
        self._home: dict[int, Fact] = {}  # id(change) -> its spell

    def add(self, change: Fact) -> Fact | None:
        """Put a role change in a spell; return the spell if it is a new one."""
        same = [s for s in self._spells if self._who(s) == self._who(change)]
        spell = next((s for s in reversed(same) if self._fits(s, change)), None)
        if spell is not None:
            self._members[id(spell)].append(change)
            self._home[id(change)] = spell
            spell.extra += change.evidence[:1]
            _sum_up(spell, self._members[id(spell)])
            return None
        spell = replace(change, fields=dict(change.fields), extra=list(change.extra))
        self._spells.append(spell)
        self._members[id(spell)] = [change]
        self._home[id(change)] = spell
        _sum_up(spell, [change])
        return spell

    def link(self) -> None:
        """Give each spell its `after`: the spell holding the departure its start was moved from,
        never itself nor a spell that (through others) comes after it."""
        for spell in self._spells:
            spell.fields.pop("after", None)
        for spell in self._spells:
            left = next((m.fields["after"] for m in self._members[id(spell)] if "after" in m.fields), None)
            before = self._home.get(id(left)) if left is not None else None
            if before is not None and not self._reaches(before, spell):
                spell.fields["after"] = before

    def _who(self, fact: Fact) -> tuple[str, str]:
        return self._keys[fact.fields["person"].start], self._keys[fact.fields["firm"].start]

    def _fits(self, spell: Fact, change: Fact) -> bool:
        members = self._members[id(spell)]
        if any(not _one_stint(m, change) for m in members):
            return False
        moved_from = self._moved_from(change)
        if moved_from is not None and any(
            (other := self._moved_from(m)) is not None and other != moved_from for m in members
        ):
            return False
        return not self._cycles(spell, change)

    def _moved_from(self, change: Fact) -> str | None:
        left = change.fields.get("after")
        return None if left is None else self._keys[left.fields["firm"].start]

    def _cycles(self, spell: Fact, change: Fact) -> bool:
        """Whether putting `change` in `spell` would make a spell come after itself."""
        home = dict(self._home) | {id(change): spell}
        edges: dict[int, set[int]] = {}
        for member in [*self._home_members(), change]:
            left = member.fields.get("after")
            if left is not None and id(left) in home:
                edges.setdefault(id(home[id(member)]), set()).add(id(home[id(left)]))
        return _cyclic(edges)

    def _home_members(self) -> list[Fact]:
        return [m for members in self._members.values() for m in members]

    def _reaches(self, start: Fact, goal: Fact) -> bool:
        """Whether `goal` is `start` or a spell that `start` comes after, through `after` links."""
        seen: set[int] = set()
        at: Fact | None = start
        while at is not None and id(at) not in seen:
            if at is goal:
                return True
            seen.add(id(at))
            at = at.fields.get("after")
        return False


def _one_stint(member: Fact, change: Fact) -> bool:
    """Whether two changes of one person at one firm can be the same stint, by their dates."""
    first: DateMention | None = member.fields["date"]
    second: DateMention | None = change.fields["date"]
    if first is None or second is None:
        return True
    starts = member.fields["cause"] in STARTS, change.fields["cause"] in STARTS
    if starts[0] == starts[1]:  # two starts, or two ends: the same one, told twice
        return first.date.overlaps(second.date)
    start, end = (first, second) if starts[0] else (second, first)
    return not end.date.before(start.date)


def _cyclic(edges: dict[int, set[int]]) -> bool:
    state: dict[int, int] = {}  # 1: on the path, 2: done

    def visit(node: int) -> bool:
        state[node] = 1
        for nxt in edges.get(node, ()):
            if state.get(nxt) == 1 or (nxt not in state and visit(nxt)):
                return True
        state[node] = 2
        return False

    return any(node not in state and visit(node) for node in list(edges))


def _sum_up(spell: Fact, members: list[Fact]) -> None:
    """The spell's fields from its changes: the highest-ranked cause, the date of that cause's kind
    (an end's, where it has one) and the date of the start it holds, the first title."""
    fields = spell.fields
    fields["cause"] = min((m.fields["cause"] for m in members), key=CAUSE_RANK.index)
    starts = [m.fields["date"] for m in members if m.fields["cause"] in STARTS and m.fields["date"]]
    ends = [m.fields["date"] for m in members if m.fields["cause"] not in STARTS and m.fields["date"]]
    if fields["cause"] in STARTS:
        fields["date"], fields["start"] = next(iter(starts), None), None
    else:
        fields["date"], fields["start"] = next(iter(ends), None), next(iter(starts), None)
    fields["title"] = next((m.fields["title"] for m in members if m.fields["title"]), None)
    fields["firm_inferred"] = all(m.fields["firm_inferred"] for m in members)
