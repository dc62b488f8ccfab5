"""Datasette metadata for the site, written from the model and the database's own schema.

Table descriptions are the record classes' docstrings; column descriptions are the fields'
`doc` metadata, with an enum field's values listed; columns the export derives from a field
(`start_earliest`, `amount_usd`, `stake_percent`...) say which field and how. Nothing about a
field is written twice: a new field in aiorg.model shows up here on its own.
"""

from __future__ import annotations

import dataclasses
import sqlite3
import typing
from enum import Enum
from typing import Any

from aiorg.model import (
    DEPARTURE_CAUSES,
    FORMAL_DEPARTURE_CAUSES,
    RECORD_KINDS,
    Condition,
    Deal,
    DealStatus,
    EndCause,
    Event,
    Metric,
    SpellState,
    StatusEntry,
    Tenure,
)
from aiorg.money import Bound
from aiorg.serve.canned import CANNED

TITLE = "aiorg: AI-industry people, firms and deals · 人工智能行业的人物、公司与交易"
DATABASE = "aiorg"

#: the export's tables that hold one model class each (the record kinds, plus deal steps and terms)
CLASSES: dict[str, type] = {**RECORD_KINDS, "deal_history": StatusEntry, "deal_conditions": Condition}

#: a title per table, English then Chinese
TITLES: dict[str, str] = {
    "sources": "Sources 来源",
    "groups": "Groups 群体",
    "firms": "Firms 公司与机构",
    "people": "People 人物",
    "products": "Products 产品",
    "tenures": "Role spells 任职经历",
    "deals": "Deals, offers and asks 交易、报价与要价",
    "deal_history": "Deal status steps 交易进展",
    "deal_conditions": "Deal conditions 交易条款",
    "deal_parties": "Deal parties 交易各方",
    "events": "Events 事件",
    "event_subjects": "Event subjects 事件涉及对象",
    "metrics": "Metrics 指标",
    "claims": "Strategy claims 战略判断",
    "claim_subjects": "Claim subjects 判断涉及对象",
    "firm_groups": "Group memberships 群体成员",
    "names": "Names 名称",
    "quotes": "Quotes 引文",
    "departures": "Departures 离职",
    "search_names": "Searchable names 可搜索的名称",
    "firm_families": "Firm families 公司及其下属单位",
    "firm_products": "Products of firm families 公司及下属单位的产品",
    "deal_figures": "Deal figures in US dollars 交易金额（美元）",
    "deal_claimed_figures": "Every claimed deal figure in US dollars 各来源的交易金额（美元）",
    "timeline_facts": "Timeline 时间线",
    "timeline_subjects": "Timeline subjects 时间线涉及对象",
    "talent_flows": "Talent flows 人才流动",
    "disputed_claims": "Disputed facts 有分歧的事实",
    "source_claims": "Every source's claims 各来源的说法",
    "departed_spells": "Departures as the CLI lists them 离职（与命令行一致）",
}

#: tables that are not one model class: what a row is
ROWS: dict[str, str] = {
    "deal_parties": "One party of a deal: a buyer, a target, or a person the deal moves (role moved).",
    "event_subjects": "One record an event is about.",
    "claim_subjects": "One firm or group a strategy claim is about.",
    "firm_groups": "One firm's membership of a named group.",
    "names": "One name of a person, firm, group or product: its English name, Chinese name, alias or former name.",
    "quotes": "One verbatim passage a record cites from its source (a deal's steps and conditions cite theirs).",
    "departures": "Role spells that ended by departure (left, founded, advisor, reported).",
    "search_names": "Every name of every person, firm, group and product, normalised for the search query.",
    "firm_families": "A firm and each unit below it (Google includes DeepMind), as the CLI's firm filters see them; "
    "‘through’ names what a unit's place below the firm rests on that is an inference (DeepMind: parent).",
    "firm_products": "A product one of a firm's family makes, as `aiorg timeline --firm` sees it; ‘through’ as in "
    "firm_families, and ‘maker’ when the product's maker is an inference.",
    "deal_figures": "Each deal's figures in US dollars, the implied valuation (amount / stake), and its latest step.",
    "deal_claimed_figures": "One figure a source gives a deal, in US dollars, numbered in the order "
    "`aiorg deals --min` tries them: the version shown first, then the others; in each the amount, "
    "valuation, implied valuation.",
    "timeline_facts": "Every dated fact in the order `aiorg timeline` gives it.",
    "timeline_subjects": "The records one timeline fact names.",
    "talent_flows": "Origin → destination with the people and the evidence, as `aiorg flows` gives them.",
    "disputed_claims": "One source's claim on a disputed fact, numbered in the order shown, as `aiorg conflicts` "
    "gives them.",
    "source_claims": "One source's word on one fact (or one field of it), with its quote and where the quote is.",
    "departed_spells": "A role spell that any source says ended by departure, as `aiorg people --left` lists it: "
    "where sources disagree, the cause shown first, every cause claimed (cause_text) and the facts in dispute.",
}

#: default facets, in this order, wherever the table has the column
FACETS = ("firm", "end_cause", "status", "kind", "certainty")
#: columns that never describe themselves through a field
EXTRA_COLUMNS: dict[str, str] = {
    "state": "current, ended or unknown, derived from end_cause, end and current",
    "record": "the id of the record",
    "record_kind": "the kind of the record (its table)",
    "entity_id": "the id of the person, firm, group or product",
    "entity_kind": "the kind of the record (its table)",
    "name_type": "name, name_zh, alias or former",
    "step": "the position in the deal's list, from 1",
    "role": "buyer, target, or moved (a person the deal moves to the buyer)",
    "position": "the order the CLI gives, from 1",
    "norm": "the name with case, width and separators ignored",
    "matched_on": "which figure matched: amount, valuation or implied valuation",
    "status_text": "the current status as the CLI writes it: marked (inferred) when the source implies it, "
    "and the deal that superseded it",
    "value": "the figure that matched as the CLI writes it, with its bound; marked (inferred) when made of a value "
    "the source implies but does not say in words, and (disputed, N sources) when sources disagree",
    "implied_valuation_usd": "amount / stake, when no valuation is stated: an inference, in US dollars",
}

#: departed_spells' columns that are not a spell's field as it is
DEPARTED_DOCS: dict[str, str] = {
    "cause": "why the role ended, as the source shown first says (one of: "
    + ", ".join(cause.value for cause in EndCause)
    + "); listed when any source gives "
    + ", ".join(sorted(cause.value for cause in DEPARTURE_CAUSES)),
    "cause_text": "every cause the sources claim, in the order shown, and how many sources",
    "formal_departure": "1 when the cause shown is "
    + " or ".join(sorted(cause.value for cause in FORMAL_DEPARTURE_CAUSES))
    + " (an advisor move or an unconfirmed report is not formal)",
    "when": "the date shown, as people read it; every claimed date where sources disagree",
    "disputed": "the facts its sources disagree on (JSON list)",
    "inferred": "the fields whose values it shows are inferences: the source implies them but does not say them "
    "in words (JSON list)",
    "sources": "every source that tells of it, its own first (JSON list)",
    "name": "the person's name",
    "firm_name": "the firm's name, English (Chinese)",
    "tenure": "the id of the role spell",
    "quote": "the first passage of the source the row cites (the first, by the rule, giving the cause shown), verbatim",
    "checked": "whether the quote is in its source's archived text: found, not found, or unchecked (no text)",
}


def _values(hint: Any) -> list[str]:
    for leaf in (hint, *typing.get_args(hint)):
        if isinstance(leaf, type) and issubclass(leaf, Enum):
            return [str(member.value) for member in leaf]
    return []


def field_docs(cls: type) -> dict[str, str]:
    """field name -> its doc, with the enum's values when the field is one."""
    hints = typing.get_type_hints(cls)
    docs = {}
    for item in dataclasses.fields(typing.cast(Any, cls)):
        doc = str(item.metadata.get("doc", ""))
        values = _values(hints[item.name])
        listed = all(value in doc for value in values)  # the doc names every value already
        docs[item.name] = f"{doc} (one of: {', '.join(values)})" if values and not listed else doc
    return docs


def _derived(column: str, docs: dict[str, str]) -> str | None:
    """The description of a column the export derives from a field."""
    base, _, suffix = column.rpartition("_")
    if column in docs:
        return docs[column]
    if suffix == "earliest" and base in docs:
        return f"earliest day the {base} can be (ISO 8601), for sorting and date ranges; {base}: {docs[base]}"
    if suffix == "latest" and base in docs:
        return f"latest day the {base} can be (ISO 8601); {base}: {docs[base]}"
    if suffix == "usd" and base in docs:
        return f"{docs[base]}, in US dollars (shown as $14.3B, sorted as a number)"
    if suffix == "bound" and base in docs:
        return f"how exact the {base} is (one of: {', '.join(b.value for b in Bound)})"
    if suffix == "text" and base in docs:
        return f"the {base} as stated, with its bound"
    if suffix == "percent" and base in docs:
        return f"{docs[base]}, in percent"
    if column.startswith("into_") and "into" in docs:
        return docs["into"]
    return None


def _special(table: str) -> dict[str, str]:
    """Columns of a table that stand for a field of another name, or for a property."""
    if table == "deals":
        return {
            "status": f"the current status, the last step of the history (one of: {_joined(DealStatus)})",
            "date": Deal.date.__doc__ or "",
        }
    if table == "tenures":
        return {"state": f"{Tenure.state.__doc__} (one of: {_joined(SpellState)})"}
    if table == "metrics":
        doc = field_docs(Metric)["subject"]
        return {"firm": doc, "product": doc}
    if table in ("event_subjects",):
        return dict.fromkeys(("firm", "person", "product", "group"), field_docs(Event)["subjects"])
    return {}


def _joined(enum: type[Enum]) -> str:
    return ", ".join(str(member.value) for member in enum)


def _columns(table: str, names: list[str]) -> dict[str, str]:
    cls = CLASSES.get(table)
    docs = field_docs(cls) if cls is not None else {}
    if table in ("deal_figures",):
        docs = {**field_docs(Deal), "stake": field_docs(Deal)["stake"]}
    if table == "departed_spells":  # a spell's fields, each the value shown first
        docs = {**field_docs(Tenure), **DEPARTED_DOCS}
    docs.update(_special(table))
    out = {}
    for name in names:
        doc = _derived(name, docs) or EXTRA_COLUMNS.get(name)
        if doc:
            out[name] = doc
    return out


def _label(names: list[str]) -> str | None:
    for candidate in ("name", "title", "text"):
        if candidate in names:
            return candidate
    return None


def table_metadata(table: str, names: list[str]) -> dict[str, Any]:
    """One table's metadata: title, description, column descriptions, facets, label column."""
    cls = CLASSES.get(table)
    lines = (cls.__doc__ or "").strip().splitlines() if cls is not None else []
    description = ROWS.get(table) or (lines[0] if lines else "")
    entry: dict[str, Any] = {"title": TITLES.get(table, table), "description": description}
    columns = _columns(table, names)
    if columns:
        entry["columns"] = columns
    facets = [column for column in FACETS if column in names]
    if facets:
        entry["facets"] = facets
    label = _label(names)
    if label is not None:
        entry["label_column"] = label
    if table in ("people", "firms", "groups", "products"):
        entry["description_html"] = (
            f"{description} Search by any part of a name, in Chinese too: "
            f'<a href="/{DATABASE}/search">the search query</a> (张, 暗面, 魏伟, zhang).'
        )
    return entry


def site_metadata(db: sqlite3.Connection) -> dict[str, Any]:
    """The whole metadata.json for a database built by aiorg.serve.site."""
    tables: dict[str, Any] = {}
    for (table,) in db.execute(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name"
    ):
        if "_fts" in table:
            continue
        names = [row[1] for row in db.execute(f'PRAGMA table_info("{table}")')]
        tables[table] = table_metadata(table, names)
    return {
        "title": TITLE,
        "description": (
            "Every fact cites its source and quotes it. Start with a question below, or browse a table. "
            "每条事实都注明来源并附原文引文。"
        ),
        "databases": {
            DATABASE: {
                "title": TITLE,
                "tables": tables,
                "queries": {canned.name: canned.as_metadata() for canned in CANNED},
            }
        },
    }
