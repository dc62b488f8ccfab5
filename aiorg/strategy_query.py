"""Strategy SQL and how it is run: each fact source's window test and family tree, read over the
records as shown (aiorg.strategy_shown), with the named values it uses bound (the deals that
count in a window, the deals bought jointly). The values built from it are aiorg.strategy_sql's
and aiorg.strategy_scans'; the evidence, aiorg.strategy_evidence's.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Sequence
from typing import Any

from aiorg.kb import KnowledgeBase
from aiorg.model import FirmCategory
from aiorg.queries import Window
from aiorg.strategy_facts import Facts
from aiorg.strategy_joint import joint_deals
from aiorg.strategy_shown import restated

#: the alias of each fact kind's table in the fact sources' SQL (aiorg.strategy_signals)
KIND_ALIAS = {"deals": "d", "tenures": "t", "events": "e", "metrics": "m"}


def in_window(alias: str, field: str, window: Window, idx: str = "") -> str:
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


def query(kb: KnowledgeBase, sql: str, window: Window, roots: Sequence[Any] | None) -> list[tuple[Any, ...]]:
    """Run `sql` over the records as shown (aiorg.strategy_shown: a record whose sources disagree
    counts with its values shown first), binding :since, :until, :roots (a JSON list), :revived
    (strategy_signals.LIVE) and :joint (strategy_signals.JOINT) wherever they occur. The values'
    modules call it as `strategy_query.query`, so that one stand-in (a test's) sees every query."""
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
        rows = query(
            kb,
            f"SELECT d.id, d.seq, d.superseded_by, {in_window('d', 'date', window)} FROM deals d"
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


def tree(roots: list[str] | None) -> str:
    """tree(id, root): every member of each listed firm's family (of `roots` only, when given).
    Given roots are found by id in the records' index (the firms table has none on id), with the
    parent test kept off its index, which would read every firm with no parent (10,000 at 100k
    people) for each of the thirty queries of a strategy page."""
    listed = f"(category IS NULL OR category != '{FirmCategory.MEDIA.value}')"
    if roots is None:
        first = f"parent IS NULL AND {listed}"
    else:
        chosen = "seq IN (SELECT seq FROM records WHERE id IN (SELECT value FROM json_each(:roots)))"
        first = f"+parent IS NULL AND {listed} AND {chosen}"
    return (
        f"WITH RECURSIVE tree(id, root) AS (SELECT id, id FROM firms WHERE {first}"
        " UNION SELECT f.id, tree.root FROM firms f JOIN tree ON f.parent = tree.id)"
    )


def facts_cte(sources: tuple[Facts, ...], window: Window) -> str:
    """facts(seq, firm, key, amount, own) of the given sources, window applied. A unary + on the
    tests' indexed columns keeps SQLite from reading by a one-column index, row by row in random
    order (a test such as `end_cause = 'left'` or `replaces IS NULL` holds for most rows): for a
    few firms it reads the firms' own rows, for all firms it scans once, for role spells the
    covering index in firm order (model.Tenure.COVERING)."""
    arms = [f.sql.format(when=in_window(KIND_ALIAS[f.kind], f.when, window, "+"), idx="+") for f in sources]
    return ", facts AS (" + " UNION ALL ".join(arms) + ")"


#: joins facts to their family: a fact marked `own` counts only for a listed firm itself
JOIN = " FROM facts JOIN tree ON tree.id = facts.firm AND (facts.own = 0 OR tree.id = tree.root)"
#: for a few firms, a test SQLite pushes into each fact source, so it reads only their facts (for
#: many, the pushed-down list is slower than one pass over all firms: see `narrow`)
IN_TREE = " WHERE facts.firm IN (SELECT id FROM tree)"
#: the most roots narrowed to (`narrow`)
FEW = 64


def narrow(roots: list[str] | None) -> list[str] | None:
    """The roots to narrow SQL to: none (all firms) when there are too many to narrow by."""
    return roots if roots is not None and len(roots) <= FEW else None


def source_test(source: Facts, window: Window, idx: str = "") -> str:
    """A shared scan's source's test on a row, window included."""
    admits = in_window(KIND_ALIAS[source.kind], source.when, window, idx)
    return f"{source.test.format(idx=idx)} AND {admits}" if source.test else admits
