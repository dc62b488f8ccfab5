"""Score drafted candidates against a gold set: precision and recall per kind.

The gold set is either the knowledge base's own YAML (the bundled data, hand-curated from the
seed article) or a golden file of expected candidates (tests/draft_articles/*.expected.json).
Both are read into one shape, `Gold`, and every drafted candidate is matched by name, so a
draft against an empty knowledge base (every name discovered) is scored like one against the
full knowledge base (every name known). The matching rules:

- a name matches when its folded form (case, width, spaces and middle dots ignored, traditional
  characters simplified) equals one of the gold record's names, Chinese names, aliases or
  former names, or its id;
- people and firms: a candidate is right when one of its names (as written, written elsewhere,
  proposed, or its id) matches a gold record of that kind; each gold record is found once, and a
  second candidate for the same record counts against precision;
- role changes: the person and the firm match (a firm also matches its parent, so a spell at
  "Meta superintelligence team" is met by one at Meta) and the cause is the same; joined and
  appointed both open a spell and count as one cause;
- deals: same kind; every drafted target and buyer matches a gold target and buyer, with at least
  one target; buyers empty in both or overlapping; amount, valuation and stake equal in value
  (currency too) or absent in both;
- statuses: each drafted deal that matches a gold deal with a status (the golden file's
  `status`, the knowledge base's last history step); right when its last drafted status is that
  status. A status no word of the quote gives (`status_inferred`) is labelled a guess;
- dates: each distinct resolved value once (an article may write a date twice); right when
  the value, which carries its precision ("2025-04", "2025-04-11..2025-04-20"), equals a gold
  date exactly. From the knowledge base, gold dates are the stated ones: open ("..2025-06")
  and inferred dates are left out.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from aiorg.draft.text import simplified
from aiorg.draft.values import PERCENT, amounts
from aiorg.names import normalise_name

KINDS = ("people", "firms", "role_changes", "deals", "statuses", "dates")
_OPENS = {"joined": "opens", "appointed": "opens"}


def fold(name: str) -> str:
    """A name as matching compares it."""
    return normalise_name(simplified(name))


@dataclass
class Gold:
    """Expected people and firms (id -> names), role changes, deals and dates."""

    people: dict[str, set[str]] = field(default_factory=dict)
    firms: dict[str, set[str]] = field(default_factory=dict)
    parents: dict[str, str] = field(default_factory=dict)
    role_changes: list[tuple[str, str, str]] = field(default_factory=list)
    deals: list[dict[str, Any]] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)

    def resolve(self, name: str, kind: str) -> str | None:
        """The gold id a name (or id) means, among people or firms."""
        table = self.people if kind == "people" else self.firms
        if name in table:
            return name
        key = fold(name.split(":")[-1])
        return next((gid for gid, names in table.items() if key in names), None)


def _names(record: dict[str, Any]) -> set[str]:
    names = [record["id"], record.get("name", ""), record.get("name_zh", "")]
    names += list(record.get("aliases", []) or []) + list(record.get("former_names", []) or [])
    return {fold(str(n)) for n in names if n}


def _money(text: object) -> tuple[Decimal, str] | None:
    if not text:
        return None
    found = amounts(simplified(str(text)))  # a golden file may write 億 as the article does
    return (found[0].value, found[0].currency) if found else None


def _stake(text: object) -> Decimal | None:
    if text is None:
        return None
    match = PERCENT.search(str(text)) or PERCENT.search(f"{text}%")
    return Decimal(match.group(1)) if match else None


def gold_from_data(data: Path) -> Gold:
    """The gold set of the knowledge base's YAML files."""

    def load(name: str) -> list[dict[str, Any]]:
        path = data / f"{name}.yaml"
        return list((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get(name, [])) if path.exists() else []

    gold = Gold()
    gold.people = {p["id"]: _names(p) for p in load("people")}
    for firm in load("firms"):
        gold.firms[firm["id"]] = _names(firm)
        if firm.get("parent"):
            gold.parents[firm["id"]] = firm["parent"]
    dates: list[str] = []
    for tenure in load("tenures"):
        if tenure.get("end_cause"):
            gold.role_changes.append((tenure["person"], tenure["firm"], tenure["end_cause"]))
        elif tenure.get("start") and not tenure.get("replaces"):
            gold.role_changes.append((tenure["person"], tenure["firm"], "joined"))
        inferred = set(tenure.get("inferred", []) or [])
        dates += [str(tenure[k]) for k in ("start", "end") if tenure.get(k) and k not in inferred]
    for deal in load("deals"):
        gold.deals.append(
            {
                "kind": deal["kind"],
                "buyers": set(deal.get("buyers", []) or []),
                "targets": set(deal.get("targets", []) or []),
                "amount": _money(deal.get("amount")),
                "valuation": _money(deal.get("valuation")),
                "stake": _stake(deal.get("stake")),
                "status": str((deal.get("history") or [{}])[-1].get("status") or "") or None,
            }
        )
        for step in deal.get("history", []) or []:
            if step.get("date") and "date" not in (step.get("inferred", []) or []):
                dates.append(str(step["date"]))
    for name, key in (("events", "date"), ("metrics", "as_of")):
        for record in load(name):
            if record.get(key) and key not in (record.get("inferred", []) or []):
                dates.append(str(record[key]))
    gold.dates = sorted({d for d in dates if not d.startswith("..")})
    return gold


def gold_from_file(path: Path) -> Gold:
    """The gold set of a golden file of expected candidates."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    gold = Gold()
    gold.people = {p["id"]: {fold(n) for n in [p["id"], *p["names"]]} for p in raw["people"]}
    gold.firms = {f["id"]: {fold(n) for n in [f["id"], *f["names"]]} for f in raw["firms"]}
    gold.role_changes = [(r["person"], r["firm"], r["cause"]) for r in raw["role_changes"]]
    for deal in raw["deals"]:
        gold.deals.append(
            {
                "kind": deal["kind"],
                "buyers": set(deal["buyers"]),
                "targets": set(deal["targets"]),
                "amount": _money(deal.get("amount")),
                "valuation": _money(deal.get("valuation")),
                "stake": _stake(deal.get("stake")),
                "status": deal.get("status"),
            }
        )
    gold.dates = list(raw["dates"])
    return gold


@dataclass
class Score:
    """Counts for one kind."""

    drafted: int = 0
    right: int = 0
    expected: int = 0
    found: int = 0
    wrong: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        """Right candidates over drafted candidates (1.0 when none were drafted)."""
        return self.right / self.drafted if self.drafted else 1.0

    @property
    def recall(self) -> float:
        """Gold facts found over gold facts (1.0 when none were expected)."""
        return self.found / self.expected if self.expected else 1.0


def _entity_names(candidate: dict[str, Any]) -> list[str]:
    names = [candidate.get("name_as_written", ""), candidate.get("name", ""), candidate.get("id", "")]
    names += list(candidate.get("written") or [])
    return [n for n in names if n]


def _score(items: Iterable[tuple[str, list[str]]], expected: list[str]) -> Score:
    """items: (label, gold keys it matches) per candidate; each gold key is found once."""
    score = Score(expected=len(expected))
    seen: set[str] = set()
    for label, keys in items:
        score.drafted += 1
        fresh = [k for k in keys if k in expected and k not in seen]
        if fresh:
            seen.add(fresh[0])
            score.right += 1
        else:
            score.wrong.append(label)
    score.found = len(seen)
    score.missed = [k for k in expected if k not in seen]
    return score


def score(candidates: list[dict[str, Any]], gold: Gold) -> dict[str, Score]:
    """Precision and recall per kind of the candidates against the gold set."""
    out: dict[str, Score] = {}
    for kind, singular in (("people", "person"), ("firms", "firm")):
        items: list[tuple[str, list[str]]] = []
        for candidate in candidates:
            if candidate["kind"] == singular:
                found = {g for n in _entity_names(candidate) if (g := gold.resolve(n, kind))}
                items.append((candidate.get("name_as_written", ""), sorted(found)))
        out[kind] = _score(items, sorted(getattr(gold, kind)))
    expected_roles = [f"{p}|{f}|{_OPENS.get(c, c)}" for p, f, c in gold.role_changes]
    items = []
    for candidate in candidates:
        if candidate["kind"] != "role_change":
            continue
        person = gold.resolve(candidate["person"], "people")
        firm = gold.resolve(candidate["firm"], "firms")
        cause = _OPENS.get(candidate["cause"], candidate["cause"])
        keys = [
            key
            for key in expected_roles
            if person and firm and key.split("|")[0] == person and key.split("|")[2] == cause
            for gold_firm in [key.split("|")[1]]
            if firm in (gold_firm, gold.parents.get(gold_firm))
        ]
        items.append((f"{candidate['person']}|{candidate['firm']}|{candidate['cause']}", keys))
    out["role_changes"] = _score(items, expected_roles)
    expected_deals = [_deal_label(d) for d in gold.deals]
    items = []
    for candidate in candidates:
        if candidate["kind"] != "deal":
            continue
        keys = [_deal_label(d) for d in gold.deals if _deal_matches(candidate, d, gold)]
        label = f"{candidate['deal_kind']} {candidate['buyers']}->{candidate['targets']}"
        label += f" amount={_value(candidate['amount'])} valuation={_value(candidate['valuation'])}"
        label += f" stake={candidate['stake']}"
        items.append((label, keys))
    out["deals"] = _score(items, expected_deals)
    out["statuses"] = _statuses(candidates, gold)
    dates = [c["value"] for c in candidates if c["kind"] == "date"]
    out["dates"] = _score([(d, [d]) for d in dict.fromkeys(dates)], sorted(set(gold.dates)))
    return out


def _statuses(candidates: list[dict[str, Any]], gold: Gold) -> Score:
    """Each drafted deal that matches a gold deal with a status: is its last status that one?"""
    expected = [f"{_deal_label(d)} {d['status']}" for d in gold.deals if d.get("status")]
    items = []
    for candidate in candidates:
        if candidate["kind"] != "deal":
            continue
        matched = [d for d in gold.deals if d.get("status") and _deal_matches(candidate, d, gold)]
        if not matched:
            continue
        status = candidate["status"][-1]
        label = f"{candidate['deal_kind']} {candidate['buyers']}->{candidate['targets']} {status}"
        label += " (guess)" if candidate.get("status_inferred") else ""
        items.append((label, [f"{_deal_label(d)} {d['status']}" for d in matched if d["status"] == status]))
    return _score(items, expected)


def _value(money: dict[str, str] | None) -> str | None:
    return money["value"] if money else None


def _deal_label(deal: dict[str, Any]) -> str:
    return f"{deal['kind']} {sorted(deal['buyers'])}->{sorted(deal['targets'])}"


def _deal_matches(candidate: dict[str, Any], deal: dict[str, Any], gold: Gold) -> bool:
    if candidate["deal_kind"] != deal["kind"]:
        return False
    targets = {gold.resolve(t, "firms") or gold.resolve(t, "people") for t in candidate["targets"]}
    buyers = {gold.resolve(b, "firms") or gold.resolve(b, "people") for b in candidate["buyers"]}
    if not targets or not targets <= deal["targets"] or not buyers <= deal["buyers"]:
        return False
    if bool(buyers) != bool(deal["buyers"]):
        return False
    for name in ("amount", "valuation"):
        money = candidate[name]
        drafted = (Decimal(money["value"]), money["currency"]) if money else None
        if drafted != deal[name]:
            return False
    stake = Decimal(candidate["stake"]) if candidate["stake"] else None
    return bool(stake == deal["stake"])
