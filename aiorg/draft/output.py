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


def to_json(candidates: list[dict[str, Any]]) -> str:
    """The candidates as one JSON list."""
    return json.dumps(candidates, ensure_ascii=False, indent=2) + "\n"


def to_yaml(candidates: list[dict[str, Any]], source: dict[str, Any]) -> str:
    """The candidates as knowledge-base YAML: a source record, then one list per record kind."""
    source_id = source["id"]
    sections: dict[str, list[dict[str, Any]]] = {"sources": [{k: v for k, v in source.items() if v is not None}]}
    for candidate in candidates:
        group = _GROUP.get(candidate["kind"])
        if group is None or (candidate["kind"] in ("person", "firm", "group", "product") and candidate["existing"]):
            continue  # dates are attached to the facts; known records need no draft
        sections.setdefault(group, []).append(_record(candidate, source_id))
    lines = ["\n".join(REVIEW_HEADER)]
    for group, records in sections.items():
        text = yaml.dump({group: records}, Dumper=TextDumper, allow_unicode=True, sort_keys=False, width=120)
        lines.append(text.rstrip("\n"))
    return "\n\n".join(lines) + "\n"


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
        record = {
            "id": f"{candidate['person']}-{candidate['firm']}-{candidate['cause']}",
            "person": candidate["person"],
        }
        record["firm"] = candidate["firm"]
        if candidate["title"]:
            record["title_zh" if any("\u4e00" <= c <= "\u9fff" for c in candidate["title"]) else "title"] = candidate[
                "title"
            ]
        if candidate["cause"] in ("joined", "appointed"):
            record["start"] = candidate["date"]
        else:
            record["end"] = candidate["date"]
            record["end_cause"] = candidate["cause"]
        record["certainty"] = candidate["certainty"]
        if candidate.get("firm_inferred"):
            record["inferred"] = ["firm"]
            record["note"] = "The firm is not named with this change; it is the firm the article is about."
    elif kind == "deal":
        parties = "-".join([*(candidate["buyers"] or ["unknown"]), *candidate["targets"]])
        record = {"id": f"{parties}-{candidate['deal_kind']}"}
        record |= {"kind": candidate["deal_kind"], "buyers": candidate["buyers"], "targets": candidate["targets"]}
        for name in ("amount", "valuation"):
            if candidate[name]:
                record[name] = candidate[name]["text"]
        if candidate["stake"]:
            record["stake"] = f"{candidate['stake']}%"
        record["history"] = [
            {"date": candidate["date"], "status": status, "certainty": candidate["certainty"]}
            | {"source": source_id, "quote": quote}
            for status in candidate["status"]
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
