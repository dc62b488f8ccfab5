"""Strategy signals from the store: values aggregated per firm family (the facts behind them and
the stated labels are read by aiorg.strategy_evidence; the SQL is written and run by
aiorg.strategy_query).

A firm family is a listed firm (no parent, not a media outlet) and every unit below it. For a few
firms, the recursive `tree(id, root)` maps each member to its listed firm and SQL groups each
fact source by `root`, reading those families' facts only. For all firms (the matrix), each fact
source is read once and rolled up here by the same map as a dict (`_members`); the sources that
share a scan (strategy_facts.Scan) are read in one pass over it (aiorg.strategy_scans): role
spells, the bulk of the facts, counted per firm in SQL first, and a deal's buyers fact by fact.
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from operator import itemgetter
from typing import Any, TypeVar

from aiorg import strategy_query
from aiorg.kb import KnowledgeBase
from aiorg.model import FirmCategory
from aiorg.queries import Window
from aiorg.strategy_facts import Facts, Signal
from aiorg.strategy_parts import Parts
from aiorg.strategy_query import IN_TREE, JOIN, facts_cte, narrow, source_test, tree
from aiorg.strategy_scans import SharedScans, SpellCounts
from aiorg.strategy_shown import restated
from aiorg.strategy_signals import SIGNALS, SPELLS, TABLE

Values = dict[str, float]
T = TypeVar("T")

#: adding 0.0 leaves a sum as it is, so the facts that count nothing are not read back
_NONZERO = " AND facts.amount != 0"


def _only(found: dict[str, T], roots: list[str] | None) -> dict[str, T]:
    """The entries of these roots (all when None)."""
    return found if roots is None else {root: found[root] for root in roots if root in found}


def values(kb: KnowledgeBase, window: Window, roots: list[str] | None = None) -> dict[str, Values]:
    """Signal values of every listed firm with any fact (of `roots` only, when given)."""
    if roots == []:
        return {}
    few = narrow(roots)
    found = _few_values(kb, window, few) if few else _by_family(columns(kb, window))
    return _only(found, roots)


def _by_family(found: dict[str, Mapping[str, float]]) -> dict[str, Values]:
    """Values per family from values per signal: every signal, in SIGNALS order."""
    zero = dict.fromkeys(SIGNALS, 0.0)
    values = {root: zero.copy() for root in set().union(*found.values())}
    for name, column in found.items():
        for root, value in column.items():
            values[root][name] = value
    return values


def _few_values(kb: KnowledgeBase, window: Window, roots: list[str]) -> dict[str, Values]:
    """The values of a few listed firms, each fact source read for their families only."""
    found: dict[str, Values] = defaultdict(lambda: dict.fromkeys(SIGNALS, 0.0))
    head, join = tree(roots), JOIN + IN_TREE
    for signal in TABLE:
        name = signal.name
        if signal.combine == "distinct":  # SQLite narrows each source, not their union
            keys: dict[str, set[Any]] = defaultdict(set)
            for source in signal.facts:
                sql = head + facts_cte((source,), window) + " SELECT DISTINCT tree.root, facts.key" + join
                for root, key in strategy_query.query(kb, sql, window, roots):
                    keys[root].add(key)
            for root, distinct in keys.items():
                found[root][name] = float(len(distinct))
            continue
        for source in signal.facts:
            body = head + facts_cte((source,), window)
            if signal.combine == "sum":  # in file order, as the amounts read (float sums depend on order)
                sql = body + " SELECT DISTINCT tree.root, facts.seq, facts.amount" + join + _NONZERO
                for root, _, amount in strategy_query.query(kb, sql + " ORDER BY facts.seq", window, roots):
                    found[root][name] += amount
            elif signal.combine == "max":
                sql = body + " SELECT tree.root, MAX(facts.amount)" + join + " GROUP BY tree.root"
                for root, amount in strategy_query.query(kb, sql, window, roots):
                    found[root][name] = max(found[root][name], amount)
            else:
                sql = body + " SELECT tree.root, COUNT(DISTINCT facts.seq)" + join + " GROUP BY tree.root"
                for root, number in strategy_query.query(kb, sql, window, roots):
                    found[root][name] += number
    return dict(found)


def _members(kb: KnowledgeBase) -> dict[str, str]:
    """Each member of a listed firm's family -> that listed firm: `tree` as a dict."""
    members: dict[str, str] = {}
    units: dict[str, list[str]] = defaultdict(list)
    media = FirmCategory.MEDIA.value
    for firm, parent, category in kb.query("SELECT id, parent, category FROM firms"):
        if parent is not None:
            units[parent].append(firm)
        elif category != media:
            members[firm] = firm
    pending = [firm for firm in members if firm in units]  # listed firms with units
    while pending:
        firm = pending.pop()
        for unit in units.get(firm, ()):
            if unit not in members:
                members[unit] = members[firm]
                pending.append(unit)
    return members


def columns(kb: KnowledgeBase, window: Window, kept: Parts | None = None) -> dict[str, Mapping[str, float]]:
    """Every signal's value for every listed firm with a fact of it (signal -> firm -> value; 0
    for the others), each fact source read once for all firms and rolled up to the families here.
    Role spells (one firm each) are counted per firm in one pass over them all; the sources of
    another shared scan (a deal's buyers) are read in one pass; the other sources, far fewer, are
    read each on its own. Each signal's values are kept beside the store with the files they
    were made from (aiorg.strategy_parts: `kept`, when the caller keeps other parts too), and made
    again only when those change."""
    kept = kept or parts(kb, window)
    return {signal.name: kept.get(signal.name, functools.partial(_column, kb, window, signal)) for signal in TABLE}


def parts(kb: KnowledgeBase, window: Window) -> Parts:
    """The kept parts of the matrix in this window; the tables as shown are made before any part
    is watched being made (see aiorg.strategy_parts)."""
    return Parts(kb, window, before=lambda: restated(kb))


def _column(kb: KnowledgeBase, window: Window, signal: Signal) -> dict[str, float]:
    """One signal's value per family, where a fact counts (as floats: a count's ints are exact)."""
    members = kb.remembered("strategy members", functools.partial(_members, kb))
    combine = signal.combine
    if combine in ("count", "distinct"):
        spells = None
        if any(source.one_firm for source in signal.facts):
            spells = kb.remembered(("strategy spells", window), functools.partial(SpellCounts, kb, window, members))
        if combine == "distinct":
            return {root: float(value) for root, value in _distinct(kb, window, signal, members, spells).items()}
        counts: list[Mapping[str, int]] = [spells.families(signal)] if spells is not None else []
        counts += [_counts(kb, window, source, members) for source in signal.facts if not source.one_firm]
        return {root: float(value) for root, value in (counts[0] if len(counts) == 1 else _added(counts)).items()}
    found: dict[str, float] = {}
    for source in signal.facts:
        facts = _shared(kb, window, members).facts(source) if source.scan is not None else None
        if facts is None:
            facts = list(_once(kb, window, source, members, combine))
        if combine == "max":
            for root, amount in facts:
                found[root] = max(found.get(root, 0.0), amount)
        else:  # in file order, as the amounts read (float sums depend on order)
            for root, amount in facts:
                found[root] = found.get(root, 0.0) + amount
    return found


def _shared(kb: KnowledgeBase, window: Window, members: dict[str, str]) -> SharedScans:
    """The shared scans' facts, read once per knowledge base and window."""
    return kb.remembered(("strategy shared", window), functools.partial(SharedScans, kb, window, members))


def _counts(kb: KnowledgeBase, window: Window, source: Facts, members: dict[str, str]) -> Mapping[str, int]:
    """A counted source's number of facts per family (not a role spell's)."""
    if source.scan is not None:
        return _shared(kb, window, members).counts(source)
    return Counter(root for root, _ in _once(kb, window, source, members, "count"))


def _added(counts: list[Mapping[str, int]]) -> dict[str, int]:
    """The sum of several counts per family."""
    total: dict[str, int] = {}
    for counted in counts:
        for root, number in counted.items():
            total[root] = total.get(root, 0) + number
    return total


def _once(
    kb: KnowledgeBase, window: Window, source: Facts, members: dict[str, str], combine: str
) -> Iterator[tuple[str, Any]]:
    """(family, amount) of a source's facts in file order, a fact naming two firms of one family
    once."""
    last: dict[str, int] = {}  # each family's last fact
    for seq, root, _, amount in _rows(kb, window, source, members, combine):  # in seq order
        if last.get(root) != seq:
            last[root] = seq
            yield root, amount


def _rows(
    kb: KnowledgeBase, window: Window, source: Facts, members: dict[str, str], combine: str = ""
) -> Iterator[tuple[int, str, Any, Any]]:
    """(seq, root, key, amount) of a fact source's facts on the families they count for: in seq
    order unless for a distinct count, and for a sum only those that add something (_NONZERO)."""
    sql = "WITH " + facts_cte((source,), window).removeprefix(", ") + " SELECT seq, firm, own, key, amount FROM facts"
    sql += (" WHERE" + _NONZERO.removeprefix(" AND") if combine == "sum" else "") + (
        "" if combine == "distinct" else " ORDER BY seq"
    )
    root_of = members.get
    for seq, firm, own, key, amount in strategy_query.query(kb, sql, window, None):
        root = root_of(firm)
        if root is not None and (own == 0 or firm == root):  # as JOIN
            yield seq, root, key, amount


def _distinct(
    kb: KnowledgeBase, window: Window, signal: Signal, members: dict[str, str], spells: SpellCounts | None
) -> dict[str, int]:
    """A distinct signal's value per family. The keys of its role-spell source (one at most) are
    counted per firm in SQL: a family of one firm adds the other sources' keys its spells lack
    (SQL leaves out a fact whose key the firm's spells have); for a family of several firms the
    spells' keys are read."""
    spell = [source for source in signal.facts if source.one_firm]  # one at most (SpellCounts)
    sizes = Counter(members.values())
    # the other sources' keys but those the fact's firm's spells have: those are among the spell
    # keys counted (a family of one firm) or read below (a family of several firms)
    unspelled = ""
    if spell:  # first whether the firm has a spell of that key at all (most have none: a narrower index
        # answers), then whether one passes the source's test
        held = f"SELECT 1 {SPELLS.rows} WHERE {SPELLS.firm} = facts.firm AND {spell[0].key} = facts.key"
        unspelled = f" AND NOT (EXISTS ({held}) AND EXISTS ({held} AND {source_test(spell[0], window, '+')}))"
    pairs: set[tuple[str | None, Any]] = set()  # (family, key)
    for source in signal.facts:
        if source.one_firm:
            continue
        sql = "WITH " + facts_cte((source,), window).removeprefix(", ")
        rows = strategy_query.query(
            kb, sql + f" SELECT firm, own, key FROM facts WHERE key IS NOT NULL{unspelled}", window, None
        )
        if any(map(itemgetter(1), rows)):  # as JOIN: a fact marked `own` counts only for a listed firm itself
            rows = [row for row in rows if not row[1] or members.get(row[0]) == row[0]]
        pairs.update(zip(map(members.get, map(itemgetter(0), rows)), map(itemgetter(2), rows), strict=True))
    counted: dict[str, int] = {}
    if spell:
        assert spells is not None, "made for a signal with a role-spell source"
        counted = spells.families(signal, sizes)
        several = [firm for firm, root in members.items() if sizes[root] > 1]
        if several:
            sql = "WITH " + facts_cte((spell[0],), window).removeprefix(", ") + " SELECT DISTINCT facts.firm, facts.key"
            sql += " FROM facts WHERE facts.firm IN (SELECT value FROM json_each(:roots))"
            pairs.update(
                (members[firm], key) for firm, key in strategy_query.query(kb, sql, window, several) if key is not None
            )
    found: Counter[Any] = Counter(map(itemgetter(0), pairs))
    found.pop(None, None)
    for root, number in counted.items():
        found[root] += number
    return found
