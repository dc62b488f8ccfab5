"""Strategy classification: labels derived from a firm's own facts, set against what sources state.

Signals are counted from the records (deals, role spells, events, metrics); rules in
strategy_rules.yaml (or a file given with --rules) turn signals into labels. Stated labels
come from `claims`, directly or through a group. Nothing is guessed: a firm with no
evidence either way is "unclassified".
"""

from __future__ import annotations

from collections.abc import Iterable
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
from aiorg.queries import ANY_TIME, Row, Window, firm_family, first_quote

DEFAULT_RULES = Path(__file__).with_name("strategy_rules.yaml")
R = TypeVar("R", Deal, Tenure)

#: every signal, with the one-line definition the README and --matrix show
SIGNALS: dict[str, str] = {
    "money_committed_usd": "USD the firm paid, offered or tried to pay as buyer (amount, else the target's valuation "
    "for an acquisition); superseded offers are not counted twice",
    "buyer_deals": "deals, offers and attempts with the firm as buyer",
    "people_sought": "people the firm's deals move or try to move to it, plus people who moved in from another firm",
    "executive_departures": "executives or founders in product or commercial roles who left or moved to advisor",
    "advisor_moves": "people moved to an advisor role (not formally left)",
    "departure_waves": "reports of unnamed executive departures",
    "product_cutbacks": "the firm's products scaled back, shut down or merged away",
    "pivots": "pivot events (a narrower goal or vertical)",
    "reorganisations": "reorganisations and newly formed teams",
    "leadership_changes": "new executive appointments and demotions",
    "cost_advantage": "how many times cheaper than a rival a product was built (1 / cost ratio)",
    "offers_rejected": "offers for the firm or its people that were turned down",
}
MATRIX_SIGNALS = tuple(SIGNALS)


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

    from aiorg.loader import did_you_mean
    from aiorg.money import parse_number
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

    def admit(when: FuzzyDate | None) -> bool:
        return window.admits(when)

    for deal in _in_file_order(kb, {d.id: d for f in family for d in kb.deals_by_party.get(f, [])}.values()):
        when = deal.date
        if not admit(when):
            continue
        latest = deal.history[-1]
        if family & set(deal.buyers):
            signals.add(
                "buyer_deals",
                1,
                Evidence(
                    "buyer_deals",
                    deal.id,
                    when,
                    f"{deal.title or deal.id} [{deal.status.value}]",
                    latest.source,
                    first_quote(latest.quote),
                ),
            )
            money = deal.amount or (deal.valuation if deal.kind is DealKind.ACQUISITION else None)
            if money is not None and deal.superseded_by is None and deal.kind is not DealKind.ASKING_PRICE:
                signals.add(
                    "money_committed_usd",
                    money.value,
                    Evidence(
                        "money_committed_usd",
                        deal.id,
                        when,
                        f"{money.describe()} — {deal.title or deal.id}",
                        latest.source,
                        first_quote(latest.quote),
                    ),
                )
            if deal.superseded_by is None:
                for person in deal.people or [t for t in deal.targets if t in kb.tenures_by_person]:
                    signals.add(
                        "people_sought",
                        1,
                        Evidence(
                            "people_sought",
                            deal.id,
                            when,
                            f"{kb.name_of(person)} via {deal.title or deal.id}",
                            latest.source,
                            first_quote(latest.quote),
                        ),
                    )
        if family & {*deal.targets, *deal.people} and deal.status is DealStatus.REJECTED:
            signals.add(
                "offers_rejected",
                1,
                Evidence(
                    "offers_rejected",
                    deal.id,
                    when,
                    f"turned down: {deal.title or deal.id}",
                    latest.source,
                    first_quote(latest.quote),
                ),
            )
    for tenure in _in_file_order(kb, [t for f in family for t in kb.tenures_by_firm.get(f, [])]):
        who = kb.name_of(tenure.person)
        quote = first_quote(tenure.quote)
        ended_here = tenure.end_cause is not None and admit(tenure.end)
        if (
            ended_here
            and tenure.end_cause in DEPARTURE_CAUSES
            and tenure.kind in (RoleKind.EXECUTIVE, RoleKind.FOUNDER)
            and tenure.area in (Area.PRODUCT, Area.COMMERCIAL)
        ):
            signals.add(
                "executive_departures",
                1,
                Evidence(
                    "executive_departures",
                    tenure.id,
                    tenure.end,
                    f"{who}, {tenure.title}: {tenure.end_cause.value}",
                    tenure.source,
                    quote,
                ),
            )
        if ended_here and tenure.end_cause is EndCause.ADVISOR:
            signals.add(
                "advisor_moves",
                1,
                Evidence(
                    "advisor_moves",
                    tenure.id,
                    tenure.end,
                    f"{who} moved to advisor from {tenure.title}",
                    tenure.source,
                    quote,
                ),
            )
        if ended_here and tenure.end_cause is EndCause.DEMOTED:
            signals.add(
                "leadership_changes",
                1,
                Evidence(
                    "leadership_changes",
                    tenure.id,
                    tenure.end,
                    f"{who} demoted from {tenure.title}",
                    tenure.source,
                    quote,
                ),
            )
        if (
            tenure.start is not None
            and tenure.kind is RoleKind.EXECUTIVE
            and tenure.replaces is None
            and admit(tenure.start)
        ):
            signals.add(
                "leadership_changes",
                1,
                Evidence(
                    "leadership_changes",
                    tenure.id,
                    tenure.start,
                    f"{who} appointed {tenure.title} [{tenure.certainty.value}]",
                    tenure.source,
                    quote,
                ),
            )
        previous = kb.by_id.get(tenure.after or "")
        if previous is not None and admit(tenure.start):
            signals.add(
                "people_sought",
                1,
                Evidence(
                    "people_sought",
                    tenure.id,
                    tenure.start,
                    f"{who} moved in from {kb.name_of(getattr(previous, 'firm', ''))}",
                    tenure.source,
                    quote,
                ),
            )
    products = {p.id for p in kb.products if p.maker in family}
    groups = set(firm.groups)
    for event in kb.events:
        subjects = set(event.subjects)
        if not admit(event.date):
            continue
        evidence = Evidence("", event.id, event.date, event.text, event.source, first_quote(event.quote))
        if event.kind in (EventKind.SCALED_BACK, EventKind.SHUT_DOWN, EventKind.MERGED) and subjects & products:
            _add(signals, "product_cutbacks", evidence)
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
