"""The facts behind each firm family's strategy signals, decoded only for the families shown, and
the labels the sources state for a firm or its group; the SQL is aiorg.strategy_query's."""

from __future__ import annotations

import dataclasses
import functools
import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, cast

from aiorg import strategy_query
from aiorg.claims import shown_value
from aiorg.dates import FuzzyDate
from aiorg.kb import KnowledgeBase
from aiorg.model import RECORD_KINDS
from aiorg.queries import Row, Window, first_quote
from aiorg.queries.common import quote_checker, source_lookup
from aiorg.queries.inferred import resting_on, shown_fields
from aiorg.strategy_facts import Facts
from aiorg.strategy_query import IN_TREE, JOIN, facts_cte, in_window, narrow, query, tree
from aiorg.strategy_shown import noted
from aiorg.strategy_shown import shown as shown_record
from aiorg.strategy_signals import TABLE


@dataclass(slots=True)
class Evidence:
    """One fact behind a signal."""

    signal: str
    record: str
    date: FuzzyDate | None
    text: str
    source: str
    quote: str
    #: whether the quote is in its source's archived text: found, not found, or unchecked (the
    #: source has no text to look in), as aiorg.queries.sources.SourceTexts.check says
    checked: str

    def row(self) -> Row:
        """As a JSON-friendly row."""
        return {
            "signal": self.signal,
            "record": self.record,
            "date": self.date.text if self.date else None,
            "text": self.text,
            "source": self.source,
            "quote": self.quote,
            "checked": self.checked,
        }


#: evidence reads as the data does: deals, then role spells, events and metrics, each in file order
_KIND_ORDER = ("deals", "tenures", "events", "metrics")


def _evidence_order() -> dict[int, tuple[int, int]]:
    """For each fact source (by id), its kind's rank and its rank among the facts of one record.

    Within a deal: buyer_deals, the ceiling, money committed, people sought, offers rejected; within
    a spell: departure, advisor move, demotion, appointment, move in."""
    within = {
        "deals": [
            "buyer_deals",
            "money_offered_ceiling_usd",
            "money_committed_usd",
            "people_sought",
            "offers_rejected",
        ],
        "tenures": ["executive_departures", "advisor_moves", "leadership_changes", "people_sought"],
    }
    order: dict[int, tuple[int, int]] = {}
    for signal in TABLE:
        for facts in signal.facts:
            names = within.get(facts.kind, [signal.name])
            rank = names.index(signal.name) * 2 + (facts.when == "start" and signal.name == "leadership_changes")
            order[id(facts)] = (_KIND_ORDER.index(facts.kind), rank)
    return order


ORDER = _evidence_order()
#: up to this many times strategy_query.FEW firms (a page of them, as plain `strategy` shows), the
#: evidence is read FEW firms at a time, each read narrowed to them: at 100k people, 1.1 s for 100
#: firms where one pass over every firm's facts takes 3.5 s (a firm's evidence is the same either way)
CHUNKED = 4


def evidence(kb: KnowledgeBase, window: Window, roots: list[str] | None = None) -> dict[str, list[Evidence]]:
    """The facts behind each listed firm's signals (of `roots` only, when given), as the data reads:
    each record as shown (aiorg.strategy_shown), naming its disputed values and citing the source
    of the first one's value shown first. A line resting on values its record marks inferred
    names them after it ('... (date inferred)', aiorg.queries.inferred): the evidence's `date`
    is bare, and its text is built from the record without marks of its own."""
    found = pending(kb, window, roots)
    build = Builder(kb)
    return {root: [build(line) for line in lines] for root, lines in found.items()}


def evidence_page(
    kb: KnowledgeBase, window: Window, roots: list[str], limit: int | None
) -> tuple[list[tuple[str, Evidence]], int]:
    """The first `limit` facts of `evidence` for these firms (all when None), firm by firm in the
    order of `roots`, each with its firm, and how many there are: each line is counted, but only
    those shown are written out (naming a record's disputes takes most of the time)."""
    found = pending(kb, window, roots)
    lines = [(root, line) for root in roots for line in found.get(root, [])]
    build = Builder(kb)
    return [(root, build(line)) for root, line in lines[:limit]], len(lines)


@dataclass(frozen=True, slots=True)
class Pending:
    """One evidence line before it is written out (`Builder`): its record as recorded and as
    shown, the fact source it comes from, its signal and its text before notes."""

    record: Any
    showing: Any
    source: Facts
    signal: str
    text: str


def pending(kb: KnowledgeBase, window: Window, roots: list[str] | None = None) -> dict[str, list[Pending]]:
    """`evidence`'s lines for each listed firm, in its order, not yet written out."""
    if roots == []:
        return {}
    few = strategy_query.FEW
    if roots is not None and few < len(roots) <= CHUNKED * few:  # a page of firms: a few narrowed reads
        found: dict[str, list[Pending]] = {}
        for start in range(0, len(roots), few):
            found.update(pending(kb, window, roots[start : start + few]))
        return found
    shown = None if roots is None else set(roots)
    roots = narrow(roots)
    head, join = tree(roots), JOIN + (IN_TREE if roots else "")
    hits: list[tuple[str, int, Facts, str]] = []
    seqs: dict[str, set[int]] = defaultdict(set)
    for signal in TABLE:
        for source in signal.facts:
            sql = head + facts_cte((source,), window) + " SELECT DISTINCT tree.root, facts.seq" + join
            for root, seq in query(kb, sql, window, roots):
                if shown is None or root in shown:
                    hits.append((root, seq, source, signal.name))
                    seqs[source.kind].add(seq)
    source_of = source_lookup(kb)
    records: dict[tuple[str, int], tuple[Any, Any]] = {}  # (as recorded, as shown)
    for kind, numbers in seqs.items():
        ordered = sorted(numbers)
        records.update(
            ((kind, seq), (record, shown_record(kind, record, source_of)))
            for seq, record in zip(ordered, _decode(kb, kind, ordered), strict=True)
        )
    _read_named(kb, [(kind, record) for (kind, _), (record, _) in records.items()])
    lines: dict[str, list[tuple[tuple[int, int, int, int], Pending]]] = defaultdict(list)
    for root, seq, source, name in hits:
        record, showing = records[(source.kind, seq)]
        kind_rank, rank = ORDER[id(source)]
        for index, text in enumerate(source.texts(kb, showing, root)):
            lines[root].append(((kind_rank, seq, rank, index), Pending(record, showing, source, name, text)))
    return {root: [line for _, line in sorted(items, key=lambda pair: pair[0])] for root, items in lines.items()}


#: the kinds of record an evidence line names (aiorg.strategy_signals): people, firms, and the
#: spell a person left ('moved in from ...')
_NAMED = frozenset({"people", "firms", "tenures"})


@functools.cache
def _naming(kind: str) -> tuple[str, ...]:
    """The fields of a fact's record of `kind` that refer to a record of a kind its lines name
    (the model's `ref`)."""
    cls = cast(type, RECORD_KINDS[kind])
    return tuple(f.name for f in dataclasses.fields(cls) if _NAMED & set(f.metadata.get("ref", ())))


def _read_named(kb: KnowledgeBase, records: list[tuple[str, Any]]) -> None:
    """Read together the records these facts' lines name, and the firms of the spells their
    people left, so that naming them costs a few queries, not one each."""
    named: list[str] = []
    for kind, record in records:
        for field in _naming(kind):
            found = getattr(record, field)
            named += found if isinstance(found, list) else [found] if isinstance(found, str) else []
    kb.prefetch(named)
    kb.prefetch(
        getattr(kb.by_id.get(record.after), "firm", "") for _, record in records if getattr(record, "after", None)
    )


class Builder:
    """Writes out pending evidence lines: the record's disputes named, what the line rests on
    that is inferred, and the source and quote it cites, with whether the quote was checked."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self._source_of, self._checked = source_lookup(kb), quote_checker(kb)

    def __call__(self, pending: Pending) -> Evidence:
        record, showing, source = pending.record, pending.showing, pending.source
        cited = record.history[-1] if source.kind == "deals" else record
        rests = resting_on(shown_fields(record, showing, self._source_of))  # ' (start inferred)'
        line, other, lent = noted(source.kind, record, pending.text, self._source_of, source.when)
        cites, passage = (other, lent) if other is not None else (cited.source, cited.quote)
        quote = first_quote(list(passage))
        date = getattr(showing, source.when)
        return Evidence(pending.signal, record.id, date, line + rests, cites, quote, self._checked(cites, quote))


def _decode(kb: KnowledgeBase, kind: str, seqs: list[int]) -> list[Any]:
    """The records of a kind at these sequence numbers (sorted), in that order."""
    return kb.select(kind, "seq IN (SELECT value FROM json_each(?))", (json.dumps(seqs),))


def claims_sql(column: str, window: Window, roots: list[str] | None) -> str:
    """SQL giving (listed firm, `column` of claim `c`) for each claim in the window about a listed
    firm (of `roots` only, when given), directly or through a group it belongs to, once each."""
    return tree(roots) + (
        ", own(root, subject) AS (SELECT root, root FROM tree WHERE id = root"
        " UNION ALL SELECT tree.root, g.value FROM tree JOIN firms f ON f.id = tree.id"
        " JOIN firms_groups g ON g.seq = f.seq WHERE tree.id = tree.root)"
        f" SELECT DISTINCT own.root, {column} FROM claims c JOIN claims_subjects s ON s.seq = c.seq"
        " JOIN own ON own.subject = s.value"
        f" WHERE ((c.date_lo IS NULL AND c.date_hi IS NULL) OR {in_window('c', 'date', window)})"
    )


def stated(kb: KnowledgeBase, window: Window, roots: list[str] | None = None) -> dict[str, list[Row]]:
    """What the sources say about each listed firm, directly or through a group it belongs to;
    an undated claim counts in any window."""
    if roots == []:
        return {}
    shown = None if roots is None else set(roots)
    roots = narrow(roots)
    pairs = [
        pair
        for pair in query(kb, claims_sql("c.seq", window, roots), window, roots)
        if shown is None or pair[0] in shown
    ]
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
    checked = quote_checker(kb)
    source_of = source_lookup(kb)
    for root, seq in sorted(pairs, key=lambda pair: pair[1]):
        claim: Any = claims[seq]
        quote = first_quote(claim.quote)
        found[root].append(
            {
                "label": claim.strategy.value,
                "claim": claim.id,
                "text": claim.text,
                "via": [s for s in claim.subjects if s in groups[root]],
                # where sources disagree, the certainty shown first (README, "When sources disagree")
                "certainty": shown_value(claim, "certainty", source_of).value,
                "source": claim.source,
                "quote": quote,
                "checked": checked(claim.source, quote),
            }
        )
    return dict(found)
