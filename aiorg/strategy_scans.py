"""The strategy signals' shared scans, for all firms: role spells counted per firm in SQL in one
pass over them all (SpellCounts), and the sources that share a scan of other rows, a deal's
buyers, read fact by fact in one pass (SharedScans); aiorg.strategy_sql rolls them up to the
firm families.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from itertools import compress
from operator import itemgetter
from typing import Any

from aiorg import strategy_query
from aiorg.kb import KnowledgeBase
from aiorg.queries import Window
from aiorg.strategy_facts import Facts, Signal
from aiorg.strategy_query import KIND_ALIAS, in_window, source_test
from aiorg.strategy_signals import SPELLS, TABLE


class SpellCounts:
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
            counts.append(
                " + ".join(f"COUNT({counted}) FILTER (WHERE {source_test(source, window)})" for source in spelled)
            )
        self.firms: Sequence[str] = ()
        self.counts: list[tuple[int, ...]] = [() for _ in counts]
        sql = f"SELECT {SPELLS.firm}, {', '.join(counts)} {SPELLS.rows} GROUP BY {SPELLS.firm}"
        rows = strategy_query.query(kb, sql, window, None) if counts else []
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


class SharedScans:
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
        admitted = sorted({in_window(KIND_ALIAS[scan.kind], source.when, window, "+") for source, _ in sources})
        where = " AND ".join(part for part in (scan.where.format(idx="+"), " OR ".join(admitted)) if part)
        picked = [
            f"CASE WHEN {source_test(source, window)} THEN {1 if combine == 'count' else source.amount} END"
            for source, combine in sources
        ]
        # in no order: SQLite then reads by the cheaper join; a sum's facts are sorted by seq here
        rows = strategy_query.query(
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
