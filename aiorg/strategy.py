"""Strategy classification: labels derived from a firm's own facts, set against what sources state.

Signals are counted from the records (deals, role spells, events, metrics); rules in
strategy_rules.yaml (or a file given with --rules) turn signals into labels. Stated labels
come from `claims`, directly or through a group. Nothing is guessed: a firm with no
evidence either way is "unclassified".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import repeat
from operator import ge, itemgetter
from pathlib import Path
from typing import cast

from aiorg import strategy_evidence, strategy_sql
from aiorg.errors import DataError, Problem
from aiorg.kb import KnowledgeBase
from aiorg.model import STRATEGY_LABELS, Certainty, FirmCategory, Strategy
from aiorg.queries import ANY_TIME, Row, Window
from aiorg.strategy_evidence import Evidence
from aiorg.strategy_query import query
from aiorg.strategy_signals import SIGNALS

__all__ = ["SIGNALS", "Evidence"]
DEFAULT_RULES = Path(__file__).with_name("strategy_rules.yaml")

#: the matrix shows every signal (rules may name any), in the order of SIGNALS
MATRIX_SIGNALS = tuple(SIGNALS)


@dataclass(frozen=True, slots=True)
class Rule:
    """A label applies when at least `need` of `conditions` (signal >= threshold) hold."""

    label: Strategy
    need: int
    conditions: dict[str, float]


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


def derive_labels(values: dict[str, float], rules: list[Rule]) -> list[Row]:
    """The labels whose rules hold, with score (share of conditions met) and the signals that met them."""
    derived: list[Row] = []
    for rule in rules:
        met = [signal for signal, threshold in rule.conditions.items() if values.get(signal, 0) >= threshold]
        if len(met) >= rule.need and met:
            derived.append({"label": rule.label.value, "score": round(len(met) / len(rule.conditions), 2), "met": met})
    derived.sort(key=lambda d: (-float(d["score"]), str(d["label"])))
    return derived


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


def listed_firms(kb: KnowledgeBase) -> list[tuple[str, str, str | None]]:
    """(id, name, name_zh) of the firms strategy classifies, by name: units count towards their
    parent and media outlets are not classified."""
    rows = kb.query(
        "SELECT id, name, name_zh FROM firms WHERE parent IS NULL AND (category IS NULL OR category != ?) ORDER BY seq",
        (FirmCategory.MEDIA.value,),
    )
    rows.sort(key=lambda firm: firm[1].casefold())  # TEXT columns: str, as typed
    return cast(list[tuple[str, str, str | None]], rows)


def classify(
    kb: KnowledgeBase,
    *,
    firm: str | None = None,
    label: Strategy | None = None,
    window: Window = ANY_TIME,
    rules: list[Rule] | None = None,
    roots: list[str] | None = None,
    with_evidence: bool = True,
) -> list[Row]:
    """Per firm: derived labels with scores, stated labels, whether they agree, signals and evidence.

    Units (a lab inside a firm) count towards their parent and are not listed on their own;
    media outlets are not classified. Evidence is read only for the firms shown. `roots`: of
    these listed firms only, in the order listed (what `classify_page` shows). Without
    `with_evidence` the rows have no `evidence` (a table reads a page of it: `evidence_page`).
    """
    rules = rules if rules is not None else load_rules()
    listed = listed_firms(kb)
    if roots is not None:
        chosen = set(roots)
        listed = [f for f in listed if f[0] in chosen]
        roots = [f[0] for f in listed]
    if firm is not None:
        listed = [f for f in listed if f[0] == firm]
        roots = [f[0] for f in listed]
    elif label is not None:
        labelled = _labelled(kb, label, window, rules)
        listed = [f for f in listed if f[0] in labelled]
        roots = [f[0] for f in listed]
    values = strategy_sql.values(kb, window, roots)
    evidence = strategy_evidence.evidence(kb, window, roots) if with_evidence else {}
    stated_by_firm = strategy_evidence.stated(kb, window, roots)
    rows = []
    for firm_id, name, name_zh in listed:
        signals = values.get(firm_id) or dict.fromkeys(SIGNALS, 0.0)
        derived = derive_labels(signals, rules)
        stated = stated_by_firm.get(firm_id, [])
        derived_set, stated_set = {d["label"] for d in derived}, {s["label"] for s in stated}
        if label is not None and label.value not in derived_set | stated_set:
            continue
        row: Row = {
            "firm": firm_id,
            "name": name,
            "name_zh": name_zh,
            "derived": derived,
            "stated": stated,
            "agreement": _agreement(derived_set, stated_set),
            "only_derived": sorted(derived_set - stated_set),
            "only_stated": sorted(stated_set - derived_set),
            "signals": dict(signals),
        }
        if with_evidence:
            row["evidence"] = [e.row() for e in evidence.get(firm_id, [])]
        rows.append(row)
    return rows


def classify_page(
    kb: KnowledgeBase,
    *,
    firm: str | None = None,
    label: Strategy | None = None,
    window: Window = ANY_TIME,
    rules: list[Rule] | None = None,
    limit: int | None = None,
    with_evidence: bool = True,
) -> tuple[list[Row], int]:
    """The first `limit` rows of `classify` (all when None), and how many rows it has (without
    `with_evidence`, rows with no `evidence`: see `classify`).

    Without a firm or a label every listed firm has a row, in the order listed, so the rows
    shown are those of the first `limit` firms: their signals, stated labels and evidence are
    read for them alone (evidence for all 10,000 firms of a large knowledge base takes most of a
    minute). With a firm or a label the rows are few, and found as `classify` finds them."""
    if firm is not None or label is not None or limit is None:
        rows = classify(kb, firm=firm, label=label, window=window, rules=rules, with_evidence=with_evidence)
        return (rows if limit is None else rows[:limit]), len(rows)
    listed = listed_firms(kb)
    shown = [firm_id for firm_id, _, _ in listed[:limit]]
    return classify(kb, window=window, rules=rules, roots=shown, with_evidence=with_evidence), len(listed)


def evidence_page(
    kb: KnowledgeBase, firms: list[str], *, window: Window = ANY_TIME, limit: int | None = None
) -> tuple[list[tuple[str, Row]], int]:
    """The first `limit` facts of evidence (all when None) of these classified firms, firm by firm
    in this order, each with its firm and as `classify` gives it in that firm's `evidence`, and how
    many facts they have in all."""
    found, total = strategy_evidence.evidence_page(kb, window, firms, limit)
    return [(firm, item.row()) for firm, item in found], total


def _labelled(kb: KnowledgeBase, label: Strategy, window: Window, rules: list[Rule]) -> set[str]:
    """Firms whose derived or stated labels include `label`, from signal values alone."""
    values = strategy_sql.values(kb, window)
    stated = strategy_evidence.stated(kb, window)
    found = {firm for firm, rows in stated.items() if any(row["label"] == label.value for row in rows)}
    derive = _Derive(rules)
    found |= {firm for firm, signals in values.items() if label.value in derive.labels(signals)[1]}
    if any(d["label"] == label for d in derive_labels(dict.fromkeys(SIGNALS, 0.0), rules)):  # thresholds of 0
        found |= {firm for firm, _, _ in listed_firms(kb)}
    return found


def matrix(kb: KnowledgeBase, *, window: Window = ANY_TIME, rules: list[Rule] | None = None) -> list[Row]:
    """Firms × signals: the comparison table for a story; firms with no signal are left out."""
    return matrix_page(kb, window=window, rules=rules)[0]


def matrix_page(
    kb: KnowledgeBase, *, window: Window = ANY_TIME, rules: list[Rule] | None = None, limit: int | None = None
) -> tuple[list[Row], int]:
    """The first `limit` rows of `matrix` (all when None), and how many rows it has.

    Only signal values are needed, and the labels sources state: no record is decoded. The
    signals, the listed firms and the stated labels are kept beside the store, each made again
    only when the files it was made from change (aiorg.strategy_parts); rows are made only for
    the firms shown."""
    rules = rules if rules is not None else load_rules()
    parts = strategy_sql.parts(kb, window)
    found = strategy_sql.columns(kb, window, parts)
    stated_by_firm = parts.get("stated labels", lambda: _stated_labels(kb, window))
    listed = parts.get("listed firms", lambda: listed_firms(kb))
    signalled = set().union(*({firm for firm, value in column.items() if value} for column in found.values()))
    shown = [firm for firm in listed if firm[0] in signalled or firm[0] in stated_by_firm]
    derive = _Derive(rules)
    rows = []
    for firm_id, name, name_zh in shown if limit is None else shown[:limit]:  # by name, as listed
        row: Row = {"firm": firm_id, "name": name, "name_zh": name_zh}
        row.update({signal: float(found[signal].get(firm_id, 0.0)) for signal in MATRIX_SIGNALS})
        derived, derived_set, agreement = derive.labels(row)
        told = stated_by_firm.get(firm_id) or []
        stated = [label for label, *_ in told]
        if stated:
            agreement = _agreement(derived_set, set(stated))
        row.update({"derived": list(derived), "stated": stated})
        row.update({"stated_text": "; ".join(label + sureness(said) for label, *said in told), "agreement": agreement})
        rows.append(row)
    return rows, len(shown)


def _stated_labels(kb: KnowledgeBase, window: Window) -> dict[str, list[list[str]]]:
    """The labels sources state for each listed firm (directly or through a group it belongs
    to), sorted, each with the certainties of the claims stating it: what the matrix shows of
    strategy_evidence.stated, read without a record."""
    # the claims as shown (aiorg.strategy_shown): where sources disagree, the certainty shown first
    sql = strategy_evidence.claims_sql("c.strategy, c.certainty", window, None)
    labels: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for root, label, certainty in query(kb, sql, window, None):
        labels[root][label].add(certainty or Certainty.CONFIRMED.value)
    return {
        root: [[label, *sorted(said[label], key=_CERTAINTY_ORDER.index)] for label in sorted(said)]
        for root, said in labels.items()
    }


#: the certainties in the model's order
_CERTAINTY_ORDER = [certainty.value for certainty in Certainty]


def sureness(certainties: Iterable[str]) -> str:
    """' [reported]': the certainties of the claims behind a stated label or text (in the model's
    order), when none of them is confirmed; '' when one is, so a reported view never reads as an
    established one."""
    found = set(certainties)
    if Certainty.CONFIRMED.value in found:
        return ""
    return f" [{', '.join(c for c in _CERTAINTY_ORDER if c in found)}]"


class _Derive:
    """derive_labels for many firms: the labels depend only on which rule conditions hold, so
    they are derived once for each set of conditions that hold."""

    def __init__(self, rules: list[Rule]) -> None:
        self.rules = rules
        conditions = [(signal, threshold) for rule in rules for signal, threshold in rule.conditions.items()]
        self.signals = [signal for signal, _ in conditions]
        self.thresholds = [threshold for _, threshold in conditions]
        known = len(self.signals) > 1 and all(signal in SIGNALS for signal in self.signals)
        self.pick = itemgetter(*self.signals) if known else None
        self.found: dict[tuple[bool, ...], list[Row]] = {}
        self.named: dict[tuple[bool, ...], tuple[list[str], set[str], str]] = {}

    def key(self, values: dict[str, float]) -> tuple[bool, ...]:
        """Which conditions hold."""
        if self.pick is not None:  # every signal is in `values`, as strategy_sql makes them
            return tuple(map(ge, self.pick(values), self.thresholds))
        return tuple(map(ge, map(values.get, self.signals, repeat(0)), self.thresholds))

    def __call__(self, values: dict[str, float]) -> list[Row]:
        """derive_labels(values, rules); the rows are shared, not to be changed."""
        key = self.key(values)
        found = self.found.get(key)
        if found is None:
            found = self.found[key] = derive_labels(values, self.rules)
        return found

    def labels(self, values: dict[str, float]) -> tuple[list[str], set[str], str]:
        """The derived labels in order and as a set, and their agreement with no stated label
        (all shared, not to be changed)."""
        key = self.key(values)
        named = self.named.get(key)
        if named is None:
            labels = [str(row["label"]) for row in self(values)]
            named = self.named[key] = (labels, set(labels), _agreement(set(labels), set()))
        return named


def firms_with_label(kb: KnowledgeBase, label: Strategy) -> set[str]:
    """Firms whose derived or stated labels include `label`."""
    return {row["firm"] for row in classify(kb, label=label)}


def label_table() -> list[Row]:
    """The taxonomy as rows."""
    return [
        {"label": entry.id.value, "name": entry.name, "name_zh": entry.name_zh, "definition": entry.definition}
        for entry in STRATEGY_LABELS.values()
    ]
