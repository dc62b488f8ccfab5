"""How facts feed a strategy signal: the fact sources (Facts), the rows several of them share
(Scan), and the signal they feed (Signal); the signals themselves are aiorg.strategy_signals.

A fact source is SQL over the store's typed tables that yields, per fact, the record's `seq`,
the `firm` it is about (a listed firm or a unit below one; `own` = 1 when only that firm itself
counts, as for a group it belongs to), a `key` (what a distinct count counts) and an `amount`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from aiorg.kb import KnowledgeBase

#: the evidence line(s) of one decoded record, for the family of one listed firm (its id)
Texts = Callable[[KnowledgeBase, Any, str], list[str]]


@dataclass(frozen=True, slots=True)
class Scan:
    """Rows that several fact sources share, each source a test on them: for all firms, the
    sources of one scan are read in one pass (aiorg.strategy_scans)."""

    kind: str  # the record kind
    rows: str  # FROM ... of the shared rows
    where: str  # what every shared row passes ({idx} before an indexed column), or ""
    seq: str  # the record's seq column
    firm: str  # the firm a row is about
    #: each record names one firm (a role spell is at one firm), so a family's count is the sum of
    #: its firms' counts, counted per firm in SQL: no fact is counted twice
    one_firm: bool = False


@dataclass(frozen=True, slots=True)
class Facts:
    """One way facts feed a signal: which records, dated by which field, and how each reads."""

    kind: str  # the record kind: deals, tenures, events or metrics
    when: str  # the date field the window tests (and the evidence shows)
    sql: str  # SELECT seq, firm, key, amount, own ... with {when} for the window test and {idx} before
    # an indexed column in a test: "+" there, so SQLite reads by firm or scans, never by that column
    texts: Texts  # the evidence line(s) for one decoded record
    # for a source on a shared scan (made by strategy_signals._shared, `sql` from these): the scan, and the test,
    # key and amount on its rows (no test: every row)
    scan: Scan | None = None
    test: str = ""
    key: str = "NULL"
    amount: str = "0"

    def __post_init__(self) -> None:
        if self.scan is not None and self.scan.kind != self.kind:
            raise ValueError(f"a {self.kind} fact source on a scan of {self.scan.kind}")

    @property
    def one_firm(self) -> bool:
        """Each fact names one firm (a role spell is at one firm), so a family's count is the sum
        of its firms' counts: no fact is counted twice."""
        return self.scan is not None and self.scan.one_firm


@dataclass(frozen=True, slots=True)
class Signal:
    """A signal: its name, its definition, the facts that feed it and how they combine.

    count: facts (records) per firm family; sum: amounts, in file order; max: the largest amount
    (0 when none); distinct: distinct keys (a person or product counts once)."""

    name: str
    doc: str
    combine: Literal["count", "sum", "max", "distinct"]
    facts: tuple[Facts, ...]
