"""A deliberately naive twin of every listing query: plain loops over a plain knowledge base.

It reads the same generated records as the real queries (as plain dicts, never through the
KnowledgeBase or the store) and spells each documented rule out the long way, so the two can
only agree by both being right. It knows nothing about indexes, stores or caches.

Each function returns the identity of every row, in order, plus the fields a filter changes
(an --as-of view, the number a money filter matched).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from aiorg.dates import FuzzyDate
from aiorg.money import Money

Spec = dict[str, list[dict[str, Any]]]

DEPARTURES = {"left", "founded", "advisor", "reported"}
FORMAL = {"left", "founded"}


def _date(text: str | None) -> FuzzyDate | None:
    return FuzzyDate.parse(text) if text else None


def family(spec: Spec, firm: str) -> set[str]:
    """The firm and every firm whose chain of parents reaches it."""
    out = set()
    for candidate in spec["firms"]:
        node: str | None = candidate["id"]
        seen = set()
        while node is not None and node not in seen:
            seen.add(node)
            if node == firm:
                out.add(candidate["id"])
                break
            node = next((f.get("parent") for f in spec["firms"] if f["id"] == node), None)
    return out


def _admits(since: date | None, until: date | None, when: FuzzyDate | None) -> bool:
    if since is None and until is None:
        return True
    if when is None:
        return False
    if since is not None and when.latest is not None and when.latest < since:
        return False
    return not (until is not None and when.earliest is not None and when.earliest > until)


def _has_ended(t: dict[str, Any]) -> bool:
    return bool(t.get("end_cause")) or bool(t.get("end")) or t.get("current") is False


def people(
    spec: Spec,
    *,
    left: str | None = None,
    joined: str | None = None,
    at: str | None = None,
    cause: str | None = None,
    area: str | None = None,
    formal: bool = False,
    since: date | None = None,
    until: date | None = None,
    as_of: date | None = None,
) -> list[tuple[str, str, str | None, str | None]]:
    """(spell id, state, cause, end) of every matching spell, as it stood on as_of."""
    published = _date(spec["sources"][0].get("published"))
    firms = None
    for f in (left, joined, at):
        if f is not None:
            firms = family(spec, f) if firms is None else firms & family(spec, f)
    out = []
    for t in spec["tenures"]:
        if firms is not None and t["firm"] not in firms:
            continue
        if area is not None and t.get("area") != area:
            continue
        if joined is not None and t.get("replaces") is not None:
            continue
        start, end = _date(t.get("start")), _date(t.get("end"))
        ended = _has_ended(t)
        state = "ended" if ended else ("current" if t.get("current") else "unknown")
        view_cause, view_end = t.get("end_cause"), end
        if as_of is not None:
            # has it begun?
            if start is not None and not (start.latest is not None and start.latest <= as_of):
                continue  # not yet, or the dates cannot say
            # has it ended?
            if ended:
                if end is not None:
                    if end.latest is not None and end.latest <= as_of:
                        ended_then = "yes"
                    elif end.earliest is not None and end.earliest > as_of:
                        ended_then = "no"
                    else:
                        ended_then = "undecided"
                elif published is not None and published.latest is not None and published.latest <= as_of:
                    ended_then = "yes"
                else:
                    ended_then = "undecided"
            else:
                ended_then = "no"
            if ended_then == "undecided":
                continue
            if ended_then == "no":
                state = "unknown" if state == "unknown" else "current"
                view_cause, view_end = None, None
        if (left is not None or formal) and view_cause not in (FORMAL if formal else DEPARTURES):
            continue
        if at is not None and state == "ended":
            continue
        if cause is not None and view_cause != cause:
            continue
        if left is not None or cause is not None:
            moment = view_end
        elif joined is not None:
            moment = start
        else:
            moment = view_end or start
        if not _admits(since, until, moment):
            continue
        person = next(p for p in spec["people"] if p["id"] == t["person"])
        when = view_end or start
        order = when.sort_key() if when else (date.max, date.max)
        out.append((order, person["name"], t["id"], (t["id"], state, view_cause, view_end.text if view_end else None)))
    out.sort(key=lambda item: (item[0], item[1], item[2]))
    return [item[3] for item in out]


def _usd(text: str | None, rates: dict[str, float]) -> float | None:
    if text is None:
        return None
    money = Money.parse(text)
    if money.currency == "USD":
        return money.value
    return money.value * rates[money.currency] if money.currency in rates else None


def deals(
    spec: Spec,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    basis: str = "any",
    party: str | None = None,
    kind: str | None = None,
    status: str | None = None,
    since: date | None = None,
    until: date | None = None,
    rates: dict[str, float] | None = None,
) -> list[tuple[str, str | None, float | None]]:
    """(deal id, matched on, matched USD) of every matching deal, largest first."""
    rates = rates or {}
    parties = family(spec, party) | {party} if party else None
    out = []
    for d in spec["deals"]:
        if parties is not None and not parties & set(d.get("buyers", []) + d.get("targets", []) + d.get("people", [])):
            continue
        if kind is not None and d["kind"] != kind:
            continue
        if status is not None and d["history"][-1]["status"] != status:
            continue
        if (since is not None or until is not None) and not any(
            _admits(since, until, _date(entry.get("date"))) for entry in d["history"]
        ):
            continue
        figures = []
        amount = _usd(d.get("amount"), rates)
        if amount is not None:
            figures.append(("amount", amount))
        if d.get("valuation") is not None:
            valuation = _usd(d.get("valuation"), rates)
            if valuation is not None:
                figures.append(("valuation", valuation))
        elif amount is not None and d.get("stake"):
            figures.append(("implied valuation", amount * 100 / float(str(d["stake"]).rstrip("%"))))
        if basis == "amount":
            figures = [f for f in figures if f[0] == "amount"]
        elif basis == "valuation":
            figures = [f for f in figures if f[0] != "amount"]
        matched = None
        for label, value in figures:
            if (minimum is None or value >= minimum) and (maximum is None or value <= maximum):
                matched = (label, value)
                break
        if (minimum is not None or maximum is not None) and matched is None:
            continue
        out.append((-(matched[1] if matched else -1.0), d["id"], (d["id"], *(matched or (None, None)))))
    out.sort(key=lambda item: (item[0], item[1]))
    return [item[2] for item in out]


def timeline(
    spec: Spec,
    *,
    firm: str | None = None,
    person: str | None = None,
    since: date | None = None,
    until: date | None = None,
) -> list[tuple[str, str, str]]:
    """(record, kind, date) of every dated fact, in order."""
    items: list[tuple[FuzzyDate, str, list[str], str]] = []
    for t in spec["tenures"]:
        if t.get("start"):
            items.append((FuzzyDate.parse(t["start"]), "role_start", [t["person"], t["firm"]], t["id"]))
        if t.get("end"):
            kind = "role_end:" + (t.get("end_cause") or "ended")
            items.append((FuzzyDate.parse(t["end"]), kind, [t["person"], t["firm"]], t["id"]))
    for d in spec["deals"]:
        for entry in d["history"]:
            if entry.get("date"):
                subjects = d.get("buyers", []) + d.get("targets", []) + d.get("people", [])
                items.append((FuzzyDate.parse(entry["date"]), "deal:" + entry["status"], subjects, d["id"]))
    for e in spec["events"]:
        if e.get("date"):
            subjects = e["subjects"] + ([e["into"]] if e.get("into") else [])
            items.append((FuzzyDate.parse(e["date"]), e["kind"], subjects, e["id"]))
    for m in spec["metrics"]:
        if m.get("as_of"):
            items.append((FuzzyDate.parse(m["as_of"]), "metric:" + m["metric"], [m["subject"]], m["id"]))
    wanted = None
    if firm is not None:
        wanted = family(spec, firm)
        wanted |= {p["id"] for p in spec["products"] if p["maker"] in wanted}
    out = []
    for when, kind, subjects, record in items:
        if wanted is not None and not wanted & set(subjects):
            continue
        if person is not None and person not in subjects:
            continue
        if not _admits(since, until, when):
            continue
        out.append(((when.sort_key(), 0 if kind.startswith("role_end") else 1, record), (record, kind, when.text)))
    out.sort(key=lambda item: item[0])
    return [item[1] for item in out]


def flows(spec: Spec, *, origin: str | None = None, destination: str | None = None) -> list[tuple[str, str, list[str]]]:
    """(origin, destination, people) of every flow, largest first."""
    firm_ids = {f["id"] for f in spec["firms"]}
    moves: list[tuple[str, str, str]] = []
    for t in spec["tenures"]:
        if t.get("after"):
            previous = next(p for p in spec["tenures"] if p["id"] == t["after"])
            moves.append((previous["firm"], t["firm"], t["person"]))
    for d in spec["deals"]:
        if d.get("superseded_by"):
            continue
        for who in d.get("people", []):
            origins = [x for x in d.get("targets", []) if x != who and x in firm_ids]
            if origins:
                source_firm: str | None = origins[0]
            else:
                running = [t for t in spec["tenures"] if t["person"] == who and not _has_ended(t)]
                source_firm = running[0]["firm"] if len(running) == 1 else None
            if source_firm is None:
                continue
            for buyer in d.get("buyers", []):
                moves.append((source_firm, buyer, who))
    grouped: dict[tuple[str, str], list[str]] = {}
    for a, b, who in moves:
        if origin is not None and a not in family(spec, origin):
            continue
        if destination is not None and b not in family(spec, destination):
            continue
        bucket = grouped.setdefault((a, b), [])
        if who not in bucket:
            bucket.append(who)
    names = {f["id"]: f["name"] for f in spec["firms"]}
    rows = [(a, b, who) for (a, b), who in grouped.items()]
    rows.sort(key=lambda r: (-len(r[2]), names.get(r[0], r[0]), names.get(r[1], r[1])))
    return rows


def firms(spec: Spec, *, group: str | None = None, country: str | None = None) -> list[tuple[str, int, int, int]]:
    """(firm, people, departures, deals) of every matching firm, by name."""
    out = []
    for f in spec["firms"]:
        if group is not None and group not in f.get("groups", []):
            continue
        if country is not None and (f.get("country") or "").casefold() != country.casefold():
            continue
        fam = family(spec, f["id"])
        spells = [t for t in spec["tenures"] if t["firm"] in fam]
        departures = [t for t in spells if t.get("end_cause") in DEPARTURES]
        deal_ids = {
            d["id"]
            for d in spec["deals"]
            if fam & set(d.get("buyers", []) + d.get("targets", []) + d.get("people", []))
        }
        out.append(
            (f["name"].casefold(), (f["id"], len({t["person"] for t in spells}), len(departures), len(deal_ids)))
        )
    out.sort(key=lambda item: item[0])
    return [item[1] for item in out]


def search_names(spec: Spec, text: str) -> set[str]:
    """Ids of named records with a name, alias, former name or id containing `text`."""
    from aiorg.names import normalise_name

    needle = normalise_name(text)
    found = set()
    for kind in ("people", "firms", "groups", "products"):
        for record in spec[kind]:
            names = [record["id"], record["name"], record.get("name_zh"), *record.get("aliases", [])]
            if any(n and needle and needle in normalise_name(n) for n in names):
                found.add(record["id"])
    return found
