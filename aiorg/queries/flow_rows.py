"""A `flows` answer from its moves: one row per origin and destination, each person's move shown
once at the most specific destination its evidence names, and the moves with no stated origin in
rows of their own, whose origin is None and reads 'not stated' (aiorg.queries.flows makes the
moves)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aiorg.kb import KnowledgeBase
from aiorg.queries.common import Row, family_from
from aiorg.queries.inferred import FLOW_FIELDS, name_text

#: a row's `origin_name` when no firm its people leave is stated (its `origin` is None)
NO_ORIGIN = "not stated"


@dataclass(frozen=True)
class FlowAnswer:
    """`rows`: the flows (aiorg.queries.shapes.FLOW), those with no stated origin included, or
    the first of them (a page); `people`: how many distinct people the whole answer holds (a
    person in two rows counts once); `unstated`: how many distinct people are in its rows with no
    stated origin; `total`: how many rows it has, and `summed`: what their People column sums to
    (when not given, `rows` are the whole answer and these are counted from them)."""

    rows: list[Row]
    people: int
    unstated: int
    total: int = -1
    summed: int = -1

    def __post_init__(self) -> None:
        if self.total < 0:
            object.__setattr__(self, "total", len(self.rows))
        if self.summed < 0:
            object.__setattr__(self, "summed", sum(int(row["count"]) for row in self.rows))


def ancestors(firm: str, units: dict[str, list[str]]) -> set[str]:
    """The firms `firm` is a unit of, up its chain of parents (a cycle ends the walk)."""
    parent_of = {unit: parent for parent, below in units.items() for unit in below}
    found: set[str] = set()
    node = parent_of.get(firm)
    while node is not None and node != firm and node not in found:
        found.add(node)
        node = parent_of.get(node)
    return found


def shown_at(moves: list[Row], units: dict[str, list[str]]) -> list[tuple[str, Row, str | None]]:
    """Each move with the destination of a row that shows it, and the destination it names when
    that is a coarser one (else None). A person's moves that leave one spell (a move's `left`)
    into a firm and into a unit of it (a deal with Meta, a planned role in Meta's
    superintelligence team) are one move: it is shown at the most specific destination, so the
    person is counted once, and the move to the firm is shown on the row of each most specific
    unit the person moves into. A move whose `left` is None (the spell it leaves cannot be told)
    is merged with none: a person who left a firm twice made two moves. A unit is strictly below
    a firm when it is in the firm's family by `units` (the caller leaves out inferred links) and
    the firm is not in its own (a cycle of parents makes no firm finer than another)."""
    families: dict[str, set[str]] = {}

    def family(firm: str) -> set[str]:
        if firm not in families:
            families[firm] = family_from(firm, units)
        return families[firm]

    def key(position: int, move: Row) -> tuple[str, str]:
        left = move["left"]
        return str(move["person"]), str(left) if left is not None else f"#{position}"  # `#n`: no spell id

    reached: dict[tuple[str, str], dict[str, None]] = {}
    for position, move in enumerate(moves):
        reached.setdefault(key(position, move), {})[str(move["destination"])] = None

    def finer(firm: str, among: dict[str, None]) -> list[str]:
        return [other for other in among if other != firm and other in family(firm) and firm not in family(other)]

    shown: list[tuple[str, Row, str | None]] = []
    for position, move in enumerate(moves):
        among = reached[key(position, move)]
        destination = str(move["destination"])
        below = finer(destination, among)
        if not below:
            shown.append((destination, move, None))
        else:
            shown += [(unit, move, destination) for unit in below if not finer(unit, among)]
    return shown


#: a row's moves, grouped: its people, evidence and statuses in the order its moves come, the
#: people of its moves that rest on no inferred person (`stated`), and what its moves infer
Entry = dict[str, list[str]]
#: a row's origin (None: not stated) and the destination it shows
Key = tuple[str | None, str]


def grouped(kb: KnowledgeBase, shown: list[tuple[str, Row, str | None]]) -> dict[Key, Entry]:
    """These moves (`shown_at`) grouped into one entry per origin and destination shown, in the
    order of each one's first move. A move shown at a unit of the firm it names says so after
    its status ('deal agreed (to Meta)')."""
    found: dict[Key, Entry] = {}
    for destination, move, named in shown:
        origin = move["origin"]
        entry = found.setdefault(
            (str(origin) if origin is not None else None, destination),
            {"people": [], "evidence": [], "status": [], "stated": [], "inferred": []},
        )
        status = str(move["status"])
        if named is not None:
            status += f" (to {name_text(kb, named)})"
        for bucket, value in (("people", move["person"]), ("evidence", move["evidence"]), ("status", status)):
            if value not in entry[bucket]:
                entry[bucket].append(str(value))
        if not move["person_inferred"]:
            entry["stated"].append(str(move["person"]))  # a move of theirs that does not rest on an inferred person
        entry["inferred"] += move["inferred"]
    return found


def ordered(kb: KnowledgeBase, counts: dict[Key, int]) -> list[Key]:
    """The keys of rows of these sizes (their counts of people, in the order of each one's first
    move) as the rows are ordered: most people first, then by origin name, a row with no stated
    origin after the others of its size, then by destination name, then by first move. Names are
    the names as the records write them, marked or not, read together (kb.names_of)."""
    names = kb.names_of(firm for key in counts for firm in key if firm is not None)
    position = {key: at for at, key in enumerate(counts)}
    return sorted(counts, key=lambda key: row_order(key, counts[key], names, position[key]))


def row_order(key: Key, size: int, names: dict[str, str], first: Any) -> tuple[Any, ...]:
    """Where the row of `key` with `size` people sorts (`ordered`; a page's first rows are found
    by the same key: aiorg.queries.flows_page): most people first, then by origin name, no stated
    origin after the others of its size, then by destination name, then by its `first` move."""
    return (-size, key[0] is None, names[key[0]] if key[0] is not None else "", names[key[1]], first)


def flow_row(kb: KnowledgeBase, key: Key, entry: Entry) -> Row:
    """The row of one origin and destination from its grouped moves (`grouped`)."""
    source_firm, target_firm = key
    return {
        "origin": source_firm,
        "origin_name": name_text(kb, source_firm) if source_firm is not None else NO_ORIGIN,
        "destination": target_firm,
        "destination_name": name_text(kb, target_firm),
        "count": len(entry["people"]),
        "people": entry["people"],
        "names": [_person_name(kb, p, p in entry["stated"]) for p in entry["people"]],
        "status": entry["status"],
        "inferred": _row_inferred(entry),
        "evidence": entry["evidence"],
    }


def _row_inferred(entry: dict[str, list[str]]) -> list[str]:
    """A row's `inferred`: what one of its moves rests on that is an inference (`FLOW_FIELDS`,
    in that order), `people` when a name in `names` is marked for resting on an inferred person."""
    found = set(entry["inferred"]) | ({"people"} if set(entry["people"]) - set(entry["stated"]) else set())
    return [name for name in FLOW_FIELDS if name in found]


def _person_name(kb: KnowledgeBase, person: str, stated: bool) -> str:
    """A person's name in `names`: marked where the person's record marks its name inferred
    (`name_text`), and after the whole name when every one of the person's moves there rests
    on an inferred person (`stated` is False)."""
    return name_text(kb, person, whole=not stated)
