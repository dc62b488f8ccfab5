"""Strategy classification: labels derived from a firm's own facts, set against what sources state.

Signals are counted from the records (deals, role spells, events, metrics); rules in
strategy_rules.yaml (or a file given with --rules) turn signals into labels. Stated labels
come from `claims`, directly or through a group. Nothing is guessed: a firm with no
evidence either way is "unclassified".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from aiorg.dates import FuzzyDate
from aiorg.errors import DataError, Problem
from aiorg.kb import KnowledgeBase
from aiorg.model import (
    DEPARTURE_CAUSES,
    STRATEGY_LABELS,
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

DEFAULT_RULES = Path(__file__).with_name("strategy_rules.yaml")
R = TypeVar("R", Deal, Tenure)

#: every signal, with the one-line definition the README and --matrix show
SIGNALS: dict[str, str] = {
    "money_committed_usd": "USD amounts of deals the firm is buyer in that are agreed or completed; never valuations, "
    "asks, 'up to' ceilings, magnitudes (several billion), or offers, talks, rumours and rejected deals; amounts in "
    "other currencies are not converted (the evidence lists what was left out and why)",
    "money_offered_ceiling_usd": "the largest 'up to' ceiling (USD) among the firm's offers, as stated; a ceiling, "
    "never added to money committed",
    "buyer_deals": "deals, offers and attempts with the firm as buyer; a superseded step counts via its successor",
    "people_sought": "distinct people the firm's deals move or try to move to it, or who moved in from another firm",
    "executive_departures": "executives or founders in product or commercial roles who left (or are reported to have "
    "left); a move to advisor is not a departure",
    "advisor_moves": "people moved to an advisor role: sidelined but still at the firm, not counted as departures",
    "departure_waves": "reports of unnamed executive departures",
    "product_cutbacks": "distinct products of the firm scaled back, shut down or merged away",
    "pivots": "pivot events (a narrower goal or vertical)",
    "reorganisations": "reorganisations and newly formed teams",
    "leadership_changes": "new executive appointments and demotions",
    "cost_advantage": "how many times cheaper than a rival a product was built (1 / cost ratio)",
    "offers_rejected": "offers for the firm or its people that were turned down",
}
MATRIX_SIGNALS = tuple(SIGNALS)
#: end causes that count as an executive departure: a move to advisor or a demotion does not
EXECUTIVE_DEPARTURE_CAUSES = DEPARTURE_CAUSES - {EndCause.ADVISOR}
#: deal statuses whose money is committed
COMMITTED_STATUSES = frozenset({DealStatus.AGREED, DealStatus.COMPLETED})


@dataclass(frozen=True, slots=True)
class Rule:
    """A label applies when at least `need` of `conditions` (signal >= threshold) hold."""

    label: Strategy
    need: int
    conditions: dict[str, float]


@dataclass(slots=True)
class Evidence:
    """One fact behind a signal."""

    signal: str
    record: str
    date: FuzzyDate | None
    text: str
    source: str
    quote: str

    def row(self) -> Row:
        """As a JSON-friendly row."""
        return {
            "signal": self.signal,
            "record": self.record,
            "date": self.date.text if self.date else None,
            "text": self.text,
            "source": self.source,
            "quote": self.quote,
        }


@dataclass
class Signals:
    """A firm's signal values and the evidence for each."""

    values: dict[str, float] = field(default_factory=lambda: dict.fromkeys(SIGNALS, 0.0))
    evidence: list[Evidence] = field(default_factory=list)

    def add(self, signal: str, amount: float, evidence: Evidence) -> None:
        """Count one fact towards a signal."""
        self.values[signal] += amount
        self.evidence.append(evidence)


def load_rules(path: Path = DEFAULT_RULES) -> list[Rule]:
    """Read and check a rules file; raise DataError with path:line:col on any problem."""
    import yaml

    from aiorg.money import parse_number
    from aiorg.names import did_you_mean
    from aiorg.yamlsource import YamlProblemsError, position, read_file

    shown = str(path)
    try:
        root = read_file(path, shown)
    except YamlProblemsError as error:
        raise DataError(error.problems) from None
    problems: list[Problem] = []
    rules: list[Rule] = []

    def bad(node: yaml.Node, message: str) -> None:
        line, column = position(node)
        problems.append(Problem(shown, line, column, message))

    def items(node: yaml.Node | None) -> list[tuple[str, yaml.Node, yaml.Node]]:
        if not isinstance(node, yaml.MappingNode):
            return []
        return [(k.value, k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)]

    labels = next((v for name, _, v in items(root) if name == "labels"), None)
    if not isinstance(labels, yaml.MappingNode):
        raise DataError([Problem(shown, None, None, "expected a mapping 'labels:' of strategy labels")])
    allowed = [s.value for s in Strategy]
    for name, key, body in items(labels):
        if name not in allowed:
            bad(key, f"unknown strategy label {name!r}{did_you_mean(name, allowed)}")
            continue
        fields = {field: value for field, _, value in items(body)}
        need_node, when = fields.get("need"), fields.get("when")
        need = 1
        if isinstance(need_node, yaml.ScalarNode):
            need = int(need_node.value) if need_node.value.isdigit() else 0
            if need < 1:
                bad(need_node, f"{name}: 'need' must be a whole number of at least 1")
        if not isinstance(when, yaml.MappingNode):
            bad(body, f"{name}: 'when' must map signals to thresholds")
            continue
        conditions: dict[str, float] = {}
        for signal, signal_key, threshold in items(when):
            if signal not in SIGNALS:
                bad(signal_key, f"unknown signal {signal!r}{did_you_mean(signal, SIGNALS)}")
                continue
            try:
                conditions[signal] = parse_number(threshold.value) if isinstance(threshold, yaml.ScalarNode) else -1
            except ValueError as error:
                bad(threshold, str(error))
        rules.append(Rule(Strategy(name), need, conditions))
    if problems:
        raise DataError(problems)
    return rules


def _firm_signals(kb: KnowledgeBase, firm: Firm, window: Window) -> Signals:
    family = firm_family(kb, firm.id)
    signals = Signals()
    admit = window.admits

    def fact(signal: str, record: str, when: FuzzyDate | None, text: str, source: str, quote: list[str]) -> None:
        signals.add(signal, 0, Evidence(signal, record, when, text, source, first_quote(quote)))

    sought: set[str] = set()

    def seek(person: str, record: str, when: FuzzyDate | None, text: str, source: str, quote: list[str]) -> None:
        if person not in sought:  # a person counts once, however many facts show the firm seeking them
            sought.add(person)
            signals.values["people_sought"] += 1
        fact("people_sought", record, when, text, source, quote)

    for deal in _in_file_order(kb, {d.id: d for f in family for d in kb.deals_by_party.get(f, [])}.values()):
        when = deal.date
        if not admit(when):
            continue
        latest = deal.history[-1]
        title = deal.title or deal.id
        if family & set(deal.buyers) and deal.superseded_by is None:  # a superseded step counts via its successor
            signals.values["buyer_deals"] += 1
            fact("buyer_deals", deal.id, when, f"{title} [{deal.status.value}]", latest.source, latest.quote)
            _count_money(signals, deal, fact)
            for person in deal.people or [t for t in deal.targets if t in kb.tenures_by_person]:
                seek(person, deal.id, when, f"{kb.name_of(person)} via {title}", latest.source, latest.quote)
        if family & {*deal.targets, *deal.people} and deal.status is DealStatus.REJECTED:
            signals.values["offers_rejected"] += 1
            fact("offers_rejected", deal.id, when, f"turned down: {title}", latest.source, latest.quote)
    for tenure in _in_file_order(kb, [t for f in family for t in kb.tenures_by_firm.get(f, [])]):
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
            text = f"{who}, {tenure.title}: {tenure.end_cause.value if tenure.end_cause else ''}{sure}"
            fact("executive_departures", tenure.id, tenure.end, text, tenure.source, tenure.quote)
        if ended_here and tenure.end_cause is EndCause.ADVISOR:
            signals.values["advisor_moves"] += 1
            text = f"{who} moved to advisor from {tenure.title}; still at the firm, not a departure{sure}"
            fact("advisor_moves", tenure.id, tenure.end, text, tenure.source, tenure.quote)
        if ended_here and tenure.end_cause is EndCause.DEMOTED:
            signals.values["leadership_changes"] += 1
            text = f"{who} demoted from {tenure.title}{sure}"
            fact("leadership_changes", tenure.id, tenure.end, text, tenure.source, tenure.quote)
        if (
            tenure.start is not None
            and tenure.kind is RoleKind.EXECUTIVE
            and tenure.replaces is None
            and admit(tenure.start)
        ):
            signals.values["leadership_changes"] += 1
            text = f"{who} appointed {tenure.title} [{tenure.certainty.value}]"
            fact("leadership_changes", tenure.id, tenure.start, text, tenure.source, tenure.quote)
        previous = kb.by_id.get(tenure.after or "")
        if previous is not None and admit(tenure.start):
            text = f"{who} moved in from {kb.name_of(getattr(previous, 'firm', ''))}"
            seek(tenure.person, tenure.id, tenure.start, text, tenure.source, tenure.quote)
    products = {p.id for p in kb.products if p.maker in family}
    groups = set(firm.groups)
    cut: set[str] = set()
    for event in kb.events:
        subjects = set(event.subjects)
        if not admit(event.date):
            continue
        evidence = Evidence("", event.id, event.date, event.text, event.source, first_quote(event.quote))
        if event.kind in (EventKind.SCALED_BACK, EventKind.SHUT_DOWN, EventKind.MERGED) and subjects & products:
            fresh = (subjects & products) - cut  # a product counts once, however many steps cut it back
            cut.update(fresh)
            evidence.signal = "product_cutbacks"
            signals.add("product_cutbacks", len(fresh), evidence)
        elif event.kind is EventKind.PIVOT and subjects & family:
            _add(signals, "pivots", evidence)
        elif event.kind in (EventKind.REORGANISATION, EventKind.TEAM_FORMED) and subjects & family:
            _add(signals, "reorganisations", evidence)
        elif event.kind is EventKind.DEPARTURES and subjects & (family | groups):
            _add(signals, "departure_waves", evidence)
    for metric in kb.metrics:
        if (
            metric.subject in products | family
            and metric.metric.startswith("cost_vs_")
            and metric.value > 0
            and admit(metric.as_of)
        ):
            advantage = 1 / metric.value
            if advantage > signals.values["cost_advantage"]:
                signals.values["cost_advantage"] = advantage
            signals.evidence.append(
                Evidence(
                    "cost_advantage",
                    metric.id,
                    metric.as_of,
                    f"{kb.name_of(metric.subject)}: {metric.metric} {metric.bound} {metric.value:g}",
                    metric.source,
                    first_quote(metric.quote),
                )
            )
    return signals


#: records one fact behind a signal: signal, record, date, text, source, quote
Fact = Callable[[str, str, FuzzyDate | None, str, str, list[str]], None]


def _count_money(signals: Signals, deal: Deal, fact: Fact) -> None:
    """Money committed and offer ceilings for a deal the firm is buyer in; what is left out says why."""
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
        fact(
            "money_offered_ceiling_usd",
            deal.id,
            deal.date,
            f"{money.describe()} — {title} [{status}]",
            latest.source,
            latest.quote,
        )
        skip(f"{money.describe()} is a ceiling [{status}]")
    elif money.bound is Bound.SEVERAL:
        skip(f"{money.describe()} is a magnitude, not a figure [{status}]")
    elif deal.status not in COMMITTED_STATUSES:
        skip(f"{money.describe()} is not agreed or completed [{status}]")
    else:
        signals.values["money_committed_usd"] += money.value
        fact(
            "money_committed_usd",
            deal.id,
            deal.date,
            f"{money.describe()} — {title} [{status}]",
            latest.source,
            latest.quote,
        )


def _in_file_order(kb: KnowledgeBase, records: Iterable[R]) -> list[R]:
    """Index lookups merged back into file order, so evidence reads as the data does."""
    return sorted(records, key=lambda record: kb.position(record.id))


def _add(signals: Signals, signal: str, evidence: Evidence) -> None:
    evidence.signal = signal
    signals.add(signal, 1, evidence)


def derive_labels(values: dict[str, float], rules: list[Rule]) -> list[Row]:
    """The labels whose rules hold, with score (share of conditions met) and the signals that met them."""
    derived: list[Row] = []
    for rule in rules:
        met = [signal for signal, threshold in rule.conditions.items() if values.get(signal, 0) >= threshold]
        if len(met) >= rule.need and met:
            derived.append({"label": rule.label.value, "score": round(len(met) / len(rule.conditions), 2), "met": met})
    derived.sort(key=lambda d: (-float(d["score"]), str(d["label"])))
    return derived


def stated_labels(kb: KnowledgeBase, firm: Firm, window: Window = ANY_TIME) -> list[Row]:
    """What the sources say, directly or through a group the firm belongs to."""
    rows = []
    for claim in kb.claims:
        via = [s for s in claim.subjects if s in firm.groups]
        if (firm.id in claim.subjects or via) and (claim.date is None or window.admits(claim.date)):
            rows.append(
                {
                    "label": claim.strategy.value,
                    "claim": claim.id,
                    "text": claim.text,
                    "via": via,
                    "certainty": claim.certainty.value,
                    "source": claim.source,
                    "quote": first_quote(claim.quote),
                }
            )
    return rows


def _agreement(derived: set[str], stated: set[str]) -> str:
    if not derived and not stated:
        return "unclassified"
    if not stated:
        return "derived only"
    if not derived:
        return "stated only"
    if derived == stated:
        return "agree"
    return "partly agree" if derived & stated else "disagree"


def classify(
    kb: KnowledgeBase,
    *,
    firm: str | None = None,
    label: Strategy | None = None,
    window: Window = ANY_TIME,
    rules: list[Rule] | None = None,
) -> list[Row]:
    """Per firm: derived labels with scores, stated labels, whether they agree, signals and evidence.

    Units (a lab inside a firm) count towards their parent and are not listed on their own;
    media outlets are not classified.
    """
    rules = rules if rules is not None else load_rules()
    rows = []
    for candidate in sorted(kb.firms, key=lambda f: f.name.casefold()):
        if candidate.parent is not None or candidate.category is FirmCategory.MEDIA:
            continue
        if firm is not None and candidate.id != firm:
            continue
        signals = _firm_signals(kb, candidate, window)
        derived = derive_labels(signals.values, rules)
        stated = stated_labels(kb, candidate, window)
        derived_set, stated_set = {d["label"] for d in derived}, {s["label"] for s in stated}
        if label is not None and label.value not in derived_set | stated_set:
            continue
        rows.append(
            {
                "firm": candidate.id,
                "name": candidate.name,
                "name_zh": candidate.name_zh,
                "derived": derived,
                "stated": stated,
                "agreement": _agreement(derived_set, stated_set),
                "only_derived": sorted(derived_set - stated_set),
                "only_stated": sorted(stated_set - derived_set),
                "signals": dict(signals.values),
                "evidence": [e.row() for e in signals.evidence],
            }
        )
    return rows


def matrix(kb: KnowledgeBase, *, window: Window = ANY_TIME, rules: list[Rule] | None = None) -> list[Row]:
    """Firms × signals: the comparison table for a story; firms with no signal are left out."""
    rows = []
    for row in classify(kb, window=window, rules=rules):
        values = row["signals"]
        if not any(values[s] for s in MATRIX_SIGNALS) and not row["stated"]:
            continue
        rows.append(
            {
                "firm": row["firm"],
                "name": row["name"],
                "name_zh": row["name_zh"],
                **{s: values[s] for s in MATRIX_SIGNALS},
                "derived": [d["label"] for d in row["derived"]],
                "stated": sorted({s["label"] for s in row["stated"]}),
                "agreement": row["agreement"],
            }
        )
    return rows


def firms_with_label(kb: KnowledgeBase, label: Strategy) -> set[str]:
    """Firms whose derived or stated labels include `label`."""
    return {row["firm"] for row in classify(kb, label=label)}


def label_table() -> list[Row]:
    """The taxonomy as rows."""
    return [
        {"label": entry.id.value, "name": entry.name, "name_zh": entry.name_zh, "definition": entry.definition}
        for entry in STRATEGY_LABELS.values()
    ]
