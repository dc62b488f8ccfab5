"""The oracle's deal rows: every key a `deals` row has, from the plain dict spec (tests/oracle.py)."""

from __future__ import annotations

from functools import partial
from typing import Any

from aiorg.dates import NOT_STATED, FuzzyDate
from aiorg.money import Money, format_amount
from tests import oracle_claims as claims

Spec = dict[str, list[dict[str, Any]]]


def _date(text: str | None) -> FuzzyDate | None:
    return FuzzyDate.parse(text) if text else None


def _described(value: Any) -> str:
    return FuzzyDate.parse(str(value)).describe()


def _name(spec: Spec, record_id: str) -> str:
    for record in spec["firms"] + spec["people"]:
        if record["id"] == record_id:
            return str(record["name"]) + (f" ({record['name_zh']})" if record.get("name_zh") else "")
    return record_id


def _mark(record: dict[str, Any], field: str, text: str) -> str:
    """`text` with " (inferred)" after it when the record's `inferred` list names the field."""
    return text + " (inferred)" if field in record.get("inferred", []) and record.get(field) else text


#: the fields of a deal a `deals` row shows, in the order its `inferred` names them
DEAL_FIELDS = ("kind", "title", "buyers", "targets", "people", "amount", "valuation", "stake", "conditions",
               "superseded_by")  # fmt: skip


def inferred(
    record: dict[str, Any], fields: tuple[str, ...], shown: dict[str, Any] | None = None, prefix: str = ""
) -> list[str]:
    """A row's `inferred`, the long way: each of `fields` that the record's `inferred` list names and
    the record states (an unstated certainty is 'confirmed'), unless the row shows another value
    of it (`shown`: the value shown, where it may be another source's, or none)."""
    found = []
    for field in fields:
        own = record.get(field, "confirmed" if field == "certainty" else None)
        if field not in record.get("inferred", []) or own in (None, [], ""):
            continue
        value = (shown or {}).get(field, own)  # the value the row shows
        if value is not None and claims.text(field, value) == claims.text(field, own):
            found.append(prefix + field)
    return found


def matched_text(version: dict[str, Any], label: str, usd: float, rates: dict[str, float]) -> str:
    """The matched figure as a deal row's `value` reads, in US dollars with the bound of the amount
    or valuation it is (an implied valuation: of its amount), written out here the long way."""
    money = Money.parse(version["valuation" if label == "valuation" else "amount"])
    if money.bound.value == "several":
        top = money.high * (rates[money.currency] if money.currency != "USD" else 1)  # type: ignore[operator]
        if label == "implied valuation":
            top = top * 100 / claims.percent(version["stake"])
        return f"several ({format_amount(usd)}–{format_amount(top)})"
    words = {"exact": "", "approx": "~", "estimate": "est. ", "up_to": "up to ", "at_least": "at least "}
    return words[money.bound.value] + format_amount(usd)


def deal_row(
    spec: Spec,
    d: dict[str, Any],
    shown: dict[str, Any],
    matched: tuple[str, float, str] | None,
    sources: claims.Sources,
    version: dict[str, Any] | None = None,
) -> dict[str, Any]:
    dispute = claims.disputed(d)
    for entry in d["history"]:
        dispute += [f"history.{f}" for f in claims.disputed(entry) if f"history.{f}" not in dispute]
    made_of = {"amount": ["amount"], "valuation": ["valuation"], "implied valuation": ["amount", "stake"]}
    value = None
    if matched is not None:
        value = matched[2]
        behind = {c["source"] for f in made_of[matched[0]] if f in dispute for c in claims.claims(d, f)}
        figures = version if version is not None else shown
        own = [f for f in made_of[matched[0]] if f in d.get("inferred", []) and d.get(f) and figures.get(f)]
        if any(claims.text(f, d[f]) == claims.text(f, figures[f]) for f in own):
            value += " (inferred)"  # made of a value the deal's own source infers
        if behind:
            value += f" (disputed, {len(behind)} sources)"
    amount = Money.parse(shown["amount"]) if shown.get("amount") else None
    valuation = Money.parse(shown["valuation"]) if shown.get("valuation") else None
    stake = claims.percent(shown["stake"]) if shown.get("stake") else None
    implied = None
    if valuation is None and amount is not None and amount.currency == "USD" and stake:
        implied = amount.value * 100 / stake
    dates = [claims.shown(entry, "date", sources) for entry in d["history"]]
    latest_date = next((_date(w) for w in reversed(dates) if w), None)
    dated = [entry for entry, w in zip(d["history"], dates, strict=True) if w]
    # the date shown, with every date its step's sources give when they disagree
    show_date = claims.marked(dated[-1], "date", _described) if dated else _described
    when = show_date(latest_date.text) if latest_date else NOT_STATED
    if dated and "date" in claims.disputed(dated[-1]):
        when = claims.note(dated[-1], "date", sources, show_date)
    latest = d["history"][-1]
    figures = {f: shown.get(f) for f in ("amount", "valuation", "stake")}
    inferences = inferred(d, DEAL_FIELDS, figures) + inferred(latest, ("status",), prefix="history.")
    if dated:  # the date shown, of the step dating the deal
        inferences += inferred(dated[-1], ("date",), {"date": next(w for w in reversed(dates) if w)}, "history.")
    inferences += inferred(latest, ("certainty",), prefix="history.")
    every = "conditions" in d.get("inferred", []) and d.get("conditions")  # each condition an inference
    conditions = d.get("conditions", [])
    money_text = {f: claims.marked(d, f, partial(claims.text, f)) for f in ("amount", "valuation")}
    parts = [d, *d["history"], *d.get("conditions", [])]
    # Cited: the first source giving the money the row leads with (the figure that matched, else the
    # amount shown, else the valuation) when it is disputed or only another source states it.
    cited = latest
    if matched is not None and version is not None:
        field = "valuation" if matched[0] == "valuation" else "amount"
        money = version.get(field)
    else:
        field = "amount" if shown.get("amount") else "valuation"
        money = shown.get(field)
    if money and (field in dispute or not d.get(field)):
        saying = [c for c in claims.claims(d, field) if Money.parse(str(c["value"])) == Money.parse(str(money))]
        if saying:
            cited = claims.told_by(d, claims.ranked(saying, sources)[0])
    return {
        "deal": d["id"],
        "title": _mark(d, "title", d["title"]) if d.get("title") else d.get("title"),
        "kind": d["kind"],
        "status": latest["status"],
        "status_text": _mark(latest, "status", latest["status"])
        + (f" (superseded by {_mark(d, 'superseded_by', d['superseded_by'])})" if d.get("superseded_by") else ""),
        "buyers": d.get("buyers", []),
        "buyer_names": [_mark(d, "buyers", _name(spec, i)) for i in d.get("buyers", [])],
        "targets": d.get("targets", []),
        "target_names": [_mark(d, "targets", _name(spec, i)) for i in d.get("targets", [])],
        "people": d.get("people", []),
        "amount_usd": amount.value if amount and amount.currency == "USD" else None,
        "amount": claims.note(d, "amount", sources, money_text["amount"])
        if "amount" in dispute
        else (money_text["amount"](shown["amount"]) if amount else None),
        "currency": amount.currency if amount else None,
        "valuation_usd": valuation.value if valuation and valuation.currency == "USD" else None,
        "valuation": claims.note(d, "valuation", sources, money_text["valuation"])
        if "valuation" in dispute
        else (money_text["valuation"](shown["valuation"]) if valuation else None),
        "implied_valuation_usd": implied,
        "stake_percent": stake,
        "date": latest_date.text if latest_date else None,
        "when": when,
        "conditions": [c["text"] + " (inferred)" if every else _mark(c, "text", c["text"]) for c in conditions],
        "superseded_by": d.get("superseded_by"),
        "matched_on": matched[0] if matched else None,
        "value_usd": matched[1] if matched else None,
        "value": value,
        "certainty": latest.get("certainty") or "confirmed",
        "disputed": dispute,
        "inferred": inferences,
        "source": cited["source"],
        "sources": list(dict.fromkeys(s for part in parts for s in claims.all_sources(part))),
        "quote": cited["quote"] if isinstance(cited["quote"], str) else cited["quote"][0],
        "checked": "unchecked",  # the oracle's sources have no archived text
    }
