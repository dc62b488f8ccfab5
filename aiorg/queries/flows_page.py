"""The first rows of plain `flows` (no --from, no --to), building only those rows.

A move only one row can show, as its own, is "plain": a role spell whose `after` names a spell no
other spell names, of a person no other-than-plain deal moves; or a deal that moves one person to
one buyer from its one firm target, the only deal moving that person, where no spell of that
person follows one at that target. Such a move is in the row of its origin and destination
whatever its sources say (they change its status, not its row) and is merged with no other
(flow_rows.shown_at merges only the moves of one person that leave one spell), so it is grouped
from the store's typed columns without decoding it. The other moves are made as `flows` makes
them (aiorg.queries.flows), and the two are counted together: every row's people, the whole
answer's counts, and the rows' order, where a row's first move (file order: spells, then deals)
breaks ties as in the whole answer. Only the rows shown are built, from their moves."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from aiorg.kb import KnowledgeBase
from aiorg.model import Deal, Tenure
from aiorg.queries.common import Row, first, in_list
from aiorg.queries.flow_rows import FlowAnswer, Key, flow_row, grouped, row_order

#: where a move comes in the whole answer: (0 for a spell, 1 for a deal; its record's seq; its
#: place among the moves made from records, 0 for a plain one)
Position = tuple[int, int, int]

_SHARED = 'SELECT "after" FROM tenures WHERE "after" IS NOT NULL GROUP BY "after" HAVING COUNT(*) > 1'
_DEALS = "SELECT seq, id FROM deals WHERE superseded_by IS NULL AND seq IN (SELECT seq FROM deals_people) ORDER BY seq"


def flows_page(
    kb: KnowledgeBase, limit: int, made: Callable[[list[Tenure], list[Deal]], list[tuple[str, Row, str | None]]]
) -> FlowAnswer | None:
    """The first `limit` rows of plain `flows` and the whole answer's counts; `made` makes the
    rows' entries (flow_rows.shown_at, with the moves of no stated origin) of the moves of these
    spells and deals as `flows` does. None when a row shown does not hold the people its plain
    moves were counted in it (a store whose typed rows disagree with its records)."""
    spells = kb.query('SELECT seq, id, person, firm, "after" FROM tenures ORDER BY seq')
    firm_of = {spell_id: firm for _, spell_id, _, firm, _ in spells}
    shared = {after for (after,) in kb.query(_SHARED)}  # a spell two spells name as `after`
    deals = dict(kb.query(_DEALS))
    people = _by_deal(kb, "deals_people", deals)
    buyers = _by_deal(kb, "deals_buyers", deals)
    targets = _by_deal(kb, "deals_targets", deals, "JOIN firms f ON f.id = x.value")
    moving = Counter(person for moved in people.values() for person in moved)
    followed = {(person, firm_of[after]) for _, _, person, _, after in spells if person in moving and after in firm_of}
    plain_deals: dict[int, tuple[str, str, str]] = {}
    for seq, moved in people.items():
        origins = [firm for firm in targets.get(seq, []) if firm not in moved]
        bought = buyers.get(seq, [])
        single = len(moved) == 1 == len(origins) == len(bought) and moving[moved[0]] == 1
        if single and (moved[0], origins[0]) not in followed:
            plain_deals[seq] = (origins[0], bought[0], moved[0])
    unsure = {person for seq, moved in people.items() if seq not in plain_deals for person in moved}
    # every row's first move and people, the plain moves' first (in file order: each row's first
    # plain move is met first)
    first_at: dict[Key, Position] = {}
    people_in: dict[Key, set[str]] = {}
    plain_spells: dict[int, Key] = {}
    other_spells: list[int] = []
    for seq, _, person, firm, after in spells:
        if after is None or after not in firm_of:
            continue
        if after in shared or person in unsure:
            other_spells.append(seq)
            continue
        key = plain_spells[seq] = (firm_of[after], firm)
        found = people_in.get(key)
        if found is None:
            people_in[key], first_at[key] = {person}, (0, seq, 0)
        else:
            found.add(person)
    for seq, (origin, buyer, person) in plain_deals.items():
        key = (origin, buyer)
        found = people_in.get(key)
        if found is None:
            people_in[key], first_at[key] = {person}, (1, seq, 0)
        else:
            found.add(person)
    # the other moves, made as `flows` makes them
    other_deals = [seq for seq in deals if seq not in plain_deals]
    decoded = {**_decoded(kb, "tenures", other_spells), **_decoded(kb, "deals", other_deals)}
    others = made(
        [record for record, _ in decoded.values() if isinstance(record, Tenure)],
        [record for record, _ in decoded.values() if isinstance(record, Deal)],
    )
    placed: list[tuple[Position, tuple[str, Row, str | None]]] = []
    unstated: set[str] = set()
    for place, entry in enumerate(others, start=1):
        _, position = decoded[str(entry[1]["evidence"])]
        position = (position[0], position[1], place)
        key, person = _key(entry), str(entry[1]["person"])
        found = people_in.get(key)
        if found is None:
            people_in[key], first_at[key] = {person}, position
        else:
            found.add(person)
            first_at[key] = min(first_at[key], position)
        if key[0] is None:
            unstated.add(person)
        placed.append((position, entry))
    keys = _first_keys(kb, people_in, first_at, first(limit, len(people_in)))
    shown = set(keys)
    page_records = {
        **_decoded(kb, "tenures", [seq for seq, key in plain_spells.items() if key in shown]),
        **_decoded(kb, "deals", [seq for seq, (o, b, _) in plain_deals.items() if (o, b) in shown]),
    }
    plain = made(
        [record for record, _ in page_records.values() if isinstance(record, Tenure)],
        [record for record, _ in page_records.values() if isinstance(record, Deal)],
    )
    placed += [(page_records[str(entry[1]["evidence"])][1], entry) for entry in plain]
    entries = grouped(kb, [entry for _, entry in sorted(placed, key=lambda item: item[0]) if _key(entry) in shown])
    page = [flow_row(kb, key, entries[key]) for key in keys]
    if any(set(row["people"]) != people_in[(row["origin"], row["destination"])] for row in page):
        return None
    everyone = set().union(*people_in.values())
    summed = sum(map(len, people_in.values()))
    return FlowAnswer(page, len(everyone), len(unstated), len(people_in), summed)


def _key(entry: tuple[str, Row, str | None]) -> Key:
    origin = entry[1]["origin"]
    return (str(origin) if origin is not None else None, entry[0])


def _by_deal(kb: KnowledgeBase, table: str, deals: dict[int, Any], join: str = "") -> dict[int, list[str]]:
    """The values of a deal list field per candidate deal (in no particular order)."""
    found: dict[int, list[str]] = {}
    for seq, value in kb.query(f"SELECT x.seq, x.value FROM {table} x {join}"):
        if seq in deals:
            found.setdefault(seq, []).append(str(value))
    return found


def _decoded(kb: KnowledgeBase, kind: str, seqs: list[int]) -> dict[str, tuple[Any, Position]]:
    """The records of a kind at these seqs by id, in file order, each with its place among the
    moves (`Position`, its own moves' order within it left 0)."""
    found: dict[str, tuple[Any, Position]] = {}
    order = 0 if kind == "tenures" else 1
    for start in range(0, len(seqs), 5000):
        chunk = seqs[start : start + 5000]
        for seq, data in kb.select_tuples(kind, f"seq IN {in_list(chunk)}", tuple(chunk)):
            record = kb.decoded(kind, seq, data)
            found[record.id] = (record, (order, seq, 0))
    return found


def _first_keys(
    kb: KnowledgeBase, people_in: dict[Key, set[str]], first_at: dict[Key, Position], count: int
) -> list[Key]:
    """The keys of the first `count` rows, ordered as flow_rows.ordered orders the whole answer:
    only the rows of the largest sizes that reach `count` are sorted by name."""
    sizes = Counter(map(len, people_in.values()))
    reached, least = 0, 0
    for size in sorted(sizes, reverse=True):
        if reached >= count:
            break
        reached, least = reached + sizes[size], size
    if count == 0:
        return []
    chosen = [key for key, found in people_in.items() if len(found) >= least]
    names = kb.names_of(firm for key in chosen for firm in key if firm is not None)
    chosen.sort(key=lambda key: row_order(key, len(people_in[key]), names, first_at[key]))
    return chosen[:count]
