"""The site's canned questions, as SQL over the export and its site tables (aiorg.serve.tables).

Each answers what the CLI answers for the same question (tests/test_serve_queries.py runs both):

  who_left    `aiorg people --left FIRM`
  deals_over  `aiorg deals --min USD` (basis any: amount, stated valuation, implied valuation)
  timeline    `aiorg timeline --firm FIRM` / `--person PERSON`
  flows       `aiorg flows [--from FIRM] [--to FIRM]`
  search      people, firms, groups and products by part of any name, in either script
  conflicts   `aiorg conflicts`: every disputed fact, each source's value side by side

Names are resolved as the CLI does for whole names: an id, else a name (any script, case and
separators ignored through aiorg_norm(), the function the site's plugin registers); part of a
name only when exactly one record holds it. A name that several records hold answers nothing,
where the CLI would list them: the search query shows them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Canned:
    """One canned query: its name, title, description and SQL."""

    name: str
    title: str
    description: str
    sql: str

    def as_metadata(self) -> dict[str, str | bool]:
        """The entry Datasette's metadata takes under `queries`."""
        return {"title": self.title, "description": self.description, "sql": self.sql, "hide_sql": True}


def resolve(param: str, kind: str, table: str) -> str:
    """A CTE `chosen_{param}(id)`: the one record of `kind` that `:param` names (see the module docstring)."""
    p = param
    return f"""wanted_{p} AS (SELECT trim(:{p}) AS text, aiorg_norm(:{p}) AS norm),
by_id_{p} AS (SELECT id FROM {table} WHERE id = (SELECT text FROM wanted_{p})),
exact_{p} AS (SELECT DISTINCT record AS id FROM search_names WHERE kind = '{kind}'
    AND norm = (SELECT norm FROM wanted_{p}) AND norm != ''),
part_{p} AS (SELECT DISTINCT record AS id FROM search_names WHERE kind = '{kind}'
    AND (SELECT norm FROM wanted_{p}) != '' AND instr(norm, (SELECT norm FROM wanted_{p})) > 0),
chosen_{p} AS (
    SELECT id FROM by_id_{p}
    UNION ALL SELECT id FROM exact_{p} WHERE NOT EXISTS (SELECT 1 FROM by_id_{p})
        AND (SELECT count(*) FROM exact_{p}) = 1
    UNION ALL SELECT id FROM part_{p} WHERE NOT EXISTS (SELECT 1 FROM by_id_{p})
        AND NOT EXISTS (SELECT 1 FROM exact_{p}) AND (SELECT count(*) FROM part_{p}) = 1)"""


def _family(param: str) -> str:
    """A CTE `family_{param}(id, through)`: the chosen firm and its units, each with what its
    place below the firm rests on that is an inference (firm_families.through)."""
    return (
        f"family_{param} AS (SELECT member AS id, through FROM firm_families"
        f" WHERE firm IN (SELECT id FROM chosen_{param}))"
    )


def _marked(text: str, through: str) -> str:
    """`text` with what a row's place in the answer rests on written after it, as the CLI writes
    it: 'DeepMind (parent inferred)' (aiorg.queries.firm_reach)."""
    return f"{text} || CASE WHEN {through} IS NULL THEN '' ELSE ' (' || {through} || ' inferred)' END"


WHO_LEFT = Canned(
    "who_left",
    "Who left a firm? 谁离开了",
    "People whose role at the firm (or one of its units) ended by departure: left, left to found a company, "
    "moved to an advisor role, or reported to have left (unconfirmed). A demotion is not a departure. "
    "A role counts when any source says it ended by departure; where sources disagree, ‘cause’ is the one "
    "shown first (an official statement outweighs an article; it may then be a demotion), ‘cause_text’ lists "
    "every cause claimed and ‘disputed’ names the facts in dispute; ‘inferred’ names the values shown that the "
    "source implies but does not say in words. Oldest end first. "
    "‘firm’: its id or a name in English or Chinese. Same answer as ‘aiorg people --left FIRM’.",
    f"""WITH {resolve("firm", "firms", "firms")}, {_family("firm")}
SELECT person, name, name_zh, firm, {_marked("firm_name", "f.through")} AS firm_name, title, title_zh, cause, "end",
    cause_text, disputed, CASE WHEN f.through IS NULL THEN inferred ELSE json_insert(inferred, '$[#]', f.through)
    END AS inferred, formal_departure, "when", start, state, area, kind, certainty, tenure, source, sources, quote,
    checked
FROM departed_spells d JOIN family_firm f ON f.id = d.firm ORDER BY position""",
)

DEALS_OVER = Canned(
    "deals_over",
    "Deals over an amount 金额以上的交易",
    "Deals, offers and asks with the amount, the stated valuation or the implied valuation (amount / stake) "
    "at or above ‘usd’ (US dollars: 1e9, $1B, 10亿美元), largest matched figure first; ‘matched_on’ says which "
    "figure matched, from any source (where sources disagree, the first in the order shown), and ‘value’ how it "
    "reads. A value the source implies but does not say in words is marked ‘(inferred)’ in the texts. The same "
    "deals and figures as ‘aiorg deals --min USD’, whose JSON also cites the matched figure's own source.",
    """WITH bound AS (SELECT aiorg_usd(:usd) AS usd),
first AS (SELECT deal, min(position) AS position FROM deal_claimed_figures
    WHERE usd >= (SELECT usd FROM bound) GROUP BY deal)
SELECT d.deal, d.title, d.kind, d.status, d.status_text, c.matched_on, c.usd AS value_usd, c.value,
    d.amount_usd, d.amount, d.valuation_usd, d.valuation, d.implied_valuation_usd, d.stake_percent, d.buyer_names,
    d.target_names, d."when", d.certainty, d.source, d.quote
FROM first f JOIN deal_claimed_figures c ON c.deal = f.deal AND c.position = f.position
    JOIN deal_figures d ON d.deal = f.deal
ORDER BY value_usd DESC, d.deal""",
)

TIMELINE = Canned(
    "timeline",
    "Timeline of a firm or a person 时间线",
    "Every dated fact in order: role starts and ends, deal steps, events, metrics. ‘firm’: facts about the firm, "
    "its units or its products; ‘person’: facts naming the person; give one or both. "
    "Same answer as ‘aiorg timeline --firm FIRM’ / ‘--person PERSON’.",
    f"""WITH {resolve("firm", "firms", "firms")}, {_family("firm")}, {resolve("person", "people", "people")},
scope AS (SELECT id, through FROM family_firm
    UNION ALL SELECT product, through FROM firm_products WHERE firm IN (SELECT id FROM chosen_firm)),
links AS (SELECT s.position, max(instr(c.through, 'parent')) > 0 AS parent, max(instr(c.through, 'maker')) > 0 AS maker,
    max(c.through IS NULL) AS stated FROM timeline_subjects s JOIN scope c ON c.id = s.subject GROUP BY s.position)
SELECT position, date, "when", kind, text || CASE WHEN :firm = '' OR l.stated THEN '' ELSE ' ('
        || CASE WHEN l.parent AND l.maker THEN 'parent, maker' WHEN l.parent THEN 'parent' ELSE 'maker' END
        || ' inferred)' END AS text, certainty, record, source, quote
FROM timeline_facts x LEFT JOIN links l USING (position)
WHERE (:firm != '' OR :person != '')
    AND (:firm = '' OR EXISTS (SELECT 1 FROM timeline_subjects s WHERE s.position = x.position
        AND s.subject IN (SELECT id FROM scope)))
    AND (:person = '' OR EXISTS (SELECT 1 FROM timeline_subjects s WHERE s.position = x.position
        AND s.subject IN (SELECT id FROM chosen_person)))
ORDER BY position""",
)

FLOWS = Canned(
    "flows",
    "Talent flows between firms 人才流动",
    "Origin → destination with the people and the evidence, from role moves and deals that move people; "
    "most people first; a person whose origin is not stated is in a row from ‘not stated’ (origin empty). "
    "‘from’ and ‘to’ (optional): a firm, counting its units. "
    "Same answer as ‘aiorg flows --from FIRM --to FIRM’, except that with ‘from’ the rows from "
    "‘not stated’ are left out (the command keeps the people among them who once worked at FIRM).",
    f"""WITH {resolve("from", "firms", "firms")}, {_family("from")}, {resolve("to", "firms", "firms")}, {_family("to")}
SELECT origin, {_marked("origin_name", "o.through")} AS origin_name, destination,
    {_marked("destination_name", "t.through")} AS destination_name, count, names, people, status, evidence
FROM talent_flows LEFT JOIN family_from o ON o.id = origin LEFT JOIN family_to t ON t.id = destination
WHERE (:from = '' OR o.id IS NOT NULL) AND (:to = '' OR t.id IS NOT NULL)
ORDER BY position""",
)

SEARCH = Canned(
    "search",
    "Search names 搜索人名和公司",
    "People, firms, groups and products whose id, name, Chinese name, alias or former name contains ‘q’: "
    "one Chinese character (张), two (暗面, 魏伟), pinyin or English (zhang, moonshot); case, width and "
    "separators are ignored. Three characters or more use the trigram full-text index.",
    """WITH wanted AS (SELECT aiorg_norm(:q) AS norm),
hits AS (SELECT * FROM search_names WHERE (SELECT norm FROM wanted) != '' AND CASE
    WHEN length((SELECT norm FROM wanted)) >= 3 THEN id IN (SELECT rowid FROM search_names_fts
        WHERE search_names_fts MATCH '"' || replace((SELECT norm FROM wanted), '"', '""') || '"')
    ELSE instr(norm, (SELECT norm FROM wanted)) > 0 END)
SELECT kind, record, record_name AS name, record_name_zh AS name_zh, group_concat(name, ' · ') AS matched
FROM hits GROUP BY kind, record
ORDER BY min(instr(norm, (SELECT norm FROM wanted))), min(length(norm)), kind, record""",
)

CONFLICTS = Canned(
    "conflicts",
    "Where sources disagree 来源之间的分歧",
    "Every fact whose sources give different values, one row per source's claim; claim 1 is the value shown "
    "first (an explicit choice in the data, then the weightier kind of source, then the most recent). "
    "‘record’ (optional): only this record's id. Same answer as ‘aiorg conflicts’.",
    """SELECT kind, record, name, field, claim, shown, value, source, source_kind, published, preferred, quote, sources
FROM disputed_claims WHERE (:record = '' OR record = :record) ORDER BY position""",
)

CANNED: tuple[Canned, ...] = (WHO_LEFT, DEALS_OVER, TIMELINE, FLOWS, SEARCH, CONFLICTS)
