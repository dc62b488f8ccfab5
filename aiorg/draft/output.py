"""Candidates as JSON (a list, for scripts) or as the knowledge base's own YAML, each record
marked `review: pending` for a person to mark `review: accept` (as corrected) or `review: reject`
before `aiorg accept` merges the kept ones."""

from __future__ import annotations

import json
from typing import Any

import yaml

from aiorg.accept_yaml import TextDumper

_GROUP = {"person": "people", "firm": "firms", "group": "groups", "product": "products"}
_GROUP |= {"role_change": "tenures", "deal": "deals", "metric": "metrics"}


#: the draft's header: how a reviewer marks candidates for `aiorg accept` (aiorg.accept_draft reads the marks)
REVIEW_HEADER = (
    "# Drafted by `aiorg draft`: every record after `sources` is a candidate marked `review: pending`.",
    "# Check each against its quote and correct its fields where needed, then mark it:",
    "#   review: accept   keep it, as corrected",
    "#   review: reject   leave it out (deleting the candidate does the same)",
    "# Then merge what you kept: aiorg accept THIS_FILE (--dry-run checks without writing).",
    "# A candidate still `review: pending` stops the merge, unless you pass --skip-pending.",
    "# offset and confidence are for review only; accept drops them with the review key.",
)
#: the note on a deal status no word of the quote states
_GUESSED_STATUS = (
    "No word of the quote states the status: this is the draft's guess (agreed when a price is stated, "
    "else rumoured). Check it."
)

#: the note on deal parties whose order the quote leaves open
_GUESSED_PARTIES = (
    "The quote does not make plain which party buys and which is bought (a firm named after 'from' may be "
    "the seller, or a party is not named in its clause): buyers and targets are the draft's guess. Check them."
)


#: how the summary names a number of records of each YAML section or JSON kind: (one, several)
_NOUNS = {
    "people": ("person", "people"),
    "person": ("person", "people"),
    "role_change": ("role change", "role changes"),
}
_NOUNS |= {"tenures": ("tenure", "tenures")}
_NOUNS |= {f"{k}s": (k, f"{k}s") for k in ("firm", "group", "product", "deal", "metric")}
_NOUNS |= {k: (k, f"{k}s") for k in ("firm", "group", "product", "deal", "metric", "date")}


def to_json(candidates: list[dict[str, Any]]) -> str:
    """The candidates as one JSON list."""
    return json.dumps(candidates, ensure_ascii=False, indent=2) + "\n"


def sections(candidates: list[dict[str, Any]], source: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """What the YAML draft holds: the source record, then one list of records per kind (a date is
    attached to its facts, and a person or firm already in the knowledge base needs no record)."""
    source_id = source["id"]
    out: dict[str, list[dict[str, Any]]] = {"sources": [{k: v for k, v in source.items() if v is not None}]}
    for candidate in candidates:
        group = _GROUP.get(candidate["kind"])
        if group is None or (candidate["kind"] in ("person", "firm", "group", "product") and candidate["existing"]):
            continue
        out.setdefault(group, []).append(_record(candidate, source_id))
    return out


def to_yaml(candidates: list[dict[str, Any]], source: dict[str, Any]) -> str:
    """The candidates as knowledge-base YAML: a source record, then one list per record kind."""
    return _dump(sections(candidates, source))


def render(candidates: list[dict[str, Any]], source: dict[str, Any], fmt: str) -> tuple[str, str]:
    """The draft as `fmt` (yaml or json) and what it holds, counted from the very structure
    written: "4 candidates (2 people, 1 tenure, 1 deal) and the source record"."""
    if fmt == "json":
        counts: dict[str, int] = {}
        known: dict[str, int] = {}
        for candidate in candidates:
            counts[candidate["kind"]] = counts.get(candidate["kind"], 0) + 1
            if candidate.get("existing"):
                known[candidate["kind"]] = known.get(candidate["kind"], 0) + 1
        parts = [_counted(n, kind) for kind, n in counts.items()]
        already = [_counted(n, kind) for kind, n in known.items()]
        tail = f"; {_listed(already)} already in the knowledge base" if already else ""
        return to_json(candidates), _summary(len(candidates), parts, tail, "")
    held = sections(candidates, source)
    records = {group: len(items) for group, items in held.items() if group != "sources"}
    parts = [_counted(n, group) for group, n in records.items()]
    return _dump(held), _summary(sum(records.values()), parts, "", " and the source record")


def _counted(number: int, kind: str) -> str:
    one, several = _NOUNS[kind]
    return f"{number} {one if number == 1 else several}"


def _listed(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def _summary(total: int, parts: list[str], inside: str, after: str) -> str:
    listed = f" ({', '.join(parts)}{inside})" if parts else ""
    return f"{total} candidate{'' if total == 1 else 's'}{listed}{after}"


class _DraftDumper(TextDumper):
    """Never an anchor and alias: a reviewer editing one record's quote must not edit another's."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _dump(held: dict[str, list[dict[str, Any]]]) -> str:
    lines = ["\n".join(REVIEW_HEADER)]
    for group, records in held.items():
        text = yaml.dump({group: records}, Dumper=_DraftDumper, allow_unicode=True, sort_keys=False, width=120)
        lines.append(text.rstrip("\n"))
    return "\n\n".join(lines) + "\n"


def spell_id(candidate: dict[str, Any]) -> str:
    """The id a drafted role change's spell is written with (a move's `after` names it); a second
    stint of the person at the firm ending (or starting) the same way has its number after it."""
    number = f"-{candidate['spell']}" if candidate.get("spell") else ""
    return f"{candidate['person']}-{candidate['firm']}-{candidate['cause']}{number}"


def deal_id(candidate: dict[str, Any]) -> str:
    """The id a drafted deal is written with: its parties and kind, and the deal's number after
    it when a deal before it has the same (another round of the same firm)."""
    parties = "-".join([*(candidate["buyers"] or ["unknown"]), *candidate["targets"]])
    number = f"-{candidate['deal']}" if candidate.get("deal") else ""
    return f"{parties}-{candidate['deal_kind']}{number}"


#: what a drafted candidate's number is kept under, and the id it numbers, by kind
_NUMBERED = {"role_change": ("spell", spell_id), "deal": ("deal", deal_id)}


def number_repeats(candidates: list[dict[str, Any]]) -> None:
    """A candidate whose id one before it has gets its own, its number written after it: a second
    stint of one person at one firm ending (or starting) the same way (li-ming-xinghe-left-2), or
    another round of the same firm (unknown-星火智能-funding_round-2)."""
    seen: dict[tuple[str, str], int] = {}
    for candidate in candidates:
        numbered = _NUMBERED.get(candidate["kind"])
        if numbered is None:
            continue
        field, id_of = numbered
        base = (candidate["kind"], id_of(candidate))
        seen[base] = seen.get(base, 0) + 1
        if seen[base] > 1:
            candidate[field] = seen[base]


def _record(candidate: dict[str, Any], source_id: str) -> dict[str, Any]:
    kind = candidate["kind"]
    quotes = [candidate["quote"], *(a["quote"] for a in candidate.get("also", []))]
    quote: str | list[str] = quotes[0] if len(quotes) == 1 else list(dict.fromkeys(quotes))
    review = {"review": "pending", "offset": candidate["offset"], "confidence": candidate["confidence"]}
    if kind in ("person", "firm"):
        record = {"id": candidate["id"], "name": candidate["name"]}
        if candidate.get("name_simplified"):
            record["aliases"] = [candidate["name_simplified"]]
    elif kind == "role_change":
        record = {"id": spell_id(candidate), "person": candidate["person"]}
        record["firm"] = candidate["firm"]
        if candidate["title"]:
            record["title_zh" if any("\u4e00" <= c <= "\u9fff" for c in candidate["title"]) else "title"] = candidate[
                "title"
            ]
        if candidate["cause"] in ("joined", "appointed"):
            record["start"] = candidate["date"]
        else:
            record["start"] = candidate.get("start")  # a spell whose start the article tells too
            record["end"] = candidate["date"]
            record["end_cause"] = candidate["cause"]
        if candidate.get("after"):
            record["after"] = candidate["after"]
        record["certainty"] = candidate["certainty"]
        notes = []
        if candidate.get("firm_inferred"):
            record["inferred"] = ["firm"]
            notes.append("The firm is not named with this change; it is the firm the article is about.")
        if notes:
            record["note"] = " ".join(notes)
    elif kind == "deal":
        record = {"id": deal_id(candidate)}
        record |= {"kind": candidate["deal_kind"], "buyers": candidate["buyers"], "targets": candidate["targets"]}
        for name in ("amount", "valuation"):
            if candidate[name]:
                record[name] = candidate[name]["text"]
        if candidate["stake"]:
            record["stake"] = f"{candidate['stake']}%"
        dates = candidate.get("step_dates") or [candidate["date"]] * len(candidate["status"])
        record["history"] = [
            {"date": date, "status": status, "certainty": candidate["certainty"]}
            | {"source": source_id, "quote": quote if isinstance(quote, str) else list(quote)}
            for status, date in zip(candidate["status"], dates, strict=True)
        ]
        if candidate.get("status_inferred"):
            record["history"][0] |= {"inferred": ["status"], "note": _GUESSED_STATUS}
        if candidate.get("parties_inferred"):
            record["inferred"] = ["buyers", "targets"]
            record["note"] = _GUESSED_PARTIES
    else:
        record = {"id": f"{candidate['subject']}-{candidate['metric']}", "subject": candidate["subject"]}
        record |= {"metric": candidate["metric"], "value": candidate["value"], "as_of": candidate["as_of"]}
    record |= {"source": source_id, "quote": quote, **review}
    return {k: v for k, v in record.items() if v is not None}
