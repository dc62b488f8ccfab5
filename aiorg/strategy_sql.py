"""Strategy signals from the store: values aggregated per firm family in SQL, evidence decoded
only for the families shown, and stated labels from the claims that name a firm or its group.

A firm family is a listed firm (no parent, not a media outlet) and every unit below it; the
recursive `tree(id, root)` maps each member to its listed firm, so every fact source is
grouped by `root` in one query for all firms at once.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from typing import Any, TypeVar

from aiorg.kb import KnowledgeBase
from aiorg.model import FirmCategory
from aiorg.queries import Row, Window, first_quote
from aiorg.strategy_signals import ORDER, SIGNALS, TABLE, Evidence, Facts

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


def _query(kb: KnowledgeBase, sql: str, window: Window, roots: list[str] | None) -> list[tuple[Any, ...]]:
    """Run `sql`, binding :since, :until and :roots wherever they occur."""
    named = {
        "since": window.since.isoformat() if window.since else None,
        "until": window.until.isoformat() if window.until else None,
        "roots": json.dumps(roots),
    }
    bound = tuple(named[match] for match in _NAMED.findall(sql))
    return kb.query(_NAMED.sub("?", sql), bound)


_NAMED = re.compile(r":(since|until|roots)\b")


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
    wanted, roots = roots, _few(roots)
    found: dict[str, Values] = defaultdict(lambda: dict.fromkeys(SIGNALS, 0.0))
    head, join = _tree(roots), _JOIN + (_FEW if roots else "")
    members: dict[str, str] | None = None  # firm -> its listed firm, for counts made per firm
    for signal in TABLE:
        name = signal.name
        if signal.combine == "distinct" and roots:  # a few firms: SQLite narrows each source, not their union
            keys: dict[str, set[Any]] = defaultdict(set)
            for source in signal.facts:
                sql = head + _facts((source,), window) + " SELECT DISTINCT tree.root, facts.key" + join
                for root, key in _query(kb, sql, window, roots):
                    keys[root].add(key)
            for root, distinct in keys.items():
                found[root][name] = float(len(distinct))
            continue
        if signal.combine == "distinct":
            sql = head + _facts(signal.facts, window) + " SELECT tree.root, COUNT(DISTINCT facts.key)" + join
            for root, number in _query(kb, sql + " GROUP BY tree.root", window, roots):
                found[root][name] = float(number)
            continue
        for source in signal.facts:
            body = head + _facts((source,), window)
            if signal.combine == "sum":  # in file order, as the amounts read (float sums depend on order)
                sql = body + " SELECT DISTINCT tree.root, facts.seq, facts.amount" + join + _NONZERO
                rows = _query(kb, sql + " ORDER BY facts.seq", window, roots)
                for root, _, amount in rows:
                    found[root][name] += amount
            elif signal.combine == "max":
                sql = body + " SELECT tree.root, MAX(facts.amount)" + join + " GROUP BY tree.root"
                for root, amount in _query(kb, sql, window, roots):
                    found[root][name] = max(found[root][name], amount)
            elif source.one_firm and not roots:  # every firm: counted per firm without the family join
                if members is None:
                    members = dict(_query(kb, head + " SELECT id, root FROM tree", window, None))
                sql = "WITH " + _facts((source,), window).removeprefix(", ")
                sql += " SELECT firm, own, COUNT(DISTINCT seq) FROM facts GROUP BY firm, own"
                for firm, own, number in _query(kb, sql, window, None):
                    root = members.get(firm)
                    if root is not None and (own == 0 or firm == root):  # as _JOIN
                        found[root][name] += number
            else:
                sql = body + " SELECT tree.root, COUNT(DISTINCT facts.seq)" + join + " GROUP BY tree.root"
                for root, number in _query(kb, sql, window, roots):
                    found[root][name] += number
    return _only(dict(found), wanted)


def evidence(kb: KnowledgeBase, window: Window, roots: list[str] | None = None) -> dict[str, list[Evidence]]:
    """The facts behind each listed firm's signals (of `roots` only, when given), as the data reads."""
    if roots == []:
        return {}
    shown = None if roots is None else set(roots)
    roots = _few(roots)
    head, join = _tree(roots), _JOIN + (_FEW if roots else "")
    hits: list[tuple[str, int, Facts, str]] = []
    seqs: dict[str, set[int]] = defaultdict(set)
    for signal in TABLE:
        for source in signal.facts:
            sql = head + _facts((source,), window) + " SELECT DISTINCT tree.root, facts.seq" + join
            for root, seq in _query(kb, sql, window, roots):
                if shown is None or root in shown:
                    hits.append((root, seq, source, signal.name))
                    seqs[source.kind].add(seq)
    records: dict[tuple[str, int], Any] = {}
    for kind, numbers in seqs.items():
        ordered = sorted(numbers)
        records.update(((kind, seq), record) for seq, record in zip(ordered, _decode(kb, kind, ordered), strict=True))
    found: dict[str, list[tuple[tuple[int, int, int, int], Evidence]]] = defaultdict(list)
    for root, seq, source, name in hits:
        record = records[(source.kind, seq)]
        cited = record.history[-1] if source.kind == "deals" else record
        kind_rank, rank = ORDER[id(source)]
        for index, text in enumerate(source.texts(kb, record)):
            item = Evidence(name, record.id, getattr(record, source.when), text, cited.source, first_quote(cited.quote))
            found[root].append(((kind_rank, seq, rank, index), item))
    return {root: [item for _, item in sorted(items, key=lambda pair: pair[0])] for root, items in found.items()}


def _decode(kb: KnowledgeBase, kind: str, seqs: list[int]) -> list[Any]:
    """The records of a kind at these sequence numbers (sorted), in that order."""
    return kb.select(kind, "seq IN (SELECT value FROM json_each(?))", (json.dumps(seqs),))


def stated(kb: KnowledgeBase, window: Window, roots: list[str] | None = None) -> dict[str, list[Row]]:
    """What the sources say about each listed firm, directly or through a group it belongs to;
    an undated claim counts in any window."""
    if roots == []:
        return {}
    shown = None if roots is None else set(roots)
    roots = _few(roots)
    sql = _tree(roots) + (
        ", own(root, subject) AS (SELECT root, root FROM tree WHERE id = root"
        " UNION ALL SELECT tree.root, g.value FROM tree JOIN firms f ON f.id = tree.id"
        " JOIN firms_groups g ON g.seq = f.seq WHERE tree.id = tree.root)"
        " SELECT DISTINCT own.root, c.seq FROM claims c JOIN claims_subjects s ON s.seq = c.seq"
        " JOIN own ON own.subject = s.value"
        f" WHERE ((c.date_lo IS NULL AND c.date_hi IS NULL) OR {_admits('c', 'date', window)})"
    )
    pairs = [pair for pair in _query(kb, sql, window, roots) if shown is None or pair[0] in shown]
    if not pairs:
        return {}
    seqs = sorted({seq for _, seq in pairs})
    claims = dict(zip(seqs, _decode(kb, "claims", seqs), strict=True))
    groups: dict[str, set[str]] = defaultdict(set)
    firms = json.dumps(sorted({root for root, _ in pairs}))
    for firm, group in kb.query(
        "SELECT f.id, g.value FROM firms f JOIN firms_groups g ON g.seq = f.seq"
        " WHERE f.id IN (SELECT value FROM json_each(?))",
        (firms,),
    ):
        groups[firm].add(group)
    found: dict[str, list[Row]] = defaultdict(list)
    for root, seq in sorted(pairs, key=lambda pair: pair[1]):
        claim: Any = claims[seq]
        found[root].append(
            {
                "label": claim.strategy.value,
                "claim": claim.id,
                "text": claim.text,
                "via": [s for s in claim.subjects if s in groups[root]],
                "certainty": claim.certainty.value,
                "source": claim.source,
                "quote": first_quote(claim.quote),
            }
        )
    return dict(found)
