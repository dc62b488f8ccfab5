"""The site's extra tables, added to a SQLite export so the canned questions can be plain SQL.

Every table here is filled by the library's own code (the queries the CLI runs, the name
normalisation NameIndex uses), so the site and the CLI cannot disagree on what a fact says:

  search_names       every name of every person, firm, group and product, with its normalised
                     form (`norm`), and a trigram full-text index on it (search_names_fts)
  firm_families      (firm, member, through): a firm and every unit below it, as `firm_family`
                     sees them, `through` naming what a unit's place below the firm rests on that is
                     an inference ('parent'; empty when stated), as a listing on the firm marks it
  firm_products      (firm, product, through): the products the firm's family makes, alike
                     ('maker' when the product marks its maker inferred)
  deal_figures       per deal: the US-dollar amount, valuation and implied valuation (amount /
                     stake), and the latest step's certainty, source and quote, from `deal_row`, with
                     its texts as the CLI writes them (an inferred value says so: 'est. $32B (inferred)')
  deal_claimed_figures  per deal, every figure any source gives it in US dollars, in the order
                     `deals --min` tries them (the version shown first, then the others; in each the
                     amount, the valuation, the implied valuation): deals_over matches on the first
                     at or above its bound, as the CLI does, and shows its `value` as the CLI does
  timeline_facts     every dated fact in the CLI's timeline order (`position`), and
  timeline_subjects  the records each names
  talent_flows       origin -> destination with the people and evidence, from `flows`
  disputed_claims    every claim on every disputed fact, numbered as shown, from `conflicts`
  departed_spells    every role spell `aiorg people --left` lists, as it lists it: the cause shown
                     first where sources disagree, every claimed cause (`cause_text`), the disputed
                     fields; a spell is here when any source says it ended by departure
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from aiorg.kb import KnowledgeBase
from aiorg.model import NAMED_KINDS
from aiorg.names import NAME_FIELDS, normalise_name
from aiorg.queries import shapes

SITE_SCHEMA = """
CREATE TABLE search_names (id INTEGER PRIMARY KEY, record TEXT NOT NULL, kind TEXT NOT NULL,
    name TEXT NOT NULL, name_type TEXT NOT NULL, norm TEXT NOT NULL, record_name TEXT NOT NULL, record_name_zh TEXT);
CREATE INDEX search_names_norm ON search_names(norm);
CREATE INDEX search_names_record ON search_names(record);
CREATE VIRTUAL TABLE search_names_fts USING fts5(norm, content="search_names", content_rowid="id",
    tokenize="trigram");
CREATE TABLE firm_families (firm TEXT NOT NULL REFERENCES firms(id), member TEXT NOT NULL REFERENCES firms(id),
    through TEXT, PRIMARY KEY (firm, member));
CREATE TABLE firm_products (firm TEXT NOT NULL REFERENCES firms(id), product TEXT NOT NULL REFERENCES products(id),
    through TEXT, PRIMARY KEY (firm, product));
CREATE TABLE deal_figures (deal TEXT PRIMARY KEY REFERENCES deals(id), title TEXT, kind TEXT NOT NULL,
    status TEXT NOT NULL, status_text TEXT NOT NULL, currency TEXT, amount TEXT, amount_usd REAL, valuation TEXT,
    valuation_usd REAL, implied_valuation_usd REAL, stake_percent REAL, "when" TEXT, buyer_names TEXT,
    target_names TEXT, certainty TEXT NOT NULL, source TEXT NOT NULL REFERENCES sources(id), quote TEXT NOT NULL);
CREATE TABLE deal_claimed_figures (deal TEXT NOT NULL REFERENCES deals(id), position INTEGER NOT NULL,
    matched_on TEXT NOT NULL, usd REAL NOT NULL, value TEXT NOT NULL, PRIMARY KEY (deal, position));
CREATE TABLE timeline_facts (position INTEGER PRIMARY KEY, date TEXT NOT NULL, "when" TEXT NOT NULL,
    kind TEXT NOT NULL, text TEXT NOT NULL, certainty TEXT NOT NULL, record TEXT NOT NULL,
    source TEXT NOT NULL REFERENCES sources(id), quote TEXT NOT NULL);
CREATE TABLE timeline_subjects (position INTEGER NOT NULL REFERENCES timeline_facts(position),
    subject TEXT NOT NULL, PRIMARY KEY (position, subject));
CREATE INDEX timeline_subjects_subject ON timeline_subjects(subject);
CREATE TABLE talent_flows (position INTEGER PRIMARY KEY, origin TEXT REFERENCES firms(id),
    origin_name TEXT NOT NULL, destination TEXT NOT NULL REFERENCES firms(id), destination_name TEXT NOT NULL,
    count INTEGER NOT NULL, people TEXT NOT NULL, names TEXT NOT NULL, status TEXT NOT NULL, evidence TEXT NOT NULL);
CREATE TABLE disputed_claims (position INTEGER PRIMARY KEY, kind TEXT NOT NULL, record TEXT NOT NULL,
    name TEXT, field TEXT NOT NULL, claim INTEGER NOT NULL, shown INTEGER NOT NULL, value TEXT,
    source TEXT NOT NULL REFERENCES sources(id), source_kind TEXT, published TEXT, preferred TEXT, quote TEXT,
    sources INTEGER NOT NULL, checked TEXT NOT NULL);
CREATE TABLE departed_spells (position INTEGER PRIMARY KEY, tenure TEXT NOT NULL UNIQUE REFERENCES tenures(id),
    person TEXT NOT NULL REFERENCES people(id), name TEXT NOT NULL, name_zh TEXT,
    firm TEXT NOT NULL REFERENCES firms(id), firm_name TEXT NOT NULL, title TEXT, title_zh TEXT, area TEXT,
    kind TEXT, state TEXT NOT NULL, cause TEXT NOT NULL, cause_text TEXT NOT NULL, formal_departure INTEGER NOT NULL,
    start TEXT, "end" TEXT, "when" TEXT NOT NULL, certainty TEXT NOT NULL, disputed TEXT NOT NULL,
    inferred TEXT NOT NULL, source TEXT NOT NULL REFERENCES sources(id), sources TEXT NOT NULL, quote TEXT NOT NULL,
    checked TEXT NOT NULL);
CREATE INDEX departed_spells_firm ON departed_spells(firm);
"""

#: the tables this module adds, for the metadata and the tests
SITE_TABLES = (
    "search_names",
    "firm_families",
    "firm_products",
    "deal_figures",
    "deal_claimed_figures",
    "timeline_facts",
    "timeline_subjects",
    "talent_flows",
    "disputed_claims",
    "departed_spells",
)
#: departed_spells' columns after `position`: the keys of the CLI's row (shapes.SPELL), the spell's id
#: first (the table's key); lists are JSON
DEPARTED_COLUMNS = ("tenure", *(key for key in shapes.SPELL if key != "tenure"))


def _insert(db: sqlite3.Connection, table: str, rows: list[list[Any]]) -> None:
    if rows:
        marks = ", ".join("?" * len(rows[0]))
        db.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)


def _names(kb: KnowledgeBase) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for kind in NAMED_KINDS:
        for record in kb.named(kind):
            zh = getattr(record, "name_zh", None)
            seen: set[tuple[str, str]] = set()
            for field in NAME_FIELDS:
                value = getattr(record, field, None)
                for text in value if isinstance(value, list) else [value]:
                    if text and (field, text) not in seen:
                        seen.add((field, text))
                        rows.append([None, record.id, kind, text, field, normalise_name(text), record.name, zh])
    return rows


def _claimed_figures(kb: KnowledgeBase) -> list[list[Any]]:
    """(deal, position, what it is, US dollars, the row's `value` text) of every figure of every
    version of each deal, at the default rates, in the order aiorg.queries.deal_tuples.matched_in
    tries them; the text as `deals --min` writes the figure it matched (aiorg.queries.deals.matched_text)."""
    from aiorg.queries.common import source_lookup
    from aiorg.queries.deal_match import every_match
    from aiorg.queries.deal_versions import figure_versions
    from aiorg.queries.deals import deal_disputes, matched_text

    source_of = source_lookup(kb)
    rows: list[list[Any]] = []
    for deal in kb.deals:
        told = [(v.amount, v.valuation, v.stake) for v in figure_versions(deal, source_of)[1]]
        disputed = deal_disputes(deal)
        found = [
            (match, matched_text(deal, match, version, disputed))
            for version in told
            for match in every_match(version, {})
        ]
        rows += [[deal.id, position, m.on, m.usd, text] for position, (m, text) in enumerate(found)]
    return rows


def add_site_tables(db: sqlite3.Connection, kb: KnowledgeBase) -> None:
    """Create and fill the site's tables in an exported database (see the module docstring)."""
    from aiorg.queries import deals, flows, timeline
    from aiorg.queries.conflicts import conflicts

    db.executescript(SITE_SCHEMA)
    _insert(db, "search_names", _names(kb))
    db.execute("INSERT INTO search_names_fts(search_names_fts) VALUES ('rebuild')")
    families, made = _reach(kb)
    _insert(db, "firm_families", families)
    _insert(db, "firm_products", made)
    figures = []
    for row in deals(kb):
        figures.append(
            [
                row["deal"],
                row["title"],
                row["kind"],
                row["status"],
                row["status_text"],
                row["currency"],
                row["amount"],
                row["amount_usd"],
                row["valuation"],
                row["valuation_usd"],
                row["implied_valuation_usd"],
                row["stake_percent"],
                row["when"],
                ", ".join(row["buyer_names"]),
                ", ".join(row["target_names"]),
                row["certainty"],
                row["source"],
                row["quote"],
            ]
        )
    _insert(db, "deal_figures", figures)
    _insert(db, "deal_claimed_figures", _claimed_figures(kb))
    facts, subjects = [], []
    for position, row in enumerate(timeline(kb), 1):
        facts.append([position, *(row[k] for k in ("date", "when", "kind", "text", "certainty", "record"))])
        facts[-1] += [row["source"], row["quote"]]
        subjects += [[position, subject] for subject in dict.fromkeys(row["subjects"])]
    _insert(db, "timeline_facts", facts)
    _insert(db, "timeline_subjects", subjects)
    _insert(
        db,
        "talent_flows",
        [
            [
                position,
                *(row[k] for k in ("origin", "origin_name", "destination", "destination_name", "count")),
                *(json.dumps(row[k], ensure_ascii=False) for k in ("people", "names", "status", "evidence")),
            ]
            for position, row in enumerate(flows(kb), 1)
        ],
    )
    keys = ("kind", "record", "name", "field", "claim", "shown", "value", "source", "source_kind", "published")
    _insert(
        db,
        "disputed_claims",
        [
            [position, *(row[k] for k in keys), row["preferred"], _text(row["quote"]), row["sources"], row["checked"]]
            for position, row in enumerate(conflicts(kb), 1)
        ],
    )
    _insert(
        db,
        "departed_spells",
        [[position, *(_cell(row[k]) for k in DEPARTED_COLUMNS)] for position, row in enumerate(departed_spells(kb), 1)],
    )
    db.commit()


def _reach(kb: KnowledgeBase) -> tuple[list[list[Any]], list[list[Any]]]:
    """firm_families' and firm_products' rows: each firm's units and the products they make, with
    what each one's place below the firm rests on that is an inference ('parent', 'parent, maker'),
    None when stated, as a listing filtered on the firm marks it (aiorg.queries.firm_reach)."""
    from aiorg.queries.common import firm_family, products_of
    from aiorg.queries.firm_reach import Reach

    families, made = [], []
    for firm in kb.firms:
        family = firm_family(kb, firm.id)
        products = products_of(kb, family)
        reach = Reach(kb, firm, family, products, groups=False)
        families += [[firm.id, unit, ", ".join(reach.through([unit])) or None] for unit in sorted(family)]
        made += [
            [firm.id, p.id, ", ".join(reach.through([p.id])) or None] for p in sorted(products, key=lambda p: p.id)
        ]
    return families, made


def departed_spells(kb: KnowledgeBase) -> list[dict[str, Any]]:
    """Every row `aiorg people --left FIRM` gives for some firm, each spell once.

    A spell's row does not depend on the firm asked about, only on the spell, so the query is
    asked once per top firm (its family holds every unit below it) and then once per firm no top
    firm's family reached (a unit whose parent is not in the knowledge base). The rows of one
    call come in the CLI's order, and every firm's family lies within one call's, so the
    position numbers give the CLI's order for any firm. A row there only through a unit below the
    top firm by an inferred parent link says so (aiorg.queries.firm_reach): it is taken instead
    from the query on its own firm, where it is that firm's as stated; who_left writes the mark
    for the firm asked about (firm_families.through)."""
    from aiorg.queries import people
    from aiorg.queries.common import family_from, units_by_parent

    firms = [firm.id for firm in kb.firms]
    known = set(firms)
    units = units_by_parent(kb)
    tops = [firm.id for firm in kb.firms if firm.parent is None or firm.parent not in known]
    covered: set[str] = set()
    seen: set[str] = set()
    rows: list[dict[str, Any]] = []
    for firm in [*tops, *firms]:
        if firm in covered:
            continue
        covered |= family_from(firm, units)
        for row in people(kb, left=firm):
            if row["tenure"] not in seen:
                seen.add(row["tenure"])
                rows.append(row)
    own: dict[str, dict[str, dict[str, Any]]] = {}  # firm -> tenure -> its row on a query on the firm
    for at, row in enumerate(rows):
        if "parent" in row["inferred"] and row["firm"] not in own:
            own[row["firm"]] = {r["tenure"]: r for r in people(kb, left=row["firm"])}
        if row["firm"] in own:
            rows[at] = own[row["firm"]][row["tenure"]]
    return rows


def _cell(value: Any) -> Any:
    """A list as JSON text; anything else as it is."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, list) else value


def _text(value: Any) -> Any:
    """A list of quoted passages as one text, the way the export joins them."""
    return " … ".join(value) if isinstance(value, list) else value
