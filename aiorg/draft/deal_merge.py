"""One candidate per deal the article tells: a fact naming a deal again (its parties, or "the
deal" nearby) joins that deal as a further quote and step, unless it states a value that deal
has otherwise (another round, amount or date): then it tells a deal of its own. Two rounds of
one firm ("去年9月完成A轮融资……今年3月又完成B轮融资") are two deals, each quoting its own sentence."""

from __future__ import annotations

from typing import Any

from aiorg.draft.facts import Fact

#: the values a fact joining a deal fills in where the deal has none
_FILLED = ("amount", "valuation", "stake", "date", "round")


def merge_deal(out: list[Fact], fact: Fact, keys: dict[int, str]) -> None:
    """Add a deal fact to the facts read so far: joined to the deal it names again, else its own."""
    targets = _targets(fact, keys)
    earlier = [o for o in reversed(out) if o.kind == "deal" and o.fields["kind"] == fact.fields["kind"]]
    if targets:
        same = next((o for o in earlier if targets & _targets(o, keys) and _fits(o, fact)), None)
    else:  # a deal named again ("这笔收购", "the deal"): the last one of its kind, nearby
        last = next((o for o in earlier if fact.sentence - o.sentence <= 2), None)
        same = last if last is not None and _fits(last, fact) else None
    if same is None:
        if targets:  # a fact naming no party and no deal it refers back to is left out
            out.append(fact)
        return
    _join(same, fact, keys)


def _targets(fact: Fact, keys: dict[int, str]) -> set[str]:
    return {keys[m.start] for m in fact.fields["targets"]}


def _fits(deal: Fact, fact: Fact) -> bool:
    """Whether a fact can be told of a deal: it names no other round and no other amount, and a
    date the deal does not have only with a step the deal has not had (the B round "completed"
    in March is not the A round "completed" last September; an acquisition agreed in March and
    completed in June is one deal)."""
    was, new = deal.fields, fact.fields
    if was.get("round") and new.get("round") and was["round"] != new["round"]:
        return False
    if was["amount"] is not None and new["amount"] is not None and _money(was["amount"]) != _money(new["amount"]):
        return False
    if was["date"] is not None and new["date"] is not None and _apart(was["date"].date, new["date"].date):
        steps = was.get("steps", [was["status"]])
        return not new["status_inferred"] and new["status"] not in steps
    return True


def _money(amount: Any) -> tuple[Any, str]:
    return amount.value, amount.currency


def _apart(one: Any, other: Any) -> bool:
    """Whether two dates certainly differ (2024-09 and 2025-03; not 2024 and 2024-09)."""
    return bool(one.before(other) or other.before(one))


def _join(same: Fact, fact: Fact, keys: dict[int, str]) -> None:
    same.extra += fact.evidence[:1]
    known_targets = _targets(same, keys)
    same.fields["targets"] += [m for m in fact.fields["targets"] if keys[m.start] not in known_targets]
    # Each step keeps the date of the sentence telling it (before the deal's date is filled in:
    # "completed in April" is not dated by "agreed in January", nor an undated step by another's).
    steps = same.fields.setdefault("steps", [same.fields["status"]])
    dates = same.fields.setdefault("step_dates", [same.fields["date"]])
    for name in _FILLED:
        same.fields[name] = same.fields.get(name) or fact.fields.get(name)
    same.fields["parties_inferred"] = same.fields["parties_inferred"] and fact.fields["parties_inferred"]
    if fact.fields["status_inferred"]:
        return  # a guess adds no step to a deal told already
    if same.fields["status_inferred"] and len(steps) == 1:  # a stated status replaces the guess
        steps[0] = fact.fields["status"]
        dates[0] = fact.fields["date"] or dates[0]
        same.fields["status_inferred"] = False
    elif fact.fields["status"] != steps[-1]:
        steps.append(fact.fields["status"])
        dates.append(fact.fields["date"])
