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

from aiorg.dates import NOT_STATED, FuzzyDate
from aiorg.model import EndCause
from aiorg.money import Money
from aiorg.queries.common import CAUSE_TEXT
from tests import oracle_claims as claims
from tests.oracle_rows import deal_row, inferred, matched_text

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


def parent_inferred(spec: Spec, unit: str, firm: str) -> bool:
    """Whether `unit` is below `firm` only through a parent link some firm on the way marks inferred."""
    node: str | None = unit
    seen: set[str] = set()
    while node is not None and node != firm and node not in seen:
        seen.add(node)
        record = next(f for f in spec["firms"] if f["id"] == node)
        if "parent" in record.get("inferred", []):
            return True
        node = record.get("parent")
    return False


def through_parents(spec: Spec, ids: list[str], firms: list[str]) -> bool:
    """Whether, for one of `firms`, every id in its family among `ids` is there only through an
    inferred parent link (a listing filtered on that firm marks the row)."""
    for firm in firms:
        if not any(f["id"] == firm for f in spec["firms"]):
            continue  # a person: the row names them directly
        linked = [i for i in ids if i in family(spec, firm)]
        if linked and all(parent_inferred(spec, i, firm) for i in linked):
            return True
    return False


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


#: the fields the people filters read, and those a row shows (README, "When sources disagree")
PEOPLE_FILTERED = ("start", "end", "end_cause", "current", "area")
PEOPLE_SHOWN = ("start", "end", "end_cause", "current", "title", "area", "certainty")
#: the fields of a spell a `people` row shows, in the order its `inferred` names them
SPELL_FIELDS = ("person", "firm", "title", "title_zh", "area", "kind", "start", "end", "end_cause", "current",
                "certainty")  # fmt: skip
#: the numbers a money filter reads
FIGURES = ("amount", "valuation", "stake")


def _sources(spec: Spec) -> claims.Sources:
    return {s["id"]: s for s in spec["sources"]}


def _view(
    t: dict[str, Any], as_of: date | None, sources: claims.Sources, record: dict[str, Any]
) -> tuple[str, str | None, FuzzyDate | None] | None:
    """(state, cause, end) of one version `t` of a spell `record` as it stood on as_of; None if it
    had not begun or its dates cannot say."""
    start, end = _date(t.get("start")), _date(t.get("end"))
    ended = _has_ended(t)
    state = "ended" if ended else ("current" if t.get("current") else "unknown")
    if as_of is None:
        return state, t.get("end_cause"), end
    if start is not None and not (start.latest is not None and start.latest <= as_of):
        return None  # not yet begun, or the dates cannot say
    if not ended:
        return state, None, None
    if end is not None:
        if end.latest is not None and end.latest <= as_of:
            return state, t.get("end_cause"), end
        if end.earliest is not None and end.earliest > as_of:
            return "current", None, None
        return None
    # Undated: it ended at the latest when a source saying so was published.
    saying = [c["source"] for c in claims.claims(record, "end_cause") if t.get("end_cause") is not None
              and claims.text("end_cause", c["value"]) == claims.text("end_cause", t["end_cause"])]  # fmt: skip
    for source in saying or [t["source"]]:
        published = _date(sources.get(source, {}).get("published"))
        if published is not None and published.latest is not None and published.latest <= as_of:
            return state, t.get("end_cause"), end
    return None


def _described(value: Any) -> str:
    """A claimed date as a listing writes it: 'by 2024-10'."""
    return FuzzyDate.parse(str(value)).describe()


def people(spec: Spec, **options: Any) -> list[tuple[str, str, str | None, str | None]]:
    """(spell id, state, cause, end) of every matching spell, as it stood on as_of."""
    return [(r["tenure"], r["state"], r["cause"], r["end"]) for r in people_rows(spec, **options)]


def _state_note(t: dict[str, Any], sources: claims.Sources) -> str:
    """'still in the role | left (disputed, 2 sources)': sources disagree on whether the spell is ongoing."""
    found = claims.claims(t, "current")
    texts = []
    for c in claims.ranked(found, sources):
        cause = claims.told_by(t, c).get("end_cause")
        said = "still in the role" if c["value"] is True else CAUSE_TEXT[EndCause(cause)] if cause else "ended"
        if said not in texts:
            texts.append(said)
    return f"{' | '.join(texts)} (disputed, {len({c['source'] for c in found})} sources)"


def people_rows(
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
) -> list[dict[str, Any]]:
    """Every matching spell's full row, as it stood on as_of. A spell matches if any version its
    sources tell does (every combination of their values for the fields the filters read). With
    `at`, a row whose spell is neither ended nor stated current reads 'end not stated'."""
    sources = _sources(spec)
    firms = None
    for f in (left, joined, at):
        if f is not None:
            firms = family(spec, f) if firms is None else firms & family(spec, f)

    def matches(version: dict[str, Any], view: tuple[str, str | None, FuzzyDate | None]) -> bool:
        state, view_cause, view_end = view
        if area is not None and version.get("area") != area:
            return False
        if (left is not None or formal) and view_cause not in (FORMAL if formal else DEPARTURES):
            return False
        if at is not None and state == "ended":
            return False
        if cause is not None and view_cause != cause:
            return False
        start = _date(version.get("start"))
        if left is not None or cause is not None:
            moment = view_end
        elif joined is not None:
            moment = start
        else:
            moment = view_end or start
        return _admits(since, until, moment)

    out = []
    for t in spec["tenures"]:
        if firms is not None and t["firm"] not in firms:
            continue
        if joined is not None and t.get("replaces") is not None:
            continue
        shown = claims.shown_record(t, PEOPLE_SHOWN, sources)
        told = [shown, *claims.told_versions(t, PEOPLE_FILTERED), *claims.versions(t, PEOPLE_FILTERED)]
        found = None
        for index, version in enumerate(told):
            view = _view(version, as_of, sources, t)
            if view is not None and matches(version, view):
                found = (index, view, version)
                break
        if found is None:
            continue
        # The row shows the version shown first as it stood on the day, unless that one cannot be
        # placed then, or the matching version had ended by then and it had not.
        shown_view = _view(shown, as_of, sources, t)
        display, displayed = (found[1], found[2]) if shown_view is None or found[0] == 0 else (shown_view, shown)
        if found[1][1] is not None and display[1] is None:
            display, displayed = found[1], found[2]
        state, view_cause, view_end = display
        person = next(p for p in spec["people"] if p["id"] == t["person"])
        firm = next(f for f in spec["firms"] if f["id"] == t["firm"])
        start = _date(displayed.get("start"))  # the start of the version the row shows
        when = view_end if state == "ended" else start
        dispute = claims.disputed(t)
        saying = []  # the row cites the first source giving the cause it shows, else its end date
        if view_cause is not None:
            saying = [c for c in claims.claims(t, "end_cause") if c["value"] == view_cause]
        elif state == "ended" and view_end is not None:
            saying = [c for c in claims.claims(t, "end") if FuzzyDate.parse(str(c["value"])) == view_end]
        cited = claims.told_by(t, claims.ranked(saying, sources)[0]) if saying else t
        when_field = "end" if state == "ended" else "start"
        show_date = claims.marked(t, when_field, _described)  # an inferred date says so
        when_text = show_date(when.text) if when else NOT_STATED
        if when is not None and when_field in dispute:  # every claimed date, in the order shown
            when_text = claims.note(t, when_field, sources, show_date)
        # the fields the row shows that the spell infers, each with the value the row shows
        values = {"start": displayed.get("start"), "end": view_end.text if view_end else None, "end_cause": view_cause,
                  "current": {"current": True, "ended": False}.get(state), "title": shown.get("title"),
                  "area": shown.get("area"), "certainty": shown.get("certainty") or "confirmed"}  # fmt: skip
        inferences = inferred(t, SPELL_FIELDS, values)
        show_cause = claims.marked(t, "end_cause", lambda value: claims.text("end_cause", value))
        cause_text = CAUSE_TEXT[EndCause(view_cause) if view_cause else None]
        if view_cause is not None and show_cause(view_cause).endswith(" (inferred)"):
            cause_text += " (inferred)"
        row = {
            "person": t["person"],
            "name": _mark(t, "person", person["name"]),
            "name_zh": person.get("name_zh"),
            "firm": t["firm"],
            "firm_name": _mark(t, "firm", firm["name"] + (f" ({firm['name_zh']})" if firm.get("name_zh") else "")),
            "title": claims.marked(t, "title", str)(shown["title"]) if shown.get("title") is not None else None,
            "title_zh": _mark(t, "title_zh", t["title_zh"]) if t.get("title_zh") is not None else None,
            "area": shown.get("area"),
            "kind": t.get("kind"),
            "state": state,
            "cause": view_cause,
            "cause_text": _state_note(t, sources)
            if "current" in dispute
            else claims.note(t, "end_cause", sources, show_cause)
            if view_cause is not None and "end_cause" in dispute
            else cause_text,
            "formal_departure": view_cause in FORMAL,
            "start": start.text if start else None,
            "end": view_end.text if view_end else None,
            "when": when_text,
            "certainty": shown.get("certainty") or "confirmed",
            "disputed": dispute,
            "inferred": inferences,
            "tenure": t["id"],
            "source": cited["source"],
            "sources": claims.all_sources(t),
            "quote": cited["quote"] if isinstance(cited["quote"], str) else cited["quote"][0],
            "checked": "unchecked",  # the oracle's sources have no archived text
        }
        if through_parents(spec, [t["firm"]], [f for f in (left, joined, at) if f is not None]):
            row["inferred"] = [*row["inferred"], "parent"]
            row["firm_name"] += " (parent inferred)"
        # --at lists spells not ended; one that began but that no source ends or calls current says
        # so, unless a source disputes whether it is current (its note says that) or it is only planned
        if at is not None and state == "unknown" and "current" not in dispute and row["certainty"] != "planned":
            row["cause_text"] = "end not stated"
        moment = view_end or start
        order = moment.sort_key() if moment else (date.max, date.max)
        out.append((order, person["name"], t["id"], row))
    out.sort(key=lambda item: (item[0], item[1], item[2]))
    return [item[3] for item in out]


def _usd(text: str | None, rates: dict[str, float]) -> float | None:
    if text is None:
        return None
    money = Money.parse(text)
    if money.currency == "USD":
        return money.value
    return round(money.value * rates[money.currency], 2) if money.currency in rates else None  # to the cent


def _figures(d: dict[str, Any], rates: dict[str, float]) -> list[tuple[str, float]]:
    figures = []
    amount = _usd(d.get("amount"), rates)
    if amount is not None:
        figures.append(("amount", amount))
    if d.get("valuation") is not None:
        valuation = _usd(d.get("valuation"), rates)
        if valuation is not None:
            figures.append(("valuation", valuation))
    elif amount is not None and d.get("stake"):
        figures.append(("implied valuation", amount * 100 / claims.percent(d["stake"])))
    return figures


def deals(spec: Spec, **options: Any) -> list[tuple[str, str | None, float | None]]:
    """(deal id, matched on, matched USD) of every matching deal, largest first."""
    return [(r["deal"], r["matched_on"], r["value_usd"]) for r in deal_rows(spec, **options)]


def deal_rows(
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
) -> list[dict[str, Any]]:
    """Every matching deal's full row, largest first. A money filter keeps a deal if any
    combination of its sources' amounts, valuations and stakes has a number in range."""
    rates = rates or {}
    sources = _sources(spec)
    parties = family(spec, party) | {party} if party else None
    out = []
    for d in spec["deals"]:
        if parties is not None and not parties & set(d.get("buyers", []) + d.get("targets", []) + d.get("people", [])):
            continue
        if kind is not None and d["kind"] != kind:
            continue
        if status is not None and d["history"][-1]["status"] != status:
            continue
        step_dates = [_date(c["value"]) for entry in d["history"] for c in claims.claims(entry, "date")]
        if (since is not None or until is not None) and not any(_admits(since, until, w) for w in step_dates):
            continue
        shown = claims.shown_record(d, FIGURES, sources)
        matched, matched_version = None, None
        for version in [shown, *claims.versions(d, FIGURES)]:
            figures = _figures(version, rates)
            if basis == "amount":
                figures = [f for f in figures if f[0] == "amount"]
            elif basis == "valuation":
                figures = [f for f in figures if f[0] != "amount"]
            for label, value in figures:
                if (minimum is None or value >= minimum) and (maximum is None or value <= maximum):
                    matched = (label, value, matched_text(version, label, value, rates))
                    matched_version = version
                    break
            if matched is not None:
                break
        if (minimum is not None or maximum is not None) and matched is None:
            continue
        row = deal_row(spec, d, shown, matched, sources, matched_version)
        if party is not None and through_parents(
            spec, d.get("buyers", []) + d.get("targets", []) + d.get("people", []), [party]
        ):
            row["inferred"] = [*row["inferred"], "parent"]
            for ids, names in (("buyers", "buyer_names"), ("targets", "target_names")):
                row[names] = [
                    name + " (parent inferred)"
                    if i in family(spec, party) and parent_inferred(spec, i, party)
                    else name
                    for i, name in zip(row[ids], row[names], strict=True)
                ]
        out.append((-(matched[1] if matched else -1.0), d["id"], row))
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
    return [(r["record"], r["kind"], r["date"]) for r in timeline_rows(spec, firm=firm, person=person, since=since,
                                                                       until=until)]  # fmt: skip


#: the fields each timeline row states beside its date: those its `disputed` may name
TIMELINE_STATES = {
    "role_start": ("start", "title", "certainty"),
    "role_end": ("end", "end_cause", "current", "title", "certainty"),
    "deal": ("date", "certainty"),
    "event": ("date", "certainty"),
    "metric": ("as_of", "value", "certainty"),
}


def _any_name(spec: Spec, record_id: str) -> str:
    for record in spec["firms"] + spec["people"] + spec["products"]:
        if record["id"] == record_id:
            return str(record["name"]) + (f" ({record['name_zh']})" if record.get("name_zh") else "")
    return record_id


def timeline_rows(
    spec: Spec,
    *,
    firm: str | None = None,
    person: str | None = None,
    since: date | None = None,
    until: date | None = None,
) -> list[dict[str, Any]]:
    """Every dated fact's row, in order. A fact is dated and told by the values shown first
    (README, "When sources disagree"); a disputed value lists every claim; a date window keeps a
    fact when any date a source gives it may fall inside."""
    sources = _sources(spec)
    items: list[tuple[FuzzyDate, list[FuzzyDate], dict[str, Any]]] = []

    def add(record: dict[str, Any], field: str, kind: str, states: str, fact: str, subjects: list[str], text: str,
            inferences: list[str], prefix: str = "", dated: str | None = None) -> None:  # fmt: skip
        shown = claims.shown_record(record, (field, "certainty"), sources)
        when = FuzzyDate.parse(str(dated or shown[field]))
        dispute = claims.disputed(record)
        # cited to the first source giving the date, or a role end's cause
        if kind.startswith("role_end:") and kind != "role_end:ended":
            cause = kind.removeprefix("role_end:")
            saying = [c for c in claims.claims(record, "end_cause") if c["value"] == cause]
        else:
            saying = [c for c in claims.claims(record, field) if FuzzyDate.parse(str(c["value"])) == when]
        cited = claims.told_by(record, claims.ranked(saying, sources)[0]) if saying else record
        quote = cited["quote"] if isinstance(cited["quote"], str) else cited["quote"][0]
        show = claims.marked(record, field, _described)  # an inferred date says so
        row = {
            "date": when.text,
            "when": claims.note(record, field, sources, show) if field in dispute else show(when.text),
            "kind": kind,
            "subjects": subjects,
            "text": text,
            "certainty": shown.get("certainty") or "confirmed",
            "disputed": [prefix + f for f in TIMELINE_STATES[states] if f in dispute],
            "inferred": inferences,
            "record": fact,
            "source": cited["source"],
            "sources": claims.all_sources(record),
            "quote": quote,
            "checked": "unchecked",  # the oracle's sources have no archived text
        }
        claimed = [FuzzyDate.parse(str(c["value"])) for c in claims.claims(record, field)]
        items.append((when, claimed, row))

    for t in spec["tenures"]:
        dispute = claims.disputed(t)
        shown = claims.shown_record(t, PEOPLE_SHOWN, sources)
        who, where = _mark(t, "person", _any_name(spec, t["person"])), _mark(t, "firm", _any_name(spec, t["firm"]))
        show_title = claims.marked(t, "title", str)  # an inferred title says so
        title = shown.get("title")
        role = claims.note(t, "title", sources, show_title) if "title" in dispute else \
            show_title(title) if title else "a role"  # fmt: skip
        values = {"start": shown.get("start"), "title": title, "certainty": shown.get("certainty") or "confirmed"}
        if shown.get("start"):
            text = f"{who} starts as {role} at {where}"
            rests = inferred(t, ("person", "firm", "title", "start", "certainty"), values)
            add(t, "start", "role_start", "role_start", t["id"], [t["person"], t["firm"]], text, rests)
        end, cause = shown.get("end"), shown.get("end_cause")
        if not end and "current" in dispute and claims.claims(t, "end"):  # shown as ongoing: the end a source gives
            first = claims.ranked(claims.claims(t, "end"), sources)[0]
            end = first["value"]
            cause = next(i for i in [t, *t.get("also", [])] if i["source"] == first["source"]).get("end_cause")
        if end:
            show_cause = claims.marked(t, "end_cause", str)
            said = CAUSE_TEXT[EndCause(cause) if cause else None]
            if cause and show_cause(cause).endswith(" (inferred)"):
                said += " (inferred)"
            text = f"{who}: {role} at {where} ends — " + (claims.note(t, "end_cause", sources, show_cause)
                                                          if "end_cause" in dispute else said)  # fmt: skip
            if "current" in dispute:
                text = f"{who}: {role} at {where} ends — {_state_note(t, sources)}"
            kind = "role_end:" + (cause or "ended")
            ending = values | {"end": end, "end_cause": cause, "current": shown.get("current")}
            rests = inferred(t, ("person", "firm", "title", "end", "end_cause", "current", "certainty"), ending)
            add(t, "end", kind, "role_end", t["id"], [t["person"], t["firm"]], text, rests, dated=str(end))
    for d in spec["deals"]:
        subjects = d.get("buyers", []) + d.get("targets", []) + d.get("people", [])
        for entry in d["history"]:
            if claims.shown(entry, "date", sources):
                title = _mark(d, "title", d["title"]) if d.get("title") else d["id"]
                parties = [f for f in ("buyers", "targets", "people") if f in d.get("inferred", []) and d.get(f)]
                text = f"{title} — {_mark(entry, 'status', entry['status'])}"
                text += f" ({', '.join(parties)} inferred)" if parties else ""
                told = {f: claims.shown(entry, f, sources) for f in ("date", "certainty")}
                rests = inferred(d, ("title", "buyers", "targets", "people"))
                rests += inferred(entry, ("date", "status", "certainty"), told, "history.")
                add(entry, "date", "deal:" + entry["status"], "deal", d["id"], subjects, text, rests, prefix="history.")
    for e in spec["events"]:
        if claims.shown(e, "date", sources):
            subjects = e["subjects"] + ([e["into"]] if e.get("into") else [])
            told = {f: claims.shown(e, f, sources) for f in ("date", "certainty")}
            rests = inferred(e, ("kind", "subjects", "into", "date", "text", "certainty"), told)
            add(e, "date", e["kind"], "event", e["id"], subjects, event_text(e), rests)
    for m in spec["metrics"]:
        if claims.shown(m, "as_of", sources):
            dispute = claims.disputed(m)
            value = claims.shown(m, "value", sources)
            show_number = claims.marked(m, "value", lambda v: f"{claims.number(v):,.10g}")
            number = claims.note(m, "value", sources, show_number) if "value" in dispute else show_number(value)
            unit = _mark(m, "unit", m["unit"]) if m.get("unit") else ""
            text = f"{_mark(m, 'subject', _any_name(spec, m['subject']))} {_mark(m, 'metric', m['metric'])} = {number}"
            text = f"{text} {unit}".rstrip()
            told = {f: claims.shown(m, f, sources) for f in ("as_of", "value", "certainty")}
            rests = inferred(m, ("subject", "metric", "value", "unit", "as_of", "certainty"), told)
            add(m, "as_of", "metric:" + m["metric"], "metric", m["id"], [m["subject"]], text, rests)
    wanted = None
    if firm is not None:
        wanted = family(spec, firm)
        wanted |= {p["id"] for p in spec["products"] if p["maker"] in wanted}
    out = []
    for when, claimed, row in items:
        if wanted is not None and not wanted & set(row["subjects"]):
            continue
        if firm is not None:  # there only through links that are inferences: it says so
            links = [x for x in (_link(spec, firm, s) for s in row["subjects"]) if x is not None]
            if links and all(links):
                names = [n for n in ("parent", "maker") if any(n in x for x in links)]
                row = row | {
                    "text": row["text"] + f" ({', '.join(names)} inferred)",
                    "inferred": [*row["inferred"], *names],
                }
        if person is not None and person not in row["subjects"]:
            continue
        if not any(_admits(since, until, day) for day in claimed):
            continue
        out.append(((when.sort_key(), 0 if row["kind"].startswith("role_end") else 1, row["record"]), row))
    out.sort(key=lambda item: item[0])
    return [item[1] for item in out]


def _link(spec: Spec, firm: str, record_id: str) -> list[str] | None:
    """What a subject's link to `firm` rests on that is an inference ([] when stated); None when
    it is neither a unit of the firm nor a product one of them makes."""
    if record_id in family(spec, firm):
        return ["parent"] if parent_inferred(spec, record_id, firm) else []
    product = next((p for p in spec["products"] if p["id"] == record_id), None)
    if product is None or product["maker"] not in family(spec, firm):
        return None
    maker = ["parent"] if parent_inferred(spec, product["maker"], firm) else []
    return maker + (["maker"] if "maker" in product.get("inferred", []) else [])


def _mark(record: dict[str, Any], field: str, text: str) -> str:
    """`text` with " (inferred)" after it when the record's `inferred` list names the field."""
    return text + " (inferred)" if field in record.get("inferred", []) and record.get(field) else text


def event_text(e: dict[str, Any]) -> str:
    """An event's text as a row says it: marked when inferred, then the inferred fields it rests on."""
    rests = [f for f in ("kind", "subjects", "into") if f in e.get("inferred", []) and e.get(f)]
    return _mark(e, "text", e["text"]) + (f" ({', '.join(rests)} inferred)" if rests else "")


def _flow_moves(spec: Spec) -> list[tuple[str | None, str, str, str | None]]:
    """(origin or None, destination, person, the spell left or None) of every move, spells first,
    then deals."""
    firm_ids = {f["id"] for f in spec["firms"]}
    moves: list[tuple[str | None, str, str, str | None]] = []
    for t in spec["tenures"]:
        if t.get("after"):
            previous = next(p for p in spec["tenures"] if p["id"] == t["after"])
            moves.append((previous["firm"], t["firm"], t["person"], previous["id"]))
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
            left = _spell_on_deal_date(spec, d, who, source_firm) if source_firm else None
            for buyer in d.get("buyers", []):
                moves.append((source_firm, buyer, who, left))
    return moves


def _spell_on_deal_date(spec: Spec, d: dict[str, Any], who: str, firm: str) -> str | None:
    """The person's one spell at `firm` that the deal's dates do not rule out, or None: a spell is
    ruled out if, for each date any source gives the deal's latest dated step, all its sources'
    starts come after that date or all their ends before it."""
    dated = [step for step in d["history"] if step.get("date")]
    days = [_date(c["value"]) for c in claims.claims(dated[-1], "date")] if dated else []

    def out(t: dict[str, Any], day: FuzzyDate) -> bool:
        starts = [_date(c["value"]) for c in claims.claims(t, "start")]
        ends = [_date(c["value"]) for c in claims.claims(t, "end")]
        late = bool(starts) and all(day.before(s) for s in starts if s is not None)
        early = bool(ends) and all(e.before(day) for e in ends if e is not None)
        return late or early

    found = [
        t["id"]
        for t in spec["tenures"]
        if t["person"] == who and t["firm"] == firm and not (days and all(out(t, day) for day in days if day))
    ]
    return found[0] if len(found) == 1 else None


def _below(spec: Spec, unit: str, firm: str) -> bool:
    """Whether `unit` is strictly below `firm`: in its family, and the firm not in the unit's."""
    return unit != firm and unit in family(spec, firm) and firm not in family(spec, unit)


def _stated_parents(spec: Spec) -> Spec:
    """The spec with every parent link a unit marks inferred taken out (a merge rests on none)."""
    firms = [
        {k: v for k, v in f.items() if not (k == "parent" and "parent" in f.get("inferred", []))} for f in spec["firms"]
    ]
    return {**spec, "firms": firms}


def flows(
    spec: Spec, *, origin: str | None = None, destination: str | None = None, unstated: bool = False
) -> list[tuple[str | None, str, list[str]]]:
    """(origin, destination, people) of every flow, largest first. A person's moves that leave the
    same spell into a firm and into a unit of it (by a stated parent link) are one move, in the
    row of the most specific unit; a move whose spell left is not known is merged with none. With
    `unstated`, the moves with no stated origin too, in rows of origin None (`flows_unplaced`),
    each after the others of its size."""
    moves = _flow_moves(spec)
    stated = _stated_parents(spec)
    grouped: dict[tuple[str | None, str], list[str]] = {}
    for who, b in flows_unplaced(spec, origin=origin, destination=destination) if unstated else []:
        grouped.setdefault((None, b), []).append(who)
    for a, b, who, left in moves:
        if a is None:
            continue
        reached = [y for x, y, w, gone in moves if w == who and gone == left] if left else [b]
        # the destinations this move is shown at: itself or a unit below it the person also moved
        # into, with no other destination of theirs below it
        shown = [
            c
            for c in dict.fromkeys(reached)
            if (c == b or _below(stated, c, b)) and not any(_below(stated, other, c) for other in reached)
        ]
        for c in shown:
            if origin is not None and a not in family(spec, origin):
                continue
            if destination is not None and c not in family(spec, destination):
                continue
            bucket = grouped.setdefault((a, c), [])
            if who not in bucket:
                bucket.append(who)
    names = {f["id"]: f["name"] for f in spec["firms"]}
    rows = [(a, b, who) for (a, b), who in grouped.items()]
    rows.sort(key=lambda r: (-len(r[2]), r[0] is None, names.get(r[0] or "", ""), names.get(r[1], r[1])))
    return rows


def flows_unplaced(spec: Spec, *, origin: str | None = None, destination: str | None = None) -> list[tuple[str, str]]:
    """(person, destination) of every move with no stated origin, once each, in move order; with
    `origin`, only of people with a spell at it or a unit of it."""
    out: list[tuple[str, str]] = []
    for a, b, who, _ in _flow_moves(spec):
        if a is not None or (who, b) in out:
            continue
        if destination is not None and b not in family(spec, destination):
            continue
        if origin is not None and not any(
            t["person"] == who and t["firm"] in family(spec, origin) for t in spec["tenures"]
        ):
            continue
        out.append((who, b))
    return out


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
