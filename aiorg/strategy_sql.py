"""Strategy signals from the store: values aggregated per firm family (the facts behind them and
the stated labels are read by aiorg.strategy_evidence).

A firm family is a listed firm (no parent, not a media outlet) and every unit below it. For a few
firms, the recursive `tree(id, root)` maps each member to its listed firm and SQL groups each
fact source by `root`, reading those families' facts only. For all firms (the matrix), each fact
source is read once and rolled up here by the same map as a dict (`_members`); the sources that
share a scan (strategy_signals.Scan) are read in one pass over it: role spells, the bulk of the
facts, counted per firm in SQL first, and a deal's buyers fact by fact.
"""

from __future__ import annotations

import functools
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from itertools import compress
from operator import itemgetter
from typing import Any, TypeVar

from aiorg.kb import KnowledgeBase
from aiorg.model import FirmCategory
from aiorg.queries import Window
from aiorg.strategy_joint import joint_deals
from aiorg.strategy_parts import Parts
from aiorg.strategy_shown import restated
from aiorg.strategy_signals import SIGNALS, SPELLS, TABLE, Facts, Signal

_ALIAS = {"deals": "d", "tenures": "t", "events": "e", "metrics": "m"}
Values = dict[str, float]
T = TypeVar("T")


def _admits(alias: str, field: str, window: Window, idx: str = "") -> str:
    """The window test of Window.admits on a fuzzy date's `_lo`/`_hi` columns (:since, :until);
    `idx` "+" keeps SQLite from reading by the date's index."""
    if window.open:
        return "1"
    lo, hi = f"{idx}{alias}.{field}_lo", f"{idx}{alias}.{field}_hi"
    tests = [f"({lo} IS NOT NULL OR {hi} IS NOT NULL)"]  # undated facts only pass an open window
    if window.since is not None:
        tests.append(f"({hi} IS NULL OR {hi} >= :since)")
    if window.until is not None:
        tests.append(f"({lo} IS NULL OR {lo} <= :until)")
    return "(" + " AND ".join(tests) + ")"


def _query(kb: KnowledgeBase, sql: str, window: Window, roots: Sequence[Any] | None) -> list[tuple[Any, ...]]:
    """Run `sql` over the records as shown (aiorg.strategy_shown: a record whose sources disagree
    counts with its values shown first), binding :since, :until, :roots (a JSON list), :revived
    (strategy_signals.LIVE) and :joint (strategy_signals.JOINT) wherever they occur."""
    shown = restated(kb)
    if shown.sql:
        head = "WITH RECURSIVE " if sql.startswith("WITH RECURSIVE ") else "WITH " if sql.startswith("WITH ") else ""
        sql = f"WITH {shown.sql}{', ' if head else ' '}{sql.removeprefix(head)}"
        if head == "WITH RECURSIVE ":
            sql = "WITH RECURSIVE " + sql.removeprefix("WITH ")
    named = {
        "since": window.since.isoformat() if window.since else None,
        "until": window.until.isoformat() if window.until else None,
        "roots": json.dumps(roots),
    }
    found = _NAMED.findall(sql)
    if "revived" in found:
        named["revived"] = _revived(kb, window)
    if "joint" in found:
        named["joint"] = joint_deals(kb)
    bound = tuple(named[match] for match in found)
    return kb.query(_NAMED.sub("?", sql), bound)


_NAMED = re.compile(r":(since|until|roots|revived|joint)\b")


def _revived(kb: KnowledgeBase, window: Window) -> str:
    """The replaced deals that count in the window (a JSON list of their seqs): those none of whose
    successors, one replacing the next, passes it. In an open window every successor passes.
    Found once per knowledge base and window."""
    return kb.remembered(("strategy revived", window), functools.partial(_find_revived, kb, window))


def _find_revived(kb: KnowledgeBase, window: Window) -> str:
    found: list[int] = []
    if not window.open:
        rows = _query(
            kb,
            f"SELECT d.id, d.seq, d.superseded_by, {_admits('d', 'date', window)} FROM deals d"
            " WHERE d.superseded_by IS NOT NULL OR d.id IN (SELECT superseded_by FROM deals)",
            window,
            None,
        )
        after = {deal: successor for deal, _, successor, _ in rows}
        passes = {deal for deal, _, _, admitted in rows if admitted}
        for deal, seq, successor, _ in rows:
            if successor is None:
                continue
            seen = {deal}
            while successor is not None and successor not in seen:
                if successor in passes:
                    break
                seen.add(successor)
                successor = after.get(successor)
            else:
                found.append(seq)
    return json.dumps(sorted(found))


def _tree(roots: list[str] | None) -> str:
    """tree(id, root): every member of each listed firm's family (of `roots` only, when given)."""
    chosen = " AND id IN (SELECT value FROM json_each(:roots))" if roots is not None else ""
    return (
        "WITH RECURSIVE tree(id, root) AS (SELECT id, id FROM firms WHERE parent IS NULL"
        f" AND (category IS NULL OR category != '{FirmCategory.MEDIA.value}'){chosen}"
        " UNION SELECT f.id, tree.root FROM firms f JOIN tree ON f.parent = tree.id)"
    )


def _facts(sources: tuple[Facts, ...], window: Window) -> str:
    """facts(seq, firm, key, amount, own) of the given sources, window applied. A unary + on the
    tests' indexed columns keeps SQLite from reading by a one-column index, row by row in random
    order (a test such as `end_cause = 'left'` or `replaces IS NULL` holds for most rows): for a
    few firms it reads the firms' own rows, for all firms it scans once, for role spells the
    covering index in firm order (model.Tenure.COVERING)."""
    arms = [f.sql.format(when=_admits(_ALIAS[f.kind], f.when, window, "+"), idx="+") for f in sources]
    return ", facts AS (" + " UNION ALL ".join(arms) + ")"


#: joins facts to their family: a fact marked `own` counts only for a listed firm itself
_JOIN = " FROM facts JOIN tree ON tree.id = facts.firm AND (facts.own = 0 OR tree.id = tree.root)"
#: for a few firms, a test SQLite pushes into each fact source, so it reads only their facts (for
#: many, the pushed-down list is slower than one pass over all firms: see `_few`)
_FEW = " WHERE facts.firm IN (SELECT id FROM tree)"
FEW = 64
#: adding 0.0 leaves a sum as it is, so the facts that count nothing are not read back
_NONZERO = " AND facts.amount != 0"


def _few(roots: list[str] | None) -> list[str] | None:
    """The roots to narrow SQL to: none (all firms) when there are too many to narrow by."""
    return roots if roots is not None and len(roots) <= FEW else None


def _only(found: dict[str, T], roots: list[str] | None) -> dict[str, T]:
    """The entries of these roots (all when None)."""
    return found if roots is None else {root: found[root] for root in roots if root in found}


def values(kb: KnowledgeBase, window: Window, roots: list[str] | None = None) -> dict[str, Values]:
    """Signal values of every listed firm with any fact (of `roots` only, when given)."""
    if roots == []:
        return {}
    few = _few(roots)
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
    head, join = _tree(roots), _JOIN + _FEW
    for signal in TABLE:
        name = signal.name
        if signal.combine == "distinct":  # SQLite narrows each source, not their union
            keys: dict[str, set[Any]] = defaultdict(set)
            for source in signal.facts:
                sql = head + _facts((source,), window) + " SELECT DISTINCT tree.root, facts.key" + join
                for root, key in _query(kb, sql, window, roots):
                    keys[root].add(key)
            for root, distinct in keys.items():
                found[root][name] = float(len(distinct))
            continue
        for source in signal.facts:
            body = head + _facts((source,), window)
            if signal.combine == "sum":  # in file order, as the amounts read (float sums depend on order)
                sql = body + " SELECT DISTINCT tree.root, facts.seq, facts.amount" + join + _NONZERO
                for root, _, amount in _query(kb, sql + " ORDER BY facts.seq", window, roots):
                    found[root][name] += amount
            elif signal.combine == "max":
                sql = body + " SELECT tree.root, MAX(facts.amount)" + join + " GROUP BY tree.root"
                for root, amount in _query(kb, sql, window, roots):
                    found[root][name] = max(found[root][name], amount)
            else:
                sql = body + " SELECT tree.root, COUNT(DISTINCT facts.seq)" + join + " GROUP BY tree.root"
                for root, number in _query(kb, sql, window, roots):
                    found[root][name] += number
    return dict(found)


def _members(kb: KnowledgeBase) -> dict[str, str]:
    """Each member of a listed firm's family -> that listed firm: `_tree` as a dict."""
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
            spells = kb.remembered(("strategy spells", window), functools.partial(_SpellCounts, kb, window, members))
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


def _shared(kb: KnowledgeBase, window: Window, members: dict[str, str]) -> _Shared:
    """The shared scans' facts, read once per knowledge base and window."""
    return kb.remembered(("strategy shared", window), functools.partial(_Shared, kb, window, members))


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


class _SpellCounts:
    """Per firm with role spells, one count per signal with spell sources (their sum; distinct
    keys for a distinct signal, of one source at most), from one pass over the spells in firm
    order (model.Tenure.COVERING)."""

    def __init__(self, kb: KnowledgeBase, window: Window, members: dict[str, str]) -> None:
        self.column: dict[str, int] = {}
        counts: list[str] = []
        for signal in TABLE:
            spelled = [source for source in signal.facts if source.one_firm]
            if not spelled:
                continue
            if signal.combine not in ("count", "distinct"):
                raise ValueError(f"{signal.name}: role spells are only counted")
            if signal.combine == "distinct" and len(spelled) > 1:
                raise ValueError(f"{signal.name}: one role-spell source at most")
            counted = f"DISTINCT {spelled[0].key}" if signal.combine == "distinct" else "*"
            self.column[signal.name] = len(counts)
            counts.append(" + ".join(f"COUNT({counted}) FILTER (WHERE {_test(source, window)})" for source in spelled))
        self.firms: Sequence[str] = ()
        self.counts: list[tuple[int, ...]] = [() for _ in counts]
        sql = f"SELECT {SPELLS.firm}, {', '.join(counts)} {SPELLS.rows} GROUP BY {SPELLS.firm}"
        rows = _query(kb, sql, window, None) if counts else []
        if rows:
            self.firms, *self.counts = zip(*rows, strict=True)
        self.roots = list(map(members.get, self.firms))
        #: no two firms with spells in one family (as when every family is one firm): no sum to make
        self.apart = len(set(self.roots)) == len(self.roots)

    def families(self, signal: Signal, sizes: Counter[str] | None = None) -> dict[str, int]:
        """The signal's count of spells per family (of one firm only, given the families' `sizes`)."""
        pairs = zip(self.roots, self.counts[self.column[signal.name]], strict=True)
        if sizes is not None:
            return {root: number for root, number in pairs if number and root is not None and sizes[root] == 1}
        if self.apart:
            return {root: number for root, number in pairs if number and root is not None}
        counted: dict[str, int] = defaultdict(int)
        for root, number in pairs:
            if number and root is not None:
                counted[root] += number
        return counted


class _Shared:
    """The sources on a shared scan of rows other than role spells (a deal's buyers), each scan
    read in one pass: per source, each row's family, seq and amount (1 for a count), None where
    the source's test fails or the row's fact already counted for the family."""

    def __init__(self, kb: KnowledgeBase, window: Window, members: dict[str, str]) -> None:
        self.found: dict[int, tuple[list[str | None], Sequence[int], Sequence[Any]]] = {}
        by_scan: dict[int, list[tuple[Facts, str]]] = defaultdict(list)
        for signal in TABLE:
            for source in signal.facts:
                if source.scan is None or source.one_firm:
                    continue
                if signal.combine == "distinct":
                    raise ValueError(f"{signal.name}: distinct keys are not read from a shared scan")
                by_scan[id(source.scan)].append((source, signal.combine))
        for sources in by_scan.values():
            self._read(kb, window, members, sources)

    def _read(
        self, kb: KnowledgeBase, window: Window, members: dict[str, str], sources: list[tuple[Facts, str]]
    ) -> None:
        scan = sources[0][0].scan
        assert scan is not None
        admitted = sorted({_admits(_ALIAS[scan.kind], source.when, window, "+") for source, _ in sources})
        where = " AND ".join(part for part in (scan.where.format(idx="+"), " OR ".join(admitted)) if part)
        picked = [
            f"CASE WHEN {_test(source, window)} THEN {1 if combine == 'count' else source.amount} END"
            for source, combine in sources
        ]
        # in no order: SQLite then reads by the cheaper join; a sum's facts are sorted by seq here
        rows = _query(
            kb, f"SELECT {scan.seq}, {scan.firm}, {', '.join(picked)} {scan.rows} WHERE {where}", window, None
        )
        if not rows:
            return
        seqs = list(map(itemgetter(0), rows))
        roots = list(map(members.get, map(itemgetter(1), rows)))
        picks = [list(map(itemgetter(index), rows)) for index in range(2, 2 + len(sources))]
        columns: list[Sequence[Any]] = list(picks)
        if len(set(seqs)) < len(seqs):  # a fact naming two firms of one family counts once for it
            twice = {seq for seq, number in Counter(seqs).items() if number > 1}
            again = [index for index, seq in enumerate(seqs) if seq in twice]
            columns = [_first(column, seqs, roots, again) for column in picks]
        for (source, _), column in zip(sources, columns, strict=True):
            self.found[id(source)] = (roots, seqs, column)

    def counts(self, source: Facts) -> Counter[str]:
        """The source's count per family."""
        roots, _, column = self.found.get(id(source), ([], (), ()))
        counted: Counter[Any] = Counter(compress(roots, column))
        counted.pop(None, None)
        return counted

    def facts(self, source: Facts) -> list[tuple[str, Any]]:
        """(family, amount) of the source's facts that add something, in file order."""
        roots, seqs, column = self.found.get(id(source), ([], (), ()))
        ordered = sorted(compress(zip(seqs, roots, column, strict=True), column), key=itemgetter(0))
        return [(root, amount) for _, root, amount in ordered if root is not None]


def _first(column: Sequence[Any], seqs: Sequence[int], roots: list[str | None], again: list[int]) -> list[Any]:
    """The column with None where a row's fact (of a seq in rows `again`) already counted for its
    family in an earlier row."""
    found = list(column)
    seen: set[tuple[int, str | None]] = set()
    for index in again:
        if found[index] is not None:
            if (seqs[index], roots[index]) in seen:
                found[index] = None
            seen.add((seqs[index], roots[index]))
    return found


def _test(source: Facts, window: Window, idx: str = "") -> str:
    """A shared scan's source's test on a row, window included."""
    admits = _admits(_ALIAS[source.kind], source.when, window, idx)
    return f"{source.test.format(idx=idx)} AND {admits}" if source.test else admits


def _rows(
    kb: KnowledgeBase, window: Window, source: Facts, members: dict[str, str], combine: str = ""
) -> Iterator[tuple[int, str, Any, Any]]:
    """(seq, root, key, amount) of a fact source's facts on the families they count for: in seq
    order unless for a distinct count, and for a sum only those that add something (_NONZERO)."""
    sql = "WITH " + _facts((source,), window).removeprefix(", ") + " SELECT seq, firm, own, key, amount FROM facts"
    sql += (" WHERE" + _NONZERO.removeprefix(" AND") if combine == "sum" else "") + (
        "" if combine == "distinct" else " ORDER BY seq"
    )
    root_of = members.get
    for seq, firm, own, key, amount in _query(kb, sql, window, None):
        root = root_of(firm)
        if root is not None and (own == 0 or firm == root):  # as _JOIN
            yield seq, root, key, amount


def _distinct(
    kb: KnowledgeBase, window: Window, signal: Signal, members: dict[str, str], spells: _SpellCounts | None
) -> dict[str, int]:
    """A distinct signal's value per family. The keys of its role-spell source (one at most) are
    counted per firm in SQL: a family of one firm adds the other sources' keys its spells lack
    (SQL leaves out a fact whose key the firm's spells have); for a family of several firms the
    spells' keys are read."""
    spell = [source for source in signal.facts if source.one_firm]  # one at most (_SpellCounts)
    sizes = Counter(members.values())
    # the other sources' keys but those the fact's firm's spells have: those are among the spell
    # keys counted (a family of one firm) or read below (a family of several firms)
    unspelled = ""
    if spell:  # first whether the firm has a spell of that key at all (most have none: a narrower index
        # answers), then whether one passes the source's test
        held = f"SELECT 1 {SPELLS.rows} WHERE {SPELLS.firm} = facts.firm AND {spell[0].key} = facts.key"
        unspelled = f" AND NOT (EXISTS ({held}) AND EXISTS ({held} AND {_test(spell[0], window, '+')}))"
    pairs: set[tuple[str | None, Any]] = set()  # (family, key)
    for source in signal.facts:
        if source.one_firm:
            continue
        sql = "WITH " + _facts((source,), window).removeprefix(", ")
        rows = _query(kb, sql + f" SELECT firm, own, key FROM facts WHERE key IS NOT NULL{unspelled}", window, None)
        if any(map(itemgetter(1), rows)):  # as _JOIN: a fact marked `own` counts only for a listed firm itself
            rows = [row for row in rows if not row[1] or members.get(row[0]) == row[0]]
        pairs.update(zip(map(members.get, map(itemgetter(0), rows)), map(itemgetter(2), rows), strict=True))
    counted: dict[str, int] = {}
    if spell:
        assert spells is not None, "made for a signal with a role-spell source"
        counted = spells.families(signal, sizes)
        several = [firm for firm, root in members.items() if sizes[root] > 1]
        if several:
            sql = "WITH " + _facts((spell[0],), window).removeprefix(", ") + " SELECT DISTINCT facts.firm, facts.key"
            sql += " FROM facts WHERE facts.firm IN (SELECT value FROM json_each(:roots))"
            pairs.update((members[firm], key) for firm, key in _query(kb, sql, window, several) if key is not None)
    found: Counter[Any] = Counter(map(itemgetter(0), pairs))
    found.pop(None, None)
    for root, number in counted.items():
        found[root] += number
    return found
