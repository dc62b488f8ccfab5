"""aiorg.strategy (SQL over the store) against its naive twin, on random knowledge bases.

The oracle below is the algorithm strategy used before it read the store by SQL: for each firm,
plain loops over every deal, spell, event, metric and claim of the knowledge base. Each example
writes a generated knowledge base as YAML (the generators of tests/test_oracle.py, enriched with
what the strategy signals read: role kinds and areas, cut-backs, pivots, departures, products,
cost metrics, claims, units of units and media outlets), loads it as the CLI does, and asserts
that classify() for all firms, for each firm, for a label, and matrix() return the oracle's rows,
evidence and float values included.
"""

from __future__ import annotations

import dataclasses
import itertools
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aiorg import claims, strategy, strategy_query, strategy_signals
from aiorg.checks import locate
from aiorg.claims import SourceLookup, shown_value
from aiorg.dates import FuzzyDate
from aiorg.kb import KnowledgeBase
from aiorg.model import (
    DISPUTABLE,
    Area,
    Certainty,
    Deal,
    DealKind,
    DealStatus,
    EndCause,
    EventKind,
    Firm,
    FirmCategory,
    RoleKind,
    Strategy,
    Tenure,
)
from aiorg.money import Bound
from aiorg.queries import ANY_TIME, Row, Window, firm_family, first_quote
from aiorg.queries.common import source_lookup, state_note
from aiorg.strategy import MATRIX_SIGNALS, SIGNALS, Rule, derive_labels, load_rules
from aiorg.strategy_evidence import Evidence
from aiorg.strategy_signals import COMMITTED_STATUSES, EXECUTIVE_DEPARTURE_CAUSES
from tests.test_oracle import DATES, FIRMS, QUOTE, _also, _load, knowledge_bases

R = TypeVar("R", Deal, Tenure)

# --- the oracle: strategy's plain-loop algorithm, as it was before the store ------------------------


@dataclass
class Signals:
    values: dict[str, float] = field(default_factory=lambda: dict.fromkeys(SIGNALS, 0.0))
    evidence: list[Evidence] = field(default_factory=list)

    def add(self, signal: str, amount: float, evidence: Evidence) -> None:
        self.values[signal] += amount
        self.evidence.append(evidence)


Fact = Callable[[str, str, FuzzyDate | None, str, str, list[str]], None]


def firm_signals(kb: KnowledgeBase, firm: Firm, window: Window) -> Signals:
    family = firm_family(kb, firm.id)
    signals = Signals()
    admit = window.admits
    sought: set[str] = set()
    source_of = source_lookup(kb)
    noting: list[Any] = [None]  # the record (as recorded) whose facts are being read

    def fact(
        signal: str, record: str, when: FuzzyDate | None, text: str, source: str, quote: list[str], ending: bool = False
    ) -> None:
        text, source, quote = _noted(noting[0], text, source, quote, source_of, ending)
        shown = first_quote(quote)
        signals.add(signal, 0, Evidence(signal, record, when, text, source, shown, _checked(kb, source, shown)))

    def seek(person: str, record: str, when: FuzzyDate | None, text: str, source: str, quote: list[str]) -> None:
        if person not in sought:
            sought.add(person)
            signals.values["people_sought"] += 1
        fact("people_sought", record, when, text, source, quote)

    shown_deals = {deal.id: _shown(deal, source_of) for deal in kb.deals}
    for recorded in _in_file_order(kb, {d.id: d for f in family for d in kb.deals_by_party.get(f, [])}.values()):
        deal, noting[0] = shown_deals[recorded.id], recorded
        when = deal.date
        if not admit(when):
            continue
        latest = deal.history[-1]
        title = deal.title or deal.id
        if family & set(deal.buyers) and _counts(deal, shown_deals, window):
            signals.values["buyer_deals"] += 1
            fact("buyer_deals", deal.id, when, f"{title} [{deal.status.value}]", latest.source, latest.quote)
            _count_money(signals, deal, fact, [kb.name_of(b) for b in deal.buyers if _top(kb, b) != firm.id])
            for person in deal.people or [t for t in deal.targets if t in kb.tenures_by_person]:
                seek(person, deal.id, when, f"{kb.name_of(person)} via {title}", latest.source, latest.quote)
        if family & {*deal.targets, *deal.people} and deal.status is DealStatus.REJECTED:
            signals.values["offers_rejected"] += 1
            fact("offers_rejected", deal.id, when, f"turned down: {title}", latest.source, latest.quote)
    for spell in _in_file_order(kb, [t for f in family for t in kb.tenures_by_firm.get(f, [])]):
        tenure, noting[0] = _shown(spell, source_of), spell
        who = kb.name_of(tenure.person)
        ended_here = tenure.end_cause is not None and admit(tenure.end)
        sure = "" if tenure.certainty is Certainty.CONFIRMED else f" [{tenure.certainty.value}]"
        if (
            ended_here
            and tenure.end_cause in EXECUTIVE_DEPARTURE_CAUSES
            and tenure.kind in (RoleKind.EXECUTIVE, RoleKind.FOUNDER)
            and tenure.area in (Area.PRODUCT, Area.COMMERCIAL)
        ):
            signals.values["executive_departures"] += 1
            role = f", {tenure.title}" if tenure.title else ""
            text = f"{who}{role}: {tenure.end_cause.value if tenure.end_cause else ''}{sure}"
            fact("executive_departures", tenure.id, tenure.end, text, tenure.source, tenure.quote, ending=True)
        if ended_here and tenure.end_cause is EndCause.ADVISOR:
            signals.values["advisor_moves"] += 1
            role = f" from {tenure.title}" if tenure.title else ""
            text = f"{who} moved to advisor{role}; still at the firm, not a departure{sure}"
            fact("advisor_moves", tenure.id, tenure.end, text, tenure.source, tenure.quote, ending=True)
        if ended_here and tenure.end_cause is EndCause.DEMOTED:
            signals.values["leadership_changes"] += 1
            text = f"{who} demoted{f' from {tenure.title}' if tenure.title else ''}{sure}"
            fact("leadership_changes", tenure.id, tenure.end, text, tenure.source, tenure.quote, ending=True)
        if (
            tenure.start is not None
            and tenure.kind is RoleKind.EXECUTIVE
            and tenure.replaces is None
            and admit(tenure.start)
        ):
            signals.values["leadership_changes"] += 1
            text = f"{who} appointed {tenure.title or 'to an untitled role'} [{tenure.certainty.value}]"
            fact("leadership_changes", tenure.id, tenure.start, text, tenure.source, tenure.quote)
        previous = kb.by_id.get(tenure.after or "")
        if previous is not None and admit(tenure.start):
            text = f"{who} moved in from {kb.name_of(getattr(previous, 'firm', ''))}"
            seek(tenure.person, tenure.id, tenure.start, text, tenure.source, tenure.quote)
    products = {p.id for p in kb.products if p.maker in family}
    groups = set(firm.groups)
    cut: set[str] = set()
    for told in kb.events:
        event = _shown(told, source_of)
        subjects = set(event.subjects)
        if not admit(event.date):
            continue
        text, source, quote = _noted(told, event.text, event.source, event.quote, source_of)
        shown = first_quote(quote)
        evidence = Evidence("", event.id, event.date, text, source, shown, _checked(kb, source, shown))
        if event.kind in (EventKind.SCALED_BACK, EventKind.SHUT_DOWN, EventKind.MERGED) and subjects & products:
            fresh = (subjects & products) - cut
            cut.update(fresh)
            evidence.signal = "product_cutbacks"
            signals.add("product_cutbacks", len(fresh), evidence)
        elif event.kind is EventKind.PIVOT and subjects & family:
            _add(signals, "pivots", evidence)
        elif event.kind in (EventKind.REORGANISATION, EventKind.TEAM_FORMED) and subjects & family:
            _add(signals, "reorganisations", evidence)
        elif event.kind is EventKind.DEPARTURES and subjects & (family | groups):
            _add(signals, "departure_waves", evidence)
    for measure in kb.metrics:
        metric = _shown(measure, source_of)
        if (
            metric.subject in products | family
            and metric.metric.startswith("cost_vs_")
            and metric.value > 0
            and admit(metric.as_of)
        ):
            advantage = 1 / metric.value
            if advantage > signals.values["cost_advantage"]:
                signals.values["cost_advantage"] = advantage
            text, source, quote = _noted(
                measure, f"{kb.name_of(metric.subject)}: {metric.metric} {metric.bound} {metric.value:g}",
                metric.source, metric.quote, source_of,
            )  # fmt: skip
            shown = first_quote(quote)
            evidence = Evidence(
                "cost_advantage", metric.id, metric.as_of, text, source, shown, _checked(kb, source, shown)
            )
            signals.evidence.append(evidence)
    return signals


# --- when sources disagree: every field counts with its value shown first (README, "When sources
# disagree"); the evidence names the disputed values and cites the source of the first one's value

#: the disputed fields an evidence line names, in order
NOTED = {
    "Tenure": ("end_cause", "end", "current", "start", "area", "certainty", "title"),
    "Deal": ("amount", "valuation", "date"),
    "Event": ("date", "certainty"),
    "Metric": ("value", "as_of"),
}


def _shown(record: Any, source_of: SourceLookup) -> Any:
    """The record with every field (a deal's steps' dates too) holding its value shown first."""
    names = {f.name for f in dataclasses.fields(record)}
    changes = {name: claims.shown_value(record, name, source_of) for name in DISPUTABLE if name in names}
    if isinstance(record, Deal):
        changes["history"] = [
            dataclasses.replace(step, date=claims.shown_value(step, "date", source_of)) for step in record.history
        ]
    return dataclasses.replace(record, **changes)


def _noted(
    record: Any, text: str, source: str, quote: list[str], source_of: SourceLookup, ending: bool = False
) -> tuple[str, str, list[str]]:
    """The evidence line with the record's disputes named; cited by the source of the first
    disputed field's value shown first."""
    found = {name: found for name, found in claims.disputes(record).items() if name in NOTED[type(record).__name__]}
    if isinstance(record, Deal):
        steps = [step for step in record.history if step.date is not None or any(i.date for i in step.also)]
        if steps and "date" in (step := claims.disputes(steps[-1])):
            found["date"] = step["date"]
    ordered = [(name, found[name]) for name in NOTED[type(record).__name__] if name in found]
    if not ordered:  # an undisputed end: cited by whoever states its cause (else its date) first
        for name in ("end_cause", "end") if ending and isinstance(record, Tenure) else ():
            if said := claims.statements(record, name):
                first = claims.ranked(said, source_of)[0]
                return (text, source, quote) if first.own else (text, first.source, list(first.quote))
        return text, source, quote
    notes = []
    for name, said in ordered:
        show = claims.described if isinstance(said[0].value, FuzzyDate) else claims.value_text
        note = state_note(record, said, source_of) if name == "current" else claims.dispute_note(said, source_of, show)
        notes.append(f"{name.replace('_', ' ')}: {note}")
    first = claims.ranked(ordered[0][1], source_of)[0]
    return f"{text}; {'; '.join(notes)}", first.source, list(first.quote)


def _counts(deal: Deal, shown: dict[str, Deal], window: Window) -> bool:
    """A deal counts when no deal that replaces it (one replacing the next) passes the window."""
    seen, later = {deal.id}, deal.superseded_by
    while later is not None and later not in seen:
        if window.admits(shown[later].date):
            return False
        seen.add(later)
        later = shown[later].superseded_by
    return True


def _checked(kb: KnowledgeBase, source: str, quote: str) -> str:
    """Whether a quote is in its source's archived text; unchecked when there is no text to look in."""
    path = kb.source_texts.get(source)
    if path is None or not path.exists():
        return "unchecked"
    return "found" if locate(quote, path.read_text(encoding="utf-8")) is not None else "not found"


def _top(kb: KnowledgeBase, party: str) -> str:
    """The firm above all others of a party's family; a person is a party of its own."""
    record = kb.by_id.get(party)
    while isinstance(record, Firm) and record.parent is not None:
        party, record = record.parent, kb.by_id.get(record.parent)
    return party


def _count_money(signals: Signals, deal: Deal, fact: Fact, others: list[str]) -> None:
    """`others`: the names of the deal's buyers of other families (a shared amount: not counted)."""
    latest, title = deal.history[-1], deal.title or deal.id
    money, status = deal.amount, deal.status.value

    def skip(why: str) -> None:
        fact("money_committed_usd", deal.id, deal.date, f"not counted: {why} — {title}", latest.source, latest.quote)

    if money is None:
        if deal.valuation is not None:
            skip(f"{deal.valuation.describe()} is a valuation, not money paid [{status}]")
        return
    if deal.kind is DealKind.ASKING_PRICE:
        skip(f"{money.describe()} is the other side's asking price [{status}]")
    elif money.currency != "USD":
        skip(f"{money.describe()} is not in USD and no exchange rate is known [{status}]")
    elif money.bound is Bound.UP_TO:
        ceiling = signals.values["money_offered_ceiling_usd"]
        signals.values["money_offered_ceiling_usd"] = max(ceiling, money.value)
        fact("money_offered_ceiling_usd", deal.id, deal.date, f"{money.describe()} — {title} [{status}]",
             latest.source, latest.quote)  # fmt: skip
        skip(f"{money.describe()} is a ceiling [{status}]")
    elif money.bound is Bound.SEVERAL:
        skip(f"{money.describe()} is a magnitude, not a figure [{status}]")
    elif deal.status not in COMMITTED_STATUSES:
        skip(f"{money.describe()} is not agreed or completed [{status}]")
    elif others:
        skip(f"{money.describe()}, jointly with {', '.join(others)}; share not stated [{status}]")
    else:
        signals.values["money_committed_usd"] += money.value
        fact("money_committed_usd", deal.id, deal.date, f"{money.describe()} — {title} [{status}]",
             latest.source, latest.quote)  # fmt: skip


def _in_file_order(kb: KnowledgeBase, records: Iterable[R]) -> list[R]:
    return sorted(records, key=lambda record: kb.position(record.id))


def _add(signals: Signals, signal: str, evidence: Evidence) -> None:
    evidence.signal = signal
    signals.add(signal, 1, evidence)


def stated_labels(kb: KnowledgeBase, firm: Firm, window: Window = ANY_TIME) -> list[Row]:
    rows = []
    for claim in kb.claims:
        via = [s for s in claim.subjects if s in firm.groups]
        when = shown_value(claim, "date", source_lookup(kb))  # where sources disagree, the date shown first
        if (firm.id in claim.subjects or via) and (when is None or window.admits(when)):
            rows.append({"label": claim.strategy.value, "claim": claim.id, "text": claim.text, "via": via,
                         "certainty": shown_value(claim, "certainty", source_lookup(kb)).value, "source": claim.source,
                         "quote": first_quote(claim.quote),
                         "checked": _checked(kb, claim.source, first_quote(claim.quote))})  # fmt: skip
    return rows


def naive_classify(
    kb: KnowledgeBase, *, firm: str | None = None, label: Strategy | None = None, window: Window, rules: list[Rule]
) -> list[Row]:
    rows = []
    for candidate in sorted(kb.firms, key=lambda f: f.name.casefold()):
        if candidate.parent is not None or candidate.category is FirmCategory.MEDIA:
            continue
        if firm is not None and candidate.id != firm:
            continue
        signals = firm_signals(kb, candidate, window)
        derived = derive_labels(signals.values, rules)
        stated = stated_labels(kb, candidate, window)
        derived_set, stated_set = {d["label"] for d in derived}, {s["label"] for s in stated}
        if label is not None and label.value not in derived_set | stated_set:
            continue
        rows.append({"firm": candidate.id, "name": candidate.name, "name_zh": candidate.name_zh,
                     "derived": derived, "stated": stated, "agreement": strategy._agreement(derived_set, stated_set),
                     "only_derived": sorted(derived_set - stated_set),
                     "only_stated": sorted(stated_set - derived_set),
                     "signals": dict(signals.values), "evidence": [e.row() for e in signals.evidence]})  # fmt: skip
    return rows


def naive_matrix(kb: KnowledgeBase, *, window: Window, rules: list[Rule]) -> list[Row]:
    rows = []
    for row in naive_classify(kb, window=window, rules=rules):
        values = row["signals"]
        if not any(values[s] for s in MATRIX_SIGNALS) and not row["stated"]:
            continue
        rows.append({"firm": row["firm"], "name": row["name"], "name_zh": row["name_zh"],
                     **{s: values[s] for s in MATRIX_SIGNALS}, "derived": [d["label"] for d in row["derived"]],
                     "stated": sorted({s["label"] for s in row["stated"]}), "stated_text": _stated_text(row["stated"]),
                     "agreement": row["agreement"]})  # fmt: skip
    return rows


def _stated_text(stated: list[Row]) -> str:
    """The matrix's Stated text, spelled out: each label, sorted, then the certainties of its
    claims in the model's order when none of them is confirmed ('reorganise [reported]')."""
    texts = []
    for label in sorted({s["label"] for s in stated}):
        said = {s["certainty"] for s in stated if s["label"] == label}
        if "confirmed" in said:
            texts.append(label)
        else:
            texts.append(f"{label} [{', '.join(c.value for c in Certainty if c.value in said)}]")
    return "; ".join(texts)


# --- knowledge bases with something for every signal ------------------------------------------------

PRODUCTS = ["widget", "gizmo", "gadget"]
EVENT_KINDS = [k.value for k in (EventKind.SCALED_BACK, EventKind.SHUT_DOWN, EventKind.MERGED, EventKind.PIVOT,
                                 EventKind.REORGANISATION, EventKind.TEAM_FORMED, EventKind.DEPARTURES,
                                 EventKind.MILESTONE)]  # fmt: skip


@st.composite
def strategy_knowledge_bases(draw: st.DrawFn) -> dict[str, list[dict[str, Any]]]:
    """tests/test_oracle.py's knowledge bases, with the facts strategy signals read."""
    spec = draw(knowledge_bases())
    firms = {f["id"]: f for f in spec["firms"]}
    if draw(st.booleans()):
        firms["bolt"]["parent"] = "acme-lab"  # a unit of a unit counts towards the top firm
    if draw(st.booleans()):
        firms["dyn"]["category"] = draw(st.sampled_from([FirmCategory.MEDIA.value, FirmCategory.STARTUP.value]))
        if draw(st.booleans()):
            firms["core"]["parent"] = "dyn"  # a unit of a media outlet is not classified either
    if draw(st.booleans()):
        firms["acme"]["name"] = "zeta"  # names sort case-insensitively
    subjects = FIRMS + PRODUCTS + ["gang", "ann"]
    for t in spec["tenures"]:
        for key, values in (("kind", [k.value for k in RoleKind]), ("area", [a.value for a in Area]),
                            ("certainty", [c.value for c in Certainty])):  # fmt: skip
            if draw(st.booleans()):
                t[key] = draw(st.sampled_from(values))
        if draw(st.booleans()):
            t["title"] = draw(st.sampled_from(["CEO", "Head of product"]))
    for d in spec["deals"]:
        if draw(st.booleans()):
            d["title"] = f"Deal {d['id']}"
        if draw(st.integers(0, 2)) == 0:  # bought jointly, maybe with a person, maybe with a unit of one buyer
            d["buyers"] = draw(st.lists(st.sampled_from([*FIRMS, "ann"]), min_size=2, max_size=3, unique=True))
            if draw(st.booleans()):  # with money that would otherwise count
                d["amount"], d["history"][-1]["status"] = "2B", draw(st.sampled_from(["agreed", "completed"]))
    spec["products"] = [
        {"id": p, "name": p.title(), "kind": "app", "maker": draw(st.sampled_from(FIRMS)), "source": "s",
         "quote": QUOTE}
        for p in PRODUCTS
    ]  # fmt: skip
    spec["events"] += [
        {"id": f"x{i}", "kind": draw(st.sampled_from(EVENT_KINDS)), "source": "s", "quote": QUOTE,
         "subjects": draw(st.lists(st.sampled_from(subjects), min_size=1, max_size=3, unique=True)),
         "text": f"happening {i}", **({"date": when} if (when := draw(st.sampled_from(DATES))) else {})}
        for i in range(draw(st.integers(0, 6)))
    ]  # fmt: skip
    spec["metrics"] += [
        {"id": f"c{i}", "subject": draw(st.sampled_from(FIRMS + PRODUCTS)), "source": "s", "quote": QUOTE,
         "metric": draw(st.sampled_from(["cost_vs_gpt", "cost_vs_rival", "costXvs_x", "dau"])),
         "value": draw(st.sampled_from([0.05, 0.1, 0.3, 2, 0])),
         **({"as_of": when} if (when := draw(st.sampled_from(DATES))) else {})}
        for i in range(draw(st.integers(0, 3)))
    ]  # fmt: skip
    disputed: dict[str, list[Any]] = {"date": [d for d in DATES if d]}
    measured: dict[str, list[Any]] = {"value": [0.05, 0.3, 2], "as_of": [d for d in DATES if d]}
    for record, told in [*((e, disputed) for e in spec["events"]), *((m, measured) for m in spec["metrics"])]:
        if draw(st.integers(0, 3)) == 0:  # more sources, which may disagree
            _also(draw, record, told)
    spec["claims"] = [
        {"id": f"k{i}", "subjects": draw(st.lists(st.sampled_from([*FIRMS, "gang"]), min_size=1, max_size=2,
                                                   unique=True)),
         "strategy": draw(st.sampled_from([s.value for s in Strategy])), "text": f"claim {i}", "source": "s",
         "quote": QUOTE, **({"date": when} if (when := draw(st.sampled_from(DATES))) else {}),
         # a claim only reported or rumoured: the matrix's Stated text says so
         **({"certainty": sure} if (sure := draw(st.sampled_from([None, *(c.value for c in Certainty)]))) else {})}
        for i in range(draw(st.integers(0, 3)))
    ]  # fmt: skip
    for claim in spec["claims"]:
        if draw(st.integers(0, 2)) == 0:  # another source gives it another certainty: the one shown first counts
            _also(draw, claim, {"certainty": [c.value for c in Certainty], "date": [d for d in DATES if d]})
    return spec


_counter = iter(range(10**9))


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("strategy-oracle")


WINDOWS = st.sampled_from([(None, None), (None, None), ("2024-10", None), (None, "2024-12"), ("2025", "2025"),
                           ("2024-06", "2025-06"), ("2025-07", None)])  # fmt: skip
RULES = [load_rules()]


@given(
    spec=strategy_knowledge_bases(),
    cached=st.booleans(),
    window=WINDOWS,
    label=st.sampled_from(list(Strategy)),
    zero=st.booleans(),
    few=st.sampled_from([0, strategy_query.FEW]),
    text=st.sampled_from([None, "It said a quote, and another quote 1.", "Nothing quoted here."]),
)
def test_classify_and_matrix_equal_the_naive_algorithm(
    scratch: Path,
    spec: Any,
    cached: bool,
    window: tuple[str | None, str | None],
    label: Strategy,
    zero: bool,
    few: int,
    text: str | None,
) -> None:
    folder = scratch / str(next(_counter))
    if text is not None:  # source s has an archived text: its quotes are found or not; the others' are unchecked
        folder.mkdir(parents=True)
        (folder / "s.txt").write_text(text, encoding="utf-8")
        spec["sources"][0]["file"] = "../s.txt"
    kb = _load(spec, folder, cached)
    default, strategy_query.FEW = strategy_query.FEW, few  # 0: every firm list is "many", read by one pass over all
    try:
        span = Window.parse(*window)
        # a threshold of 0 holds for every firm, signals or not
        rules = [*RULES[0], Rule(label, 1, {"pivots": 0})] if zero else RULES[0]
        expected = naive_classify(kb, window=span, rules=rules)
        rows = strategy.classify(kb, window=span, rules=rules)
        assert rows == expected
        assert all(type(v) is float for row in rows for v in row["signals"].values())  # JSON shows 1.0, as before
        for row in expected:
            assert strategy.classify(kb, firm=row["firm"], window=span, rules=rules) == [row]
        assert strategy.classify(kb, firm="no-such-firm", window=span, rules=rules) == []
        wanted = naive_classify(kb, label=label, window=span, rules=rules)
        assert strategy.classify(kb, label=label, window=span, rules=rules) == wanted
        assert strategy.matrix(kb, window=span, rules=rules) == naive_matrix(kb, window=span, rules=rules)
    finally:
        strategy_query.FEW = default
        kb.close()


@pytest.mark.parametrize("every", [EndCause, RoleKind, Area, DealStatus, Bound], ids=lambda enum: enum.__name__)
def test_a_test_for_some_enum_values_holds_for_those_only(every: type[StrEnum]) -> None:
    """strategy_signals._among tests a column for a few enum values, as a range when they are a run
    of the sorted values: for every choice, SQLite keeps exactly the chosen values (no NULL)."""
    values = list(every)
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (v TEXT)")
    db.executemany("INSERT INTO t VALUES (?)", [(value.value,) for value in values] + [(None,)])
    ranges = 0
    for size in range(1, len(values) + 1):
        for chosen in itertools.combinations(values, size):
            test = strategy_signals._among("v", chosen, every)
            ranges += "BETWEEN" in test
            kept = {row[0] for row in db.execute(f"SELECT v FROM t WHERE {test}")}
            assert kept == {value.value for value in chosen}, test
    assert ranges > 0
