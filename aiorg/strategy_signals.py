"""The strategy signals, one table row each: name, definition, the facts that feed it and how
those facts combine.

Each fact source (aiorg.strategy_facts) is SQL over the store's typed tables that yields one row
per fact. Values are aggregated by family root (aiorg.strategy_sql), so `strategy --matrix`
never decodes a record; evidence decodes only the records of the firms it shows.
tests/test_strategy_sql.py checks both against the plain-loop algorithm on random knowledge bases.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from aiorg.kb import KnowledgeBase
from aiorg.model import DEPARTURE_CAUSES, Area, Certainty, DealKind, DealStatus, EndCause, EventKind, RoleKind
from aiorg.money import Bound
from aiorg.strategy_facts import Facts, Scan, Signal, Texts
from aiorg.strategy_joint import partners

#: end causes that count as an executive departure: a move to advisor or a demotion does not
EXECUTIVE_DEPARTURE_CAUSES = DEPARTURE_CAUSES - {EndCause.ADVISOR}
#: deal statuses whose money is committed
COMMITTED_STATUSES = frozenset({DealStatus.AGREED, DealStatus.COMPLETED})


def _in(values: Iterable[str]) -> str:
    """An SQL list of enum values (their text is fixed by the model, never user input)."""
    return "(" + ", ".join(f"'{value}'" for value in sorted(values)) + ")"


def _among(column: str, chosen: Iterable[StrEnum], every: type[StrEnum]) -> str:
    """SQL: `column`, which holds values of the enum `every` (the model checks them), holds one of
    `chosen`. When those are a run of the enum's values in sorted order, a range (two comparisons
    per row, fewer than a list); text sorts in SQLite as in Python, code point by code point."""
    values, picked = sorted(value.value for value in every), sorted(value.value for value in chosen)
    first = values.index(picked[0])
    if len(picked) > 1 and values[first : first + len(picked)] == picked:
        return f"{column} BETWEEN '{picked[0]}' AND '{picked[-1]}'"
    return f"{column} IN {_in(picked)}"


#: a deal bought jointly: its buyers are of more than one family (aiorg.strategy_query binds :joint,
#: see `partners`); no buyer's share is stated, so its amount is no one buyer's money
JOINT = "d.seq IN (SELECT value FROM json_each(:joint))"
_COMMITTED = (
    f"d.amount_value IS NOT NULL AND d.kind != '{DealKind.ASKING_PRICE}' AND d.amount_currency = 'USD'"
    f" AND d.amount_bound NOT IN {_in([Bound.UP_TO, Bound.SEVERAL])} AND d.status IN {_in(COMMITTED_STATUSES)}"
    f" AND NOT {JOINT}"
)
_CEILING = (
    f"d.amount_value IS NOT NULL AND d.kind != '{DealKind.ASKING_PRICE}' AND d.amount_currency = 'USD'"
    f" AND d.amount_bound = '{Bound.UP_TO}'"
)
_CUT = _in([EventKind.SCALED_BACK, EventKind.SHUT_DOWN, EventKind.MERGED])


def _event(kinds: str) -> str:
    return (
        "SELECT e.seq, s.value AS firm, NULL AS key, 0 AS amount, 0 AS own FROM events e"
        f" JOIN events_subjects s ON s.seq = e.seq WHERE {{idx}}e.kind IN {kinds} AND {{when}}"
    )


#: a deal that counts (and its window test): one not replaced, or replaced only by deals outside
#: the window (aiorg.strategy_query binds :revived), so a replaced step counts via its successor
#: when that counts, and on its own when not: its money never counts twice
LIVE = "({idx}d.superseded_by IS NULL OR d.seq IN (SELECT value FROM json_each(:revived)))"
#: role spells, each at one firm
SPELLS = Scan("tenures", "FROM tenures t", "", "t.seq", "t.firm", one_firm=True)
#: a deal the firm is buyer in that counts (LIVE)
BUYING = Scan("deals", "FROM deals d JOIN deals_buyers b ON b.seq = d.seq", LIVE, "d.seq", "b.value")


def _shared(scan: Scan, when: str, test: str, texts: Texts, key: str = "NULL", amount: str = "0") -> Facts:
    """The facts of `scan` that pass `test`, dated by `when`."""
    where = " AND ".join(part for part in (scan.where, test, "{when}") if part)
    sql = (
        f"SELECT {scan.seq}, {scan.firm} AS firm, {key} AS key, {amount} AS amount, 0 AS own {scan.rows} WHERE {where}"
    )
    return Facts(scan.kind, when, sql, texts, scan, test, key, amount)


def _spells(when: str, test: str, texts: Texts, key: str = "NULL") -> Facts:
    """Role spells at the firm that pass `test`, dated by `when`."""
    return _shared(SPELLS, when, test, texts, key)


def _comma(title: str | None) -> str:
    """', Head of product', or nothing for a spell with no title (never ', None')."""
    return f", {title}" if title else ""


def _from(title: str | None) -> str:
    """' from Head of product', or nothing for a spell with no title."""
    return f" from {title}" if title else ""


def _title(deal: Any) -> str:
    return str(deal.title or deal.id)


def _status(deal: Any) -> str:
    return str(deal.status.value)


def _sure(tenure: Any) -> str:
    return "" if tenure.certainty is Certainty.CONFIRMED else f" [{tenure.certainty.value}]"


def _money_text(kb: KnowledgeBase, deal: Any, root: str) -> list[str]:
    """Why a buyer deal's money counts as committed for the family of `root`, or why not."""
    money, status = deal.amount, _status(deal)
    if money is None:
        return [f"not counted: {deal.valuation.describe()} is a valuation, not money paid [{status}] — {_title(deal)}"]
    if deal.kind is DealKind.ASKING_PRICE:
        why = " is the other side's asking price"
    elif money.currency != "USD":
        why = " is not in USD and no exchange rate is known"
    elif money.bound is Bound.UP_TO:
        why = " is a ceiling"
    elif money.bound is Bound.SEVERAL:
        why = " is a magnitude, not a figure"
    elif deal.status not in COMMITTED_STATUSES:
        why = " is not agreed or completed"
    elif others := partners(kb, deal, root):
        why = f", jointly with {', '.join(map(kb.name_of, others))}; share not stated"
    else:
        return [f"{money.describe()} — {_title(deal)} [{status}]"]
    return [f"not counted: {money.describe()}{why} [{status}] — {_title(deal)}"]


def _sought_by_deal(kb: KnowledgeBase, deal: Any, _root: str) -> list[str]:
    people = deal.people or [t for t in deal.targets if t in kb.tenures_by_person]
    return [f"{kb.name_of(person)} via {_title(deal)}" for person in people]


def _moved_in(kb: KnowledgeBase, tenure: Any, _root: str) -> list[str]:
    previous = kb.by_id.get(tenure.after or "")
    return [f"{kb.name_of(tenure.person)} moved in from {kb.name_of(getattr(previous, 'firm', ''))}"]


def _cost(kb: KnowledgeBase, metric: Any, _root: str) -> list[str]:
    return [f"{kb.name_of(metric.subject)}: {metric.metric} {metric.bound} {metric.value:g}"]


_DEPARTED = (
    _among("{idx}t.end_cause", EXECUTIVE_DEPARTURE_CAUSES, EndCause)
    + f" AND {_among('t.kind', [RoleKind.EXECUTIVE, RoleKind.FOUNDER], RoleKind)}"
    + f" AND {_among('t.area', [Area.PRODUCT, Area.COMMERCIAL], Area)}"
)
#: every signal, in the order the README, --matrix and each row's `signals` show them
TABLE: tuple[Signal, ...] = (
    Signal(
        "money_committed_usd",
        "USD amounts of deals the firm is buyer in that are agreed or completed; never valuations, asks, "
        "'up to' ceilings, magnitudes (several billion), or offers, talks, rumours and rejected deals; amounts in "
        "other currencies are not converted, and amounts of deals bought jointly with another firm (not a unit of the "
        "firm's own) or a person are not counted, no buyer's share being stated (the evidence lists what was left out "
        "and why)",
        "sum",
        (
            _shared(
                BUYING,
                "date",
                "(d.amount_value IS NOT NULL OR d.valuation_value IS NOT NULL)",
                _money_text,
                amount=f"CASE WHEN {_COMMITTED} THEN d.amount_value ELSE 0.0 END",
            ),
        ),
    ),
    Signal(
        "money_offered_ceiling_usd",
        "the largest 'up to' ceiling (USD) among the firm's offers, as stated; a ceiling, never added to money "
        "committed",
        "max",
        (
            _shared(
                BUYING,
                "date",
                _CEILING,
                lambda kb, deal, _: [f"{deal.amount.describe()} — {_title(deal)} [{_status(deal)}]"],
                amount="d.amount_value",
            ),
        ),
    ),
    Signal(
        "buyer_deals",
        "deals, offers and attempts with the firm as buyer; a superseded step counts via its successor (on its "
        "own when no successor falls in --since/--until)",
        "count",
        (_shared(BUYING, "date", "", lambda kb, deal, _: [f"{_title(deal)} [{_status(deal)}]"]),),
    ),
    Signal(
        "people_sought",
        "distinct people the firm's deals move or try to move to it, or who moved in from another firm",
        "distinct",
        (
            Facts(
                "deals",
                "date",
                # the people a deal moves; when it names none, the targets that are people with a role
                "SELECT d.seq, b.value AS firm, p.value AS key, 0 AS amount, 0 AS own FROM deals d"
                " JOIN deals_buyers b ON b.seq = d.seq JOIN deals_people p ON p.seq = d.seq"
                f" WHERE {LIVE} AND {{when}}"
                " UNION ALL SELECT d.seq, b.value, g.value, 0, 0 FROM deals d JOIN deals_buyers b ON b.seq = d.seq"
                " JOIN deals_targets g ON g.seq = d.seq"
                f" WHERE {LIVE} AND {{when}}"
                " AND NOT EXISTS (SELECT 1 FROM deals_people p WHERE p.seq = d.seq)"
                " AND EXISTS (SELECT 1 FROM tenures x WHERE x.person = g.value)",
                _sought_by_deal,
            ),
            # The loader refuses an `after` that names no spell, so one that is set names one.
            _spells("start", '{idx}t."after" IS NOT NULL', _moved_in, "t.person"),
        ),
    ),
    Signal(
        "executive_departures",
        "executives or founders in product or commercial roles who left (or are reported to have left); a move "
        "to advisor is not a departure",
        "count",
        (
            _spells(
                "end",
                _DEPARTED,
                lambda kb, t, _: [f"{kb.name_of(t.person)}{_comma(t.title)}: {t.end_cause.value}{_sure(t)}"],
            ),
        ),
    ),
    Signal(
        "advisor_moves",
        "people moved to an advisor role: sidelined but still at the firm, not counted as departures",
        "count",
        (
            _spells(
                "end",
                f"{{idx}}t.end_cause = '{EndCause.ADVISOR}'",
                lambda kb, t, _: [
                    f"{kb.name_of(t.person)} moved to advisor{_from(t.title)}; still at the firm, not a departure"
                    f"{_sure(t)}"
                ],
            ),
        ),
    ),
    Signal(
        "departure_waves",
        "reports of unnamed executive departures",
        "count",
        (
            Facts(
                "events",
                "date",
                _event("('departures')")
                + " UNION ALL SELECT e.seq, f.id, NULL, 0, 1 FROM events e JOIN events_subjects s ON s.seq = e.seq"
                " JOIN firms_groups g ON g.value = s.value JOIN firms f ON f.seq = g.seq"
                " WHERE {idx}e.kind = 'departures' AND {when}",
                lambda kb, event, _: [event.text],
            ),
        ),
    ),
    Signal(
        "product_cutbacks",
        "distinct products of the firm scaled back, shut down or merged away",
        "distinct",
        (
            Facts(
                "events",
                "date",
                "SELECT e.seq, p.maker AS firm, p.id AS key, 0 AS amount, 0 AS own FROM events e"
                f" JOIN events_subjects s ON s.seq = e.seq JOIN products p ON p.id = s.value"
                f" WHERE {{idx}}e.kind IN {_CUT} AND {{when}}",
                lambda kb, event, _: [event.text],
            ),
        ),
    ),
    Signal(
        "pivots",
        "pivot events (a narrower goal or vertical)",
        "count",
        (Facts("events", "date", _event("('pivot')"), lambda kb, event, _: [event.text]),),
    ),
    Signal(
        "reorganisations",
        "reorganisations and newly formed teams",
        "count",
        (Facts("events", "date", _event("('reorganisation', 'team_formed')"), lambda kb, event, _: [event.text]),),
    ),
    Signal(
        "leadership_changes",
        "new executive appointments and demotions",
        "count",
        (
            _spells(
                "end",
                f"{{idx}}t.end_cause = '{EndCause.DEMOTED}'",
                lambda kb, t, _: [f"{kb.name_of(t.person)} demoted{_from(t.title)}{_sure(t)}"],
            ),
            _spells(
                "start",
                "({idx}t.start_lo IS NOT NULL OR {idx}t.start_hi IS NOT NULL)"
                f" AND t.kind = '{RoleKind.EXECUTIVE}' AND {{idx}}t.replaces IS NULL",
                lambda kb, t, _: [
                    f"{kb.name_of(t.person)} appointed {t.title or 'to an untitled role'} [{t.certainty.value}]"
                ],
            ),
        ),
    ),
    Signal(
        "cost_advantage",
        "how many times cheaper than a rival a product was built (1 / cost ratio)",
        "max",
        (
            Facts(
                "metrics",
                "as_of",
                "SELECT m.seq, m.subject AS firm, NULL AS key, 1.0 / m.value AS amount, 0 AS own FROM metrics m"
                " WHERE substr(m.metric, 1, 8) = 'cost_vs_' AND m.value > 0 AND {when}"
                " UNION ALL SELECT m.seq, p.maker, NULL, 1.0 / m.value, 0 FROM metrics m"
                " JOIN products p ON p.id = m.subject"
                " WHERE substr(m.metric, 1, 8) = 'cost_vs_' AND m.value > 0 AND {when}",
                _cost,
            ),
        ),
    ),
    Signal(
        "offers_rejected",
        "offers for the firm or its people that were turned down",
        "count",
        (
            Facts(
                "deals",
                "date",
                "SELECT d.seq, x.value AS firm, NULL AS key, 0 AS amount, 0 AS own FROM deals d"
                " JOIN (SELECT seq, value FROM deals_targets UNION ALL SELECT seq, value FROM deals_people) x"
                # by the status's index: a turned-down offer is rare, so SQLite reads only those
                f" ON x.seq = d.seq WHERE d.status = '{DealStatus.REJECTED}' AND {{when}}",
                lambda kb, deal, _: [f"turned down: {_title(deal)}"],
            ),
        ),
    ),
)
SIGNALS: dict[str, str] = {signal.name: signal.doc for signal in TABLE}
